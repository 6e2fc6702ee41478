"""The validation service at /validate: uploads in four RDF syntaxes, reports in three formats.

Expected focus nodes and messages are read from the fixture and from the shipped shapes, not
written out here. Every upload is checked not to touch the shared shapes or the served dataset.
"""

import json
import uuid
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from eurasia_kg.graph.validation import SH, shapes_graph

from .test_sparql_endpoint import Page

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VALID = FIXTURES / "valid-minimal.ttl"
INVALID = FIXTURES / "invalid"
EKG = Namespace("https://w3id.org/eurasia-kg/ontology#")

UPLOADS = {  # Content-Type -> rdflib serializer
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
#: (fixture, class of the faulty node, property the shape finds missing)
INVALID_CASES = [
    ("sanction-shape-missing-target.ttl", EKG.Sanction, EKG.sanctionTarget),
    ("claim-shape-missing-about.ttl", EKG.Claim, EKG.about),
]


@pytest.fixture(scope="module")
def valid_graph():
    return Graph().parse(VALID, format="turtle")


def expected_result(fixture: str, cls, path) -> tuple:
    """The focus node (the fixture's one instance of cls) and the sh:message of the shape
    for cls whose property shape on path has sh:minCount."""
    data = Graph().parse(INVALID / fixture, format="turtle")
    focus = list(data.subjects(RDF.type, cls))
    assert len(focus) == 1 and (focus[0], path, None) not in data
    shapes = shapes_graph()
    messages = {str(shapes.value(prop, SH.message))
                for shape in shapes.subjects(SH.targetClass, cls)
                for prop in shapes.objects(shape, SH.property)
                if shapes.value(prop, SH.path) == path and shapes.value(prop, SH.minCount) is not None}
    assert len(messages) == 1
    return str(focus[0]), messages.pop()


def state(client) -> tuple:
    """The served dataset's size by COUNT (no answer cache) and /healthz, and the shapes' size."""
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"},
                          query_string={"query": f"SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o }} # {uuid.uuid4()}"})
    count = int(response.get_json()["results"]["bindings"][0]["n"]["value"])
    return count, client.get("/healthz").get_json()["triples"], len(shapes_graph())


@pytest.fixture
def unchanged(client):
    """Assert after the test that neither the dataset nor the shapes changed."""
    before = state(client)
    assert before[0] == before[1] > 0 and before[2] > 0
    yield
    assert state(client) == before


