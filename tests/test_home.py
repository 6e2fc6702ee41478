"""The home page (pages.home, server/overview.py): what the essay argues, read from the data, and
the seven questions of issue 10, each answered from "/" in at most three clicks.

Each question follows real links: every hop picks an <a href> of the parsed page it is on.
"""

import csv
import io
import re
from urllib.parse import urljoin, urlsplit

import networkx
import pytest
from rdflib.namespace import RDF

from eurasia_kg.ontology import EKG, EKGID, PARA
from eurasia_kg.server.pages.home import ACTORS, RECOMMENDATIONS

from .test_pages import Page, html

MAX_CLICKS = 3


def quotes_of(graph, nodes) -> list:
    return sorted({str(q) for n in nodes for q in graph.objects(n, EKG.quote)})


def text_of(page: Page) -> str:
    return " ".join("".join(page.text).split())


class Walk:
    """A reader on the service: starts at "/", clicks links that are on the page."""

    def __init__(self, client):
        self.client, self.path, self.clicks = client, "/", 0
        self.response = client.get("/", headers={"Accept": "text/html"})
        self.page = Page(self.response.get_data(as_text=True))

    def click(self, href=None, text=None):
        """Follow the first link of the page with this address (or whose text holds text)."""
        links = [(t, h) for t, h in self.page.links
                 if (href is None or h == href) and (text is None or text in t)]
        assert links, f"no link {href or text!r} on {self.path}"
        target = urljoin("http://localhost" + self.path, links[0][1])
        parts = urlsplit(target)
        assert parts.netloc == "localhost", f"{target} leaves the service"
        self.path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.clicks += 1
        assert self.clicks <= MAX_CLICKS, f"more than {MAX_CLICKS} clicks to reach {self.path}"
        self.response = self.client.get(self.path, headers={"Accept": "text/html"})
        assert self.response.status_code == 200, f"{self.path}: {self.response.status_code}"
        if self.response.content_type.startswith("text/html"):
            self.page = Page(self.response.get_data(as_text=True))
        return self

    @property
    def text(self) -> str:
        return text_of(self.page)


def statements_of_kind(graph, modality) -> list:
    return [s for s in graph.subjects(EKG.modality, modality) if (s, EKG.quote, None) in graph]


# ------------------------------------------------------------------------------ the seven questions

def test_q1_the_authors_recommendations(client, everything):
    walk = Walk(client)
    recommendations = statements_of_kind(everything, EKG.Recommendation)
    # On the home page: how many, and a few as sentences, each leading to its statement.
    section = walk.page.section("Its recommendations")
    assert f"{len(recommendations)} recommendations" in section.text
    assert len([h for _, h in section.links if h.startswith("/id/claim-")]) == RECOMMENDATIONS
    walk.click(href="/statements?kind=recommendation")
    page_quotes = " ".join(walk.page.quotes) + walk.text
    missing = [q for q in quotes_of(everything, recommendations) if q not in page_quotes]
    assert not missing, missing


@pytest.mark.parametrize("sanction", ["USSanctionsOnRussia", "EUSanctionsOnRussia"])
def test_q2_the_sanctions_who_imposes_them_and_their_effects(client, everything, sanction):
    node = EKGID[sanction]
    walk = Walk(client).click(href=f"/id/{sanction}")
    imposer = everything.value(node, EKG.imposedBy)
    assert ("/id/" + str(imposer)[len(str(EKGID)):]) in [h for _, h in walk.page.links]
    # Its effects: what the statements with the sanctions as their subject say, with quotes.
    effects = [s for s in everything.subjects(EKG.subject, node) if (s, EKG.quote, None) in everything]
    assert effects
    missing = [q for q in quotes_of(everything, effects) if q not in " ".join(walk.page.quotes)]
    assert not missing, missing
    assert "they have created severe restrictions and risks for Beijing" in " ".join(walk.page.quotes)


def test_q3_trade_figures(client, everything):
    flows = sorted(everything.subjects(RDF.type, EKG.TradeFlow))
    assert flows
    for flow in flows:
        walk = Walk(client)
        assert "US$820 billion" in walk.text  # on the home page itself
        walk.click(href="/id/" + str(flow)[len(str(EKGID)):])
        assert all(f"“{q}”" in walk.page.quotes for q in quotes_of(everything, [flow]))


def test_q4_what_quoted_officials_said_apart_from_the_author(client, everything):
    walk = Walk(client).click(href="/statements?kind=reported-speech")
    reported = statements_of_kind(everything, EKG.ReportedSpeech)
    page_text = " ".join(walk.page.quotes) + walk.text
    missing = [q for q in quotes_of(everything, reported) if q not in page_text]
    assert not missing, missing
    assert "Sergey Lavrov" in walk.text and "Vladimir Putin" in walk.text
    # The author's own recommendation is not among what others said.
    assert str(everything.value(EKGID["claim-p22-6"], EKG.quote)) not in page_text


