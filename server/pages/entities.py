"""Pages for people: home, entities with their evidence, classes, ontology, essay.

Cool URIs: an entity IRI https://w3id.org/eurasia-kg/id/X is served at /id/X, as HTML or as
RDF by Accept (with Vary: Accept); /id/X.ttl, .jsonld, .nt and .rdf always give that format.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import wraps
from importlib.resources import files

from flask import Blueprint, Response, current_app, render_template, request, url_for
from markupsafe import Markup, escape
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ...ontology import EKG, EKGID, PARA, PREFIXES
from .. import formats, responses
from ..lru import app_cache
from . import diagram
from .describe import ARGUMENT
from .home import overview
from .links import describer, href, link_phrase, source_name

bp = Blueprint("pages", __name__)

DATA_SUFFIXES = {f.suffix: f for f in formats.of_kind("graph")}
PAGE_SIZE = 50
#: Rendered pages and drawings kept in memory (the least recently used go first).
PAGES_KEPT, PAGE_BYTES = 64, 16 * 1024 * 1024
ENTITIES_KEPT, ENTITY_BYTES = 4096, 32 * 1024 * 1024
DIAGRAMS_KEPT, DIAGRAM_BYTES = 4096, 16 * 1024 * 1024
#: Property characteristics in words, for the ontology page (the OWL name is its tooltip).
CHARACTERISTICS = {OWL.SymmetricProperty: "works both ways", OWL.TransitiveProperty: "transitive",
                   OWL.FunctionalProperty: "at most one value", OWL.AsymmetricProperty: "one way only",
                   OWL.InverseFunctionalProperty: "identifies what it belongs to",
                   OWL.IrreflexiveProperty: "never links a thing to itself"}


def cached_page(view):
    """Keep the response of a view that reads no query parameter: the dataset, hence the page,
    never changes while running. It is kept once per address without its query string (and
    per mount point), so that /?x=1, /?x=2, ... are the page kept, not new renders."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        cache = app_cache("eurasia_kg.pages", PAGES_KEPT, PAGE_BYTES, size=lambda kept: len(kept[0]))
        key = (request.endpoint, request.script_root, tuple(sorted(kwargs.items())))
        kept = cache.get(key)
        if kept is None:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code != 200:
                return response
            kept = (response.get_data(), response.status_code, dict(response.headers))
            cache.put(key, kept)
        body, status, headers = kept
        return Response(body, status=status, headers=headers)

    return wrapper


@bp.app_template_filter("breakable")
def breakable(text) -> Markup:
    """Let an IRI wrap only after "/", "#" and "-" (a <wbr> after each), never inside a word."""
    return Markup("<wbr>").join(escape(part) for part in re.split(r"(?<=[/#-])", str(text)))


@bp.app_context_processor
def helpers():
    d = describer()
    return {"href": href, "label": d.label, "curie": d.curie, "definition": d.definition,
            "evidence_of": d.evidence, "main_type": d.main_type, "source_name": source_name,
            "statement_of": d.statement, "language_name": d.language_name,
            "readable": d.readable}


# ------------------------------------------------------------------------------------ home

@bp.route("/")
@cached_page
def home():
    """What the essay argues (read from the data), where to start reading, then the dataset's facts."""
    d = describer()
    classes = Counter(o for o in d.all.objects(None, RDF.type) if str(o).startswith(str(EKG)))
    statements = set(d.all.subjects(EKG.quote, None))
    downloads = [{"name": f.name, "href": url_for("meta.download", suffix=f.suffix)}
                 for f in formats.DOWNLOADS]
    counts = {"triples": len(d.all), "asserted": len(d.asserted), "inferred": len(d.inferred),
              "statements": len(statements),
              "paragraphs": len(set(d.all.objects(None, EKG.paragraph)))}
    return render_template("home.html", counts=counts, essay=EKGID.essay,
                           classes=sorted(classes.items(), key=lambda kv: (-kv[1], str(kv[0]))),
                           downloads=downloads, overview=overview(d))


