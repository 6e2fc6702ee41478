"""The SPARQL endpoint at /sparql on the shipped graph: negotiation, methods, errors, safety.

The app is conftest's session fixture. Expected answers are computed with rdflib from the
dataset the app itself built (app.extensions["eurasia_kg.dataset"]), so the engine's answers
are checked against an independent evaluation of the same data.
"""

import csv
import io
import json
import uuid
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from eurasia_kg.graph.dataset import ESSAY_GRAPH, INFERRED_GRAPH
from eurasia_kg.server.formats import of_kind

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SRX = "{http://www.w3.org/2005/sparql-results#}"
EKGID = "https://w3id.org/eurasia-kg/id/"
ORG = "http://www.w3.org/ns/org#"

PREFIXES = """PREFIX ekg: <https://w3id.org/eurasia-kg/ontology#>
PREFIX ekgid: <https://w3id.org/eurasia-kg/id/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
QUERIES = {
    "select": PREFIXES + """SELECT ?state ?label WHERE {
        ?state a ekg:State ; rdfs:label ?label FILTER(lang(?label) = "en") } ORDER BY ?state""",
    "ask": PREFIXES + "ASK { ekgid:SCO org:hasMember ekgid:China }",
    "construct": PREFIXES + "CONSTRUCT { ?o org:hasMember ?m } WHERE { ?o org:hasMember ?m }",
    "describe": PREFIXES + "DESCRIBE ekgid:SCO",
}
#: In the inferred graph only (org:memberOf's inverse), not asserted.
INFERRED_TRIPLE = (URIRef(EKGID + "SCO"), URIRef(ORG + "hasMember"), URIRef(EKGID + "China"))
ASK_INFERRED = "ASK { <%s> <%s> <%s> }" % INFERRED_TRIPLE
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # %s"

JSON, XML, CSV, TSV = ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/csv", "text/tab-separated-values")
TTL, NT, JSONLD, RDFXML = "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"
HTML = "text/html"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB = {TTL: "turtle", NT: "nt", JSONLD: "json-ld", RDFXML: "xml"}


@pytest.fixture(scope="module")
def data(app):
    """All triples the app serves, asserted and inferred, as an rdflib graph."""
    return app.extensions["eurasia_kg.dataset"].built.view("all")


@pytest.fixture(scope="module")
def expected(data):
    """Each query's answer, evaluated by rdflib on the served data."""
    select = {(str(r.state), str(r.label)) for r in data.query(QUERIES["select"])}
    construct = set(data.query(QUERIES["construct"]).graph)
    sco = URIRef(EKGID + "SCO")
    return {"select": select, "ask": data.query(QUERIES["ask"]).askAnswer,
            "construct": construct, "describe": set(data.triples((sco, None, None)))}


# ----------------------------------------------------------------------------------------
# Parsing answers back
# ----------------------------------------------------------------------------------------

