"""The SPARQL 1.1 Protocol at /sparql: queries only, negotiated formats, service description."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, quote

from flask import Blueprint, Response, current_app, render_template, request, url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from ..ontology import EKGID
from . import formats
from . import responses
from .lru import LRU
from .query.guard import analyse, check
from .query.messages import (EngineFailure, QueryAnswer, QueryRefused, QueryRequest, QueryTimeout,
                             ResultTooLarge)

bp = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMAT_IRIS = {
    "json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
    "xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
    "csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
    "tsv": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
    "ttl": "http://www.w3.org/ns/formats/Turtle",
    "nt": "http://www.w3.org/ns/formats/N-Triples",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "rdf": "http://www.w3.org/ns/formats/RDF_XML",
}


class ProtocolError(Exception):
    """A request the protocol says to refuse, with its status."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.headers = status, headers or {}


def _strict_pairs(raw: bytes, what: str) -> list:
    try:
        return parse_qsl(raw.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                         errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The {what} is not UTF-8 encoded: {exc}") from exc


def read_protocol_request() -> dict:
    """Read a SPARQL Protocol request into {query, default-graph-uri, named-graph-uri}."""
    limit = current_app.config["MAX_QUERY_STRING"]
    if len(request.query_string) > limit:
        raise ProtocolError(414, f"The query string is longer than {limit} bytes; "
                                 "send the query by POST.")
    pairs = _strict_pairs(request.query_string, "query string")
    if request.method == "POST":
        media_type = request.mimetype
        body = request.get_data(cache=True)
        if media_type == "application/x-www-form-urlencoded":
            pairs += _strict_pairs(body, "request body")
        elif media_type == "application/sparql-query":
            try:
                pairs.append(("query", body.decode("utf-8")))
            except UnicodeDecodeError as exc:
                raise ProtocolError(400, f"The query is not UTF-8 encoded: {exc}") from exc
        elif media_type == "application/sparql-update":
            raise ProtocolError(403, "This endpoint is read-only: SPARQL Update is not accepted.")
        elif not media_type:
            raise ProtocolError(400, "A POST needs a Content-Type: application/sparql-query or "
                                     "application/x-www-form-urlencoded.")
        else:
            raise ProtocolError(415, f"Unsupported Content-Type {media_type!r}: send "
                                     "application/sparql-query or application/x-www-form-urlencoded.")
    params: dict = {"query": [], "update": [], "default-graph-uri": [], "named-graph-uri": [],
                    "format": []}
    for key, value in pairs:
        if key in ("output", "results"):  # what Fuseki, Joseki and SPARQLWrapper also send
            key = "format"
        if key in params:
            params[key].append(value)
    if params["update"]:
        raise ProtocolError(403, "This endpoint is read-only: SPARQL Update is not accepted.")
    if len(params["query"]) > 1:
        raise ProtocolError(400, "Exactly one query parameter is allowed; this request has "
                                 f"{len(params['query'])}.")
    return params


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    """Answer a SPARQL query, or describe the service when no query is given."""
    try:
        params = read_protocol_request()
    except ProtocolError as exc:
        return responses.text(exc.status, str(exc), exc.headers)
    format_param = params["format"][0] if params["format"] else None
    if not params["query"]:
        return service_description(format_param)
    text = params["query"][0]
    found = analyse(text)
    kinds = ("graph", "html") if found.first_keyword in ("CONSTRUCT", "DESCRIBE") else ("results", "html")
    chosen = formats.negotiate(request.accept_mimetypes, kinds, format_param)
    if chosen is None:
        return responses.text(406, "None of the requested formats is offered. Offered: "
                          + formats.offered_list(kinds[:1]) + ", text/html.")
    engine_format = chosen.name
    if chosen.name == "html":
        engine_format = "nt" if kinds[0] == "graph" else "json"
    dataset_given = bool(params["default-graph-uri"] or params["named-graph-uri"])
    query = QueryRequest(text=text, result_format=engine_format,
                         default_graphs=tuple(params["default-graph-uri"]),
                         named_graphs=tuple(params["named-graph-uri"]),
                         dataset_given=dataset_given, base_iri=request.base_url,
                         union_default=not dataset_given and not found.dataset_clause
                         and current_app.extensions["eurasia_kg.dataset"].union_default)
    try:
        check(found)
        answer = run_cached(query)
    except QueryRefused as exc:
        return responses.text(exc.status, str(exc))
    except QueryTimeout as exc:
        return responses.text(503, str(exc), {"Retry-After": "1"})
    except ResultTooLarge as exc:
        return responses.text(400, str(exc))
    except EngineFailure as exc:
        current_app.logger.error("query engine failure: %s", exc)
        return responses.text(500, str(exc))
    if chosen.name == "html":
        response = Response(render_html(text, answer), content_type="text/html; charset=utf-8")
    else:
        response = Response(answer.body, content_type=chosen.content_type)
    return responses.finish(response, query)


class AnswerCache(LRU):
    """The answers of recent queries, bounded in entries and bytes (the dataset never changes
    while the service runs); an answer over max_body is not kept."""

    def __init__(self, entries: int, max_bytes: int = 64 * 1024 * 1024, max_body: int = 1024 * 1024):
        super().__init__(entries, max_bytes=max_bytes, size=lambda answer: len(answer.body))
        self.max_body = max_body

    def put(self, key, answer: QueryAnswer) -> None:
        if len(answer.body) <= self.max_body:
            super().put(key, answer)


def run_cached(query: QueryRequest) -> QueryAnswer:
    """Run a query through the executor pool, from the answer cache when enabled."""
    pool = current_app.extensions["eurasia_kg.pool"]
    cache = current_app.extensions["eurasia_kg.cache"]
    if cache is None:
        return pool.run(query)
    answer = cache.get(query)
    if answer is None:
        answer = pool.run(query)
        cache.put(query, answer)
    return answer


# ----------------------------------------------------------------------------------------
# HTML results: a readable table whose IRIs link to their descriptions
# ----------------------------------------------------------------------------------------

def _describe_link(iri: str) -> str:
    """Link an IRI to its entity page here, or else to a DESCRIBE of it."""
    if iri.startswith(str(EKGID)):
        return url_for("pages.entity", local=iri[len(str(EKGID)):])
    return "/sparql?query=" + quote(f"DESCRIBE <{iri}>", safe="")


class Labels:
    """The labels of IRIs in one answer, read once each: a cell shows an IRI's label where the
    dataset gives it one (rdfs:label or skos:prefLabel), with the IRI on hover."""

    def __init__(self):
        self.describer = current_app.extensions.get("eurasia_kg.describer")
        self.known: dict = {}

    def __call__(self, iri: str) -> str:
        if iri not in self.known:
            term, d = URIRef(iri), self.describer
            named = d is not None and any((term, p, None) in d.all for p in (RDFS.label, SKOS.prefLabel))
            self.known[iri] = d.label(term) if named else ""
        return self.known[iri]


def _cell(term: dict | None, labels: Labels) -> dict:
    """A cell of the HTML table: labels for IRIs, literals without datatype or language tag
    (the JSON, XML, CSV and TSV answers keep both)."""
    if term is None:
        return {"text": ""}
    if term["type"] == "uri":
        return _iri_cell(term["value"], labels)
    if term["type"] == "bnode":
        return {"text": "_:" + term["value"]}
    return {"text": term["value"], "lang": term.get("xml:lang", "")}


def _iri_cell(iri: str, labels: Labels) -> dict:
    label = labels(iri)
    return {"text": label or iri, "href": _describe_link(iri), "title": iri if label else "", "iri": not label}


def render_html(text: str, answer: QueryAnswer) -> str:
    """Render an answer (JSON results or N-Triples) as an HTML page."""
    boolean, columns, rows = None, [], []
    labels = Labels()
    if answer.kind == "results":
        data = json.loads(answer.body)
        if "boolean" in data:
            boolean = data["boolean"]
        else:
            columns = data["head"]["vars"]
            rows = [[_cell(b.get(v), labels) for v in columns] for b in data["results"]["bindings"]]
    else:
        graph = Graph().parse(data=answer.body, format="nt")
        columns = ["subject", "predicate", "object"]
        for s, p, o in sorted(graph):
            rows.append([_term_cell(s, labels), _term_cell(p, labels), _term_cell(o, labels)])
    kinds = ("graph",) if answer.kind == "graph" else ("results",)
    dataset = "".join(f"&{key}={quote(value, safe='')}" for key in ("default-graph-uri", "named-graph-uri")
                      for value in request.values.getlist(key))
    others = [{"name": f.name,
               "href": f"/sparql?query={quote(text, safe='')}{dataset}&format={f.name}"}
              for f in formats.of_kind(*kinds)]
    return render_template("results.html", query=text, boolean=boolean, columns=columns,
                           rows=rows, others=others)


def _term_cell(term, labels: Labels) -> dict:
    if isinstance(term, URIRef):
        return _iri_cell(str(term), labels)
    if isinstance(term, BNode):
        return {"text": f"_:{term}"}
    return {"text": str(term), "lang": term.language or ""}


# ----------------------------------------------------------------------------------------
# The service description
# ----------------------------------------------------------------------------------------

def service_description(format_param: str | None) -> Response:
    """Describe the endpoint (SPARQL 1.1 Service Description), in the negotiated format."""
    chosen = formats.negotiate(request.accept_mimetypes, ("graph", "html"), format_param)
    if chosen is None:
        return responses.not_acceptable(("graph",), "text/html")
    graph = describe_service()
    if chosen.name == "html":
        body = render_template("endpoint.html", turtle=graph.serialize(format="turtle"),
                               example=PLAIN_EXAMPLE if current_app.extensions["eurasia_kg.dataset"].plain
                               else SD_EXAMPLE)
        response = Response(body, content_type="text/html; charset=utf-8")
    else:
        return responses.rdf(graph, chosen, "service-description")
    return responses.finish(response, "service-description")


SD_EXAMPLE = """PREFIX ekg: <https://w3id.org/eurasia-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label WHERE { ?s a ekg:State ; rdfs:label ?label } LIMIT 20"""
#: The example of a plain endpoint (serve --plain), which holds anyone's data.
PLAIN_EXAMPLE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"



def describe_service() -> Graph:
    """Return the SPARQL 1.1 Service Description of this endpoint."""
    served = current_app.extensions["eurasia_kg.dataset"]
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    service = URIRef(request.base_url)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if served.union_default:  # else (plain) the default graph is the files' own
        graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name, iri in FORMAT_IRIS.items():
        graph.add((service, SD.resultFormat, URIRef(iri)))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    counts = served.triple_counts()
    in_default = sum(counts.values()) if served.union_default else served.default_graph_count()
    graph.add((default, VOID.triples, Literal(in_default, datatype=XSD.integer)))
    for name, count in counts.items():
        named = BNode()
        inner = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(count, datatype=XSD.integer)))
    return graph
