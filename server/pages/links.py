"""How pages name and link what they show: the app's describer, where a term is shown, the
words for a property between two names, and a source's name.

Every blueprint that renders pages uses these; none imports another blueprint.
"""

from __future__ import annotations

from flask import current_app, url_for
from rdflib import URIRef

from ...ontology import EKG, EKGID
from .describe import Describer
from .reading import verb_phrase


def describer() -> Describer:
    """Return the app's Describer (made by create_app, before workers fork)."""
    return current_app.extensions["eurasia_kg.describer"]


def href(term) -> str:
    """Return where a term is shown: entities and terms here, other IRIs where they live."""
    text = str(term)
    if text.startswith(str(EKGID)):
        return url_for("pages.entity", local=text[len(str(EKGID)):])
    if text.startswith(str(EKG)):
        return url_for("pages.ontology") + "#" + text[len(str(EKG)):]
    if isinstance(term, URIRef):
        return text
    return "#"


def link_phrase(p) -> str:
    """Return a property's label as the verb phrase between two names."""
    return verb_phrase(describer().label(p))


def source_name(url) -> str:
    """Name a source or a match for people: a Wikidata item by its identifier, else its address."""
    text = str(url)
    for prefix in ("https://www.wikidata.org/wiki/", "http://www.wikidata.org/entity/"):
        if text.startswith(prefix) and "/" not in text[len(prefix):]:
            return f"Wikidata {text[len(prefix):]}"
    return text
