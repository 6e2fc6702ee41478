"""Build the eurasia-kg dataset: parse, reason (OWL 2 RL), keep inferred triples apart.

Two OWL 2 RL reasoners: owlrl (pure Python, the reference) and reasonable (Rust, with this
module's completion 10 to 15 times faster: tests/benchmarks/reasoning.py). reasonable
lacks most schema-level rules (scm-*), reports no inconsistency to Python and leaves out some
OWL 2 RL rules; here the scm-* and inconsistency rules are completed in Python, and "auto"
uses it only on data whose OWL and RDFS vocabulary lies within REASONABLE_VOCABULARY, where
the result was shown equal to owlrl's (tests/test_dataset.py). Anything else goes to owlrl.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.util import guess_format

from ..ontology import EKG, GRAPHS, PREFIXES, ontology_files

#: The named graphs of the dataset. The default graph is the union of all of them.
ESSAY_GRAPH = GRAPHS.essay
BACKGROUND_GRAPH = GRAPHS.background
ONTOLOGY_GRAPH = GRAPHS.ontology
INFERRED_GRAPH = GRAPHS.inferred
USER_GRAPH = GRAPHS.data
#: Binary shortcuts derived from the statements' propositions (derive_shortcuts).
DERIVED_GRAPH = GRAPHS.derived

#: owlrl marks an inconsistency with a node of this type instead of raising.
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
#: ... and gives the node its message with this property.
_OWLRL_ERROR_TEXT = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
#: Namespaces whose own terms owlrl restates axiomatically; those triples are noise here.
_BUILTIN_PREFIXES = tuple(str(PREFIXES[p]) for p in ("rdf", "rdfs", "owl", "xsd"))

BACKGROUND_FILE = "background.ttl"


class DataError(Exception):
    """An input file cannot be read or parsed; the message names the file and line."""


class BuildError(Exception):
    """Reasoning found an inconsistency (owlrl error node) or produced unclean triples."""


def shipped_files() -> list:
    """Return the essay's Turtle files shipped with the package (background excluded)."""
    here = files(__package__)
    return sorted(
        (f for f in here.iterdir() if f.name.endswith(".ttl") and f.name != BACKGROUND_FILE),
        key=lambda f: f.name,
    )


def background_file():
    """Return the Turtle file of background facts, which are not from the essay."""
    return files(__package__) / BACKGROUND_FILE


def parse_into(graph: Graph, source) -> Graph:
    """Parse one RDF file (any format rdflib reads, guessed from its suffix) into graph.

    Raises DataError naming the file and, where the parser reports one, the line.
    """
    name = str(source)
    fmt = guess_format(name) or "turtle"
    try:
        data = source.read_bytes() if hasattr(source, "read_bytes") else Path(source).read_bytes()
    except OSError as exc:
        raise DataError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    try:
        graph.parse(data=data, format=fmt, publicID=_public_id(name))
    except Exception as exc:  # rdflib raises many types; all mean "does not parse"
        raise DataError(f"{name}: {describe_parse_error(exc)}") from exc
    return graph


def _public_id(name: str) -> str:
    # Relative IRIs in user files resolve against a fixed, non-fetchable base.
    return "urn:eurasia-kg:file:" + Path(name).name


def describe_parse_error(exc: Exception) -> str:
    """Return a parser's error as "line N: message" where the line is known."""
    text, offset = getattr(exc, "_str", None), getattr(exc, "_i", None)
    if isinstance(text, bytes) and isinstance(offset, int):
        # rdflib's Turtle parser: its own line count is unreliable, the offset is exact, and
        # counts characters of the decoded text, not bytes.
        line = text.decode("utf-8", "replace").count("\n", 0, offset) + 1
        return f"line {line}: {getattr(exc, '_why', exc)}"
    line = getattr(exc, "lines", None)
    message = str(getattr(exc, "msg", None) or exc).strip()
    if line is not None and f"line {line}" not in message:
        return f"line {line}: {message}"
    return message


