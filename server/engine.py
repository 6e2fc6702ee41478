"""Run SPARQL queries on pyoxigraph in child processes that are killed when they overrun.

Python threads cannot be stopped and pyoxigraph computes an aggregate in one call, so a
runaway query is stopped the only reliable way: its process is killed and replaced. Every
query therefore runs in one of a small pool of executor processes, each holding the dataset.
A crash of the engine (pyoxigraph can segfault on hostile input) costs only that executor.
"""

from __future__ import annotations

import json
import pickle
import queue
import re
import select
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from html import escape as _html_escape


def xml_escape(text: str) -> str:
    """Escape &, < and > for XML text and attribute values in double quotes."""
    return _html_escape(text, quote=True)

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Deeper nesting than this is refused before it reaches the engine (pyoxigraph 0.5.13
#: segfaults near 5,000 levels; rdflib raises RecursionError far earlier).
MAX_NESTING = 200

_LEXICAL = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'       # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'                  # strings
    r"|'(?:[^'\\\n]|\\.)*'"
    # IRIs as SPARQL's IRIREF reads them: a no-break space or a \u escape may be in one. Where
    # this scan stopped short of the >, it read the rest as code, and a # there as a comment
    # that hid what followed from it (not from the engine).
    r"|<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"
    r"|#[^\r\n]*"                            # comments (a carriage return ends one too)
    r"|[{}()]"                               # nesting
    r"|[?$]\w+"                              # variables
    r"|(?:[A-Za-z][\w.-]*)?:(?:[\w.:%-]|\\.)*"  # prefixed names (schema:Service is no keyword,
    r"|[A-Za-z_]\w*",                        # ex:it\'s has no string); keywords
)
#: SERVICE as an engine reads it, wherever this scan thinks strings, IRIs and comments are:
#: the word (not the end of a name) followed by SILENT, an IRI, a variable or a prefixed name.
#: A scan cannot always tell the < of an IRI from less-than (FILTER(?x<'a>b')), and a wrong
#: guess hides the text after it; this check does not depend on the guess.
_SERVICE_WORD = re.compile(
    r"(?<![^\W\d]|[:?$@_/#=&%-])SERVICE"
    r"(?:[<?$]|(?:\s|#[^\r\n]*)+(?:SILENT\b|[<?$]|[\w.\u00b7-]*:))", re.IGNORECASE)
_UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


class QueryRefused(Exception):
    """The query is not run: malformed, an update, SERVICE, too deep. status is 4xx (502 when
    the remote store behind the endpoint failed it)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped."""


class ResultTooLarge(Exception):
    """The result has more rows (or triples) than the row limit."""


class EngineFailure(Exception):
    """The engine process died while running the query."""


@dataclass
class Analysis:
    """What a lexical scan of a query shows before any engine parses it."""

    depth: int = 0
    service: bool = False
    first_keyword: str = ""
    dataset_clause: bool = False  #: FROM or FROM NAMED outside any group


def analyse(text: str) -> Analysis:
    """Scan a query, skipping strings, IRIs and comments: nesting depth, SERVICE, keyword."""
    result = Analysis()
    depth = 0
    awaiting_iri = False  # inside a PREFIX or BASE declaration
    for token in _LEXICAL.findall(text):
        if token in ("{", "("):
            depth += 1
            result.depth = max(result.depth, depth)
        elif token in ("}", ")"):
            depth -= 1
        elif token[0] == "<":
            awaiting_iri = False
        elif token[0].isalpha() or token[0] == "_":
            if ":" in token:
                continue
            upper = token.upper()
            if upper == "SERVICE":
                result.service = True
            if upper == "FROM" and depth == 0:
                result.dataset_clause = True
            if upper in ("PREFIX", "BASE"):
                awaiting_iri = True
            elif not result.first_keyword and not awaiting_iri:
                result.first_keyword = upper
    result.service = result.service or bool(_SERVICE_WORD.search(text))
    return result


def check(found: Analysis) -> None:
    """Refuse what must never reach the engine (from the query's analysis); raise QueryRefused."""
    if found.first_keyword in _UPDATE_KEYWORDS:
        raise QueryRefused("This endpoint is read-only: SPARQL Update "
                           f"({found.first_keyword}) is not accepted.", 403)
    if found.service:
        raise QueryRefused("SERVICE is not allowed: this endpoint never queries other endpoints.", 403)
    if found.depth > MAX_NESTING:
        raise QueryRefused(f"The query nests {found.depth} levels deep; the limit is {MAX_NESTING}.")


