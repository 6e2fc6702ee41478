"""The application factory: what it builds once and keeps for every worker."""

import atexit
import os

from eurasia_kg.server.app import DEFAULTS, load_served


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


def test_queries_are_answered_with_the_answer_cache_switched_off():
    from eurasia_kg.server import create_app

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
    assert [key for key in cache._data if key.text == query]
    assert client.get("/sparql", query_string={"query": query}).get_data() == first
