"""Read-only rdflib graphs that answer one triple pattern at a time.

Pages read rdflib Graph objects. Over a pyoxigraph store or a remote store those graphs are
thin: an rdflib Store whose triples() asks the store for one pattern at a time, so nothing is
loaded at start-up whatever the dataset's size.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.store import Store

from ...ontology import PREFIXES


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
