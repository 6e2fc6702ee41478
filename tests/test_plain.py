"""The plain endpoint for anyone's data (issue 11, section 2): `serve --plain --data FILE ...`.

The files are served as they are: their triples in the default graph, their TriG graphs as
named graphs, nothing of the essay, its ontology, inferences or shapes. Every answer is checked
against pyoxigraph's own, on a store loaded with the same files (blank nodes compared modulo
their labels), and the endpoint keeps every protection.
"""

import pyoxigraph as ox
import pytest

from eurasia_kg.graph.store import StoreError, read_manifest
from eurasia_kg.server import cli
from eurasia_kg.server.app import create_app
from eurasia_kg.server.remote.publish import publish_store

from .conftest import TESTS
from .isomorphism import canonical, rows_from_json, rows_from_solutions, same_modulo_blank_nodes

FILES = [TESTS / "fixtures" / "plain" / "people.ttl", TESTS / "fixtures" / "plain" / "events.trig"]
PREFIXES = ("PREFIX ex: <http://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")

QUERIES = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "aggregates by type": """SELECT ?type (COUNT(?x) AS ?n) (AVG(?age) AS ?avg) (MIN(?age) AS ?min)
        (MAX(?age) AS ?max) WHERE { ?x a ?type OPTIONAL { ?x ex:age ?age } } GROUP BY ?type ORDER BY ?type""",
    "sum of mixed numbers": "SELECT (SUM(?v) AS ?total) (COUNT(DISTINCT ?v) AS ?n) WHERE { ?x ex:score ?v }",
    "having": "SELECT ?x (COUNT(?y) AS ?n) WHERE { ?x ex:knows ?y } GROUP BY ?x HAVING (COUNT(?y) > 1)",
    "one or more": "SELECT ?y WHERE { ex:alice ex:knows+ ?y }",
    "zero or more": "SELECT (COUNT(DISTINCT ?y) AS ?n) WHERE { ex:bob ex:knows* ?y }",
    "inverse and sequence": "SELECT ?x ?y WHERE { ?x ^ex:knows/ex:knows ?y }",
    "alternative": "SELECT ?x ?v WHERE { ?x ex:name|ex:age ?v }",
    "graph ?g": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "graph iri": "SELECT ?e ?d WHERE { GRAPH ex:g2022 { ?e ex:on ?d } }",
    "the default graph holds no named graph's triples": "SELECT ?e WHERE { ?e a ex:Event }",
    "from": "SELECT ?e ?d FROM ex:g2023 WHERE { ?e ex:on ?d }",
    "from two graphs": "SELECT (COUNT(*) AS ?n) FROM ex:g2022 FROM ex:g2023 WHERE { ?e a ex:Event }",
    "from named": "SELECT ?g ?e FROM NAMED ex:g2022 WHERE { GRAPH ?g { ?e a ex:Event } }",
    "a date with its timezone": 'SELECT ?e WHERE { GRAPH ?g { ?e ex:on ?d } FILTER(?d = "2022-05-01Z"^^xsd:date) }',
    "timezones": "SELECT ?x ?d (TZ(?d) AS ?tz) (YEAR(?d) AS ?y) WHERE { ?x ex:born ?d } ORDER BY ?x",
    "dates ordered": "SELECT ?x WHERE { ?x ex:born ?d } ORDER BY ?d",
    "dates compared": 'SELECT ?x WHERE { ?x ex:born ?d FILTER(?d < "1991-01-01Z"^^xsd:date) }',
    "language matches": 'SELECT ?x ?n WHERE { ?x ex:name ?n FILTER(langMatches(lang(?n), "en")) }',
    "language tags": "SELECT ?n (lang(?n) AS ?l) WHERE { ?x ex:name ?n } ORDER BY ?n",
    "tags in named graphs": 'SELECT ?l WHERE { GRAPH ?g { ?e ex:label ?l } FILTER(lang(?l) = "de") }',
    "blank nodes": "SELECT ?x ?age WHERE { ?x ex:age ?age FILTER(isBlank(?x)) }",
    "blank nodes joined": "SELECT ?a ?b WHERE { ?a ex:knows ?b FILTER(isBlank(?a) || isBlank(?b)) }",
    "blank nodes in a named graph": "SELECT ?who ?age WHERE { GRAPH ?g { ?e ex:by ?who . ?who ex:age ?age } }",
    "optional and minus": "SELECT ?x ?n WHERE { ?x a ex:Person OPTIONAL { ?x ex:name ?n } MINUS { ?x ex:age 29 } }",
    "values": "SELECT ?x ?age WHERE { VALUES ?x { ex:alice ex:carol ex:nobody } ?x ex:age ?age }",
    "strings": "SELECT ?n (STRLEN(?n) AS ?len) (UCASE(?n) AS ?u) WHERE { ?x ex:name ?n }",
    "an ill-typed literal": "SELECT ?f (DATATYPE(?f) AS ?t) (STR(?f) AS ?s) WHERE { ?x ex:flag ?f }",
    "no ontology": "ASK { ?c a <http://www.w3.org/2002/07/owl#Class> }",
    "ask a path": "ASK { ex:alice ex:knows/ex:knows ex:carol }",
    "construct": "CONSTRUCT { ?b ex:knownBy ?a } WHERE { ?a ex:knows ?b }",
    "construct a named graph": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ex:g2023 { ?s ?p ?o } }",
    "describe": "DESCRIBE ex:alice",
}


