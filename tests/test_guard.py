"""server/query/guard.py: what is refused before any engine parses a query."""

import pytest

from eurasia_kg.server.query.guard import MAX_NESTING, analyse, check
from eurasia_kg.server.query.messages import QueryRefused


@pytest.mark.parametrize("text, keyword", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://example.org/>\nBASE <http://example.org/>\nask { ex:a ?p ?o }", "ASK"),
    ("# a comment that says INSERT\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("PREFIX insert: <http://example.org/> DESCRIBE insert:x", "DESCRIBE"),
])
def test_the_first_keyword_is_the_querys_form_whatever_precedes_it(text, keyword):
    assert analyse(text).first_keyword == keyword
    check(analyse(text))  # and it passes


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX ex: <http://example.org/> DELETE WHERE { ?s ?p ?o }",
    "drop all",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused_as_forbidden(text):
    with pytest.raises(QueryRefused) as refused:
        check(analyse(text))
    assert refused.value.status == 403 and "read-only" in str(refused.value)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE#comment\n<http://example.org/sparql> { ?s ?p ?o } }",
    "PREFIX e: <http://example.org/> SELECT * WHERE { SERVICE e:sparql { ?s ?p ?o } }",
])
def test_service_is_refused_however_it_is_written(text):
    with pytest.raises(QueryRefused) as refused:
        check(analyse(text))
    assert refused.value.status == 403 and "SERVICE" in str(refused.value)


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "customer service" }',
    "SELECT * WHERE { ?s <http://schema.org/Service> ?o }",
    "PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s a schema:Service }",
    "# no SERVICE here\nSELECT * WHERE { ?s ?p ?o }",
])
def test_the_word_service_in_strings_names_and_comments_is_no_service(text):
    assert analyse(text).service is False
    check(analyse(text))


def test_service_and_an_iri_in_a_string_is_refused_too():
    # On purpose: a scan cannot always tell a string from code (FILTER(?x<'a>b')), so SERVICE
    # followed by an IRI is refused wherever it is; such a string can be written with \u escapes.
    with pytest.raises(QueryRefused):
        check(analyse('SELECT * WHERE { ?s ?p "SERVICE <http://example.org/>" }'))


def test_nesting_past_the_limit_is_refused_and_at_the_limit_passes():
    def nested(depth):
        return "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth

    check(analyse(nested(MAX_NESTING)))
    with pytest.raises(QueryRefused) as refused:
        check(analyse(nested(MAX_NESTING + 1)))
    assert refused.value.status == 400 and str(MAX_NESTING) in str(refused.value)


def test_brackets_in_strings_and_iris_do_not_count_as_nesting():
    text = 'SELECT * WHERE { ?s ?p "' + "{" * 500 + '" }'
    assert analyse(text).depth == 1


def test_a_from_outside_any_group_is_a_dataset_clause_and_inside_a_string_is_not():
    assert analyse("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }").dataset_clause is True
    assert analyse('SELECT * WHERE { ?s ?p "FROM <urn:g>" }').dataset_clause is False