@pytest.mark.parametrize("content_type", sorted(UPLOADS))
def test_a_valid_graph_conforms_in_every_syntax(client, valid_graph, unchanged, content_type):
    body = valid_graph.serialize(format=UPLOADS[content_type], encoding="utf-8")
    response = client.post("/validate", data=body, content_type=content_type,
                           headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.get_json() == {"conforms": True, "results": []}
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("fixture, cls, path", INVALID_CASES, ids=[c[0] for c in INVALID_CASES])
def test_an_invalid_graph_is_reported(client, unchanged, fixture, cls, path):
    focus, message = expected_result(fixture, cls, path)
    response = client.post("/validate", data=(INVALID / fixture).read_bytes(),
                           content_type="text/turtle", headers={"Accept": "application/json"})
    assert response.status_code == 200
    report = response.get_json()
    assert report["conforms"] is False
    assert [(r["focusNode"], r["resultPath"], r["message"], r["severity"])
            for r in report["results"]] == [(focus, str(path), message, "Violation")]


def test_the_report_as_a_shacl_graph(client, unchanged):
    fixture, cls, path = INVALID_CASES[0]
    focus, message = expected_result(fixture, cls, path)
    # The same data in N-Triples, answered as Turtle (the default report format).
    body = Graph().parse(INVALID / fixture, format="turtle").serialize(format="nt", encoding="utf-8")
    response = client.post("/validate", data=body, content_type="application/n-triples",
                           headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.get_data(), format="turtle")
    report = graph.value(predicate=RDF.type, object=SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is False
    results = list(graph.objects(report, SH.result))
    assert len(results) == 1
    assert graph.value(results[0], SH.focusNode) == URIRef(focus)
    assert graph.value(results[0], SH.resultPath) == path
    assert str(graph.value(results[0], SH.resultMessage)) == message


def test_the_report_as_html(client, unchanged):
    fixture, cls, path = INVALID_CASES[1]
    focus, message = expected_result(fixture, cls, path)
    response = client.post("/validate", data=(INVALID / fixture).read_bytes(),
                           content_type="text/turtle",
                           headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    page = Page(response.get_data(as_text=True))
    assert "table" in page.tags
    # The results first; what was checked follows (tests/test_checks.py).
    assert page.headers[:5] == ["Severity", "Focus node", "Path", "Value", "Message"]
    assert [c.strip() for c in page.cells][:5] == ["Violation", focus, str(path), "", message]


def test_broken_turtle_is_400_with_its_line(client, unchanged):
    lines = VALID.read_text(encoding="utf-8").splitlines()
    # A triple without an object, between two statements past the middle of the file.
    blank = next(i for i in range(len(lines) // 2, len(lines)) if not lines[i].strip())
    lines.insert(blank + 1, "ekgid:x ekgid:y .")
    response = client.post("/validate", data="\n".join(lines).encode(), content_type="text/turtle")
    assert response.status_code == 400
    assert f"line {blank + 2}," in response.get_data(as_text=True)  # and the column


@pytest.mark.parametrize("body, content_type", [
    (b'{"@id": ', "application/ld+json"),
    (b"<urn:a> <urn:b> .", "application/n-triples"),
    (b"<rdf:RDF", "application/rdf+xml"),
    (b"\xff\xfe", "text/turtle"),
])
def test_unparseable_uploads_are_400(client, body, content_type):
    response = client.post("/validate", data=body, content_type=content_type)
    assert response.status_code == 400
    assert "does not parse" in response.get_data(as_text=True)


def test_too_large_is_413(client, app):
    limit = app.config["MAX_VALIDATE_BYTES"]  # its own limit, above the /sparql body limit
    assert limit > app.config["MAX_CONTENT_LENGTH"]
    body = b"# padding\n" * (limit // 10 + 1)
    response = client.post("/validate", data=body, content_type="text/turtle")
    assert response.status_code == 413
    assert f"larger than {limit} bytes" in response.get_data(as_text=True)
    just_under = b"# padding\n" * ((app.config["MAX_CONTENT_LENGTH"] // 10) + 1)
    assert client.post("/validate", data=just_under, content_type="text/turtle").status_code == 200


@pytest.mark.parametrize("content_type", ["application/pdf", "application/sparql-query",
                                          "application/x-www-form-urlencoded"])
def test_unsupported_content_type_is_415(client, content_type):
    response = client.post("/validate", data=VALID.read_bytes(), content_type=content_type)
    assert response.status_code == 415
    assert "text/turtle" in response.get_data(as_text=True)


@pytest.mark.parametrize("accept, media_type", [
    (None, "text/turtle"), ("text/turtle", "text/turtle"), ("application/json", "application/json"),
    ("text/html", "text/html")])
def test_get_reports_on_the_shipped_graph(client, app, accept, media_type):
    response = client.get("/validate", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert response.headers["ETag"]
    served = app.extensions["eurasia_kg.dataset"]
    assert served.report is not None and served.report.conforms
    body = response.get_data(as_text=True)
    if media_type == "text/turtle":
        graph = Graph().parse(data=body, format="turtle")
        report = graph.value(predicate=RDF.type, object=SH.ValidationReport)
        assert graph.value(report, SH.conforms).toPython() is True
        assert (report, SH.result, None) not in graph
    elif media_type == "application/json":
        assert json.loads(body) == {"conforms": True, "results": []}
    else:
        # No table of results; the tables of what was checked: tests/test_checks.py.
        assert "Conforms" in body and "Severity" not in Page(body).headers
    again = client.get("/validate", headers={"If-None-Match": response.headers["ETag"],
                                             **({"Accept": accept} if accept else {})})
    assert again.status_code == 304
