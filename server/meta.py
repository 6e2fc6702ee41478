"""About the dataset: liveness, VoID + DCAT description, downloads of the whole dataset."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request, url_for
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from ..ontology import EKGID, PREFIXES
from . import formats, responses

bp = Blueprint("meta", __name__)

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = URIRef("https://w3id.org/eurasia-kg/id/dataset")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


@bp.route("/healthz")
def healthz():
    """Liveness: the dataset is loaded."""
    served = current_app.extensions["eurasia_kg.dataset"]
    return {"status": "ok", "version": served.version, "triples": served.total_triples()}


@bp.route("/.well-known/void")
def void():
    """Describe the dataset with VoID and DCAT, in the negotiated RDF format."""
    chosen = formats.negotiate(request.accept_mimetypes, ("graph",), request.args.get("format"))
    if chosen is None:
        return responses.not_acceptable(("graph",))
    return responses.rdf(describe_dataset(), chosen, "void")


def describe_dataset() -> Graph:
    """Return the VoID + DCAT description of the served dataset."""
    served = current_app.extensions["eurasia_kg.dataset"]
    stats = served.stats()
    graph = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF)):
        graph.bind(prefix, ns)
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    if served.plain:  # someone's files: nothing is known of their title, source or licence
        graph.add((DATASET, DCTERMS.title, Literal("RDF files served as they are", lang="en")))
        graph.add((DATASET, VOID.triples, Literal(served.total_triples(), datatype=XSD.integer)))
    else:
        _describe_the_essay_graph(graph, len(served.view("all")))
    graph.add((DATASET, DCTERMS.hasVersion, Literal(served.version)))
    graph.add((DATASET, VOID.classes, Literal(stats["classes"], datatype=XSD.integer)))
    graph.add((DATASET, VOID.entities, Literal(stats["entities"], datatype=XSD.integer)))
    endpoint = URIRef(url_for("sparql.endpoint", _external=True))
    graph.add((DATASET, VOID.sparqlEndpoint, endpoint))
    service = URIRef(str(endpoint) + "#service")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCAT.servesDataset, DATASET))
    for fmt in formats.DOWNLOADS:
        url = URIRef(url_for("meta.download", suffix=fmt.suffix, _external=True))
        graph.add((DATASET, VOID.dataDump, url))
        distribution = URIRef(str(url) + "#distribution")
        graph.add((DATASET, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCAT.mediaType,
                   URIRef(f"https://www.iana.org/assignments/media-types/{fmt.media_type}")))
        if not served.plain:
            graph.add((distribution, DCTERMS.license, LICENSE))
    for name, count in served.triple_counts().items():
        subset = URIRef(name)
        graph.add((DATASET, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(count, datatype=XSD.integer)))
    return graph


def _describe_the_essay_graph(graph: Graph, triples: int) -> None:
    """Add what the essay graph's description says: title, source, licence, vocabularies."""
    graph.add((DATASET, DCTERMS.title, Literal("eurasia-kg: the actors and relations of Zhao "
                                               "Huasheng's essay on China and Russia", lang="en")))
    graph.add((DATASET, DCTERMS.description, Literal(
        "A knowledge graph of Zhao Huasheng's essay 'China and Russia: Dialog in the Face of "
        "External Challenges', every statement traced to its paragraph and a verbatim quote.",
        lang="en")))
    graph.add((DATASET, DCTERMS.license, LICENSE))
    graph.add((DATASET, DCTERMS.source, EKGID.essay))
    graph.add((DATASET, VOID.triples, Literal(triples, datatype=XSD.integer)))
    graph.add((DATASET, VOID.uriSpace, Literal(str(EKGID))))
    for prefix in ("ekg", "ekgid"):
        graph.add((DATASET, VOID.vocabulary, URIRef(str(PREFIXES[prefix]))))


@bp.route("/download/eurasia-kg.<suffix>")
def download(suffix: str):
    """Download the whole dataset (asserted and inferred) as Turtle, N-Triples, JSON-LD, TriG."""
    fmt = next((f for f in formats.DOWNLOADS if f.suffix == suffix), None)
    if fmt is None:
        abort(404)
    served = current_app.extensions["eurasia_kg.dataset"]
    response = Response(served.dump(fmt), content_type=fmt.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="eurasia-kg.{suffix}"'
    return responses.finish(response, f"download-{suffix}")
