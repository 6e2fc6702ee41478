"""The executor's side of `serve --remote`: queries answered by a remote SPARQL store.

The query is checked and confined here (remote.rewrite) and sent to the store; the answer comes
back as pyoxigraph results, blank nodes restored (remote.skolem), so that the writers are the
embedded endpoint's.
"""

from __future__ import annotations

import re
import sys

import pyoxigraph as ox

from .. import formats
from ..query.guard import analyse, check
from ..query.messages import QueryRefused
from .client import Endpoints, RemoteError, RemoteStore
from .rewrite import EMPTY_GRAPH, confine_graph_names, query_dataset, refuse_functions, strip_dataset_clauses
from .skolem import unskolemize_json, unskolemize_ntriples


class RemoteQueryStore:
    """Answer queries from a remote SPARQL store, with the endpoint's protections in front.

    The query is parsed here first (malformed SPARQL never reaches the store), may call no
    function but XSD casts (remote engines have built-ins that reach the network or the file
    system, such as Virtuoso's bif: functions), and always runs on a dataset of our graphs only:
    the protocol's default-graph-uri and named-graph-uri are sent with every query, so the
    store's own graphs (Virtuoso's system graphs) and any FROM of the query are out of reach.
    Answers come back as pyoxigraph results, so the writers are the embedded endpoint's.
    """

    def __init__(self, source: dict):
        endpoints = Endpoints(**source["endpoints"]) if source.get("endpoints") else source["remote"]
        self.remote = RemoteStore(endpoints, auth=tuple(source["auth"]) if source.get("auth") else None,
                                  timeout=source.get("timeout", 60.0))
        self.graphs = list(source["graphs"])
        self.parser = ox.Store()  # empty: checks syntax (and evaluates nothing of ours)

    def __len__(self) -> int:
        return 0

    def query(self, text: str, *, base_iri=None, use_default_graph_as_union=False,
              default_graph=None, named_graphs=None):
        check(analyse(text))  # whoever calls: the empty store below would run a SERVICE
        try:
            refuse_functions(text, base_iri)  # first: the empty store would call them
        except QueryRefused as exc:
            if exc.status != 400:
                raise
            self.parser.query(text, base_iri=base_iri)  # pyoxigraph's message when malformed
            raise
        try:
            form = self.parser.query(text, base_iri=base_iri)
        except RuntimeError as exc:  # e.g. a function pyoxigraph does not know
            raise QueryRefused(f"The query cannot run here: {exc}") from exc
        ours = set(self.graphs)
        if default_graph is not None or named_graphs is not None:  # the protocol's dataset
            defaults = [g.value for g in default_graph or [] if isinstance(g, ox.NamedNode)]
            named = [g.value for g in named_graphs or []]
        elif use_default_graph_as_union:
            defaults, named = self.graphs, self.graphs
        else:  # the query's FROM / FROM NAMED
            defaults, named = query_dataset(text, base_iri)
        defaults = [g for g in defaults if g in ours] or [EMPTY_GRAPH]
        named = [g for g in named if g in ours] or [EMPTY_GRAPH]
        text = strip_dataset_clauses(text)  # some stores let FROM override the protocol's dataset
        if query_dataset(text, base_iri) != ([], []):  # Virtuoso reads a FROM the scan missed
            raise QueryRefused("The query's FROM clauses could not be told apart from the rest of "
                               "it; send the dataset as default-graph-uri and named-graph-uri.")
        text = confine_graph_names(text, set(named), base_iri)
        if base_iri and not re.match(r"\s*BASE\b", text, re.I):
            text = f"BASE <{base_iri}>\n{text}"
        try:
            if isinstance(form, (ox.QuerySolutions, ox.QueryBoolean)):
                content_type, body = self.remote.query(
                    text, accept="application/sparql-results+json", default_graphs=defaults,
                    named_graphs=named)
                return ox.parse_query_results(unskolemize_json(body), format=ox.QueryResultsFormat.JSON)
            content_type, body = self.remote.query(
                text, accept="application/n-triples", default_graphs=defaults, named_graphs=named)
        except RemoteError as exc:
            print(f"eurasia-kg: the remote store failed a query: {exc}", file=sys.stderr, flush=True)
            raise QueryRefused("The data store behind this endpoint failed the query: "
                               + (exc.text or "it could not be reached or did not answer in time."),
                               400 if exc.status == 400 else 502) from exc
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(unskolemize_ntriples(body), format=formats.rdf_format_of(content_type))]
