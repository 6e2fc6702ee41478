"""Confine a query to our graphs before a remote store sees it.

A remote store (Virtuoso, Oxigraph's server, Fuseki) has graphs of its own and functions that
reach the network or its file system. So a query sent there may call no function but XSD
casts, its FROM clauses are replaced by the protocol's dataset restricted to our graphs, and a
GRAPH <iri> naming a graph that is not ours names an empty graph instead.
"""

from __future__ import annotations

from urllib.parse import urljoin

from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ..query.guard import TOKENS
from ..query.messages import QueryRefused

#: Sent as the only graph when a query's dataset names none of ours: it matches nothing.
EMPTY_GRAPH = "urn:eurasia-kg:no-such-graph"
ALLOWED_FUNCTIONS = ("http://www.w3.org/2001/XMLSchema#",)


def _parsed(text: str, base_iri):
    try:
        return parseQuery(text)
    except Exception as exc:
        raise QueryRefused(f"Malformed query: {exc}") from exc


def refuse_functions(text: str, base_iri=None) -> None:
    """Refuse calls of extension functions (anything but XSD casts), and SERVICE, with QueryRefused."""
    try:
        algebra = translateQuery(_parsed(text, base_iri), base=base_iri).algebra
    except QueryRefused:
        raise
    except Exception as exc:
        raise QueryRefused(f"Malformed query: {exc}") from exc
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "Function" and not str(node.iri).startswith(ALLOWED_FUNCTIONS):
                raise QueryRefused(f"The function <{node.iri}> is not available here: this endpoint "
                                   "calls no extension functions but XSD casts.", 403)
            if node.name == "ServiceGraphPattern":
                raise QueryRefused("SERVICE is not allowed: this endpoint never queries other "
                                   "endpoints.", 403)
            stack.extend(node.values())
            stack.extend(vars(node).values())  # rdflib keeps (NOT) EXISTS patterns as attributes
        elif isinstance(node, (list, tuple, set)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())


def strip_dataset_clauses(text: str) -> str:
    """Remove FROM and FROM NAMED clauses (outside any group) from a query's text.

    The dataset they name is sent as the protocol's default-graph-uri and named-graph-uri
    instead, restricted to our graphs: Virtuoso honours a query's FROM over the protocol's.
    """
    cuts, depth, tokens = [], 0, list(TOKENS.finditer(text))
    i = 0
    while i < len(tokens):
        token = tokens[i].group()
        if token in ("{", "("):
            depth += 1
        elif token in ("}", ")"):
            depth -= 1
        elif depth == 0 and token.upper() == "FROM":
            j = i + 1
            if j < len(tokens) and tokens[j].group().upper() == "NAMED":
                j += 1
            while j < len(tokens) and tokens[j].group().startswith("#"):
                j += 1
            if j < len(tokens):
                cuts.append((tokens[i].start(), tokens[j].end()))
                i = j
        i += 1
    for start, end in reversed(cuts):
        text = text[:start] + " " + text[end:]
    return text


def confine_graph_names(text: str, allowed: set, base_iri=None) -> str:
    """Replace each GRAPH <iri> (or GRAPH prefix:name) not in allowed by a graph that is empty.

    Virtuoso reads a graph named in the query even when the protocol's named-graph-uri leaves
    it out, and it has graphs of its own; GRAPH ?g is confined by named-graph-uri.
    """
    # Comments go: GRAPH #...<newline> <iri> names <iri>.
    tokens = [t for t in TOKENS.finditer(text) if not t.group().startswith("#")]
    prefixes, cuts = {}, []
    for i, match in enumerate(tokens[:-1]):
        word = match.group().upper()
        if word == "PREFIX" and i + 2 < len(tokens):
            prefixes[tokens[i + 1].group().rstrip(":")] = tokens[i + 2].group()[1:-1]
        elif word == "GRAPH":
            following = tokens[i + 1]
            name = following.group()
            if name.startswith("<"):
                iri = urljoin(base_iri or "", name[1:-1])
            elif ":" in name and not name.startswith(("?", "$", '"', "'")):
                prefix, _, local = name.partition(":")
                iri = prefixes.get(prefix, "\0") + local
            else:
                continue
            if iri not in allowed:
                cuts.append((following.start(), following.end()))
    for start, end in reversed(cuts):
        text = text[:start] + f"<{EMPTY_GRAPH}>" + text[end:]
    return text


def query_dataset(text: str, base_iri=None) -> tuple:
    """Return (FROM graphs, FROM NAMED graphs) of a query, as strings."""
    query = translateQuery(_parsed(text, base_iri), base=base_iri)
    clause = query.algebra.get("datasetClause") or []
    # Keys, not CompValue.get: its get("default") of a FROM NAMED clause is the string "default".
    defaults = [str(d["default"]) for d in clause if "default" in d]
    named = [str(d["named"]) for d in clause if "named" in d]
    return defaults, named

