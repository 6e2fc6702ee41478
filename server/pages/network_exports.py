"""Write the actor network as files that network tools and spreadsheets open.

GraphML 1.0 (Gephi, Cytoscape, yEd, networkx), GEXF 1.3 (Gephi, networkx) and a CSV edge list,
each with the same node attributes (label, kind, type, IRI, page) and edge attributes (the
relation, its predicate, and the statements it rests on: paragraphs, quotes, kinds, statement
IRIs; or, for a background fact, its source). Written with xml.etree, sorted as given, so the
same network always gives the same bytes.

Edges are directed, from subject to object. A symmetric relation ("cooperates with") is one
edge marked symmetric: GraphML has no mixed graphs that tools agree on, so it says so in an
attribute; GEXF also gives it the edge type "mutual" (both ways).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

#: Several values in one attribute or cell (one per statement, in the same order in each).
SEPARATOR = " | "

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
GEXF = "http://gexf.net/1.3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass
class Node:
    """A node as the files give it."""

    id: str       #: a short id, unique in the file (the entity's local name where it can be)
    iri: str
    label: str
    kind: str     #: for readers: "state", "international organisation"
    type: str     #: the class IRI
    url: str      #: its page on this service


@dataclass
class Edge:
    """A link as the files give it: the relation and what it rests on."""

    id: str
    source: Node
    target: Node
    relation: str      #: the predicate's label: "threatens"
    sentence: str      #: "United States threatens China"
    predicate: str
    symmetric: bool
    background: bool
    paragraphs: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    kinds: list = field(default_factory=list)       #: modalities: "fact reported", "assessment"
    statements: list = field(default_factory=list)  #: statement IRIs
    sources: list = field(default_factory=list)     #: a background fact's sources (URLs)
    citations: list = field(default_factory=list)


@dataclass
class Table:
    """The nodes and edges of a network, ready to write."""

    nodes: list
    edges: list

    @classmethod
    def of(cls, nodes: list, links: list, *, kind_label, type_of, page_url) -> Table:
        """Make the table from network.network_data()'s nodes and links.

        kind_label(group) names a kind for readers, type_of(iri) gives a node's class and
        page_url(iri) its page's address.
        """
        used, table_nodes = set(), {}
        for i, n in enumerate(nodes):
            local = n.key.rsplit("/", 1)[-1]
            # GraphML ids are XML name tokens: the local name where it is one (and unique).
            node_id = local if re.fullmatch(r"[A-Za-z0-9._-]+", local) and local not in used else f"n{i}"
            used.add(node_id)
            kind = type_of(n.key)
            table_nodes[n.key] = Node(node_id, n.key, n.label, kind_label(n.group),
                                      str(kind) if kind is not None else "", page_url(n.key))
        edges = []
        for i, link in enumerate(links):
            evidence = link["evidence"]
            facts = link["background_facts"]
            edges.append(Edge(
                f"e{i}", table_nodes[link["source"]], table_nodes[link["target"]], link["label"],
                link["relation"], link["predicate"], link["symmetric"], link["background"],
                paragraphs=[str(ev["paragraph"]) if ev["paragraph"] is not None else "" for ev in evidence],
                quotes=[ev["quote"] for ev in evidence], kinds=[ev["modality"] for ev in evidence],
                statements=[ev["statement"] for ev in evidence],
                sources=[f["source"] for f in facts if f["source"]],
                citations=[f["citation"] for f in facts if f["citation"]]))
        return cls(list(table_nodes.values()), edges)


def joined(values: list) -> str:
    return SEPARATOR.join(values)


#: (attribute name, type, description, value of a node)
NODE_ATTRIBUTES = (
    ("label", "string", "the name", lambda n: n.label),
    ("kind", "string", "the kind of actor, for readers", lambda n: n.kind),
    ("type", "string", "the class (IRI)", lambda n: n.type),
    ("iri", "string", "the entity's IRI", lambda n: n.iri),
    ("url", "string", "its page", lambda n: n.url),
)
#: (attribute name, type, description, value of an edge); lists are joined with " | ", one
#: value per statement, in the same order in each attribute.
EDGE_ATTRIBUTES = (
    ("relation", "string", "the relation's name", lambda e: e.relation),
    ("sentence", "string", "the link read as a sentence", lambda e: e.sentence),
    ("predicate", "string", "the relation (property IRI)", lambda e: e.predicate),
    ("paragraphs", "string", "the essay's paragraph of each statement", lambda e: joined(e.paragraphs)),
    ("quotes", "string", "the passage of each statement", lambda e: joined(e.quotes)),
    ("kinds", "string", "the kind of each statement (modality)", lambda e: joined(e.kinds)),
    ("statements", "string", "each statement's IRI", lambda e: joined(e.statements)),
    ("background", "boolean", "a background fact, not from the essay", lambda e: e.background),
    ("source_url", "string", "the source of a background fact", lambda e: joined(e.sources)),
    ("citation", "string", "the citation of a background fact", lambda e: joined(e.citations)),
    ("symmetric", "boolean", "the relation holds both ways", lambda e: e.symmetric),
)


def _text(value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def graphml(table: Table) -> bytes:
    """Return the network as GraphML 1.0: keys declared with attr.name and attr.type."""
    # Tags without a namespace, and the namespace declared on the root: written as they are,
    # read in the GraphML namespace (ElementTree's own prefixes would give "ns0:graphml").
    root = ET.Element("graphml", {
        "xmlns": GRAPHML, "xmlns:xsi": XSI,
        "xsi:schemaLocation": f"{GRAPHML} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"})
    ET.SubElement(root, "desc").text = (
        "The actor network of Zhao Huasheng's essay \"China and Russia: Dialog in the Face of External "
        "Challenges\" (eurasia-kg). Several values in an edge attribute are separated by \" | \", "
        "one per statement, in the same order in each attribute.")
    for for_, prefix, attributes in (("node", "n", NODE_ATTRIBUTES), ("edge", "e", EDGE_ATTRIBUTES)):
        for name, kind, description, _ in attributes:
            key = ET.SubElement(root, "key", {"id": f"{prefix}_{name}", "for": for_,
                                                            "attr.name": name, "attr.type": kind})
            ET.SubElement(key, "desc").text = description
    # Gephi and yEd show an edge's "label": the relation, as on the page.
    key = ET.SubElement(root, "key", {"id": "e_label", "for": "edge", "attr.name": "label",
                                                    "attr.type": "string"})
    ET.SubElement(key, "desc").text = "the relation's name, for tools that show edge labels"
    graph = ET.SubElement(root, "graph", {"id": "actor-network", "edgedefault": "directed"})
    for n in table.nodes:
        node = ET.SubElement(graph, "node", {"id": n.id})
        for name, _, _, value in NODE_ATTRIBUTES:
            ET.SubElement(node, "data", {"key": f"n_{name}"}).text = _text(value(n))
    for e in table.edges:
        edge = ET.SubElement(graph, "edge", {"id": e.id, "source": e.source.id, "target": e.target.id})
        for name, _, _, value in EDGE_ATTRIBUTES:
            ET.SubElement(edge, "data", {"key": f"e_{name}"}).text = _text(value(e))
        ET.SubElement(edge, "data", {"key": "e_label"}).text = e.relation
    return _serialise(root)


def gexf(table: Table) -> bytes:
    """Return the network as GEXF 1.3, with attributes of class node and edge.

    Valid against both of GEXF 1.3's schemas, the RELAX NG one and the XML Schema generated
    from it: so no xsi:schemaLocation (which RELAX NG refuses) and no viz: colours (which the
    XML Schema places in another namespace than the primer and Gephi).
    """
    root = ET.Element("gexf", {"xmlns": GEXF, "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "eurasia-kg"
    ET.SubElement(meta, "description").text = (
        "The actor network of Zhao Huasheng's essay \"China and Russia: Dialog in the Face of External "
        "Challenges\". Several values in an edge attribute are separated by \" | \", one per statement, "
        "in the same order in each attribute.")
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    for class_, attributes in (("node", NODE_ATTRIBUTES[1:]), ("edge", EDGE_ATTRIBUTES)):
        declared = ET.SubElement(graph, "attributes", {"class": class_})
        for name, kind, _, _ in attributes:
            ET.SubElement(declared, "attribute", {"id": name, "title": name, "type": kind})
    nodes = ET.SubElement(graph, "nodes", {"count": str(len(table.nodes))})
    for n in table.nodes:
        node = ET.SubElement(nodes, "node", {"id": n.id, "label": n.label})
        values = ET.SubElement(node, "attvalues")
        for name, _, _, value in NODE_ATTRIBUTES[1:]:
            ET.SubElement(values, "attvalue", {"for": name, "value": _text(value(n))})
    edges = ET.SubElement(graph, "edges", {"count": str(len(table.edges))})
    for e in table.edges:
        # kind: Gephi keeps parallel edges of different kinds (two relations between one pair).
        edge = ET.SubElement(edges, "edge", {
            "id": e.id, "source": e.source.id, "target": e.target.id, "label": e.relation,
            "kind": e.relation, "type": "mutual" if e.symmetric else "directed"})
        values = ET.SubElement(edge, "attvalues")
        for name, _, _, value in EDGE_ATTRIBUTES:
            ET.SubElement(values, "attvalue", {"for": name, "value": _text(value(e))})
    return _serialise(root)


#: The CSV's columns, one link a row.
CSV_COLUMNS = ("source", "source_label", "target", "target_label", "relation", "predicate", "paragraphs",
               "quotes", "kinds", "statements", "background", "source_url", "symmetric", "sentence")


def csv_text(table: Table) -> str:
    """Return the network as a CSV edge list: one link a row, its ends by IRI and by name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in table.edges:
        writer.writerow((e.source.iri, e.source.label, e.target.iri, e.target.label, e.relation, e.predicate,
                         joined(e.paragraphs), joined(e.quotes), joined(e.kinds), joined(e.statements),
                         "yes" if e.background else "no", joined(e.sources), "yes" if e.symmetric else "no",
                         e.sentence))
    return out.getvalue()
