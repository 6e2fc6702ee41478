"""Pages over a remote store: RemoteSource reads a publication (remote.publish) over HTTP,
one SPARQL query per triple pattern, memoised."""

from __future__ import annotations

import re
from collections import OrderedDict

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ...graph.terms import canonical_form, to_rdflib
from ...graph.validation import report_from_graph
from ..sources.base import STATS_QUERIES, Source
from ..sources.patterns import read_only_graph
from .client import RemoteStore
from .publish import META_GRAPH, read_publication
from .skolem import skolemize_term, unskolemize_iri

XSD_STRING = str(XSD.string)
RDF_LANG_STRING = str(RDF.langString)

#: What an IRI written as <...> in a query cannot hold.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def n3(term) -> str:
    """Write an rdflib term for a SPARQL query (blank nodes as their skolem IRIs)."""
    return skolemize_term(term).n3()


def from_json(binding: dict):
    """Convert a SPARQL JSON results term to rdflib (skolem IRIs back to blank nodes)."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return unskolemize_iri(value)
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
        self.url, self.auth, self.timeout = url, auth, timeout
        self.remote = RemoteStore(endpoints or url, auth=auth, timeout=timeout)
        self.meta = read_publication(self.remote, str(META_GRAPH))
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
        graph = Graph()
        for s, p, o in self._graph_over([META_GRAPH]).triples((None, None, None)):
            graph.add((s, p, o))
        return report_from_graph(graph)

    def stats(self) -> dict:
        graphs = [str(g) for g in self.named_graphs()]
        return self._memo(("stats",), lambda: {
            name: int(self.remote.select(text, default_graphs=graphs)[0]["n"]["value"])
            for name, text in STATS_QUERIES.items()})
