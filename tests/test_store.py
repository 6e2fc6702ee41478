"""A built store: `eurasia-kg build`, then `serve --store` answers as the embedded dataset does."""

import json
import os
import subprocess
from pathlib import Path

import pytest

from eurasia_kg.graph.store import (
    MANIFEST, STORE_FORMAT, NotConforming, StoreError, build_store, read_manifest)
from eurasia_kg.server.app import StartupError, create_app

from .equivalence import assert_same_answers, assert_same_pages, competency_queries, page_paths
from .service import SCRIPT, Service

BAD_TURTLE = "<http://example.org/a> <http://example.org/p> .\n"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store of the shipped graph, built by the command users run."""
    path = tmp_path_factory.mktemp("built") / "kg"
    done = subprocess.run([str(SCRIPT), "build", "-o", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture(scope="module")
def store_app(store):
    application = create_app({"STORE": str(store)})
    yield application
    application.extensions["eurasia_kg.pool"].close()


def test_the_manifest_tells_version_counts_validation_and_tools(store, app):
    manifest = json.loads((store / MANIFEST).read_text())
    embedded = app.extensions["eurasia_kg.dataset"]
    assert manifest["format"] == STORE_FORMAT
    assert manifest["version"] == embedded.version  # same inputs, same version, same ETags
    assert manifest["graphs"] == embedded.triple_counts()
    assert manifest["validation"] == {"conforms": True, "results": 0}
    assert {"pyoxigraph", "rdflib", "pyshacl"} <= set(manifest["tools"])
    assert manifest["seconds"]["total"] > 0


def test_every_page_is_the_embedded_page(store_app, app):
    compared = assert_same_pages(app.test_client(), store_app.test_client(), page_paths(app))
    assert compared > 100


def test_the_competency_questions_get_the_embedded_answers(store_app, app):
    assert_same_answers(app.test_client(), store_app.test_client(), competency_queries())


def test_the_etag_is_the_manifest_version(store_app, store):
    version = read_manifest(store).version
    client = store_app.test_client()
    assert client.get("/healthz").json["version"] == version
    first = client.get("/sparql?query=ASK%7B%7D")
    again = client.get("/sparql?query=ASK%7B%7D", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_endpoint_stays_read_only_over_a_store(store_app, store):
    client = store_app.test_client()
    before = read_manifest(store).graphs
    assert client.post("/sparql", data={"update": "DROP ALL"}).status_code in (400, 403, 405)
    assert client.post("/sparql", data={"query": "DROP ALL"}).status_code == 403
    count = client.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": "application/sparql-results+json"}).json
    assert int(count["results"]["bindings"][0]["n"]["value"]) == sum(before.values())


@pytest.mark.parametrize("text", ["SELECT (<urn:x:f>(1) AS ?x) {}",
                                  "SELECT * WHERE { ?s ?p ?o FILTER(<urn:x:f>(?o)) }"])
def test_an_unknown_extension_function_over_a_store_is_400(store_app, text):
    # Regression: 500 "RuntimeError: The custom function <urn:x:f> is not supported".
    response = store_app.test_client().get("/sparql", query_string={"query": text})
    assert response.status_code == 400
    assert "The custom function <urn:x:f> is not supported" in response.get_data(as_text=True)


def test_a_missing_store_is_refused_with_its_name(tmp_path):
    with pytest.raises(StartupError, match="no such store"):
        create_app({"STORE": str(tmp_path / "nowhere")})


def test_a_half_written_store_is_refused(store, tmp_path):
    half = tmp_path / "half"
    (half / "oxigraph").mkdir(parents=True)  # the store's files, but no manifest: build died
    with pytest.raises(StartupError, match="half-written"):
        create_app({"STORE": str(half)})


@pytest.mark.parametrize("change, message", [
    (lambda m: m.update(format="eurasia-kg-store/0"), "format"),
    (lambda m: m["tools"].update(pyoxigraph="0.3.22"), "pyoxigraph 0.3.22"),
])
def test_a_store_of_another_version_is_refused(store, tmp_path, change, message):
    other = tmp_path / "other"
    os.symlink(store.resolve() / "oxigraph", tmp_path / "ox")
    other.mkdir()
    (other / "oxigraph").symlink_to(store.resolve() / "oxigraph")
    manifest = json.loads((store / MANIFEST).read_text())
    change(manifest)
    (other / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(StartupError, match=message):
        create_app({"STORE": str(other)})


def test_a_failed_build_leaves_the_previous_store_untouched(tmp_path):
    good = tmp_path / "good.ttl"
    good.write_text('<https://w3id.org/eurasia-kg/id/x> a <https://w3id.org/eurasia-kg/ontology#Idea> ;\n'
                    '  <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n', encoding="utf-8")
    out = tmp_path / "kg"
    first = build_store(out, [good])  # the ontology and this file: the essay changes nothing here
    target = os.readlink(out)
    broken = tmp_path / "broken.ttl"
    broken.write_text(BAD_TURTLE, encoding="utf-8")
    done = subprocess.run([str(SCRIPT), "build", "-q", "-o", str(out), "--data", str(broken)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "broken.ttl" in done.stderr and "line 1" in done.stderr
    assert os.readlink(out) == target and read_manifest(out).version == first.version
    assert [p.name for p in (tmp_path / "kg.builds").iterdir()] == [Path(target).name]


def test_a_build_that_does_not_conform_writes_nothing(tmp_path):
    wrong = tmp_path / "wrong.ttl"  # a claim without its quote, paragraph or modality
    wrong.write_text("<https://w3id.org/eurasia-kg/id/claim-x> a <https://w3id.org/eurasia-kg/ontology#Claim> .\n",
                     encoding="utf-8")
    with pytest.raises(NotConforming, match="does not conform"):
        build_store(tmp_path / "kg", [wrong])
    assert not (tmp_path / "kg").exists()


VIOLATING = Path(__file__).parent / "fixtures" / "invalid" / "sanction-shape-imposer-is-target.ttl"
VALID = Path(__file__).parent / "fixtures" / "valid-minimal.ttl"


def test_not_conforming_is_told_apart_from_other_store_errors_by_its_type(tmp_path):
    """Regression: `eurasia-kg build` told a violation (exit 1) from a store that cannot be
    written (exit 3) by the StoreError's __cause__ and a folder check of its own."""
    with pytest.raises(NotConforming) as caught:
        build_store(tmp_path / "kg", [VIOLATING])
    assert isinstance(caught.value, StoreError)  # callers that catch StoreError still do
    assert caught.value.report.conforms is False
    assert any("imposer cannot be its target" in v.message for v in caught.value.report.violations)
    assert not (tmp_path / "kg").exists() and not (tmp_path / "kg.builds").exists()
    (tmp_path / "folder").mkdir()
    (tmp_path / "a-file").write_text("not a folder\n")
    for out in (tmp_path / "folder", tmp_path / "a-file" / "kg"):  # not a store; cannot be written
        with pytest.raises(StoreError) as caught:
            build_store(out, [VALID], with_shipped=False)
        assert not isinstance(caught.value, NotConforming), out


