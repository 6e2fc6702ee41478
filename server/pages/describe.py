"""Read an entity's description out of the dataset for pages: labels, statements, evidence.

Pages read rdflib graphs from the served source (server/sources, server/remote/source.py):
read-only views that ask pyoxigraph, or the remote store, one triple pattern at a time. The
SPARQL endpoint is for users' queries.

A statement (a claim, an n-ary relation node, an event with evidence) reads as an English
sentence built from its proposition (ontology/propositions.ttl): its subjects, its predicate's
label as a verb phrase, its objects, and its qualifiers in words (Describer.reading).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ...graph.dataset import BACKGROUND_GRAPH, DERIVED_GRAPH
from ...ontology import EKG, PARA, PREFIXES, PROV, SCHEMA
from .reading import Reader, Reading, number_text, verb_phrase

LANGUAGE_ORDER = ("en", "ru", "zh")

#: how many names (and statement-or-not answers) a Describer remembers (the essay graph names
#: about 800 terms)
LABELS_KEPT = 20_000
#: Languages of labels, named for readers (pages never show a language tag).
LANGUAGE_NAMES = {"en": "English", "ru": "Russian", "zh": "Chinese", "": "no language"}
#: Names for readers of the standard terms the dataset uses without an English label of its
#: own: pages say "also known as", never skos:altLabel.
PLAIN_NAMES = {
    RDFS.comment: "description", RDFS.label: "name", SKOS.prefLabel: "name",
    SKOS.altLabel: "also known as", SKOS.editorialNote: "editor's note", SKOS.exactMatch: "same as",
    SKOS.closeMatch: "close to", SKOS.notation: "code", SCHEMA.minValue: "at least",
    SCHEMA.unitCode: "unit", SCHEMA.superEvent: "part of the event", SCHEMA.containedInPlace: "located in",
    DCTERMS.bibliographicCitation: "citation", DCTERMS.subject: "about", PROV.wasAttributedTo: "attributed to",
    PROV.wasDerivedFrom: "drawn from", RDF.langString: "text in a language", RDFS.Literal: "a value",
    OWL.Thing: "anything", XSD.string: "text", XSD.integer: "whole number", XSD.nonNegativeInteger: "whole number",
    XSD.positiveInteger: "whole number", XSD.decimal: "number", XSD.boolean: "yes or no", XSD.gYear: "year",
    XSD.gYearMonth: "year and month", XSD.date: "date", XSD.anyURI: "web address",
}
#: A compact name (ekg:sphere) inside a definition, to be read as the term's label.
CURIE = re.compile(r"\b(" + "|".join(sorted(PREFIXES, key=len, reverse=True)) + r"):([A-Za-z][\w-]*[A-Za-z0-9])")
PROVENANCE = (EKG.paragraph, EKG.quote, EKG.assertedBy, EKG.reportedBy, EKG.modality)
#: The properties that link an n-ary relation node to the entities it relates.
RELATION_ENDS = (EKG.party, EKG.tradeOf, EKG.tradeWith, EKG.imposedBy, EKG.sanctionTarget,
                 EKG.demandedBy, EKG.addressee, EKG.connects)
#: Classes whose instances are statements or embedded propositions, not things in the world
#: (their subclasses are read from the ontology).
STATEMENT_CLASSES = (EKG.Statement, EKG.Proposition)
#: The qualifiers and argument links a statement's sentence and page show: not repeated as
#: rows of its table, nor as links on the pages of what they point to.
STATEMENT_PARTS = (EKG.predicate, EKG.objectValue, EKG.negated, EKG.hedged, EKG.hedgeCue,
                   EKG.attitude, EKG.mode, EKG.condition, EKG.purpose, EKG.means, EKG.despite,
                   EKG.regarding, EKG.location, EKG.after, EKG.before, EKG.during,
                   EKG.imposedAfter, EKG.startYear, EKG.addressedTo, EKG.demandedAction,
                   EKG.supports, EKG.conflictsWith, EKG.claimText, EKG.noPropositionBecause)
ARGUMENT = (EKG.supports, EKG.conflictsWith)
#: A statement's qualifiers as its page lists them, after subject, predicate and object.
STRUCTURE_QUALIFIERS = (EKG.objectValue, EKG.negated, EKG.hedged, EKG.hedgeCue, EKG.attitude, EKG.mode,
                        EKG.demandedAction, EKG.regarding, EKG.location, EKG.after, EKG.imposedAfter,
                        EKG.before, EKG.during, EKG.startYear, EKG.despite, EKG.condition, EKG.means,
                        EKG.purpose, EKG.addressedTo)


@dataclass
class Evidence:
    """Where the essay says a statement: Wikidata's "reference" of a statement."""

    paragraph: URIRef | None
    number: int | None
    quotes: list
    asserted_by: URIRef | None
    reported_by: URIRef | None
    modality: URIRef | None


