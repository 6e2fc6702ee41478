"""The statements explorer, paragraph and speaker pages, through the Flask test client.

Counts are computed from the data, never written down: the table must show what the graph says.
"""

import csv
import io
from urllib.parse import parse_qsl, urlsplit

import pytest
from rdflib.namespace import RDF

from eurasia_kg.ontology import EKG, EKGID, PARA
from eurasia_kg.server.pages.statements import CSV_COLUMNS, PAGE_SIZE

from .test_pages import Element, Page, Part, html


def local(iri) -> str:
    return "/id/" + str(iri)[len(str(EKGID)):]


def statements_of(graph):
    """Return the essay's statements: the nodes that cite one of its paragraphs."""
    return {s for s, p in graph.subject_objects(EKG.paragraph) if str(p).startswith(str(PARA))}


class Table:
    """The explorer's page: its summary, its facets and the rows of its table."""

    def __init__(self, page: Page):
        self.page = page
        tables = [e for e in page.root.walk() if e.tag == "table" and "statements-table" in e.attrs.get("class", "")]
        body = [e for e in tables[0].walk() if e.tag == "tbody"] if tables else []
        self.rows = [Part([tr]) for tr in body[0].children if isinstance(tr, Element) and tr.tag == "tr"] \
            if body else []

    def hrefs(self) -> list:
        """Return the link of each row's sentence (its statement's page), in the table's order."""
        return [row.links[0][1] for row in self.rows]

    def cell(self, row: Part, label: str) -> Part:
        [td] = [e for e in row.elements[0].children
                if isinstance(e, Element) and e.tag == "td" and e.attrs.get("data-label") == label]
        return Part([td])

    def facet(self, name: str) -> list:
        """Return [(value, count, href, selected)] of a facet."""
        [box] = [e for e in self.page.root.walk() if e.attrs.get("id") == f"facet-{name}"]
        out = []
        for li in (e for e in box.walk() if e.tag == "li"):
            [a] = [e for e in li.children if isinstance(e, Element) and e.tag == "a"]
            [count] = [e for e in a.walk() if e.attrs.get("class") == "count"]
            value = "".join(c for c in a.children if isinstance(c, str)).strip()
            out.append((value, int(count.text), a.attrs["href"], "selected" in li.attrs.get("class", "")))
        return out

    @property
    def total(self) -> int:
        summary = [e for e in self.page.root.walk() if e.tag == "p" and e.attrs.get("class") == "summary"][0]
        return int(summary.text.split()[0])


def table(client, path) -> Table:
    return Table(html(client, path))


def every_row(client, path) -> list:
    """Follow the "next" links from path; return the sentence links of every page."""
    hrefs = []
    while path:
        page = html(client, path)
        hrefs += Table(page).hrefs()
        path = next((h for text, h in page.links if text == "next →"), None)
    return hrefs


# ------------------------------------------------------------------------------------ filters

def test_the_recommendation_filter_gives_exactly_the_recommendations_each_with_its_paragraph(client, everything):
    wanted = {s for s in statements_of(everything) if (s, EKG.modality, EKG.Recommendation) in everything}
    assert wanted
    shown = table(client, "/statements?kind=recommendation")
    assert shown.total == len(wanted) and len(shown.rows) == len(wanted)
    assert set(shown.hrefs()) == {local(s) for s in wanted}
    by_page = {local(s): s for s in wanted}
    for row in shown.rows:
        statement = by_page[row.links[0][1]]
        number = int(everything.value(everything.value(statement, EKG.paragraph), EKG.paragraphNumber))
        assert shown.cell(row, "Paragraph").links == [(str(number), f"/id/essay/p{number}")]
        assert shown.cell(row, "Kind").text == "recommendation"
        assert row.quotes == [f"“{everything.value(statement, EKG.quote)}”"]


@pytest.mark.parametrize("spelling, key", [
    ("recommendation", "Recommendation"), ("RECOMMENDATION", "Recommendation"),
    ("reported-speech", "ReportedSpeech"), ("fact-reported", "ReportedFact"),
])
def test_a_facet_value_is_its_local_name_or_its_label_in_any_case(client, spelling, key):
    by_key = table(client, f"/statements?kind={key}")
    spelled = table(client, f"/statements?kind={spelling}")
    assert spelled.hrefs() == by_key.hrefs() and spelled.rows
    [chosen] = [f for f in spelled.facet("kind") if f[3]]
    assert chosen[1] == spelled.total and chosen[2] == "/statements"  # named by its label, removes itself
    assert chosen[0] == [f for f in by_key.facet("kind") if f[3]][0][0]


