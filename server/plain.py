"""The plain endpoint (`serve --plain`): anyone's files as they are, the essay's pages off.

A plain dataset has no essay, ontology or shapes, so the surfaces that read them (entity,
class, essay and ontology pages, statements, network, search, the query editor with the
essay's examples, validation) answer 404 with a short notice. The home page says what is
served and where to query it. /sparql, /healthz, the VoID description and the downloads work
as ever.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from . import formats, responses

bp = Blueprint("plain", __name__)

#: The blueprints that read the essay, its ontology or its shapes.
ESSAY_SURFACES = frozenset({"pages", "search", "network", "statements", "validate"})
#: Endpoints of those blueprints that hold nothing of the essay.
KEPT = frozenset({"pages.favicon"})


def _plain() -> bool:
    return current_app.extensions["eurasia_kg.dataset"].plain


@bp.app_context_processor
def plain_mode():
    """Let templates leave out the links to the essay's pages."""
    return {"plain_mode": _plain()}


@bp.before_app_request
def essay_pages_off():
    """In plain mode, answer the essay's pages with the home notice or a 404 notice."""
    if not _plain() or request.blueprint not in ESSAY_SURFACES or request.endpoint in KEPT:
        return None
    if request.endpoint == "pages.home":
        return home()
    message = (f"{request.path} is a page of the essay's reading room, which a plain endpoint "
               f"does not have: this service serves RDF files as they are. Query them at "
               f"{url_for('sparql.endpoint')}.")
    if request.accept_mimetypes.best_match(["text/html", "text/plain"]) == "text/html":
        return render_template("plain.html", notice=message, **_figures()), 404
    return responses.text(404, message)


def home():
    """What a plain endpoint serves: the graphs with their counts, where to query, downloads."""
    return render_template("plain.html", notice=None, **_figures())


def _figures() -> dict:
    served = current_app.extensions["eurasia_kg.dataset"]
    downloads = [{"name": f.name, "href": url_for("meta.download", suffix=f.suffix)}
                 for f in formats.DOWNLOADS]
    return {"default_count": served.default_graph_count(), "graphs": served.triple_counts(),
            "total": served.total_triples(), "version": served.version, "downloads": downloads}
