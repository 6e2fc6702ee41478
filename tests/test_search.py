"""Search (server/search.py): names in three languages and statement text, words in any order."""

import pytest
from rdflib.namespace import RDF

from eurasia_kg.ontology import EKG, EKGID
from eurasia_kg.server.app import create_app
from eurasia_kg.server.pages import search
from eurasia_kg.server.pages.search import GROUPS, MAX_QUERY, PAGE_LIMIT, Query, Text, highlight

from .conftest import TESTS
from .test_pages import Element, Part, html

ORDER = list(GROUPS.values())


def found(client, q, **args) -> list:
    response = client.get("/api/search", query_string={"q": q, **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def results(page) -> list:
    """Return the results of a search page as Parts (one per list item), in order."""
    return [Part([li]) for ol in page.root.walk() if ol.tag == "ol" and "results" in ol.attrs.get("class", "")
            for li in ol.children if isinstance(li, Element) and li.tag == "li"]


@pytest.mark.parametrize("q", ["shanghai", "Shanghai", "Шанхай", "шанхайская", "上海", "合作组织", "SCO", "上合"])
def test_every_language_finds_the_sco_first(client, q):
    assert found(client, q)[0]["iri"] == str(EKGID.SCO)
    assert found(client, q)[0]["href"] == "/id/SCO"
    first = results(html(client, f"/search?q={q}"))[0]
    assert ("Shanghai Cooperation Organisation", "/id/SCO") == first.links[0]


@pytest.mark.parametrize("q", ["sanctions China risks", "risks sanctions china", "CHINA  Risks SANCTIONS"])
def test_words_in_any_order_find_a_statement_with_its_paragraph(client, q):
    hits = {r["iri"]: r for r in found(client, q)}
    hit = hits[str(EKGID["claim-p9-2"])]
    assert hit["paragraph"] == 9 and hit["paragraph_href"] == "/essay#p9"
    assert hit["type"] == "assessment" and hit["group"] == GROUPS[search.STATEMENT]
    row = next(r for r in results(html(client, f"/search?q={q}")) if ("Paragraph 9", "/essay#p9") in r.links)
    assert row.links[0] == ("European sanctions on Russia and US sanctions on Russia create risks for China",
                            "/id/claim-p9-2")
    # The words are highlighted, and the quote is shown.
    marked = {e.text.casefold() for e in row._all() if e.tag == "mark"}
    assert {"sanctions", "china", "risks"} <= marked
    assert "they have created severe restrictions and risks for Beijing" in row.text


def test_every_word_must_match(client):
    assert found(client, "sanctions China") and not found(client, "sanctions China zebra")


def test_a_person_comes_before_what_he_said(client, everything):
    hits = [r["iri"] for r in found(client, "Lavrov", limit=50)]
    lavrov = hits.index(str(EKGID.SergeyLavrov))
    assert lavrov == 0
    said = [str(s) for s in everything.subjects(EKG.assertedBy, EKGID.SergeyLavrov)]
    assert said and all(s in hits and hits.index(s) > lavrov for s in said)
    # His reported words are found by his name, in Russian too.
    assert str(EKGID["claim-p14-5"]) in [r["iri"] for r in found(client, "Лавров")]
    page = html(client, "/search?q=Lavrov")
    headings = [h for h in page.headings if not h.startswith("Search")]
    assert headings[0].startswith(GROUPS[search.ENTITY]) and headings[1].startswith(GROUPS[search.STATEMENT])


@pytest.mark.parametrize("q", ["sanction", "russia", "relations", "china", "kind", "trade", "SCO", "EU"])
def test_entities_come_before_statements_and_ontology_terms_last(client, q):
    groups = [ORDER.index(r["group"]) for r in found(client, q, limit=500)]
    assert groups == sorted(groups) and len(set(groups)) > 1


def test_ontology_terms_are_found_after_entities(client):
    hits = found(client, "sanction", limit=500)
    terms = [r for r in hits if r["group"] == GROUPS[search.TERM]]
    assert "/ontology#Sanction" in [r["href"] for r in terms]
    assert hits[0]["group"] == GROUPS[search.ENTITY]


@pytest.mark.parametrize("q", ["sanction", "russia", "china", "kind", "trade", "relations", "s", "上", "a"])
def test_suggestions_have_no_duplicates(client, q):
    hits = found(client, q)
    assert hits
    hrefs = [r["href"] for r in hits]
    shown = [(r["label"], r["type"], r["paragraph"]) for r in hits]
    assert len(set(hrefs)) == len(hrefs) and len(set(shown)) == len(shown)


def test_words_start_where_words_do_but_chinese_anywhere(client):
    assert str(EKGID.Russia) not in [r["iri"] for r in found(client, "SCO", limit=500)]  # not "Moscow"
    assert str(EKGID.SCO) in [r["iri"] for r in found(client, "合作")]  # inside 上海合作组织


def test_typed_apostrophes_and_hyphens_find_curly_ones(client):
    assert str(EKGID.TradeChinaEU2021) in [r["iri"] for r in found(client, "China's trade", limit=50)]
    assert str(EKGID.RussiaUkraineConflict) == found(client, "russia-ukraine conflict")[0]["iri"]


@pytest.mark.parametrize("q", ["", " ", "      ", "\t", "\u3000"])
def test_an_empty_query_gives_an_empty_answer(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200 and response.get_json()["results"] == []
    page = client.get("/search", query_string={"q": q})
    assert page.status_code == 200 and b'class="results"' not in page.data


@pytest.mark.parametrize("q", ["x" * 2000, "Shanghai " * 250, "上" * (MAX_QUERY + 1)])
def test_a_very_long_query_is_refused_cleanly(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 400 and response.get_json()["results"] == []
    page = client.get("/search", query_string={"q": q}, headers={"Accept": "text/html"})
    assert page.status_code == 400 and page.content_type.startswith("text/html")
    assert f"at most {MAX_QUERY}" in page.get_data(as_text=True)


@pytest.mark.parametrize("q", ["*", "(", "[a-z]+", "\\", "%", "?q=", "<b>", "' OR 1=1 --", "🙂"])
def test_odd_characters_are_text(client, q):
    assert client.get("/api/search", query_string={"q": q}).status_code == 200
    assert client.get("/search", query_string={"q": q}).status_code == 200


def test_a_limit_and_a_link_to_more(client):
    total = client.get("/api/search?q=china&limit=500").get_json()
    assert len(total["results"]) == total["total"] > PAGE_LIMIT
    short = client.get("/api/search?q=china&limit=5").get_json()
    assert len(short["results"]) == 5 and short["more"] == "/search?q=china"
    page = html(client, "/search?q=china")
    assert len(results(page)) == PAGE_LIMIT
    [more] = [h for text, h in page.links if text == "More results"]
    assert len(results(html(client, more))) > PAGE_LIMIT
    assert not [text for text, _ in html(client, "/search?q=china&limit=500").links if text == "More results"]


def test_the_index_is_built_once(app, client, monkeypatch):
    found(client, "china")
    built = app.extensions["eurasia_kg.search"]

    def scan(_):
        raise AssertionError("the index was built again")

    monkeypatch.setattr(search, "build_index", scan)
    assert found(client, "russia") and app.extensions["eurasia_kg.search"] is built


def test_highlighting_maps_folded_text_back():
    assert str(highlight(Text("name", "Die Straße"), Query("STRASSE"))) == "Die <mark>Straße</mark>"
    assert str(highlight(Text("quote", "China’s trade & <b>"), Query("china's <b>"))) == \
        "<mark>China’s</mark> trade &amp; <mark>&lt;b&gt;</mark>"
    long = Text("quote", "word " * 100 + "needle " + "word " * 100)
    cut = str(highlight(long, Query("needle")))
    assert cut.startswith("…") and cut.endswith("…") and "<mark>needle</mark>" in cut and len(cut) < 300


def test_names_and_quotes_are_escaped(tmp_path):
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text((TESTS / "fixtures" / "valid-minimal.ttl").read_text(encoding="utf-8") + """
<https://w3id.org/eurasia-kg/id/Evil> a <https://w3id.org/eurasia-kg/ontology#State> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert(1)</script>"@en .
<https://w3id.org/eurasia-kg/id/claim-evil> a <https://w3id.org/eurasia-kg/ontology#Claim> ;
    <https://w3id.org/eurasia-kg/ontology#quote> "<img src=x onerror=alert(2)> script" .
""", encoding="utf-8")
    app = create_app({"DATA_FILES": [str(hostile)], "VALIDATE": False})
    try:
        client = app.test_client()
        body = client.get("/search?q=script", headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "<script>alert" not in body and "<img" not in body
        assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in body
        assert "&lt;img src=x onerror=alert(2)&gt; <mark>script</mark>" in body
        # JSON carries the snippet as escaped HTML, the names as plain text.
        [evil] = [r for r in client.get("/api/search?q=alert").get_json()["results"] if r["href"] == "/id/Evil"]
        assert evil["label"] == "<script>alert(1)</script>"
        assert evil["title"] == "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;"
    finally:
        app.extensions["eurasia_kg.pool"].close()


def test_every_kind_of_entry_is_found(client, everything):
    """Each statement of the essay is found by its own quote."""
    statements = sorted(s for s in everything.subjects(RDF.type, EKG.Claim))
    missing = []
    for s in statements[::9]:
        quote = str(everything.value(s, EKG.quote))
        if str(s) not in [r["iri"] for r in found(client, quote[:MAX_QUERY], limit=500)]:
            missing.append(s)
    assert not missing and len(statements) > 100
