"""Validate a built dataset against the eurasia-kg SHACL shapes with pySHACL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import pyshacl
from rdflib import Graph, Namespace
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery

from ..shapes import shapes_file
from .cache import cache_folder, keep_in_cache
from .parsing import parse_into

SH = Namespace("http://www.w3.org/ns/shacl#")


class ShapesError(Exception):
    """The shapes graph itself is unusable (pySHACL could not run it)."""


@lru_cache(maxsize=1)
def _shipped_shapes() -> Graph:
    return parse_into(Graph(), shapes_file())


def shapes_graph() -> Graph:
    """Return a private copy of the shipped shapes (callers may not change the shared one)."""
    copy = Graph()
    for triple in _shipped_shapes():
        copy.add(triple)
    return copy


@dataclass(frozen=True)
class Violation:
    """One SHACL result, reduced to what a reader needs."""

    focus: object
    path: object
    message: str
    severity: str
    shape: object
    value: object = None

    def as_dict(self) -> dict:
        """Return the result as JSON-ready strings."""
        return {
            "focusNode": _n3(self.focus),
            "resultPath": _n3(self.path),
            "value": _n3(self.value),
            "message": self.message,
            "severity": self.severity,
            "sourceShape": _n3(self.shape),
        }


def _n3(term) -> str | None:
    return None if term is None else str(term)


@dataclass
class ValidationReport:
    """The outcome of validating a dataset: conformance, results and the SHACL report graph."""

    conforms: bool
    violations: list[Violation]
    graph: Graph

    def to_text(self) -> str:
        """Return a readable report, one block per result."""
        if self.conforms:
            return "Conforms: the data satisfies every shape.\n"
        lines = [f"Does not conform: {len(self.violations)} result(s).", ""]
        for v in self.violations:
            lines.append(f"[{v.severity}] {v.message}")
            lines.append(f"  focus node: {v.focus}")
            if v.path is not None:
                lines.append(f"  path:       {v.path}")
            if v.value is not None:
                lines.append(f"  value:      {v.value}")
            lines.append(f"  shape:      {v.shape}")
            lines.append("")
        return "\n".join(lines)

    def to_json(self) -> str:
        """Return the report as JSON: conforms and a list of results."""
        return json.dumps({"conforms": self.conforms,
                           "results": [v.as_dict() for v in self.violations]}, indent=2,
                          ensure_ascii=False)

    def to_turtle(self) -> str:
        """Return the W3C SHACL validation report graph as Turtle."""
        return self.graph.serialize(format="turtle")


@lru_cache(maxsize=256)
def _prepared(text: str):
    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A view of a graph that parses each distinct SPARQL text once.

    pySHACL runs every sh:sparql constraint once per focus node with the same text; rdflib
    would parse it every time, which was 90% of validation time on the essay graph.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def validate_graph(data: Graph) -> ValidationReport:
    """Validate a data graph (ontology and inferences included) against the shapes.

    The data graph is read, never changed: pySHACL runs in place, without inference and
    without SHACL-AF rules.
    """
    view = _PreparedQueryGraph(store=data.store, identifier=data.identifier,
                               namespace_manager=data.namespace_manager)
    conforms, report_graph, _ = pyshacl.validate(
        view, shacl_graph=shapes_graph(), inference="none", advanced=False,
        allow_warnings=False, abort_on_first=False)
    if not isinstance(report_graph, Graph):  # pySHACL's ValidationFailure: the shapes are broken
        raise ShapesError(str(getattr(report_graph, "message", report_graph)))
    return report_from_graph(report_graph, bool(conforms))


def report_from_graph(report_graph: Graph, conforms: bool | None = None) -> ValidationReport | None:
    """Read a SHACL validation report graph (as written by to_turtle) back; None if it has none."""
    report = report_graph.value(predicate=RDF.type, object=SH.ValidationReport)
    if report is None:
        return None
    if conforms is None:
        conforms = str(report_graph.value(report, SH.conforms)).lower() == "true"
    violations = []
    for result in report_graph.objects(report, SH.result):  # not the nested sh:detail results
        one = report_graph.value
        severity = one(result, SH.resultSeverity)
        violations.append(Violation(
            focus=one(result, SH.focusNode),
            path=one(result, SH.resultPath),
            message=str(one(result, SH.resultMessage) or ""),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            shape=one(result, SH.sourceShape),
            value=one(result, SH.value),
        ))
    violations.sort(key=lambda v: (str(v.focus), str(v.path), v.message))
    return ValidationReport(conforms, violations, report_graph)


def validate_dataset(built) -> ValidationReport:
    """Validate the asserted graphs of a built dataset (ontology included).

    Inferred triples are left out on purpose: OWL 2 RL types every value of a property with
    its rdfs:range, which would make sh:class on that property unable to fail.
    """
    return validate_graph(built.view("asserted"))


def validate_cached(built, key: str | None) -> tuple[ValidationReport, bool]:
    """Validate a built dataset, or reuse the conforming report of an identical earlier build.

    Returns (report, whether it came from the cache). Only a report that conforms is kept: it
    has no results, so nothing of it depends on blank nodes or on how results are written; a
    report with results is worked out every time. key changes with every input file, the
    shapes, pySHACL's version and the code that builds and validates (graph.dataset).
    """
    folder = cache_folder() if key else None
    path = folder / f"conforms-{key}.ttl" if folder else None
    if path is not None and path.is_file():
        try:
            report = report_from_graph(Graph().parse(path, format="turtle"))
            if report is not None and report.conforms:
                return report, True
        except (OSError, SyntaxError, ValueError):  # a damaged entry is validated again, never trusted
            pass
    report = validate_dataset(built)
    if path is not None and report.conforms:
        keep_in_cache(path, lambda partial: partial.write_text(report.to_turtle(), encoding="utf-8"))
    return report, False
