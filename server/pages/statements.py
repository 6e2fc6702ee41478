"""The statements explorer: every statement of the essay in one table, with facets, as HTML, CSV, JSON.

Datasette's table view is the model. Each row is a statement (a claim, an n-ary relation node,
an event with evidence): its sentence, its quote, paragraph, kind, who asserts it, the actors
and the relation. Facets (kind, asserted by, actor, relation, sphere, paragraph) list their
values with counts over the current filter; each value is a link that adds or removes a filter.
Filters live in the query string, so a view can be shared: ?kind=Recommendation&actor=China;
repeated parameters all apply (AND, within a facet and across facets); ?q= keeps rows that
contain every word, in any order, in the sentence, the claim's text or the quote.

A facet value's key is the local name of its IRI (SergeyLavrov, Recommendation, threatens,
EconomicSphere) or the paragraph's number, matched without regard to case; its label written
as a URL would spell it by hand (reported-speech, sergey-lavrov) finds it too. An unknown
value matches nothing; a page past the last gives the last page.

/statements.csv and /statements.json give every row of the current filter (not one page).
The rows are read from the dataset once (it never changes while the service runs); each
request only filters them, so no response is cached per query string.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ...ontology import EKG, EKGID

bp = Blueprint("statements", __name__)

PAGE_SIZE = 50
#: The facets, in the order the page shows them: (URL parameter, heading).
FACETS = (("kind", "Kind"), ("asserted_by", "Asserted by"), ("actor", "Actor"),
          ("relation", "Relation"), ("sphere", "Sphere"), ("paragraph", "Paragraph"))
#: Values a facet shows before "more".
FACET_SHOWN = 8
CSV_COLUMNS = ("iri", "paragraph", "kind", "asserted_by", "reported_by", "sentence", "quote", "subject",
               "predicate", "object", "actors", "relation", "spheres", "supports", "conflicts_with")
#: How several values share one CSV cell.
JOINER = "; "
#: Quotation marks and apostrophes searched as their plain forms.
PLAIN_MARKS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class Term:
    """A value of a row or a facet: its IRI (or None), its name for readers, its key in URLs."""

    iri: str | None
    label: str
    key: str
    href: str | None = None
    order: tuple = ()

    def as_json(self) -> dict:
        out = {"iri": self.iri, "label": self.label} if self.iri else {"value": self.label}
        if self.href:
            out["href"] = self.href
        return out


@dataclass
class Row:
    """One statement as the table shows it."""

    iri: str
    href: str
    sentence: str
    claim_text: str
    quote: str
    paragraph: Term | None
    kind: Term | None
    asserted_by: list
    reported_by: list
    subject: list
    predicate: Term | None
    object: list
    actors: list
    spheres: list
    supports: list
    conflicts_with: list
    haystack: str = ""
    facets: dict = field(default_factory=dict)  #: parameter -> {casefolded key}
    aliases: dict = field(default_factory=dict)  #: parameter -> {casefolded key and label slug}

    @property
    def relation(self) -> str:
        return self.predicate.label if self.predicate else ""

    def as_csv(self) -> list:
        def names(terms):
            return JOINER.join(t.label for t in terms)

        def iris(terms):
            return JOINER.join(t.iri or t.label for t in terms)

        return [self.iri, self.paragraph.key if self.paragraph else "", self.kind.label if self.kind else "",
                names(self.asserted_by), names(self.reported_by), self.sentence, self.quote,
                names(self.subject), self.predicate.iri if self.predicate else "", names(self.object),
                names(self.actors), self.relation, names(self.spheres), iris(self.supports),
                iris(self.conflicts_with)]

    def as_json(self) -> dict:
        def terms(values):
            return [t.as_json() for t in values]

        return {"iri": self.iri, "href": self.href, "sentence": self.sentence, "quote": self.quote,
                "claim_text": self.claim_text,
                "paragraph": ({"number": int(self.paragraph.key), "iri": self.paragraph.iri,
                               "href": self.paragraph.href} if self.paragraph else None),
                "kind": self.kind.as_json() if self.kind else None,
                "asserted_by": terms(self.asserted_by), "reported_by": terms(self.reported_by),
                "subject": terms(self.subject),
                "predicate": self.predicate.as_json() if self.predicate else None,
                "object": terms(self.object), "actors": terms(self.actors), "relation": self.relation,
                "spheres": terms(self.spheres), "supports": terms(self.supports),
                "conflicts_with": terms(self.conflicts_with)}


class StatementTable:
    """Every statement of the essay as a row, read once from the dataset; filtered per request."""

    def __init__(self, describer):
        self.d = describer
        self.values: dict = {name: {} for name, _ in FACETS}  #: parameter -> {key: Term}
        self.slugs: dict = {name: {} for name, _ in FACETS}  #: parameter -> {label slug: {keys}}
        self._terms: dict = {}
        nodes = [n for ns in describer.paragraph_statements().values() for n in ns]
        self.rows = [self._row(n) for n in nodes]
        for values in self.values.values():  # two relations both read "is": say which is which
            labels = Counter(t.label.casefold() for t in values.values())
            for key, t in values.items():
                if labels[t.label.casefold()] > 1:
                    values[key] = replace(t, label=f"{t.label} ({key_words(t.key)})")

    # ------------------------------------------------------------ reading the rows

    def term(self, term) -> Term:
        """Return a term as a row value: named for readers, keyed by its local name."""
        if term not in self._terms:
            d = self.d
            if isinstance(term, Literal):
                self._terms[term] = Term(None, d.term_name(term), str(term))
            else:
                text = str(term)
                if (term, EKG.paragraphNumber, None) in d.all:
                    number = str(d.all.value(term, EKG.paragraphNumber))
                    self._terms[term] = Term(text, f"Paragraph {number}", number, page_of(term),
                                             (int(number),))
                else:
                    name = d.term_name(term)
                    key = re.split(r"[#/]", text.rstrip("/#"))[-1] if text.startswith(
                        (str(EKG), str(EKGID))) else d.curie(term)
                    self._terms[term] = Term(text, name, key, page_of(term), (name.casefold(), text))
        return self._terms[term]

    def _row(self, node) -> Row:
        d, g = self.d, self.d.all
        view = d.statement(node)
        ev = view.evidence

        def terms(values):
            return sorted({self.term(v) for v in values}, key=lambda t: t.order or (t.label, t.key))

        subjects = d.roles(node, d.subject_roles)
        objects = d.roles(node, d.object_roles) + sorted(g.objects(node, EKG.objectValue), key=str)
        actors = [t for t in dict.fromkeys(subjects + objects) if (t, RDF.type, EKG.Actor) in g]
        predicate = min(g.objects(node, EKG.predicate), key=str, default=None)
        quote = " … ".join(ev.quotes) if ev else ""
        argument = d.argument(node)  # in reading order

        row = Row(
            iri=str(node), href=page_of(node), sentence=view.text, claim_text=view.claim_text, quote=quote,
            paragraph=self.term(ev.paragraph) if ev and ev.paragraph is not None else None,
            kind=self.term(ev.modality) if ev and ev.modality is not None else None,
            asserted_by=terms(g.objects(node, EKG.assertedBy)),
            reported_by=terms(g.objects(node, EKG.reportedBy)),
            subject=[self.term(s) for s in subjects], predicate=self.term(predicate) if predicate else None,
            object=[self.term(o) for o in objects], actors=terms(actors),
            spheres=terms(g.objects(node, EKG.sphere)),
            supports=[self._statement_term(v) for v in argument.supports],
            conflicts_with=[self._statement_term(v) for v in argument.rejects])
        row.haystack = searchable(" ".join((row.sentence, row.claim_text, row.quote)))
        for name, values in (("kind", [row.kind]), ("asserted_by", row.asserted_by), ("actor", row.actors),
                             ("relation", [row.predicate]), ("sphere", row.spheres),
                             ("paragraph", [row.paragraph])):
            values = [v for v in values if v is not None]
            row.facets[name] = {v.key.casefold() for v in values}
            row.aliases[name] = row.facets[name] | {slug(v.label) for v in values}
            for v in values:
                self.values[name].setdefault(v.key.casefold(), v)
                self.slugs[name].setdefault(slug(v.label), set()).add(v.key.casefold())
        return row

    @staticmethod
    def _statement_term(view) -> Term:
        """Name a statement a row points to (supports, conflicts with) by its sentence."""
        return Term(str(view.node), view.text, str(view.node), page_of(view.node))

    # ------------------------------------------------------------ filtering

    def select(self, filters: dict, q: str = "") -> list:
        """Return the rows that have every filter value and contain every word of q."""
        wanted = {name: {v.casefold() for v in values} for name, values in filters.items()}
        words = search_words(q)
        return [row for row in self.rows
                if all(keys <= row.aliases[name] for name, keys in wanted.items())
                and all(w in row.haystack for w in words)]

    def resolve(self, name: str, value: str) -> set:
        """Return the keys a filter value names: its key, or the keys of the labels it spells."""
        value = value.casefold()
        if value in self.values[name]:
            return {value}
        return set(self.slugs[name].get(value, ()))

    def facets(self, rows: list, filters: dict) -> list:
        """Return each facet's values with their counts over rows, the selected ones first."""
        out = []
        for name, heading in FACETS:
            counts: dict = {}
            for row in rows:
                for key in row.facets[name]:
                    counts[key] = counts.get(key, 0) + 1
            items, selected = [], set()
            for value in filters.get(name, []):
                keys = self.resolve(name, value)
                selected |= keys
                term = self.values[name][min(keys)] if len(keys) == 1 else Term(None, value, value)
                count = sum(1 for row in rows if value.casefold() in row.aliases[name])
                items.append({"term": term, "count": count, "selected": True, "value": value})
            others = sorted((self.values[name][k] for k in counts if k not in selected),
                            key=lambda t: (t.order[:1] if name == "paragraph" else (-counts[t.key.casefold()],))
                            + (t.label.casefold(), t.key))
            items += [{"term": t, "count": counts[t.key.casefold()], "selected": False, "value": t.key}
                      for t in others]
            out.append({"name": name, "heading": heading, "items": items})
        return out


