"""The actor network: the page, its SVG, its data and its exports for network tools.

Nodes are the states, organisations, initiatives and policies; links are the shortcuts the
build derives from the essay's statements (each with the statements it stands for) and the
background facts (each with its source). Every address takes the same filters, as query
parameters: ?relation= (a relation's name, repeatable), ?kind= (a kind of node, repeatable)
and ?background=0 (the essay's links only).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from ...ontology import EKG, EKGID
from ..lru import app_cache
from . import diagram, network_exports
from .links import describer, href, link_phrase, source_name

bp = Blueprint("network", __name__)

NETWORK_CLASSES = (EKG.State, EKG.InternationalOrganization, EKG.Initiative, EKG.Policy)
#: At most this many actors in the network diagram: the most connected ones.
NETWORK_MAX = 150
#: Filtered views kept in memory (each filter is drawn once; the least recently used go first).
FILTERED_VIEWS, FILTERED_BYTES = 256, 32 * 1024 * 1024


# ------------------------------------------------------------------------------------ the data

def network_data() -> tuple:
    """Return (nodes, links) of the actor network: actors and the links between them.

    Links are the shortcuts derived from the essay's statements, each with the statements it
    stands for, and background facts, each with its source. Each link is a dict as
    /network.json gives it.
    """
    d = describer()
    members = {}
    for cls in NETWORK_CLASSES:
        for s in d.instances(cls):
            if str(s).startswith(str(EKGID)) and s not in members:
                members[s] = diagram.Node(str(s), d.label(s), href(s), kind_of(s))
    links, seen = [], set()
    for s in members:
        for p, o in sorted(d.asserted.predicate_objects(s),
                           key=lambda po: (d.label(po[0]), str(po[0]), str(po[1]))):
            if o not in members or o == s or p == RDF.type or p in d.not_links or p in d.statement_parts:
                continue
            symmetric = (p, RDF.type, OWL.SymmetricProperty) in d.all
            if (o, p, s) in seen and symmetric:
                continue  # one link for both directions of a symmetric relation
            seen.add((s, p, o))
            links.append(network_link(s, p, o, symmetric))
    degree = Counter(end for link in links for end in (link["source"], link["target"]))
    if len(degree) > NETWORK_MAX:  # a larger dataset: its most connected actors, readable
        kept = {k for k, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:NETWORK_MAX]}
        links = [link for link in links if link["source"] in kept and link["target"] in kept]
        degree = Counter(end for link in links for end in (link["source"], link["target"]))
    return [n for k, n in members.items() if str(k) in degree], links


def network_link(s, p, o, symmetric: bool = False) -> dict:
    """Return one link of the network with its relation and its evidence or its source."""
    d = describer()
    background = (s, p, o) in d.background
    evidence = []
    for node in d.supporting(s, p, o):
        ev = d.evidence(node)
        evidence.append({"statement": str(node), "href": href(node), "sentence": d.statement(node).text,
                         "paragraph": ev.number if ev else None, "quote": " … ".join(ev.quotes) if ev else "",
                         "modality": d.label(ev.modality) if ev and ev.modality else ""})
    facts = [{"fact": str(f.node), "href": href(f.node), "label": d.label(f.node),
              "source": str(f.sources[0]) if f.sources else "",
              "source_name": source_name(f.sources[0]) if f.sources else "", "citation": f.citation}
             for f in d.background_facts(s, o)] if background else []
    return {"source": str(s), "target": str(o), "label": d.label(p), "predicate": str(p),
            "relation": f"{d.label(s)} {link_phrase(p)} {d.label(o)}", "symmetric": symmetric,
            "background": background, "evidence": evidence, "background_facts": facts}


def kind_of(iri) -> str:
    """Return the kind of a node: the local name of its most specific class ("State")."""
    t = describer().main_type(iri)
    return str(t).rsplit("#", 1)[-1] if t is not None else ""


def whole_network() -> tuple:
    """Return network_data() of the app, worked out once: the dataset never changes."""
    cache = current_app.extensions.setdefault("eurasia_kg.network", {})
    if "whole" not in cache:
        cache["whole"] = network_data()
    return cache["whole"]


def relation_key(predicate: str) -> str:
    """Return the name a relation goes by in ?relation=: its predicate's local name."""
    return predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# ------------------------------------------------------------------------------------ filters