@dataclass(frozen=True)
class QueryRequest:
    """A query with its dataset and the format its answer is wanted in."""

    text: str
    result_format: str            #: short name from server.formats ("json", "ttl", ...)
    default_graphs: tuple = ()
    named_graphs: tuple = ()
    dataset_given: bool = False   #: default-graph-uri / named-graph-uri were sent
    base_iri: str | None = None   #: for relative IRIs; the protocol lets it be the endpoint
    union_default: bool = True    #: no dataset given anywhere: the default graph is the union


@dataclass(frozen=True)
class QueryAnswer:
    """What the engine returns: the serialised body and the kind of result."""

    body: bytes
    kind: str          #: "results" (SELECT, ASK) or "graph" (CONSTRUCT, DESCRIBE)
    rows: int


# ----------------------------------------------------------------------------------------
# The executor process
# ----------------------------------------------------------------------------------------

def open_store(source: dict):
    """Open the dataset in this process.

    {"nquads": file} loads an N-Quads file into memory (the embedded dataset); {"store": folder}
    opens a built store read-only (nothing is loaded: every executor shares the files);
    {"remote": url, ...} sends each query to a remote SPARQL store (see RemoteQueryStore).
    """
    import pyoxigraph as ox

    if "store" in source:  # the folder graph.store writes (not imported: it would load rdflib)
        return ox.Store.read_only(str(Path(source["store"]) / "oxigraph"))
    if "remote" in source:
        return RemoteQueryStore(source)
    store = ox.Store()
    store.bulk_load(path=source["nquads"], format=ox.RdfFormat.N_QUADS)
    return store


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
        import pyoxigraph as ox

        from .remote import Endpoints, RemoteStore

        endpoints = Endpoints(**source["endpoints"]) if source.get("endpoints") else source["remote"]
        self.remote = RemoteStore(endpoints, auth=tuple(source["auth"]) if source.get("auth") else None,
                                  timeout=source.get("timeout", 60.0))
        self.graphs = list(source["graphs"])
        self.parser = ox.Store()  # empty: checks syntax (and evaluates nothing of ours)

    def __len__(self) -> int:
        return 0

    def query(self, text: str, *, base_iri=None, use_default_graph_as_union=False,
              default_graph=None, named_graphs=None):
        import pyoxigraph as ox

        from .remote import RemoteError

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
                for q in ox.parse(unskolemize_ntriples(body), format=_graph_format(content_type))]


def _genid() -> bytes:
    from .sources import GENID

    return re.escape(GENID.encode())


#: A skolem IRI's local part that is a blank node label (others stay IRIs).
_LABEL = rb"([A-Za-z0-9_][A-Za-z0-9_-]*)"


def unskolemize_json(body: bytes) -> bytes:
    """Turn skolem IRIs of SPARQL JSON results back into blank nodes (literals are left alone)."""
    return re.sub(rb'"type"\s*:\s*"uri"\s*,\s*"value"\s*:\s*"' + _genid() + _LABEL + rb'"',
                  rb'"type":"bnode","value":"\1"', body)


def unskolemize_ntriples(body: bytes) -> bytes:
    """Turn skolem IRIs of an N-Triples (or Turtle) answer back into blank nodes, not in literals."""
    found = re.compile(rb'("(?:[^"\\\n]|\\.)*")|<' + _genid() + _LABEL + rb">")
    return found.sub(lambda m: m.group(1) or b"_:" + m.group(2), body)


#: Sent as the only graph when a query's dataset names none of ours: it matches nothing.
EMPTY_GRAPH = "urn:eurasia-kg:no-such-graph"
ALLOWED_FUNCTIONS = ("http://www.w3.org/2001/XMLSchema#",)


def _graph_format(content_type: str):
    import pyoxigraph as ox

    media = content_type.split(";")[0].strip().lower()
    return {"text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
            "application/n-quads": ox.RdfFormat.N_QUADS}.get(media, ox.RdfFormat.N_TRIPLES)