@dataclass
class Value:
    """One value of a property, with how it came to be."""

    term: object
    inferred: bool = False
    because: str = ""  #: how it was worked out, in words ("worked out from ...")
    background: bool = False  #: not from the essay: a background fact with its own source
    support: list = field(default_factory=list)  #: the statements it is derived from
    facts: list = field(default_factory=list)  #: the background facts that state it
    axiom: str = ""  #: the axiom that gives it, for a tooltip


@dataclass
class StatementView:
    """A statement as pages list it: its sentence, its own words and its evidence."""

    node: URIRef
    reading: Reading | None  #: None: the statement has no proposition
    text: str  #: the sentence, or else the claim's text or the node's label
    claim_text: str
    evidence: Evidence | None
    no_proposition_because: str = ""
    paraphrase: str = ""  #: the claim's text where it says more than the quote


@dataclass
class Argument:
    """Where a statement stands in the essay's argument (ekg:supports, ekg:conflictsWith)."""

    reasons: list  #: statements that support it
    supports: list  #: what it supports
    rejects: list  #: statements it conflicts with
    rejected_by: list  #: statements that conflict with it

    def __bool__(self) -> bool:
        return bool(self.reasons or self.supports or self.rejects or self.rejected_by)


@dataclass
class BackgroundFact:
    """A fact not from the essay, with its sources."""

    node: URIRef
    sources: list
    citation: str = ""


@dataclass
class Sentence:
    """An n-ary relation read as a sentence, with its evidence."""

    node: URIRef
    text: str
    evidence: Evidence | None
    kind: URIRef | None = None


@dataclass
class Description:
    """Everything an entity page shows."""

    iri: URIRef
    label: str
    labels: list
    types: list
    description: str
    matches: list
    outgoing: dict = field(default_factory=dict)
    incoming: dict = field(default_factory=dict)
    sentences: list = field(default_factory=list)
    claims: list = field(default_factory=list)  #: StatementViews of the claims that mention it
    evidence: Evidence | None = None
    statement: StatementView | None = None  #: when the entity is itself a statement
    argument: Argument | None = None
    said: list = field(default_factory=list)  #: StatementViews of its words and demands the author reports
    said_as: str = ""  #: "said", "demanded" or "said and demanded"
    drawn: list = field(default_factory=list)  #: a paragraph's statements, in reading order
    about: list = field(default_factory=list)  #: what a statement is about (ekg:about)
    structure: list = field(default_factory=list)  #: a statement's proposition: (role, [values])