def test_a_rebuild_switches_the_link_and_keeps_the_previous_build(tmp_path):
    out = tmp_path / "kg"
    data = tmp_path / "data.ttl"
    builds = []
    for label in ("a", "b", "c"):
        data.write_text(f'<https://w3id.org/eurasia-kg/id/x> a <https://w3id.org/eurasia-kg/ontology#Idea> ;\n'
                        f'  <http://www.w3.org/2000/01/rdf-schema#label> "{label}"@en .\n', encoding="utf-8")
        builds.append(build_store(out, [data], with_shipped=False).version)
        assert read_manifest(out).version == builds[-1]
    assert len(set(builds)) == 3
    kept = sorted(json.loads((p / MANIFEST).read_text())["version"] for p in (tmp_path / "kg.builds").iterdir())
    assert kept == sorted(builds[1:])  # the newest and the one before it


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "kg").mkdir()
    with pytest.raises(StoreError, match="not a store built by eurasia-kg build"):
        build_store(tmp_path / "kg")


def test_serve_store_starts_several_workers_on_one_store(store):
    service = Service("--store", str(store), "--workers", "2", "--threads", "2")
    try:
        log = "".join(service.lines)
        assert f"opened from {store}" in log
        versions = {service.json("/healthz")["version"] for _ in range(10)}
        assert versions == {read_manifest(store).version}
        status, headers, body = service.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 5000
        status, _, page = service.get("/id/China", accept="text/html")
        assert status == 200 and b"<h1" in page and b"China" in page
    finally:
        assert service.stop() == 0