def test_q5_the_sco_the_eaeu_and_their_link_to_the_belt_and_road(client, everything):
    walk = Walk(client).click(href="/id/essay/p18")
    for name in ("Shanghai Cooperation Organisation", "Eurasian Economic Union", "Belt and Road Initiative"):
        assert name in walk.text
    quotes = " ".join(walk.page.quotes)
    assert "the SCO is the most fitting platform" in quotes
    assert all(q in quotes for q in quotes_of(everything, [EKGID.BRIEurasianConnection]))
    # The link itself is on the home page, a click away.
    link = Walk(client).click(href="/id/BRIEurasianConnection")
    assert {"/id/EurasianEconomicUnion", "/id/BeltAndRoadInitiative"} <= {h for _, h in link.page.links}


def test_q6_every_statement_of_paragraph_14(client, everything):
    walk = Walk(client).click(href="/id/essay/p14")
    statements = list(everything.subjects(EKG.paragraph, PARA.p14))
    assert len(statements) >= 6
    missing = [q for q in quotes_of(everything, statements) if q not in " ".join(walk.page.quotes)]
    assert not missing, missing


def test_q7_the_data_for_excel_and_for_a_network_tool(client, everything):
    walk = Walk(client).click(href="/statements.csv")
    assert walk.response.content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(walk.response.get_data().decode("utf-8-sig"))))
    quote = str(everything.value(EKGID["claim-p9-2"], EKG.quote))
    assert len(rows) >= len(set(everything.subjects(RDF.type, EKG.Claim)))
    assert any(quote in " ".join(row.values()) for row in rows)
    walk = Walk(client).click(href="/network.graphml")
    network = networkx.read_graphml(io.BytesIO(walk.response.get_data()))
    assert network.number_of_edges() > 10
    threat = str(everything.value(EKGID["claim-p4-6"], EKG.quote))
    assert any(threat in str(value) for _, _, data in network.edges(data=True) for value in data.values())


# ------------------------------------------------------------------------------ what the essay argues

def test_the_argument_comes_first_and_the_dataset_last(client):
    page = html(client, "/")
    order = [h for h in page.headings if h in ("What the essay argues", "Where to start", "The dataset")]
    assert order == ["What the essay argues", "Where to start", "The dataset"]
    start = page.section("Where to start")
    assert {"/essay", "/statements", "/statements?kind=recommendation", "/statements?kind=reported-speech",
            "/network", "/query", "/statements.csv", "/network.graphml"} <= {h for _, h in start.links}


def test_the_kinds_of_statements_are_counted_from_the_data(client, everything):
    text = text_of(html(client, "/"))
    for modality, slug in ((EKG.Recommendation, "recommendation"), (EKG.ReportedSpeech, "reported speech"),
                           (EKG.Assessment, "assessment"), (EKG.ReportedFact, "fact reported")):
        count = len([s for s in everything.subjects(EKG.modality, modality)
                     if (s, EKG.paragraph, None) in everything])
        assert f"{slug} {count}" in text


def test_the_recommendations_shown_are_those_given_most_reasons(client, everything):
    section = html(client, "/").section("Its recommendations")
    shown = [h for _, h in section.links if h.startswith("/id/") and "claim" in h]
    recommendations = statements_of_kind(everything, EKG.Recommendation)
    reasons = sorted((len(set(everything.subjects(EKG.supports, s))) for s in recommendations), reverse=True)
    got = [len(set(everything.subjects(EKG.supports, EKGID[h[len("/id/"):]]))) for h in shown]
    assert sorted(got, reverse=True) == reasons[:RECOMMENDATIONS]
    # Read as sentences, their actors linked.
    assert ("European Union", "/id/EuropeanUnion") in section.links


def test_the_main_actors_are_those_most_statements_are_about(client):
    section = html(client, "/").section("Main actors")
    actors = [(t, h) for t, h in section.links]
    assert len(actors) == ACTORS and actors[:2] == [("China", "/id/China"), ("Russia", "/id/Russia")]
    assert ("Zhao Huasheng", "/id/ZhaoHuasheng") not in actors  # he asserts, he is not the subject
    counts = [int(n) for n in re.findall(r"(\d+) statements", section.text)]
    assert len(counts) == ACTORS and counts == sorted(counts, reverse=True)


def test_the_main_relations_are_labelled(client):
    section = html(client, "/").section("Main relations")
    labels = [t for t, h in section.links if h.startswith("/ontology#")]
    assert labels and all(":" not in label and label == label.lower() for label in labels)


def test_the_relations_it_reports_give_parties_and_figures(client):
    section = html(client, "/").section("Relations it reports")
    texts = [t for t, _ in section.links]
    assert "Trade of China with European Union, 2021: US$820 billion, up 19%" in texts
    assert any(t.startswith("Economic sanctions imposed by United States on Russia") for t in texts)
    assert "China–EU relations" not in texts  # a name alone says nothing more


def test_every_paragraph_is_a_click_away(client, everything):
    start = html(client, "/").section("Where to start")
    numbers = {int(n) for n in everything.objects(None, EKG.paragraphNumber)}
    hrefs = {h for _, h in start.links}
    assert {f"/id/essay/p{n}" for n in numbers} <= hrefs and len(numbers) == 24


def test_the_home_page_names_things_by_their_labels(client):
    text = text_of(html(client, "/"))
    for vocabulary in ("ekg:", "ekgid:", "skos:", "rdfs:", "owl:", "https://w3id.org/eurasia-kg/ontology#"):
        assert vocabulary not in text


def test_the_home_page_is_the_same_on_every_request(client):
    assert client.get("/").data == client.get("/").data
