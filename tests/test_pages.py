"""Pages for people, through the Flask test client: parsed HTML, parsed data, negotiation."""

import re
from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from flask import template_rendered
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from eurasia_kg.ontology import EKGID, ORG
from eurasia_kg.server.app import create_app
from eurasia_kg.server.lru import LRU
from eurasia_kg.server.pages.reading import base_form, verb_phrase

from .conftest import ROOT, TESTS
from .equivalence import page_paths


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEADINGS = ("h1", "h2", "h3", "h4")


class Element:
    """An element of a parsed page, with its children (elements and text)."""

    def __init__(self, tag, attrs):
        self.tag, self.attrs, self.children = tag, attrs, []

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    @property
    def text(self) -> str:
        return " ".join("".join(c if isinstance(c, str) else c.text for c in self.children).split())


class Part:
    """Part of a page (a table row, a section): its text, links and quotes."""

    def __init__(self, elements):
        self.elements = elements

    def _all(self):
        for element in self.elements:
            yield from element.walk()

    @property
    def text(self) -> str:
        return " ".join(" ".join(e.text for e in self.elements).split())

    @property
    def links(self) -> list:
        return [(e.text, e.attrs.get("href")) for e in self._all() if e.tag == "a"]

    @property
    def quotes(self) -> list:
        return [e.text for e in self._all() if e.tag == "blockquote"]


class Page(HTMLParser):
    """A parsed page: headings, links, table cells, blockquotes, all text, and its element tree."""

    def __init__(self, html: str):
        super().__init__()
        self.headings, self.links, self.cells, self.quotes, self.alternates = [], [], [], [], []
        self.scripts, self.text = [], []
        self.root = Element("root", {})
        self._open = [self.root]
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        element = Element(tag, attrs)
        self._open[-1].children.append(element)
        if tag not in VOID:
            self._open.append(element)
        if tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append((attrs.get("type"), attrs.get("href")))
        if tag == "script":
            self.scripts.append(attrs.get("src"))

    def handle_endtag(self, tag):
        if not any(e.tag == tag for e in self._open[1:]):
            return
        while len(self._open) > 1:
            element = self._open.pop()
            if element.tag == tag:
                break
        # The text is read only for the elements recorded: reading it walks the whole subtree,
        # and doing that for every element that closes made parsing quadratic in the depth.
        if tag in ("h1", "h2", "h3"):
            self.headings.append(element.text)
        elif tag == "a":
            self.links.append((element.text, element.attrs.get("href")))
        elif tag in ("td", "th"):
            self.cells.append(element.text)
        elif tag == "blockquote":
            self.quotes.append(element.text)

    def handle_data(self, data):
        self._open[-1].children.append(data)
        self.text.append(data)

    def link_to(self, href):
        return [text for text, h in self.links if h == href]

    def first(self, tag) -> Part:
        """Return the first element of a kind."""
        return Part([next(e for e in self.root.walk() if e.tag == tag)])

    def row(self, header) -> Part:
        """Return the table row whose header cell starts with header."""
        rows = [e for e in self.root.walk() if e.tag == "tr" and any(
            c.tag == "th" and c.text.startswith(header) for c in e.children if isinstance(c, Element))]
        assert len(rows) == 1, f"{len(rows)} rows headed {header!r}"
        return Part(rows)

    def row_of(self, ident) -> Part:
        """Return the table row with this id."""
        return Part([next(e for e in self.root.walk() if e.tag == "tr" and e.attrs.get("id") == ident)])

    def section(self, heading) -> Part:
        """Return what follows the heading (or <summary>) that starts with heading, up to the next
        heading of its level or above (or the end of its <details>)."""
        for parent in self.root.walk():
            children = [c for c in parent.children if isinstance(c, Element)]
            for i, child in enumerate(children):
                if child.tag in HEADINGS + ("summary",) and child.text.startswith(heading):
                    part = []
                    for following in children[i + 1:]:
                        if child.tag != "summary" and following.tag in HEADINGS[:HEADINGS.index(child.tag) + 1]:
                            break
                        part.append(following)
                    return Part(part)
        raise AssertionError(f"no heading {heading!r}")


