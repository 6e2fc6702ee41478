"""OWL 2 RL over the dataset: two reasoners, only clean inferences, and a cache of them.

Two OWL 2 RL reasoners: owlrl (pure Python, the reference) and reasonable (Rust, with this
module's completion 10 to 15 times faster: tests/benchmarks/reasoning.py). reasonable
lacks most schema-level rules (scm-*), reports no inconsistency to Python and leaves out some
OWL 2 RL rules; here the scm-* and inconsistency rules are completed in Python, and "auto"
uses it only on data whose OWL and RDFS vocabulary lies within REASONABLE_VOCABULARY, where
the result was shown equal to owlrl's (tests/test_reasoning.py). Anything else goes to owlrl.

What either infers is kept only if is_useful_inference says so, and an identical earlier
build's inferences are read back from the cache (infer_cached, keyed by inference_key).
graph/dataset.py decides what is reasoned over and where the inferences go.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import owlrl
import pyoxigraph as ox
import reasonable
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..ontology import PREFIXES
from .cache import cache_folder, installed_version, keep_in_cache, versions_key
from .parsing import content_hash
from .terms import ToRdflib, check_literals, quiet_rdflib, to_oxigraph_triples

#: owlrl marks an inconsistency with a node of this type instead of raising.
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
#: ... and gives the node its message with this property.
_OWLRL_ERROR_TEXT = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
#: owlrl's dt-not-type message. Its lexical checks reject valid literals ("0.0"^^xsd:double,
#: "...T24:00:00"^^xsd:dateTime), and an ill-typed literal is no inconsistency of the data's
#: meaning: ill-typed literals are found by graph.terms and reported as warnings instead.
_OWLRL_LEXICAL_ERROR = "Lexical value of the literal"
#: Namespaces whose own terms owlrl restates axiomatically; those triples are noise here.
_BUILTIN_PREFIXES = tuple(str(PREFIXES[p]) for p in ("rdf", "rdfs", "owl", "xsd"))


class BuildError(Exception):
    """Reasoning found an inconsistency (owlrl error node) or produced unclean triples."""


#: The code whose change changes the inferences: this module (is_useful_inference and
#: friends), and what decides what is reasoned over: how files are parsed, how literals cross
#: to rdflib, and the build (the derived shortcuts are reasoned over).
_KEYED_CODE = ("reasoning.py", "parsing.py", "terms.py", "dataset.py")


def inference_key(sources, reasoner: str = "owlrl", bases=()) -> str:
    """Return a key that changes whenever an input file, the reasoner or _KEYED_CODE changes.

    reasoner: the reasoner that runs ("owlrl" or "reasonable"); its name, both reasoners'
    versions (the reasonable path uses owlrl's datatype tables) and the parsers' (rdflib,
    pyoxigraph) are part of the key.
    bases: the IRIs the data files' relative IRIs resolve against (a file moved, or read with
    another --base, says other things).
    """
    # The parsers too: they decide which terms the files' text becomes.
    versions = reasoner.encode() + b"; " + versions_key("owlrl", "reasonable", "rdflib", "pyoxigraph")
    here = Path(__file__).parent
    code = [(here / name).read_bytes() for name in _KEYED_CODE]
    return content_hash(sources, versions, *code, *(b.encode() for b in bases))


def infer_cached(ds: Dataset, target: Graph, key: str | None,
                 reasoner: str = "auto") -> tuple[int, bool]:
    """Infer into target, reusing the result of an identical earlier build when there is one.

    Returns (count, whether it came from the cache). Results holding blank nodes are never
    cached: a blank node read back would not be the ontology's.
    """
    folder = cache_folder() if key else None
    path = folder / f"inferred-{key}.nt" if folder else None
    if path is not None and path.is_file():
        try:  # pyoxigraph reads it back: literals keep the form they were written in
            quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
            convert = ToRdflib(check_literals(q.object for q in quads))
            for quad in quads:
                target.add(convert.triple(quad))
            return len(target), True
        except (OSError, SyntaxError, ValueError):  # a damaged cache entry is rebuilt, never trusted
            target.remove((None, None, None))
    count = infer_into(ds, target, reasoner)
    if path is not None and not any(isinstance(t, BNode) for triple in target for t in triple):
        keep_in_cache(path, lambda partial: ox.serialize(to_oxigraph_triples(target), output=str(partial),
                                                         format=ox.RdfFormat.N_TRIPLES))
    return count, False


def infer_into(ds: Dataset, target: Graph, reasoner: str = "auto") -> int:
    """Run OWL 2 RL over every named graph of ds and add the new, clean triples to target.

    reasoner: "owlrl", "reasonable" or "auto" (see choose_reasoner).
    Raises BuildError if the data is inconsistent.
    """
    triples = [t for g in ds.graphs() if g.identifier != target.identifier for t in g]
    if choose_reasoner(triples, reasoner) == "reasonable":
        new = _infer_reasonable(triples)
    else:
        union = Graph()
        for triple in triples:
            union.add(triple)
        del triples
        new = _infer_owlrl(union)
    for triple in new:
        target.add(triple)
    return len(new)


def _inconsistent(errors: list) -> BuildError:
    return BuildError(f"OWL 2 RL found {len(errors)} inconsistencies: {'; '.join(errors)}")


def _owlrl_errors(union: Graph) -> tuple:
    """Return owlrl's error nodes in union and the messages of its inconsistencies.

    Its dt-not-type messages are left out: see _OWLRL_LEXICAL_ERROR.
    """
    nodes = set(union.subjects(RDF.type, OWLRL_ERROR))
    messages = ("; ".join(str(o) for o in union.objects(e, _OWLRL_ERROR_TEXT)) or str(e) for e in nodes)
    return nodes, sorted(m for m in messages if not m.startswith(_OWLRL_LEXICAL_ERROR))


def _infer_owlrl(union: Graph) -> list:
    """Return the useful triples owlrl infers from union (which it extends)."""
    before = set(union)
    with quiet_rdflib():  # owlrl makes literals of its own from ill-typed ones
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                               datatype_axioms=False).expand(union)
    nodes, errors = _owlrl_errors(union)
    if errors:
        raise _inconsistent(errors)
    return [t for t in union if t not in before and t[0] not in nodes and is_useful_inference(t)]


def is_useful_inference(triple) -> bool:
    """Tell whether an inferred triple is kept: no noise, nothing other stores reject."""
    s, p, o = triple
    if isinstance(s, Literal):
        return False
    if p == OWL.sameAs and s == o:
        return False
    if isinstance(s, URIRef) and str(s).startswith(_BUILTIN_PREFIXES):
        return False  # axioms about rdf:type, owl:Thing, xsd:string ...
    if p == RDF.type and o in (OWL.Thing, RDFS.Resource, OWL.NamedIndividual):
        return False
    if p in (RDF.type, RDFS.subClassOf, OWL.equivalentClass, OWL.sameAs) and (
            isinstance(s, BNode) or isinstance(o, BNode)):
        return False  # OWL restriction nodes of the ontology restated
    if p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty) and s == o:
        return False
    if p == RDF.type and o in (RDFS.Datatype, XSD.string):
        return False
    return True


# ----------------------------------------------------------------------------------------
# reasonable, completed: where it gives what owlrl gives
# ----------------------------------------------------------------------------------------

#: The values of the reasoner argument.
REASONERS = ("auto", "owlrl", "reasonable")

#: The OWL and RDFS terms that data may use for "auto" to choose reasonable: with the
#: completion below, reasonable's useful inferences on data that uses no other term of these
#: namespaces were shown equal to owlrl's (tests/test_reasoning.py: the essay graph, the
#: synthetic graph, a fixture of each construct, an inconsistency of each kind). Terms outside
#: it (owl:hasKey, cardinalities, property chains, owl:oneOf, functional properties, datatype
#: definitions, ...) send "auto" to owlrl: reasonable lacks some of their rules.
REASONABLE_VOCABULARY = frozenset({
    # declarations and annotations, without OWL 2 RL rules of their own
    OWL.Ontology, OWL.imports, OWL.versionIRI, OWL.versionInfo, OWL.priorVersion,
    OWL.AnnotationProperty, OWL.NamedIndividual, OWL.Thing,
    RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy,
    # the shipped ontology's axioms
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.subClassOf, RDFS.subPropertyOf,
    RDFS.domain, RDFS.range, OWL.equivalentClass, OWL.inverseOf, OWL.SymmetricProperty,
    OWL.TransitiveProperty, OWL.Restriction, OWL.onProperty, OWL.hasValue,
    # more, each compared on a fixture
    RDFS.Class, OWL.equivalentProperty, OWL.sameAs,
    # constructs whose only OWL 2 RL rules detect inconsistencies: see _inconsistencies.
    # Not owl:AllDifferent and owl:AllDisjointProperties: owlrl 7.6 misses some of their
    # violations (it skips a list's last member), _inconsistencies does not, so the two differ.
    OWL.Nothing, OWL.disjointWith, OWL.AllDisjointClasses, OWL.members, OWL.complementOf,
    OWL.differentFrom, OWL.propertyDisjointWith, OWL.IrreflexiveProperty, OWL.AsymmetricProperty,
})
_VOCABULARY_NAMESPACES = (str(PREFIXES["owl"]), str(PREFIXES["rdfs"]))


def unverified_vocabulary(graph) -> set:
    """Return the OWL and RDFS terms graph uses that are not in REASONABLE_VOCABULARY."""
    found = set()
    for triple in graph:
        for term in triple:  # str.startswith: rdflib's URIRef.startswith takes no tuple
            if (type(term) is URIRef and str.startswith(term, _VOCABULARY_NAMESPACES)
                    and term not in REASONABLE_VOCABULARY):
                found.add(term)
    return found


def choose_reasoner(graph, requested: str = "auto") -> str:
    """Return the reasoner to run on graph: requested, or for "auto" reasonable where it holds.

    "auto" is reasonable when it is installed and graph uses no OWL or RDFS term outside
    REASONABLE_VOCABULARY; otherwise owlrl.
    """
    if requested not in REASONERS:
        raise ValueError(f"reasoner must be one of {', '.join(REASONERS)}, not {requested!r}")
    if requested != "auto":
        return requested
    if installed_version("reasonable") is None or unverified_vocabulary(graph):
        return "owlrl"
    return "reasonable"


#: reasonable is given an IRI in place of each literal (see _infer_reasonable).
_LITERAL_PROXY = "urn:eurasia-kg:reasonable-literal:"


#: Predicates of the schema-level (scm-*) and inconsistency rules: collected from the closure.
_RULE_PREDICATES = frozenset({
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass,
    OWL.equivalentProperty, OWL.disjointWith, OWL.complementOf, OWL.propertyDisjointWith,
    OWL.members, OWL.distinctMembers, OWL.sameAs, OWL.differentFrom, RDF.first, RDF.rest,
    OWL.onProperty, OWL.hasValue,
})
_RULE_TYPES = frozenset({
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property, OWL.AllDisjointClasses,
    OWL.AllDisjointProperties, OWL.AllDifferent, OWL.IrreflexiveProperty, OWL.AsymmetricProperty,
    OWL.Nothing,
})


def _infer_reasonable(triples: list) -> set:
    """Return the useful triples reasonable infers, completed with owlrl's scm-* rules.

    reasonable hands back every literal made anew by rdflib, which normalises it ("2006-08-23Z"
    loses its timezone): it reasons over an IRI in place of each literal instead, and the
    literals, as parsed, are put back in its answer. Its rules compare literals as terms then,
    as owlrl does.
    Raises BuildError where owlrl would report an inconsistency.
    """
    before = set(triples)
    proxies: dict = {}
    for _, _, o in triples:
        if isinstance(o, Literal) and o not in proxies:
            proxies[o] = URIRef(f"{_LITERAL_PROXY}{len(proxies)}")
    literals = {proxy: literal for literal, proxy in proxies.items()}
    r = reasonable.PyReasoner()
    r.from_graph([(s, p, proxies.get(o, o)) for s, p, o in triples])
    closure = [tuple(literals.get(t, t) for t in triple)
               for triple in r.reason()]  # every triple, asserted and inferred
    del r
    new, rules = set(), defaultdict(list)
    for triple in closure:
        s, p, o = triple
        if p in _RULE_PREDICATES or (p == RDF.type and o in _RULE_TYPES):
            rules[p if p != RDF.type else o].append(triple)
        if triple not in before and is_useful_inference(triple):
            new.add(triple)
    for triple in _schema_closure(rules):
        if triple not in before and is_useful_inference(triple):
            new.add(triple)
    errors = _inconsistencies(rules, closure)
    if errors:
        raise _inconsistent(errors)
    return new


def _transitive(edges: dict) -> dict:
    closed = {}
    for start in edges:
        seen, stack = set(), list(edges[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        closed[start] = seen
    return closed


def _schema_closure(rules: dict) -> set:
    """Return what owlrl's scm-cls, scm-sco, scm-spo, scm-eqc*, scm-eqp*, scm-dom*, scm-rng*
    and scm-hv rules derive from the schema triples of a closure (reasonable has none of
    them but subClassOf transitivity and scm-eqc).

    Only schema triples are derived: the instance triples they imply are already in the
    closure (cax-sco, prp-dom, prp-rng, prp-spo1 with subClassOf transitivity).
    """
    sub, subp = defaultdict(set), defaultdict(set)
    domains, ranges = defaultdict(set), defaultdict(set)
    for s, _, o in rules[RDFS.subClassOf]:
        sub[s].add(o)
    for s, _, o in rules[OWL.equivalentClass]:
        sub[s].add(o)
        sub[o].add(s)
    for s, _, o in rules[RDFS.subPropertyOf]:
        subp[s].add(o)
    for s, _, o in rules[OWL.equivalentProperty]:
        subp[s].add(o)
        subp[o].add(s)
    for s, _, o in rules[RDFS.domain]:
        domains[s].add(o)
    for s, _, o in rules[RDFS.range]:
        ranges[s].add(o)
    for c, _, _ in rules[OWL.Class]:  # scm-cls
        sub[c].add(OWL.Thing)
    superprops = _transitive(subp)
    # scm-hv: hasValue restrictions with one value, on a property and a super-property. owlrl
    # has p rdfs:subPropertyOf p only for declared properties (scm-op, scm-dp).
    declared = {p for t in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property) for p, _, _ in rules[t]}
    on_property = defaultdict(set)
    for c, _, p in rules[OWL.onProperty]:
        on_property[c].add(p)
    by_value = defaultdict(list)
    for c, _, value in rules[OWL.hasValue]:
        by_value[value].append(c)
    for restrictions in by_value.values():
        for c1 in restrictions:
            for c2 in restrictions:
                if any(p2 in superprops.get(p1, ()) or (p1 == p2 and p1 in declared)
                       for p1 in on_property[c1] for p2 in on_property[c2]):
                    sub[c1].add(c2)
    supers = _transitive(sub)
    out = set()
    for c, ds in supers.items():
        for d in ds:
            out.add((c, RDFS.subClassOf, d))
            if c in supers.get(d, ()) and c != d:
                out.add((c, OWL.equivalentClass, d))
    for p, qs in superprops.items():
        for q in qs:
            out.add((p, RDFS.subPropertyOf, q))
            if p in superprops.get(q, ()) and p != q:
                out.add((p, OWL.equivalentProperty, q))
    for axioms, predicate in ((domains, RDFS.domain), (ranges, RDFS.range)):
        for p in set(axioms) | {p for p, qs in superprops.items() if any(q in axioms for q in qs)}:
            classes = set(axioms.get(p, ()))
            for q in superprops.get(p, ()):
                classes |= axioms.get(q, set())
            for c in list(classes):
                classes |= supers.get(c, set())
            out.update((p, predicate, c) for c in classes)
    return out


def _rdf_list(rules: dict, head) -> list:
    first = {s: o for s, _, o in rules[RDF.first]}
    rest = {s: o for s, _, o in rules[RDF.rest]}
    items = []
    while head in first and len(items) <= len(first):
        items.append(first[head])
        head = rest.get(head, RDF.nil)
    return items


def _inconsistencies(rules: dict, closure) -> list:
    """Apply owlrl's inconsistency rules to a closure; return one message per violation.

    cax-dw, cax-adc, cls-com, cls-nothing2, eq-diff1-3, prp-irp, prp-asyp, prp-pdw, prp-adp:
    reasonable records none of them (it detects some, but reports nothing to Python).
    """
    disjoint = [(a, b, "Disjoint classes") for a, _, b in rules[OWL.disjointWith]]
    disjoint += [(a, b, "Complementary classes") for a, _, b in rules[OWL.complementOf]]
    for node, _, _ in rules[OWL.AllDisjointClasses]:
        for _, _, head in (t for t in rules[OWL.members] if t[0] == node):
            classes = _rdf_list(rules, head)
            disjoint += [(a, b, "Disjoint classes") for i, a in enumerate(classes) for b in classes[i + 1:]]
    pairs = [(a, b) for a, _, b in rules[OWL.propertyDisjointWith]]
    for node, _, _ in rules[OWL.AllDisjointProperties]:
        for _, _, head in (t for t in rules[OWL.members] if t[0] == node):
            props = _rdf_list(rules, head)
            pairs += [(a, b) for i, a in enumerate(props) for b in props[i + 1:]]
    different = {(a, b) for a, _, b in rules[OWL.differentFrom]}
    for node, _, _ in rules[OWL.AllDifferent]:
        for _, _, head in (t for t in rules[OWL.members] + rules[OWL.distinctMembers] if t[0] == node):
            items = _rdf_list(rules, head)
            different |= {(a, b) for i, a in enumerate(items) for b in items[i + 1:]}
    irreflexive = {p for p, _, _ in rules[OWL.IrreflexiveProperty]}
    asymmetric = {p for p, _, _ in rules[OWL.AsymmetricProperty]}

    errors = [f"{x} is of type owl:Nothing" for x, _, _ in rules[OWL.Nothing]]
    if different:  # owlrl has x owl:sameAs x for every x (eq-ref); reasonable has not
        same = set(rules[OWL.sameAs])
        errors += [f"'sameAs' and 'differentFrom' on the same pair: ({a}, {b})" for a, b in different
                   if a == b or (a, OWL.sameAs, b) in same or (b, OWL.sameAs, a) in same]
    classes = {c for a, b, _ in disjoint for c in (a, b)}
    properties = irreflexive | asymmetric | {p for pair in pairs for p in pair}
    if not (classes or properties):
        return errors
    members, uses = defaultdict(set), defaultdict(set)
    for s, p, o in closure:
        if p == RDF.type and o in classes:
            members[o].add(s)
        elif p in properties:
            uses[p].add((s, o))
    for a, b, kind in disjoint:
        errors += [f"{kind} {a} and {b} have a common individual {x}" for x in members[a] & members[b]]
    for p in irreflexive:
        errors += [f"Irreflexive property {p} used on {x}" for x, y in uses[p] if x == y]
    for p in asymmetric:
        errors += [f"Asymmetric property {p} used both ways on {x} and {y}"
                   for x, y in uses[p] if (y, x) in uses[p]]
    for a, b in pairs:
        errors += [f"Disjoint properties {a} and {b} both on {x} and {y}" for x, y in uses[a] & uses[b]]
    return errors
