"""The actor network (server/network.py): the page, the SVG, the JSON, the exports, the filters.

The exports are read back with networkx (GraphML, GEXF) and the csv module, and compared with
/network.json and with the derived graph they come from.
"""

import csv
import io
import re
from collections import Counter
from html import unescape

import networkx as nx
import pytest
from rdflib import URIRef
from rdflib.namespace import OWL, RDF

from eurasia_kg.graph.dataset import BACKGROUND_GRAPH, DERIVED_GRAPH
from eurasia_kg.ontology import EKG, EKGID
from eurasia_kg.server.app import create_app
from eurasia_kg.server.pages import network

from .conftest import TESTS
from .test_pages import html, renders

THREATENS_QUOTE = "now the US uses direct pressure and threats"


# ----------------------------------------------------------------------------- helpers

def get_json(client, path="/network.json"):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_json()


def network_edge(data, source, label, target):
    found = [e for e in data["edges"]
             if (e["source"], e["label"], e["target"]) == (str(source), label, str(target))]
    assert len(found) == 1, (source, label, target)
    return found[0]


def read_graphml(client, query=""):
    response = client.get("/network.graphml" + query)
    assert response.status_code == 200 and response.content_type.startswith("application/graphml+xml")
    return nx.read_graphml(io.BytesIO(response.data), force_multigraph=True)


def read_gexf(client, query=""):
    response = client.get("/network.gexf" + query)
    assert response.status_code == 200 and response.content_type.startswith("application/gexf+xml")
    return nx.read_gexf(io.BytesIO(response.data))


def read_csv(client, query=""):
    response = client.get("/network.csv" + query)
    assert response.status_code == 200 and response.content_type.startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def triples_of_json(data) -> Counter:
    return Counter((e["source"], e["predicate"], e["target"]) for e in data["edges"])


def triples_of_graph(graph) -> Counter:
    """Return the (source IRI, predicate, target IRI) of the edges of a graph read by networkx."""
    iri = {n: d["iri"] for n, d in graph.nodes(data=True)}
    return Counter((iri[u], d["predicate"], iri[v]) for u, v, d in graph.edges(data=True))


def triples_of_csv(rows) -> Counter:
    return Counter((r["source"], r["predicate"], r["target"]) for r in rows)


# ----------------------------------------------------------------------------- page, SVG, JSON

def test_network_page_and_svg(client):
    page = html(client, "/network")
    assert page.link_to("/id/China") and page.link_to("/id/BeltAndRoadInitiative")
    svg = client.get("/network.svg")
    assert svg.content_type.startswith("image/svg+xml")
    assert b"<circle" in svg.data
    data = get_json(client)
    keys = {n["id"] for n in data["nodes"]}
    assert str(EKGID.China) in keys and all(e["source"] in keys for e in data["edges"])
    assert {n["kind"] for n in data["nodes"]} >= {"state", "international organisation", "policy"}


def test_network_links_carry_their_relation_and_evidence(client, everything):
    data = get_json(client)
    edge = network_edge(data, EKGID.UnitedStates, "threatens", EKGID.China)
    assert edge["relation"] == "United States threatens China" and not edge["background"]
    [evidence] = edge["evidence"]
    assert evidence["statement"] == str(EKGID["claim-p4-6"]) and evidence["href"] == "/id/claim-p4-6"
    assert evidence["paragraph"] == 4 and evidence["modality"] == "fact reported"
    assert evidence["quote"] == str(everything.value(EKGID["claim-p4-6"], EKG.quote))
    assert evidence["sentence"] == ("United States threatens China after the outbreak of the"
                                    " Russia–Ukraine conflict")
    # Every essay link rests on at least one statement; every background link names its source.
    assert all(e["evidence"] for e in data["edges"] if not e["background"])
    assert not any("ekg:" in e["label"] or "org:" in e["label"] for e in data["edges"])


def members(everything) -> set:
    return {s for cls in network.NETWORK_CLASSES for s in everything.subjects(RDF.type, cls)
            if str(s).startswith(str(EKGID))}


