"""server/response_cache.py: a repeated GET /sparql answered from memory, before Flask."""

import urllib.parse

import pytest

from eurasia_kg.server.app import create_app
from eurasia_kg.server.response_cache import ResponseCache

QUERY = "SELECT ?s WHERE { ?s a <https://w3id.org/eurasia-kg/ontology#State> } ORDER BY ?s LIMIT 3"
PATH = "/sparql?" + urllib.parse.urlencode({"query": QUERY})
JSON = {"Accept": "application/sparql-results+json"}


class Counting:
    """The app's query pool, counting the queries that reach it (those not answered from memory)."""

    def __init__(self, pool):
        self.pool, self.asked = pool, 0

    def run(self, request):
        self.asked += 1
        return self.pool.run(request)

    def close(self):
        self.pool.close()


@pytest.fixture(scope="module")
def service(built):
    """A service of its own on the session's build (these tests change its engine)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("eurasia_kg.server.app.build_dataset", lambda *args, **options: built)
        application = create_app({"EXECUTORS": 1})
    yield application
    application.extensions["eurasia_kg.pool"].close()


@pytest.fixture
def fresh(service):
    """The service with nothing kept, its engine and answer cache as they were after the test."""
    extensions = service.extensions
    pool, cache = extensions["eurasia_kg.pool"], extensions["eurasia_kg.cache"]
    service.wsgi_app.kept = type(service.wsgi_app.kept)(16)
    if cache is not None:
        extensions["eurasia_kg.cache"] = type(cache)(16)
    yield service
    extensions["eurasia_kg.pool"], extensions["eurasia_kg.cache"] = pool, cache


def counted(app) -> Counting:
    """Count from now on the queries that reach the engine (the worker's answer cache off)."""
    pool = app.extensions["eurasia_kg.pool"] = Counting(app.extensions["eurasia_kg.pool"])
    app.extensions["eurasia_kg.cache"] = None
    return pool


def test_a_repeated_get_gets_the_same_response_without_the_engine(fresh):
    app = fresh
    client = app.test_client()
    first = client.get(PATH, headers=JSON)
    assert first.status_code == 200 and first.headers["ETag"]
    engine = counted(app)
    again = client.get(PATH, headers=JSON)
    assert engine.asked == 0
    assert again.status_code == 200 and again.data == first.data
    assert dict(again.headers) == dict(first.headers)  # ETag, Cache-Control, CSP, nosniff, ...


def test_another_format_or_origin_is_not_the_kept_response(fresh):
    app = fresh
    client = app.test_client()
    client.get(PATH, headers=JSON)
    engine = counted(app)
    for asked, headers in enumerate(({"Accept": "text/csv"}, {**JSON, "Origin": "http://example.org"}), 1):
        assert client.get(PATH, headers=headers).status_code == 200
        assert engine.asked == asked


def test_a_conditional_request_is_answered_by_flask_with_304(fresh):
    app = fresh
    client = app.test_client()
    etag = client.get(PATH, headers=JSON).headers["ETag"]
    response = client.get(PATH, headers={**JSON, "If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""


def test_errors_and_posts_are_not_kept(fresh):
    app = fresh
    client = app.test_client()
    bad = "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p }"})
    assert client.get(bad).status_code == 400
    client.post("/sparql", data={"query": QUERY}, headers=JSON)
    engine = counted(app)
    assert client.get(bad).status_code == 400 and engine.asked == 1  # the engine's answer again
    assert client.post("/sparql", data={"query": QUERY}, headers=JSON).status_code == 200
    assert engine.asked == 2


def test_no_cache_means_no_kept_responses(monkeypatch, built):
    monkeypatch.setattr("eurasia_kg.server.app.build_dataset", lambda *args, **options: built)
    app = create_app({"QUERY_CACHE": False, "EXECUTORS": 1})
    try:
        assert not isinstance(app.wsgi_app, ResponseCache)
        client = app.test_client()
        client.get(PATH, headers=JSON)
        engine = counted(app)
        assert client.get(PATH, headers=JSON).status_code == 200 and engine.asked == 1
    finally:
        app.extensions["eurasia_kg.pool"].close()


def test_kept_responses_are_bounded():
    def answer(environ, start_response):
        start_response("200 OK", [("Cache-Control", "public, max-age=300")])
        return [environ["QUERY_STRING"].encode()]

    cache = ResponseCache(answer, entries=3)
    for i in range(10):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": f"query={i}"}
        assert cache(environ, lambda status, headers: None) == [f"query={i}".encode()]
    assert len(cache.kept) == 3
