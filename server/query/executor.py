"""The executor process: opens the dataset once, then runs the queries the pool sends it.

Started by query.pool as `python -c` with this module's executor_main; it imports pyoxigraph
and neither Flask nor rdflib (a remote store's executor imports the remote package, which
parses queries with rdflib).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from .. import formats
from .messages import QueryAnswer, QueryRefused, QueryRequest, ResultTooLarge, read_frame, send_frame
from .results import write_boolean, write_solutions


def open_store(source: dict):
    """Open the dataset in this process.

    {"nquads": file} loads an N-Quads file into memory (the embedded dataset); {"store": folder}
    opens a built store read-only (nothing is loaded: every executor shares the files);
    {"remote": url, ...} sends each query to a remote SPARQL store (see RemoteQueryStore).
    """
    if "store" in source:  # the folder graph.store writes (not imported: it would load rdflib)
        return ox.Store.read_only(str(Path(source["store"]) / "oxigraph"))
    if "remote" in source:
        # Imported here, the one import inside a function: the remote package parses queries
        # with rdflib, which executors of the embedded dataset and of built stores never load.
        from ..remote.query_store import RemoteQueryStore

        return RemoteQueryStore(source)
    store = ox.Store()
    store.bulk_load(path=source["nquads"], format=ox.RdfFormat.N_QUADS)
    return store


def executor_main(max_rows: int) -> None:
    """Serve queries read from stdin, answers written to stdout, until stdin closes.

    The first message is the source to open (it may hold a password: never on the command
    line), with the prefixes Turtle answers use ({"prefixes": {name: namespace}}).
    """
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the reply pipe
    setup = read_frame(requests)
    store = open_store(setup)
    prefixes = setup.get("prefixes")
    send_frame(replies, ("ready", len(store)))
    while True:
        try:
            request = read_frame(requests)
        except EOFError:
            return
        try:
            reply = ("ok", execute(store, request, max_rows, prefixes))
        except QueryRefused as exc:
            reply = ("refused", exc.status, str(exc))
        except ResultTooLarge as exc:
            reply = ("too-large", str(exc))
        except SyntaxError as exc:
            reply = ("refused", 400, f"Malformed query: {exc}")
        except Exception as exc:  # report, never die on a query
            reply = ("error", f"{type(exc).__name__}: {exc}")
        send_frame(replies, reply)


def execute(store, request: QueryRequest, max_rows: int, prefixes: dict | None = None) -> QueryAnswer:
    """Run one query on a pyoxigraph store and serialise its answer (Turtle with prefixes)."""
    kwargs = {"base_iri": request.base_iri}
    if request.dataset_given:  # the protocol's dataset overrides the query's FROM clauses
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs] or [ox.DefaultGraph()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    elif request.union_default:  # else the query's FROM clauses, which the engine honours
        kwargs["use_default_graph_as_union"] = True
    try:
        result = store.query(request.text, **kwargs)
    except RuntimeError as exc:
        if not fails_on_no_data(request.text, request.base_iri):
            raise  # the store failed: not the client's doing
        raise QueryRefused(f"The query cannot run here: {exc}") from exc
    if isinstance(result, (ox.QueryBoolean, ox.QuerySolutions)):
        chosen = formats.BY_NAME.get(request.result_format)
        fmt = chosen.name if chosen is not None and chosen.kind == "results" else "json"
        if isinstance(result, ox.QueryBoolean):
            return QueryAnswer(write_boolean(result, fmt), "results", 1)
        body, rows = write_solutions(result, fmt, max_rows)
        return QueryAnswer(body, "results", rows)
    triples = _take(result, max_rows, "triples")
    chosen = formats.BY_NAME.get(request.result_format)
    if chosen is None or chosen.kind != "graph":
        chosen = formats.BY_NAME["ttl"]
    body = ox.serialize(triples, format=formats.rdf_format(chosen),
                        prefixes=prefixes if chosen.name == "ttl" else None)
    return QueryAnswer(body or b"", "graph", len(triples))


def fails_on_no_data(text: str, base_iri=None) -> bool:
    """Tell whether pyoxigraph refuses the query over an empty dataset too (RuntimeError): then
    the query is at fault (a function the engine does not know), not the data or the store."""
    try:
        ox.Store().query(text, base_iri=base_iri)
    except RuntimeError:
        return True
    return False


def _take(iterator, limit: int, what: str) -> list:
    taken = []
    for item in iterator:
        if len(taken) == limit:
            raise ResultTooLarge(f"The result has more than {limit} {what} (the limit); "
                                 "narrow the query or add LIMIT.")
        taken.append(item)
    return taken