def test_network_links_are_the_shortcuts_the_statements_give(client, built, everything):
    """Every derived link between two actors is a link of the essay, once (a symmetric
    relation once for both directions), and every background fact between two is a background link."""
    actors = members(everything)

    def between_actors(graph):
        return {(s, p, o) for s, p, o in graph if s in actors and o in actors and s != o}

    def once(triples):
        return {(p, frozenset((s, o))) if (p, RDF.type, OWL.SymmetricProperty) in everything else (s, p, o)
                for s, p, o in triples}

    derived = between_actors(built.graph(DERIVED_GRAPH))
    background = between_actors(built.graph(BACKGROUND_GRAPH))
    data = get_json(client)
    links = {e["background"]: set() for e in data["edges"]}
    for e in data["edges"]:
        links[e["background"]].add((URIRef(e["source"]), URIRef(e["predicate"]), URIRef(e["target"])))
    assert derived and once(links[False]) == once(derived)
    assert len(links[False]) == len(once(derived))
    assert once(links[True]) == once(background)
    assert len(data["edges"]) == len(once(derived)) + len(once(background))


def test_network_background_links_are_marked_with_their_source(client):
    data = get_json(client)
    edge = network_edge(data, EKGID.China, "member of", EKGID.SCO)
    assert edge["background"] and not edge["evidence"]
    assert [f["source"] for f in edge["background_facts"]] == ["https://www.wikidata.org/wiki/Q485207"]
    assert all(e["background_facts"] for e in data["edges"] if e["background"])


def test_network_svg_says_each_links_relation_and_evidence(client, everything):
    svg = client.get("/network.svg").get_data(as_text=True)
    quote = str(everything.value(EKGID["claim-p4-6"], EKG.quote))
    said = f"United States threatens China\nParagraph 4 (fact reported): “{quote}”"
    titles = [t.split("</title>")[0] for t in svg.split("<title>")[1:]]
    assert any(t.startswith(said) or f"\n\n{said}" in t for t in titles)
    background = [t.split("</title>")[0] for t in svg.split('<g class="background"')[1:]]
    assert background and all("Background, not from the essay; source: Wikidata " in t for t in background)
    assert 'stroke-dasharray="5 4"' in svg
    # Each link is labelled with its relation, in words.
    # Each link is labelled with its relations, in words (where the drawing has room for them;
    # a label with no room is left out, never drawn over another, and its tooltip still says it).
    group = svg.split('<g class="edge-labels"')[1].split("</g>")[0]
    labels = [unescape(t) for t in re.findall(r"<text [^>]*>([^<]*)</text>", group)]
    relations = {e["label"] for e in get_json(client)["edges"]}
    pairs = {tuple(sorted((e["source"], e["target"]))) for e in get_json(client)["edges"]}
    assert "upholds" in labels and "is in armed conflict with" in labels
    assert len(labels) >= len(pairs) * 3 // 4
    for text in labels:
        *whole, last = text.split(" / ")
        assert set(whole) <= relations and (last in relations or last.endswith("…")), text


def test_network_page_lists_every_link_with_its_evidence_without_javascript(client, everything):
    page = html(client, "/network")
    rows = page.section("All")
    quote = str(everything.value(EKGID["claim-p4-6"], EKG.quote))
    assert f"“{quote}”" in rows.quotes
    assert (f"“{quote}”", "/id/claim-p4-6") in rows.links
    assert "background, not from the essay · source: Wikidata Q485207" in rows.text


def test_the_network_keeps_the_most_connected_actors_of_a_large_dataset(app, monkeypatch):
    with app.test_request_context("/network.json"):
        nodes, edges = network.network_data()
        degree = Counter(end for e in edges for end in (e["source"], e["target"]))
        monkeypatch.setattr(network, "NETWORK_MAX", 5)
        few, few_edges = network.network_data()
    assert len(nodes) > 5 and len(few) <= 5
    kept = {n.key for n in few}
    assert all(e["source"] in kept and e["target"] in kept for e in few_edges) and few_edges
    top = sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert kept <= {k for k, _ in top}


# ----------------------------------------------------------------------------- exports

