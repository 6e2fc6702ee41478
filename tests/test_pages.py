"""Pages for people, through the Flask test client: parsed HTML, parsed data, negotiation."""

from html.parser import HTMLParser

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from eurasia_kg.ontology import EKGID, ORG
from eurasia_kg.server import create_app

from .conftest import TESTS


class Page(HTMLParser):
    """A parsed page: headings, links, table cells, blockquotes, all text."""

    def __init__(self, html: str):
        super().__init__()
        self.headings, self.links, self.cells, self.quotes, self.alternates = [], [], [], [], []
        self.scripts, self.text = [], []
        self._stack = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._stack.append([tag, attrs, ""])
        if tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append((attrs.get("type"), attrs.get("href")))
        if tag == "script":
            self.scripts.append(attrs.get("src"))

    def handle_endtag(self, tag):
        while self._stack:
            open_tag, attrs, text = self._stack.pop()
            if self._stack:
                self._stack[-1][2] += text
            if open_tag == tag:
                break
        if tag in ("h1", "h2", "h3"):
            self.headings.append(" ".join(text.split()))
        elif tag == "a":
            self.links.append((" ".join(text.split()), attrs.get("href")))
        elif tag in ("td", "th"):
            self.cells.append(" ".join(text.split()))
        elif tag == "blockquote":
            self.quotes.append(" ".join(text.split()))

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][2] += data
        self.text.append(data)

    def link_to(self, href):
        return [text for text, h in self.links if h == href]


def html(client, path) -> Page:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    assert response.content_type.startswith("text/html")
    return Page(response.get_data(as_text=True))


def test_home(client):
    page = html(client, "/")
    assert page.headings[0] == "eurasia-kg"
    assert {"Main actors", "Classes"} <= set(page.headings)
    assert page.link_to("/id/China") == ["China"]
    assert page.link_to("/query") and page.link_to("/essay") and page.link_to("/ontology")
    assert page.link_to("/validate") and page.link_to("/download/eurasia-kg.ttl")
    assert "state" in page.cells  # classes with instance counts


def test_entity_page_header_statements_and_evidence(client):
    page = html(client, "/id/China")
    assert page.headings[0] == "China"
    text = "".join(page.text)
    assert "Китай" in text and "中国" in text
    assert page.link_to("http://www.wikidata.org/entity/Q148")
    assert page.link_to("/class/ekg:State") == ["state"]  # types link to their class pages
    # An n-ary relation read as a sentence, with its paragraph and quote.
    assert "Trade with European Union, 2021: US$820 billion, up 19%" in page.link_to("/id/TradeChinaEU2021")
    assert "In 2021, China’s trade with the EU increased 19% to $820 billion" in " ".join(page.quotes)
    assert "Paragraph 10" in page.link_to("/essay#p10")
    assert any(h.startswith("What the essay says about China") for h in page.headings)
    assert any(h.startswith("Links to China") for h in page.headings)


def test_a_binary_statement_shows_the_claims_behind_it(client):
    page = html(client, "/id/Russia")
    text = " ".join("".join(page.text).split())
    # Russia leans towards the revolutionary approach: paragraph 15 says so.
    assert "the essay: Russia leans more towards the revolutionary approach." in text
    assert "“Russia leans more towards the revolutionary approach”" in page.quotes


def test_inferred_statements_say_from_which_axiom(client):
    page = html(client, "/id/SCO")
    text = " ".join("".join(page.text).split())
    assert page.link_to("/id/China") and page.link_to("/id/Russia")
    assert "inferred: inverse of org:memberOf (owl:inverseOf)" in text


def test_background_facts_are_marked_with_their_source(client):
    page = html(client, "/id/China")
    text = " ".join("".join(page.text).split())
    assert "background fact, not from the essay" in text
    assert "Background facts" in page.headings
    assert page.link_to("https://www.wikidata.org/wiki/Q485207")