def test_a_label_shared_by_two_relations_finds_both(client, everything):
    shown = table(client, "/statements?relation=is")
    predicates = {everything.value(EKGID[h[len("/id/"):]], EKG.predicate) for h in shown.hrefs()}
    assert predicates == {EKG.hasCharacteristic, EKG.hasTrend}
    names = {f[0] for f in table(client, "/statements").facet("relation")}
    assert {"is (has characteristic)", "is (has trend)"} <= names


def test_the_paragraph_filter_gives_the_statements_citing_that_paragraph(client, everything):
    wanted = set(everything.subjects(EKG.paragraph, PARA.p14))
    shown = table(client, "/statements?paragraph=14")
    assert set(shown.hrefs()) == {local(s) for s in wanted} and shown.total == len(wanted)


def test_filters_on_different_facets_all_apply(client, everything):
    both = {s for s in statements_of(everything) if (s, EKG.modality, EKG.Recommendation) in everything
            and EKGID.China in set(everything.objects(s, EKG.subject)) | set(everything.objects(s, EKG.object))}
    shown = table(client, "/statements?kind=Recommendation&actor=China")
    assert set(shown.hrefs()) == {local(s) for s in both}
    assert 0 < shown.total < table(client, "/statements?kind=Recommendation").total


def test_the_statements_a_speaker_asserts(client, everything):
    words = set(everything.subjects(EKG.assertedBy, EKGID.SergeyLavrov))
    shown = table(client, "/statements?asserted_by=SergeyLavrov")
    assert set(shown.hrefs()) == {local(s) for s in words} == {"/id/claim-p14-5"}
    [row] = shown.rows
    assert "reported by Zhao Huasheng" in shown.cell(row, "Asserted by").text


def test_words_in_any_order_and_case_find_the_same_row(client):
    quote = "Russia is not trying to invent new international relations and new rules"
    found = [table(client, f"/statements?q={q}") for q in ("invent rules Russia", "RULES russia invent",
                                                          "russia+invent+rules", "new+rules")]
    assert all("/id/claim-p14-5" in t.hrefs() for t in found)
    assert found[0].hrefs() == found[1].hrefs() == found[2].hrefs()
    assert f"“{quote}”" in found[0].rows[found[0].hrefs().index("/id/claim-p14-5")].quotes
    # The claim's own text is searched too, and curly apostrophes match straight ones.
    assert "/id/claim-p14-4" in table(client, "/statements?q=Lavrov's remark").hrefs()
    assert table(client, "/statements?q=invent+zzzz").rows == []


@pytest.mark.parametrize("path", ["/statements", "/statements?actor=China", "/statements?sphere=EconomicSphere",
                                  "/statements?q=sanctions"])
def test_facet_counts_add_up_to_the_rows_shown(client, path):
    shown = table(client, path)
    for name in ("kind", "paragraph", "asserted_by"):  # one value per statement
        assert sum(count for _, count, _, _ in shown.facet(name)) == shown.total, name
    for name in ("actor", "relation", "sphere"):  # several or none: each count is the rows it filters to
        for value, count, href, selected in [f for f in shown.facet(name) if not f[3]][:3]:
            assert table(client, href).total == count, (name, value)


def test_a_facet_value_adds_its_filter_and_removes_it_again(client):
    start = table(client, "/statements?kind=Recommendation")
    china = next(f for f in start.facet("actor") if f[0] == "China")
    narrowed = table(client, china[2])
    assert sorted(parse_qsl(urlsplit(china[2]).query)) == [("actor", "China"), ("kind", "Recommendation")]
    assert narrowed.total == china[1]
    [selected] = [f for f in narrowed.facet("actor") if f[3]]
    assert selected[0] == "China"
    assert table(client, selected[2]).hrefs() == start.hrefs()  # the selected value removes itself