def test_graphml_parses_and_its_edges_carry_relation_paragraph_and_quote(client):
    graph = read_graphml(client)
    data = get_json(client)
    assert graph.is_directed() and graph.number_of_nodes() == len(data["nodes"])
    assert graph.number_of_edges() == len(data["edges"])
    china = graph.nodes["China"]
    assert china == {"label": "China", "kind": "state", "type": str(EKG.State), "iri": str(EKGID.China),
                     "url": "http://localhost/id/China"}
    [threatens] = [d for u, v, d in graph.edges("UnitedStates", data=True)
                   if v == "China" and d["relation"] == "threatens"]
    assert threatens["paragraphs"] == "4" and threatens["quotes"] == THREATENS_QUOTE
    assert threatens["kinds"] == "fact reported" and threatens["statements"] == str(EKGID["claim-p4-6"])
    assert threatens["predicate"] == str(EKG.threatens) and threatens["sentence"] == "United States threatens China"
    assert threatens["background"] is False and threatens["symmetric"] is False
    assert threatens["label"] == "threatens"   # what Gephi and yEd show on the edge
    assert triples_of_graph(graph) == triples_of_json(data)


def test_gexf_parses_with_node_and_edge_attributes(client):
    graph = read_gexf(client)
    data = get_json(client)
    assert graph.is_directed() and graph.number_of_nodes() == len(data["nodes"])
    assert graph.nodes["SCO"]["label"] == "Shanghai Cooperation Organisation"
    assert graph.nodes["SCO"]["kind"] == "international organisation"
    assert graph.nodes["SCO"]["url"] == "http://localhost/id/SCO"
    [threatens] = [d for u, v, d in graph.edges("UnitedStates", data=True)
                   if v == "China" and d["relation"] == "threatens"]
    assert threatens["label"] == "threatens" and threatens["paragraphs"] == "4"
    assert threatens["quotes"] == THREATENS_QUOTE and threatens["kinds"] == "fact reported"
    # A symmetric relation is one "mutual" edge: networkx reads it both ways.
    symmetric = sum(1 for e in data["edges"] if e["symmetric"])
    assert symmetric and graph.number_of_edges() == len(data["edges"]) + symmetric
    [cooperates] = [d for u, v, d in graph.edges("China", data=True)
                    if v == "Russia" and d["relation"] == "cooperates with"]
    assert cooperates["symmetric"] is True
    assert triples_of_graph(graph) == triples_of_json(data) + Counter(
        (e["target"], e["predicate"], e["source"]) for e in data["edges"] if e["symmetric"])


def test_background_edges_are_marked_with_their_source_in_every_export(client):
    wikidata = "https://www.wikidata.org/wiki/Q485207"
    for graph in (read_graphml(client), read_gexf(client)):
        [member] = [d for u, v, d in graph.edges("China", data=True)
                    if v == "SCO" and d["relation"] == "member of"]
        assert member["background"] is True and member["source_url"] == wikidata
        assert member["paragraphs"] == "" and member["quotes"] == ""
        assert all(d["source_url"] for _, _, d in graph.edges(data=True) if d["background"])
        assert not any(d["source_url"] for _, _, d in graph.edges(data=True) if not d["background"])
    [row] = [r for r in read_csv(client) if (r["source_label"], r["relation"], r["target_label"]) ==
             ("China", "member of", "Shanghai Cooperation Organisation")]
    assert row["background"] == "yes" and row["source_url"] == wikidata


def test_the_csv_has_the_edges_of_the_json(client):
    rows = read_csv(client)
    data = get_json(client)
    assert list(rows[0]) == ["source", "source_label", "target", "target_label", "relation", "predicate",
                             "paragraphs", "quotes", "kinds", "statements", "background", "source_url",
                             "symmetric", "sentence"]
    assert triples_of_csv(rows) == triples_of_json(data)
    [row] = [r for r in rows if (r["source"], r["relation"], r["target"]) ==
             (str(EKGID.UnitedStates), "threatens", str(EKGID.China))]
    assert row["source_label"] == "United States" and row["target_label"] == "China"
    assert row["paragraphs"] == "4" and row["quotes"] == THREATENS_QUOTE and row["kinds"] == "fact reported"
    assert row["statements"] == str(EKGID["claim-p4-6"]) and row["background"] == "no"
    # A link resting on several statements lists them all, in the same order in each column.
    several = [e for e in data["edges"] if len(e["evidence"]) > 1]
    assert several
    for e in several:
        [r] = [r for r in rows if (r["source"], r["predicate"], r["target"]) ==
               (e["source"], e["predicate"], e["target"])]
        assert r["statements"].split(" | ") == [ev["statement"] for ev in e["evidence"]]
        assert r["paragraphs"].split(" | ") == [str(ev["paragraph"]) for ev in e["evidence"]]


