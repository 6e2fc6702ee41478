"""The pages as a person sees them: a real browser against `eurasia-kg serve`.

Debian's Chromium (/usr/bin/chromium), driven by Playwright from PyPI (never `playwright
install`), opens the pages over HTTP from a real service (`eurasia-kg serve`) started for this module.
Every request the browser makes is recorded, and none may go anywhere but the service.
Screenshots go to tests/artifacts/ (ignored by git).

Missing Chromium or Playwright makes these tests fail, not skip: CI installs both (.ci/run and
the test extra).
"""

from __future__ import annotations

import os
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import TESTS
from .service import Service

#: Drives Chromium: `pytest -m "not browser"` leaves it out.
pytestmark = pytest.mark.browser

CHROMIUM = Path(os.environ.get("EURASIA_KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = TESTS / "artifacts"
LOCAL_HOSTS = {"127.0.0.1"}
TIMEOUT_MS = 20_000
#: The query editor's current tab (query.js exposes the editor as window.eurasiaQueryEditor).
TAB = "window.eurasiaQueryEditor.getTab()"

#: Every request any page of this module made, as (page URL, method, request URL).
REQUEST_LOG: list = []
#: Every Content-Security-Policy violation any page of this module reported, as (page URL, what).
CSP_LOG: list = []
#: Reports each violation of the page's Content-Security-Policy on the console, where Chromium
#: also reports those it finds before any script runs (a blocked <style>, a blocked script).
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) => console.error(
    "CSP violation: " + event.violatedDirective + " blocked " + (event.blockedURI || "inline") +
    " at " + event.sourceFile + ":" + event.lineNumber));"""


# ----------------------------------------------------------------------------- the service

@pytest.fixture(scope="module")
def service():
    running = Service("--workers", "1")
    yield running
    running.stop()


# ----------------------------------------------------------------------------- the browser

@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright; missing either is a failure, not a skip."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(f"Playwright is not installed ({error}): pip install '.[test]'", pytrace=False)
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)",
                    pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Visit:
    """A fresh browser context and page, with what it requested and what went wrong in it."""

    page: object
    base: str
    requests: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def goto(self, path):
        response = self.page.goto(self.base + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response

    def shot(self, name, full_page=True):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def foreign(self):
        """Return the requests that went to any host but the service."""
        return [(m, u) for m, u in self.requests if not is_local(u)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in LOCAL_HOSTS


def sideways_overflow(page) -> int:
    """Return how many pixels the page is wider than its screen (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def screen(width: int) -> dict:
    """Return the viewport of a screen that wide: a phone's height below 400 px, else a desktop's."""
    return {"width": width, "height": 900 if width > 400 else 844}


def assert_no_sideways_scrolling(page, width: int) -> None:
    overflow = sideways_overflow(page)
    assert overflow <= 1, f"the page is {overflow}px wider than a {width}px screen"


def open_visit(browser, service, **context_options) -> Visit:
    context = browser.new_context(viewport=screen(1280), **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    visit = Visit(page=None, base=service.url)

    def record(request):
        visit.requests.append((request.method, request.url))
        try:
            origin = request.frame.url
        except Exception:  # a request without a frame (a worker's): no page to name
            origin = ""
        REQUEST_LOG.append((origin, request.method, request.url))

    context.on("request", record)
    # Anything not for the service is recorded above and then refused, so no test can hang on
    # (or depend on) another host.
    context.route(lambda url: not is_local(url), lambda route: route.abort())
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.on("pageerror", lambda error: visit.errors.append(f"page error: {error}"))

    def console(message):
        if "Content Security Policy" in message.text or "CSP violation" in message.text:
            CSP_LOG.append((page.url, message.text))

    page.on("console", console)
    page.on("websocket", lambda ws: visit.requests.append(("WEBSOCKET", ws.url)))
    visit.page = page
    return visit


@pytest.fixture(autouse=True)
def no_policy_violation():
    """Fail any test whose pages broke the Content-Security-Policy (with or without JS)."""
    before = len(CSP_LOG)
    yield
    assert CSP_LOG[before:] == []


@pytest.fixture
def visit(browser, service):
    opened = open_visit(browser, service)
    yield opened
    opened.page.context.close()


@pytest.fixture
def visit_without_js(browser, service):
    opened = open_visit(browser, service, java_script_enabled=False)
    yield opened
    opened.page.context.close()


def expect():
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=TIMEOUT_MS)
    return playwright_expect


# ----------------------------------------------------------------------------- search

@pytest.mark.parametrize("typed", ["Shanghai", "Шанхай", "上海"])
def test_search_box_suggests_the_sco_and_leads_to_its_page(visit, typed):
    page = visit.page
    visit.goto("/")
    if typed == "Shanghai":
        visit.shot("home")
    page.fill("#q", typed)
    suggestion = page.locator('#suggestions a[href="/id/SCO"]')
    expect()(suggestion).to_be_visible()
    suggestion.click()
    page.wait_for_url(re.compile(r"/id/SCO$"))
    expect()(page.locator("h1")).to_contain_text("Shanghai Cooperation Organisation")
    # Its members, China and Russia among them, and the quotes that support what is said.
    members = page.locator("main tr").filter(has=page.locator("th", has_text="has member"))
    expect()(members.locator('a[href="/id/China"]')).to_have_text("China")
    expect()(members.locator('a[href="/id/Russia"]')).to_have_text("Russia")
    # The claims about the SCO show their quotes; the claims behind each link are folded
    # away in <details> until opened.
    claims = page.locator("#claims + ul.statements")
    expect()(claims.locator("blockquote").first).to_be_visible()
    expect()(claims).to_contain_text("“the SCO is the most fitting platform”")
    assert not visit.errors, visit.errors
    assert not visit.foreign(), visit.foreign()


def test_search_form_submitted_lists_the_sco(visit):
    page = visit.page
    visit.goto("/")
    page.fill("#q", "Shanghai")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Shanghai"))
    result = page.locator('main a[href="/id/SCO"]')
    expect()(result).to_have_text("Shanghai Cooperation Organisation")
    result.click()
    page.wait_for_url(re.compile(r"/id/SCO$"))
    expect()(page.locator("main")).to_contain_text("Russia")
    assert not visit.errors, visit.errors


@pytest.mark.parametrize("typed", ["sanction", "kind", "Lavrov", "China"])
def test_search_box_suggestions_have_no_duplicates(visit, typed):
    page = visit.page
    visit.goto("/")
    page.fill("#q", typed)
    items = page.locator("#suggestions li a")
    expect()(items.first).to_be_visible()
    expect()(page.locator("#suggestions")).to_contain_text(typed, ignore_case=True)
    links = items.evaluate_all("els => els.map(a => [a.textContent, a.getAttribute('href')])")
    texts, hrefs = [t for t, _ in links], [h for _, h in links]
    assert len(set(texts)) == len(texts), texts
    assert len(set(hrefs)) == len(hrefs), hrefs
    if typed == "Lavrov":
        assert hrefs[0] == "/id/SergeyLavrov"  # the person before his words
    if typed == "sanction":
        visit.shot("search-suggestions", full_page=False)
    assert not visit.errors, visit.errors
    assert not visit.foreign(), visit.foreign()


@pytest.mark.parametrize("width", [1280, 390])
def test_search_results_with_snippets_and_paragraphs(browser, service, width):
    visit = open_visit(browser, service)
    try:
        page = visit.page
        page.set_viewport_size(screen(width))
        visit.goto("/search?q=sanctions+China+risks")
        row = page.locator("ol.results > li").filter(has=page.locator('a[href="/id/claim-p9-2"]'))
        expect()(row.get_by_role("link", name="Paragraph 9", exact=True)).to_be_visible()
        expect()(row.locator("mark").first).to_be_visible()
        visit.shot(f"search-{width}")
        assert_no_sideways_scrolling(page, width)
        assert not visit.errors, visit.errors
    finally:
        visit.page.context.close()


def test_search_works_without_javascript(visit_without_js):
    page = visit_without_js.page
    visit_without_js.goto("/")
    page.fill("#q", "Шанхай")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    expect()(page.locator("ol.results a.result").first).to_have_text("Shanghai Cooperation Organisation")
    expect()(page.locator("ol.results mark").first).to_have_text("Шанхай")


# ----------------------------------------------------------------------------- home and validation

@pytest.mark.parametrize("width", [1280, 390])
def test_home_page_says_what_the_essay_argues_and_fits_the_screen(browser, service, width):
    visit = open_visit(browser, service)
    try:
        page = visit.page
        page.set_viewport_size(screen(width))
        visit.goto("/")
        heading = page.locator("h2#argument")
        expect()(heading).to_have_text("What the essay argues")
        recommendations = page.locator("#recommendations + p + ul.overview > li")
        assert recommendations.count() >= 3
        expect()(page.locator("h2#start")).to_be_visible()
        expect()(page.locator('a[href="/statements?kind=recommendation"]').first).to_be_visible()
        expect()(page.locator("details.classes table")).to_be_hidden()  # folded away
        visit.shot(f"home-{width}")
        assert_no_sideways_scrolling(page, width)
        assert not visit.errors, visit.errors
        assert not visit.foreign(), visit.foreign()
    finally:
        visit.page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_validation_page_says_what_was_checked(browser, service, width):
    visit = open_visit(browser, service)
    try:
        page = visit.page
        page.set_viewport_size(screen(width))
        visit.goto("/validate")
        expect()(page.locator("main")).to_contain_text("Conforms")
        row = page.locator("table.checks tr").filter(has=page.locator("th", has_text="Every claim"))
        expect()(row).to_contain_text("A claim says what it is about.")
        visit.shot(f"validation-{width}")
        assert_no_sideways_scrolling(page, width)
    finally:
        visit.page.context.close()


# ----------------------------------------------------------------------------- entity pages

def test_china_page_shows_the_2021_trade_with_the_eu_with_its_evidence(visit):
    page = visit.page
    visit.goto("/id/China")
    expect()(page.locator("h1")).to_have_text("China")
    sentence = "Trade with European Union, 2021: US$820 billion, up 19%"
    item = page.locator("main li").filter(has=page.get_by_role("link", name=sentence, exact=True))
    expect()(item).to_have_count(1)
    expect()(item.get_by_role("link", name="Paragraph 10", exact=True)).to_be_visible()
    quote = item.locator("blockquote")
    expect()(quote).to_contain_text("$820 billion")
    visit.shot("entity-china")
    assert not visit.errors, visit.errors
    assert not visit.foreign(), visit.foreign()


def test_china_page_at_phone_width(browser, service):
    visit = open_visit(browser, service)
    try:
        visit.page.set_viewport_size(screen(390))
        visit.goto("/id/China")
        expect()(visit.page.locator("h1")).to_have_text("China")
        visit.shot("entity-china-390")
        # Nothing wider than the screen: the page must not scroll sideways.
        assert_no_sideways_scrolling(visit.page, 390)
    finally:
        visit.page.context.close()


#: The words of every table cell that the browser broke over two lines. A word runs up to
#: white space, or up to and with a dash, slash or "#" (where a line may end: "Russia–",
#: "https://w3id.org/"); it is measured by a Range over it: all its boxes must lie on one line
#: (a run of text can give two boxes on one line, at a change of font, so lines are counted).
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\\-\\u2013\\u2014\\/#]+[\\-\\u2013\\u2014\\/#]?/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
        const lines = new Set(rects.map(r => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(`${word[0]} (in “${node.data.trim().slice(0, 60)}”)`);
      }
    }
  }
  return broken;
}"""
#: Pages with tables a reader may open on a phone (/statements: the statements explorer).
TABLE_PAGES = {"entity-china": "/id/China", "ontology": "/ontology", "search-russia": "/search?q=russia",
               "claim-p22-9": "/id/claim-p22-9", "statements": "/statements"}


@pytest.mark.parametrize("name", sorted(TABLE_PAGES))
def test_tables_wrap_between_words_on_a_phone(browser, service, name):
    """At 390 px: no table cell breaks inside a word ("3 / 4" for 34), and the page does not scroll sideways."""
    visit = open_visit(browser, service)
    try:
        visit.page.set_viewport_size(screen(390))
        visit.goto(TABLE_PAGES[name])
        visit.shot(f"tables-{name}-390")
        broken = visit.page.evaluate(BROKEN_WORDS)
        assert broken == [], f"{len(broken)} words broken inside: {broken[:10]}"
        assert_no_sideways_scrolling(visit.page, 390)
        assert not visit.errors, visit.errors
    finally:
        visit.page.context.close()


def test_a_table_stacks_into_cards_with_its_column_names_on_a_phone(browser, service):
    visit = open_visit(browser, service)
    try:
        page = visit.page
        page.set_viewport_size(screen(390))
        visit.goto("/ontology")
        row = page.locator("tr#pursuedBy")
        cells = row.locator("td")
        boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
        assert len({round(b["x"]) for b in boxes}) == 1, boxes    # one under the other
        assert all(b["width"] > 300 for b in boxes), boxes        # each as wide as the card
        heading = row.locator("td[data-label='Definition']").evaluate(
            "td => getComputedStyle(td, '::before').content")
        assert heading == '"Definition"'
        header = page.locator("table thead").first.bounding_box()   # kept for screen readers only
        assert header["width"] <= 1 and header["height"] <= 1, header
    finally:
        visit.page.context.close()


def test_the_neighbourhood_labels_do_not_overlap(visit):
    page = visit.page
    visit.goto("/id/China")
    figure = page.locator("figure.neighbourhood")
    figure.scroll_into_view_if_needed()
    figure.screenshot(path=str(ARTIFACTS / "neighbourhood-china.png"))
    boxes = page.evaluate("""() => {
        const svg = document.querySelector('figure.neighbourhood svg');
        const frame = svg.getBoundingClientRect();
        return {frame: [frame.left, frame.top, frame.right, frame.bottom],
                labels: [...svg.querySelectorAll('text')].map(t => {
                    const r = t.getBoundingClientRect();
                    return [t.textContent, r.left, r.top, r.right, r.bottom]; })}; }""")
    labels = boxes["labels"]
    assert len(labels) >= 20, labels
    overlapping = [(a[0], b[0]) for i, a in enumerate(labels) for b in labels[i + 1:]
                   if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]]
    assert overlapping == []
    left, top, right, bottom = boxes["frame"]
    outside = [t for t, *box in labels if box[0] < left or box[1] < top or box[2] > right or box[3] > bottom]
    assert outside == []
    # A label cut short keeps the whole name in its node's tooltip.
    for node in page.locator("figure.neighbourhood svg a.node").all():
        name = node.locator("title").text_content()
        shown = node.locator("text").text_content() if node.locator("text").count() else ""
        assert name.startswith(shown.rstrip("…")), (name, shown)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_claim_reads_as_a_sentence_next_to_its_quote(browser, service, width):
    visit = open_visit(browser, service)
    try:
        page = visit.page
        page.set_viewport_size(screen(width))
        visit.goto("/id/claim-p22-9")
        heading = page.locator("h1")
        expect()(heading).to_have_text("Russia–Ukraine conflict should not be escalating and prolonged"
                                       " — addressed to international community")
        expect()(heading.get_by_role("link", name="international community", exact=True)).to_be_visible()
        quote = page.locator("section.statement blockquote")
        expect()(quote).to_have_text(
            "“it is vital to avoid escalating and prolonging the Russia–Ukraine conflict”")
        reasons = page.locator("h3", has_text="Reasons given for it")
        expect()(reasons).to_be_visible()
        visit.shot("claim-p22-9" if width > 400 else "claim-p22-9-390")
        assert_no_sideways_scrolling(page, width)
        assert not visit.errors, visit.errors
        assert not visit.foreign(), visit.foreign()
    finally:
        visit.page.context.close()


def test_a_link_shows_the_quotes_it_rests_on(visit):
    page = visit.page
    visit.goto("/id/China")
    row = page.locator("main tr").filter(has=page.locator("th", has_text="regards as its main competitor"))
    expect()(row.get_by_role("link", name="United States", exact=True)).to_be_visible()
    expect()(row.get_by_role("link", name="Paragraph 5", exact=True)).to_be_visible()
    expect()(row.locator("blockquote")).to_have_text("“Washington views Beijing as its main competitor”")
    row.locator("blockquote a").click()
    page.wait_for_url(re.compile(r"/id/claim-p5-6$"))
    expect()(page.locator("h1")).to_have_text("United States regards as its main competitor China")


def test_essay_page(visit):
    visit.goto("/essay")
    expect()(visit.page.locator("main blockquote").first).to_be_visible()
    assert visit.page.locator("main blockquote").count() >= 24
    visit.shot("essay")
    assert not visit.errors, visit.errors


# ----------------------------------------------------------------------------- statements

def statements_json(service, query: str) -> dict:
    """Ask the service's JSON view of the statements (tests/test_statements.py checks it against the data)."""
    import json

    with urllib.request.urlopen(f"{service.url}/statements.json?{query}") as answer:
        return json.load(answer)


