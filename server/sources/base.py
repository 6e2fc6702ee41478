"""What every source of the served dataset gives the rest of the service.

The dataset version (ETags), triple counts per graph, read-only rdflib graphs for the pages
(views over the named graphs), the validation report, downloads, and how the query executors
reach the data (executor_source, opened by query.executor.open_store).
"""

from __future__ import annotations

import threading
from functools import cached_property

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from ...graph.dataset import DEFAULT_GRAPH, INFERRED_GRAPH
from ...ontology import PREFIXES

#: The counts VoID gives beside the triples, as queries (sources that hold no rdflib graph).
STATS_QUERIES = {
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c }",
}


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
        """What the query executor processes open (see query.executor.open_store)."""
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