@dataclass
class BuiltDataset:
    """The dataset with its named graphs and figures about the build."""

    dataset: Dataset
    asserted_count: int
    inferred_count: int
    timings: dict = field(default_factory=dict)
    inference_cached: bool = False
    sources: list = field(default_factory=list)  #: the files it was built from, in order
    reasoner: str | None = None  #: "owlrl" or "reasonable"; None when not reasoned

    def graph(self, name: URIRef) -> Graph:
        """Return one named graph."""
        return self.dataset.graph(name)

    def view(self, which: str = "all") -> Graph:
        """Return a graph holding the asserted, the inferred or all triples (a copy)."""
        names = {
            "asserted": [g for g in self.named_graphs() if g != INFERRED_GRAPH],
            "inferred": [INFERRED_GRAPH],
            "all": self.named_graphs(),
        }[which]
        out = Graph()
        for prefix, ns in PREFIXES.items():
            out.bind(prefix, ns)
        for name in names:
            for triple in self.dataset.graph(name):
                out.add(triple)
        return out

    def as_dataset(self, which: str = "all") -> Dataset:
        """Return a copy holding the asserted, the inferred or all named graphs, as named graphs."""
        out = Dataset()
        for prefix, ns in PREFIXES.items():
            out.bind(prefix, ns)
        for name in self.named_graphs():
            if which == "all" or (which == "inferred") == (name == INFERRED_GRAPH):
                target = out.graph(name)
                for triple in self.dataset.graph(name):
                    target.add(triple)
        return out

    def named_graphs(self) -> list[URIRef]:
        """Return the names of the non-empty named graphs, in build order."""
        order = [ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, USER_GRAPH, DERIVED_GRAPH, INFERRED_GRAPH]
        others = sorted(g.identifier for g in self.dataset.graphs()
                        if isinstance(g.identifier, URIRef) and g.identifier not in order)
        return [g for g in order + others if len(self.dataset.graph(g))]


def _progress(message: str, verbose: bool) -> None:
    if verbose:
        print(message, file=sys.stderr, flush=True)


