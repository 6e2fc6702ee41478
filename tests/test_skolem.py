"""server/remote/skolem.py: blank nodes written as skolem IRIs for a remote store, and read back."""

import json

from rdflib import BNode, Graph, Literal, URIRef

from eurasia_kg.server.remote.skolem import (GENID, skolemize_line, skolemize_term, unskolemize_iri,
                                             unskolemize_json, unskolemize_ntriples)


def test_skolemizing_leaves_iris_that_hold_an_underscore_colon_alone():
    line = skolemize_line("<http://example.org/a_:b> <http://example.org/p> _:x1 .\n")
    assert set(Graph().parse(data=line, format="nt")) == {
        (URIRef("http://example.org/a_:b"), URIRef("http://example.org/p"), URIRef(GENID + "x1"))}


def test_a_published_line_reads_back_as_the_same_blank_node():
    line = '_:b1 <http://example.org/p> "a _:b2 in a string" .\n'
    published = skolemize_line(line)
    assert published == f'<{GENID}b1> <http://example.org/p> "a _:b2 in a string" .\n'
    assert unskolemize_ntriples(published.encode()).decode() == line


def test_json_results_turn_skolem_iris_into_blank_nodes_and_leave_literals():
    body = json.dumps({"head": {"vars": ["x", "y"]}, "results": {"bindings": [{
        "x": {"type": "uri", "value": GENID + "b7"},
        "y": {"type": "literal", "value": GENID + "b7"}}]}}).encode()
    binding = json.loads(unskolemize_json(body))["results"]["bindings"][0]
    assert binding["x"] == {"type": "bnode", "value": "b7"}
    assert binding["y"] == {"type": "literal", "value": GENID + "b7"}


def test_terms_map_both_ways():
    assert skolemize_term(BNode("b3")) == URIRef(GENID + "b3")
    assert unskolemize_iri(GENID + "b3") == BNode("b3")
    assert unskolemize_iri("http://example.org/a") == URIRef("http://example.org/a")
    assert skolemize_term(Literal("x")) == Literal("x")