def test_inferred_members_from_background_facts_are_marked_background(client):
    page = html(client, "/id/SCO")
    text = " ".join("".join(page.text).split())
    assert text.count("background fact, not from the essay") >= 10  # every member
    # Membership nodes are listed once, under "Background facts", not again as links.
    assert "Background facts" in page.headings


def test_links_do_not_repeat_the_claims(client):
    page = html(client, "/id/China")
    links_heading = [h for h in page.headings if h.startswith("Links to China")]
    assert links_heading
    row_headers = " ".join(page.cells)
    for repeated in ("subject", "about", "was attributed to", "was derived from"):
        assert f"{repeated} (" not in row_headers


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.content_type.startswith("image/svg+xml")


def test_claim_page_shows_its_evidence(client):
    page = html(client, "/id/claim-p18-4")
    assert page.headings[0] == "The SCO is the most fitting platform for advancing regional economic integration."
    assert page.quotes == ["“the SCO is the most fitting platform”"]
    assert page.link_to("/essay#p18") == ["Paragraph 18"]
    assert "assessment" in "".join(page.text)


@pytest.mark.parametrize("accept, suffix, expected_type, rdflib_format", [
    ("text/turtle", None, "text/turtle", "turtle"),
    ("application/ld+json", None, "application/ld+json", "json-ld"),
    ("application/n-triples", None, "application/n-triples", "nt"),
    ("application/rdf+xml", None, "application/rdf+xml", "xml"),
    ("text/turtle;q=0.5, application/ld+json", None, "application/ld+json", "json-ld"),
    ("text/html", "ttl", "text/turtle", "turtle"),
    ("text/html", "jsonld", "application/ld+json", "json-ld"),
    ("text/html", "nt", "application/n-triples", "nt"),
    ("*/*", "rdf", "application/rdf+xml", "xml"),
])
def test_entity_data_by_accept_or_suffix(client, accept, suffix, expected_type, rdflib_format):
    path = "/id/SCO" + (f".{suffix}" if suffix else "")
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.content_type.startswith(expected_type)
    graph = Graph().parse(data=response.get_data(), format=rdflib_format)
    assert (EKGID.SCO, ORG.hasMember, EKGID.China) in graph
    assert (EKGID.China, ORG.memberOf, EKGID.SCO) in graph  # incoming links too
    assert ("Accept" in response.vary) == (suffix is None)