def test_exports_are_files_to_download(client):
    for suffix in ("graphml", "gexf", "csv"):
        response = client.get(f"/network.{suffix}")
        assert response.headers["Content-Disposition"] == f'attachment; filename="eurasia-kg-network.{suffix}"'
        assert response.data == client.get(f"/network.{suffix}").data   # the same bytes each time


def test_graphml_and_gexf_are_in_their_namespace_without_a_prefix(client):
    """ElementTree's global prefix map once wrote <ns0:graphml>: valid, but not what tools expect."""
    graphml = client.get("/network.graphml").get_data(as_text=True).splitlines()
    assert graphml[1].startswith('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" ')
    assert "ns0:" not in "".join(graphml)
    gexf = client.get("/network.gexf").get_data(as_text=True).splitlines()
    assert gexf[1] == '<gexf xmlns="http://gexf.net/1.3" version="1.3">'


# ----------------------------------------------------------------------------- filters

def expected(data, relation=None, kinds=None, background=True) -> Counter:
    """The links a filter keeps, worked out from the whole network's JSON."""
    kind = {n["id"]: n["group"] for n in data["nodes"]}
    return Counter((e["source"], e["predicate"], e["target"]) for e in data["edges"]
                   if (relation is None or e["predicate"].rsplit("#", 1)[-1] == relation)
                   and (background or not e["background"])
                   and (kinds is None or (kind[e["source"]] in kinds and kind[e["target"]] in kinds)))


@pytest.mark.parametrize("query, relation, kinds, background", [
    ("?relation=memberOf", "memberOf", None, True),
    ("?relation=threatens", "threatens", None, True),
    ("?kind=State", None, {"State"}, True),
    ("?kind=State&kind=InternationalOrganization", None, {"State", "InternationalOrganization"}, True),
    ("?background=0", None, None, False),
    ("?relation=memberOf&background=0", "memberOf", None, False),
    ("?relation=hasRelationsWith&kind=State&background=0", "hasRelationsWith", {"State"}, False),
])
def test_filters_change_every_format_alike(client, query, relation, kinds, background):
    whole = get_json(client)
    want = expected(whole, relation, kinds, background)
    assert want != triples_of_json(whole) or not want, "the filter should change something"
    data = get_json(client, "/network.json" + query)
    assert triples_of_json(data) == want
    assert {n["id"] for n in data["nodes"]} == {end for s, _, o in want for end in (s, o)}
    assert triples_of_graph(read_graphml(client, query)) == want
    assert triples_of_graph(read_gexf(client, query)) == want + Counter(
        (e["target"], e["predicate"], e["source"]) for e in data["edges"] if e["symmetric"])
    assert triples_of_csv(read_csv(client, query)) == want
    # The page: the list of links, the drawing, and the download links say the same filter.
    page = html(client, "/network" + query)
    rows = [e for e in page.root.walk() if e.tag == "tr" and any(
        c.tag == "td" for c in e.children if hasattr(c, "tag"))]
    assert len(rows) == sum(want.values())
    assert f"{sum(want.values())} of {len(whole['edges'])} links" in " ".join("".join(page.text).split())
    for suffix in ("graphml", "gexf", "csv"):
        [href] = [h for _, h in page.links if h and h.startswith(f"/network.{suffix}")]
        assert triples_of_csv(read_csv(client, "?" + href.split("?", 1)[1])) == want
    svg = client.get("/network.svg" + query).get_data(as_text=True)
    assert svg.count('<a href="/id/') == len(data["nodes"])


