"""server/formats.py: the one registry every surface reads (negotiation, engines, links)."""

import pyoxigraph as ox
import pytest
from rdflib import Graph
from werkzeug.datastructures import MIMEAccept

from eurasia_kg.server import formats


@pytest.mark.parametrize("fmt", [f for f in formats.FORMATS if f.kind in ("graph", "dataset")])
def test_every_rdf_format_names_a_serializer_in_both_libraries(fmt):
    triple = ox.Triple(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c"))
    data = [ox.Quad(triple.subject, triple.predicate, triple.object)] if fmt.kind == "dataset" else [triple]
    body = ox.serialize(data, format=formats.rdf_format(fmt))
    parsed = list(ox.parse(body, format=formats.rdf_format(fmt)))
    assert len(parsed) == 1
    if fmt.kind == "graph":
        assert len(Graph().parse(data=body, format=fmt.rdflib)) == 1


@pytest.mark.parametrize("fmt", formats.of_kind("results"))
def test_every_results_format_names_pyoxigraphs_format(fmt):
    assert formats.results_format(fmt).media_type.split(";")[0] == fmt.media_type


@pytest.mark.parametrize("content_type, expected", [
    ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
    ("text/plain", ox.RdfFormat.N_TRIPLES),            # what Virtuoso sends N-Triples as
    ("application/octet-stream", ox.RdfFormat.N_TRIPLES),
    ("application/sparql-results+json", ox.RdfFormat.N_TRIPLES),  # not RDF: the default
])
def test_a_responses_content_type_gives_the_rdf_format_to_parse_it_with(content_type, expected):
    assert formats.rdf_format_of(content_type) == expected


@pytest.mark.parametrize("accept, kinds, param, expected", [
    ("*/*", ("results",), None, "json"),
    ("text/csv", ("results",), None, "csv"),
    ("application/xml;q=0.5, text/tab-separated-values", ("results",), None, "tsv"),
    ("*/*", ("graph",), None, "ttl"),
    ("application/ld+json", ("graph",), None, "jsonld"),
    ("text/html", ("graph", "html"), None, "html"),
    ("*/*", ("graph",), "xml", "rdf"),          # ?format=xml asks RDF/XML of a graph
    ("*/*", ("results",), "xml", "xml"),        # and results XML of a SELECT
    ("*/*", ("results",), "srj", "json"),
    ("*/*", ("results",), "application/sparql-results+xml", "xml"),
    ("image/png", ("results",), None, None),    # nothing offered fits: the caller answers 406
    ("*/*", ("results",), "ttl", None),
])
def test_negotiation_table(accept, kinds, param, expected):
    chosen = formats.negotiate(MIMEAccept([(a.split(";q=")[0].strip(), float(a.split(";q=")[1]) if ";q=" in a else 1)
                                           for a in accept.split(",")]), kinds, param)
    assert (chosen.name if chosen else None) == expected


def test_short_names_and_media_types_are_unique():
    assert len({f.name for f in formats.FORMATS}) == len(formats.FORMATS)
    media = [m for f in formats.FORMATS for m in (f.media_type, *f.aliases)]
    assert len(media) == len(set(media))