def test_alternate_links_in_html_and_headers(client):
    response = client.get("/id/SCO", headers={"Accept": "text/html"})
    page = Page(response.get_data(as_text=True))
    types = {t for t, _ in page.alternates}
    assert types == {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"}
    assert all(href in response.headers["Link"] for _, href in page.alternates)
    assert "Accept" in response.vary


@pytest.mark.parametrize("path, accept, status, content_type", [
    ("/id/NoSuchThing", "text/html", 404, "text/html"),
    ("/id/NoSuchThing", "text/turtle", 404, "text/plain"),
    ("/id/NoSuchThing.ttl", "*/*", 404, "text/plain"),
    ("/no/such/page", "text/html", 404, "text/html"),
    ("/class/ekg:NoSuchClass", "text/html", 404, "text/html"),
    ("/id/China", "image/png", 406, "text/plain"),
])
def test_unknown_things_are_404_never_500(client, path, accept, status, content_type):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == status
    assert response.content_type.startswith(content_type)


@pytest.mark.parametrize("q", ["shanghai", "Шанхай", "上海", "SCO"])
def test_search_in_every_language_finds_the_sco(client, q):
    page = html(client, f"/search?q={q}")
    assert page.link_to("/id/SCO")
    found = client.get(f"/api/search?q={q}").get_json()
    assert found["results"][0]["iri"] == str(EKGID.SCO)
    assert found["results"][0]["href"] == "/id/SCO"


def test_class_page_lists_instances(client):
    page = html(client, "/class/ekg:State")
    assert page.headings[0] == "state"
    assert page.link_to("/id/China") and page.link_to("/id/Kazakhstan")


def test_ontology_page(client):
    page = html(client, "/ontology")
    assert {"Classes", "Properties", "Controlled vocabularies"} <= set(page.headings)
    text = "".join(page.text)
    assert "owl:SymmetricProperty" in text and "inverse of ekg:pursues" in text
    assert "sub-property of prov:wasAttributedTo" in text


def test_essay_page_shows_each_paragraph_with_its_statements(client, paragraphs):
    page = html(client, "/essay")
    numbered = [h for h in page.headings if h.startswith("Paragraph ")]
    assert len(numbered) == 24
    assert "“This model is a strategic partnership, not an alliance”" in page.quotes
    # Quotes only: no paragraph of the essay is reproduced whole.
    text = " ".join("".join(page.text).split())
    assert not [n for n, p in paragraphs.items() if " ".join(p.split()) in text]


def test_network_page_and_svg(client):
    page = html(client, "/network")
    assert page.link_to("/id/China") and page.link_to("/id/BeltAndRoadInitiative")
    svg = client.get("/network.svg")
    assert svg.content_type.startswith("image/svg+xml")
    assert b"<circle" in svg.data
    data = client.get("/network.json").get_json()
    keys = {n["id"] for n in data["nodes"]}
    assert str(EKGID.China) in keys and all(e["source"] in keys for e in data["edges"])


def test_query_page_prefilled_and_with_examples(client):
    page = html(client, "/query?query=ASK%20%7B%7D")
    assert "ASK {}" in "".join(page.text)
    text = " ".join("".join(page.text).split())
    # Titles are the whole leading comment of each query, not its first line.
    assert ("CQ5: Which initiatives and organisations should be connected for regional economic "
            "integration, and which platform does the author call most fitting, and why?") in text
    assert any("CQ1" in text for text, _ in page.links) or any("CQ1" in t for t in page.text)


def test_labels_are_escaped(tmp_path):
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text((TESTS / "fixtures" / "valid-minimal.ttl").read_text(encoding="utf-8") + """
<https://w3id.org/eurasia-kg/id/Evil> a <https://w3id.org/eurasia-kg/ontology#State> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert(1)</script>"@en .
""", encoding="utf-8")
    app = create_app({"DATA_FILES": [str(hostile)]})
    try:
        client = app.test_client()
        for path in ("/id/Evil", "/search?q=script", "/class/ekg:State"):
            body = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
            assert "<script>alert(1)</script>" not in body, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path
        assert "<script>alert" not in client.get("/network").get_data(as_text=True)
    finally:
        app.extensions["eurasia_kg.pool"].close()


def test_every_entity_of_the_essay_has_a_page(client):
    app_graph = Graph()
    response = client.get("/download/eurasia-kg.nt")
    app_graph.parse(data=response.get_data(), format="nt")
    subjects = {s for s in app_graph.subjects(RDF.type, None)
                if isinstance(s, URIRef) and str(s).startswith(str(EKGID))}
    failures = [s for s in sorted(subjects)
                if client.get("/id/" + str(s)[len(str(EKGID)):], headers={"Accept": "text/html"}).status_code != 200]
    assert failures == []
    assert len(subjects) > 200  # states, groups, claims, relation nodes, paragraphs ...


def test_the_network_keeps_the_most_connected_actors_of_a_large_dataset(app, monkeypatch):
    from collections import Counter

    from eurasia_kg.server import pages

    with app.test_request_context("/network.json"):
        nodes, edges = pages.network_data()
        degree = Counter(end for e in edges for end in e[:2])
        monkeypatch.setattr(pages, "NETWORK_MAX", 5)
        few, few_edges = pages.network_data()
    assert len(nodes) > 5 and len(few) <= 5
    kept = {n.key for n in few}
    assert all(s in kept and o in kept for s, o, _ in few_edges) and few_edges
    top = sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert kept <= {k for k, _ in top}
