"""The W3C SPARQL 1.1 Protocol test suite, replayed against /sparql through the Flask test client.

The manifest (../shared/w3c/sparql11-protocol/manifest.ttl) is read with rdflib at collection
time; every mf:ProtocolTest becomes one pytest case named after the entry's local name. The
data files named by ut:graphData are served as named graphs under the IRIs of their rdfs:label
(one app holds all of them). Each ht:Request is replayed with its method, path (the manifest's
/sparql/ prefix rewritten to /sparql), headers and body (encoded in its cnt:characterEncoding),
and the response is checked against mf:expectedStatus, mf:expectedFormat and mf:expectedBoolean.

The endpoint is read-only, so for the update tests (update_*, bad_update_*) every update
request must be refused with a 4xx and the dataset must not change: the triple count (a COUNT
query, asked of every executor process) is the same before and after, and a follow-up ASK that
checks for the update's effect answers the opposite of what the manifest expects of a writable
store.
"""

import csv
import io
import json
import uuid
import xml.etree.ElementTree as ET
from collections import namedtuple
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from eurasia_kg.server.app import create_app

from .conftest import ROOT

W3C = ROOT.parent / "shared" / "w3c" / "sparql11-protocol"
MANIFEST = W3C / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
SRX = "{http://www.w3.org/2005/sparql-results#}"

Request = namedtuple("Request", "method path headers body expected_status expected_format "
                                "expected_boolean")
Entry = namedtuple("Entry", "name title graph_data requests")

#: The media types the W3C suite allows for each mf:expectedFormat (see the entries' mf:name).
ALLOWED = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}
RDFLIB_FORMATS = {"application/rdf+xml": "xml", "text/turtle": "turtle",
                  "application/n-triples": "nt"}


def _local_name(iri) -> str:
    return str(iri).rsplit("#", 1)[-1]


def _status_class(term) -> int:
    # hts:StatusCode2xx -> 2
    name = _local_name(term)
    assert name.startswith("StatusCode") and name.endswith("xx"), name
    return int(name[len("StatusCode")])


def _file_path(iri) -> Path:
    return Path(unquote(urlparse(str(iri)).path))


def read_manifest(path: Path = MANIFEST) -> list:
    """Return the manifest's mf:ProtocolTest entries, in manifest order."""
    g = Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = g.value(predicate=RDF.type, object=MF.Manifest)
    entries = []
    for entry in Collection(g, g.value(manifest, MF.entries)):
        if (entry, RDF.type, MF.ProtocolTest) not in g:
            continue
        graph_data = {str(g.value(d, RDFS.label)): _file_path(g.value(d, UT.graph))
                      for d in g.objects(entry, UT.graphData)}
        action = g.value(entry, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for header in Collection(g, header_list):
                    headers[str(g.value(header, HT.fieldName)).lower()] = str(
                        g.value(header, HT.fieldValue))
            body = None
            content = g.value(req, HT.body)
            if content is not None:
                encoding = str(g.value(content, CNT.characterEncoding) or "UTF-8")
                text = str(g.value(content, CNT.chars))
                # "UTF-16" yields a BOM and UTF-16 code units: certainly not UTF-8.
                body = text.encode(encoding)
            resp = g.value(req, HT.resp)
            expected_format = g.value(resp, MF.expectedFormat)
            expected_boolean = g.value(resp, MF.expectedBoolean)
            requests.append(Request(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)),
                headers=headers,
                body=body,
                expected_status={_status_class(s) for s in g.objects(resp, MF.expectedStatus)},
                expected_format=None if expected_format is None else str(expected_format),
                expected_boolean=None if expected_boolean is None else expected_boolean.toPython(),
            ))
        entries.append(Entry(_local_name(entry), str(g.value(entry, MF.name)), graph_data,
                             requests))
    return entries


ENTRIES = read_manifest()
#: Every data file of the suite, keyed by the graph IRI it is served under.
GRAPH_FILES = {iri: path for e in ENTRIES for iri, path in e.graph_data.items()}


def is_update_test(entry) -> bool:
    return entry.name.startswith(("update_", "bad_update_"))


def rewrite(path: str) -> str:
    """Map the manifest's /sparql/ prefix to this service's /sparql."""
    assert path.startswith("/sparql/"), path
    return "/sparql" + path[len("/sparql/"):]