def html(client, path) -> Page:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    assert response.content_type.startswith("text/html")
    return Page(response.get_data(as_text=True))


def test_home(client):
    page = html(client, "/")
    assert page.headings[0] == "eurasia-kg"
    # The argument first, then where to start, then the dataset's facts (tests/test_home.py).
    headings = [h for h in page.headings if h in ("What the essay argues", "Where to start", "The dataset")]
    assert headings == ["What the essay argues", "Where to start", "The dataset"]
    assert set(page.link_to("/id/China")) == {"China"}
    assert page.link_to("/query") and page.link_to("/essay") and page.link_to("/ontology")
    assert page.link_to("/validate") and page.link_to("/download/eurasia-kg.ttl")
    # The classes with instance counts, folded away.
    [folded] = [e for e in page.root.walk() if e.tag == "details" and "Classes" in e.text]
    assert any(cell.tag == "td" and cell.text == "state" for cell in folded.walk())


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
    # Russia leans towards the revolutionary approach: paragraph 15 says so, and the quote
    # leads to the statement.
    row = page.row("leans towards")
    assert "revolutionary approach" in row.text and "Paragraph 15" in row.text
    assert "“Russia leans more towards the revolutionary approach”" in row.quotes
    assert ("“Russia leans more towards the revolutionary approach”", "/id/claim-p15-2") in row.links
    assert "inferred" not in row.text  # derived from the essay's statement, not by OWL


def test_inferred_statements_say_in_words_what_they_come_from(client):
    page = html(client, "/id/SCO")
    text = " ".join("".join(page.text).split())
    assert page.link_to("/id/China") and page.link_to("/id/Russia")
    assert "worked out from “China is a member of Shanghai Cooperation Organisation”" in text
    # The axiom is there for those who want it, on hover only.
    [china] = [e for e in page.root.walk() if e.attrs.get("class") == "inferred" and "China" in e.text]
    assert china.attrs["title"] == ("Inferred by the reasoner (OWL 2 RL): “has member” is the inverse of"
                                    " “member of” (owl:inverseOf)")


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
    # Named by the sentence of its proposition; the claim's own text once, as a second line.
    assert page.headings[0] == "Shanghai Cooperation Organisation is a platform for regional economic integration"
    assert page.quotes[0] == "“the SCO is the most fitting platform”"
    assert page.link_to("/essay#p18")[0] == "Paragraph 18"
    text = " ".join("".join(page.text).split())
    assert "assessment" in text and "asserted by Zhao Huasheng" in text
    assert text.count("The SCO is the most fitting platform for advancing regional economic integration.") == 1


def test_a_recommendation_reads_should_not_and_names_whom_it_is_addressed_to(client):
    page = html(client, "/id/claim-p22-9")
    assert page.headings[0] == ("Russia–Ukraine conflict should not be escalating and prolonged"
                                " — addressed to international community")
    assert ("international community", "/id/InternationalCommunity") in page.first("h1").links
    assert page.quotes[0] == "“it is vital to avoid escalating and prolonging the Russia–Ukraine conflict”"
    assert page.link_to("/essay#p22")[0] == "Paragraph 22"
    text = " ".join("".join(page.text).split())
    assert "recommendation asserted by Zhao Huasheng" in text
    # The claim's text is the quote's: the words are on the page once.
    words = "it is vital to avoid escalating and prolonging the russia–ukraine conflict"
    assert text.casefold().count(words) == 1
    # The reasons the essay gives for it, each as its sentence with its paragraph.
    reasons = page.section("Reasons given for it")
    assert ("Russia–Ukraine conflict can be escalating, if: "
            "“The Russia–Ukraine military conflict is ongoing”", "/id/claim-p22-10") in reasons.links
    assert ("Paragraph 22", "/essay#p22") in reasons.links