def key_words(key: str) -> str:
    """Read a key as words: hasCharacteristic -> "has characteristic"."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", key.rsplit(":", 1)[-1])
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words) or key


def slug(label: str) -> str:
    """Return a label as a URL spells it by hand: "reported speech" -> "reported-speech"."""
    return re.sub(r"\W+", "-", label.casefold()).strip("-")


def searchable(text: str) -> str:
    return text.translate(PLAIN_MARKS).casefold()


def search_words(q: str) -> list:
    """Return the words of a full-text filter: letters and digits, case and marks ignored."""
    return re.findall(r"\w+", searchable(q or ""))


def page_of(term) -> str | None:
    """Return the page of an entity of the dataset (None for vocabulary terms and values)."""
    text = str(term)
    if isinstance(term, URIRef) and text.startswith(str(EKGID)):
        return url_for("pages.entity", local=text[len(str(EKGID)):])
    return None


def table() -> StatementTable:
    """Return the app's statement table, read from the dataset on first use."""
    found = current_app.extensions.get("eurasia_kg.statements")
    if found is None:
        found = current_app.extensions["eurasia_kg.statements"] = StatementTable(
            current_app.extensions["eurasia_kg.describer"])
    return found


def requested_filters() -> tuple:
    """Return ({facet: [values]}, q) from the query string; unknown parameters are ignored."""
    filters = {}
    for name, _ in FACETS:
        values = [v.strip() for v in request.args.getlist(name) if v.strip()]
        if values:
            filters[name] = list(dict.fromkeys(values))
    return filters, request.args.get("q", "").strip()