def build_dataset(data_files=None, *, graphs=(), with_shipped: bool | None = None,
                  reason: bool = True, reasoner: str = "auto", verbose: bool = False) -> BuiltDataset:
    """Load the ontology and the data, run OWL 2 RL, and return the dataset.

    data_files: RDF files to load into the user graph; None loads the shipped essay graph.
    graphs: already parsed graphs to add to the user graph.
    with_shipped: also load the shipped essay and background graphs (default: only when
    data_files is None).
    reasoner: "owlrl", "reasonable", or "auto" (reasonable where it was shown to give what
    owlrl gives, see choose_reasoner; else owlrl).
    """
    if reasoner not in REASONERS:
        raise ValueError(f"reasoner must be one of {', '.join(REASONERS)}, not {reasoner!r}")
    if with_shipped is None:
        with_shipped = data_files is None
    timings = {}
    started = time.perf_counter()
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for f in ontology_files():
        parse_into(ds.graph(ONTOLOGY_GRAPH), f)
    if with_shipped:
        for f in shipped_files():
            parse_into(ds.graph(ESSAY_GRAPH), f)
        parse_into(ds.graph(BACKGROUND_GRAPH), background_file())
    for f in data_files or []:
        parse_into(ds.graph(USER_GRAPH), f)
    for graph in graphs:
        target = ds.graph(USER_GRAPH)
        for triple in graph:
            target.add(triple)
    timings["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    shortcuts = derive_shortcuts(ds, ds.graph(DERIVED_GRAPH))
    timings["derive"] = time.perf_counter() - started
    asserted = sum(len(ds.graph(g)) for g in (ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, USER_GRAPH))
    _progress(f"parsed {asserted} triples in {timings['parse']:.2f} s; derived {shortcuts} shortcuts "
              f"from the statements' propositions", verbose)
    asserted += shortcuts

    sources = list(ontology_files()) + (shipped_files() + [background_file()] if with_shipped else [])
    sources += [Path(f) for f in data_files or []]
    inferred, cached, chosen = 0, False, None
    if reason:
        started = time.perf_counter()
        chosen = choose_reasoner(ds, reasoner)
        key = None if graphs else inference_key(sources, chosen)
        inferred, cached = infer_cached(ds, ds.graph(INFERRED_GRAPH), key, chosen)
        timings["reason"] = time.perf_counter() - started
        how = ("read from the cache of an identical earlier build" if cached
               else f"OWL 2 RL, {chosen}")
        _progress(f"inferred {inferred} triples ({how}) in {timings['reason']:.2f} s", verbose)
    return BuiltDataset(ds, asserted, inferred, timings, cached, sources, chosen)


#: The modalities whose statements give shortcuts: what the author himself puts forward as
#: fact or assessment. Not recommendations (what should be) nor others' words (reported speech).
SHORTCUT_MODALITIES = (EKG.ReportedFact, EKG.Assessment)
#: A statement with any of these qualifiers gives no shortcut: it is not a plain "s p o". It
#: holds under a condition, is wished or only possible, holds in a matter (China's and Russia's
#: stances coincide "in these matters"), or held only before an event.
_NO_SHORTCUT_QUALIFIERS = (EKG.condition, EKG.attitude, EKG.mode, EKG.regarding, EKG.before)


def derive_shortcuts(ds: Dataset, target: Graph) -> int:
    """Write the binary shortcut "s p o" of every statement that states it plainly into target.

    A statement of the essay graph or the user graph with ekg:predicate p gives "s p o" for
    each subject s (ekg:subject or a sub-property such as ekg:imposedBy) and each object o
    (ekg:object or a sub-property, or ekg:objectValue), s != o, when its modality is a
    reported fact or an assessment, it is not negated, and it has no condition, attitude,
    mode, matter (ekg:regarding) or end (ekg:before). The sub-properties are read from every
    asserted graph (the ontology's alignment of the n-ary roles). Returns the number of
    shortcuts.
    """
    schema = Graph()
    for name in (ONTOLOGY_GRAPH, USER_GRAPH, ESSAY_GRAPH):
        for triple in ds.graph(name).triples((None, RDFS.subPropertyOf, None)):
            schema.add(triple)
    subject_roles = set(schema.transitive_subjects(RDFS.subPropertyOf, EKG.subject))
    object_roles = set(schema.transitive_subjects(RDFS.subPropertyOf, EKG.object))
    for name in (ESSAY_GRAPH, USER_GRAPH):
        g = ds.graph(name)
        for statement, predicate in g.subject_objects(EKG.predicate):
            if not isinstance(predicate, URIRef) or not any(
                    (statement, EKG.modality, m) in g for m in SHORTCUT_MODALITIES):
                continue
            if any(str(v).strip() in ("true", "1") for v in g.objects(statement, EKG.negated)):
                continue
            if any((statement, q, None) in g for q in _NO_SHORTCUT_QUALIFIERS):
                continue
            subjects = {o for role in subject_roles for o in g.objects(statement, role)}
            objects = {o for role in object_roles for o in g.objects(statement, role)}
            objects.update(g.objects(statement, EKG.objectValue))
            for s in subjects:
                if isinstance(s, Literal):
                    continue
                for o in objects:
                    if s != o:
                        target.add((s, predicate, o))
    return len(target)


def cache_folder() -> Path | None:
    """Return the folder of cached inferences, or None when caching is switched off.

    EURASIA_KG_CACHE names the folder; set it to "off" to reason every time.
    """
    setting = os.environ.get("EURASIA_KG_CACHE")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "eurasia-kg"


def inference_key(sources, reasoner: str = "owlrl") -> str:
    """Return a key that changes whenever an input file, the reasoner or this code changes.

    reasoner: the reasoner that runs ("owlrl" or "reasonable"); its name and version, and
    owlrl's (whose datatype tables the reasonable path uses), are part of the key.
    """
    versions = f"{reasoner}; owlrl {reasoner_version('owlrl')}; reasonable {reasoner_version('reasonable')}"
    code = Path(__file__).read_bytes()  # is_useful_inference and friends
    return content_hash(sources, versions.encode(), code)


def content_hash(sources, *extra: bytes) -> str:
    """Return a SHA-256 over the names and bytes of files (and extra bytes), in order."""
    digest = hashlib.sha256()
    for part in extra:
        digest.update(hashlib.sha256(part).digest())
    for source in sources:
        digest.update(str(source).rsplit("/", 1)[-1].encode())
        data = source.read_bytes() if hasattr(source, "read_bytes") else Path(source).read_bytes()
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def infer_cached(ds: Dataset, target: Graph, key: str | None,
                 reasoner: str = "auto") -> tuple[int, bool]:
    """Infer into target, reusing the result of an identical earlier build when there is one.

    Returns (count, whether it came from the cache). Results holding blank nodes are never
    cached: a blank node read back would not be the ontology's.
    """
    folder = cache_folder() if key else None
    path = folder / f"inferred-{key}.nt" if folder else None
    if path is not None and path.is_file():
        try:
            target.parse(path, format="nt")
            return len(target), True
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            target.remove((None, None, None))
    count = infer_into(ds, target, reasoner)
    if path is not None and not any(isinstance(t, BNode) for triple in target for t in triple):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            target.serialize(partial, format="nt", encoding="utf-8")
            partial.replace(path)  # atomic: readers never see half a file
        except OSError:
            pass  # a read-only home only costs the next build its time
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


def _owlrl_errors(union: Graph) -> list:
    """Return owlrl's error messages in union, one per error node."""
    return sorted("; ".join(str(o) for o in union.objects(e, _OWLRL_ERROR_TEXT)) or str(e)
                  for e in union.subjects(RDF.type, OWLRL_ERROR))


def _infer_owlrl(union: Graph) -> list:
    """Return the useful triples owlrl infers from union (which it extends)."""
    import owlrl  # imported here: only building needs it

    before = set(union)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(union)
    errors = _owlrl_errors(union)
    if errors:
        raise _inconsistent(errors)
    return [t for t in union if t not in before and is_useful_inference(t)]


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
#: namespaces were shown equal to owlrl's (tests/test_dataset.py: the essay graph, the
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


def reasoner_version(name: str) -> str | None:
    """Return the installed version of a reasoner's distribution, or None if it is missing."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


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
    if reasoner_version("reasonable") is None or unverified_vocabulary(graph):
        return "owlrl"
    return "reasonable"


def _string_forms(triples) -> set:
    """Return the lexical forms of the literals written "..."^^xsd:string in triples."""
    return {str(o) for _, _, o in triples if type(o) is Literal and o.datatype == XSD.string}


def _as_parsed(term, typed_strings: set):
    # reasonable returns every plain literal typed xsd:string. RDF 1.1 makes the two one
    # term, rdflib keeps them apart: give a string the form it has in the input.
    if type(term) is Literal and term.datatype == XSD.string and str(term) not in typed_strings:
        return Literal(str(term))
    return term


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

    Raises BuildError where owlrl would report an inconsistency.
    """
    import reasonable  # imported here: only building needs it

    before = set(triples)
    errors = _ill_typed_literals(before)
    if errors:
        raise _inconsistent(errors)
    typed_strings = _string_forms(before)
    r = reasonable.PyReasoner()
    r.from_graph(triples)
    closure = r.reason()  # every triple, asserted and inferred, as new rdflib terms
    del r
    new, rules = set(), defaultdict(list)
    for s, p, o in closure:
        triple = (s, p, _as_parsed(o, typed_strings))
        if p in _RULE_PREDICATES or (p == RDF.type and o in _RULE_TYPES):
            rules[p if p != RDF.type else o].append(triple)
        if triple not in before and (s, p, o) not in before and is_useful_inference(triple):
            new.add(triple)
    for triple in _schema_closure(rules):
        if triple not in before and is_useful_inference(triple):
            new.add(triple)
    errors = _inconsistencies(rules, closure)
    if errors:
        raise _inconsistent(errors)
    return new


def _ill_typed_literals(triples) -> list:
    """Apply owlrl's dt-not-type rule: a literal whose lexical form its datatype rejects."""
    from owlrl.DatatypeHandling import AltXSDToPYTHON
    from owlrl.XsdDatatypes import OWL_RL_Datatypes

    errors, seen = [], set()
    for _, _, o in triples:
        if type(o) is Literal and o.datatype in OWL_RL_Datatypes and o not in seen:
            seen.add(o)
            convert = AltXSDToPYTHON.get(o.datatype)
            if convert is not None:
                try:
                    convert(str(o))
                except ValueError:
                    errors.append(f"Lexical value of the literal '{o}' does not match its "
                                  f"datatype ({o.datatype})")
    return errors


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