def test_a_claim_reads_as_its_proposition_next_to_its_quote(client):
    page = html(client, "/id/claim-p5-6")
    assert page.headings[0] == "United States regards as its main competitor China"
    assert page.first("h1").links == [("United States", "/id/UnitedStates"), ("China", "/id/China")]
    assert page.quotes[0] == "“Washington views Beijing as its main competitor”"
    text = " ".join("".join(page.text).split())
    assert "Paragraph 5 fact reported asserted by Zhao Huasheng" in text
    # The claim's text says what the quote says: it is not repeated.
    assert "Washington views Beijing as its main competitor." not in text
    assert page.section("It supports").links  # the claim it is a reason for


@pytest.mark.parametrize("path, sentence", [
    ("/id/claim-p4-5", "United States tries to drive a wedge between China and Russia before the Russia–Ukraine"
                       " conflict, by: United States tempts Russia"),
    ("/id/claim-p5-4", "China seeks not to let its relations deteriorate with United States"),
    ("/id/claim-p14-5", "Russia does not try to create new international relations and new rules"),
    ("/id/claim-p19-3", "China and Russia should not cut themselves off from a developed economy"
                        " — addressed to China and Russia"),
    ("/id/claim-p22-1", "Russia cannot improve relations with Europe"),
    ("/id/claim-p4-6", "United States threatens China after the outbreak of the Russia–Ukraine conflict"),
    ("/id/claim-p15-2", "Russia leans towards revolutionary approach (hedged: “It appears to me”)"),
    ("/id/claim-p21-6", "Global economy has the feature quite a few circulations,"
                        " if: regional integration mechanisms counts as a separate circulation"),
    ("/id/claim-p10-3", "China, European Union and United States have investments in one another"),
])
def test_qualifiers_read_as_words(client, path, sentence):
    assert html(client, path).headings[0] == sentence


def test_a_named_statement_keeps_its_name_and_says_what_it_states(client):
    page = html(client, "/id/ChinaRussiaStrategicPartnership")
    assert page.headings[0] == "China–Russia strategic partnership"
    text = " ".join("".join(page.text).split())
    assert "It says: China and Russia are strategic partners of each other since 1996" in text


def test_a_statement_shows_what_it_rejects_and_what_rejects_it(client):
    page = html(client, "/id/claim-p16-9")
    assert page.headings[0] == ("“China–Russia economic cooperation means support, or lack of support,"
                                " for Russia” is too subjective")
    rejects = page.section("Answers / rejects")
    assert ("China–Russia economic cooperation means Chinese political support for Russia",
            "/id/claim-p16-8") in rejects.links
    assert "“interpreting it only as support or lack of support for Russia”" in rejects.quotes
    rejected = html(client, "/id/claim-p16-8").section("Answered / rejected by")
    assert "/id/claim-p16-9" in [h for _, h in rejected.links]


def test_an_incoming_link_shows_the_statements_it_rests_on(client):
    row = html(client, "/id/China").row("regards as its main competitor")
    assert ("United States", "/id/UnitedStates") in row.links
    assert ("Paragraph 5", "/essay#p5") in row.links
    assert row.quotes == ["“Washington views Beijing as its main competitor”"]
    assert "fact reported" in row.text and "inferred" not in row.text


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


def test_class_page_lists_instances(client):
    page = html(client, "/class/ekg:State")
    assert page.headings[0] == "state"
    assert page.link_to("/id/China") and page.link_to("/id/Kazakhstan")


