"""How every surface answers: plain-text errors, caching headers, RDF graphs in a chosen format."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request
from rdflib import Graph

from . import formats

#: The dataset never changes while the service runs; a new version has new ETags.
CACHE_CONTROL = "public, max-age=300"


def text(status: int, message: str, headers: dict | None = None) -> Response:
    """Return a text/plain response (errors: the message says what to change)."""
    response = Response(message.rstrip("\n") + "\n", status=status,
                        content_type="text/plain; charset=utf-8")
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


def not_acceptable(kinds: tuple, also: str = "") -> Response:
    """Return 406 with the media types offered for the kinds of result."""
    return text(406, "Offered: " + formats.offered_list(kinds) + (f", {also}" if also else "") + ".")


def finish(response: Response, key) -> Response:
    """Add caching headers derived from the dataset version and answer 304 where it matches."""
    served = current_app.extensions["eurasia_kg.dataset"]
    digest = hashlib.sha256(f"{served.version}|{key}|{response.content_type}".encode()).hexdigest()
    response.set_etag(digest[:32])
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.vary.add("Accept")
    return response.make_conditional(request)


def rdf(graph: Graph, fmt: formats.Format, key) -> Response:
    """Return a graph serialised in a registry format, with caching headers."""
    return finish(Response(graph.serialize(format=fmt.rdflib), content_type=fmt.content_type), key)