# ------------------------------------------------------------------------------------ entities

def alternates(local: str) -> list:
    return [{"name": f.name, "media_type": f.media_type,
             "href": url_for("pages.entity", local=f"{local}.{f.suffix}")}
            for f in formats.of_kind("graph")]


def entity_graph(iri: URIRef) -> Graph:
    """Return the triples about an entity: where it is subject or object."""
    d = describer()
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    for triple in d.all.triples((iri, None, None)):
        out.add(triple)
    for triple in d.all.triples((None, None, iri)):
        out.add(triple)
    return out


def not_found(what: str, wants_html: bool):
    if wants_html:
        guess = what.rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1]
        return render_template("notfound.html", what=what, guess=guess), 404
    return responses.text(404, f"Not found: {what}")


@bp.route("/id/<path:local>")
def entity(local: str):
    """An entity page (HTML) or its data, by suffix or Accept."""
    suffix = local.rsplit(".", 1)[-1] if "." in local.rsplit("/", 1)[-1] else None
    chosen = None
    if suffix in DATA_SUFFIXES:
        local = local[: -len(suffix) - 1]
        chosen = DATA_SUFFIXES[suffix]
    iri = EKGID[local]
    d = describer()
    if chosen is None:
        chosen = formats.negotiate(request.accept_mimetypes, ("html", "graph"))
        if chosen is None:
            return responses.not_acceptable(("html", "graph"))
    if not d.exists(iri):
        return not_found(str(iri), chosen.name == "html")
    links = ", ".join(f'<{a["href"]}>; rel="alternate"; type="{a["media_type"]}"'
                      for a in alternates(local))
    # Rendered once (the data never changes), for entities that exist: a finite set of keys.
    bodies = app_cache("eurasia_kg.entity_bodies", ENTITIES_KEPT, ENTITY_BYTES)
    body = bodies.get_or_make((iri, chosen.name, request.script_root),
                              lambda: render_entity(iri, local, chosen))
    response = Response(body, content_type=chosen.content_type)
    response.headers["Link"] = links
    if suffix not in DATA_SUFFIXES:
        response.vary.add("Accept")
    return response


def background_facts(iri: URIRef) -> list:
    """Return the background facts (with their sources) that involve iri."""
    d = describer()
    nodes = {s for s, _, _ in d.background.triples((None, None, iri))
             if (s, RDF.type, EKG.BackgroundFact) in d.background}
    nodes |= {iri} if (iri, RDF.type, EKG.BackgroundFact) in d.background else set()
    return [{"node": n, "sources": sorted(d.background.objects(n, DCTERMS.source), key=str),
             "citation": str(d.background.value(n, DCTERMS.bibliographicCitation) or "")}
            for n in sorted(nodes, key=lambda n: (d.label(n), str(n)))]


def render_entity(iri: URIRef, local: str, chosen) -> str:
    """Render an entity as its HTML page or as RDF in the chosen format."""
    if chosen.name != "html":
        return entity_graph(iri).serialize(format=chosen.rdflib)
    d = describer()
    # A claim's entities are linked in its sentence: it has no neighbourhood of its own.
    claim = (iri, EKG.claimText, None) in d.all
    return render_template("entity.html", d=d.describe(iri), alternates=alternates(local),
                           background=background_facts(iri), diagram="" if claim else neighbourhood_svg(iri),
                           query_link=url_for("pages.query", query=f"DESCRIBE <{iri}>"))


def neighbourhood_svg(iri: URIRef) -> str:
    """Draw the entities up to two links from iri (at most 30); drawn once per entity."""
    cache = app_cache("eurasia_kg.neighbourhoods", DIAGRAMS_KEPT, DIAGRAM_BYTES)
    return cache.get_or_make((iri, request.script_root), lambda: _draw_neighbourhood(iri))


