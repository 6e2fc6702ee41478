"""A statement's proposition read as an English sentence: the grammar of the pages' statements.

"<subjects> <verb phrase> <objects>", then the qualifiers in words. The verb phrase is the
predicate's label (a third-person verb phrase: "values its relations with") turned by rule
into "does not value", "should value", "wants to value", "can value".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ...ontology import EKG, EKGID

#: What a statement says besides its roles, in the order its sentence gives them.
TIME_WORDS = ((EKG.after, "after"), (EKG.imposedAfter, "after"), (EKG.before, "before"),
              (EKG.during, "during"))
CLAUSE_WORDS = ((EKG.condition, "if"), (EKG.means, "by"), (EKG.purpose, "so that"))
#: Attitudes and modes that are not "<verb> to": their forms (finite, base, negative).
AUXILIARIES = {
    EKG.Possible: ("can", "be able to", "cannot"),
    EKG.Inevitable: ("will inevitably", "inevitably", "will not inevitably"),
    EKG.SeeksToAvoid: ("seeks not to", "seek not to", "does not seek to avoid having to"),
}
PREPOSITIONS = {"of", "for", "in", "with", "to", "by", "on", "from", "at", "against", "between",
                "into", "towards", "over", "behind"}


@dataclass
class Reading:
    """A statement read as an English sentence: (text, entity or None) parts, linkable."""

    parts: list

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.parts)


class Reader:
    """Reads statements' propositions as English sentences, naming terms as the describer does."""

    def __init__(self, describer):
        self.d = describer

    def read(self, node) -> Reading | None:
        """Read a statement's proposition as an English sentence; None when it has no predicate.

        "<subjects> <verb phrase> <objects>" then its qualifiers in words: regarding, place,
        time, despite, condition ("if:"), means ("by:"), purpose ("so that:"), the hedge and
        whom a recommendation is addressed to. The verb phrase carries negation ("does not"),
        a recommendation ("should"), an attitude ("wants to") and a mode ("can").
        """
        read = self._read(node, depth=0)
        return Reading(_capitalised(read)) if read is not None else None

    def _read(self, node, depth: int) -> list | None:
        g = self.d.all
        predicates = sorted(p for p in g.objects(node, EKG.predicate) if isinstance(p, URIRef))
        if not predicates or depth > 3:
            return None
        subjects = self.d.roles(node, self.d.subject_roles)
        objects = self.d.roles(node, self.d.object_roles)
        # The parties of a symmetric relation, or a mutual one ("investing in one another").
        mutual = len(subjects) > 1 and set(subjects) == set(objects)
        objects = [] if mutual else [o for o in objects if o not in subjects]
        plural = len(subjects) > 1
        parts = self._join([self._term(s, depth) for s in subjects]) or [("someone", None)]
        parts.append((" " + self._verb(node, predicates[0], plural), None))
        if mutual:
            parts.append((" each other" if len(subjects) == 2 else " one another", None))
        objects = [self._term(o, depth) for o in objects]
        objects += [[(number_text(v), None)] for v in sorted(g.objects(node, EKG.objectValue), key=str)]
        if objects:
            parts += [(" ", None)] + self._join(objects)
        action = g.value(node, EKG.demandedAction)
        if action is not None:
            parts += [(" to ", None), (self.d.label(action), None)]
        for prop, word in ((EKG.regarding, "regarding"), (EKG.location, "in")):
            values = self.d.roles(node, [prop])
            if values:
                parts += [(f" {word} ", None)] + self._join([self._term(v, depth) for v in values])
        for prop, word in TIME_WORDS:
            for event in self.d.roles(node, [prop]):
                outbreak = word == "after" and (event, RDF.type, EKG.Conflict) in g
                parts += [(f" {word} the outbreak of the " if outbreak else f" {word} the ", None),
                          (self.d.label(event), event)]
        for year in sorted(g.objects(node, EKG.startYear), key=str):
            parts.append((f" since {year}", None))
        despite = self.d.roles(node, [EKG.despite])
        if despite:
            parts += [(" despite ", None)] + self._join([self._term(v, depth) for v in despite])
        for prop, word in CLAUSE_WORDS:
            for clause in self.d.roles(node, [prop]):
                parts += [(f", {word}: ", None)] + self._clause(clause, depth)
        if _true(g.value(node, EKG.hedged)):
            cues = sorted(str(c) for c in g.objects(node, EKG.hedgeCue))
            cue = ": " + ", ".join(f"“{c}”" for c in cues) if cues else ""
            parts.append((f" (hedged{cue})", None))
        addressees = self.d.roles(node, [EKG.addressedTo])
        if addressees:
            parts += [(" — addressed to ", None)] + self._join([[(self.d.label(a), a)] for a in addressees])
        return parts

    def _verb(self, node, predicate, plural: bool) -> str:
        """Return the verb group: the predicate with negation, recommendation, attitude and mode."""
        g = self.d.all
        chain = [g.value(node, EKG.attitude), g.value(node, EKG.mode)]
        chain = [_auxiliary(c, self.d.label(c)) for c in chain if c is not None]
        chain.append(_verb_forms(verb_phrase(self.d.label(predicate))))
        (finite, base, negative), inner = chain[0], [forms[1] for forms in chain[1:]]
        negated = _true(g.value(node, EKG.negated))
        if (node, EKG.modality, EKG.Recommendation) in g:
            head = "should not " + base if negated else "should " + base
        elif negated:
            head = _plural(negative) if plural else negative
        else:
            head = _plural(finite) if plural else finite
        text = " ".join([head] + inner)
        return _their(text) if plural else text

    def _term(self, term, depth: int) -> list:
        """Return the parts naming a subject or object: a label, a quoted statement or proposition."""
        if isinstance(term, Literal):
            return [(number_text(term), None)]
        claim_text = self.d.all.value(term, EKG.claimText)
        if claim_text is not None:
            return [("“" + str(claim_text).rstrip(".") + "”", term)]
        if (term, RDF.type, EKG.Proposition) in self.d.all:
            inner = self._read(term, depth + 1)
            if inner is not None:
                return [("“", None)] + inner + [("”", None)]
        return [(self.d.label(term), term if str(term).startswith(str(EKGID)) else None)]

    def _clause(self, term, depth: int) -> list:
        """Return the parts of a condition, means or purpose: a sentence, or a quoted statement."""
        if (term, RDF.type, EKG.Proposition) in self.d.all:
            inner = self._read(term, depth + 1)
            if inner is not None:
                return inner
        return self._term(term, depth)

    @staticmethod
    def _join(items: list) -> list:
        """Join lists of parts as English does: "a, b and c"."""
        out = []
        for i, item in enumerate(items):
            if i:
                out.append((" and " if i == len(items) - 1 else ", ", None))
            out += item
        return out