def test_unknown_facet_values_give_an_empty_table_not_an_error(client):
    for path in ("/statements?kind=NoSuchKind", "/statements?actor=NoSuchActor&kind=Assessment",
                 "/statements?paragraph=999", "/statements?paragraph=%3Cscript%3E", "/statements?page=abc"):
        response = client.get(path)
        assert response.status_code == 200, path
    page = html(client, "/statements?kind=NoSuchKind")
    assert Table(page).rows == [] and "No statement matches this filter." in " ".join("".join(page.text).split())
    assert client.get("/statements.json?kind=NoSuchKind").get_json()["total"] == 0
    empty = client.get("/statements.csv?kind=NoSuchKind").get_data().decode("utf-8-sig")
    assert empty.strip() == ",".join(CSV_COLUMNS)
    assert "<script>" not in client.get("/statements?paragraph=%3Cscript%3E").get_data(as_text=True)


def test_pages_of_fifty_with_next_and_previous(client, everything):
    total = len(statements_of(everything))
    first = html(client, "/statements")
    assert len(Table(first).rows) == PAGE_SIZE
    assert ("next →", "/statements?page=2") in first.links
    assert not [h for t, h in first.links if t == "← previous"]
    second = html(client, "/statements?page=2")
    assert ("← previous", "/statements") in second.links
    hrefs = every_row(client, "/statements")
    assert len(hrefs) == len(set(hrefs)) == total