def query_string(filters: dict, q: str = "", **extra) -> str:
    """Return the query string of a view: facets in their order, then q, then extra (page)."""
    pairs = [(name, v) for name, _ in FACETS for v in filters.get(name, [])]
    if q:
        pairs.append(("q", q))
    pairs += [(k, v) for k, v in extra.items() if v is not None]
    return ("?" + urlencode(pairs)) if pairs else ""


def with_value(filters: dict, name: str, key: str) -> dict:
    out = {k: list(v) for k, v in filters.items()}
    out.setdefault(name, [])
    if key.casefold() not in {v.casefold() for v in out[name]}:
        out[name].append(key)
    return out


def without_value(filters: dict, name: str, key: str) -> dict:
    out = {k: [v for v in vs if not (k == name and v.casefold() == key.casefold())]
           for k, vs in filters.items()}
    return {k: v for k, v in out.items() if v}


@bp.app_context_processor
def links():
    return {"statements_url": statements_url, "statement_facet": statement_facet}


def statement_facet(name: str) -> list:
    """Return a facet's values over every statement, each with its count and its filter's URL."""
    statements = table()
    [facet] = [f for f in statements.facets(statements.rows, {}) if f["name"] == name]
    base = url_for("statements.explorer")
    return [dict(item, href=base + query_string({name: [item["term"].key]})) for item in facet["items"]]


