"""Where the served dataset lives: built in memory, a built store on disk, or a remote SPARQL store.

Each source gives the same things to the rest of the service: the dataset version (ETags),
triple counts per graph, read-only rdflib graphs for the pages (views over the named graphs),
the validation report, downloads, and how the query executors reach the data.

Pages read rdflib Graph objects. Over a built store or a remote store those graphs are thin:
an rdflib Store whose triples() asks pyoxigraph, or the remote store through SPARQL, for one
triple pattern at a time, so nothing is loaded at start-up whatever the dataset's size.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import threading
from collections import OrderedDict
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.store import Store

from ..graph.dataset import DEFAULT_GRAPH, INFERRED_GRAPH, BuiltDataset, graph_label
from ..graph.store import count_graphs
from ..graph.terms import canonical_form, to_oxigraph, to_rdflib
from ..ontology import EKGID, PREFIXES

XSD_STRING = str(XSD.string)
RDF_LANG_STRING = str(RDF.langString)
#: Blank nodes are published to remote stores as these IRIs (RDF 1.1 skolem IRIs) and read back
#: as blank nodes: a remote store cannot be asked about a blank node it returned.
GENID = "https://w3id.org/eurasia-kg/.well-known/genid/"
#: The graph a publication's manifest (version, graphs, counts, validation report) is kept in.
META_GRAPH = URIRef(str(EKGID) + "dataset/meta")


# ------------------------------------------------------------------------------ base

class Source:
    """The served dataset, wherever it lives."""

    kind = "embedded"
    version: str = ""
    build_seconds: float = 0.0
    #: The files as they are (serve --plain): their default graph is the default graph.
    plain: bool = False

    def __init__(self):
        self._views: dict = {}
        self._making: dict = {}  # {key: Lock} held while that one memo entry is made
        self._lock = threading.RLock()

    # What a source provides -------------------------------------------------------
    def named_graphs(self) -> list:
        """Return the dataset's named graphs (URIRefs), in build order."""
        raise NotImplementedError

    def triple_counts(self) -> dict:
        """Return {graph IRI (str): triple count} of the named graphs."""
        raise NotImplementedError

    def default_graph_count(self) -> int:
        """Return the triples of the files' own default graph (plain datasets only)."""
        return 0

    @property
    def union_default(self) -> bool:
        """Tell whether a query's default graph is the union of the named graphs (else the
        files' own default graph: plain datasets)."""
        return not self.plain

    def total_triples(self) -> int:
        """Return the triples of every graph, default graph included."""
        return sum(self.triple_counts().values()) + self.default_graph_count()

    def _graph_over(self, names: list) -> Graph:
        """Return a read-only rdflib graph over the union of the named graphs."""
        raise NotImplementedError

    @property
    def executor_source(self) -> dict:
        """What the query executor processes open (see engine.open_store)."""
        raise NotImplementedError

    def load_report(self):
        """Return the validation report of the served data (or None)."""
        return None

    # Shared --------------------------------------------------------------------------
    def view(self, which: str = "all") -> Graph:
        """Return a read-only graph of the asserted, the inferred or all triples."""
        default = [DEFAULT_GRAPH] if self.default_graph_count() else []
        names = {
            "asserted": default + [g for g in self.named_graphs() if g != INFERRED_GRAPH],
            "inferred": [g for g in self.named_graphs() if g == INFERRED_GRAPH],
            "all": default + self.named_graphs(),
        }[which]
        return self._memo(("view", which), lambda: self._graph_over(names))

    def graph(self, name: URIRef) -> Graph:
        """Return one named graph, read-only (empty when the dataset lacks it)."""
        return self._memo(("graph", name), lambda: self._graph_over(
            [name] if URIRef(name) in self.named_graphs() else []))

    def _memo(self, key, make):
        # Made outside self._lock: a download made over a remote store takes minutes, and
        # every page (and the remote store's pattern reads) takes that lock meanwhile.
        with self._lock:
            if key in self._views:
                return self._views[key]
            making = self._making.setdefault(key, threading.Lock())
        with making:
            with self._lock:
                if key in self._views:
                    return self._views[key]
            value = make()
            with self._lock:
                self._views[key] = value
            return value

    @cached_property
    def report(self):
        return self.load_report()

    def stats(self) -> dict:
        """Return counts VoID gives: classes and entities (typed subjects)."""
        return self._memo(("stats",), lambda: _stats(self.view("all")))

    def as_dataset(self) -> Dataset:
        """Return a copy of every named graph as an rdflib Dataset (for TriG and N-Quads)."""
        out = Dataset()
        for prefix, ns in PREFIXES.items():
            out.bind(prefix, ns)
        for name in self.named_graphs():
            target = out.graph(name)
            for triple in self.graph(name):
                target.add(triple)
        return out

    def dump(self, fmt) -> bytes:
        """Return the whole dataset in a download format (made once per source)."""
        def make():
            if fmt.kind == "dataset":
                return self.as_dataset().serialize(format=fmt.rdflib, encoding="utf-8")
            return self.view("all").serialize(format=fmt.rdflib, encoding="utf-8")
        return self._memo(("dump", fmt.name), make)

    def close(self) -> None:
        """Release what the source holds."""

    def after_fork(self) -> None:
        """Reopen what a forked worker process may not share with its parent."""