class Describer:
    """Answers the questions pages ask of the dataset."""

    def __init__(self, source):
        self.source = source
        self.all: Graph = source.view("all")
        self.inferred: Graph = source.view("inferred")
        self.asserted: Graph = source.view("asserted")
        self.background: Graph = source.graph(BACKGROUND_GRAPH)
        self.derived: Graph = source.graph(DERIVED_GRAPH)
        # Links that are provenance or "about" (and their super-properties, such as
        # prov:wasAttributedTo or dct:subject) are shown as evidence and claims, not as links.
        self.not_links = {EKG.about, *PROVENANCE}
        for p in list(self.not_links):
            self.not_links |= set(self.all.transitive_objects(p, RDFS.subPropertyOf))
        # The roles of a proposition: ekg:subject and ekg:object with their sub-properties
        # (ekg:imposedBy, ekg:party, ...), as the ontology aligns them.
        self.subject_roles = _sorted_terms(self.all.transitive_subjects(RDFS.subPropertyOf, EKG.subject))
        self.object_roles = _sorted_terms(self.all.transitive_subjects(RDFS.subPropertyOf, EKG.object))
        self.statement_classes = set()
        for cls in STATEMENT_CLASSES:
            self.statement_classes |= set(self.all.transitive_subjects(RDFS.subClassOf, cls))
        # A statement's roles and qualifiers (and their super-properties, such as
        # schema:location) are read in its sentence, not shown again as rows of its table.
        self.statement_parts = {*self.subject_roles, *self.object_roles}
        for p in STATEMENT_PARTS:
            self.statement_parts |= set(self.all.transitive_objects(p, RDFS.subPropertyOf))
        self.statement_parts -= {RDFS.label, SKOS.editorialNote}  # editorial notes stay in the table
        self.namespaces = self.all.namespace_manager
        self._descriptions: dict = {}
        self._readings: dict = {}
        self.reader = Reader(self)
        self._statements: dict = {}
        self._support_index: dict | None = None
        # A page names a hundred terms, most of them on every page: each name is looked up
        # once per dataset (bounded: a flood of unknown IRIs cannot grow it without end).
        self.label = lru_cache(maxsize=LABELS_KEPT)(self._label)
        self.is_statement = lru_cache(maxsize=LABELS_KEPT)(self._is_statement)

    # ---------------------------------------------------------------- names

    def exists(self, iri: URIRef) -> bool:
        """Tell whether the dataset says anything about iri (as subject or object)."""
        return (iri, None, None) in self.all or (None, None, iri) in self.all

    def _label(self, term, lang: str = "en") -> str:
        """Return the best human label of a term (self.label: the same, remembered)."""
        if isinstance(term, Literal):
            return str(term)
        for prop in (RDFS.label, SKOS.prefLabel, EKG.claimText):
            values = list(self.all.objects(term, prop))
            for wanted in (lang, None, ""):
                for v in values:
                    if isinstance(v, Literal) and (v.language or None) == (wanted or None):
                        return str(v)
            if values:
                return str(sorted(values, key=str)[0])  # any store's order
        if term in PLAIN_NAMES:
            return PLAIN_NAMES[term]
        if isinstance(term, URIRef):
            return _local_words(term)
        return f"_:{term}"

    def labels(self, iri) -> list:
        """Return (language, label) pairs, English, Russian, Chinese first."""
        pairs = {(v.language or "", str(v)) for v in self.all.objects(iri, RDFS.label)
                 if isinstance(v, Literal)}
        return sorted(pairs, key=lambda p: (LANGUAGE_ORDER.index(p[0]) if p[0] in LANGUAGE_ORDER
                                            else len(LANGUAGE_ORDER), p))

    def definition(self, iri) -> str:
        """Return a term's definition (or an entity's description) for readers.

        The compact names of terms it mentions ("given by ekg:sphere") read as their labels
        ("given by “sphere”").
        """
        for prop in (SKOS.definition, RDFS.comment, DCTERMS.description):
            for v in sorted(self.all.objects(iri, prop), key=str):  # any store's order
                if not isinstance(v, Literal) or v.language in (None, "en"):
                    return self.readable(str(v))
        return ""

    def readable(self, text: str) -> str:
        """Replace the compact names of terms in a text (ekg:sphere) by their labels, quoted."""
        return CURIE.sub(lambda m: self.quoted(URIRef(str(PREFIXES[m.group(1)]) + m.group(2))), text)

    @staticmethod
    def language_name(tag: str) -> str:
        """Name a label's language for readers: "ru" -> "Russian"."""
        return LANGUAGE_NAMES.get(tag or "", tag)

    def curie(self, iri) -> str:
        try:
            return self.namespaces.normalizeUri(iri)
        except Exception:
            return str(iri)

    # ---------------------------------------------------------------- evidence

    def evidence(self, node) -> Evidence | None:
        """Return the evidence a statement node carries, or None."""
        paragraph = self.all.value(node, EKG.paragraph)
        quotes = sorted(str(q) for q in self.all.objects(node, EKG.quote))
        if paragraph is None and not quotes:
            return None
        number = self.all.value(paragraph, EKG.paragraphNumber) if paragraph else None
        return Evidence(paragraph, int(number) if number is not None else None, quotes,
                        self.all.value(node, EKG.assertedBy), self.all.value(node, EKG.reportedBy),
                        self.all.value(node, EKG.modality))

    # ---------------------------------------------------------------- inference

    def explain(self, s, p, o) -> tuple:
        """Say how a triple of the inferred graph was worked out: (words for readers, the axiom).

        The words name the asserted triple it comes from by labels; the axiom (for a tooltip)
        names the OWL or RDFS construct as well.
        """
        g = self.all
        name = self.quoted

        def said(a, q, b):
            return f"worked out from “{self.label(a)} {verb_phrase(self.label(q))} {self.label(b)}”"

        for q in sorted(set(g.objects(p, OWL.inverseOf)) | set(g.subjects(OWL.inverseOf, p)), key=str):
            if (o, q, s) in self.asserted:
                return said(o, q, s), f"{name(p)} is the inverse of {name(q)} (owl:inverseOf)"
        if (p, RDF.type, OWL.SymmetricProperty) in g and (o, p, s) in g:
            return said(o, p, s), f"{name(p)} works both ways (owl:SymmetricProperty)"
        if (p, RDF.type, OWL.TransitiveProperty) in g:
            return f"worked out from a chain of {name(p)} links", f"{name(p)} is transitive (owl:TransitiveProperty)"
        if p == RDF.type:
            for cls in sorted(self.asserted.objects(s, RDF.type), key=str):
                if (cls, RDFS.subClassOf, o) in g:
                    every = f"every {self.label(cls)} is {_a(self.label(o))}"
                    return f"worked out from: {every}", f"{every} (rdfs:subClassOf)"
            for prop, _ in sorted(self.asserted.predicate_objects(s), key=str):
                if (prop, RDFS.domain, o) in g:
                    return (f"worked out from its {name(prop)} link",
                            f"what has a {name(prop)} link is {_a(self.label(o))} (rdfs:domain)")
            for prop in sorted(self.asserted.predicates(None, s), key=str):
                if (prop, RDFS.range, o) in g:
                    return (f"worked out from a {name(prop)} link to it",
                            f"what a {name(prop)} link leads to is {_a(self.label(o))} (rdfs:range)")
            for restriction in sorted(g.objects(o, OWL.equivalentClass), key=str):
                if (restriction, OWL.hasValue, None) in g:
                    on = g.value(restriction, OWL.onProperty)
                    value = g.value(restriction, OWL.hasValue)
                    return (f"worked out from its {name(on)}: {self.label(value)}",
                            f"what has {name(on)} {self.label(value)} is {_a(self.label(o))} (owl:hasValue)")
        for sub in sorted(g.subjects(RDFS.subPropertyOf, p), key=str):
            if (s, sub, o) in self.asserted:
                return said(s, sub, o), f"every {name(sub)} link is also a {name(p)} link (rdfs:subPropertyOf)"
        return "worked out by the reasoner", "OWL 2 RL"

    def _inferred_value(self, term, s, p, o) -> Value:
        because, axiom = self.explain(s, p, o)
        return Value(term, True, because, axiom=axiom)

    def quoted(self, term) -> str:
        """Return a term's label in quotation marks, as a name inside a sentence."""
        return f"“{self.label(term)}”"

    # ---------------------------------------------------------------- statements

    def _is_statement(self, node) -> bool:
        """Tell whether node is a statement or an embedded proposition, not a thing in the world
        (self.is_statement: the same, remembered)."""
        if (node, EKG.predicate, None) in self.all or (node, EKG.noPropositionBecause, None) in self.all:
            return True
        return any(t in self.statement_classes for t in self.all.objects(node, RDF.type))

    def roles(self, node, roles) -> list:
        """Return the values node has for any of the roles (sub-properties included), sorted."""
        found = set()
        for role in roles:
            found.update(self.all.objects(node, role))
        return sorted(found, key=lambda t: (self.label(t), str(t)))

    def _index(self) -> dict:
        """Return {(s, p, o): [statements]}: every statement under each shortcut it states."""
        if self._support_index is None:
            index = defaultdict(set)
            for node, predicate in self.all.subject_objects(EKG.predicate):
                if not isinstance(predicate, URIRef) or (node, RDF.type, EKG.Proposition) in self.all or \
                        (node, RDF.type, EKG.BackgroundFact) in self.all:
                    continue
                objects = self.roles(node, self.object_roles)
                objects += sorted(self.all.objects(node, EKG.objectValue), key=str)
                for s in self.roles(node, self.subject_roles):
                    for o in objects:
                        if s != o:
                            index[(s, predicate, o)].add(node)
            self._support_index = {k: sorted(v, key=self._reading_order) for k, v in index.items()}
        return self._support_index

    def supporting(self, s, p, o) -> list:
        """Return the statements a shortcut "s p o" stands for, in reading order.

        A statement supports it when one of its subjects (ekg:subject or a sub-property) is s,
        its ekg:predicate is p and one of its objects (ekg:object or a sub-property, or
        ekg:objectValue) is o: the rule by which the build derives the shortcut.
        """
        return list(self._index().get((s, p, o), ()))

    def background_facts(self, s, o) -> list:
        """Return the background facts that state a link between s and o, with their sources."""
        b = self.background
        nodes = {n for n in b.subjects(None, s) if (n, None, o) in b and (n, RDF.type, EKG.BackgroundFact) in b}
        return [BackgroundFact(n, sorted(b.objects(n, DCTERMS.source), key=str),
                               str(b.value(n, DCTERMS.bibliographicCitation) or ""))
                for n in sorted(nodes, key=lambda n: (self.label(n), str(n)))]

    def from_background(self, s, p, o) -> bool:
        """Tell whether a triple is a background fact, or inferred from one by inverse or symmetry."""
        if (s, p, o) in self.background:
            return True
        if (s, p, o) not in self.inferred:
            return False
        inverses = set(self.all.objects(p, OWL.inverseOf)) | set(self.all.subjects(OWL.inverseOf, p))
        if (p, RDF.type, OWL.SymmetricProperty) in self.all:
            inverses.add(p)
        return any((o, q, s) in self.background for q in inverses)

    # ---------------------------------------------------------------- the page

    def describe(self, iri: URIRef) -> Description:
        """Gather the description of one entity (once: the dataset never changes)."""
        if iri not in self._descriptions:
            self._descriptions[iri] = self._describe(iri)
        return self._descriptions[iri]

    def _describe(self, iri: URIRef) -> Description:
        g = self.all
        asserted_types = set(self.asserted.objects(iri, RDF.type))
        types, named = [], set()
        # Asserted types first; one type per name (ekg:Claim and schema:Claim are both "claim").
        for t in sorted({t for t in g.objects(iri, RDF.type) if isinstance(t, URIRef)},
                        key=lambda t: (t not in asserted_types, not str(t).startswith(str(EKG)),
                                       self.label(t), str(t))):
            if self.label(t) not in named:
                named.add(self.label(t))
                types.append(t)
        types.sort(key=lambda t: (t not in asserted_types, self.label(t), str(t)))
        is_statement = self.is_statement(iri)
        description = Description(
            iri=iri, label=self.label(iri), labels=self.labels(iri),
            types=[Value(t) if t in asserted_types else self._inferred_value(t, iri, RDF.type, t)
                   for t in types],
            description=self.definition(iri),
            matches=sorted(set(g.objects(iri, SKOS.exactMatch)) | set(g.objects(iri, SKOS.closeMatch))),
            evidence=self.evidence(iri),
        )
        if is_statement:
            description.statement = self.statement(iri)
            description.argument = self.argument(iri)
        skip = {RDF.type, RDFS.label, SKOS.exactMatch, SKOS.closeMatch, *self.not_links}
        if is_statement:  # read in its sentence and its argument
            skip |= self.statement_parts
        outgoing = defaultdict(list)
        shown = {description.description}  # under the name, or as why there is no proposition
        if description.statement is not None:
            shown.add(description.statement.no_proposition_because)
        for p, o in g.predicate_objects(iri):
            if p in skip or isinstance(o, BNode) or (isinstance(o, Literal) and str(o) in shown):
                continue
            outgoing[p].append(self.link(iri, p, o))
        description.outgoing = self._sorted(outgoing)
        incoming = defaultdict(list)
        for s, p in g.subject_predicates(iri):
            # Statements that mention it are listed as its claims and relations; background
            # fact nodes under "Background facts".
            if p in self.not_links or isinstance(s, BNode) or self.is_statement(s) or \
                    (s, RDF.type, EKG.BackgroundFact) in self.background:
                continue
            incoming[p].append(self.link(s, p, iri, seen_from=iri))
        description.incoming = self._sorted(incoming)
        description.said, description.said_as = self.said_by(iri)
        description.drawn = [self.statement(n) for n in self.drawn_from(iri)]
        if is_statement:
            description.about = self.roles(iri, [EKG.about])
            description.structure = self.structure(iri)
        listed = {v.node for v in description.said + description.drawn}  # listed first: not again
        mentions = [n for n in self.mentions(iri) if n not in listed]
        claims = [n for n in mentions if (n, RDF.type, EKG.Claim) in g]
        description.claims = [self.statement(c) for c in claims]
        relations = self.sentences(iri, [n for n in mentions if n not in claims])
        description.sentences = [s for s in relations if s.node != iri]  # its own sentence is at its top
        return description

    def link(self, s, p, o, seen_from=None) -> Value:
        """Return the value of a link with how it came to be: derived, inferred or background.

        seen_from: the end whose page shows the link (its other end is the value).
        """
        term = s if seen_from is not None else o
        inferred = (s, p, o) in self.inferred and (s, p, o) not in self.asserted
        because, axiom = self.explain(s, p, o) if inferred else ("", "")
        value = Value(term, inferred, because, self.from_background(s, p, o), axiom=axiom)
        value.support = self.supporting(s, p, o)
        if not value.support and inferred:  # inferred from a shortcut: the statements behind it
            inverses = set(self.all.objects(p, OWL.inverseOf)) | set(self.all.subjects(OWL.inverseOf, p))
            if (p, RDF.type, OWL.SymmetricProperty) in self.all:
                inverses.add(p)
            for q in sorted(inverses, key=str):
                value.support += self.supporting(o, q, s)
        if value.background and isinstance(o, URIRef):
            value.facts = self.background_facts(s, o)
        return value

    def mentions(self, iri) -> list:
        """Return the statements with evidence that mention iri (through an embedded proposition too).

        Not the statements that support it or conflict with it: those are its argument.
        """
        g = self.all
        found = set()
        for s, p in g.subject_predicates(iri):
            if p in ARGUMENT or p == RDF.type or isinstance(s, BNode) or s == iri or not self.is_statement(s):
                continue  # the argument is shown as such
            if (s, RDF.type, EKG.Proposition) in g:
                found.update(n for n in g.subjects(None, s) if self.is_statement(n) and n != iri)
            else:
                found.add(s)
        return sorted((n for n in found if (n, RDF.type, EKG.Proposition) not in g and
                       (n, RDF.type, EKG.BackgroundFact) not in g and
                       ((n, EKG.quote, None) in g or (n, EKG.paragraph, None) in g)),
                      key=self._reading_order)

    def _sorted(self, grouped: dict) -> dict:
        return {p: sorted(values, key=lambda v: (v.inferred, self.label(v.term), str(v.term)))
                for p, values in sorted(grouped.items(), key=lambda kv: (self.label(kv[0]), str(kv[0])))}

    def _reading_order(self, node):
        ev = self.evidence(node)
        number = ev.number if ev and ev.number is not None else 99
        local = str(node).rsplit("-", 1)[-1]
        return (number, int(local) if local.isdigit() else 0, str(node))

    # ---------------------------------------------------------------- n-ary relations

    def sentences(self, iri, nodes=None) -> list:
        """Read the relation nodes and events that involve iri as sentences with evidence, seen from iri.

        nodes: the statements to read (by default the n-ary relation nodes iri is an end of).
        """
        g = self.all
        if nodes is None:
            nodes = set()
            for prop in RELATION_ENDS:
                nodes |= set(g.subjects(prop, iri))
        nodes = set(nodes)
        if (iri, RDF.type, EKG.Relationship) in g:
            nodes.add(iri)
        out = [Sentence(n, self.sentence(n, iri), self.evidence(n)) for n in nodes]
        return sorted(out, key=lambda s: (s.evidence.number if s.evidence and s.evidence.number else 99,
                                          s.text, str(s.node)))

    def sentence(self, node, viewpoint=None) -> str:
        """Return a plain-English reading of an n-ary relation node, seen from viewpoint.

        Only the node's own content, which its own passage states: not what other statements
        say of it (their shortcuts in the derived graph) nor what OWL 2 RL infers.
        """
        g = self.all
        name = self.label

        def names(prop):
            own = (v for v in g.objects(node, prop)
                   if (node, prop, v) not in self.derived and (node, prop, v) not in self.inferred)
            return _join(sorted(name(v) for v in own))

        if (node, RDF.type, EKG.TradeFlow) in g:
            if viewpoint is not None and (node, EKG.tradeOf, viewpoint) in g:
                text = f"Trade with {names(EKG.tradeWith)}"
            else:
                text = f"Trade of {names(EKG.tradeOf)} with {names(EKG.tradeWith)}"
            year = g.value(node, EKG.year)
            if year:
                text += f", {year}"
            amount = g.value(node, EKG.amount)
            if amount is not None:
                text += ": " + self.money(amount)
            growth = g.value(node, EKG.growthPercent)
            if growth is not None:
                text += f", up {number_text(growth)}%"
            return text
        if (node, RDF.type, EKG.TradeShare) in g:
            share = g.value(node, EKG.share)
            return (f"Share of {names(EKG.tradeWith)} in the foreign trade of {names(EKG.tradeOf)}: "
                    f"{self.quantity(share)}")
        if (node, RDF.type, EKG.Sanction) in g:
            kind = names(EKG.sanctionKind) or "sanctions"
            status = names(EKG.sanctionStatus)
            text = kind[0].upper() + kind[1:]
            if g.value(node, EKG.imposedBy) is not None:
                text += f" imposed by {names(EKG.imposedBy)}"
            text += f" on {names(EKG.sanctionTarget)}"
            after = g.value(node, EKG.imposedAfter)
            if after is not None:
                text += f", after the outbreak of the {name(after)}"
            return text + (f" ({status})" if status else "")
        if (node, RDF.type, EKG.Demand) in g:
            action = g.value(node, EKG.demandedAction)
            if not action:
                return (f"{names(EKG.demandedBy)} makes a demand of {names(EKG.addressee)} "
                        "(what exactly is not recoverable from the text)")
            return f"{names(EKG.demandedBy)} demands that {names(EKG.addressee)} {name(action)}"
        if (node, RDF.type, EKG.Connection) in g:
            return f"Connecting {names(EKG.connects)}"
        if (node, RDF.type, EKG.BilateralRelation) in g or (node, RDF.type, EKG.Cooperation) in g:
            text = name(node)
            kinds = names(EKG.relationKind)
            if kinds:
                text += f": {kinds}"
            start = g.value(node, EKG.startYear)
            if start:
                text += f", since {start}"
            not_kinds = names(EKG.notOfKind)
            if not_kinds:
                text += f"; not an {not_kinds}" if not_kinds[0] in "aeiou" else f"; not a {not_kinds}"
            spheres = names(EKG.sphere)
            if spheres:
                text += f" (spheres: {spheres})"
            return text
        reading = self.reading(node)
        return reading.text if reading is not None else name(node)

    # ---------------------------------------------------------------- propositions

    def statement(self, node) -> StatementView:
        """Return a statement as pages list it: its sentence, its own words, its evidence."""
        if node not in self._statements:
            reading = self.reading(node)
            claim_text = str(self.all.value(node, EKG.claimText) or "")
            quotes = {_letters(q) for q in self.all.objects(node, EKG.quote)}
            because = str(self.all.value(node, EKG.noPropositionBecause) or "")
            self._statements[node] = StatementView(
                node, reading, reading.text if reading is not None else self.label(node),
                claim_text, self.evidence(node), because,
                "" if _letters(claim_text) in quotes else claim_text)  # the quote says it already
        return self._statements[node]

    def argument(self, node) -> Argument:
        """Return the statements that support it, that it supports, and that it conflicts with."""
        g = self.all

        def views(nodes):
            return [self.statement(n) for n in sorted(set(nodes) - {node}, key=self._reading_order)]

        return Argument(views(g.subjects(EKG.supports, node)), views(g.objects(node, EKG.supports)),
                        views(g.objects(node, EKG.conflictsWith)), views(g.subjects(EKG.conflictsWith, node)))

    def reading(self, node) -> Reading | None:
        """Read a statement's proposition as an English sentence; None when it has no predicate."""
        if node not in self._readings:
            self._readings[node] = self.reader.read(node)
        return self._readings[node]

    def money(self, amount) -> str:
        g = self.all
        currency = str(g.value(amount, SCHEMA.currency) or "")
        value = g.value(amount, SCHEMA.value)
        minimum = g.value(amount, SCHEMA.minValue)
        figure = value if value is not None else minimum
        prefix = "" if value is not None else "more than "
        symbol = "US$" if currency == "USD" else f"{currency} "
        return f"{prefix}{symbol}{_scaled(figure)}"

    def quantity(self, quantity) -> str:
        g = self.all
        value = g.value(quantity, SCHEMA.value)
        minimum = g.value(quantity, SCHEMA.minValue)
        unit = "%" if str(g.value(quantity, SCHEMA.unitCode)) == "P1" else ""
        if value is not None:
            return f"{number_text(value)}{unit}"
        return f"more than {number_text(minimum)}{unit}"

    # ---------------------------------------------------------------- types

    def main_type(self, iri):
        """Return the most specific asserted ekg: type of iri."""
        types = sorted(self.asserted.objects(iri, RDF.type), key=str)  # any store's order
        return next((t for t in types if str(t).startswith(str(EKG))), types[0] if types else None)

    # ---------------------------------------------------------------- lists

    def instances(self, cls) -> list:
        """Return the instances of a class (inferred typing included), sorted by label."""
        return sorted((s for s in set(self.all.subjects(RDF.type, cls)) if isinstance(s, URIRef)),
                      key=lambda s: (self.label(s).casefold(), str(s)))

    def paragraph_statements(self) -> dict:
        """Return {paragraph number: [statement nodes]} of the essay's paragraphs, in reading order.

        Only the essay's own paragraphs (PARA): other texts' paragraphs are not the essay's.
        """
        out = defaultdict(list)
        for paragraph, number in self.all.subject_objects(EKG.paragraphNumber):
            if str(paragraph).startswith(str(PARA)):
                out[int(number)].extend(self.all.subjects(EKG.paragraph, paragraph))
        return {n: sorted(nodes, key=self._reading_order) for n, nodes in sorted(out.items())}

    def said_by(self, actor) -> tuple:
        """Return (StatementViews, "said" / "demanded" / "said and demanded") of what the author
        reports an actor said, held or demanded, in reading order.

        Its words: the statements it asserts (ekg:assertedBy) that someone reports
        (ekg:reportedBy); its demands: ekg:demandedBy.
        """
        g = self.all
        words = {n for n in g.subjects(EKG.assertedBy, actor) if (n, EKG.reportedBy, None) in g}
        demands = set(g.subjects(EKG.demandedBy, actor))
        words -= demands
        verbs = " and ".join(verb for verb, nodes in (("said", words), ("demanded", demands)) if nodes)
        return [self.statement(n) for n in sorted(words | demands, key=self._reading_order)], verbs

    def drawn_from(self, paragraph) -> list:
        """Return the statements that cite a paragraph of the essay, in reading order."""
        if not str(paragraph).startswith(str(PARA)) or (paragraph, EKG.paragraphNumber, None) not in self.all:
            return []
        return sorted(set(self.all.subjects(EKG.paragraph, paragraph)), key=self._reading_order)

    def structure(self, node) -> list:
        """Return a statement's proposition as (role, [(term, name)]) pairs: subject, predicate,
        object, then its qualifiers; roles by their own property (ekg:imposedBy, not ekg:subject).

        A statement or proposition is named by its sentence in quotation marks, a number as a
        reader writes it; a true flag (negated, hedged) has no name: its role says it.
        """
        g = self.all
        out = []
        roles = [*self.subject_roles, EKG.predicate, *self.object_roles, *STRUCTURE_QUALIFIERS]
        for role in dict.fromkeys(roles):  # a party is a subject and an object: once
            # A sub-property's values, not again under the generic role it implies.
            values = set(self.asserted.objects(node, role)) or (
                set() if role in (EKG.subject, EKG.object) else set(g.objects(node, role)))
            named = sorted(((v, self.term_name(v)) for v in values), key=lambda tn: (tn[1], str(tn[0])))
            if named:
                out.append((role, [(v, name) for v, name in named if name or not isinstance(v, Literal)]))
        return out

    def term_name(self, term) -> str:
        """Name a subject, object or qualifier for readers: a claim by its text, an unnamed
        proposition by its sentence, both quoted; anything else (a conflict too) by its label."""
        if isinstance(term, Literal):
            return "" if term.datatype == XSD.boolean and term.toPython() is True else number_text(term)
        if (term, EKG.claimText, None) in self.all:
            return self.quoted(term)
        if (term, RDFS.label, None) not in self.all and self.is_statement(term):
            reading = self.reading(term)
            if reading is not None:
                return f"“{reading.text}”"
        return self.label(term)


def _letters(text) -> str:
    return "".join(c for c in str(text).casefold() if c.isalnum())


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _sorted_terms(terms) -> list:
    return sorted(set(terms), key=str)


def _local_words(iri) -> str:
    """Name a term that has no label by its local name: org:memberOf -> "member of"."""
    text = str(iri)
    local = re.split(r"[#/]", text.rstrip("/#"))[-1] or text
    if any(c.isdigit() for c in local) or not local.isalpha():
        return local
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+", local)
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words) or local


def _join(names: list) -> str:
    """Join names as English does: "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _scaled(value) -> str:
    number = Decimal(str(value.toPython() if isinstance(value, Literal) else value))
    for size, word in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"),
                       (Decimal(10) ** 6, "million")):
        if number >= size:
            return f"{number_text(number / size)} {word}"
    return number_text(number)

