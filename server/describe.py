"""Read an entity's description out of the dataset for pages: labels, statements, evidence.

Pages read rdflib graphs from the served source (sources.py): held in memory for the embedded
dataset, read-only views over a built store or a remote store otherwise. The SPARQL endpoint is
for users' queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..graph.dataset import BACKGROUND_GRAPH
from ..ontology import EKG, PARA, SCHEMA

LANGUAGE_ORDER = ("en", "ru", "zh")
PROVENANCE = (EKG.paragraph, EKG.quote, EKG.assertedBy, EKG.reportedBy, EKG.modality)
#: The properties that link an n-ary relation node to the entities it relates.
RELATION_ENDS = (EKG.party, EKG.tradeOf, EKG.tradeWith, EKG.imposedBy, EKG.sanctionTarget,
                 EKG.demandedBy, EKG.addressee, EKG.connects)


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
    because: str = ""
    background: bool = False  #: not from the essay: a background fact with its own source
    support: list = field(default_factory=list)  #: claims about both ends, with evidence


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
    claims: list = field(default_factory=list)
    evidence: Evidence | None = None


class Describer:
    """Answers the questions pages ask of the dataset."""

    def __init__(self, source):
        self.source = source
        self.all: Graph = source.view("all")
        self.inferred: Graph = source.view("inferred")
        self.asserted: Graph = source.view("asserted")
        self.background: Graph = source.graph(BACKGROUND_GRAPH)
        # Links that are provenance or "about" (and their super-properties, such as
        # prov:wasAttributedTo or dct:subject) are shown as evidence and claims, not as links.
        self.not_links = {EKG.about, *PROVENANCE}
        for p in list(self.not_links):
            self.not_links |= set(self.all.transitive_objects(p, RDFS.subPropertyOf))
        self.namespaces = self.all.namespace_manager
        self._descriptions: dict = {}

    # ---------------------------------------------------------------- names

    def exists(self, iri: URIRef) -> bool:
        """Tell whether the dataset says anything about iri (as subject or object)."""
        return (iri, None, None) in self.all or (None, None, iri) in self.all

    def label(self, term, lang: str = "en") -> str:
        """Return the best human label of a term."""
        if isinstance(term, Literal):
            return str(term)
        for prop in (RDFS.label, SKOS.prefLabel, EKG.claimText):
            values = list(self.all.objects(term, prop))
            for wanted in (lang, None, ""):
                for v in values:
                    if isinstance(v, Literal) and (v.language or None) == (wanted or None):
                        return str(v)
            if values:
                return str(values[0])
        if isinstance(term, URIRef):
            try:
                return self.namespaces.normalizeUri(term)
            except Exception:
                return str(term)
        return f"_:{term}"

    def labels(self, iri) -> list:
        """Return (language, label) pairs, English, Russian, Chinese first."""
        pairs = {(v.language or "", str(v)) for v in self.all.objects(iri, RDFS.label)
                 if isinstance(v, Literal)}
        return sorted(pairs, key=lambda p: (LANGUAGE_ORDER.index(p[0]) if p[0] in LANGUAGE_ORDER
                                            else len(LANGUAGE_ORDER), p))

    def definition(self, iri) -> str:
        for prop in (SKOS.definition, RDFS.comment, DCTERMS.description):
            for v in self.all.objects(iri, prop):
                if not isinstance(v, Literal) or v.language in (None, "en"):
                    return str(v)
        return ""

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

    def explain(self, s, p, o) -> str:
        """Say which axiom a triple of the inferred graph comes from."""
        g = self.all
        for q in g.objects(p, OWL.inverseOf):
            if (o, q, s) in self.asserted:
                return f"inverse of {self.curie(q)} (owl:inverseOf)"
        for q in g.subjects(OWL.inverseOf, p):
            if (o, q, s) in self.asserted:
                return f"inverse of {self.curie(q)} (owl:inverseOf)"
        if (p, RDF.type, OWL.SymmetricProperty) in g and (o, p, s) in g:
            return f"{self.curie(p)} is symmetric (owl:SymmetricProperty)"
        if (p, RDF.type, OWL.TransitiveProperty) in g:
            return f"{self.curie(p)} is transitive (owl:TransitiveProperty)"
        if p == RDF.type:
            for cls in self.asserted.objects(s, RDF.type):
                if (cls, RDFS.subClassOf, o) in g:
                    return f"{self.curie(cls)} is a subclass of {self.curie(o)} (rdfs:subClassOf)"
            for prop, _ in self.asserted.predicate_objects(s):
                if (prop, RDFS.domain, o) in g:
                    return f"domain of {self.curie(prop)} (rdfs:domain)"
            for prop in self.asserted.predicates(None, s):
                if (prop, RDFS.range, o) in g:
                    return f"range of {self.curie(prop)} (rdfs:range)"
            for restriction in g.objects(o, OWL.equivalentClass):
                if (restriction, OWL.hasValue, None) in g:
                    on = g.value(restriction, OWL.onProperty)
                    value = g.value(restriction, OWL.hasValue)
                    return f"{self.curie(on)} {self.curie(value)} (owl:hasValue)"
        for sub in g.subjects(RDFS.subPropertyOf, p):
            if (s, sub, o) in self.asserted:
                return f"sub-property {self.curie(sub)} (rdfs:subPropertyOf)"
        return "OWL 2 RL"

    def supporting(self, s, o, most: int = 2) -> list:
        """Return up to `most` claims about both s and o: the essay's words behind a link."""
        if not isinstance(o, URIRef):
            return []
        claims = set(self.all.subjects(EKG.about, s)) & set(self.all.subjects(EKG.about, o))
        return sorted(claims, key=self._reading_order)[:most]

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
        types = sorted({t for t in g.objects(iri, RDF.type) if isinstance(t, URIRef)},
                       key=lambda t: ((t, RDF.type, None) in self.inferred, self.curie(t)))
        asserted_types = set(self.asserted.objects(iri, RDF.type))
        description = Description(
            iri=iri, label=self.label(iri), labels=self.labels(iri),
            types=[Value(t, t not in asserted_types,
                         "" if t in asserted_types else self.explain(iri, RDF.type, t))
                   for t in types],
            description=self.definition(iri),
            matches=sorted(set(g.objects(iri, SKOS.exactMatch)) | set(g.objects(iri, SKOS.closeMatch))),
            evidence=self.evidence(iri),
        )
        skip = {RDF.type, RDFS.label, SKOS.exactMatch, SKOS.closeMatch, *self.not_links}
        outgoing = defaultdict(list)
        for p, o in g.predicate_objects(iri):
            if p in skip or isinstance(o, BNode):
                continue
            inferred = (iri, p, o) in self.inferred and (iri, p, o) not in self.asserted
            outgoing[p].append(Value(o, inferred, self.explain(iri, p, o) if inferred else "",
                                     self.from_background(iri, p, o),
                                     [] if inferred else self.supporting(iri, o)))
        description.outgoing = self._sorted(outgoing)
        incoming = defaultdict(list)
        for s, p in g.subject_predicates(iri):
            if p in self.not_links or isinstance(s, BNode) or \
                    (s, RDF.type, EKG.BackgroundFact) in self.background:  # in "Background facts"
                continue
            inferred = (s, p, iri) in self.inferred and (s, p, iri) not in self.asserted
            incoming[p].append(Value(s, inferred, self.explain(s, p, iri) if inferred else "",
                                     self.from_background(s, p, iri)))
        description.incoming = self._sorted(incoming)
        description.sentences = self.sentences(iri)
        description.claims = sorted(
            (c for c in g.subjects(EKG.about, iri) if (c, RDF.type, EKG.Claim) in g),
            key=lambda c: self._reading_order(c))
        return description

    def _sorted(self, grouped: dict) -> dict:
        return {p: sorted(values, key=lambda v: (v.inferred, self.label(v.term), str(v.term)))
                for p, values in sorted(grouped.items(), key=lambda kv: (self.label(kv[0]), str(kv[0])))}

    def _reading_order(self, node):
        ev = self.evidence(node)
        number = ev.number if ev and ev.number is not None else 99
        local = str(node).rsplit("-", 1)[-1]
        return (number, int(local) if local.isdigit() else 0, str(node))

    # ---------------------------------------------------------------- n-ary relations

    def sentences(self, iri) -> list:
        """Read the n-ary relation nodes that involve iri as sentences with evidence, seen from iri."""
        g = self.all
        nodes = set()
        for prop in RELATION_ENDS:
            nodes |= set(g.subjects(prop, iri))
        if (iri, RDF.type, EKG.Relationship) in g:
            nodes.add(iri)
        out = [Sentence(n, self.sentence(n, iri), self.evidence(n)) for n in nodes]
        return sorted(out, key=lambda s: (s.evidence.number if s.evidence and s.evidence.number else 99,
                                          s.text, str(s.node)))

    def sentence(self, node, viewpoint=None) -> str:
        """Return a plain-English reading of an n-ary relation node, seen from viewpoint."""
        g = self.all
        name = self.label

        def names(prop):
            return _join(sorted(name(v) for v in g.objects(node, prop)))

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
                text += f", up {_number(growth)}%"
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
            return f"{names(EKG.demandedBy)} demands that {names(EKG.addressee)} {action}"
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
        return name(node)

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
            return f"{_number(value)}{unit}"
        return f"more than {_number(minimum)}{unit}"

    # ---------------------------------------------------------------- search

    def search(self, text: str, limit: int = 20) -> list:
        """Find entities whose labels contain text, in any language; best matches first."""
        needle = text.casefold().strip()
        if not needle:
            return []
        found = {}
        candidates = self.source.search_labels(needle)  # the store's own scan, where it has one
        if candidates is None:
            candidates = (pair for prop in (RDFS.label, SKOS.altLabel, SKOS.prefLabel)
                          for pair in self.all.subject_objects(prop))
        for s, label in candidates:
            if not isinstance(s, URIRef) or not isinstance(label, Literal):
                continue
            hay = str(label).casefold()
            if needle in hay:
                rank = (0 if hay == needle else 1 if hay.startswith(needle) else 2, len(hay))
                if s not in found or rank < found[s][0]:
                    found[s] = (rank, str(label), label.language or "")
        ordered = sorted(found.items(), key=lambda kv: (kv[1][0], self.label(kv[0]), str(kv[0])))
        hits = []
        for s, (_, matched, lang) in ordered[:limit]:
            kind = self.main_type(s)
            hits.append({"iri": str(s), "label": self.label(s), "matched": matched, "lang": lang,
                         "type": self.label(kind) if kind is not None else ""})
        return hits

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


def _join(names: list) -> str:
    """Join names as English does: "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _number(value) -> str:
    number = value.toPython() if isinstance(value, Literal) else value
    if isinstance(number, (Decimal, float)) and number == int(number):
        return str(int(number))
    return str(number)


def _scaled(value) -> str:
    number = Decimal(str(value.toPython() if isinstance(value, Literal) else value))
    for size, word in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"),
                       (Decimal(10) ** 6, "million")):
        if number >= size:
            return f"{_number(number / size)} {word}"
    return _number(number)

