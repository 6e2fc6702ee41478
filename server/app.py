"""The eurasia-kg application: SPARQL 1.1 endpoint, pages, validation service, dataset description.

create_app(config) builds the dataset once (parse, reason, validate), writes it as N-Quads for
the query executors, and registers one blueprint per surface.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, request

from ..graph.dataset import BuiltDataset, build_dataset, content_hash, parse_into
from ..shapes import shapes_file
from ..graph.validation import ValidationReport, validate_dataset
from .engine import QueryPool

DEFAULTS = {
    "DATA_FILES": None,          # RDF files served instead of the shipped graph
    "WITH_SHIPPED": None,        # also serve the shipped graph beside DATA_FILES
    "NAMED_GRAPH_FILES": {},     # {graph IRI: file} loaded as named graphs, as they are
    "VALIDATE": True,            # refuse to start if the data does not conform
    "QUERY_TIMEOUT": 10.0,       # seconds a query may run before it is stopped
    "MAX_ROWS": 10000,           # rows (or triples) a result may have
    "EXECUTORS": 2,              # query executor processes per web worker
    "QUERY_CACHE": True,         # answer identical requests from memory
    "QUERY_CACHE_ENTRIES": 2048,
    "MAX_CONTENT_LENGTH": 1024 * 1024,   # request bodies (413 past this)
    "MAX_QUERY_STRING": 32 * 1024,       # query strings (414 past this)
    "MAX_VALIDATE_BYTES": 2 * 1024 * 1024,
}


class StartupError(Exception):
    """The data does not parse or does not conform: the service does not start."""


@dataclass
class ServedDataset:
    """The dataset as served: built, validated, written out for the executors."""

    built: BuiltDataset
    report: ValidationReport | None
    nquads: Path
    version: str
    build_seconds: float

    def triple_counts(self) -> dict:
        """Return {graph IRI: triple count} for every named graph."""
        return {str(g): len(self.built.graph(g)) for g in self.built.named_graphs()}


def load_served(config) -> ServedDataset:
    """Build, reason over and validate the configured data; write it as N-Quads."""
    started = time.perf_counter()
    files = [Path(f) for f in config["DATA_FILES"] or []]
    named = {iri: Path(f) for iri, f in (config["NAMED_GRAPH_FILES"] or {}).items()}
    with_shipped = config["WITH_SHIPPED"]
    if with_shipped is None:
        with_shipped = not files and not named
    built = build_dataset(files, with_shipped=with_shipped)
    if named:
        from rdflib import URIRef

        for iri, path in named.items():
            parse_into(built.dataset.graph(URIRef(iri)), path)
    report = None
    if config["VALIDATE"]:
        report = validate_dataset(built)
        if not report.conforms:
            raise StartupError("the data does not conform to the shapes:\n" + report.to_text())
    folder = Path(tempfile.mkdtemp(prefix="eurasia-kg-"))
    # Only the process that made the folder removes it: gunicorn's workers inherit this atexit
    # handler, and a worker that exits must not take the executors' data from the others.
    atexit.register(_remove_if_owner, folder, os.getpid())
    path = folder / "dataset.nq"
    path.write_bytes(built.dataset.serialize(format="nquads", encoding="utf-8"))
    # The version changes when any input file (data, ontology, shapes) changes, and only then.
    version = content_hash(built.sources + [shapes_file()] + list(named.values()))[:16]
    return ServedDataset(built, report, path, version, time.perf_counter() - started)


def _remove_if_owner(folder: Path, owner: int) -> None:
    if os.getpid() == owner:
        shutil.rmtree(folder, ignore_errors=True)


def create_app(config: dict | None = None) -> Flask:
    """Create the Flask application; config overrides DEFAULTS (tests pass small fixtures)."""
    # instance_path is given because Flask cannot infer it inside the eurasia_kg namespace.
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent / "instance"))
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    app.json.sort_keys = False
    served = load_served(app.config)
    app.extensions["eurasia_kg.dataset"] = served
    # Built before gunicorn forks its workers, so they share it and the first page is fast.
    from .describe import Describer

    app.extensions["eurasia_kg.describer"] = Describer(served.built)
    app.extensions["eurasia_kg.pool"] = QueryPool(
        {"nquads": str(served.nquads)}, size=app.config["EXECUTORS"],
        timeout=app.config["QUERY_TIMEOUT"], max_rows=app.config["MAX_ROWS"])
    from .sparql import AnswerCache

    app.extensions["eurasia_kg.cache"] = (AnswerCache(app.config["QUERY_CACHE_ENTRIES"])
                                          if app.config["QUERY_CACHE"] else None)

    from flask_cors import CORS

    from . import meta, pages, sparql, validate

    # Browser clients on other origins (YASGUI elsewhere) may query and read the description;
    # nothing here uses cookies, so no credentials are allowed.
    CORS(app, resources={r"/sparql": {}, r"/.well-known/void": {}, r"/download/*": {},
                         r"/validate": {}}, origins="*", expose_headers=["ETag"], max_age=86400)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(validate.bp)
    app.register_blueprint(meta.bp)
    app.register_blueprint(pages.bp)

    @app.errorhandler(404)
    def page_not_found(error):
        return pages.not_found(request.path, request.accept_mimetypes.best_match(
            ["text/html", "text/plain"]) == "text/html")
    return app