def reference() -> ox.Store:
    """pyoxigraph's own answer: a store loaded with the same files, each with its own base."""
    store = ox.Store()
    for path in FILES:
        store.extend(ox.parse(path=str(path), base_iri=path.resolve().as_uri()))
    return store


@pytest.fixture(scope="module")
def app():
    application = create_app({"DATA_FILES": [str(f) for f in FILES], "PLAIN": True})
    yield application
    application.extensions["eurasia_kg.pool"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def ask(client, text: str, accept: str = "application/sparql-results+json"):
    response = client.post("/sparql", data={"query": text}, headers={"Accept": accept})
    assert response.status_code == 200, response.data
    return response


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_answers_are_pyoxigraphs(client, name):
    text = PREFIXES + QUERIES[name]
    want = reference().query(text)
    if isinstance(want, ox.QueryTriples):
        got = ox.parse(ask(client, text, "application/n-triples").data, format=ox.RdfFormat.N_TRIPLES)
        assert canonical(got) == canonical(want)
    elif isinstance(want, ox.QueryBoolean):
        assert ask(client, text).get_json()["boolean"] is bool(want)
    else:
        names, rows = rows_from_json(ask(client, text).get_json())
        want_names, want_rows = rows_from_solutions(want)
        assert names == want_names
        assert same_modulo_blank_nodes(rows, want_rows), (rows, want_rows)


def test_the_comparison_is_not_empty():
    store = reference()
    answered = [n for n, q in QUERIES.items()
                if not isinstance(r := store.query(PREFIXES + q), ox.QuerySolutions) or list(r)]
    assert len(answered) >= len(QUERIES) - 2  # only "default graph ..." and "from named" may be empty


def test_the_default_graph_is_the_files_and_the_graphs_are_theirs(app, client):
    served = app.extensions["eurasia_kg.dataset"]
    store = reference()
    default = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert served.plain and served.default_graph_count() == default
    assert served.triple_counts() == {
        g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}
    assert client.get("/healthz").get_json()["triples"] == len(store)
    description = client.get("/sparql", headers={"Accept": "application/n-triples"}).data.decode()
    assert "UnionDefaultGraph" not in description  # the service description says so too


@pytest.mark.parametrize("text, status", [
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", 403),
    ("LOAD <http://127.0.0.1:9/data.ttl>", 403),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403),
    ("SELECT * WHERE " + "{ " * 250 + "?s ?p ?o" + " }" * 250, 400),
    ("SELECT * WHERE { ?s ?p ", 400),
])
def test_every_protection_of_the_endpoint_holds(client, text, status):
    response = client.post("/sparql", data={"query": text})
    assert response.status_code == status, response.data