def _parsed(text: str, base_iri):
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return parseQuery(text)
    except Exception as exc:
        raise QueryRefused(f"Malformed query: {exc}") from exc


def refuse_functions(text: str, base_iri=None) -> None:
    """Refuse calls of extension functions (anything but XSD casts), and SERVICE, with QueryRefused."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parserutils import CompValue

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
    cuts, depth, tokens = [], 0, list(_LEXICAL.finditer(text))
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
    from urllib.parse import urljoin

    # Comments go: GRAPH #...<newline> <iri> names <iri>.
    tokens = [t for t in _LEXICAL.finditer(text) if not t.group().startswith("#")]
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
    from rdflib.plugins.sparql.algebra import translateQuery

    query = translateQuery(_parsed(text, base_iri), base=base_iri)
    clause = query.algebra.get("datasetClause") or []
    defaults = [str(d.default) for d in clause if d.get("default") is not None]
    named = [str(d.named) for d in clause if d.get("named") is not None]
    return defaults, named


_HEADER = struct.Struct("!I")


def send_frame(stream, message) -> None:
    """Write one pickled message with its length."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_frame(stream):
    """Read one message written by send_frame; raise EOFError when the peer is gone."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the peer closed the pipe")
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the peer closed the pipe")
    return pickle.loads(data)


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
    import pyoxigraph as ox

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
    if isinstance(result, ox.QueryBoolean):
        fmt = request.result_format if request.result_format in ("json", "xml", "csv", "tsv") else "json"
        return QueryAnswer(write_boolean(bool(result), fmt), "results", 1)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = _take(result, max_rows, "rows")
        fmt = request.result_format if request.result_format in WRITERS else "json"
        return QueryAnswer(WRITERS[fmt](variables, rows), "results", len(rows))
    triples = _take(result, max_rows, "triples")
    fmt_name = request.result_format if request.result_format in GRAPH_WRITERS else "ttl"
    body = ox.serialize(triples, format=getattr(ox.RdfFormat, GRAPH_WRITERS[fmt_name]),
                        prefixes=prefixes if fmt_name == "ttl" else None)
    return QueryAnswer(body or b"", "graph", len(triples))


def fails_on_no_data(text: str, base_iri=None) -> bool:
    """Tell whether pyoxigraph refuses the query over an empty dataset too (RuntimeError): then
    the query is at fault (a function the engine does not know), not the data or the store."""
    import pyoxigraph as ox

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


GRAPH_WRITERS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "jsonld": "JSON_LD", "rdf": "RDF_XML"}


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def write_json(variables, rows) -> bytes:
    """Write SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in rows:
        binding = {}
        for v in variables:
            term = row[v]
            if term is not None:
                binding[v] = _json_term(term)
        bindings.append(binding)
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_xml(variables, rows) -> bytes:
    """Write SPARQL Query Results XML."""
    import pyoxigraph as ox

    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
           "<head>", *(f'<variable name="{v}"/>' for v in variables), "</head><results>"]
    for row in rows:
        out.append("<result>")
        for v in variables:
            term = row[v]
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                inner = f"<uri>{xml_escape(term.value)}</uri>"
            elif isinstance(term, ox.BlankNode):
                inner = f"<bnode>{xml_escape(term.value)}</bnode>"
            elif term.language:
                inner = f'<literal xml:lang="{term.language}">{xml_escape(term.value)}</literal>'
            elif term.datatype.value != XSD_STRING:
                inner = (f'<literal datatype="{xml_escape(term.datatype.value)}">'
                         f"{xml_escape(term.value)}</literal>")
            else:
                inner = f"<literal>{xml_escape(term.value)}</literal>"
            out.append(f'<binding name="{v}">{inner}</binding>')
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def write_csv(variables, rows) -> bytes:
    """Write SPARQL 1.1 Query Results CSV (plain values, RFC 4180 quoting)."""
    import csv
    import io

    import pyoxigraph as ox

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        cells = []
        for v in variables:
            term = row[v]
            if term is None:
                cells.append("")
            elif isinstance(term, ox.BlankNode):
                cells.append(f"_:{term.value}")
            else:
                cells.append(term.value)
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8")