def at_width(browser, service, width) -> Visit:
    visit = open_visit(browser, service)
    visit.page.set_viewport_size(screen(width))
    return visit


def assert_fits(visit, width):
    assert_no_sideways_scrolling(visit.page, width)
    assert not visit.errors, visit.errors
    assert not visit.foreign(), visit.foreign()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_recommendation_filter_lists_each_recommendation_with_its_paragraph(browser, service, width):
    expected = statements_json(service, "kind=Recommendation")["rows"]
    visit = at_width(browser, service, width)
    try:
        page = visit.page
        visit.goto("/statements")
        page.locator("#facet-kind").get_by_role("link", name=re.compile(r"^recommendation \d+")).click()
        page.wait_for_url(re.compile(r"/statements\?kind=Recommendation$"))
        rows = page.locator("table.statements-table tbody tr")
        expect()(rows).to_have_count(len(expected))
        for i, row in enumerate(expected):
            shown = rows.nth(i)
            number = str(row["paragraph"]["number"])
            expect()(shown.locator('td[data-label="Paragraph"] a')).to_have_text(number)
            expect()(shown.locator("blockquote")).to_have_text(f"“{row['quote']}”")
        expect()(page.locator("p.summary")).to_contain_text(f"{len(expected)} of ")
        if width < 400:  # the rows stack into cards: one column, nothing cut off
            assert rows.first.locator("td").first.evaluate("e => getComputedStyle(e).display") == "block"
        visit.shot("statements-recommendations" + ("-390" if width < 400 else ""))
        assert_fits(visit, width)
    finally:
        visit.page.context.close()


