"""server/query/pool.py: executor processes in the web worker, stopped and replaced when a
query overruns or the engine dies."""

import json

import pytest

from eurasia_kg.server.query.messages import (EngineFailure, QueryRefused, QueryRequest, QueryTimeout,
                                              ResultTooLarge)
from eurasia_kg.server.query.pool import QueryPool

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: Five-fold cross product of 60 triples: 7.8e8 rows to count, far past a second.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def count(pool) -> int:
    answer = pool.run(QueryRequest(text=COUNT, result_format="json"))
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def pool(tmp_path):
    data = tmp_path / "data.nq"
    data.write_text("".join(f"<urn:s{i}> <urn:p> \"{i}\" <urn:g> .\n" for i in range(60)), encoding="utf-8")
    pool = QueryPool({"nquads": str(data)}, size=1, timeout=1.0, max_rows=10).start()
    yield pool
    pool.close()


def test_a_query_past_the_time_limit_is_stopped_and_the_next_one_answered(pool):
    before = pool._idle.queue[0].process.pid
    with pytest.raises(QueryTimeout, match="time limit of 1 s"):
        pool.run(QueryRequest(text=RUNAWAY, result_format="json"))
    assert count(pool) == 60
    assert pool._idle.queue[0].process.pid != before  # a new process took the old one's place


def test_a_dead_executor_is_reported_and_replaced(pool):
    pool._idle.queue[0].process.kill()
    with pytest.raises(EngineFailure, match="restarted"):
        count(pool)
    assert count(pool) == 60


def test_a_result_past_the_row_limit_is_refused_not_cut(pool):
    with pytest.raises(ResultTooLarge, match="more than 10 rows"):
        pool.run(QueryRequest(text="SELECT * WHERE { ?s ?p ?o }", result_format="json"))
    assert count(pool) == 60


def test_a_malformed_query_comes_back_as_a_400_with_the_engines_message(pool):
    with pytest.raises(QueryRefused) as refused:
        pool.run(QueryRequest(text="SELECT * WHERE { ?s ?p }", result_format="json"))
    assert refused.value.status == 400 and str(refused.value)
    assert count(pool) == 60


def test_an_unknown_function_is_the_clients_error(pool):
    with pytest.raises(QueryRefused) as refused:
        pool.run(QueryRequest(text="SELECT (<urn:x:f>(1) AS ?x) {}", result_format="json"))
    assert refused.value.status == 400 and "urn:x:f" in str(refused.value)