def write_tsv(variables, rows) -> bytes:
    """Write SPARQL 1.1 Query Results TSV (terms in Turtle syntax)."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join("" if row[v] is None else str(row[v]) for v in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}


def write_boolean(value: bool, fmt: str) -> bytes:
    """Write an ASK answer."""
    word = "true" if value else "false"
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{word}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return f"{word}\n".encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


# ----------------------------------------------------------------------------------------
# The pool, in the web worker
# ----------------------------------------------------------------------------------------

class _Executor:
    """One executor process: this Python running executor_main."""

    def __init__(self, setup: dict, max_rows: int, timeout: float, wait: bool = True):
        code = ("import sys; from eurasia_kg.server.engine import executor_main; "
                "executor_main(int(sys.argv[1]))")
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(int(max_rows))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        send_frame(self.process.stdin, setup)
        self.timeout = timeout
        if wait:
            self.ready()

    def ready(self) -> "_Executor":
        """Wait until the process has opened the dataset; raise EngineFailure if it cannot."""
        if not self.wait(max(self.timeout, 60)):
            self.kill()
            raise EngineFailure("the query engine did not start")
        try:
            read_frame(self.process.stdout)  # ("ready", count)
        except EOFError as exc:
            self.kill()
            raise EngineFailure("the query engine could not load the dataset") from exc
        return self

    def wait(self, seconds: float) -> bool:
        """Wait until a reply can be read; False when the time is up."""
        ready, _, _ = select.select([self.process.stdout], [], [], seconds)
        return bool(ready)

    def ask(self, request, timeout: float):
        """Send a request and return the reply, or None when the time limit passes."""
        send_frame(self.process.stdin, request)
        if not self.wait(timeout):
            return None
        return read_frame(self.process.stdout)

    def kill(self) -> None:
        """Stop the process at once."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class QueryPool:
    """A fixed number of executor processes; each query takes one, a timeout replaces it.

    prefixes ({name: namespace}) are those Turtle answers use: given here, so that the
    executors need not import the ontology module (nor rdflib, which it imports).
    """

    def __init__(self, source: dict, *, size: int = 2, timeout: float = 10.0, max_rows: int = 10000,
                 prefixes: dict | None = None):
        self.source, self.size, self.timeout, self.max_rows = source, size, timeout, max_rows
        # Plain strings: rdflib's Namespace would take rdflib into the executors with the pickle.
        self.setup = dict(source, prefixes={name: str(ns) for name, ns in (prefixes or {}).items()})
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> "QueryPool":
        """Start the executors (idempotent); they load the dataset before answering."""
        with self._lock:
            if not self._started:  # all started at once, then waited for: start-up overlaps
                starting = [_Executor(self.setup, self.max_rows, self.timeout, wait=False)
                            for _ in range(self.size)]
                try:
                    for executor in starting:
                        self._idle.put(executor.ready())
                except EngineFailure:
                    for executor in starting:
                        executor.kill()
                    raise
                self._started = True
        return self

    def _new(self) -> _Executor:
        return _Executor(self.setup, self.max_rows, self.timeout)

    def run(self, request: QueryRequest) -> QueryAnswer:
        """Run a query within the time limit; raise QueryTimeout, QueryRefused, ..."""
        self.start()
        try:
            executor = self._idle.get(timeout=self.timeout)
        except queue.Empty as exc:
            raise QueryTimeout(f"no query engine became free within {self.timeout:g} s") from exc
        try:
            reply = executor.ask(request, self.timeout)
            if reply is None:
                executor.kill()
                executor = self._new()
                raise QueryTimeout(f"The query ran longer than the time limit of {self.timeout:g} s "
                                   "and was stopped.")
        except (EOFError, OSError, ValueError) as exc:  # ValueError: one a failed restart left dead
            executor.kill()
            executor = self._new()
            raise EngineFailure("The query engine stopped while running this query; "
                                "it has been restarted.") from exc
        finally:
            self._idle.put(executor)
        status = reply[0]
        if status == "ok":
            return reply[1]
        if status == "refused":
            raise QueryRefused(reply[2], reply[1])
        if status == "too-large":
            raise ResultTooLarge(reply[1])
        raise EngineFailure(reply[1])

    def close(self) -> None:
        """Stop every executor."""
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break

