"""The application factory: what it builds once and keeps for every worker."""

import atexit
import os
from html.parser import HTMLParser

import pytest

from eurasia_kg.server.app import DEFAULTS, load_served
from eurasia_kg.server.lru import LRU


def test_a_forked_worker_that_exits_keeps_the_executors_data(app):
    # Regression: gunicorn forks its workers from the master after create_app. A worker
    # inherited the master's atexit handler, so one worker exiting deleted the N-Quads file
    # that every executor (re)loads, and the next executor restart failed.
    path = app.extensions["eurasia_kg.dataset"].nquads
    pid = os.fork()
    if pid == 0:  # the "worker": exit the way Python does, running atexit handlers
        try:
            atexit._run_exitfuncs()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert path.exists()


def test_the_version_changes_with_the_data_and_only_then(tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text("<http://example.org/a> a <https://w3id.org/eurasia-kg/ontology#Idea> ; "
                    "<http://www.w3.org/2000/01/rdf-schema#label> \"a\"@en .\n", encoding="utf-8")
    config = dict(DEFAULTS, DATA_FILES=[str(data)])
    first, again = load_served(config), load_served(config)
    assert first.version == again.version
    data.write_text(data.read_text(encoding="utf-8").replace('"a"@en', '"b"@en'), encoding="utf-8")
    assert load_served(config).version != first.version


def test_queries_are_answered_with_the_answer_cache_switched_off(monkeypatch, built):
    from eurasia_kg.server.app import create_app

    # About the answer cache, not the build: the app gets the session's build of the shipped
    # graph (the same defaults, validated) instead of building it again.
    monkeypatch.setattr("eurasia_kg.server.app.build_dataset", lambda *args, **options: built)
    app = create_app({"QUERY_CACHE": False})
    try:
        assert app.extensions["eurasia_kg.cache"] is None
        client = app.test_client()
        for _ in range(2):
            response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
            assert response.status_code == 200 and response.get_json()["boolean"] is True
    finally:
        app.extensions["eurasia_kg.pool"].close()


def test_repeated_queries_come_from_the_answer_cache(app, client):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # cache probe"
    first = client.get("/sparql", query_string={"query": query}).get_data()
    cache = app.extensions["eurasia_kg.cache"]
    assert [key for key in cache.keys() if key.text == query]
    assert client.get("/sparql", query_string={"query": query}).get_data() == first


def test_the_answer_cache_is_bounded_in_entries_and_bytes(app):
    cache = app.extensions["eurasia_kg.cache"]
    assert isinstance(cache, LRU) and cache.entries and cache.max_bytes


# ----------------------------------------------------------------------------- security headers

#: A page of every kind, an error page, and answers that are not HTML.
EVERY_KIND = ["/", "/id/China", "/id/China.ttl", "/class/ekg:State", "/ontology", "/essay",
              "/query", "/network", "/network.svg", "/network.json", "/statements", "/search?q=Russia",
              "/api/search?q=Russia", "/validate", "/sparql", "/sparql?query=ASK%7B%7D",
              "/.well-known/void", "/healthz", "/nowhere", "/static/site.css"]


def policy(response) -> dict:
    """Return the Content-Security-Policy of a response as {directive: [sources]}."""
    directives = {}
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("path", EVERY_KIND)
@pytest.mark.parametrize("accept", ["text/html", "*/*"])
def test_every_response_carries_the_security_headers(client, path, accept):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code < 500, path
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "same-origin"
    found = policy(response)
    assert found["default-src"] == ["'self'"] and found["frame-ancestors"] == ["'none'"]
    assert found["object-src"] == ["'none'"] and found["base-uri"] == ["'none'"]
    assert not [s for sources in found.values() for s in sources
                if s in ("'unsafe-inline'", "'unsafe-eval'", "*") or s.startswith(("http:", "https:"))]


class Inline(HTMLParser):
    """Collect what a strict Content-Security-Policy blocks: inline scripts, styles, handlers."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("an inline <script>")
        if tag == "style":
            self.found.append("a <style> element")
        self.found += [f"{name}= on <{tag}>" for name in names
                       if name == "style" or name.startswith("on")]
        if any((value or "").lstrip().lower().startswith("javascript:") for value in names.values()):
            self.found.append(f"a javascript: address on <{tag}>")


@pytest.mark.parametrize("path", [p for p in EVERY_KIND if "." not in p.rsplit("/", 1)[-1]] +
                         ["/id/essay/p14", "/sparql?query=SELECT%20*%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%203"])
def test_no_page_holds_what_the_policy_blocks(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    parser = Inline()
    parser.feed(response.get_data(as_text=True))
    assert parser.found == [], path
