"""`eurasia-kg publish` to a real SPARQL store, then `serve --remote` over it.

For each engine (Virtuoso Open Source and Oxigraph's server, on loopback, started by
tests/engines.py): the essay graph is published with the command users run, and the service
over the remote store must give the embedded service's pages and answers, with the endpoint's
protections in front of the store.
"""

import json
import subprocess

import pytest

from eurasia_kg.graph.store import read_manifest
from eurasia_kg.server.app import StartupError, create_app
from eurasia_kg.server.remote.client import RemoteStore

from .engines import STARTERS

#: Starts Virtuoso and Oxigraph's server: `pytest -m "not engines"` leaves it out.
pytestmark = pytest.mark.engines
from .equivalence import assert_same_answers, assert_same_pages, competency_queries, page_paths
from .service import SCRIPT, Service
from .test_store import HIDDEN_SERVICE, listener  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("built") / "kg"
    done = subprocess.run([str(SCRIPT), "build", "-q", "-o", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module", params=sorted(STARTERS))
def engine(request, tmp_path_factory):
    running = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    yield running
    running.stop()


def publish(store, engine) -> subprocess.CompletedProcess:
    args = [str(SCRIPT), "publish", str(store), "--to", engine.query_url]
    if engine.auth:
        args += ["--auth", f"{engine.auth[0]}:{engine.auth[1]}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def published(store, engine):
    done = publish(store, engine)
    assert done.returncode == 0, done.stderr
    return engine


@pytest.fixture(scope="module")
def remote_app(published):
    application = create_app({"REMOTE": published.query_url, "REMOTE_AUTH": published.auth})
    yield application
    application.extensions["eurasia_kg.pool"].close()


def test_publish_verifies_every_graph_count(store, published):
    remote = RemoteStore(published.query_url, auth=published.auth)
    for name, count in read_manifest(store).graphs.items():
        assert remote.count(name) == count, name


def test_the_remote_service_has_the_embedded_version_and_counts(remote_app, app):
    embedded, remote = app.extensions["eurasia_kg.dataset"], remote_app.extensions["eurasia_kg.dataset"]
    assert remote.version == embedded.version
    assert remote.triple_counts() == embedded.triple_counts()


def test_every_page_is_the_embedded_page(remote_app, app):
    assert assert_same_pages(app.test_client(), remote_app.test_client(), page_paths(app)) > 100


def test_the_competency_questions_get_the_embedded_answers(remote_app, app):
    assert_same_answers(app.test_client(), remote_app.test_client(), competency_queries())


def test_the_validation_report_is_the_published_one(remote_app):
    report = remote_app.test_client().get("/validate", headers={"Accept": "application/json"})
    assert report.status_code == 200 and report.json == {"conforms": True, "results": []}


def ask(client, text, **params):
    return client.post("/sparql", data={"query": text, **params},
                       headers={"Accept": "application/sparql-results+json"})


def count_all(client, text="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", **params):
    response = ask(client, text, **params)
    assert response.status_code == 200, response.data
    return int(response.json["results"]["bindings"][0]["n"]["value"])


def test_only_the_published_graphs_are_visible(remote_app, app):
    client = remote_app.test_client()
    total = sum(app.extensions["eurasia_kg.dataset"].triple_counts().values())
    assert count_all(client) == total  # no system graph, no meta graph
    graphs = ask(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").json
    assert {b["g"]["value"] for b in graphs["results"]["bindings"]} == \
        set(app.extensions["eurasia_kg.dataset"].triple_counts())
    # A FROM naming a graph of the store that is not ours reads nothing.
    assert count_all(client, "SELECT (COUNT(*) AS ?n) FROM <http://www.openlinksw.com/schemas/virtrdf#> "
                             "WHERE { ?s ?p ?o }") == 0
    assert count_all(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                     **{"default-graph-uri": "https://w3id.org/eurasia-kg/id/dataset/meta"}) == 0
    # Rows, not COUNT: Virtuoso 7.2 counts 1 for a GRAPH pattern over a graph left out of
    # named-graph-uri, while it returns no row for it.
    system = "http://www.openlinksw.com/schemas/virtrdf#"
    for text, params in [
            (f"SELECT * WHERE {{ GRAPH <{system}> {{ ?s ?p ?o }} }} LIMIT 5", {}),
            (f"PREFIX v: <{system}> SELECT * WHERE {{ GRAPH v: {{ ?s ?p ?o }} }} LIMIT 5", {}),
            (f"SELECT * FROM NAMED <{system}> WHERE {{ GRAPH <{system}> {{ ?s ?p ?o }} }} LIMIT 5", {}),
            ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5", {"named-graph-uri": system})]:
        response = ask(client, text, **params)
        assert response.status_code == 200 and response.json["results"]["bindings"] == [], text
    # ... while a FROM naming one of ours reads that graph.
    essay = "https://w3id.org/eurasia-kg/graph/essay"
    assert count_all(client, f"SELECT (COUNT(*) AS ?n) FROM <{essay}> WHERE {{ ?s ?p ?o }}") == \
        app.extensions["eurasia_kg.dataset"].triple_counts()[essay]


@pytest.mark.parametrize("text, status", [
    ("DROP ALL", 403),
    ("INSERT DATA { <http://example.org/a> <http://example.org/p> 1 }", 403),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", 403),
    ("PREFIX bif: <bif:> SELECT (bif:http_get('http://127.0.0.1:9/') AS ?x) WHERE {}", 403),
    ("SELECT (<http://www.openlinksw.com/schemas/bif#sprintf>('%s', 1) AS ?x) WHERE {}", 403),
    ("SELECT * WHERE { ?s ?p }", 400),
    ("DEFINE get:soft \"replace\" SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }", 400),
    ("ASK { FILTER EXISTS { FILTER(<http://www.openlinksw.com/schemas/bif#sprintf>('%s', 1)) } }", 403),
    ("PREFIX bif: <http://www.w3.org/2001/XMLSchema#> SELECT (bif:sprintf('%s', 'x') AS ?x) WHERE {}", 400),
    # Unknown to every engine: refused here, as any extension function, before it leaves.
    ("SELECT (<urn:x:f>(1) AS ?x) WHERE {}", 403),
    ("SELECT * WHERE { ?s ?p ?o FILTER(<urn:x:f>(?o)) }", 403),
])
def test_the_endpoint_protections_hold_in_front_of_the_store(remote_app, store, published, text, status):
    response = ask(remote_app.test_client(), text)
    assert response.status_code == status, response.data
    remote = RemoteStore(published.query_url, auth=published.auth)
    for name, count in read_manifest(store).graphs.items():  # nothing changed
        assert remote.count(name) == count


def test_the_row_limit_holds_in_front_of_the_store(published):
    application = create_app({"REMOTE": published.query_url, "REMOTE_AUTH": published.auth,
                              "MAX_ROWS": 10, "EXECUTORS": 1})
    try:
        response = ask(application.test_client(), "SELECT * WHERE { ?s ?p ?o }")
        assert response.status_code == 400 and b"more than 10 rows" in response.data
        assert ask(application.test_client(), "SELECT * WHERE { ?s ?p ?o } LIMIT 10").status_code == 200
    finally:
        application.extensions["eurasia_kg.pool"].close()


def test_serve_remote_refuses_a_store_without_a_publication(tmp_path):
    empty = STARTERS["oxigraph"](tmp_path)
    try:
        with pytest.raises(StartupError, match="no eurasia-kg publication"):
            create_app({"REMOTE": empty.query_url})
    finally:
        empty.stop()


def test_serve_remote_refuses_an_unreachable_store():
    with pytest.raises(StartupError, match="127.0.0.1:9"):
        create_app({"REMOTE": "http://127.0.0.1:9/query", "REMOTE_TIMEOUT": 5})


def test_serve_remote_runs_as_a_real_service(published):
    args = ["--remote", published.query_url, "--workers", "2", "--threads", "2"]
    if published.auth:
        args += ["--auth", published.auth[0]]
    import os

    os.environ["EURASIA_KG_PASSWORD"] = published.auth[1] if published.auth else ""
    try:
        service = Service(*args)
    finally:
        os.environ.pop("EURASIA_KG_PASSWORD", None)
    try:
        status, _, body = service.query("ASK { ?s a <https://w3id.org/eurasia-kg/ontology#State> }")
        assert status == 200 and json.loads(body)["boolean"] is True
        status, _, page = service.get("/id/SCO", accept="text/html")
        assert status == 200 and "Shanghai Cooperation Organisation" in page.decode()
    finally:
        assert service.stop() == 0


SECRET = "urn:eurasia-kg:test:secret"


@pytest.fixture
def secret_graph(published):
    """A graph of the store that is not part of the publication."""
    remote = RemoteStore(published.query_url, auth=published.auth)
    remote.put_graph(SECRET, b'<urn:s> <urn:p> "TOP SECRET" .\n')
    yield SECRET
    remote.delete_graph(SECRET)


@pytest.mark.parametrize("text", [
    # A no-break space or a line separator in an IRI, then #: the scan ended the IRI there, took
    # the rest of the line for a comment and sent the FROM on. Virtuoso adds a FROM's graph to
    # the protocol's default graphs.
    "PREFIX a: <http://example.org/\u00a0#> SELECT ?o FROM <SECRET> WHERE { ?s ?p ?o }",
    "PREFIX a: <http://example.org/\u2028#> SELECT ?o FROM <SECRET> WHERE { ?s ?p ?o }",
    # Less-than taken for an IRI (<'a>): its quote opened a string that hid the FROM.
    "SELECT ?o ((1<'a>b') AS ?y) FROM <SECRET> WHERE { ?s ?p ?o FILTER(?o != 'x') }",
])
def test_a_from_clause_the_scan_misreads_reads_no_graph_but_ours(remote_app, secret_graph, text):
    response = ask(remote_app.test_client(), text.replace("SECRET", secret_graph))
    assert response.status_code in (200, 400), response.data
    assert b"TOP SECRET" not in response.data


@pytest.mark.parametrize("text", HIDDEN_SERVICE)
def test_a_service_the_scan_could_miss_is_refused_in_front_of_the_store(remote_app, listener, text):
    url, hits = listener
    response = ask(remote_app.test_client(), text.replace("URL", url))
    assert response.status_code == 403 and b"SERVICE" in response.data, response.data
    assert hits == []  # neither this service (parsing) nor the store called it


def test_skolem_iris_come_back_as_blank_nodes_and_literals_stay_as_they_are(remote_app, app):
    from rdflib import Graph, Literal
    from rdflib.compare import isomorphic

    from eurasia_kg.server.remote.skolem import GENID

    def construct(client, text):
        response = client.post("/sparql", data={"query": text}, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, response.data
        return Graph().parse(data=response.data, format="nt")

    restrictions = ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/eurasia-kg/graph/ontology> "
                    "{ ?s ?p ?o FILTER(isBlank(?s) || STRSTARTS(STR(?s), \"" + GENID + "\")) } }")
    want = construct(app.test_client(), restrictions)
    assert len(want) > 10 and isomorphic(construct(remote_app.test_client(), restrictions), want)
    spelled = f'CONSTRUCT {{ <urn:a> <urn:b> "<{GENID}x>" }} WHERE {{}}'
    assert set(construct(remote_app.test_client(), spelled).objects()) == {Literal(f"<{GENID}x>")}


def test_pages_and_the_endpoint_answer_502_when_the_store_goes_away(store, tmp_path):
    engine = STARTERS["oxigraph"](tmp_path)
    try:
        assert publish(store, engine).returncode == 0
        application = create_app({"REMOTE": engine.query_url, "EXECUTORS": 1, "REMOTE_TIMEOUT": 5})
    finally:
        engine.stop()
    try:
        client = application.test_client()
        page = client.get("/id/China", headers={"Accept": "text/html"})
        assert page.status_code == 502 and b"did not answer" in page.data
        assert ask(client, "ASK { ?s ?p ?o }").status_code == 502
    finally:
        application.extensions["eurasia_kg.pool"].close()


def test_a_store_url_that_is_not_http_is_refused_plainly(store):
    with pytest.raises(StartupError, match="not an http"):
        create_app({"REMOTE": "localhost:8890/sparql"})
    done = subprocess.run([str(SCRIPT), "publish", str(store), "--to", "localhost:8890/sparql"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and "not an http(s) URL" in done.stderr, done.stderr  # configuration


def test_auth_without_a_password_anywhere_is_refused(store, tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "EURASIA_KG_PASSWORD"}
    done = subprocess.run([str(SCRIPT), "publish", str(store), "--to", "http://127.0.0.1:9/query",
                           "--auth", "dba"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 3 and "EURASIA_KG_PASSWORD" in done.stderr  # configuration