@pytest.fixture(scope="module")
def app():
    """A service holding the suite's data files as named graphs, and nothing of the essay."""
    application = create_app({"NAMED_GRAPH_FILES": {k: str(v) for k, v in GRAPH_FILES.items()},
                              "VALIDATE": False, "DATA_FILES": None, "WITH_SHIPPED": False})
    yield application
    application.extensions["eurasia_kg.pool"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def replay(client, request):
    headers = dict(request.headers)
    content_type = headers.pop("content-type", None)
    return client.open(rewrite(request.path), method=request.method, headers=headers,
                       data=request.body, content_type=content_type)


def media_type(response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip()


def parse_boolean(response) -> bool:
    """Parse an ASK answer in SPARQL Results JSON or XML."""
    kind = media_type(response)
    if kind == "application/sparql-results+json":
        data = json.loads(response.get_data(as_text=True))
        assert isinstance(data["boolean"], bool)
        return data["boolean"]
    root = ET.fromstring(response.get_data())
    assert root.tag == SRX + "sparql"
    value = root.find(SRX + "boolean").text.strip()
    assert value in ("true", "false")
    return value == "true"


def parse_tabular(response) -> tuple:
    """Parse SELECT results in any of the four formats: (variables, rows of values)."""
    kind, text = media_type(response), response.get_data(as_text=True)
    if kind == "application/sparql-results+json":
        data = json.loads(text)
        variables = data["head"]["vars"]
        rows = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    elif kind == "application/sparql-results+xml":
        root = ET.fromstring(response.get_data())
        variables = [v.get("name") for v in root.iter(SRX + "variable")]
        rows = [{b.get("name"): b[0].text or "" for b in r.iter(SRX + "binding")}
                for r in root.iter(SRX + "result")]
    elif kind == "text/csv":
        table = list(csv.reader(io.StringIO(text, newline="")))
        variables, rows = table[0], [dict(zip(table[0], r)) for r in table[1:]]
    else:
        lines = text.rstrip("\n").split("\n")
        header = lines[0].split("\t")
        assert all(v.startswith("?") for v in header), header
        variables = [v[1:] for v in header]
        rows = [dict(zip(variables, line.split("\t"))) for line in lines[1:]]
    return variables, rows


def check_response(response, request) -> None:
    """Check one response against the manifest's expectations for it."""
    status = response.status_code
    assert status // 100 in request.expected_status, (
        f"{request.method} {request.path}: status {status}, expected "
        f"{sorted(request.expected_status)}xx; body: {response.get_data(as_text=True)[:300]}")
    fmt = request.expected_format
    if fmt is None:
        return
    assert media_type(response) in ALLOWED[fmt], response.headers.get("Content-Type")
    if fmt == "boolean":
        value = parse_boolean(response)
        if request.expected_boolean is not None:
            assert value is request.expected_boolean
    elif fmt == "tabular":
        variables, rows = parse_tabular(response)
        assert variables and all(set(row) <= set(variables) for row in rows)
    else:
        graph = Graph().parse(data=response.get_data(), format=RDFLIB_FORMATS[media_type(response)])
        assert isinstance(graph, Graph)


COUNT = ("SELECT (COUNT(*) AS ?n) WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
         " # {nonce}")


def triple_counts(app, client) -> list:
    """Count every triple, once per executor process; a nonce keeps the answer cache out."""
    counts = []
    for _ in range(app.config["EXECUTORS"]):
        response = client.get("/sparql", query_string={"query": COUNT.format(nonce=uuid.uuid4())},
                              headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        counts.append(int(response.get_json()["results"]["bindings"][0]["n"]["value"]))
    return counts


def test_the_manifest_is_read():
    names = [e.name for e in ENTRIES]
    assert len(names) == len(set(names)) == 34
    assert all(e.requests for e in ENTRIES)
    assert {"query_post_form", "bad_query_non_utf8", "update_base_uri"} <= set(names)
    assert all(path.is_file() for path in GRAPH_FILES.values())


def test_the_data_files_are_served_as_named_graphs(client):
    for iri, path in GRAPH_FILES.items():
        expected = Graph().parse(path, format="nt")
        response = client.get("/sparql", query_string={
            "query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"},
            headers={"Accept": "application/n-triples"})
        assert response.status_code == 200
        served = Graph().parse(data=response.get_data(), format="nt")
        assert len(expected) > 0 and set(served) == set(expected), iri


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_protocol(app, client, entry):
    missing = set(entry.graph_data) - set(GRAPH_FILES)
    assert not missing
    if not is_update_test(entry):
        for request in entry.requests:
            check_response(replay(client, request), request)
        return
    before = triple_counts(app, client)
    assert len(set(before)) == 1 and before[0] > 0
    for request in entry.requests:
        response = replay(client, request)
        body = response.get_data(as_text=True)
        if request.expected_format is None:
            # An update request: a read-only endpoint refuses it.
            assert 400 <= response.status_code < 500, (response.status_code, body)
        else:
            # A query that checks the update's effect: it runs, and finds no effect.
            assert response.status_code == 200, body
            assert media_type(response) in ALLOWED[request.expected_format]
            if request.expected_boolean is not None:
                assert parse_boolean(response) is (not request.expected_boolean)
    assert triple_counts(app, client) == before
