"""Blank nodes and skolem IRIs: how blank nodes travel to a remote store and back.

A remote store cannot be asked about a blank node it returned, so a publication writes each
blank node as an RDF 1.1 skolem IRI (GENID + label), and every answer read back from the
store turns those IRIs into blank nodes again. This is the one place that mapping is written.
"""

from __future__ import annotations

import re

from rdflib import BNode, URIRef

#: The prefix of the skolem IRIs blank nodes are published as.
GENID = "https://w3id.org/eurasia-kg/.well-known/genid/"
_GENID = re.escape(GENID.encode())
#: A skolem IRI's local part that is a blank node label (others stay IRIs).
_LABEL = rb"([A-Za-z0-9_][A-Za-z0-9_-]*)"
_BLANK = re.compile(r"_:([A-Za-z0-9_\-.]+)")
_SKOLEM_JSON = re.compile(rb'"type"\s*:\s*"uri"\s*,\s*"value"\s*:\s*"' + _GENID + _LABEL + rb'"')
_SKOLEM_TERM = re.compile(rb'("(?:[^"\\\n]|\\.)*")|<' + _GENID + _LABEL + rb">")


def skolemize_line(line: str) -> str:
    """Replace blank nodes of an N-Triples line by skolem IRIs (no blank node in strings here:
    pyoxigraph writes a literal's text between quotes, so only terms are rewritten)."""
    if "_:" not in line:
        return line
    parts = re.split(r'("(?:[^"\\]|\\.)*"|<[^>]*>)', line)  # keep literals and IRIs as they are
    return "".join(p if i % 2 else _BLANK.sub(lambda m: f"<{GENID}{m.group(1)}>", p)
                   for i, p in enumerate(parts))


def skolemize_term(term):
    """Return an rdflib term with a blank node replaced by its skolem IRI."""
    return URIRef(GENID + str(term)) if isinstance(term, BNode) else term


def unskolemize_iri(iri: str):
    """Return the rdflib term an IRI read from the store stands for (a skolem IRI: a blank node)."""
    return BNode(iri[len(GENID):]) if iri.startswith(GENID) else URIRef(iri)


def unskolemize_json(body: bytes) -> bytes:
    """Turn skolem IRIs of SPARQL JSON results back into blank nodes (literals are left alone)."""
    return _SKOLEM_JSON.sub(rb'"type":"bnode","value":"\1"', body)


def unskolemize_ntriples(body: bytes) -> bytes:
    """Turn skolem IRIs of an N-Triples (or Turtle) answer back into blank nodes, not in literals."""
    return _SKOLEM_TERM.sub(lambda m: m.group(1) or b"_:" + m.group(2), body)
