"""Build the eurasia-kg dataset: parse, derive, reason (OWL 2 RL), validate; inferences kept apart.

build_dataset is the one build: `serve` (in memory), `build` (a store on disk), `export`,
`stats`, `validate` and `query` all call it, so the same options give the same dataset.

Every file is parsed by pyoxigraph (graph/parsing.py), and what is served for the asserted
graphs is that parse, literal for literal; reasoning, the shortcuts and SHACL run on rdflib
copies made without normalising (graph/terms.py), and what they add is added as new triples.

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

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..ontology import EKG, GRAPHS, PREFIXES, ontology_files
from ..shapes import shapes_file
from .parsing import DataError, file_iri, parse_file, parse_into
from .terms import ToRdflib, check_literals, ill_typed, quiet_rdflib, to_oxigraph
from .validation import validate_dataset

#: DataError and parse_into come from .parsing; callers have long imported them from here.
__all__ = ["DataError", "parse_into", "build_dataset", "BuiltDataset"]

#: The named graphs of the dataset. The default graph is the union of all of them.
ESSAY_GRAPH = GRAPHS.essay
BACKGROUND_GRAPH = GRAPHS.background
ONTOLOGY_GRAPH = GRAPHS.ontology
INFERRED_GRAPH = GRAPHS.inferred
USER_GRAPH = GRAPHS.data
#: Binary shortcuts derived from the statements' propositions (derive_shortcuts).
DERIVED_GRAPH = GRAPHS.derived
#: The key of the files' own default graph, which only a plain dataset has.
DEFAULT_GRAPH = None
_ORDER = (ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, USER_GRAPH, DERIVED_GRAPH)

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

BACKGROUND_FILE = "background.ttl"


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


def _graph_key(name) -> object:
    """Return the key of a pyoxigraph graph name: None, a URIRef or a BNode."""
    if isinstance(name, ox.DefaultGraph):
        return DEFAULT_GRAPH
    if isinstance(name, ox.BlankNode):
        return BNode(name.value)
    return URIRef(name.value)


def _graph_node(key):
    """Return the pyoxigraph graph name of a key (the inverse of _graph_key)."""
    return ox.DefaultGraph() if key is DEFAULT_GRAPH else to_oxigraph(key)


def graph_label(key) -> str:
    """Return how a graph is named in counts and manifests: its IRI, _:label, or "" (default)."""
    if key is DEFAULT_GRAPH:
        return ""
    return f"_:{key}" if isinstance(key, BNode) else str(key)


def graph_from_label(label: str):
    """Return the key a graph_label names."""
    if not label:
        return DEFAULT_GRAPH
    return BNode(label[2:]) if label.startswith("_:") else URIRef(label)


@dataclass
class BuiltDataset:
    """The dataset as served, with its rdflib copy (for reasoning, SHACL, pages) and its figures.

    parts holds, per graph, the quads that are served: pyoxigraph's parse of the files (every
    lexical form as written) and the triples the build added (shortcuts, inferences).
    """

    parts: dict  #: {graph key: {pyoxigraph Quad: None}} in build order
    asserted_count: int
    inferred_count: int
    timings: dict = field(default_factory=dict)
    inference_cached: bool = False
    sources: list = field(default_factory=list)  #: the files it was built from, in order
    reasoner: str | None = None  #: "owlrl" or "reasonable"; None when not reasoned
    plain: bool = False  #: the files as they are: no ontology, no reasoning, no shapes
    named_files: dict = field(default_factory=dict)  #: {graph IRI: file} of --graph
    warnings: list = field(default_factory=list)  #: ill-typed literals, one line each
    report: object = None  #: the SHACL validation report (graph.validation), when validated
    version: str = ""  #: a hash of every input file and of the options that change the data
    _dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        """The rdflib copy of every graph (default graph = union of all)."""
        if self._dataset is None:
            self._dataset = _rdflib_dataset(self.parts)
        return self._dataset

    def graph(self, name) -> Graph:
        """Return one graph of the rdflib copy (None: the files' default graph)."""
        if name is DEFAULT_GRAPH:
            return self.dataset.graph(DATASET_DEFAULT_GRAPH_ID)
        return self.dataset.graph(name)

    def keys(self, which: str = "all") -> list:
        """Return the graphs of the asserted, the inferred or all triples, in build order."""
        present = [k for k, quads in self.parts.items() if quads]
        return {"asserted": [k for k in present if k != INFERRED_GRAPH],
                "inferred": [k for k in present if k == INFERRED_GRAPH],
                "all": present}[which]

    def view(self, which: str = "all") -> Graph:
        """Return a graph holding the asserted, the inferred or all triples (a copy)."""
        out = _bound(Graph())
        for key in self.keys(which):
            for triple in self.graph(key):
                out.add(triple)
        return out

    def as_dataset(self, which: str = "all") -> Dataset:
        """Return a copy holding the asserted, the inferred or all graphs, as named graphs."""
        out = _bound(Dataset())
        for key in self.keys(which):
            target = out.graph(DATASET_DEFAULT_GRAPH_ID if key is DEFAULT_GRAPH else key)
            for triple in self.graph(key):
                target.add(triple)
        return out

    def count(self, key) -> int:
        """Return the number of triples of one graph (None: the files' default graph), as parsed."""
        return len(self.parts.get(key, ()))

    def named_graphs(self) -> list:
        """Return the names of the non-empty named graphs, in build order."""
        return [k for k in self.keys() if k is not DEFAULT_GRAPH]

    def quads(self, which: str = "all") -> list:
        """Return the served quads of the asserted, the inferred or all graphs (pyoxigraph)."""
        return [q for key in self.keys(which) for q in self.parts[key]]

    def triples(self, which: str = "all") -> list:
        """Return the distinct triples of the asserted, the inferred or all graphs (pyoxigraph)."""
        return list(dict.fromkeys(q.triple for q in self.quads(which)))

    def serialize(self, fmt: str, which: str = "all") -> bytes:
        """Write the asserted, inferred or all triples with pyoxigraph, as parsed.

        fmt: an attribute of pyoxigraph.RdfFormat; TRIG and N_QUADS keep the graphs, the
        others (JSON-LD too) write the union of their triples.
        """
        rdf_format = getattr(ox.RdfFormat, fmt)
        prefixes = None if self.plain else {k: str(v) for k, v in PREFIXES.items()}
        if rdf_format in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            data = self.quads(which)
        else:
            data = self.triples(which)
        if rdf_format not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            prefixes = None
        return ox.serialize(data, format=rdf_format, prefixes=prefixes) or b""


def _bound(graph):
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def _rdflib_dataset(parts: dict, convert: ToRdflib | None = None) -> Dataset:
    """Return an rdflib Dataset of the parts, literals as parsed."""
    if convert is None:
        convert = ToRdflib(check_literals(q.object for quads in parts.values() for q in quads))
    ds = _bound(Dataset(default_union=True))
    for key, quads in parts.items():
        target = ds.graph(DATASET_DEFAULT_GRAPH_ID if key is DEFAULT_GRAPH else key)
        for quad in quads:
            target.add(convert.triple(quad))
    return ds


def _progress(message: str, verbose: bool) -> None:
    if verbose:
        print(message, file=sys.stderr, flush=True)


def _add(parts: dict, key, quads) -> None:
    """Add quads (of any graph) to the graph key."""
    node = _graph_node(key)
    target = parts.setdefault(key, {})
    for q in quads:
        target[ox.Quad(q.subject, q.predicate, q.object, node)] = None


def _placed(quad, default_key) -> tuple:
    """Return (graph key, quad) for a parsed quad: the file's default graph goes to default_key."""
    if not isinstance(quad.graph_name, ox.DefaultGraph):
        return _graph_key(quad.graph_name), quad
    if default_key is DEFAULT_GRAPH:
        return DEFAULT_GRAPH, quad
    return default_key, ox.Quad(quad.subject, quad.predicate, quad.object, _graph_node(default_key))


def _add_file(parts: dict, quads: list, default_key) -> None:
    """Add a file's quads: its default graph to default_key, its named graphs as they are."""
    for quad in quads:
        key, quad = _placed(quad, default_key)
        parts.setdefault(key, {})[quad] = None


def _ox_triples(graph) -> list:
    """Return the triples of an rdflib graph as pyoxigraph Triples, lexical forms as they are."""
    return [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph]


def _ill_typed_warnings(parsed: list) -> list:
    """Return one warning per ill-typed literal, naming the file: [(file, quads), ...]."""
    lines = []
    for name, quads in parsed:
        for literal in ill_typed(q.object for q in quads):
            datatype = literal.datatype.value
            short = "xsd:" + datatype.rsplit("#", 1)[-1] if datatype.startswith(str(XSD)) else f"<{datatype}>"
            lines.append(f"{name}: ill-typed literal {literal}: its text is not a valid {short} "
                         "(kept as written; queries that read its value skip it)")
    return lines


def build_dataset(data_files=None, *, named_graph_files=None, graphs=(), with_shipped: bool | None = None,
                  plain: bool = False, base: str | None = None, reason: bool = True,
                  reasoner: str = "auto", validate: bool = False, verbose: bool = False) -> BuiltDataset:
    """Parse the files, derive the shortcuts, reason (OWL 2 RL), validate; return the dataset.

    data_files: RDF files of data (any format pyoxigraph reads): their triples go to the data
    graph (plain: the default graph), the named graphs of TriG and N-Quads files stay named.
    named_graph_files: {graph IRI: file}, each loaded into its named graph as it is: not
    reasoned over (it is validated with the rest). graphs: rdflib graphs added to the data graph.
    with_shipped: also the shipped essay and background graphs (default: only when no data,
    named graph file or graph is given).
    plain: serve the files as they are: no ontology, shortcuts, reasoning or shapes.
    base: the IRI relative IRIs of the data and named graph files resolve against (default:
    each file's own file: IRI).
    reasoner: "owlrl", "reasonable", or "auto" (reasonable where it was shown to give what
    owlrl gives, see choose_reasoner; else owlrl).
    validate: run the shapes over the asserted graphs (plain: never); the report is kept on
    the result, which the caller judges.
    Ill-typed literals are kept, reported in warnings (and on stderr) and are never fatal.
    Raises DataError (a file cannot be read or parsed) and BuildError (inconsistent).
    """
    if reasoner not in REASONERS:
        raise ValueError(f"reasoner must be one of {', '.join(REASONERS)}, not {reasoner!r}")
    named_files = {URIRef(iri): Path(f) for iri, f in (named_graph_files or {}).items()}
    data_files = [Path(f) for f in data_files or []]
    if with_shipped is None:
        with_shipped = not plain and not data_files and not named_files and not graphs
    if plain and with_shipped:
        raise ValueError("a plain dataset holds only the given files, not the shipped essay graph")
    timings = {}
    started = time.perf_counter()
    parts: dict = {}
    parsed = []  # (file, quads) for the warnings
    if not plain:
        for key in _ORDER:
            parts[key] = {}
        shipped = [(ONTOLOGY_GRAPH, f) for f in ontology_files()]
        if with_shipped:
            shipped += [(ESSAY_GRAPH, f) for f in shipped_files()]
            shipped += [(BACKGROUND_GRAPH, background_file())]
        for key, f in shipped:
            quads = parse_file(f)
            parsed.append((f, quads))
            _add(parts, key, quads)
    for f in data_files:
        quads = parse_file(f, base)
        parsed.append((f, quads))
        _add_file(parts, quads, DEFAULT_GRAPH if plain else USER_GRAPH)
    for graph in graphs:
        _add(parts, USER_GRAPH, _ox_triples(graph))
    named_quads = []
    for iri, f in named_files.items():
        quads = parse_file(f, base)
        parsed.append((f, quads))
        named_quads.append((iri, quads))
    warnings = _ill_typed_warnings(parsed)
    for line in warnings:
        print(f"eurasia-kg: warning: {line}", file=sys.stderr, flush=True)
    sources = [f for f, _ in parsed[:len(parsed) - len(named_files)]]
    if plain:
        for iri, quads in named_quads:
            _add_file(parts, quads, iri)
        timings["parse"] = time.perf_counter() - started
        built = BuiltDataset(parts, 0, 0, timings, sources=sources, plain=True,
                             named_files=named_files, warnings=warnings)
        built.asserted_count = sum(built.count(k) for k in built.keys("asserted"))
        _progress(f"parsed {sum(len(q) for q in parts.values())} quads in {timings['parse']:.2f} s "
                  "(plain: no ontology, reasoning or shapes)", verbose)
        built.version = _version(built, data_files, base)
        return built

    convert = ToRdflib(check_literals([q.object for quads in parts.values() for q in quads]
                                      + [q.object for _, quads in named_quads for q in quads]))
    ds = _rdflib_dataset(parts, convert)
    timings["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    shortcuts = derive_shortcuts(ds, ds.graph(DERIVED_GRAPH))
    _add(parts, DERIVED_GRAPH, _ox_triples(ds.graph(DERIVED_GRAPH)))
    timings["derive"] = time.perf_counter() - started
    asserted = sum(len(quads) for quads in parts.values())
    _progress(f"parsed {asserted - shortcuts} triples in {timings['parse']:.2f} s; derived {shortcuts} "
              "shortcuts from the statements' propositions", verbose)

    inferred, cached, chosen = 0, False, None
    if reason:
        started = time.perf_counter()
        chosen = choose_reasoner(ds, reasoner)
        key = None if graphs else inference_key(sources, chosen, [base or file_iri(f) for f in data_files])
        target = ds.graph(INFERRED_GRAPH)
        inferred, cached = infer_cached(ds, target, key, chosen)
        _add(parts, INFERRED_GRAPH, _ox_triples(target))
        timings["reason"] = time.perf_counter() - started
        how = ("read from the cache of an identical earlier build" if cached
               else f"OWL 2 RL, {chosen}")
        _progress(f"inferred {inferred} triples ({how}) in {timings['reason']:.2f} s", verbose)
    # Named graph files come last: loaded as they are, never reasoned over.
    for iri, quads in named_quads:
        for quad in quads:
            key, quad = _placed(quad, iri)
            parts.setdefault(key, {})[quad] = None
            ds.graph(key).add(convert.triple(quad))
    if INFERRED_GRAPH in parts:  # the inferred graph stays last
        parts[INFERRED_GRAPH] = parts.pop(INFERRED_GRAPH)
    built = BuiltDataset(parts, asserted, inferred, timings, cached, sources, chosen,
                         named_files=named_files, warnings=warnings, _dataset=ds)
    built.asserted_count = sum(built.count(k) for k in built.keys("asserted"))
    if validate:
        started = time.perf_counter()
        built.report = validate_dataset(built)
        timings["validate"] = time.perf_counter() - started
        _progress(f"validated in {timings['validate']:.2f} s: "
                  f"{'conforms' if built.report.conforms else f'{len(built.report.violations)} result(s)'}",
                  verbose)
    built.version = _version(built, data_files, base)
    return built


def _version(built: BuiltDataset, data_files: list, base: str | None) -> str:
    """Return the dataset version: a hash of every input file (data, ontology, shapes) and of
    what else changes what is served: plain, the graphs' names, the user files' bases."""
    files_read = list(built.sources) + ([] if built.plain else [shapes_file()])
    files_read += list(built.named_files.values())
    options = [b"plain"] if built.plain else []
    options += [f"graph {iri}".encode() for iri in built.named_files]
    options += [f"base {base or file_iri(f)}".encode() for f in [*data_files, *built.named_files.values()]]
    return content_hash(files_read, *options)[:16]


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


def inference_key(sources, reasoner: str = "owlrl", bases=()) -> str:
    """Return a key that changes whenever an input file, the reasoner or this code changes.

    reasoner: the reasoner that runs ("owlrl" or "reasonable"); its name and version, and
    owlrl's (whose datatype tables the reasonable path uses), are part of the key.
    bases: the IRIs the data files' relative IRIs resolve against (a file moved, or read with
    another --base, says other things).
    """
    versions = f"{reasoner}; owlrl {reasoner_version('owlrl')}; reasonable {reasoner_version('reasonable')}"
    code = Path(__file__).read_bytes()  # is_useful_inference and friends
    terms = (Path(__file__).parent / "terms.py").read_bytes()  # how literals cross to rdflib
    return content_hash(sources, versions.encode(), code, terms, *(b.encode() for b in bases))


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
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            ox.serialize(_ox_triples(target), output=str(partial), format=ox.RdfFormat.N_TRIPLES)
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


def _owlrl_errors(union: Graph) -> tuple:
    """Return owlrl's error nodes in union and the messages of its inconsistencies.

    Its dt-not-type messages are left out: see _OWLRL_LEXICAL_ERROR.
    """
    nodes = set(union.subjects(RDF.type, OWLRL_ERROR))
    messages = ("; ".join(str(o) for o in union.objects(e, _OWLRL_ERROR_TEXT)) or str(e) for e in nodes)
    return nodes, sorted(m for m in messages if not m.startswith(_OWLRL_LEXICAL_ERROR))


def _infer_owlrl(union: Graph) -> list:
    """Return the useful triples owlrl infers from union (which it extends)."""
    import owlrl  # imported here: only building needs it

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
    import reasonable  # imported here: only building needs it

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