def test_ontology_page(client):
    page = html(client, "/ontology")
    assert {"Classes", "Properties", "Controlled vocabularies"} <= set(page.headings)
    # Labels and words first; the compact names small, in <code>, or on hover.
    row = page.row_of("pursuedBy")
    assert row.text.startswith("pursued by ekg:pursuedBy")
    assert "inverse of pursues ekg:pursues" in row.text and ("pursues", "/ontology#pursues") in row.links
    symmetric = [e for e in page.root.walk() if e.attrs.get("title") == "owl:SymmetricProperty"]
    assert symmetric and all(e.text == "works both ways" for e in symmetric)
    assert "a kind of attributed to prov:wasAttributedTo" in page.row_of("assertedBy").text
    # Datatypes in words: "year", not xsd:gYear.
    assert ("year", "http://www.w3.org/2001/XMLSchema#gYear") in page.row_of("year").links


def test_essay_page_shows_each_paragraph_with_its_statements(client, paragraphs):
    page = html(client, "/essay")
    numbered = [h for h in page.headings if h.startswith("Paragraph ")]
    assert len(numbered) == 24
    assert "“This model is a strategic partnership, not an alliance”" in page.quotes
    # Quotes only: no paragraph of the essay is reproduced whole.
    text = " ".join("".join(page.text).split())
    assert not [n for n, p in paragraphs.items() if " ".join(p.split()) in text]


def test_essay_reader_shows_each_statement_as_a_sentence_next_to_its_quote(client):
    page = html(client, "/essay")
    p22 = page.section("Paragraph 22")
    assert ("Russia–Ukraine conflict should not be escalating and prolonged"
            " — addressed to international community", "/id/claim-p22-9") in p22.links
    assert "“it is vital to avoid escalating and prolonging the Russia–Ukraine conflict”" in p22.quotes
    assert "It is vital to avoid escalating and prolonging the Russia–Ukraine conflict." not in p22.text


@pytest.mark.parametrize("path", ["/id/China", "/id/SCO", "/id/claim-p22-9", "/id/USSanctionsOnRussia",
                                  "/essay", "/network"])
def test_pages_name_things_by_their_labels_not_their_vocabulary(client, path):
    text = " ".join("".join(html(client, path).text).split())
    for prefix in ("ekg:", "skos:", "ekgid:", "https://w3id.org/eurasia-kg/ontology#"):
        assert prefix not in text, (path, prefix)


#: A vocabulary name (rdfs:comment, xsd:integer, ekg:Sanction), a language tag or a datatype
#: marker in what a reader sees.
VOCABULARY = re.compile(r"\b(rdfs|rdf|owl|skos|xsd|ekg|schema|dct|prov|org):[A-Za-z]|@en\b|\^\^")
#: Where a compact name may stand: code, a page's or a drawing's <title> (a tooltip), scripts,
#: and the query editor's text (SPARQL is code). Attributes are never read.
NOT_PROSE = {"code", "title", "script", "style", "textarea", "pre"}


def prose(element) -> list:
    """Return the text nodes of an element a reader sees as prose (not code, titles or attributes)."""
    found = []
    for child in element.children:
        if isinstance(child, str):
            found.append(child)
        elif child.tag not in NOT_PROSE:
            found += prose(child)
    return found


def test_no_page_shows_a_vocabulary_name_to_readers(app, client):
    """Every page (each entity, the ontology, each class, the essay, the network, ...) reads for people."""
    shown = []
    paths = page_paths(app)
    for path in paths:
        response = client.get(path, headers={"Accept": "text/html"})
        if not response.content_type.startswith("text/html"):
            continue
        shown.append(path)
        for text in prose(Page(response.get_data(as_text=True)).root):
            found = VOCABULARY.search(text)
            assert found is None, f"{path}: {text[max(0, found.start() - 60):found.end() + 40]!r}"
    assert {"/ontology", "/essay", "/network", "/id/China", "/class/ekg:State"} <= set(shown)
    assert len(shown) > 400