def test_from_never_fetches_and_limits_hold(tmp_path):
    app = create_app({"DATA_FILES": [str(f) for f in FILES], "PLAIN": True, "MAX_ROWS": 3,
                      "QUERY_TIMEOUT": 1.0, "EXECUTORS": 1})
    try:
        client = app.test_client()
        far = client.post("/sparql", data={"query": "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})
        assert far.status_code == 200 and far.get_json()["results"]["bindings"] == []
        assert client.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"}).status_code == 400
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n1 ?o . ?q ?r ?t }"
        assert client.post("/sparql", data={"query": slow}).status_code == 503
    finally:
        app.extensions["eurasia_kg.pool"].close()


@pytest.mark.parametrize("path", ["/essay", "/id/alice", "/statements", "/network", "/search?q=alice",
                                  "/ontology", "/query", "/validate"])
def test_the_essays_pages_are_off_with_a_notice(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "plain" in response.get_data(as_text=True)
    assert client.post("/validate", data=b"<urn:a> <urn:b> <urn:c> .",
                       content_type="text/turtle").status_code == 404


def test_the_home_page_says_what_is_served(client):
    from html.parser import HTMLParser

    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    links = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "a":
                links.append(dict(attrs).get("href"))

    Links().feed(page.get_data(as_text=True))
    assert "/sparql" in links and "/download/eurasia-kg.nq" in links
    assert "/essay" not in links and "/statements" not in links  # the essay's menu is gone
    assert "http://example.org/g2022" in page.get_data(as_text=True)


def test_the_description_claims_nothing_of_the_essay(client):
    from rdflib import Graph

    void = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).data,
                         format="turtle")
    text = void.serialize(format="nt")
    assert "creativecommons" not in text and "eurasia-kg/ontology" not in text


def test_a_plain_store_serves_the_same(app, tmp_path, capsys):
    out = tmp_path / "kg"
    assert cli.main(["build", "-q", "--plain", "-o", str(out), "--data", *map(str, FILES)]) == 0
    manifest = read_manifest(out)
    served = app.extensions["eurasia_kg.dataset"]
    assert manifest.data["plain"] and manifest.graphs == served.triple_counts()
    assert manifest.data["default_graph"] == served.default_graph_count()
    assert manifest.version == served.version
    stored = create_app({"STORE": str(out), "EXECUTORS": 1})
    try:
        client, embedded = stored.test_client(), app.test_client()
        for name in ("count", "graph ?g", "blank nodes", "timezones", "from"):
            text = PREFIXES + QUERIES[name]
            got, want = rows_from_json(ask(client, text).get_json()), rows_from_json(ask(embedded, text).get_json())
            assert got[0] == want[0] and same_modulo_blank_nodes(got[1], want[1]), name
        assert client.get("/essay").status_code == 404
    finally:
        stored.extensions["eurasia_kg.pool"].close()
    with pytest.raises(StoreError, match="plain"):
        publish_store(out, "http://127.0.0.1:9/query")


def test_the_command_line_answers_as_the_plain_endpoint(client, capsys):
    import json

    for name in ("count", "the default graph holds no named graph's triples", "from"):
        text = PREFIXES + QUERIES[name]
        code = cli.main(["query", text, "-q", "--format", "json", "--plain", "--data", *map(str, FILES)])
        assert code == 0
        assert json.loads(capsys.readouterr().out) == ask(client, text).get_json(), name


def test_plain_refuses_the_shipped_graph_and_wants_files(capsys):
    for argv, said in ((["--with-shipped", "--data", str(FILES[0])], "--with-shipped"), ([], "--data")):
        with pytest.raises(SystemExit) as exit_:  # a usage error, as argparse's own
            cli.main(["stats", "--plain", *argv])
        assert exit_.value.code == 2 and said in capsys.readouterr().err