def _draw_neighbourhood(iri: URIRef) -> str:
    d = describer()
    nodes = {str(iri): diagram.Node(str(iri), d.label(iri), href(iri), _group(iri))}
    edges, seen = [], set()
    frontier = [iri]
    for _ in range(2):
        following = []
        for node in frontier:
            for s, p, o in entity_links(node):
                other = o if s == node else s
                if str(other) not in nodes:
                    if len(nodes) >= 30:
                        continue
                    nodes[str(other)] = diagram.Node(str(other), d.label(other), href(other), _group(other))
                    following.append(other)
                if (s, p, o) not in seen:
                    seen.add((s, p, o))
                    background = (s, p, o) in d.background
                    title = f"{d.label(s)} {link_phrase(p)} {d.label(o)}"
                    edges.append(diagram.Edge(str(s), str(o), d.label(p), title + (
                        " (background, not from the essay)" if background else ""), background))
        frontier = following
    return diagram.render(list(nodes.values()), edges, width=760, height=500,
                          title=f"Neighbourhood of {d.label(iri)}", centre=str(iri))


def entity_links(node) -> list:
    """Return the links between node and other entities, as (s, p, o), in a stable order.

    Binary links (the shortcuts derived from statements, background facts); a statement is
    linked to the entities of its proposition. Statements and paragraphs are not entities.
    """
    d = describer()
    statement = d.is_statement(node)
    links = []
    for p, o in d.asserted.predicate_objects(node):
        if p in d.statement_parts and not statement:
            continue
        links.append((node, p, o))
    for s, p in d.asserted.subject_predicates(node):
        if p not in d.statement_parts:
            links.append((s, p, node))
    out = []
    for s, p, o in sorted(set(links), key=lambda t: (str(t[1]), str(t[0]), str(t[2]))):  # any store's order
        other = o if s == node else s
        if p == RDF.type or p in d.not_links or p in ARGUMENT or not isinstance(other, URIRef) or \
                (other, RDF.type, EKG.BackgroundFact) in d.background or \
                not str(other).startswith(str(EKGID)) or str(other).startswith(str(PARA)) or \
                other == node or d.is_statement(other) and not _is_entity(other):
            continue
        out.append((s, p, o))
    return out


def _is_entity(node) -> bool:
    """Tell whether a statement node is also a thing with a name (an event, a relation)."""
    d = describer()
    return (node, RDFS.label, None) in d.asserted and (node, EKG.claimText, None) not in d.asserted \
        and (node, RDF.type, EKG.BackgroundFact) not in d.all and (node, RDF.type, EKG.Proposition) not in d.all


def _group(iri) -> str:
    t = describer().main_type(iri)
    return str(t).rsplit("#", 1)[-1] if t is not None else ""


@bp.route("/favicon.ico")
def favicon():
    """A small icon, so that browsers' automatic request is answered."""
    return current_app.send_static_file("favicon.svg")


# ------------------------------------------------------------------------------------ classes

@bp.route("/class/<name>")
def class_page(name: str):
    """All instances of a class, paged."""
    prefix, _, local = name.partition(":")
    if prefix not in PREFIXES or not local:
        return not_found(name, True)
    cls = URIRef(str(PREFIXES[prefix]) + local)
    d = describer()
    items = d.instances(cls)
    if not items and (cls, None, None) not in d.all:
        return not_found(name, True)
    pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    return render_template("class.html", cls=cls, items=items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE],
                           total=len(items), page=page, pages=pages)


