"""Sources held by pyoxigraph: the dataset built in memory at start-up (EmbeddedSource, the
default) and a store built by `eurasia-kg build` (StoreSource). Pages read them pattern by
pattern (sources.patterns), as the executors do.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from ...graph.dataset import DEFAULT_GRAPH, BuiltDataset, graph_label
from ...graph.store import REPORT, count_graphs, hold, open_store
from ...graph.terms import to_oxigraph, to_rdflib
from ...graph.validation import report_from_graph, validate_dataset
from ...ontology import PREFIXES
from .. import formats
from .base import STATS_QUERIES, Source
from .patterns import read_only_graph


#: how many distinct terms a process keeps converted for pages (pyoxigraph to rdflib)
TERMS_KEPT = 50_000

#: to_rdflib, remembered: a page reads the same few hundred terms many times over
_to_rdflib = lru_cache(maxsize=TERMS_KEPT)(to_rdflib)


def to_ox(term):
    """Convert an rdflib term (or None) to pyoxigraph."""
    return None if term is None else to_oxigraph(term)


def _graph_node(name):
    """Return the pyoxigraph graph name of a graph (DEFAULT_GRAPH: the default graph)."""
    return ox.DefaultGraph() if name is DEFAULT_GRAPH else to_oxigraph(name)


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
        # A view of every graph that holds triples asks the store once per pattern, not once
        # per graph.
        held = {str(g) for g, n in counts.items() if n} | ({DEFAULT_GRAPH} if self.default_graph_count() else set())
        wanted = {n if n is DEFAULT_GRAPH else str(n) for n in names}
        if len(nodes) > 1 and held <= wanted:
            nodes = [None]
        rdf = _to_rdflib

        def match(s, p, o):
            store = self.store  # at each call: after_fork may have reopened it
            try:
                pattern = (to_ox(s), to_ox(p), to_ox(o))
            except ValueError:  # not an IRI (a page asked for /id/a%20b): it has no triples
                return
            if len(nodes) == 1 and nodes[0] is not None:
                for q in store.quads_for_pattern(*pattern, nodes[0]):
                    yield rdf(q.subject), rdf(q.predicate), rdf(q.object)
                return
            seen = set()
            for node in nodes:
                for q in store.quads_for_pattern(*pattern, node):
                    triple = (q.subject, q.predicate, q.object)
                    if triple not in seen:
                        seen.add(triple)
                        yield rdf(q.subject), rdf(q.predicate), rdf(q.object)

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
            rdf_format = formats.rdf_format(fmt)
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
        self.manifest, self.store = open_store(self.path)

    def load_report(self):
        path = self.path / REPORT
        if not path.is_file():
            return None
        graph = Graph().parse(path, format="turtle")
        return report_from_graph(graph)


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
        return None if self.plain else validate_dataset(self.built)


def _remove_if_owner(folder: Path, owner: int) -> None:
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)
