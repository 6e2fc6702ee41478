"""server/remote/rewrite.py: a query confined to our graphs before it leaves for a remote store."""

import pytest

from eurasia_kg.server.query.messages import QueryRefused
from eurasia_kg.server.remote.rewrite import (EMPTY_GRAPH, confine_graph_names, query_dataset,
                                              refuse_functions, strip_dataset_clauses)

OURS = "https://w3id.org/eurasia-kg/graph/essay"


def test_graph_names_outside_ours_are_confined_before_the_query_leaves():
    ours = "https://w3id.org/eurasia-kg/graph/essay"
    text = ("PREFIX g: <https://w3id.org/eurasia-kg/graph/> PREFIX v: <http://www.openlinksw.com/schemas/virtrdf#>\n"
            "SELECT * FROM <http://x/a> FROM NAMED v: WHERE { GRAPH g:essay { ?s ?p \"GRAPH v:\" } "
            "GRAPH v: { ?a ?b ?c } graph <http://x/other> {} GRAPH ?g {} }")
    sent = confine_graph_names(strip_dataset_clauses(text), {ours})
    assert "FROM" not in sent.split("WHERE")[0]
    assert sent.count(f"<{EMPTY_GRAPH}>") == 2 and "GRAPH g:essay" in sent and "GRAPH ?g" in sent
    assert '"GRAPH v:"' in sent  # strings are left alone


def test_a_comment_after_graph_does_not_hide_the_graph_name():
    ours = "https://w3id.org/eurasia-kg/graph/essay"
    for text in ("SELECT * WHERE { GRAPH #c\n <http://x/other> { ?s ?p ?o } }",
                 f"PREFIX v: #{ours}x\n <http://x/other> SELECT * WHERE {{ GRAPH v: {{ ?s ?p ?o }} }}"):
        sent = confine_graph_names(text, {ours})
        assert f"<{EMPTY_GRAPH}> {{ ?s ?p ?o }}" in sent, sent


def test_from_clauses_are_read_and_then_cut_from_the_text():
    text = "SELECT * FROM <http://x/a> FROM NAMED <http://x/b> WHERE { ?s ?p ?o }"
    assert query_dataset(text) == (["http://x/a"], ["http://x/b"])
    assert query_dataset(strip_dataset_clauses(text)) == ([], [])


def test_a_from_inside_a_group_is_not_the_querys_dataset_and_stays():
    text = 'SELECT * WHERE { ?s ?p "FROM <http://x/a>" }'
    assert strip_dataset_clauses(text) == text


@pytest.mark.parametrize("text", [
    "SELECT (<urn:x:f>(1) AS ?x) {}",
    "SELECT * { ?s ?p ?o FILTER(<http://www.openlinksw.com/schemas/bif#contains>(?o, 'x')) }",
])
def test_extension_functions_are_refused_before_a_remote_store_sees_them(text):
    with pytest.raises(QueryRefused) as refused:
        refuse_functions(text)
    assert refused.value.status == 403 and "function" in str(refused.value)


@pytest.mark.parametrize("text", [
    'SELECT (xsd:integer("1") AS ?x) {}',
    "SELECT * { ?s ?p ?o FILTER(STRLEN(?o) > 1) }",
])
def test_xsd_casts_and_built_ins_pass(text):
    prefix = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
    assert refuse_functions(prefix + text) is None


def test_a_malformed_query_is_a_400_with_the_parsers_message():
    with pytest.raises(QueryRefused) as refused:
        refuse_functions("SELECT * WHERE { ?s ?p }")
    assert refused.value.status == 400 and refused.value.args[0].startswith("Malformed query")