def test_serve_refuses_store_and_data_together(store):
    done = subprocess.run([str(SCRIPT), "serve", "--store", str(store), "--data", "x.ttl"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "eurasia-kg build" in done.stderr


@pytest.mark.parametrize("suffix", ["nq", "trig", "ttl", "nt", "jsonld"])
def test_downloads_from_a_store_hold_every_triple(store_app, store, suffix):
    from rdflib import Dataset, Graph

    response = store_app.test_client().get(f"/download/eurasia-kg.{suffix}")
    assert response.status_code == 200
    graphs = read_manifest(store).graphs
    if suffix in ("nq", "trig"):
        parsed = Dataset()
        parsed.parse(data=response.data, format={"nq": "nquads", "trig": "trig"}[suffix])
        for name, count in graphs.items():
            assert len(parsed.graph(name)) == count, name
    else:
        parsed = Graph().parse(data=response.data, format={"ttl": "turtle", "nt": "nt",
                                                            "jsonld": "json-ld"}[suffix])
        union = set(store_app.extensions["eurasia_kg.dataset"].view("all"))
        assert len(parsed) == len(union) > 5000


@pytest.fixture
def listener():
    """A local HTTP server that records each request it gets: (url, paths requested)."""
    import http.server
    import threading

    hits = []

    class Record(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Record)
    # A short poll: shutdown() waits for the loop's next look, 0.5 s by default, at every test.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", hits
    server.shutdown()


#: SERVICE where the endpoint's scan of the query did not see it, so the engine called URL.
HIDDEN_SERVICE = [
    # A no-break space in an IRI: the scan ended the IRI there and read # as a comment.
    "PREFIX a: <http://example.org/\u00a0#> SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }",
    # A comment ended by a carriage return alone.
    "SELECT * WHERE { #\rSERVICE <URL> { ?s ?p ?o } }",
    # An escaped quote in a prefixed name, then a quote further on the line.
    "PREFIX a: <http://example.org/> SELECT * WHERE { ?s a:it\\'s ?o . SERVICE <URL> { ?s ?p ?o } "
    "FILTER(?o != 'x') }",
    # Less-than taken for an IRI (<'a>): its quote opened a string that hid the SERVICE.
    "SELECT * WHERE { BIND(1 AS ?x) BIND((?x<'a>b') AS ?y) SERVICE <URL> { ?s ?p ?o } "
    "FILTER(?x != 'z') }",
]


@pytest.mark.parametrize("text", HIDDEN_SERVICE)
def test_a_service_the_scan_could_miss_is_refused_and_never_called(store_app, listener, text):
    url, hits = listener
    response = store_app.test_client().post("/sparql", data={"query": text.replace("URL", url)},
                                            headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 403 and b"SERVICE" in response.data, response.data
    assert hits == []


def test_an_entity_name_that_is_no_iri_is_not_found(store_app):
    client = store_app.test_client()
    for path in ("/id/a%20b", "/id/a%3Eb", "/id/a%25zz", "/class/ekg:a%20b"):
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 404, path


def test_build_into_a_place_that_cannot_be_written_is_a_store_error(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text('<https://w3id.org/eurasia-kg/id/x> a <https://w3id.org/eurasia-kg/ontology#Idea> ;\n'
                    '  <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n', encoding="utf-8")
    (tmp_path / "a-file").write_text("not a folder\n")
    with pytest.raises(StoreError, match="cannot be written"):
        build_store(tmp_path / "a-file" / "kg", [data], with_shipped=False)


def test_a_view_being_made_does_not_hold_up_the_other_views():
    import threading

    from rdflib import Graph, URIRef

    from eurasia_kg.server.sources.base import Source

    slow, quick = URIRef("urn:graph:slow"), URIRef("urn:graph:quick")
    release, done = threading.Event(), threading.Event()

    class Slow(Source):  # as a download over a remote store: minutes of requests
        def named_graphs(self):
            return [slow, quick]

        def _graph_over(self, names):
            if names == [slow]:
                release.wait(30)
            return Graph()

    source = Slow()
    maker = threading.Thread(target=source.graph, args=(slow,))
    maker.start()
    threading.Thread(target=lambda: (source.graph(quick), done.set()), daemon=True).start()
    try:
        assert done.wait(10), "the other view waited for the slow one"
    finally:
        release.set()
        maker.join()


def idea(path, label):
    """Write a one-entity data file; return its path."""
    path.write_text('<https://w3id.org/eurasia-kg/id/x> a <https://w3id.org/eurasia-kg/ontology#Idea> ;\n'
                    f'  <http://www.w3.org/2000/01/rdf-schema#label> "{label}"@en .\n', encoding="utf-8")
    return path


def test_rebuilds_keep_the_build_a_running_server_reads(tmp_path):
    out, data = tmp_path / "kg", tmp_path / "data.ttl"
    build_store(out, [idea(data, "a")], with_shipped=False)
    application = create_app({"STORE": str(out), "EXECUTORS": 1})
    try:
        served = application.extensions["eurasia_kg.dataset"]
        for label in ("b", "c", "d"):  # nightly builds while the server runs
            build_store(out, [idea(data, label)], with_shipped=False)
        assert served.path.is_dir()
        served.after_fork()  # as a gunicorn worker started now does
        response = application.test_client().get("/id/x.nt")
        assert response.status_code == 200 and b'"a"@en' in response.data
    finally:
        application.extensions["eurasia_kg.pool"].close()
    assert len(list((tmp_path / "kg.builds").iterdir())) == 3  # the two newest, and the served one


def test_an_executor_that_cannot_restart_gives_engine_failures_not_tracebacks(tmp_path):
    out = tmp_path / "kg"
    build_store(out, [idea(tmp_path / "data.ttl", "a")], with_shipped=False)
    application = create_app({"STORE": str(out), "EXECUTORS": 1, "QUERY_CACHE": False})
    pool = application.extensions["eurasia_kg.pool"]
    client = application.test_client()
    try:
        assert client.post("/sparql", data={"query": "ASK {}"}).status_code == 200
        os.rename(out.resolve(), tmp_path / "gone")  # an operator removed the build
        pool._idle.queue[0].process.kill()           # and the engine crashed (a segfault)
        for _ in range(2):
            response = client.post("/sparql", data={"query": "ASK {}"})
            assert response.status_code == 500 and response.mimetype == "text/plain", response.data
    finally:
        pool.close()


# ----------------------------------------------------------------------------- one build path

LOADED = "https://example.org/loaded"


def test_the_same_options_give_the_same_dataset_whatever_the_command(tmp_path, capsys):
    """Regression: `serve --graph G=f` served the ontology and G, while `build --graph G=f` then
    `serve --store` served the essay and background graphs too. serve, build, export, stats,
    query and validate all build with graph.dataset.build_dataset."""
    from io import StringIO

    import pyoxigraph as ox

    from eurasia_kg.graph.dataset import INFERRED_GRAPH, ONTOLOGY_GRAPH
    from eurasia_kg.server import cli

    data = Path(__file__).parent / "fixtures" / "faithful" / "literals.ttl"
    options = ["--graph", f"{LOADED}={data}"]
    embedded = create_app({"NAMED_GRAPH_FILES": {LOADED: str(data)}, "EXECUTORS": 1})
    out = tmp_path / "kg"
    assert cli.main(["build", "-q", "-o", str(out), *options]) == 0
    stored = create_app({"STORE": str(out), "EXECUTORS": 1})
    try:
        counts = embedded.extensions["eurasia_kg.dataset"].triple_counts()
        assert set(counts) == {str(ONTOLOGY_GRAPH), LOADED, str(INFERRED_GRAPH)}  # no essay
        assert stored.extensions["eurasia_kg.dataset"].triple_counts() == counts
        assert read_manifest(out).graphs == counts
        per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        answers = [app.test_client().get("/sparql", query_string={"query": per_graph}, headers={
            "Accept": "text/csv"}).get_data(as_text=True) for app in (embedded, stored)]
        assert answers[0] == answers[1]
    finally:
        for app in (embedded, stored):
            app.extensions["eurasia_kg.pool"].close()
    capsys.readouterr()
    assert cli.main(["query", per_graph, "-q", "--format", "csv", *options]) == 0
    assert sorted(capsys.readouterr().out.splitlines()) == sorted(answers[0].splitlines())
    assert cli.main(["export", "--format", "nq", *options]) == 0
    exported = list(ox.parse(capsys.readouterr().out.encode(), format=ox.RdfFormat.N_QUADS))
    assert {q.graph_name.value for q in exported} == set(counts)
    assert cli.main(["stats", *options]) == 0
    printed = dict(line.strip()[len("graph "):].rsplit(": ", 1)
                   for line in StringIO(capsys.readouterr().out) if line.strip().startswith("graph "))
    assert {g: int(n) for g, n in printed.items()} == counts
    assert cli.main(["validate", "-q", *options]) == 0