def _stats(graph: Graph) -> dict:
    classes, entities = set(), set()
    for s, _, o in graph.triples((None, RDF.type, None)):
        classes.add(o)
        entities.add(s)
    return {"classes": len(classes), "entities": len(entities)}


# ------------------------------------------------------------------------------ read-only graphs

class PatternStore(Store):
    """A read-only rdflib Store answering triple patterns with a function.

    match(s, p, o) takes rdflib terms or None and yields rdflib triples; count() gives the size.
    """

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, match, count):
        super().__init__()
        self._match, self._count = match, count
        self._prefixes, self._namespaces = {}, {}

    def triples(self, triple_pattern, context=None):
        s, p, o = triple_pattern
        if isinstance(s, Literal) or (p is not None and not isinstance(p, URIRef)):
            return  # no triple has a literal subject or a non-IRI predicate
        for triple in self._match(s, p, o):
            yield triple, iter(())

    def __len__(self, context=None) -> int:
        return self._count()

    def contexts(self, triple=None):
        return iter(())

    def add(self, triple, context=None, quoted=False):
        raise TypeError("the served dataset is read-only")

    def remove(self, triple, context=None):
        raise TypeError("the served dataset is read-only")

    def bind(self, prefix, namespace, override=True):
        namespace = URIRef(namespace)
        old = self._namespaces.pop(namespace, None)
        if old is not None:
            self._prefixes.pop(old, None)
        self._prefixes[prefix] = namespace
        self._namespaces[namespace] = prefix

    def namespace(self, prefix):
        return self._prefixes.get(prefix)

    def prefix(self, namespace):
        return self._namespaces.get(URIRef(namespace))

    def namespaces(self):
        yield from self._prefixes.items()


def read_only_graph(match, count) -> Graph:
    """Return an rdflib Graph over a pattern function, with the project's prefixes."""
    graph = Graph(store=PatternStore(match, count))
    for prefix, ns in PREFIXES.items():  # after rdflib's own defaults, as in memory
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


# ------------------------------------------------------------------------------ pyoxigraph terms

def to_ox(term):
    """Convert an rdflib term (or None) to pyoxigraph."""
    return None if term is None else to_oxigraph(term)


def from_ox(term):
    """Convert a pyoxigraph term to rdflib, the literal's lexical form as it is (xsd:string
    literals become plain literals)."""
    return to_rdflib(term)


def _graph_node(name):
    """Return the pyoxigraph graph name of a graph (DEFAULT_GRAPH: the default graph)."""
    return ox.DefaultGraph() if name is DEFAULT_GRAPH else to_oxigraph(name)


# ------------------------------------------------------------------------------ pyoxigraph

class OxigraphSource(Source):
    """A dataset held by pyoxigraph: pages read it pattern by pattern, as the executors do."""

    store = None

    def _counts(self) -> dict:
        return self.triple_counts()

    def _graph_over(self, names: list) -> Graph:
        nodes = [_graph_node(n) for n in names]
        counts = self._counts()
        total = sum(self.default_graph_count() if n is DEFAULT_GRAPH else counts.get(str(n), 0)
                    for n in names)

        def match(s, p, o):
            store = self.store  # at each call: after_fork may have reopened it
            try:
                pattern = (to_ox(s), to_ox(p), to_ox(o))
            except ValueError:  # not an IRI (a page asked for /id/a%20b): it has no triples
                return
            if len(nodes) == 1:
                for q in store.quads_for_pattern(*pattern, nodes[0]):
                    yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)
                return
            seen = set()
            for node in nodes:
                for q in store.quads_for_pattern(*pattern, node):
                    triple = (q.subject, q.predicate, q.object)
                    if triple not in seen:
                        seen.add(triple)
                        yield from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)

        return read_only_graph(match, lambda: total)

    def stats(self) -> dict:
        graphs = [to_ox(g) for g in self.named_graphs()]
        graphs += [ox.DefaultGraph()] if self.default_graph_count() else []
        return self._memo(("stats",), lambda: {
            name: int(next(iter(self.store.query(text, default_graph=graphs)))["n"].value)
            for name, text in STATS_QUERIES.items()})

    def dump(self, fmt) -> bytes:
        """Return the whole dataset in a download format, as the store holds it (made once)."""
        def make():
            rdf_format = getattr(ox.RdfFormat, fmt.oxigraph)
            prefixes = None if self.plain or rdf_format not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) \
                else {k: str(v) for k, v in PREFIXES.items()}
            quads = list(self.store)
            data = quads if fmt.kind == "dataset" else list(dict.fromkeys(q.triple for q in quads))
            return ox.serialize(data, format=rdf_format, prefixes=prefixes) or b""
        return self._memo(("dump", fmt.name), make)