def verb_phrase(label: str) -> str:
    """Return a predicate's label as a third-person verb phrase.

    Labels are verb phrases ("puts pressure on", "is"); a few older ones are not, and read
    as "is located in" (a participle), "is a neighbour of" (a noun with its preposition) or
    "has world economy rank" (a noun).
    """
    words = label.split()
    if not words:
        return label
    first = words[0]
    if first in ("is", "has", "does", "can", "will") or (first.endswith("s") and not first.endswith("ss")):
        return label
    if first.endswith("ed"):
        return "is " + label
    if words[-1] in PREPOSITIONS:
        return ("is an " if first[0] in "aeiou" else "is a ") + label
    return "has " + label


def base_form(phrase: str) -> str:
    """Return a third-person verb phrase in its base form: "has" -> "have", "tries to" -> "try to".

    has -> have, is -> be, does -> do; -ies -> -y; -sses, -ches, -shes, -xes lose "es"; else
    a final "s" goes. Only the first word changes.
    """
    first, _, rest = phrase.partition(" ")
    word = {"has": "have", "is": "be", "does": "do"}.get(first)
    if word is None:
        if first.endswith("ies") and len(first) > 4:
            word = first[:-3] + "y"
        elif first.endswith(("sses", "ches", "shes", "xes")):
            word = first[:-2]
        elif first.endswith("s") and not first.endswith("ss"):
            word = first[:-1]
        else:
            word = first
    return f"{word} {rest}" if rest else word


def _verb_forms(phrase: str) -> tuple:
    """Return (finite, base, negative) of a third-person verb phrase."""
    first, _, rest = phrase.partition(" ")
    if first == "is":
        negative = "is not " + rest if rest else "is not"
    else:
        negative = "does not " + base_form(phrase)
    return phrase, base_form(phrase), negative


def _auxiliary(concept, label: str) -> tuple:
    """Return (finite, base, negative) of an attitude or a mode ("wants to", "can")."""
    return AUXILIARIES.get(concept) or _verb_forms(label)


def _plural(finite: str) -> str:
    """Return a third-person singular verb group for several subjects: "is" -> "are"."""
    first, _, rest = finite.partition(" ")
    if first in ("can", "cannot", "will", "should"):
        return finite
    words = rest.split()
    if first == "is" and len(words) > 2 and words[0] in ("a", "an") and words[-1] in PREPOSITIONS:
        # "is a strategic partner of" -> "are strategic partners of"
        return " ".join(["are"] + words[1:-2] + [words[-2] + "s", words[-1]])
    if first == "is":
        return f"are {rest}".rstrip()
    if first == "does":
        return f"do {rest}".rstrip()
    return base_form(finite)


def _their(text: str) -> str:
    return re.sub(r"\bitself\b", "themselves", re.sub(r"\bits\b", "their", text))


def _capitalised(parts: list) -> list:
    if parts and parts[0][0][:1].isalpha():
        text, term = parts[0]
        return [(text[0].upper() + text[1:], term)] + parts[1:]
    return parts


def _true(value) -> bool:
    return value is not None and str(value).strip().lower() in ("true", "1")


def number_text(value) -> str:
    """Return a number as a reader writes it: 19.0 -> "19"."""
    number = value.toPython() if isinstance(value, Literal) else value
    if isinstance(number, (Decimal, float)) and number == int(number):
        return str(int(number))
    return str(number)