@dataclass(frozen=True)
class Filter:
    """What part of the network to show: some relations, some kinds of node, background or not.

    Empty relations or kinds mean all of them.
    """

    relations: tuple = ()
    kinds: tuple = ()
    background: bool = True

    @classmethod
    def from_args(cls, args, nodes: list, links: list) -> Filter:
        """Read ?relation=, ?kind= and ?background= (the last value counts: a form sends a
        hidden "0" before its checkbox's "1"); names the network does not have are ignored."""
        known_relations = {relation_key(link["predicate"]) for link in links}
        known_kinds = {n.group for n in nodes}
        relations = {r for r in args.getlist("relation") if r in known_relations}
        kinds = {k for k in args.getlist("kind") if k in known_kinds}
        # Every relation (or kind) chosen is the same view as none chosen: one address for it.
        relations = () if relations == known_relations else tuple(sorted(relations))
        kinds = () if kinds == known_kinds else tuple(sorted(kinds))
        shown = args.getlist("background")
        return cls(relations, kinds, not shown or shown[-1] not in ("0", "off", "no", "false"))

    @property
    def whole(self) -> bool:
        """Tell whether the filter keeps everything."""
        return not self.relations and not self.kinds and self.background

    def args(self) -> dict:
        """Return the query parameters that say this filter (none for the whole network)."""
        out = {}
        if self.relations:
            out["relation"] = list(self.relations)
        if self.kinds:
            out["kind"] = list(self.kinds)
        if not self.background:
            out["background"] = "0"
        return out

    def apply(self, nodes: list, links: list) -> tuple:
        """Return (nodes, links): the links this filter keeps, and the nodes they join."""
        group = {n.key: n.group for n in nodes}
        kept = [link for link in links
                if (not self.relations or relation_key(link["predicate"]) in self.relations)
                and (self.background or not link["background"])
                and (not self.kinds or (group[link["source"]] in self.kinds
                                        and group[link["target"]] in self.kinds))]
        ends = {end for link in kept for end in (link["source"], link["target"])}
        return [n for n in nodes if n.key in ends], kept


def current_filter() -> Filter:
    """Return the filter the request's query string says."""
    return Filter.from_args(request.args, *whole_network())


def filtered_view(what: str, make, *, by_address: bool = False) -> Response:
    """Answer with what make(nodes, links, filter) returns for the request's filter, made once
    per filter (a few hundred are kept: query strings cannot fill the memory).

    A view is kept by what it reads: the filter (other parameters are ignored), the mount
    point its links start with, and, by_address, the address the request was sent to (the
    exports name each page by its full address).
    """
    flt = current_filter()
    cache = app_cache("eurasia_kg.network_views", FILTERED_VIEWS, FILTERED_BYTES,
                      size=lambda kept: len(kept[0]))
    key = (what, flt, request.url_root if by_address else request.script_root)

    def render():
        nodes, links = flt.apply(*whole_network())
        response = current_app.make_response(make(nodes, links, flt))
        return response.get_data(), dict(response.headers)

    body, headers = cache.get_or_make(key, render)
    return Response(body, headers=headers)


def options(nodes: list, links: list, flt: Filter) -> dict:
    """Return the choices of the filter form: relations and kinds, with their counts."""
    d = describer()
    relations = {}
    for link in links:
        key = relation_key(link["predicate"])
        entry = relations.setdefault(key, {"key": key, "label": link["label"], "count": 0})
        entry["count"] += 1
    kinds = Counter(n.group for n in nodes)
    return {
        "relations": sorted(relations.values(), key=lambda r: (r["label"].casefold(), r["key"])),
        "kinds": [{"key": k, "label": kind_label(k), "count": kinds[k],
                   "checked": not flt.kinds or k in flt.kinds}
                  for k in sorted(kinds, key=lambda k: (kind_label(k).casefold(), k))],
        "background": sum(1 for link in links if link["background"]),
        "label_of": lambda iri: d.label(URIRef(iri)),
    }


def kind_label(group: str) -> str:
    """Name a kind of node for readers ("InternationalOrganization" -> "international organisation")."""
    return describer().label(EKG[group]) if group else "other"