class StoreSource(OxigraphSource):
    """A store built by `eurasia-kg build`, opened read-only; nothing is loaded at start-up."""

    kind = "store"

    def __init__(self, path: Path):
        super().__init__()
        from ..graph.store import hold, open_store

        # The link is resolved once: a later build switches the link, never this server's data,
        # and does not remove it while this server (any fork of it) runs.
        self.path = Path(path).resolve()
        self.manifest, self.store = open_store(self.path)
        self._held = hold(self.path)
        self.version = self.manifest.version
        self.build_seconds = self.manifest.data.get("seconds", {}).get("total", 0.0)
        self.plain = bool(self.manifest.data.get("plain"))

    def named_graphs(self) -> list:
        return [URIRef(g) for g in self.manifest.graphs]

    def triple_counts(self) -> dict:
        return dict(self.manifest.graphs)

    def default_graph_count(self) -> int:
        return int(self.manifest.data.get("default_graph", 0))

    @property
    def executor_source(self) -> dict:
        return {"store": str(self.path)}

    def after_fork(self) -> None:
        from ..graph.store import open_store

        self.manifest, self.store = open_store(self.path)

    def load_report(self):
        from ..graph.store import REPORT
        from ..graph.validation import report_from_graph

        path = self.path / REPORT
        if not path.is_file():
            return None
        graph = Graph().parse(path, format="turtle")
        return report_from_graph(graph)


# ------------------------------------------------------------------------------ embedded

class EmbeddedSource(OxigraphSource):
    """The dataset built in memory at start-up (the default), written as N-Quads for executors.

    Pages read it through pyoxigraph too, so that they show literals as the endpoint does
    (valid XSD literals in their canonical form, as the engine holds them) and as a built
    store or a remote store shows them. Downloads give the files' own lexical forms.
    """

    kind = "embedded"

    def __init__(self, built: BuiltDataset, report=None, version: str | None = None,
                 build_seconds: float = 0.0):
        super().__init__()
        self.built, self.build_seconds = built, build_seconds
        self.version = version or built.version
        self.plain = built.plain
        report = report if report is not None else built.report
        if report is not None:  # else validated on first request (serve without validation)
            self.__dict__["report"] = report
        folder = Path(tempfile.mkdtemp(prefix="eurasia-kg-"))
        # Only the process that made the folder removes it: gunicorn's workers inherit this
        # atexit handler, and a worker that exits must not take the executors' data.
        atexit.register(_remove_if_owner, folder, os.getpid())
        self.nquads = folder / "dataset.nq"
        ox.serialize(built.quads(), output=str(self.nquads), format=ox.RdfFormat.N_QUADS)
        self.store = ox.Store()
        self.store.bulk_load(path=str(self.nquads), format=ox.RdfFormat.N_QUADS)
        counts = count_graphs(self.store, built.keys())
        self._default_count = counts.pop(graph_label(DEFAULT_GRAPH), 0)
        self._triple_counts = counts

    def named_graphs(self) -> list:
        return self.built.named_graphs()

    def triple_counts(self) -> dict:
        return dict(self._triple_counts)

    def default_graph_count(self) -> int:
        return self._default_count

    def as_dataset(self) -> Dataset:
        return self.built.as_dataset()

    def dump(self, fmt) -> bytes:
        """Return the whole dataset as it was parsed (literals as the files write them)."""
        return self._memo(("dump", fmt.name), lambda: self.built.serialize(fmt.oxigraph))

    @property
    def executor_source(self) -> dict:
        return {"nquads": str(self.nquads)}

    def load_report(self):
        from ..graph.validation import validate_dataset

        return None if self.plain else validate_dataset(self.built)


