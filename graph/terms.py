"""RDF terms between pyoxigraph, which parses and serves the data, and rdflib, which reasons
and validates: lexical forms kept, ill-typed literals found and left as they are.

rdflib would normalise a typed literal it can read ("2006-08-23Z"^^xsd:date loses its
timezone, "yes"^^xsd:boolean becomes "false"), so every literal is made with normalize=False.
Whether a literal is ill-typed is decided by pyoxigraph's XSD casts, not by rdflib's parsers
(which reject "2005-04-04T24:00:00"^^xsd:dateTime) nor owlrl's (which reject
"0.0"^^xsd:double).
"""

from __future__ import annotations

import logging
import threading
import warnings
from contextlib import contextmanager
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
#: The datatypes pyoxigraph has a cast for: a literal of one of them is ill-typed when the cast
#: of its lexical form fails. Literals of other datatypes are not checked.
CHECKED_DATATYPES = tuple(XSD + name for name in (
    "boolean", "integer", "decimal", "double", "float", "dateTime", "date", "time", "gYear",
    "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration", "yearMonthDuration",
    "dayTimeDuration"))
_CHECKED = frozenset(CHECKED_DATATYPES)
_ITEM = "urn:eurasia-kg:literal-check:"


class _WhileQuiet(logging.Filter):
    """Drop rdflib's records in a thread that is inside quiet_rdflib (and only there)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(_STATE, "quiet", False)


_STATE = threading.local()
logging.getLogger("rdflib.term").addFilter(_WhileQuiet())


@contextmanager
def quiet_rdflib(warnings_too: bool = True):
    """Keep rdflib from logging tracebacks (this thread) and, with warnings_too, from printing
    warnings (Python's warning filters are the process's: for a build, not for every page)."""
    before = getattr(_STATE, "quiet", False)
    _STATE.quiet = True
    try:
        if warnings_too:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
        else:
            yield
    finally:
        _STATE.quiet = before


def check_literals(literals) -> dict:
    """Return {literal: its canonical form, or None when it is ill-typed} for the literals of
    CHECKED_DATATYPES among literals (pyoxigraph Literals); others are left out."""
    candidates = list({lit for lit in literals
                       if isinstance(lit, ox.Literal) and lit.datatype.value in _CHECKED})
    if not candidates:
        return {}
    store = ox.Store()
    predicate = ox.NamedNode(_ITEM + "value")
    store.extend(ox.Quad(ox.NamedNode(f"{_ITEM}{i}"), predicate, lit)
                 for i, lit in enumerate(candidates))
    used = sorted({lit.datatype.value for lit in candidates})
    cast = "?none"
    for datatype in used:  # IF(datatype = D, D(STR(?o)), ...): an error leaves ?c unbound
        cast = f"IF(DATATYPE(?o) = <{datatype}>, <{datatype}>(STR(?o)), {cast})"
    found = {}
    for row in store.query(f"SELECT ?s ?c WHERE {{ ?s <{predicate.value}> ?o BIND({cast} AS ?c) }}"):
        found[candidates[int(row["s"].value[len(_ITEM):])]] = row["c"]
    return found


@lru_cache(maxsize=65536)
def canonical_form(lexical: str, datatype: str) -> str:
    """Return the lexical form pyoxigraph holds a literal in ("1"^^xsd:boolean as "true"); an
    ill-typed literal, or one of a datatype it does not check, keeps its own."""
    if datatype not in _CHECKED:
        return lexical
    text = f"SELECT (<{datatype}>({ox.Literal(lexical)}) AS ?c) {{}}"
    value = next(iter(_EMPTY.query(text)))["c"]
    return lexical if value is None else value.value


_EMPTY = ox.Store()


def ill_typed(literals) -> list:
    """Return the ill-typed literals among literals (pyoxigraph Literals), in a stable order."""
    return sorted((lit for lit, canonical in check_literals(literals).items() if canonical is None),
                  key=str)


def to_rdflib(term, checked: dict | None = None):
    """Convert a pyoxigraph term to rdflib, keeping a literal's lexical form.

    checked: check_literals' answer, if known. Where rdflib's parser rejects a form that XSD
    allows ("24:00:00"), the rdflib literal keeps its lexical form but takes the value of the
    canonical form, so that SHACL's sh:datatype does not call it ill-typed.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise TypeError(f"cannot convert {term!r} to rdflib")
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:  # RDF 1.1: the same term as a plain literal, as rdflib parses it
        return Literal(term.value)
    # rdflib warns (a warning, not a log record) only of a boolean that is neither true nor false.
    weird_boolean = datatype == XSD + "boolean" and term.value not in ("true", "false", "1", "0")
    with quiet_rdflib(warnings_too=weird_boolean):
        literal = Literal(term.value, datatype=URIRef(datatype), normalize=False)
        canonical = checked.get(term) if checked else None
        if literal.ill_typed and canonical is not None:
            value = Literal(canonical.value, datatype=URIRef(datatype)).value
            if value is not None:
                literal._value, literal._ill_typed = value, False
    return literal


class ToRdflib:
    """Convert the terms of one build to rdflib (see to_rdflib), each distinct term once."""

    def __init__(self, checked: dict | None = None):
        self.checked = checked or {}
        self._known: dict = {}

    def __call__(self, term):
        known = self._known.get(term)
        if known is None:
            known = self._known[term] = to_rdflib(term, self.checked)
        return known

    def triple(self, triple) -> tuple:
        """Convert a pyoxigraph Triple or Quad to an rdflib (s, p, o)."""
        return self(triple.subject), self(triple.predicate), self(triple.object)


def to_oxigraph(term):
    """Convert an rdflib term to pyoxigraph (the lexical form as it is)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to pyoxigraph")


def to_oxigraph_triples(graph) -> list:
    """Convert the triples of an rdflib graph to pyoxigraph Triples, lexical forms as they are."""
    return [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph]
