"""Run read-only SPARQL queries over a graph with rdflib, never touching the network."""

from __future__ import annotations

import csv
import io
import json

import rdflib.plugins.sparql as rdflib_sparql
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ..ontology import PREFIXES

# rdflib would otherwise fetch the graphs named in FROM / FROM NAMED from the web.
rdflib_sparql.SPARQL_LOAD_GRAPHS = False


class QueryError(Exception):
    """The query does not parse, or asks for something this service refuses."""


def _contains_service(node) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_contains_service(v) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_contains_service(v) for v in node)
    return False


def prepare(text: str):
    """Parse a SPARQL query, refusing SERVICE; raise QueryError with the parser's message."""
    try:
        prepared = prepareQuery(text, initNs=PREFIXES)
    except Exception as exc:  # pyparsing and rdflib raise several kinds
        raise QueryError(f"malformed query: {exc}") from exc
    if _contains_service(prepared.algebra):
        raise QueryError("SERVICE is not allowed: this service never queries other endpoints")
    return prepared


def run(graph: Graph, text: str):
    """Return rdflib's result of a read-only query over graph."""
    prepared = prepare(text)
    try:
        return graph.query(prepared)
    except RecursionError as exc:
        raise QueryError("query too deeply nested") from exc


def term_text(term) -> str:
    """Return a term as a reader would write it: IRI, literal lexical form, _:blank."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
    return out


def format_result(result, fmt: str = "table") -> str:
    """Render a query result as table, csv, tsv or json (graphs as Turtle)."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)})
        return "true" if result.askAnswer else "false"
    names = [str(v) for v in result.vars]
    rows = [[row[v] if v in row.labels else None for v in names] for row in result]
    if fmt == "json":
        return json.dumps({
            "head": {"vars": names},
            "results": {"bindings": [
                {n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]},
        }, indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([term_text(t) for t in row])
        return buffer.getvalue().rstrip("\n")
    table = [names] + [[term_text(t) for t in row] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(names))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in table]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
