"""The eurasia-kg application: SPARQL 1.1 endpoint, pages, validation service, dataset description.

create_app(config) opens the dataset (by default it builds it: parse, reason, validate; or it
opens a built store, or a remote store: server/sources, server/remote) and registers one blueprint per surface.
"""

from __future__ import annotations

import time
from pathlib import Path

from flask import Flask, request
from flask_cors import CORS

from ..graph.dataset import build_dataset
from ..graph.store import StoreError
from ..ontology import PREFIXES
from . import meta, plain, responses, sparql, validate
from .illtyped import report_ill_typed_literals
from .pages import entities, network, search, statements
from .pages.describe import Describer
from .query.pool import QueryPool
from .remote.client import RemoteError
from .remote.source import RemoteSource
from .response_cache import ResponseCache
from .security import add_security_headers
from .sources.base import Source
from .sources.oxigraph import EmbeddedSource, StoreSource

DEFAULTS = {
    "DATA_FILES": None,          # RDF files served instead of the shipped graph
    "WITH_SHIPPED": None,        # also serve the shipped graph beside DATA_FILES
    "NAMED_GRAPH_FILES": {},     # {graph IRI: file} loaded as named graphs, as they are
    "PLAIN": False,              # serve the files as they are: no ontology, reasoning, shapes, pages
    "BASE": None,                # the base IRI of the files (default: each file's file: IRI)
    "REASONER": "auto",          # the OWL 2 RL engine (graph.reasoning.choose_reasoner)
    "STORE": None,               # a store made by `eurasia-kg build`, opened read-only
    "REMOTE": None,              # a SPARQL store the data was published to
    "REMOTE_AUTH": None,         # (user, password) for the remote store
    "REMOTE_TIMEOUT": 30.0,      # seconds for the pages' requests to the remote store
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


class SourceUnavailable(StartupError):
    """The configured store or remote store is missing, unusable or unreachable."""


#: The embedded source was called ServedDataset before built stores and remote stores came.
ServedDataset = EmbeddedSource


def load_served(config) -> Source:
    """Open the configured source: a built store, a remote store, or the data built in memory."""
    if config["STORE"]:
        try:
            return StoreSource(Path(config["STORE"]))
        except StoreError as exc:
            raise SourceUnavailable(str(exc)) from exc
    if config["REMOTE"]:
        try:
            return RemoteSource(config["REMOTE"], auth=config["REMOTE_AUTH"],
                                timeout=config["REMOTE_TIMEOUT"])
        except (RemoteError, ValueError) as exc:  # ValueError: not an http(s) URL
            raise SourceUnavailable(str(exc)) from exc
    return build_embedded(config)


def build_embedded(config) -> EmbeddedSource:
    """Build (graph.dataset.build_dataset, as `eurasia-kg build` does) and validate in memory."""
    started = time.perf_counter()
    built = build_dataset(config["DATA_FILES"], named_graph_files=config["NAMED_GRAPH_FILES"],
                          with_shipped=config["WITH_SHIPPED"], plain=config["PLAIN"],
                          base=config["BASE"], reasoner=config["REASONER"],
                          validate=config["VALIDATE"] and not config["PLAIN"])
    if built.report is not None and not built.report.conforms:
        raise StartupError("the data does not conform to the shapes:\n" + built.report.to_text())
    # Its version (built.version) changes when an input file (data, ontology, shapes) or an
    # option that changes the data (plain, base, graph names) changes, and only then.
    return EmbeddedSource(built, build_seconds=time.perf_counter() - started)


def create_app(config: dict | None = None) -> Flask:
    """Create the Flask application; config overrides DEFAULTS (tests pass small fixtures)."""
    # instance_path is given because Flask cannot infer it inside the eurasia_kg namespace.
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent / "instance"))
    app.config.from_mapping(DEFAULTS)
    app.config.update(config or {})
    app.json.sort_keys = False
    report_ill_typed_literals()
    served = load_served(app.config)
    app.extensions["eurasia_kg.dataset"] = served
    # Built before gunicorn forks its workers, so they share it and the first page is fast.
    app.extensions["eurasia_kg.describer"] = Describer(served)
    app.extensions["eurasia_kg.pool"] = QueryPool(
        served.executor_source, size=app.config["EXECUTORS"],
        timeout=app.config["QUERY_TIMEOUT"], max_rows=app.config["MAX_ROWS"], prefixes=PREFIXES)
    app.extensions["eurasia_kg.cache"] = (sparql.AnswerCache(app.config["QUERY_CACHE_ENTRIES"])
                                          if app.config["QUERY_CACHE"] else None)

    # Browser clients on other origins (YASGUI elsewhere) may query and read the description;
    # nothing here uses cookies, so no credentials are allowed.
    CORS(app, resources={r"/sparql": {}, r"/.well-known/void": {}, r"/download/*": {},
                         r"/validate": {}}, origins="*", expose_headers=["ETag"], max_age=86400)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(validate.bp)
    app.register_blueprint(meta.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(network.bp)
    app.register_blueprint(statements.bp)
    app.register_blueprint(plain.bp)  # serve --plain: the essay's pages off
    app.after_request(add_security_headers)
    if app.config["QUERY_CACHE"]:  # a repeated GET /sparql answered before Flask is reached
        app.wsgi_app = ResponseCache(app.wsgi_app, entries=app.config["QUERY_CACHE_ENTRIES"])

    @app.errorhandler(404)
    def page_not_found(error):
        return entities.not_found(request.path, request.accept_mimetypes.best_match(
            ["text/html", "text/plain"]) == "text/html")

    @app.errorhandler(RemoteError)
    def remote_store_failed(error):
        # serve --remote: the store went away after start; the page says so, the log says why.
        app.logger.error("the remote store failed: %s", error)
        return responses.text(502, "The data store behind this service did not answer; "
                                   "try again later.")
    return app