def test_a_page_past_the_last_gives_the_last_page(client, everything):
    last = -(-len(statements_of(everything)) // PAGE_SIZE)
    assert table(client, "/statements?page=999").hrefs() == table(client, f"/statements?page={last}").hrefs()
    assert table(client, "/statements?page=-3").hrefs() == table(client, "/statements").hrefs()
    filtered = table(client, "/statements?kind=Recommendation&page=7")  # one page only
    assert filtered.hrefs() == table(client, "/statements?kind=Recommendation").hrefs()


def test_paging_keeps_the_filter(client):
    page = html(client, "/statements?kind=Assessment")
    [following] = [h for t, h in page.links if t == "next →"]
    assert dict(parse_qsl(urlsplit(following).query)) == {"kind": "Assessment", "page": "2"}


# ------------------------------------------------------------------------------------ CSV and JSON

def test_the_page_links_this_table_as_csv_and_json(client):
    page = html(client, "/statements?kind=Recommendation&q=China")
    assert ("CSV", "/statements.csv?kind=Recommendation&q=China") in page.links
    assert ("JSON", "/statements.json?kind=Recommendation&q=China") in page.links


@pytest.mark.parametrize("query", ["", "?kind=Recommendation", "?actor=Russia&sphere=EconomicSphere",
                                   "?q=sanctions"])
def test_the_csv_holds_every_row_of_the_filter(client, everything, query):
    response = client.get(f"/statements.csv{query}")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="eurasia-kg-statements.csv"'
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    assert tuple(header) == CSV_COLUMNS
    assert all(len(r) == len(header) for r in rows)
    answer = client.get(f"/statements.json{query}").get_json()
    assert [r[0] for r in rows] == [r["iri"] for r in answer["rows"]] and len(rows) == answer["total"]
    assert len(rows) == table(client, f"/statements{query}").total  # across every page
    for row in (dict(zip(header, r)) for r in rows):
        node = EKGID[row["iri"][len(str(EKGID)):]]
        assert row["quote"] == str(everything.value(node, EKG.quote))  # whole: never cut
        assert int(row["paragraph"]) == int(everything.value(everything.value(node, EKG.paragraph),
                                                             EKG.paragraphNumber))
        predicate = everything.value(node, EKG.predicate)
        assert row["predicate"] == (str(predicate) if predicate else "")
        supports = {str(o) for o in everything.objects(node, EKG.supports)}
        assert set(filter(None, row["supports"].split("; "))) == supports


def test_csv_multi_values_are_joined_and_labelled(client):
    rows = {r["iri"]: r for r in csv.DictReader(io.StringIO(
        client.get("/statements.csv?paragraph=22").get_data().decode("utf-8-sig"), newline=""))}
    row = rows[str(EKGID["claim-p22-6"])]
    assert row["kind"] == "recommendation" and row["asserted_by"] == "Zhao Huasheng"
    assert row["subject"] == "China; Russia" and row["object"] == "European Union"
    assert row["actors"] == "China; European Union; Russia"
    assert row["relation"] == "improves relations with" and row["spheres"] == "international relations"
    assert row["sentence"].startswith("China and Russia should improve relations with European Union")
    speech = rows.get(str(EKGID["claim-p22-9"]))
    assert speech and speech["reported_by"] == ""


def test_the_json_gives_filters_total_and_rows_with_iris_and_labels(client, everything):
    answer = client.get("/statements.json?asserted_by=SergeyLavrov&asserted_by=sergeylavrov").get_json()
    assert answer["filters"] == {"asserted_by": ["SergeyLavrov", "sergeylavrov"]}
    assert answer["total"] == 1
    [row] = answer["rows"]
    assert row["iri"] == str(EKGID["claim-p14-5"]) and row["href"] == "/id/claim-p14-5"
    assert row["paragraph"] == {"number": 14, "iri": str(PARA.p14), "href": "/id/essay/p14"}
    assert row["kind"] == {"iri": str(EKG.ReportedSpeech), "label": "reported speech"}
    assert row["asserted_by"] == [{"iri": str(EKGID.SergeyLavrov), "label": "Sergey Lavrov",
                                   "href": "/id/SergeyLavrov"}]
    assert [t["label"] for t in row["reported_by"]] == ["Zhao Huasheng"]
    assert row["quote"] == str(everything.value(EKGID["claim-p14-5"], EKG.quote))
    assert row["sentence"] == "Russia does not try to create new international relations and new rules"
    assert row["predicate"]["iri"].startswith(str(EKG)) and row["relation"] == row["predicate"]["label"]
    kinds = {f["key"]: f["count"] for f in answer["facets"]["kind"]}
    assert kinds == {"ReportedSpeech": 1}
    assert client.get("/statements.json?q=sanctions").get_json()["filters"] == {"q": "sanctions"}


def test_the_rows_are_read_once_and_no_response_is_kept_per_query_string(app, client):
    client.get("/statements?kind=Assessment")
    rows = app.extensions["eurasia_kg.statements"]
    kept = {k: len(v) for k, v in app.extensions.items() if isinstance(v, dict)}
    for n in range(30):
        assert client.get(f"/statements?q=russia&x={n}").status_code == 200
        assert client.get(f"/statements.csv?q=word{n}").status_code == 200
    assert app.extensions["eurasia_kg.statements"] is rows
    assert {k: len(v) for k, v in app.extensions.items() if isinstance(v, dict)} == kept


# ------------------------------------------------------------------------------------ pages

def test_paragraph_14_lists_its_statements_with_their_quotes(client, everything):
    nodes = set(everything.subjects(EKG.paragraph, PARA.p14))
    page = html(client, "/id/essay/p14")
    drawn = page.section("Statements drawn from this paragraph")
    assert sorted(drawn.quotes) == sorted(f"“{everything.value(n, EKG.quote)}”" for n in nodes)
    assert {h for _, h in drawn.links} >= {local(n) for n in nodes}
    assert ("These in the statements table", "/statements?paragraph=14") in drawn.links
    assert "reported speech asserted by Sergey Lavrov, reported by Zhao Huasheng" in drawn.text
    # Listed once: not again as what the essay says "about" the paragraph.
    assert not [h for h in page.headings if h.startswith("What the essay says about")]


def test_paragraph_statements_are_in_reading_order(client):
    links = [h for _, h in html(client, "/id/essay/p22").section("Statements drawn from").links
             if h.startswith("/id/claim-")]
    numbers = [int(h.rsplit("-", 1)[1]) for h in dict.fromkeys(links)]
    assert numbers == sorted(numbers)


def test_lavrovs_page_opens_with_his_words(client):
    page = html(client, "/id/SergeyLavrov")
    first = [h for h in page.headings[1:]][0]
    assert first.startswith("Said by Sergey Lavrov, as the essay reports")
    said = page.section(first)
    assert said.quotes == ["“Russia is not trying to invent new international relations and new rules”"]
    assert ("Russia does not try to create new international relations and new rules", "/id/claim-p14-5") \
        in said.links
    assert ("Paragraph 14", "/essay#p14") in said.links


@pytest.mark.parametrize("path, heading, statements", [
    ("/id/UnitedStates", "Demanded by United States",
     {"/id/USDemandJoinAntiRussianSide", "/id/USDemandJoinSanctions"}),
    ("/id/EuropeanPoliticalCircles", "Demanded by European political circles", {"/id/EuropeanDemandCondemnRussia"}),
    ("/id/VladimirPutin", "Said by Vladimir Putin", {"/id/claim-p19-7", "/id/claim-p19-8"}),
    ("/id/SomeAcademics", "Said by Some academics", {"/id/claim-p21-2", "/id/claim-p21-13"}),
])
def test_speaker_pages_open_with_what_they_said_or_demanded(client, path, heading, statements):
    page = html(client, path)
    assert page.headings[1].startswith(heading)
    said = page.section(heading)
    assert {h for _, h in said.links if h in statements} == statements
    assert len(said.quotes) == len(statements)


def test_the_author_has_no_section_of_reported_words(client):
    assert not [h for h in html(client, "/id/ZhaoHuasheng").headings if h.startswith(("Said by", "Demanded by"))]


def test_a_claim_page_shows_its_sentence_once_its_quote_its_parts_and_what_it_is_about(client, everything):
    page = html(client, "/id/claim-p22-6")
    sentence = "China and Russia should improve relations with European Union — addressed to China and Russia"
    assert page.headings[0] == sentence
    [article] = [e for e in page.root.walk() if e.tag == "article"]
    assert article.text.count(sentence) == 1
    assert page.quotes[0] == f"“{everything.value(EKGID['claim-p22-6'], EKG.quote)}”"
    parts = [e for e in page.root.walk() if e.attrs.get("class") == "structure"]
    assert parts and parts[0].text == ("Its parts: subject: China, Russia · predicate: improves relations with · "
                                       "object: European Union · addressed to: China, Russia")
    about = Part([e for e in page.root.walk() if e.attrs.get("class") == "about"])
    assert {h for _, h in about.links} == {local(a) for a in everything.objects(EKGID["claim-p22-6"], EKG.about)}
    assert ("China–Europe relations", "/id/ChinaEuropeRelations") in about.links
    assert page.section("Reasons given for it").links


def test_a_claims_parts_name_roles_qualifiers_and_inner_statements(client):
    sanctions = html(client, "/id/USSanctionsOnRussia")
    [parts] = [e.text for e in sanctions.root.walk() if e.attrs.get("class") == "structure"]
    assert parts == ("Its parts: imposed by: United States · predicate: imposes sanctions on · "
                     "sanction target: Russia · imposed after: Russia–Ukraine conflict")
    [negated] = [e.text for e in html(client, "/id/claim-p14-5").root.walk() if e.attrs.get("class") == "structure"]
    assert "· negated" in negated and "true" not in negated


def test_the_essay_has_a_paragraph_index_and_kind_filters(client, everything):
    page = html(client, "/essay")
    index = page.section("Paragraphs")
    numbers = sorted(int(n) for n in everything.objects(None, EKG.paragraphNumber))
    assert [h for _, h in index.links if h.startswith("#p")] == [f"#p{n}" for n in numbers]
    p14 = len(set(everything.subjects(EKG.paragraph, PARA.p14)))
    assert (f"14 {p14}", "#p14") in index.links
    recommendations = len({s for s in statements_of(everything) if (s, EKG.modality, EKG.Recommendation) in everything})
    assert ("recommendation", "/statements?kind=Recommendation") in index.links
    assert f"recommendation ({recommendations})" in index.text
    assert all(f"p{n}" in {e.attrs.get("id") for e in page.root.walk()} for n in numbers)


def test_every_page_names_statements_by_labels_not_vocabulary(client):
    for path in ("/statements", "/statements?kind=ReportedSpeech", "/id/essay/p14", "/id/SergeyLavrov"):
        text = " ".join("".join(html(client, path).text).split())
        for prefix in ("ekg:", "ekgid:", "https://w3id.org/eurasia-kg/ontology#"):
            assert prefix not in text, (path, prefix)


def test_sentences_and_quotes_in_the_table_are_escaped(hostile_client):
    client = hostile_client
    for path in ("/statements", "/statements?actor=Evil", "/statements?q=%3Cscript%3E", "/id/Evil"):
        body = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body and "<img src=x" not in body, path
    body = client.get("/statements?actor=Evil").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; puts pressure on" in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body


def test_the_rows_are_the_statements_and_nothing_else(client, everything):
    rows = client.get("/statements.json").get_json()["rows"]
    iris = [r["iri"] for r in rows]
    assert len(iris) == len(set(iris))
    assert set(iris) == {str(s) for s in statements_of(everything)}
    assert not [i for i in iris if (EKGID[i[len(str(EKGID)):]], RDF.type, EKG.Proposition) in everything]
