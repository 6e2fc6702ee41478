"""SHACL validation over HTTP at /validate, after Fuseki's SHACL service."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import Graph

from ..graph.dataset import BuildError, DataError, build_dataset
from ..graph.parsing import parse_bytes
from ..graph.terms import ToRdflib, check_literals
from ..graph.validation import ValidationReport, shapes_graph, validate_dataset
from . import formats, responses
from .pages.checks import shape_checks
from .pages.links import describer

bp = Blueprint("validate", __name__)



REPORT_TYPES = ("text/turtle", "application/json", "text/html")
#: Content-Type -> pyoxigraph's format for uploads (parsed as `eurasia-kg build` parses files).
UPLOAD_FORMATS = {media_type: formats.rdf_format(f)
                  for media_type, f in formats.BY_MEDIA_TYPE.items() if f.kind == "graph"}


def render(report: ValidationReport, checked) -> Response:
    """Render a report as Turtle (default), JSON or HTML by Accept.

    checked: a function returning what the shapes checked (checks.shape_checks), for the HTML.
    """
    best = request.accept_mimetypes.best_match(REPORT_TYPES) if request.accept_mimetypes else None
    best = best or "text/turtle"
    if best == "application/json":
        response = Response(report.to_json(), content_type="application/json; charset=utf-8")
    elif best == "text/html":
        response = Response(render_template("validation.html", report=report, checked=checked()),
                            content_type="text/html; charset=utf-8")
    else:
        response = Response(report.to_turtle(), content_type="text/turtle; charset=utf-8")
    response.vary.add("Accept")
    return response


@bp.route("/validate", methods=["GET"])
def shipped_report():
    """Show the validation report of the served dataset."""
    served = current_app.extensions["eurasia_kg.dataset"]
    report = served.report
    if report is None:
        return responses.text(404, "No validation report was published with this dataset.")

    def checked():  # counted once: the data never changes while the service runs
        if "eurasia_kg.checks" not in current_app.extensions:
            current_app.extensions["eurasia_kg.checks"] = shape_checks(
                shapes_graph(), served.view("asserted"), describer(), report)
        return current_app.extensions["eurasia_kg.checks"]

    return responses.finish(render(report, checked), "validate")


@bp.route("/validate", methods=["POST"])
def validate_upload():
    """Validate posted RDF with the ontology against the shapes; 200 whether or not it conforms."""
    limit = current_app.config["MAX_VALIDATE_BYTES"]
    request.max_content_length = limit  # this route's own limit, not the /sparql one
    if request.content_length is not None and request.content_length > limit:
        return responses.text(413, f"The data is larger than {limit} bytes.")
    parser = UPLOAD_FORMATS.get(request.mimetype)
    if parser is None:
        return responses.text(415, "Send RDF as one of: " + ", ".join(sorted(UPLOAD_FORMATS)))
    body = request.get_data()
    if len(body) > limit:
        return responses.text(413, f"The data is larger than {limit} bytes.")
    try:  # relative IRIs resolve against this address, where the data was sent
        quads = parse_bytes(body, parser, request.base_url, "the data")
    except DataError as exc:
        return responses.text(400, f"The data does not parse: {str(exc).removeprefix('the data: ')}")
    upload, convert = Graph(), ToRdflib(check_literals(q.object for q in quads))
    for quad in quads:
        upload.add(convert.triple(quad))
    try:
        built = build_dataset([], graphs=[upload], with_shipped=False)
    except BuildError as exc:
        return responses.text(400, f"The data is inconsistent with the ontology: {exc}")
    report = validate_dataset(built)
    response = render(report, lambda: shape_checks(shapes_graph(), built.view("asserted"), describer(), report))
    response.headers["Cache-Control"] = "no-store"
    return response