def test_the_statements_facets_work_without_javascript(visit_without_js, service):
    page = visit_without_js.page
    visit_without_js.goto("/statements?kind=Recommendation")
    page.locator("#facet-actor").get_by_role("link", name=re.compile(r"^China \d+")).click()
    page.wait_for_url(re.compile(r"kind=Recommendation&actor=China$"))
    expected = statements_json(service, "kind=Recommendation&actor=China")["total"]
    expect()(page.locator("table.statements-table tbody tr")).to_have_count(expected)
    page.fill("#statements-q", "open")
    page.press("#statements-q", "Enter")
    page.wait_for_url(re.compile(r"q=open"))
    expected = statements_json(service, "kind=Recommendation&actor=China&q=open")["total"]
    expect()(page.locator("table.statements-table tbody tr")).to_have_count(expected)


@pytest.mark.parametrize("width", [1280, 390])
def test_paragraph_14_shows_its_statements_with_their_quotes(browser, service, width):
    expected = statements_json(service, "paragraph=14")["rows"]
    visit = at_width(browser, service, width)
    try:
        page = visit.page
        visit.goto("/id/essay/p14")
        quotes = page.locator("section.drawn blockquote")
        expect()(quotes).to_have_count(len(expected))
        assert sorted(quotes.all_text_contents()) == sorted(f"“{r['quote']}”" for r in expected)
        expect()(page.locator("section.drawn")).to_contain_text(
            "“Russia is not trying to invent new international relations and new rules”")
        visit.shot("paragraph-14" + ("-390" if width < 400 else ""))
        assert_fits(visit, width)
    finally:
        visit.page.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_lavrovs_page_opens_with_his_words(browser, service, width):
    visit = at_width(browser, service, width)
    try:
        page = visit.page
        visit.goto("/id/SergeyLavrov")
        first = page.locator("main h2").first
        expect()(first).to_contain_text("Said by Sergey Lavrov, as the essay reports")
        said = page.locator("section.said")
        expect()(said.locator("blockquote")).to_have_text(
            "“Russia is not trying to invent new international relations and new rules”")
        expect()(said.get_by_role("link", name="Paragraph 14", exact=True)).to_be_visible()
        # His words come before the page's other sections, within the first screen.
        assert said.bounding_box()["y"] < page.viewport_size["height"]
        visit.shot("speaker-lavrov" + ("-390" if width < 400 else ""))
        assert_fits(visit, width)
    finally:
        visit.page.context.close()


