"""Read RDF files with pyoxigraph: every format it reads, relative IRIs against the file's own IRI.

pyoxigraph keeps each literal's lexical form ("2006-08-23Z"^^xsd:date keeps its timezone,
"yes"^^xsd:boolean stays "yes"), resolves relative IRIs (<>, <abc>, rdf:resource="")
against a base, and never fetches anything (not even a JSON-LD context).

content_hash tells whether input files are the ones read before: the dataset's version and
the key of its cached inferences are made from it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pyoxigraph as ox

from .terms import ToRdflib, check_literals

#: File suffixes pyoxigraph does not name itself.
_SUFFIXES = {"owl": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML}
_POSITION = re.compile(r"^Parser error at line (\d+) (?:column (\d+)|between columns (\d+) and \d+): ")


class DataError(Exception):
    """An input file cannot be read or parsed; the message names the file and line."""


def rdf_format(name: str) -> ox.RdfFormat:
    """Return the RDF format of a file, from its suffix (Turtle when the suffix says nothing)."""
    suffix = str(name).rsplit("/", 1)[-1].rsplit(".", 1)[-1].lower() if "." in str(name) else ""
    return _SUFFIXES.get(suffix) or ox.RdfFormat.from_extension(suffix) or ox.RdfFormat.TURTLE


def file_iri(source) -> str:
    """Return the file: IRI of a file, the base its relative IRIs resolve against."""
    return Path(str(source)).resolve().as_uri()


def content_hash(sources, *extra: bytes) -> str:
    """Return a SHA-256 over the names and bytes of files (and extra bytes), in order."""
    digest = hashlib.sha256()
    for part in extra:
        digest.update(hashlib.sha256(part).digest())
    for source in sources:
        digest.update(str(source).rsplit("/", 1)[-1].encode())
        data = source.read_bytes() if hasattr(source, "read_bytes") else Path(source).read_bytes()
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def describe_parse_error(exc: Exception) -> str:
    """Return pyoxigraph's error as "line N, column C: message" where it gives the position."""
    text = str(exc.args[0]) if exc.args else str(exc)
    found = _POSITION.match(text)
    if found:  # "Parser error at line 5 column 1: Unexpected end"
        return f"line {found.group(1)}, column {found.group(2) or found.group(3)}: {text[found.end():]}"
    line = getattr(exc, "lineno", None)
    return f"line {line}: {text}" if line else text


def parse_bytes(data: bytes, fmt: ox.RdfFormat, base: str | None, name: str) -> list:
    """Parse RDF bytes with pyoxigraph; return its quads. Raises DataError naming name."""
    try:  # blank node labels are the file's own: two files' _:b are two blank nodes
        return list(ox.parse(data, format=fmt, base_iri=base, rename_blank_nodes=True))
    except (SyntaxError, ValueError) as exc:
        raise DataError(f"{name}: {describe_parse_error(exc)}") from exc


def parse_file(source, base: str | None = None) -> list:
    """Parse one RDF file (any format pyoxigraph reads, by suffix) and return its quads.

    base: the IRI relative IRIs resolve against; by default the file's own file: IRI.
    Raises DataError naming the file and, where the parser reports one, the line.
    """
    name = str(source)
    try:
        data = source.read_bytes() if hasattr(source, "read_bytes") else Path(source).read_bytes()
    except OSError as exc:
        raise DataError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    return parse_bytes(data, rdf_format(name), base or file_iri(source), name)


def parse_into(graph, source, base: str | None = None):
    """Parse one RDF file into an rdflib graph (every triple, whatever graph the file puts it
    in), literals as the file writes them; return the graph."""
    quads = parse_file(source, base)
    convert = ToRdflib(check_literals(q.object for q in quads))
    for quad in quads:
        graph.add(convert.triple(quad))
    return graph