def statements_url(**filters) -> str:
    """Return the explorer's URL for facet values: IRIs (URIRef), keys or paragraph numbers."""
    keyed = {}
    for name, value in filters.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        keyed[name] = [table().term(v).key if isinstance(v, URIRef) else str(v) for v in values]
    return url_for("statements.explorer") + query_string(keyed)


# ------------------------------------------------------------------------------------ views

@bp.route("/statements")
def explorer():
    """Every statement in one table: facets with counts, full-text filter, 50 a page."""
    statements = table()
    filters, q = requested_filters()
    rows = statements.select(filters, q)
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    base = url_for("statements.explorer")
    facets = statements.facets(rows, filters)
    for facet in facets:
        for item in facet["items"]:
            changed = (without_value if item["selected"] else with_value)(filters, facet["name"], item["value"])
            item["href"] = base + query_string(changed, q)
    chosen = [{"heading": heading, "name": name, "value": item["term"], "href": item["href"]}
              for facet in facets for item in facet["items"] if item["selected"]
              for name, heading in [(facet["name"], facet["heading"])]]

    def page_link(number):
        return base + query_string(filters, q, page=number if number > 1 else None)

    return render_template(
        "statements.html", rows=rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE], total=len(rows),
        everything=len(statements.rows), first=(page - 1) * PAGE_SIZE + 1 if rows else 0,
        page=page, pages=pages, previous=page_link(page - 1) if page > 1 else None,
        next=page_link(page + 1) if page < pages else None, facets=facets, facet_shown=FACET_SHOWN,
        chosen=chosen,
        filters=filters, words=q, clear_q=base + query_string(filters) if q else None,
        clear=base if filters or q else None,
        csv_href=url_for("statements.as_csv") + query_string(filters, q),
        json_href=url_for("statements.as_json") + query_string(filters, q))


@bp.route("/statements.csv")
def as_csv():
    """The statements of the current filter as CSV: a header row, one row per statement."""
    filters, q = requested_filters()
    out = io.StringIO()
    # A byte order mark: Excel reads the file as UTF-8 only with one (curly quotes, dashes,
    # Russian and Chinese names); csv readers, pandas and LibreOffice accept it.
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(row.as_csv() for row in table().select(filters, q))
    response = Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="eurasia-kg-statements.csv"'
    return response


@bp.route("/statements.json")
def as_json():
    """The statements of the current filter as JSON: the filters, the total, the rows, the facets."""
    statements = table()
    filters, q = requested_filters()
    rows = statements.select(filters, q)
    return jsonify({
        "filters": dict(filters, q=q) if q else filters, "total": len(rows),
        "rows": [row.as_json() for row in rows],
        "facets": {f["name"]: [dict(i["term"].as_json(), key=i["term"].key, count=i["count"])
                               for i in f["items"]] for f in statements.facets(rows, filters)}})
