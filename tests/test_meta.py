"""About the dataset: /healthz, the VoID + DCAT description and the downloads.

The description is checked against the service itself: its triple counts against /healthz and
a COUNT query, its distributions against what their download URLs actually return.
"""

import uuid
from urllib.parse import urlsplit

import pytest
from rdflib import BNode, Dataset, Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, RDF

from eurasia_kg.graph.dataset import ESSAY_GRAPH, INFERRED_GRAPH


VOID = Namespace("http://rdfs.org/ns/void#")
DOWNLOADS = {  # suffix -> (Content-Type, rdflib format, is a dataset of named graphs)
    "ttl": ("text/turtle", "turtle", False),
    "nt": ("application/n-triples", "nt", False),
    "jsonld": ("application/ld+json", "json-ld", False),
    "trig": ("application/trig", "trig", True),
    "nq": ("application/n-quads", "nquads", True),
}


def ground(graph) -> set:
    """The triples without blank nodes (their labels change from one parse to the next)."""
    return {t for t in graph if not any(isinstance(term, BNode) for term in t)}


@pytest.fixture(scope="module")
def health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.get_json()


@pytest.fixture(scope="module")
def void(client):
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == "text/turtle"
    graph = Graph().parse(data=response.get_data(), format="turtle")
    datasets = [d for d in graph.subjects(RDF.type, VOID.Dataset)
                if (d, RDF.type, DCAT.Dataset) in graph]
    assert len(datasets) == 1
    return graph, datasets[0]


@pytest.fixture(scope="module")
def downloads(client):
    """Each download, fetched once: suffix -> response."""
    return {suffix: client.get(f"/download/eurasia-kg.{suffix}") for suffix in DOWNLOADS}


def test_healthz(health, client, app):
    assert health["status"] == "ok"
    assert isinstance(health["version"], str) and health["version"]
    served = app.extensions["eurasia_kg.dataset"]
    assert health["triples"] == sum(served.triple_counts().values()) > 0
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"},
                          query_string={"query": f"SELECT (COUNT(*) AS ?n) {{ ?s ?p ?o }} # {uuid.uuid4()}"})
    assert int(response.get_json()["results"]["bindings"][0]["n"]["value"]) == health["triples"]


def test_void_describes_the_dataset(void, health):
    graph, dataset = void
    assert graph.value(dataset, VOID.triples).toPython() == health["triples"]
    assert str(graph.value(dataset, DCTERMS.hasVersion)) == health["version"]
    assert str(graph.value(dataset, DCTERMS.license)).startswith(
        "https://creativecommons.org/licenses/by/4.0")
    assert graph.value(dataset, DCTERMS.title) is not None


def test_void_subsets_are_the_named_graphs(void, app):
    graph, dataset = void
    counts = {str(s): graph.value(s, VOID.triples).toPython()
              for s in graph.objects(dataset, VOID.subset)}
    assert counts == app.extensions["eurasia_kg.dataset"].triple_counts()
    assert {str(ESSAY_GRAPH), str(INFERRED_GRAPH)} <= set(counts)


def test_void_sparql_endpoint_answers(void, client):
    graph, dataset = void
    endpoint = graph.value(dataset, VOID.sparqlEndpoint)
    assert endpoint is not None and urlsplit(str(endpoint)).path == "/sparql"
    response = client.get(urlsplit(str(endpoint)).path, query_string={"query": "ASK {}"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.get_json()["boolean"] is True


def test_void_has_a_distribution_for_each_download(void):
    graph, dataset = void
    distributions = list(graph.objects(dataset, DCAT.distribution))
    paths = {}
    for distribution in distributions:
        url = graph.value(distribution, DCAT.downloadURL)
        media = str(graph.value(distribution, DCAT.mediaType))
        paths[urlsplit(str(url)).path] = media.rsplit("/media-types/", 1)[-1]
        assert (dataset, VOID.dataDump, url) in graph
        assert graph.value(distribution, DCTERMS.license) == graph.value(dataset, DCTERMS.license)
    assert paths == {f"/download/eurasia-kg.{s}": t for s, (t, _, _) in DOWNLOADS.items()}


@pytest.mark.parametrize("accept, fmt", [("application/n-triples", "nt"),
                                         ("application/ld+json", "json-ld"),
                                         ("application/rdf+xml", "xml")])
def test_void_in_other_formats(client, void, accept, fmt):
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.headers["Content-Type"].split(";")[0] == accept
    graph = Graph().parse(data=response.get_data(), format=fmt)
    assert len(graph) == len(void[0])


def test_void_406(client):
    response = client.get("/.well-known/void", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


@pytest.mark.parametrize("suffix", sorted(DOWNLOADS))
def test_download(downloads, void, app, suffix):
    content_type, fmt, is_dataset = DOWNLOADS[suffix]
    response = downloads[suffix]
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == content_type
    assert f'filename="eurasia-kg.{suffix}"' in response.headers["Content-Disposition"]
    graph, dataset = void
    served = app.extensions["eurasia_kg.dataset"]
    if is_dataset:
        parsed = Dataset().parse(data=response.get_data(), format=fmt)
        names = {g.identifier for g in parsed.graphs() if len(g)}
        assert {ESSAY_GRAPH, INFERRED_GRAPH} <= names
        for name in names:
            got, want = parsed.graph(name), served.built.graph(name)
            assert len(got) == len(want) and ground(got) == ground(want), name
        counts = {str(s): graph.value(s, VOID.triples).toPython()
                  for s in graph.objects(dataset, VOID.subset)}
        assert {str(n): len(parsed.graph(n)) for n in names} == counts
    else:
        parsed = Graph().parse(data=response.get_data(), format=fmt)
        assert len(parsed) == graph.value(dataset, VOID.triples).toPython()
        # Asserted and inferred alike: every named graph's ground triples are there.
        for name in served.built.named_graphs():
            assert ground(served.built.graph(name)) <= ground(parsed), name


@pytest.mark.parametrize("path", [f"/download/eurasia-kg.{s}" for s in sorted(DOWNLOADS)]
                         + ["/.well-known/void"])
def test_etag_and_304(client, downloads, path):
    first = downloads.get(path.rsplit(".", 1)[-1]) if path.startswith("/download/") else client.get(path)
    etag = first.headers["ETag"]
    assert etag and first.headers["Cache-Control"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_downloads_have_distinct_etags(downloads):
    etags = [r.headers["ETag"] for r in downloads.values()]
    assert len(set(etags)) == len(etags)


@pytest.mark.parametrize("suffix", ["rdf", "xml", "txt", "ttl.gz"])
def test_unknown_download_is_404(client, suffix):
    assert client.get(f"/download/eurasia-kg.{suffix}").status_code == 404