@bp.route("/ontology")
@cached_page
def ontology():
    """Every class and property with definition, domain, range, characteristics, alignment."""
    d = describer()
    g = d.all
    onto = URIRef("https://w3id.org/eurasia-kg/ontology")
    header = {"description": g.value(onto, DCTERMS.description) or "",
              "version": g.value(onto, OWL.versionInfo) or "", "license": g.value(onto, DCTERMS.license) or ""}

    def own(kind):
        return sorted((t for t in set(g.subjects(RDF.type, kind))
                       if isinstance(t, URIRef) and str(t).startswith(str(EKG))), key=str)

    asserted = d.asserted
    classes = [{"iri": c, "local": str(c)[len(str(EKG)):], "label": d.label(c),
                "definition": d.definition(c),
                "supers": sorted(o for o in asserted.objects(c, RDFS.subClassOf) if isinstance(o, URIRef)),
                "count": len(set(g.subjects(RDF.type, c)))} for c in own(OWL.Class)]
    properties = []
    for p in own(OWL.ObjectProperty) + own(OWL.DatatypeProperty):
        def terms(prop):  # sorted: the order a store returns values in is its own
            return sorted(asserted.objects(p, prop), key=d.curie)

        characteristics = [{"words": CHARACTERISTICS.get(t, d.label(t)), "curie": d.curie(t)}
                           for t in terms(RDF.type) if t not in (OWL.ObjectProperty, OWL.DatatypeProperty)]
        for relation, words in ((OWL.inverseOf, "inverse of"), (RDFS.subPropertyOf, "a kind of"),
                                (SKOS.closeMatch, "close to")):
            characteristics += [{"words": words, "term": t, "curie": d.curie(t)} for t in terms(relation)]
        properties.append({"iri": p, "local": str(p)[len(str(EKG)):], "label": d.label(p),
                           "definition": d.definition(p),
                           "domain": sorted(asserted.objects(p, RDFS.domain)),
                           "range": sorted(asserted.objects(p, RDFS.range)),
                           "characteristics": characteristics})
    schemes = [{"label": d.label(s),
                "concepts": [{"local": str(c)[len(str(EKG)):], "label": d.label(c), "definition": d.definition(c)}
                             for c in sorted(g.subjects(SKOS.inScheme, s), key=str)]}
               for s in sorted(set(g.subjects(RDF.type, SKOS.ConceptScheme)), key=str)]
    return render_template("ontology.html", header=header, namespace=str(EKG), classes=classes,
                           properties=properties, schemes=schemes)


# ------------------------------------------------------------------------------------ essay

@bp.route("/essay")
@cached_page
def essay():
    """The essay paragraph by paragraph: the statements drawn from each, with their quotes."""
    d = describer()

    def about_of(node):
        return sorted(d.all.objects(node, EKG.about), key=d.label)

    return render_template("essay.html", paragraphs=list(d.paragraph_statements().items()),
                           author=EKGID.ZhaoHuasheng, about_of=about_of,
                           paragraph_iri=lambda n: PARA[f"p{n}"])


# ------------------------------------------------------------------------------------ query

@bp.route("/query")
def query():
    """The query editor, prefilled by ?query=, with the competency questions as examples."""
    examples = example_queries()
    text = request.args.get("query") or examples[0]["text"]
    return render_template("query.html", query=text, examples=examples)


def example_queries() -> list:
    """Return the example queries (the competency questions) shipped in server/examples/."""
    found = current_app.extensions.get("eurasia_kg.examples")
    if found is None:
        found = []
        for path in sorted((files("eurasia_kg.server") / "examples").iterdir(), key=lambda p: p.name):
            if path.name.endswith(".rq"):
                text = path.read_text(encoding="utf-8")
                comment = []
                for line in text.splitlines():
                    if not line.startswith("#"):
                        break
                    comment.append(line.lstrip("# ").strip())
                title = describer().readable(" ".join(comment))  # "(“has member”)", not org:hasMember
                question, note = first_sentence(title)
                found.append({"name": path.name[:-3], "title": title, "question": question,
                              "note": note, "text": text})
        current_app.extensions["eurasia_kg.examples"] = found
    return found


def first_sentence(text: str) -> tuple:
    """Split a query's leading comment into its question (the first sentence) and the rest."""
    found = re.match(r"(.+?[?.])\s+(.+)", text, re.S)
    return (found.group(1), found.group(2)) if found else (text, "")