# ----------------------------------------------------------------------------- query editor

def yasr_rows(page):
    return page.locator("#yasgui .yasr .yasr_results table tbody tr")


def test_query_editor_runs_an_example_against_this_service(visit):
    page = visit.page
    visit.goto("/query")
    expect()(page.locator("#yasgui .yasqe .CodeMirror")).to_be_visible()
    expect()(page.locator("#query-form")).to_be_hidden()  # the editor replaced the plain form
    button = page.locator('#examples button.example[data-name="cq03-trade-2021"]')
    expect()(button).to_be_visible()
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql") as answer:
        button.click()
    response = answer.value
    assert response.status == 200
    assert response.request.method == "POST"
    assert response.url == visit.base + "/sparql"      # the absolute URL on this origin
    sent = urllib.parse.parse_qs(response.request.post_data or "")
    assert "ekg:TradeFlow" in sent["query"][0]
    expect()(yasr_rows(page)).to_have_count(2)
    expect()(page.locator("#yasgui .yasr .yasr_results")).to_contain_text("EuropeanUnion")
    editor_text = page.evaluate(f"{TAB}.getQuery()")
    assert "ekg:TradeFlow" in editor_text
    visit.shot("query")
    # An entity in the results opens its page on this service, not the w3id.org IRI.
    link = page.locator('#yasgui .yasr a[href="https://w3id.org/eurasia-kg/id/EuropeanUnion"]').first
    link.dispatch_event("click")  # YASR lays a span over the cell; the click event is what counts
    page.wait_for_url(visit.base + "/id/EuropeanUnion")
    expect()(page.locator("h1")).to_have_text("European Union")
    assert not visit.errors, visit.errors
    assert not visit.foreign(), visit.foreign()


