"""Build the eurasia-kg dataset: parse, reason (OWL 2 RL), keep inferred triples apart."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.util import guess_format

from ..ontology import GRAPHS, PREFIXES, ontology_files

#: The named graphs of the dataset. The default graph is the union of all of them.
ESSAY_GRAPH = GRAPHS.essay
BACKGROUND_GRAPH = GRAPHS.background
ONTOLOGY_GRAPH = GRAPHS.ontology
INFERRED_GRAPH = GRAPHS.inferred
USER_GRAPH = GRAPHS.data

#: owlrl marks an inconsistency with a node of this type instead of raising.
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
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
        # rdflib's Turtle parser: its own line count is unreliable, the offset is exact.
        line = text.count(b"\n", 0, offset) + 1
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
        order = [ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, USER_GRAPH, INFERRED_GRAPH]
        others = sorted(g.identifier for g in self.dataset.graphs()
                        if isinstance(g.identifier, URIRef) and g.identifier not in order)
        return [g for g in order + others if len(self.dataset.graph(g))]


def _progress(message: str, verbose: bool) -> None:
    if verbose:
        print(message, file=sys.stderr, flush=True)


def build_dataset(data_files=None, *, graphs=(), with_shipped: bool | None = None,
                  reason: bool = True, verbose: bool = False) -> BuiltDataset:
    """Load the ontology and the data, run OWL 2 RL, and return the dataset.

    data_files: RDF files to load into the user graph; None loads the shipped essay graph.
    graphs: already parsed graphs to add to the user graph.
    with_shipped: also load the shipped essay and background graphs (default: only when
    data_files is None).
    """
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
    asserted = sum(len(ds.graph(g)) for g in (ONTOLOGY_GRAPH, ESSAY_GRAPH, BACKGROUND_GRAPH, USER_GRAPH))
    _progress(f"parsed {asserted} triples in {timings['parse']:.2f} s", verbose)

    sources = list(ontology_files()) + (shipped_files() + [background_file()] if with_shipped else [])
    sources += [Path(f) for f in data_files or []]
    inferred, cached = 0, False
    if reason:
        started = time.perf_counter()
        key = None if graphs else inference_key(sources)
        inferred, cached = infer_cached(ds, ds.graph(INFERRED_GRAPH), key)
        timings["reason"] = time.perf_counter() - started
        how = "read from the cache of an identical earlier build" if cached else "OWL 2 RL"
        _progress(f"inferred {inferred} triples ({how}) in {timings['reason']:.2f} s", verbose)
    return BuiltDataset(ds, asserted, inferred, timings, cached, sources)


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


def inference_key(sources) -> str:
    """Return a key that changes whenever an input file, the reasoner or this code changes."""
    import owlrl

    reasoner = f"owlrl {getattr(owlrl, '__version__', '?')}".encode()
    code = Path(__file__).read_bytes()  # is_useful_inference and friends
    return content_hash(sources, reasoner, code)


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


def infer_cached(ds: Dataset, target: Graph, key: str | None) -> tuple[int, bool]:
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
    count = infer_into(ds, target)
    if path is not None and not any(isinstance(t, BNode) for triple in target for t in triple):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            target.serialize(partial, format="nt", encoding="utf-8")
            partial.replace(path)  # atomic: readers never see half a file
        except OSError:
            pass  # a read-only home only costs the next build its time
    return count, False


def infer_into(ds: Dataset, target: Graph) -> int:
    """Run OWL 2 RL over every named graph of ds and add the new, clean triples to target.

    Raises BuildError if owlrl reports an inconsistency.
    """
    import owlrl  # imported here: only building needs it

    union = Graph()
    for g in ds.graphs():
        if g.identifier != target.identifier:
            for triple in g:
                union.add(triple)
    before = set(union)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(union)
    errors = list(union.subjects(RDF.type, OWLRL_ERROR))
    if errors:
        details = "; ".join(str(o) for e in errors for o in union.objects(e, RDFS.comment))
        raise BuildError(f"OWL 2 RL found {len(errors)} inconsistencies: {details or errors}")
    count = 0
    for triple in union:
        if triple not in before and is_useful_inference(triple):
            target.add(triple)
            count += 1
    return count


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
