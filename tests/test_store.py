"""A built store: `eurasia-kg build`, then `serve --store` answers as the embedded dataset does."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eurasia_kg.graph.store import MANIFEST, STORE_FORMAT, StoreError, build_store, read_manifest
from eurasia_kg.server import StartupError, create_app

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
    first = build_store(out, [good], with_shipped=True)
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
    with pytest.raises(StoreError, match="does not conform"):
        build_store(tmp_path / "kg", [wrong], with_shipped=True)
    assert not (tmp_path / "kg").exists()


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