def _remove_if_owner(folder: Path, owner: int) -> None:
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


STATS_QUERIES = {
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }",
}


# ------------------------------------------------------------------------------ remote store

#: What an IRI written as <...> in a query cannot hold.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def n3(term) -> str:
    """Write an rdflib term for a SPARQL query (blank nodes as their skolem IRIs)."""
    if isinstance(term, BNode):
        return f"<{GENID}{term}>"
    return term.n3()


def from_json(binding: dict):
    """Convert a SPARQL JSON results term to rdflib (skolem IRIs back to blank nodes)."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return BNode(value[len(GENID):]) if value.startswith(GENID) else URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if binding.get("xml:lang"):
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype and datatype not in (XSD_STRING, RDF_LANG_STRING):
        # As the embedded engine holds it: Virtuoso answers a stored "true"^^xsd:boolean as "1".
        return to_rdflib(ox.Literal(canonical_form(value, datatype), datatype=ox.NamedNode(datatype)))
    return Literal(value)


class RemoteSource(Source):
    """A dataset published with `eurasia-kg publish` to a SPARQL 1.1 store, read over HTTP."""

    kind = "remote"
    MEMO_PATTERNS = 200_000

    def __init__(self, url: str, *, auth=None, timeout: float = 30.0, endpoints=None):
        super().__init__()
        from .remote import RemoteStore

        self.url, self.auth, self.timeout = url, auth, timeout
        self.remote = RemoteStore(endpoints or url, auth=auth, timeout=timeout)
        self.meta = read_meta(self.remote)
        self.version = self.meta["version"]
        self._patterns: OrderedDict = OrderedDict()

    def named_graphs(self) -> list:
        return [URIRef(g) for g in self.meta["graphs"]]

    def triple_counts(self) -> dict:
        return dict(self.meta["graphs"])

    def _graph_over(self, names: list) -> Graph:
        graphs = tuple(str(n) for n in names)
        total = sum(self.meta["graphs"].get(g, 0) for g in graphs)

        def match(s, p, o):
            if not graphs or any(isinstance(t, URIRef) and _NOT_IN_IRI.search(t) for t in (s, p, o)):
                return iter(())  # no graph, or not an IRI (a page asked for /id/a%20b)
            key = (graphs, s, p, o)
            with self._lock:
                found = self._patterns.get(key)
                if found is not None:
                    self._patterns.move_to_end(key)
                    return iter(found)
            terms = [n3(t) if t is not None else v for t, v in zip((s, p, o), ("?s", "?p", "?o"))]
            variables = [v for t, v in zip((s, p, o), ("s", "p", "o")) if t is None]
            head = " ".join(f"?{v}" for v in variables) if variables else "*"
            if variables:
                text = f"SELECT DISTINCT {head} WHERE {{ {' '.join(terms)} }}"
                rows = self.remote.select(text, default_graphs=graphs)
            else:
                text = f"ASK {{ {' '.join(terms)} }}"
                rows = [{}] if self.remote.ask(text, default_graphs=graphs) else []
            found = []
            for row in rows:
                values = {k: from_json(v) for k, v in row.items()}
                found.append(tuple(t if t is not None else values[v]
                                   for t, v in zip((s, p, o), ("s", "p", "o"))))
            with self._lock:
                self._patterns[key] = found
                while len(self._patterns) > self.MEMO_PATTERNS:
                    self._patterns.popitem(last=False)
            return iter(found)

        return read_only_graph(match, lambda: total)

    @property
    def executor_source(self) -> dict:
        return {"remote": self.url, "auth": list(self.auth) if self.auth else None,
                "graphs": [str(g) for g in self.named_graphs()],
                "endpoints": self.remote.endpoints.__dict__ if hasattr(self.remote, "endpoints") else None}

    def load_report(self):
        from ..graph.validation import report_from_graph

        graph = Graph()
        for s, p, o in self._graph_over([META_GRAPH]).triples((None, None, None)):
            graph.add((s, p, o))
        return report_from_graph(graph)

    def stats(self) -> dict:
        graphs = [str(g) for g in self.named_graphs()]
        return self._memo(("stats",), lambda: {
            name: int(self.remote.select(text, default_graphs=graphs)[0]["n"]["value"])
            for name, text in STATS_QUERIES.items()})


def read_meta(remote) -> dict:
    """Read what `eurasia-kg publish` wrote: version and {graph: count}; raise if absent."""
    from .publication import read_publication

    return read_publication(remote, str(META_GRAPH))
