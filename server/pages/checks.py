"""What validation checked, in words: each shape that ran, over how many nodes, and its rules.

Read from the shapes (their targets and the sh:message of each rule) and from the data they
ran over (the asserted graphs with the ontology, as validation sees them), never written by
hand. A node shape without a target runs only inside another shape's rule and is not listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ...graph.validation import SH
from ...ontology import EKG, PREFIXES

#: Shapes are grouped by the first of these classes their target class is a kind of.
GROUP_CLASSES = (EKG.Statement, EKG.Proposition, EKG.Actor, EKG.Event)
#: A compact name in a message (ekg:paragraph, an ekg:Actor).
CURIE = re.compile(r"(?:\b([Aa]n?) )?\b(" + "|".join(sorted(PREFIXES, key=len, reverse=True)) +
                   r"):([A-Za-z][\w-]*[A-Za-z0-9])")
#: A parenthesis that only gives compact names ("(ekg:quote, a plain string)", "(@en)").
VOCABULARY_ASIDE = re.compile(r"\s*\((?:(?:an? )?(?:" + "|".join(PREFIXES) + r"):[A-Za-z]|@)[^()]*\)")


@dataclass
class ShapeCheck:
    """A node shape as it ran: what it is about, the nodes it checked, and its rules in words."""

    shape: object
    about: str  #: "every claim", "everything with “hedge” or “hedged”"
    focus: int  #: how many nodes it ran over
    rules: list  #: (in words, the message as the shapes give it)
    results: int = 0  #: how many results of the report it gave
    nodes: frozenset = frozenset()  #: the nodes it ran over


@dataclass
class CheckGroup:
    """Shapes whose targets are kinds of one class, or nodes with a given property."""

    name: str
    checks: list


@dataclass
class Checked:
    """What validation checked: the groups of shapes, and the totals the page gives."""

    groups: list

    @property
    def shapes(self) -> list:
        return [c for g in self.groups for c in g.checks]

    @property
    def nodes(self) -> int:
        """How many distinct nodes were checked (a claim is also a statement: checked by both)."""
        return len(frozenset().union(*(c.nodes for c in self.shapes)))

    @property
    def runs(self) -> int:
        return sum(c.focus for c in self.shapes)

    @property
    def rules(self) -> int:
        return sum(len(c.rules) for c in self.shapes)


def shape_checks(shapes: Graph, data: Graph, describer, report=None) -> Checked:
    """Return the node shapes with targets that ran over data, grouped, with their rules in words.

    describer names terms (the served dataset's labels); report, when given, counts the
    results each shape gave.
    """
    own = {}  # property shape or constraint -> its node shape, to count results by node shape
    for shape in set(shapes.subjects(SH.property, None)) | set(shapes.subjects(SH.sparql, None)):
        for part in list(shapes.objects(shape, SH.property)) + list(shapes.objects(shape, SH.sparql)):
            own.setdefault(part, shape)
    results = {}
    for violation in report.violations if report is not None else ():
        shape = own.get(violation.shape, violation.shape)
        results[shape] = results.get(shape, 0) + 1
    grouped = {}
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        classes = sorted(shapes.objects(shape, SH.targetClass), key=str)
        properties = sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str)
        nodes = set(shapes.objects(shape, SH.targetNode))
        for cls in classes:
            for kind in data.transitive_subjects(RDFS.subClassOf, cls):
                nodes.update(data.subjects(RDF.type, kind))
        for prop in properties:
            nodes.update(data.subjects(prop, None))
        for prop in shapes.objects(shape, SH.targetObjectsOf):
            nodes.update(data.objects(None, prop))
        if not (classes or properties or (shape, SH.targetNode, None) in shapes or
                (shape, SH.targetObjectsOf, None) in shapes):
            continue  # used inside other shapes' rules only
        check = ShapeCheck(shape, about(classes, properties, describer), len(nodes),
                           rules(shapes, shape, describer), results.get(shape, 0), frozenset(nodes))
        grouped.setdefault(group_of(classes, data, describer), []).append(check)
    return Checked([CheckGroup(name, sorted(checks, key=lambda c: (c.about.casefold(), str(c.shape))))
                    for (_, name), checks in sorted(grouped.items())])


def group_of(classes: list, data: Graph, describer) -> tuple:
    """Return (rank, name) of a shape's group: the first of GROUP_CLASSES its target class is a
    kind of, other things, or nodes with a given property."""
    for rank, group in enumerate(GROUP_CLASSES):
        if any(group in set(data.transitive_objects(cls, RDFS.subClassOf)) for cls in classes):
            name = describer.label(group)
            return rank, f"{name[:1].upper()}{name[1:]}s and their kinds"
    if classes:
        return len(GROUP_CLASSES), "Other things"
    return len(GROUP_CLASSES) + 1, "Nodes with a given property"


def about(classes: list, properties: list, describer) -> str:
    """Say what a shape runs over: "every claim", "everything with “date” or “year”"."""
    parts = [f"every {describer.label(c)}" for c in classes]
    if properties:
        parts.append("everything with " + _either([describer.quoted(p) for p in properties]))
    return " and ".join(parts)


def rules(shapes: Graph, shape, describer) -> list:
    """Return (in words, as written) of a shape's rules: its own message, its property shapes' and
    its SPARQL constraints', each once, in the order of the words."""
    parts = [shape] + list(shapes.objects(shape, SH.property)) + list(shapes.objects(shape, SH.sparql))
    messages = {str(m) for part in parts for m in shapes.objects(part, SH.message)}
    return sorted(((plain(m, describer), m) for m in messages), key=lambda pair: pair[0].casefold())


def plain(message: str, describer) -> str:
    """Say a message in plain words: asides that only give compact names go, names become labels."""
    text = VOCABULARY_ASIDE.sub("", message)

    def named(match):
        article, prefix, local = match.groups()
        term = URIRef(str(PREFIXES[prefix]) + local)
        name = describer.label(term)
        if article:  # "an ekg:Actor": "an actor"; "an ekg:assertedBy": "an “asserted by”"
            a = "an " if name[:1].lower() in "aeiou" else "a "
            is_class = (term, RDF.type, OWL.Class) in describer.all or (term, RDF.type, RDFS.Class) in describer.all
            return a + (name if is_class else describer.quoted(term))
        return describer.quoted(term)

    text = CURIE.sub(named, text)
    text = re.sub(r"\s+([.,;:])", r"\1", text).strip()
    return text[:1].upper() + text[1:]


def _either(names: list) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