@pytest.mark.parametrize("third_person, base", [
    ("has relations with", "have relations with"), ("is", "be"), ("applies", "apply"),
    ("passes", "pass"), ("watches", "watch"), ("pushes", "push"), ("fixes", "fix"),
    ("puts pressure on", "put pressure on"), ("values its relations with", "value its relations with"),
    ("does", "do"),
])
def test_the_base_form_of_a_predicate_label(third_person, base):
    assert base_form(third_person) == base


@pytest.mark.parametrize("label, phrase", [
    ("puts pressure on", "puts pressure on"), ("located in", "is located in"),
    ("neighbour of", "is a neighbour of"), ("official of", "is an official of"),
    ("world economy rank", "has world economy rank"),
])
def test_older_labels_read_as_verb_phrases(label, phrase):
    assert verb_phrase(label) == phrase


def test_query_page_prefilled_and_with_examples(client):
    page = html(client, "/query?query=ASK%20%7B%7D")
    assert "ASK {}" in "".join(page.text)
    text = " ".join("".join(page.text).split())
    # Titles are the whole leading comment of each query, not its first line.
    comment = (ROOT / "server" / "examples" / "cq05-integration.rq").read_text(encoding="utf-8").splitlines()[:2]
    assert all(line.startswith("# ") for line in comment)
    assert " ".join(line[2:].strip() for line in comment) in text
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
        for path in ("/id/Evil", "/class/ekg:State"):  # search: tests/test_search.py
            body = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
            assert "<script>alert(1)</script>" not in body, path
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path
        assert "<script>alert" not in client.get("/network").get_data(as_text=True)
    finally:
        app.extensions["eurasia_kg.pool"].close()


def test_sentences_and_quotes_are_escaped(hostile_client):
    client = hostile_client
    for path in ("/id/claim-evil", "/id/China", "/essay", "/network"):
        body = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body and "<img src=x" not in body, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt; puts pressure on" in \
        client.get("/id/claim-evil", headers={"Accept": "text/html"}).get_data(as_text=True)
    svg = client.get("/network.svg").get_data(as_text=True)
    assert "<script>" not in svg and "<img" not in svg and "&lt;img src=x" in svg


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


def test_a_relation_node_reads_only_what_its_own_passage_says(client):
    """Regression: "China–Russia relations: strategic partnership" stood beside paragraph 1's
    quote, the kind coming from paragraph 23's claim (a shortcut of the derived graph)."""
    relations = html(client, "/id/China").section("Relations").text
    assert "China–Russia relations Paragraph 1" in relations
    assert "China–Russia relations: strategic partnership" not in relations
    assert "China–Russia strategic partnership: strategic partnership, since 1996 Paragraph 3" in relations


@contextmanager
def renders(app):
    """Collect the names of the templates the app renders meanwhile."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


@pytest.mark.parametrize("path", ["/", "/ontology", "/essay"])
def test_a_flood_of_junk_query_strings_renders_a_page_once(app, client, path):
    """Regression: the page cache was keyed on the path with its query string, so every
    distinct /?x=N added an entry and a full render; these pages read no parameter."""
    client.get(path)
    cache = app.extensions["eurasia_kg.pages"]
    before = len(cache)
    with renders(app) as rendered:
        for n in range(300):
            assert client.get(f"{path}?x={n}&utm_source=junk{n}").status_code == 200
    assert rendered == []
    assert len(cache) == before
    assert isinstance(cache, LRU) and len(cache) <= cache.entries


def test_every_page_cache_is_bounded(app, client):
    for path in ("/", "/id/China", "/id/China.ttl", "/network", "/network.graphml", "/sparql?query=ASK%7B%7D"):
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path
    for name in ("eurasia_kg.pages", "eurasia_kg.entity_bodies", "eurasia_kg.neighbourhoods",
                 "eurasia_kg.network_views", "eurasia_kg.cache"):
        cache = app.extensions[name]
        assert isinstance(cache, LRU) and 0 < len(cache) <= cache.entries, name