def test_query_editor_is_prefilled_from_the_link_and_runs_it(visit):
    page = visit.page
    text = "SELECT ?label WHERE { <https://w3id.org/eurasia-kg/id/SCO> rdfs:label ?label }"
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql"):
        visit.goto("/query?" + urllib.parse.urlencode(
            {"query": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" + text}))
    assert text in page.evaluate(f"{TAB}.getQuery()")
    results = page.locator("#yasgui .yasr .yasr_results")
    expect()(results).to_contain_text("Shanghai Cooperation Organisation")
    assert yasr_rows(page).count() >= 3                      # en, ru, zh labels at least
    assert not visit.foreign(), visit.foreign()


def test_query_editor_ignores_an_endpoint_in_a_shared_link(visit):
    """A share link naming another endpoint must not send the query there."""
    page = visit.page
    shared = urllib.parse.urlencode({
        "query": "ASK { ?s ?p ?o }", "endpoint": "https://dbpedia.org/sparql",
        "requestMethod": "POST", "tabTitle": "Shared", "headers": "{}",
        "contentTypeConstruct": "text/turtle",
        "contentTypeSelect": "application/sparql-results+json",
        "outputFormat": "boolean"})
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql"):
        visit.goto("/query#" + shared)
    assert page.evaluate(f"{TAB}.getEndpoint()") == visit.base + "/sparql"
    assert not visit.foreign(), visit.foreign()


def test_query_editor_offers_no_remote_autocompletion(visit):
    page = visit.page
    visit.goto("/query")
    expect()(page.locator("#yasgui .yasqe .CodeMirror")).to_be_visible()
    names = page.evaluate("Object.keys(Yasgui.Yasqe.Autocompleters)")
    active = page.evaluate(f"{TAB}.getYasqe().config.autocompleters")
    assert set(names) <= {"variables"} and set(active) <= {"variables"}, (names, active)
    assert page.evaluate(f"{TAB}.getYasqe().config.prefixCcApi") in (None, "")
    # With YASGUI's defaults, completing a class or a property asks Linked Open Vocabularies
    # (checked: two requests to another host for the keystrokes below) and prefixes may ask
    # prefix.cc. Here nothing may leave.
    def type_at(text, line, ch, keys):
        page.evaluate("""([text, line, ch]) => {
            const yasqe = window.eurasiaQueryEditor.getTab().getYasqe();
            yasqe.setValue(text); yasqe.focus(); yasqe.getDoc().setCursor({line, ch}); }""",
                      [text, line, ch])
        page.keyboard.type(keys)
        page.keyboard.press("Control+Space")
        page.wait_for_timeout(400)

    foaf = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT * WHERE {\n"
    type_at(foaf + "  ?s a foaf:Pe\n}", 2, 13, "r")     # a class: LOV
    type_at(foaf + "  ?s foaf:na\n}", 2, 11, "m")       # a property: LOV
    type_at("PREFIX fo", 0, 9, "a")                     # a prefix: prefix.cc
    page.wait_for_load_state("networkidle")
    assert not visit.foreign(), visit.foreign()
    assert page.evaluate("Object.keys(localStorage).length") == 0   # nothing persisted


def test_query_page_without_javascript_keeps_the_plain_form(visit_without_js):
    page = visit_without_js.page
    visit_without_js.goto("/query")
    expect()(page.locator("#query-form textarea#query")).to_be_visible()
    # An example button reloads the page with its query in the form.
    page.locator('#examples button.example[data-name="cq03-trade-2021"]').click()
    page.wait_for_url(re.compile(r"/query\?query="))
    assert "ekg:TradeFlow" in page.locator("textarea#query").input_value()
    page.locator("#query-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/sparql\?"))
    # The entity reads as its name, opens its page here, and shows its IRI on hover.
    link = page.locator('table a[title="https://w3id.org/eurasia-kg/id/EuropeanUnion"]')
    expect()(link).to_have_text("European Union")
    expect()(link).to_have_attribute("href", "/id/EuropeanUnion")


# ----------------------------------------------------------------------------- network

def test_network_draws_the_actor_network_interactively(visit, service):
    page = visit.page
    data = service.json("/network.json")
    visit.goto("/network")
    figure = page.locator("figure#network")
    expect()(figure).to_have_attribute("data-state", "drawn")
    assert figure.get_attribute("data-nodes") == str(len(data["nodes"]))
    canvas = figure.locator(".network-canvas canvas")
    expect()(canvas).to_be_visible()
    expect()(figure.locator(".network-static")).to_be_hidden()   # the SVG gave way
    # The canvas has been drawn on: count pixels that are neither blank nor white.
    inked = canvas.evaluate("""c => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
            if (d[i + 3] > 0 && (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200)) n++;
        return n; }""")
    assert inked > 2000, f"only {inked} drawn pixels"
    visit.shot("network")
    # Clicking a node opens its page.
    china = next(n for n in data["nodes"] if n["label"] == "China")
    point = page.evaluate("""id => {
        const net = window.eurasiaNetwork;
        const dom = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#network .network-canvas').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y}; }""", china["id"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(re.escape(china["href"]) + "$"))
    expect()(page.locator("h1")).to_have_text("China")
    assert not visit.errors, visit.errors
    assert not visit.foreign(), visit.foreign()


def test_hovering_a_network_link_shows_its_relation_and_quote(visit, service):
    page = visit.page
    data = service.json("/network.json")
    [edge] = [e for e in data["edges"] if e["relation"] == "United States threatens China"]
    quote = edge["evidence"][0]["quote"]
    visit.goto("/network")
    expect()(page.locator("figure#network")).to_have_attribute("data-state", "drawn")
    # The middle of the drawn link between the two (vis-network's own geometry of the curve).
    point = page.evaluate("""([a, b]) => {
        const net = window.eurasiaNetwork;
        const edge = Object.values(net.body.edges).find(e =>
            (e.fromId === a && e.toId === b) || (e.fromId === b && e.toId === a));
        const dom = net.canvasToDOM(edge.edgeType.getPoint(0.5));
        const box = document.querySelector('#network .network-canvas').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y}; }""", [edge["source"], edge["target"]])
    page.mouse.move(point["x"] - 20, point["y"] - 20)
    page.mouse.move(point["x"], point["y"], steps=5)
    tooltip = page.locator("div.vis-tooltip")
    expect()(tooltip).to_be_visible()
    expect()(tooltip).to_contain_text("United States threatens China")
    expect()(tooltip).to_contain_text("Paragraph 4 · fact reported")
    expect()(tooltip).to_contain_text(f"“{quote}”")
    visit.shot("network-tooltip", full_page=False)
    assert not visit.errors, visit.errors


def test_network_at_phone_width(browser, service):
    visit = open_visit(browser, service)
    try:
        visit.page.set_viewport_size(screen(390))
        visit.goto("/network")
        expect()(visit.page.locator("figure#network")).to_have_attribute("data-state", "drawn")
        visit.shot("network-390")
        assert_no_sideways_scrolling(visit.page, 390)
    finally:
        visit.page.context.close()


def test_network_without_javascript_shows_the_server_svg(visit_without_js):
    page = visit_without_js.page
    visit_without_js.goto("/network")
    svg = page.locator("figure#network svg")
    expect()(svg).to_be_visible()
    assert svg.locator("a.node").count() > 10
    # Each link says what it is and where it comes from; background links are dashed.
    titles = svg.locator("g.edges > g > title").all_text_contents()
    assert any(t.startswith("United States threatens China\nParagraph 4 (fact reported): “") or
               "\n\nUnited States threatens China\nParagraph 4 (fact reported): “" in t for t in titles)
    assert svg.locator("g.edges > g.background").count() > 0
    # The list of every link with its evidence, folded, opens without JavaScript.
    page.locator("details.network-links summary").click()
    expect()(page.locator("details.network-links table")).to_contain_text("United States threatens China")
    visit_without_js.shot("network-nojs")


def network_link_point(page, source, target):
    """Return the page coordinates of the middle of the drawn link between two nodes."""
    return page.evaluate("""([a, b]) => {
        const net = window.eurasiaNetwork;
        const edge = Object.values(net.body.edges).find(e => e.options.hidden !== true &&
            ((e.fromId === a && e.toId === b) || (e.fromId === b && e.toId === a)));
        const dom = net.canvasToDOM(edge.edgeType.getPoint(0.5));
        const box = document.querySelector('#network .network-canvas').getBoundingClientRect();
        return {x: box.left + dom.x, y: box.top + dom.y}; }""", [source, target])


def drawn_links(page) -> dict:
    """Return how many links the canvas draws, and how many of them dashed (background)."""
    return page.evaluate("""() => {
        const edges = window.eurasiaNetwork.body.data.edges.get();
        return {all: edges.length, dashed: edges.filter(e => e.dashes).length}; }""")


def test_clicking_a_network_link_opens_the_passages_it_rests_on(visit, service):
    page = visit.page
    data = service.json("/network.json")
    [edge] = [e for e in data["edges"] if e["relation"] == "United States threatens China"]
    [evidence] = edge["evidence"]
    visit.goto("/network")
    expect()(page.locator("figure#network")).to_have_attribute("data-state", "drawn")
    panel = page.locator("#network-evidence")
    expect()(panel).to_be_hidden()
    point = network_link_point(page, edge["source"], edge["target"])
    page.mouse.click(point["x"], point["y"])
    expect()(panel).to_be_visible()
    section = panel.locator("section").filter(has=page.locator("h2", has_text="United States threatens China"))
    expect()(section.locator("blockquote")).to_have_text(f"“{evidence['quote']}”")
    expect()(section.get_by_role("link", name="Paragraph 4", exact=True)).to_have_attribute("href", "/essay#p4")
    expect()(section.locator(".modality")).to_have_text("fact reported")
    expect()(section.get_by_role("link", name=evidence["sentence"])).to_have_attribute("href", "/id/claim-p4-6")
    visit.shot("network-evidence", full_page=False)
    panel.get_by_role("button", name="Close the passages").click()
    expect()(panel).to_be_hidden()
    assert not visit.errors, visit.errors


def test_tapping_a_network_link_on_a_phone_opens_its_passages(browser, service):
    visit = open_visit(browser, service, has_touch=True, is_mobile=True)
    try:
        page = visit.page
        page.set_viewport_size(screen(390))
        data = service.json("/network.json")
        [edge] = [e for e in data["edges"] if e["relation"] == "United States threatens China"]
        visit.goto("/network")
        figure = page.locator("figure#network")
        expect()(figure).to_have_attribute("data-state", "drawn")
        figure.locator(".network-canvas").scroll_into_view_if_needed()
        point = network_link_point(page, edge["source"], edge["target"])
        page.touchscreen.tap(point["x"], point["y"])
        panel = page.locator("#network-evidence")
        expect()(panel).to_be_visible()
        expect()(panel).to_contain_text("United States threatens China")
        expect()(panel).to_contain_text(f"“{edge['evidence'][0]['quote']}”")
        visit.shot("network-390-evidence", full_page=False)
        assert_no_sideways_scrolling(page, 390)
        assert not visit.errors, visit.errors
    finally:
        visit.page.context.close()


def test_background_links_can_be_switched_off_and_on(visit, service):
    page = visit.page
    whole = service.json("/network.json")
    essay_only = service.json("/network.json?background=0")
    visit.goto("/network")
    figure = page.locator("figure#network")
    expect()(figure).to_have_attribute("data-state", "drawn")
    before = drawn_links(page)
    assert before["dashed"] > 0 and figure.get_attribute("data-background-edges") == str(before["dashed"])
    page.get_by_label("background facts, not from the essay").uncheck()
    expect()(figure).to_have_attribute("data-background-edges", "0")
    assert drawn_links(page)["dashed"] == 0
    page.wait_for_url(re.compile(r"/network\?background=0$"))
    # The list of links and the download links follow the switch.
    expect()(page.locator("#network-summary")).to_contain_text(
        f"{len(essay_only['edges'])} of {len(whole['edges'])} links")
    expect()(page.locator("#network-links tr.background-link")).to_have_count(0)
    expect()(page.get_by_role("link", name="GraphML", exact=True)).to_have_attribute(
        "href", "/network.graphml?background=0")
    visit.shot("network-no-background", full_page=False)
    page.get_by_label("background facts, not from the essay").check()
    expect()(figure).to_have_attribute("data-background-edges", str(before["dashed"]))
    assert drawn_links(page) == before
    page.wait_for_url(re.compile(r"/network$"))
    assert not visit.errors, visit.errors


def test_filtering_the_network_by_relation_and_by_kind(visit, service):
    page = visit.page
    visit.goto("/network")
    figure = page.locator("figure#network")
    expect()(figure).to_have_attribute("data-state", "drawn")
    page.get_by_label("Relation").select_option("threatens")
    page.wait_for_url(re.compile(r"/network\?relation=threatens$"))
    expect()(figure).to_have_attribute("data-edges", "1")
    expect()(figure).to_have_attribute("data-nodes", "2")
    rows = page.locator("#network-links tbody tr")
    expect()(rows).to_have_count(1)
    expect()(rows).to_contain_text("United States threatens China")
    expect()(page.get_by_role("link", name="CSV", exact=True)).to_have_attribute(
        "href", "/network.csv?relation=threatens")
    # States only: every node drawn is a state.
    page.get_by_label("Relation").select_option("")
    for box in page.locator("input[name=kind]").all():
        if box.get_attribute("value") != "State":
            box.uncheck()
    page.wait_for_url(re.compile(r"/network\?kind=State$"))
    states = service.json("/network.json?kind=State")
    expect()(figure).to_have_attribute("data-nodes", str(len(states["nodes"])))
    shown = page.evaluate("""() => window.eurasiaNetwork.body.data.nodes.get()
        .filter(n => !n.hidden).map(n => n.id).sort()""")
    assert shown == sorted(n["id"] for n in states["nodes"])
    expect()(page.locator("#network-links tbody tr")).to_have_count(len(states["edges"]))
    visit.shot("network-states", full_page=False)
    assert not visit.errors, visit.errors


def test_network_filters_work_without_javascript(visit_without_js, service):
    page = visit_without_js.page
    visit_without_js.goto("/network")
    page.get_by_label("Relation").select_option("memberOf")
    page.get_by_label("background facts, not from the essay").uncheck()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/network\?relation=memberOf&"))
    # Every member-of link is a background fact: with background off, none is left.
    expect()(page.locator("#network-summary")).to_contain_text("0 of ")
    page.get_by_label("background facts, not from the essay").check()
    page.get_by_role("button", name="Show").click()
    members = service.json("/network.json?relation=memberOf")
    expect()(page.locator("#network-summary")).to_contain_text(f"{len(members['edges'])} of ")
    svg = page.locator("figure#network svg")
    expect()(svg.locator("a.node")).to_have_count(len(members["nodes"]))
    expect()(svg.locator("g.edge-labels text").first).to_have_text("member of")
    expect()(page.locator("#network-links tbody tr")).to_have_count(len(members["edges"]))
    visit_without_js.shot("network-nojs-member-of")


# ----------------------------------------------------------------------------- nothing leaves

def test_every_request_goes_to_this_service_only(visit):
    """Walk every kind of page in one browser; every request must go to 127.0.0.1.

    This also checks the log of every test above (REQUEST_LOG), and that it is not empty of
    the requests that would show a leak: the vendored scripts, /sparql and /network.json.
    """
    page = visit.page
    for path in ("/", "/search?q=Russia", "/id/SCO", "/id/China", "/essay", "/ontology",
                 "/class/ekg:State", "/network", "/query"):
        visit.goto(path)
        page.wait_for_load_state("networkidle")
    page.locator('#examples button.example[data-name="cq01-actors-by-class"]').click()
    expect()(yasr_rows(page).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    visit.shot("query-cq01", full_page=False)
    paths = {urlsplit(u).path for _, u in visit.requests}
    for needed in ("/static/vendor/yasgui-4.6.2.min.js", "/static/vendor/yasgui-4.6.2.min.css",
                   "/static/vendor/vis-network-10.1.5.min.js", "/network.json", "/sparql",
                   "/static/search.js"):
        assert needed in paths, f"{needed} was never requested: {sorted(paths)}"
    assert not visit.foreign(), visit.foreign()
    assert not visit.errors, visit.errors
    assert CSP_LOG == []
    leaks = [entry for entry in REQUEST_LOG if not is_local(entry[2])]
    assert not leaks, leaks
    assert len(REQUEST_LOG) >= len(visit.requests) > 20


# ----------------------------------------------------------------------------- the policy

def test_the_policy_is_enforced_and_reported(visit, service):
    """The pages carry a Content-Security-Policy that Chromium applies: an inline script
    added to a page is blocked and reported, which the other tests' check relies on."""
    response = visit.goto("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    blocked = visit.page.evaluate("""() => new Promise((resolve) => {
        document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective));
        const script = document.createElement("script");
        script.textContent = "window.inlineRan = true";
        document.body.appendChild(script);
        setTimeout(() => resolve(window.inlineRan ? "ran" : "nothing"), 2000);
    })""")
    assert blocked.startswith("script-src")
    assert any("CSP violation" in text for _, text in CSP_LOG)
    del CSP_LOG[:]  # this test's own violation, on purpose