def media_type(response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip()


def _tsv_value(term: str) -> str:
    """The value of a TSV cell (a term in Turtle syntax)."""
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    if term.startswith('"'):
        inner = term[1:term.rindex('"')]
        return inner.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
    return term


def parse_results(response):
    """Parse SELECT or ASK results in JSON, XML, CSV or TSV: (variables, rows) or a bool."""
    kind, text = media_type(response), response.get_data(as_text=True)
    if kind == JSON:
        data = json.loads(text)
        if "boolean" in data:
            return data["boolean"]
        return data["head"]["vars"], [{k: v["value"] for k, v in b.items()}
                                      for b in data["results"]["bindings"]]
    if kind == XML:
        root = ET.fromstring(response.get_data())
        assert root.tag == SRX + "sparql"
        boolean = root.find(SRX + "boolean")
        if boolean is not None:
            return {"true": True, "false": False}[boolean.text.strip()]
        variables = [v.get("name") for v in root.iter(SRX + "variable")]
        return variables, [{b.get("name"): b[0].text or "" for b in r.iter(SRX + "binding")}
                           for r in root.iter(SRX + "result")]
    if text.strip() in ("true", "false"):  # ASK in CSV / TSV
        return text.strip() == "true"
    if kind == CSV:
        table = list(csv.reader(io.StringIO(text, newline="")))
        return table[0], [dict(zip(table[0], row)) for row in table[1:]]
    assert kind == TSV, kind
    lines = text.rstrip("\n").split("\n")
    variables = [v.removeprefix("?") for v in lines[0].split("\t")]
    return variables, [dict(zip(variables, map(_tsv_value, line.split("\t"))))
                       for line in lines[1:]]


def parse_graph(response) -> Graph:
    return Graph().parse(data=response.get_data(), format=RDFLIB[media_type(response)])


class Page(HTMLParser):
    """The tables, header cells, links and textareas of an HTML page.

    A cell's text leaves out its <small> note (a literal's language or datatype).
    """

    def __init__(self, text: str):
        super().__init__()
        self.tags, self.headers, self.links, self.cells, self.textareas = [], [], [], [], []
        self.notes = []
        self.titles = []  #: each link's title, in the order of links
        self._in = None
        self._href = None
        self._small = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "small":
            self._small = True
            self.notes.append("")
        if tag in ("th", "td", "textarea"):
            self._in = tag
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links.append([self._href, ""])
            self.titles.append(dict(attrs).get("title"))
        if tag == "th":
            self.headers.append("")
        if tag == "td":
            self.cells.append("")
        if tag == "textarea":
            self.textareas.append("")

    def handle_endtag(self, tag):
        if tag == "small":
            self._small = False
        elif tag == "a":
            self._href = None
        elif tag in ("th", "td", "textarea"):
            self._in = None

    def handle_data(self, text):
        if self._small:
            self.notes[-1] += text
            return
        if self._href is not None:
            self.links[-1][1] += text
        if self._in == "th":
            self.headers[-1] += text
        elif self._in == "td":
            self.cells[-1] += text
        elif self._in == "textarea":
            self.textareas[-1] += text


def check_answer(kind: str, response, expected) -> None:
    """Parse a 200 answer in its Content-Type and compare it with rdflib's answer."""
    assert response.status_code == 200, response.get_data(as_text=True)
    media = media_type(response)
    if media == HTML:
        page = Page(response.get_data(as_text=True))
        assert "html" in page.tags
        if kind == "ask":
            assert ("true" if expected["ask"] else "false") in response.get_data(as_text=True)
        else:
            assert "table" in page.tags and page.cells
        return
    if kind == "select":
        variables, rows = parse_results(response)
        assert variables == ["state", "label"]
        assert {(r["state"], r["label"]) for r in rows} == expected["select"]
        assert len(rows) == len(expected["select"]) > 0
    elif kind == "ask":
        assert parse_results(response) is expected["ask"] is True
    else:
        assert set(parse_graph(response)) == expected[kind] != set()


def total(client) -> int:
    """Count the triples of the default graph (a nonce keeps the answer cache out)."""
    response = client.get("/sparql", query_string={"query": COUNT % uuid.uuid4()},
                          headers={"Accept": JSON})
    assert response.status_code == 200
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def totals(app, client) -> list:
    """The count from every executor process (the pool hands them out in turn)."""
    return [total(client) for _ in range(app.config["EXECUTORS"])]


# ----------------------------------------------------------------------------------------
# Content negotiation
# ----------------------------------------------------------------------------------------

NEGOTIATION = [
    # (query kind, Accept, ?format=, expected media type or 406)
    ("select", None, None, JSON),
    ("select", JSON, None, JSON),
    ("select", "application/json", None, JSON),
    ("select", XML, None, XML),
    ("select", "application/xml", None, XML),
    ("select", CSV, None, CSV),
    ("select", TSV, None, TSV),
    ("select", "*/*", None, JSON),
    ("select", "application/*", None, JSON),
    ("select", "text/*", None, CSV),
    ("select", f"{CSV};q=0.5, {XML}", None, XML),
    ("select", f"{XML};q=0.2, {TSV};q=0.9, {JSON};q=0.1", None, TSV),
    ("select", f"{JSON};q=0, */*;q=0.1", None, XML),
    ("select", HTML, None, HTML),
    ("select", BROWSER, None, HTML),
    ("select", RDFXML, None, 406),
    ("select", f"{JSON};q=0", None, 406),
    ("select", JSON, "csv", CSV),
    ("select", None, "xml", XML),
    ("select", None, "tsv", TSV),
    ("select", XML, "json", JSON),
    ("select", None, "ttl", 406),
    ("select", None, XML, XML),
    ("select", None, "srj", JSON),
    ("ask", None, None, JSON),
    ("ask", XML, None, XML),
    ("ask", "*/*", None, JSON),
    ("ask", CSV, None, CSV),
    ("ask", HTML, None, HTML),
    ("ask", TTL, None, 406),
    ("ask", None, "xml", XML),
    ("construct", None, None, TTL),
    ("construct", TTL, None, TTL),
    ("construct", "application/x-turtle", None, TTL),
    ("construct", NT, None, NT),
    ("construct", "text/plain", None, NT),
    ("construct", JSONLD, None, JSONLD),
    ("construct", RDFXML, None, RDFXML),
    ("construct", "*/*", None, TTL),
    ("construct", f"{NT};q=0.5, {RDFXML};q=0.8", None, RDFXML),
    ("construct", f"{TTL};q=0, */*;q=0.1", None, NT),
    ("construct", BROWSER, None, HTML),
    ("construct", JSON, None, 406),
    ("construct", None, "jsonld", JSONLD),
    ("construct", TTL, "nt", NT),
    ("construct", None, "json", JSONLD),
    ("construct", None, "turtle", TTL),
    ("construct", None, "csv", 406),
    ("describe", None, None, TTL),
    ("describe", NT, None, NT),
    ("describe", JSONLD, None, JSONLD),
    ("describe", RDFXML, None, RDFXML),
    ("describe", HTML, None, HTML),
    ("describe", CSV, None, 406),
    ("describe", None, "rdf", RDFXML),
]


@pytest.mark.parametrize("kind, accept, fmt, want", NEGOTIATION,
                         ids=[f"{k}-{a or 'none'}-{f or ''}" for k, a, f, _ in NEGOTIATION])
def test_content_negotiation(client, expected, kind, accept, fmt, want):
    params = {"query": QUERIES[kind]}
    if fmt:
        params["format"] = fmt
    response = client.get("/sparql", query_string=params,
                          headers={"Accept": accept} if accept else {})
    if want == 406:
        assert response.status_code == 406
        body = response.get_data(as_text=True)
        offered = of_kind("graph" if kind in ("construct", "describe") else "results")
        assert offered and all(f.media_type in body for f in offered), body
        return
    assert media_type(response) == want
    if want != HTML:
        assert response.headers["Content-Type"].endswith("charset=utf-8")
    check_answer(kind, response, expected)


@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct"])
@pytest.mark.parametrize("kind", ["select", "construct"])
def test_get_post_form_and_post_direct_agree(client, expected, method, kind):
    text = QUERIES[kind]
    if method == "GET":
        response = client.get("/sparql", query_string={"query": text})
    elif method == "POST form":
        response = client.post("/sparql", data={"query": text})
    else:
        response = client.post("/sparql", data=text.encode(), content_type="application/sparql-query")
    check_answer(kind, response, expected)


def test_post_direct_takes_the_dataset_from_the_query_string(client):
    response = client.post("/sparql?default-graph-uri=" + str(ESSAY_GRAPH), data=ASK_INFERRED,
                           content_type="application/sparql-query", headers={"Accept": JSON})
    assert parse_results(response) is False


# ----------------------------------------------------------------------------------------
# Errors
# ----------------------------------------------------------------------------------------

def test_malformed_query_is_400_with_the_parsers_message_and_position(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Malformed query" in body and "1:25" in body and "expected" in body


def test_error_positions_are_on_the_clients_lines(client):
    # Relative IRIs make the service add its own base; positions must not move.
    response = client.get("/sparql", query_string={"query": "ASK {\n  <s> <p> \n}"})
    assert response.status_code == 400
    assert "error at 3:1" in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["", " ", "}", "SELECT", "SELECT * WHERE { ?s ?p ?o } LIMIT -1",
                                  "\x00", "SELECT * WHERE { ?s ?p 'unterminated }",
                                  "PREFIX : <x> SELECT * { :a :b :c ", "ASK { FILTER(?x <) }",
                                  "SELECT * WHERE { ?s ?p ?o } GROUP BY"])
def test_malformed_queries_are_4xx_never_5xx(client, text):
    response = client.get("/sparql", query_string={"query": text})
    assert 400 <= response.status_code < 500, (text, response.status_code)


#: Calls of a function the engine does not know, in a projection, a FILTER, an ASK, a CONSTRUCT.
UNKNOWN_FUNCTIONS = [
    "SELECT (<urn:x:f>(1) AS ?x) {}",
    "SELECT * WHERE { ?s ?p ?o FILTER(<urn:x:f>(?o)) }",
    "ASK { FILTER(<urn:x:f>(1)) }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(<urn:x:f>(?o)) }",
]


@pytest.mark.parametrize("text", UNKNOWN_FUNCTIONS)
def test_an_unknown_extension_function_is_400_with_the_engines_message(client, text):
    # Regression: the engine's RuntimeError came back as 500 "RuntimeError: The custom function ...".
    response = client.get("/sparql", query_string={"query": text})
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_data(as_text=True)
    assert "The custom function <urn:x:f> is not supported" in body and "RuntimeError" not in body


def test_two_query_parameters_are_400(client):
    response = client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert response.status_code == 400
    assert "one query" in response.get_data(as_text=True)
    response = client.post("/sparql?query=ASK%20%7B%7D", data={"query": "ASK {}"})
    assert response.status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", "application/sparql-results+json"])
def test_wrong_media_type_is_415(client, content_type):
    response = client.post("/sparql", data=b"ASK {}", content_type=content_type)
    assert response.status_code == 415


def test_post_without_a_media_type_is_400(client):
    assert client.post("/sparql", data=b"query=ASK%20%7B%7D").status_code == 400


@pytest.mark.parametrize("body, content_type", [
    ("ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"),
    ("ASK { ?s ?p 'é' }".encode("latin-1"), "application/sparql-query"),
    (b"query=ASK%20%7B%20%3Fs%20%3Fp%20%27%FF%27%20%7D", "application/x-www-form-urlencoded"),
])
def test_non_utf8_is_400(client, body, content_type):
    response = client.post("/sparql", data=body, content_type=content_type)
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client, method):
    response = client.open("/sparql?query=ASK%20%7B%7D", method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


# ----------------------------------------------------------------------------------------
# Read-only, no SERVICE, no crash on hostile input
# ----------------------------------------------------------------------------------------

NEW_TRIPLE = "<urn:x:s> <urn:x:p> <urn:x:o>"
UPDATES = {
    "insert-data": f"INSERT DATA {{ {NEW_TRIPLE} }}",
    "insert-data-graph": f"INSERT DATA {{ GRAPH <{ESSAY_GRAPH}> {{ {NEW_TRIPLE} }} }}",
    "prefixed-insert": PREFIXES + f"insert data {{ {NEW_TRIPLE} }}",
    "comment-then-delete": "# a comment\nDELETE WHERE { ?s ?p ?o }",
    "delete-where": PREFIXES + "DELETE WHERE { ekgid:SCO ?p ?o }",
    "load": "LOAD <http://127.0.0.1:9/x.ttl>",
    "clear": "CLEAR ALL",
    "drop": f"DROP GRAPH <{INFERRED_GRAPH}>",
    "insert-where": f"INSERT {{ {NEW_TRIPLE} }} WHERE {{ ?s ?p ?o }}",
}


def _send_update(client, how, text):
    if how == "query GET":
        return client.get("/sparql", query_string={"query": text})
    if how == "query POST":
        return client.post("/sparql", data=text.encode(), content_type="application/sparql-query")
    if how == "update GET":
        return client.get("/sparql", query_string={"update": text})
    if how == "update POST form":
        return client.post("/sparql", data={"update": text})
    return client.post("/sparql", data=text.encode(), content_type="application/sparql-update")


@pytest.mark.parametrize("how", ["query GET", "query POST", "update GET", "update POST form",
                                 "application/sparql-update"])
@pytest.mark.parametrize("name", sorted(UPDATES))
def test_updates_are_refused_and_change_nothing(app, client, data, how, name):
    before = totals(app, client)
    assert before == [len(data)] * len(before)
    response = _send_update(client, how, UPDATES[name])
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)
    assert "read-only" in response.get_data(as_text=True)
    assert totals(app, client) == before
    ask = client.get("/sparql", query_string={"query": f"ASK {{ {NEW_TRIPLE} }} # {uuid.uuid4()}"},
                     headers={"Accept": JSON})
    assert parse_results(ask) is False


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?x } }",
    "SELECT * WHERE { { SELECT ?s WHERE { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } }",
    "ASK { SERVICE ?endpoint { ?s ?p ?o } }",
])
def test_service_is_refused(client, text):
    response = client.get("/sparql", query_string={"query": text})
    assert 400 <= response.status_code < 500
    assert "SERVICE" in response.get_data(as_text=True)


