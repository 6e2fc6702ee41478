"""Terms between pyoxigraph and rdflib: lexical forms kept, ill-typed literals found by XSD."""

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

from eurasia_kg.graph.terms import (
    ToRdflib, canonical_form, check_literals, ill_typed, to_oxigraph, to_rdflib)

XSD = "http://www.w3.org/2001/XMLSchema#"


def typed(lexical: str, datatype: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize("lexical, datatype", [
    ("2006-08-23Z", "date"), ("yes", "boolean"), ("1", "boolean"), ("01", "integer"),
    ("0.0", "double"), ("2005-04-04T24:00:00", "dateTime"), ("19.0", "decimal"), ("abc", "integer"),
])
def test_a_literal_crosses_to_rdflib_and_back_as_written(lexical, datatype):
    literal = typed(lexical, datatype)
    converted = to_rdflib(literal)
    assert str(converted) == lexical and str(converted.datatype) == XSD + datatype
    assert to_oxigraph(converted) == literal


def test_other_terms_cross_as_they_are():
    for term, expected in ((ox.NamedNode("http://example.org/a"), URIRef("http://example.org/a")),
                           (ox.BlankNode("b1"), BNode("b1")),
                           (ox.Literal("Shanghai", language="en-gb"), Literal("Shanghai", lang="en-gb")),
                           (ox.Literal("plain"), Literal("plain"))):
        assert to_rdflib(term) == expected and to_oxigraph(expected) == term


def test_ill_typed_is_what_xsd_says_not_what_rdflib_or_owlrl_say():
    literals = [typed("yes", "boolean"), typed("abc", "integer"), typed("2022-13", "gYearMonth"),
                typed(" 1", "integer"), typed("0.0", "double"), typed("2005-04-04T24:00:00", "dateTime"),
                typed("2006-08-23Z", "date"), typed("1", "boolean"), typed("anything", "anyURI")]
    assert set(ill_typed(literals)) == set(literals[:4])
    checked = check_literals(literals)
    assert checked[typed("2005-04-04T24:00:00", "dateTime")].value == "2005-04-05T00:00:00"
    assert typed("anything", "anyURI") not in checked  # not a datatype pyoxigraph checks


def test_rdflib_takes_the_value_xsd_gives_where_its_parser_refuses_a_valid_form():
    literal = typed("2005-04-04T24:00:00", "dateTime")
    plain = to_rdflib(literal)
    assert plain.ill_typed  # rdflib alone: "hour must be in 0..23"
    fixed = ToRdflib(check_literals([literal]))(literal)
    assert str(fixed) == "2005-04-04T24:00:00" and not fixed.ill_typed
    assert fixed.value.isoformat() == "2005-04-05T00:00:00"  # so sh:datatype xsd:dateTime holds
    assert ToRdflib(check_literals([typed("yes", "boolean")]))(typed("yes", "boolean")).ill_typed


def test_nothing_is_logged_for_an_ill_typed_literal(caplog, recwarn):
    to_rdflib(typed("abc", "integer"))
    to_rdflib(typed("yes", "boolean"))
    assert not caplog.records and not recwarn.list


@pytest.mark.parametrize("lexical, datatype, held", [
    ("1", "boolean", "true"), ("19.0", "decimal", "19"), ("2006-08-23Z", "date", "2006-08-23Z"),
    ("yes", "boolean", "yes"), ("x", "anyURI", "x")])
def test_the_canonical_form_is_the_one_the_engine_holds(lexical, datatype, held):
    assert canonical_form(lexical, XSD + datatype) == held
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), typed(lexical, datatype)))
    assert next(iter(store)).object.value == held