def test_a_filter_nobody_can_choose_is_the_whole_network(client):
    whole = client.get("/network.json").data
    for query in ("?relation=noSuchRelation", "?kind=NoSuchKind", "?background=1",
                  "?background=0&background=1",   # a form's hidden "0", then its checked box
                  "?kind=State&kind=InternationalOrganization&kind=Initiative&kind=Policy&kind=Approach"):
        assert client.get("/network.json" + query).data == whole, query


def test_junk_parameters_and_host_names_do_not_draw_the_network_again(app, client):
    """Regression: every view was kept per host name, which only the exports read, so a
    flood of Host headers drew the page once each."""
    client.get("/network")
    cache = app.extensions["eurasia_kg.network_views"]
    before = len(cache)
    with renders(app) as rendered:
        for n in range(100):
            assert client.get(f"/network?n={n}").status_code == 200
            assert client.get("/network", base_url=f"http://host{n}.example").status_code == 200
    assert rendered == [] and len(cache) == before


def test_the_exports_name_pages_by_the_address_asked(client):
    first = client.get("/network.graphml", base_url="http://one.example").get_data(as_text=True)
    other = client.get("/network.graphml", base_url="http://other.example").get_data(as_text=True)
    assert "http://one.example/id/" in first and "http://other.example/id/" in other


def test_the_filter_form_offers_relations_and_kinds_by_their_labels(client):
    page = html(client, "/network?relation=memberOf&background=0")
    form = page.section("The actor network")
    options = {e.attrs.get("value"): e.text for e in page.root.walk() if e.tag == "option"}
    assert options["memberOf"].startswith("member of (") and options["threatens"] == "threatens (1)"
    selected = [e.attrs["value"] for e in page.root.walk() if e.tag == "option" and "selected" in e.attrs]
    assert selected == ["memberOf"]
    boxes = {e.attrs["value"]: e for e in page.root.walk() if e.tag == "input" and e.attrs.get("name") == "kind"}
    assert set(boxes) == {"State", "InternationalOrganization", "Initiative", "Policy", "Approach"}
    assert "international organisation (4)" in form.text
    [shown] = [e for e in page.root.walk() if e.tag == "input" and e.attrs.get("type") == "checkbox"
               and e.attrs.get("name") == "background"]
    assert "checked" not in shown.attrs
    assert ("the whole network", "/network") in page.links


def test_the_network_page_and_the_home_page_link_the_exports(client):
    page = html(client, "/network")
    for name, href in (("GraphML", "/network.graphml"), ("GEXF", "/network.gexf"), ("CSV", "/network.csv")):
        assert page.link_to(href) == [name]
    home = html(client, "/")
    for href in ("/network.graphml", "/network.gexf", "/network.csv"):
        assert home.link_to(href), href


def test_exports_escape_what_the_labels_hold(tmp_path):
    hostile = tmp_path / "hostile.ttl"
    hostile.write_text((TESTS / "fixtures" / "valid-minimal.ttl").read_text(encoding="utf-8") + """
<https://w3id.org/eurasia-kg/id/Evil> a <https://w3id.org/eurasia-kg/ontology#State> ;
    <http://www.w3.org/2000/01/rdf-schema#label> "<script>alert(1)</script> & \\"Co\\""@en ;
    <https://w3id.org/eurasia-kg/ontology#neighbourOf> <https://w3id.org/eurasia-kg/id/China> .
<https://w3id.org/eurasia-kg/id/China> a <https://w3id.org/eurasia-kg/ontology#State> .
""", encoding="utf-8")
    app = create_app({"DATA_FILES": [str(hostile)], "VALIDATE": False})
    try:
        client = app.test_client()
        label = '<script>alert(1)</script> & "Co"'
        assert read_graphml(client).nodes["Evil"]["label"] == label
        assert read_gexf(client).nodes["Evil"]["label"] == label
        assert label in {r["source_label"] for r in read_csv(client)} | {r["target_label"] for r in read_csv(client)}
        assert b"<script>" not in client.get("/network.graphml").data
        assert b"<script>" not in client.get("/network").data
    finally:
        app.extensions["eurasia_kg.pool"].close()