# ------------------------------------------------------------------------------------ drawing

def link_title(link: dict) -> str:
    """Say what a link of the network is and where it comes from: the tooltip of its line."""
    lines = [link["relation"]]
    for ev in link["evidence"]:
        where = f"Paragraph {ev['paragraph']}" if ev["paragraph"] else "The essay"
        modality = f" ({ev['modality']})" if ev["modality"] else ""
        lines.append(f"{where}{modality}: “{ev['quote']}”")
    if link["background"]:
        sources = ", ".join(f["source_name"] for f in link["background_facts"] if f["source_name"])
        lines.append("Background, not from the essay" + (f"; source: {sources}" if sources else ""))
    return "\n".join(lines)


def network_svg_text(nodes: list, links: list) -> str:
    """Draw the network as SVG: each link with its relations as its label and its evidence as its tooltip."""
    edges = [diagram.Edge(link["source"], link["target"], link["label"], link_title(link), link["background"])
             for link in links]
    return diagram.render(nodes, edges, width=960, height=640, title="Actor network", edge_labels=True)


def exports(flt: Filter) -> list:
    """Return the network's files for the filter: name, address, what opens it."""
    return [{"name": e.name, "href": url_for(f"network.{e.endpoint}", **flt.args()), "opens": e.opens}
            for e in EXPORTS]


# ------------------------------------------------------------------------------------ routes

@bp.route("/network")
def page():
    """The actor network, as an SVG drawn on the server (and interactive where JS runs)."""
    def make(nodes, links, flt):
        whole_nodes, whole_links = whole_network()
        rows = [dict(link, phrase=link_phrase(URIRef(link["predicate"]))) for link in links]
        return render_template(
            "network.html", svg=network_svg_text(nodes, links), links=rows, nodes=nodes, flt=flt,
            options=options(whole_nodes, whole_links, flt), exports=exports(flt),
            total=len(whole_links), href_of=lambda iri: href(URIRef(iri)))

    return filtered_view("page", make)


@bp.route("/network.svg")
def svg():
    """The actor network as a static SVG file."""
    return filtered_view("svg", lambda nodes, links, flt: Response(
        network_svg_text(nodes, links), content_type="image/svg+xml; charset=utf-8"))


@bp.route("/network.json")
def data():
    """The actor network as JSON: nodes, and links with their relation and evidence or source."""
    def make(nodes, links, flt):
        return jsonify({"nodes": [{"id": n.key, "label": n.label, "href": n.href, "group": n.group,
                                   "kind": kind_label(n.group)} for n in nodes],
                        "edges": links})

    return filtered_view("json", make)


def export_view(export):
    """Return the view that answers with the (filtered) network as export's format."""
    def view():
        def make(nodes, links, flt):
            d = describer()
            table = network_exports.Table.of(
                nodes, links, kind_label=kind_label, type_of=lambda key: d.main_type(URIRef(key)),
                page_url=lambda key: url_for("pages.entity", local=key[len(str(EKGID)):], _external=True)
                if key.startswith(str(EKGID)) else key)
            response = Response(export.write(table), content_type=export.content_type)
            response.headers["Content-Disposition"] = f'attachment; filename="eurasia-kg-network.{export.suffix}"'
            return response

        return filtered_view(export.endpoint, make, by_address=True)

    view.__doc__ = f"The actor network as {export.name}, for {export.opens}."
    return view


@dataclass(frozen=True)
class Export:
    """A file of the network that other tools open."""

    name: str
    suffix: str
    content_type: str
    opens: str
    write: object

    @property
    def endpoint(self) -> str:
        return self.suffix


EXPORTS = (
    Export("GraphML", "graphml", "application/graphml+xml; charset=utf-8",
           "Gephi, Cytoscape, yEd, networkx", network_exports.graphml),
    Export("GEXF", "gexf", "application/gexf+xml; charset=utf-8", "Gephi, networkx", network_exports.gexf),
    Export("CSV", "csv", "text/csv; charset=utf-8; header=present", "a spreadsheet, one link a row",
           network_exports.csv_text),
)

for _export in EXPORTS:
    bp.add_url_rule(f"/network.{_export.suffix}", endpoint=_export.endpoint, view_func=export_view(_export))
