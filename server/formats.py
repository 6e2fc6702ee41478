"""One registry of the formats the service speaks: media type, short name, suffix, engines."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """A serialisation the service can answer with."""

    name: str          #: short name for ?format= and file suffixes
    media_type: str    #: the Content-Type it is sent with
    kind: str          #: "results" (SELECT/ASK), "graph" (CONSTRUCT/DESCRIBE), "dataset", "html"
    suffix: str        #: file suffix of downloads and entity data
    rdflib: str | None = None   #: rdflib's parser/serializer name
    oxigraph: str | None = None  #: attribute of pyoxigraph.RdfFormat / QueryResultsFormat
    aliases: tuple = ()         #: other media types accepted for it

    @property
    def content_type(self) -> str:
        """Return the Content-Type header value (with charset for text formats)."""
        return f"{self.media_type}; charset=utf-8"


FORMATS = (
    Format("json", "application/sparql-results+json", "results", "srj", None, "JSON",
           ("application/json",)),
    Format("xml", "application/sparql-results+xml", "results", "srx", None, "XML",
           ("application/xml", "text/xml")),
    Format("csv", "text/csv", "results", "csv", None, "CSV"),
    Format("tsv", "text/tab-separated-values", "results", "tsv", None, "TSV"),
    Format("ttl", "text/turtle", "graph", "ttl", "turtle", "TURTLE", ("application/x-turtle",)),
    Format("nt", "application/n-triples", "graph", "nt", "nt", "N_TRIPLES", ("text/plain",)),
    Format("jsonld", "application/ld+json", "graph", "jsonld", "json-ld", "JSON_LD"),
    Format("rdf", "application/rdf+xml", "graph", "rdf", "xml", "RDF_XML"),
    Format("trig", "application/trig", "dataset", "trig", "trig", "TRIG"),
    Format("nq", "application/n-quads", "dataset", "nq", "nquads", "N_QUADS"),
    Format("html", "text/html", "html", "html"),
)

BY_NAME = {f.name: f for f in FORMATS}
#: The formats the whole dataset is downloaded in (/download/eurasia-kg.SUFFIX), in link order.
DOWNLOADS = tuple(BY_NAME[n] for n in ("ttl", "nt", "jsonld", "trig", "nq"))
BY_MEDIA_TYPE = {m: f for f in FORMATS for m in (f.media_type, *f.aliases)}


#: Values of ?format= (and ?output=, ?results=) that clients send, per kind of result: our short
#: names, and what SPARQLWrapper, Fuseki and Virtuoso users write ("xml" is RDF/XML for a graph).
FORMAT_PARAMETER_NAMES = {
    **{("results", n): n for n in ("json", "xml", "csv", "tsv", "html")},
    ("results", "srj"): "json", ("results", "srx"): "xml", ("results", "text"): "tsv",
    **{("graph", n): n for n in ("ttl", "nt", "jsonld", "rdf", "html")},
    **{("graph", n): "ttl" for n in ("turtle", "n3")},
    **{("graph", n): "nt" for n in ("ntriples", "n-triples")},
    **{("graph", n): "jsonld" for n in ("json-ld", "json")},
    **{("graph", n): "rdf" for n in ("xml", "rdf+xml", "rdfxml", "rdf/xml")},
}


def of_kind(*kinds: str) -> list[Format]:
    """Return the formats of the given kinds, in registry order (the first is the default)."""
    return [f for f in FORMATS if f.kind in kinds]


def negotiate(accept, kinds: tuple, format_param: str | None = None) -> Format | None:
    """Choose a format of the given kinds from a ?format= short name or the Accept header.

    accept is a werkzeug MIMEAccept (q-values and wildcards are honoured). Returns None when
    nothing offered is acceptable (the caller answers 406).
    """
    offered = of_kind(*kinds)
    if format_param:
        name = FORMAT_PARAMETER_NAMES.get((kinds[0], format_param.lower()))
        chosen = BY_NAME.get(name) if name else BY_MEDIA_TYPE.get(format_param)
        return chosen if chosen in offered else None
    if not accept:
        return offered[0]
    media_types = [f.media_type for f in offered] + [a for f in offered for a in f.aliases]
    # Ties go to the earlier offer, so "*/*" (curl, SPARQLWrapper) gets the standard format.
    best = accept.best_match(media_types)
    return None if best is None else BY_MEDIA_TYPE[best]


def offered_list(kinds: tuple) -> str:
    """Return the media types offered for the kinds, for a 406 message."""
    return ", ".join(f.media_type for f in of_kind(*kinds))


def rdf_format(fmt: Format) -> ox.RdfFormat:
    """Return pyoxigraph's RdfFormat of a graph or dataset format."""
    return getattr(ox.RdfFormat, fmt.oxigraph)


def results_format(fmt: Format) -> ox.QueryResultsFormat:
    """Return pyoxigraph's QueryResultsFormat of a results format."""
    return getattr(ox.QueryResultsFormat, fmt.oxigraph)


def rdf_format_of(content_type: str) -> ox.RdfFormat:
    """Return the RdfFormat of a response's Content-Type (N-Triples when it names none we know)."""
    fmt = BY_MEDIA_TYPE.get(content_type.split(";")[0].strip().lower())
    return rdf_format(fmt) if fmt is not None and fmt.kind in ("graph", "dataset") else ox.RdfFormat.N_TRIPLES
