"""What the validation page says was checked (server/checks.py): each shape that ran, over how
many nodes, and its rules in plain words. Expected counts are read from the data with SPARQL and
expected rules from the shipped shapes, not written out here."""

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from eurasia_kg.graph.validation import SH, shapes_graph
from eurasia_kg.ontology import EKG
from eurasia_kg.server.pages.checks import plain

from .test_pages import Element, Page, html
from .test_validate_service import INVALID

VOCABULARY = ("ekg:", "ekgid:", "xsd:", "skos:", "rdfs:", "owl:", "schema:", "org:", "dct:", "@en")


@pytest.fixture(scope="module")
def page(client) -> Page:
    return html(client, "/validate")


@pytest.fixture(scope="module")
def asserted(built) -> Graph:
    """The data as validation sees it: the asserted graphs with the ontology."""
    return built.view("asserted")


def rows(page: Page) -> dict:
    """Return {what a shape runs over: (nodes, [(rule in words, rule as the shapes word it)])}."""
    found = {}
    for tr in (e for e in page.root.walk() if e.tag == "tr"):
        cells = [c for c in tr.children if isinstance(c, Element)]
        if len(cells) == 3 and cells[0].tag == "th" and cells[0].attrs.get("scope") == "row":
            rules = [(li.text, li.attrs.get("title")) for li in cells[2].walk() if li.tag == "li"]
            found[cells[0].text] = (cells[1].text, rules)
    return found


def count(graph: Graph, where: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(graph.query(query, initNs={"ekg": EKG, "rdf": RDF,
                                                     "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})))[0])


def test_the_page_says_it_conforms_and_what_was_checked(page):
    text = " ".join("".join(page.text).split())
    assert "Conforms: the data satisfies every shape." in text
    assert "What was checked" in page.headings
    groups = [h for h in page.headings if h.endswith("and their kinds")]
    assert groups[:4] == ["Statements and their kinds", "Embedded propositions and their kinds",
                          "Actors and their kinds", "Events and their kinds"]
    assert {"Other things", "Nodes with a given property"} <= set(page.headings)


def test_every_shape_with_a_target_is_listed(page):
    shapes = shapes_graph()
    targeted = {s for s in shapes.subjects(RDF.type, SH.NodeShape)
                if any(shapes.value(s, t) is not None for t in (SH.targetClass, SH.targetSubjectsOf,
                                                               SH.targetNode, SH.targetObjectsOf))}
    assert len(rows(page)) == len(targeted) > 30
    text = " ".join("".join(page.text).split())
    assert f"{len(targeted)} shapes ran over the data" in text


@pytest.mark.parametrize("about, where", [
    ("Every claim", "?node rdf:type/rdfs:subClassOf* ekg:Claim"),
    # Subclasses count: claims, relations, sanctions, trade flows, demands are statements.
    ("Every statement", "?node rdf:type/rdfs:subClassOf* ekg:Statement"),
    ("Every state", "?node rdf:type/rdfs:subClassOf* ekg:State"),
    ("Every paragraph", "?node rdf:type/rdfs:subClassOf* ekg:Paragraph"),
    ("Every sanction", "?node rdf:type/rdfs:subClassOf* ekg:Sanction"),
    ("Everything with “addressed to”", "?node ekg:addressedTo ?x"),
    ("Everything with “conflicts with” or “supports”", "{ ?node ekg:supports ?x } UNION { ?node ekg:conflictsWith ?x }"),
    ("Everything with “date”, “inferred year”, “start year” or “year”",
     "VALUES ?p { ekg:date ekg:inferredYear ekg:startYear ekg:year } ?node ?p ?x"),
])
def test_the_nodes_each_shape_ran_over_are_counted_from_the_data(page, asserted, about, where):
    nodes, _ = rows(page)[about]
    expected = count(asserted, where)
    assert expected > 0 and nodes == f"{expected:,} nodes"


def test_a_statement_shape_counts_its_subclasses(page, asserted):
    statements, claims = (int(rows(page)[k][0].split()[0].replace(",", "")) for k in ("Every statement", "Every claim"))
    assert statements > claims == len(set(asserted.subjects(RDF.type, EKG.Claim)))


def test_the_rules_are_the_shapes_messages_in_plain_words(page):
    shapes = shapes_graph()
    claim = shapes.value(predicate=SH.targetClass, object=EKG.Claim)
    parts = [claim] + list(shapes.objects(claim, SH.property)) + list(shapes.objects(claim, SH.sparql))
    messages = {str(m) for part in parts for m in shapes.objects(part, SH.message)}
    _, rules = rows(page)["Every claim"]
    assert {title for _, title in rules} == messages  # each rule keeps its wording as its tooltip
    words = {w for w, _ in rules}
    assert "A claim says what it is about." in words  # "(ekg:about, one or more IRIs)" goes
    assert "“Uttered in” names the one “speech” in which the words were said." in words or \
        "“uttered in” names the one “speech” in which the words were said." in words
    statement_rules = {w for w, _ in rows(page)["Every statement"][1]}
    assert ("A statement has exactly one modality: “fact reported”, “assessment”, “recommendation”"
            " or “reported speech”.") in statement_rules
    assert "A statement says who asserts it." in statement_rules


def test_the_rules_read_without_vocabulary_names(page):
    for about, (_, rules) in rows(page).items():
        for words, _ in rules:
            assert not any(v in words for v in VOCABULARY), (about, words)
            assert "(a statement)" not in words and "  " not in words


def test_an_upload_says_what_was_checked_in_it_and_what_failed(client):
    fixture = INVALID / "sanction-shape-missing-target.ttl"
    response = client.post("/validate", data=fixture.read_bytes(), content_type="text/turtle",
                           headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    data = Graph().parse(fixture, format="turtle")
    nodes, rules = rows(page)["Every sanction"]
    assert nodes.startswith(str(len(set(data.subjects(RDF.type, EKG.Sanction))))) and "1 failed" in nodes
    assert "A sanction has at least one target." in {w for w, _ in rules}
    assert "Does not conform" in " ".join("".join(page.text).split())


def test_the_page_is_counted_once(app, client):
    client.get("/validate", headers={"Accept": "text/html"})
    first = app.extensions["eurasia_kg.checks"]
    client.get("/validate", headers={"Accept": "text/html"})
    assert app.extensions["eurasia_kg.checks"] is first


def test_rules_read_compact_names_as_labels(app):
    with app.app_context():
        d = app.extensions["eurasia_kg.describer"]
        assert plain("A trade flow has one ekg:tradeOf, an ekg:Actor.", d) == "A trade flow has one “trade of”, an actor."
        assert plain("A claim says what it is about (ekg:about, one or more IRIs).", d) == \
            "A claim says what it is about."
        assert plain("Only a statement (an ekg:Statement) supports it.", d) == "Only a statement supports it."


def test_rules_are_escaped(client, page):
    body = client.get("/validate", headers={"Accept": "text/html"}).get_data(as_text=True)
    checked = body.split('id="checked"')[1]
    assert "<b>" not in checked and "&#34;" in checked  # the messages' quotes ("1996") are escaped