def test_a_deeply_nested_query_is_400_and_the_service_survives(client, data):
    hostile = "SELECT * WHERE {" + "{" * 5000 + "?s ?p ?o" + "}" * 5000 + "}"
    response = client.post("/sparql", data={"query": hostile})
    assert response.status_code == 400
    assert "nests" in response.get_data(as_text=True)
    assert total(client) == len(data)


def test_a_string_holding_braces_is_not_nesting(client):
    text = 'SELECT ?x WHERE { BIND("%s" AS ?x) }' % ("{" * 1000)
    response = client.get("/sparql", query_string={"query": text}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert parse_results(response)[1] == [{"x": "{" * 1000}]


# ----------------------------------------------------------------------------------------
# The dataset: default graph, protocol dataset, FROM
# ----------------------------------------------------------------------------------------

def ask(client, text, **params) -> bool:
    response = client.get("/sparql", query_string={"query": text, **params},
                          headers={"Accept": JSON})
    assert response.status_code == 200, response.get_data(as_text=True)
    return parse_results(response)


def test_the_triple_is_only_inferred(app):
    built = app.extensions["eurasia_kg.dataset"].built
    holding = [g for g in built.named_graphs() if INFERRED_TRIPLE in built.graph(g)]
    assert holding == [INFERRED_GRAPH]


def test_the_default_graph_is_asserted_and_inferred(client, app):
    assert ask(client, ASK_INFERRED) is True
    response = client.get("/sparql", query_string={
        "query": "SELECT ?g WHERE { GRAPH ?g { <%s> <%s> <%s> } }" % INFERRED_TRIPLE},
        headers={"Accept": JSON})
    assert parse_results(response)[1] == [{"g": str(INFERRED_GRAPH)}]
    served = app.extensions["eurasia_kg.dataset"]
    assert total(client) == len(served.built.view("all"))


def test_default_graph_uri_restricts_the_default_graph(client, app):
    assert ask(client, ASK_INFERRED, **{"default-graph-uri": str(ESSAY_GRAPH)}) is False
    response = client.get("/sparql", query_string={
        "query": COUNT % "essay", "default-graph-uri": str(ESSAY_GRAPH)}, headers={"Accept": JSON})
    count = int(parse_results(response)[1][0]["n"])
    assert count == len(app.extensions["eurasia_kg.dataset"].built.graph(ESSAY_GRAPH)) > 0
    assert ask(client, ASK_INFERRED, **{"default-graph-uri": str(INFERRED_GRAPH)}) is True


def test_named_graph_uri_limits_graph_patterns(client):
    text = "ASK { GRAPH ?g { <%s> <%s> <%s> } }" % INFERRED_TRIPLE
    assert ask(client, text, **{"named-graph-uri": str(ESSAY_GRAPH)}) is False
    assert ask(client, text, **{"named-graph-uri": str(INFERRED_GRAPH)}) is True


def test_from_an_unreachable_address_answers_empty(client):
    response = client.get("/sparql", query_string={
        "query": "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }"},
        headers={"Accept": JSON})
    assert response.status_code == 200
    variables, rows = parse_results(response)
    assert sorted(variables) == ["o", "p", "s"] and rows == []


def test_from_names_the_default_graph(client):
    assert ask(client, f"ASK FROM <{ESSAY_GRAPH}> {{ <%s> <%s> <%s> }}" % INFERRED_TRIPLE) is False
    assert ask(client, f"ASK FROM <{INFERRED_GRAPH}> {{ <%s> <%s> <%s> }}" % INFERRED_TRIPLE) is True
    text = (f"PREFIX g: <{str(ESSAY_GRAPH).rsplit('/', 1)[0]}/> "
            "ASK FROM NAMED g:inferred { GRAPH ?g { <%s> <%s> <%s> } }" % INFERRED_TRIPLE)
    assert ask(client, text) is True
    assert ask(client, text.replace("g:inferred", "g:essay")) is False


def test_the_protocol_dataset_overrides_from(client):
    text = f"ASK FROM <{ESSAY_GRAPH}> {{ <%s> <%s> <%s> }}" % INFERRED_TRIPLE
    assert ask(client, text, **{"default-graph-uri": str(INFERRED_GRAPH)}) is True


# ----------------------------------------------------------------------------------------
# Service description and HTML
# ----------------------------------------------------------------------------------------

def test_service_description_is_turtle_by_default(client, app):
    response = client.get("/sparql")
    assert response.status_code == 200 and media_type(response) == TTL
    graph = Graph().parse(data=response.get_data(), format="turtle")
    service = graph.value(predicate=RDF.type, object=SD.Service)
    assert service == URIRef("http://localhost/sparql")
    assert graph.value(service, SD.endpoint) == service
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    names = set(graph.objects(None, SD.name))
    assert names == set(app.extensions["eurasia_kg.dataset"].built.named_graphs())


@pytest.mark.parametrize("accept, want", [(NT, NT), (JSONLD, JSONLD), (RDFXML, RDFXML)])
def test_service_description_in_other_rdf_formats(client, accept, want):
    response = client.get("/sparql", headers={"Accept": accept})
    assert media_type(response) == want
    assert parse_graph(response).value(predicate=RDF.type, object=SD.Service) is not None


def test_service_description_html_has_a_working_example(client):
    response = client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and media_type(response) == HTML
    page = Page(response.get_data(as_text=True))
    assert "form" in page.tags and len(page.textareas) == 1
    # The example in the form runs as it stands.
    answer = client.post("/sparql", data={"query": page.textareas[0]}, headers={"Accept": JSON})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert parse_results(answer)[1]


def test_select_as_an_html_table(client, expected):
    response = client.get("/sparql", query_string={"query": QUERIES["select"]},
                          headers={"Accept": BROWSER})
    assert media_type(response) == HTML
    page = Page(response.get_data(as_text=True))
    assert "table" in page.tags
    assert page.headers == ["state", "label"]
    states = {state for state, _ in expected["select"]}
    # An IRI with a label reads as its label, the IRI on hover.
    linked = {title: href for (href, _), title in zip(page.links, page.titles) if title}
    assert states <= set(linked)
    assert ["China"] == [text for (_, text), title in zip(page.links, page.titles)
                         if title == "https://w3id.org/eurasia-kg/id/China"]
    cells = [c.strip() for c in page.cells]
    assert {label for _, label in expected["select"]} <= set(cells)
    assert len(cells) == 2 * len(expected["select"])
    # Literals show without datatype or language tag (the JSON, XML, CSV and TSV keep them).
    assert page.notes == [] and "@en" not in response.get_data(as_text=True)
    # An entity IRI links to its entity page here, which also gives its data by Accept.
    some = sorted(states)[0]
    link = urlsplit(linked[some])
    assert link.path == "/id/" + some[len("https://w3id.org/eurasia-kg/id/"):]
    assert client.get(linked[some], headers={"Accept": HTML}).status_code == 200
    described = client.get(linked[some], headers={"Accept": TTL})
    assert described.status_code == 200
    assert (URIRef(some), None, None) in parse_graph(described)


def test_literals_are_not_links_in_html(client):
    response = client.get("/sparql", query_string={"query": 'SELECT ?x WHERE { BIND("<b>x</b>" AS ?x) }'},
                          headers={"Accept": HTML})
    page = Page(response.get_data(as_text=True))
    assert [c.strip() for c in page.cells] == ["<b>x</b>"]  # escaped, shown as text
    assert "b" not in page.tags
    assert all(text != "<b>x</b>" for _, text in page.links)


def test_html_cells_hide_datatypes_and_break_unnamed_iris_between_words(client):
    query = PREFIXES + """SELECT ?year ?unnamed WHERE {
        ekgid:ChinaRussiaStrategicPartnership ekg:startYear ?year .
        BIND (<https://example.org/a-long/path#with-parts> AS ?unnamed) }"""
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": HTML})
    body = response.get_data(as_text=True)
    page = Page(body)
    assert [c.strip() for c in page.cells] == ["1996", "https://example.org/a-long/path#with-parts"]
    assert "gYear" not in body.split("<table")[1]  # the JSON answer keeps it
    # An IRI without a label wraps only after / # and -.
    assert "https:/<wbr>/<wbr>example.org/<wbr>a-<wbr>long/<wbr>path#<wbr>with-<wbr>parts" in body


# ----------------------------------------------------------------------------------------
# Caching and limits
# ----------------------------------------------------------------------------------------

def test_etag_cache_control_and_304(client):
    params = {"query": QUERIES["select"]}
    first = client.get("/sparql", query_string=params)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag
    assert "max-age" in first.headers["Cache-Control"]
    assert "Accept" in first.headers["Vary"]
    again = client.get("/sparql", query_string=params, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    # Another format or another query is another entity.
    xml = client.get("/sparql", query_string=params, headers={"Accept": XML, "If-None-Match": etag})
    assert xml.status_code == 200 and xml.headers["ETag"] != etag
    other = client.get("/sparql", query_string={"query": QUERIES["ask"]},
                       headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    posted = client.post("/sparql", data=params, headers={"If-None-Match": etag})
    assert posted.status_code in (200, 304)


def test_service_description_has_an_etag(client):
    first = client.get("/sparql")
    assert first.headers["ETag"]
    assert client.get("/sparql", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_query_string_over_the_limit_is_414(client, app):
    limit = app.config["MAX_QUERY_STRING"]
    text = "ASK {} #" + "x" * limit
    assert client.get("/sparql", query_string={"query": text}).status_code == 414
    # The same query by POST is fine.
    assert client.post("/sparql", data={"query": text}).status_code == 200


def test_body_over_the_limit_is_413(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = ("ASK {} #" + "x" * limit).encode()
    for content_type in ("application/sparql-query", "application/x-www-form-urlencoded"):
        assert client.post("/sparql", data=body, content_type=content_type).status_code == 413


@pytest.mark.parametrize("kind", ["select", "construct"])
def test_a_result_over_max_rows_gets_a_clear_message(client, app, data, kind):
    limit = app.config["MAX_ROWS"]
    copies = limit // len(data) + 1
    values = " ".join(str(i) for i in range(copies))
    where = f"WHERE {{ VALUES ?k {{ {values} }} ?s ?p ?o }}"
    text = (f"SELECT ?k ?s ?p ?o {where}" if kind == "select"
            else f"CONSTRUCT {{ ?copy <urn:x:of> ?s }} {where[:-1]} BIND(BNODE() AS ?copy) }}")
    response = client.get("/sparql", query_string={"query": text})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f"more than {limit}" in body and "LIMIT" in body
    # Within the limit, the same query answers in full.
    response = client.get("/sparql", query_string={"query": f"{text} LIMIT {limit // 2}"},
                          headers={"Accept": JSON if kind == "select" else NT})
    assert response.status_code == 200
    if kind == "select":
        assert len(parse_results(response)[1]) == limit // 2
    else:
        assert len(parse_graph(response)) == limit // 2


def test_html_table_links_other_iris_to_their_description(client):
    query = "SELECT ?type WHERE { <https://w3id.org/eurasia-kg/id/China> a ?type }"
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": BROWSER})
    page = Page(response.get_data(as_text=True))
    linked = {title: href for (href, _), title in zip(page.links, page.titles) if title}
    state = "https://w3id.org/eurasia-kg/ontology#State"
    link = urlsplit(linked[state])
    assert link.path == "/sparql"
    assert parse_qs(link.query)["query"] == [f"DESCRIBE <{state}>"]
    assert client.get(linked[state], headers={"Accept": TTL}).status_code == 200
