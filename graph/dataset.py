"""Build the eurasia-kg dataset: parse, derive, reason (OWL 2 RL), validate; inferences kept apart.

build_dataset is the one build: `serve` (in memory), `build` (a store on disk), `export`,
`stats`, `validate` and `query` all call it, so the same options give the same dataset.

Every file is parsed by pyoxigraph (graph/parsing.py), and what is served for the asserted
graphs is that parse, literal for literal; reasoning, the shortcuts and SHACL run on rdflib
copies made without normalising (graph/terms.py), and what they add is added as new triples.

OWL 2 RL runs in graph/reasoning.py (owlrl or reasonable, and the cache of inferences): this
module decides what it reasons over (the asserted graphs and the shortcuts, not the named graph
files) and keeps what it infers in the inferred graph.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDFS, XSD

from ..ontology import EKG, GRAPHS, PREFIXES, ontology_files
from ..shapes import shapes_file
from .cache import versions_key
from .parsing import DataError, content_hash, file_iri, parse_file, parse_into
from .reasoning import REASONERS, BuildError, choose_reasoner, infer_cached, inference_key
from .terms import ToRdflib, check_literals, ill_typed, to_oxigraph, to_oxigraph_triples
from .validation import validate_cached

#: DataError and parse_into come from .parsing, BuildError from .reasoning: build_dataset raises
#: DataError and BuildError, and callers import them from here.
__all__ = ["BuildError", "DataError", "parse_into", "build_dataset", "BuiltDataset"]

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

BACKGROUND_FILE = "background.ttl"


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
    validation_cached: bool = False  #: the conforming report of an identical build was reused

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
        _add(parts, USER_GRAPH, to_oxigraph_triples(graph))
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
    _add(parts, DERIVED_GRAPH, to_oxigraph_triples(ds.graph(DERIVED_GRAPH)))
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
        _add(parts, INFERRED_GRAPH, to_oxigraph_triples(target))
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
    built.version = _version(built, data_files, base)
    if validate:
        started = time.perf_counter()
        key = None if graphs else _validation_key(built.version)
        built.report, built.validation_cached = validate_cached(built, key)
        timings["validate"] = time.perf_counter() - started
        how = " (the report of an identical earlier build)" if built.validation_cached else ""
        _progress(f"validated in {timings['validate']:.2f} s{how}: "
                  f"{'conforms' if built.report.conforms else f'{len(built.report.violations)} result(s)'}",
                  verbose)
    return built


def _validation_key(version: str) -> str:
    """Return the key of a conforming report: the dataset version (its files and options),
    the versions of pySHACL and of the parsers, and the code that builds and validates the
    dataset."""
    here = Path(__file__).parent
    code = [(here / name).read_bytes() for name in ("dataset.py", "validation.py", "parsing.py", "terms.py")]
    return content_hash([], version.encode(), versions_key("pyshacl", "rdflib", "pyoxigraph"), *code)


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
