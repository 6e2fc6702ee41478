"""Search: names in every language and the text of the essay's statements, words in any order.

/search is the page, /api/search the same results as JSON for the search box's suggestions.
An entry is an entity, a statement or an ontology term with the texts it can be found by: its
names (rdfs:label, skos:prefLabel, skos:altLabel, in English, Russian and Chinese) and, for a
statement, its sentence (Describer.reading), its quotes, its claim text and, for reported
speech, who said it. Every word of the query must occur in an entry's texts, in any order,
after Unicode case folding; a query without spaces (Chinese has none) is one substring.
Entities come first, then the essay's statements, background facts, and ontology terms.

The index is built once per process, at the first search: the data never changes while the
service runs. Texts are folded once, and each word is looked up through its character
trigrams (bigrams and single characters for shorter words) before it is checked.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ...ontology import EKG, EKGID
from .links import describer, href

bp = Blueprint("search", __name__)

#: Longer queries are refused (400): no name or quote of the essay is that long.
MAX_QUERY = 200
PAGE_LIMIT = 30       #: results on the page, before "More results"
API_LIMIT = 10        #: results for the search box
MAX_LIMIT = 500
#: Words are looked up by grams of up to this many characters.
GRAM = 3
#: Snippets longer than this are cut around the first matched word.
SNIPPET = 220

ENTITY, STATEMENT, BACKGROUND, TERM = range(4)
GROUPS = {ENTITY: "Actors, organisations, policies, events and ideas",
          STATEMENT: "Statements of the essay",
          BACKGROUND: "Background facts, not from the essay",
          TERM: "Terms of the ontology and its vocabularies"}
#: What each kind of text is called where a result shows it.
NAMES = {RDFS.label: "name", SKOS.prefLabel: "name", SKOS.altLabel: "also known as"}
#: Typography a reader does not type: curly quotes and dashes match straight ones.
TYPED = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " "})


def fold(text: str) -> tuple:
    """Return (folded text, index in text of each folded character): NFKC, casefold, typography.

    Folding can change a character into several ("ß" into "ss"), so matches found in the
    folded text are mapped back to the original through the second list.
    """
    parts, owner = [], []
    for i, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char.translate(TYPED)).casefold()
        parts.append(folded)
        owner.extend([i] * len(folded))
    return "".join(parts), owner


def unspaced(char: str) -> bool:
    """Tell whether a character is of a script written without spaces (Chinese, Japanese, Korean)."""
    point = ord(char)
    return 0x2E80 <= point <= 0x9FFF or 0xAC00 <= point <= 0xD7AF or 0xF900 <= point <= 0xFAFF \
        or point >= 0x20000


class Query:
    """A query's folded words: each must occur in an entry, at the start of a word of it.

    A word of a script written without spaces may start anywhere ("上海" in "上海合作组织"),
    so a query without spaces is one substring; any other word starts where a word does
    ("sanction" finds "sanctions", "SCO" does not find "Moscow").
    """

    def __init__(self, text: str):
        folded = fold(text)[0].split()
        self.phrase = " ".join(folded)
        #: each word once, longest first: its grams are the rarest
        self.words = sorted(dict.fromkeys(folded), key=lambda w: (-len(w), w))
        self.patterns = [re.compile(("" if unspaced(w[0]) or not w[0].isalnum() else r"(?<!\w)") + re.escape(w))
                         for w in self.words]

    def __bool__(self) -> bool:
        return bool(self.words)

    def all_in(self, folded: str) -> bool:
        return all(p.search(folded) for p in self.patterns)

    def count_in(self, folded: str) -> int:
        return sum(1 for p in self.patterns if p.search(folded))

    def spans(self, folded: str) -> list:
        return [m.span() for p in self.patterns for m in p.finditer(folded)]


@dataclass
class Text:
    """One text an entry is found by: what it is, the text, its language, and folded."""

    name: str
    text: str
    lang: str = ""
    is_name: bool = False
    folded: str = ""
    owner: list = field(default_factory=list)

    def __post_init__(self):
        self.folded, self.owner = fold(self.text)


@dataclass
class Entry:
    """Something search finds, with the texts it is found by."""

    iri: URIRef
    group: int
    title: str  #: the English name, or a statement's sentence
    kind: str  #: its type, or a statement's modality
    texts: list
    paragraph: int | None = None
    order: tuple = ()
    haystack: str = ""

    def __post_init__(self):
        self.haystack = "\n".join(t.folded for t in self.texts)


@dataclass
class Hit:
    """A result: the entry, how well it matched, and its highlighted title and snippet."""

    entry: Entry
    rank: tuple
    title: Markup
    snippet: Markup | None
    snippet_name: str
    snippet_lang: str
    snippet_text: str
    quote: Markup | None = None  #: a statement's quote, when the snippet is another of its texts


class Index:
    """Every entry, with a posting list per gram of its folded texts."""

    def __init__(self, entries: list):
        self.entries = entries
        self.postings = defaultdict(set)
        for number, entry in enumerate(entries):
            grams = set()
            for size in range(1, GRAM + 1):
                grams.update(entry.haystack[i:i + size] for i in range(len(entry.haystack) - size + 1))
            for gram in grams:
                self.postings[gram].add(number)

    def candidates(self, word: str) -> set:
        """Return the entries whose texts hold every gram of word (a superset of its matches)."""
        grams = {word[i:i + GRAM] for i in range(len(word) - GRAM + 1)} if len(word) >= GRAM else {word}
        found = None
        for gram in sorted(grams, key=lambda g: len(self.postings.get(g, ()))):
            found = set(self.postings.get(gram, ())) if found is None else found & self.postings.get(gram, set())
            if not found:
                return set()
        return found

    def find(self, query: Query) -> list:
        """Return the hits of a query in their order: group, how well, then name or reading order."""
        if not query:
            return []
        found = None
        for word in query.words:
            found = self.candidates(word) if found is None else found & self.candidates(word)
            if not found:
                return []
        hits = [hit(self.entries[n], query) for n in sorted(found) if query.all_in(self.entries[n].haystack)]
        return sorted(hits, key=lambda h: h.rank)


def hit(entry: Entry, query: Query) -> Hit:
    """Rank an entry that holds every word, and highlight the words in its title and snippet."""
    names = [t for t in entry.texts if t.is_name]
    if any(t.folded == query.phrase for t in names):
        quality = 0
    elif any(t.folded.startswith(query.phrase) for t in names):
        quality = 1
    elif any(query.all_in(t.folded) for t in names):
        quality = 2
    elif any(query.all_in(t.folded) for t in entry.texts):
        quality = 3
    else:
        quality = 4
    size = min((len(t.folded) for t in names if query.all_in(t.folded)), default=len(entry.title))
    if entry.group == STATEMENT:  # statements in the essay's order
        rank = (entry.group, quality, entry.order)
    else:
        rank = (entry.group, quality, size, entry.order)
    title = entry.texts[0]
    shown = max(entry.texts[1:], key=lambda t: query.count_in(t.folded), default=None)
    if shown is not None and not query.count_in(shown.folded):
        shown = None
    if shown is not None and shown.is_name and query.all_in(title.folded):
        shown = None  # the title shows every word already; another name would say nothing more
    quote = None
    if entry.group == STATEMENT and (shown is None or shown.name != "quote"):
        quote = next((highlight(t, query) for t in entry.texts if t.name == "quote"), None)
    return Hit(entry, rank, highlight(title, query, cut=False),
               highlight(shown, query) if shown else None, shown.name if shown else "",
               shown.lang if shown else "", shown.text if shown else "", quote)


def highlight(text: Text, query: Query, cut: bool = True) -> Markup:
    """Return a text escaped, with the words in <mark>; cut around the first word if long."""
    spans = [(text.owner[start], text.owner[end - 1] + 1) for start, end in query.spans(text.folded)]
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    begin, finish = 0, len(text.text)
    if cut and len(text.text) > SNIPPET and merged:
        begin = max(0, merged[0][0] - SNIPPET // 3)
        begin = text.text.rfind(" ", 0, begin) + 1 if begin else 0
        finish = min(len(text.text), begin + SNIPPET)
        space = text.text.find(" ", finish)
        finish = len(text.text) if space == -1 else space
    out, at = [Markup("…") if begin else Markup("")], begin
    for start, end in merged:
        if end <= begin or start >= finish:
            continue
        start, end = max(start, begin), min(end, finish)
        out += [escape(text.text[at:start]), Markup("<mark>"), escape(text.text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text.text[at:finish]))
    if finish < len(text.text):
        out.append(Markup("…"))
    return Markup("").join(out)


# ------------------------------------------------------------------------------------ building

def build_index(d) -> Index:
    """Gather every entry of the dataset with its texts (d: the app's Describer)."""
    g = d.all
    names = defaultdict(set)
    for prop in NAMES:
        for s, value in g.subject_objects(prop):
            if isinstance(s, URIRef) and isinstance(value, Literal) and str(value).strip():
                names[s].add((prop, value))
    statements = {s for prop in (EKG.quote, EKG.claimText) for s in g.subjects(prop, None)
                  if isinstance(s, URIRef)}
    entries = []
    for node in sorted(set(names) | statements, key=str):
        if (node, RDF.type, EKG.Proposition) in g:
            continue  # read in the sentence of the statement that embeds it
        entries.append(entry_of(d, node, names.get(node, set())))
    return Index(entries)


def group_of(d, node) -> int:
    g = d.all
    if not str(node).startswith(str(EKGID)) or (node, RDF.type, SKOS.Concept) in g or \
            (node, RDF.type, SKOS.ConceptScheme) in g:
        return TERM
    if (node, RDF.type, EKG.BackgroundFact) in g:
        return BACKGROUND
    named = (node, RDFS.label, None) in d.asserted and (node, EKG.claimText, None) not in d.asserted
    return STATEMENT if d.is_statement(node) and not named else ENTITY


def entry_of(d, node, names: set) -> Entry:
    """Make the entry of one node: its title, kind, paragraph and texts, title first."""
    g = d.all
    group = group_of(d, node)
    evidence = d.evidence(node)
    paragraph = evidence.number if evidence else None
    texts = []
    if group == STATEMENT:
        view = d.statement(node)
        title, modality = view.text, g.value(node, EKG.modality)
        kind = d.label(modality) if modality is not None else d.label(d.main_type(node))
        texts.append(Text("sentence", title))
    else:
        title = d.label(node)
        kind = d.label(d.main_type(node)) if d.main_type(node) is not None else ""
        texts.append(Text("name", title, "en", True))
    ordered = sorted(names, key=lambda pv: (pv[1].language != "en", NAMES[pv[0]] != "name",
                                            pv[1].language or "", str(pv[1])))
    for prop, value in ordered if group != STATEMENT else ():  # a claim's label is its text
        texts.append(Text(NAMES[prop], str(value), value.language or "", True))
    if group != STATEMENT and evidence is not None and d.is_statement(node):
        texts.append(Text("sentence", d.sentence(node)))  # a relation or an event, as a sentence
    for quote in evidence.quotes if evidence else ():
        texts.append(Text("quote", quote))
    for claim in sorted(g.objects(node, EKG.claimText), key=str):
        texts.append(Text("claim", str(claim), claim.language or ""))
    if (node, EKG.reportedBy, None) in g:  # reported speech: found by who said it
        for speaker in sorted(g.objects(node, EKG.assertedBy), key=str):
            for _, value in sorted(d.labels(speaker)):
                texts.append(Text("said by", value))
    unique, seen = [], set()
    for text in texts:  # each text once, in its first role
        if text.folded not in seen:
            seen.add(text.folded)
            unique.append(text)
    local = str(node).rsplit("-", 1)[-1]
    order = (paragraph if paragraph is not None else 99, int(local) if local.isdigit() else 0,
             title.casefold(), str(node))
    return Entry(node, group, title, kind, unique, paragraph, order)


def index() -> Index:
    """Return this process's index, built at the first search."""
    extensions = current_app.extensions
    if "eurasia_kg.search" not in extensions:
        with _building:
            if "eurasia_kg.search" not in extensions:
                extensions["eurasia_kg.search"] = build_index(describer())
    return extensions["eurasia_kg.search"]


_building = threading.Lock()


# ------------------------------------------------------------------------------------ the routes

def asked(default: int) -> tuple:
    """Return (query, limit, error) from the request; error is why a query is refused."""
    q = request.args.get("q", "")
    limit = request.args.get("limit", default, type=int)
    limit = min(max(limit, 1), MAX_LIMIT)
    if len(q) > MAX_QUERY:
        return q, limit, f"The search text is {len(q):,} characters long; at most {MAX_QUERY} are looked for."
    return q, limit, ""


def result(h: Hit) -> dict:
    e = h.entry
    return {"iri": str(e.iri), "href": href(e.iri), "label": e.title, "title": str(h.title),
            "type": e.kind, "group": GROUPS[e.group], "paragraph": e.paragraph,
            "paragraph_href": url_for("pages.essay") + f"#p{e.paragraph}" if e.paragraph else None,
            "matched": h.snippet_text or e.title, "matched_as": h.snippet_name, "lang": h.snippet_lang,
            "snippet": str(h.snippet) if h.snippet is not None else "",
            "quote": str(h.quote) if h.quote is not None else ""}


@bp.route("/search")
def page():
    """Search names and statements, as a page: grouped, with snippets, the first results."""
    q, limit, error = asked(PAGE_LIMIT)
    if error:
        return render_template("search.html", q=q, error=error, query=Query(""), groups=[], total=0), 400
    query = Query(q)
    hits = index().find(query)
    groups = []
    for h in hits[:limit]:
        if not groups or groups[-1]["group"] != h.entry.group:
            groups.append({"group": h.entry.group, "name": GROUPS[h.entry.group], "hits": [],
                           "total": sum(1 for other in hits if other.entry.group == h.entry.group)})
        groups[-1]["hits"].append(dict(result(h), title=h.title, snippet=h.snippet, quote=h.quote))
    more = url_for("search.page", q=q, limit=min(limit + PAGE_LIMIT * 2, MAX_LIMIT)) \
        if len(hits) > limit and limit < MAX_LIMIT else None
    return render_template("search.html", q=q, error="", query=query, groups=groups,
                           total=len(hits), shown=min(limit, len(hits)), more=more)


@bp.route("/api/search")
def api():
    """Search names and statements, as JSON: the best results, for the search box."""
    q, limit, error = asked(API_LIMIT)
    if error:
        return jsonify({"query": q, "error": error, "results": []}), 400
    hits = index().find(Query(q))
    return jsonify({"query": q, "total": len(hits), "results": [result(h) for h in hits[:limit]],
                    "more": url_for("search.page", q=q) if len(hits) > limit else None})
