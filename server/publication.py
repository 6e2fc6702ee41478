"""Publish a built store to a remote SPARQL 1.1 store, and read back what was published.

A publication is one named graph per part of the dataset (ontology, essay, background, data,
inferred: the built store's graphs, under the same IRIs) and a meta graph saying which graphs
make up the version, with their triple counts, the manifest and the validation report.
Blank nodes are written as skolem IRIs (sources.GENID), which `serve --remote` reads back as
blank nodes.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ..graph.store import REPORT, StoreError, open_store
from .sources import GENID, META_GRAPH

VOID = "http://rdfs.org/ns/void#"
#: The node the meta graph describes.
PUBLICATION = URIRef(str(META_GRAPH).rsplit("/", 1)[0])
_BLANK = re.compile(r"_:([A-Za-z0-9_\-.]+)")


def skolemize_line(line: str) -> str:
    """Replace blank nodes of an N-Triples line by skolem IRIs (no blank node in strings here:
    pyoxigraph writes a literal's text between quotes, so only terms are rewritten)."""
    if "_:" not in line:
        return line
    parts = re.split(r'("(?:[^"\\]|\\.)*"|<[^>]*>)', line)  # keep literals and IRIs as they are
    return "".join(p if i % 2 else _BLANK.sub(lambda m: f"<{GENID}{m.group(1)}>", p)
                   for i, p in enumerate(parts))


def export_parts(store_path: Path, folder: Path) -> dict:
    """Write each graph of a built store as skolemized N-Triples; return {graph IRI: file}."""
    import pyoxigraph as ox

    manifest, store = open_store(store_path)
    parts = {}
    for index, name in enumerate(manifest.graphs):
        raw = folder / f"part-{index}.raw.nt"
        store.dump(output=str(raw), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        path = folder / f"part-{index}.nt"
        with open(raw, encoding="utf-8") as source, open(path, "w", encoding="utf-8") as target:
            for line in source:
                target.write(skolemize_line(line))
        raw.unlink()
        parts[name] = path
    return parts


def meta_graph(store_path: Path) -> Graph:
    """Return the meta graph of a publication: version, graphs with counts, manifest, report."""
    manifest, _ = open_store(store_path)
    graph = Graph()
    graph.add((PUBLICATION, RDF.type, URIRef(VOID + "Dataset")))
    graph.add((PUBLICATION, DCTERMS.hasVersion, Literal(manifest.version)))
    graph.add((PUBLICATION, RDFS.comment, Literal(json.dumps(manifest.data, sort_keys=True),
                                                  datatype=RDF.JSON)))
    for order, (name, count) in enumerate(manifest.graphs.items()):
        graph.add((PUBLICATION, URIRef(VOID + "subset"), URIRef(name)))
        graph.add((URIRef(name), URIRef(VOID + "triples"), Literal(count, datatype=XSD.integer)))
    report = Path(store_path) / REPORT
    if report.is_file():
        for s, p, o in Graph().parse(report, format="turtle"):
            graph.add(tuple(URIRef(GENID + str(t)) if isinstance(t, BNode) else t for t in (s, p, o)))
    return graph


def publish_store(store_path: Path, url: str, *, auth=None, progress=None) -> dict:
    """Publish a built store to the SPARQL store at url; return {graph IRI: verified count}."""
    from .remote import RemoteStore, publish

    manifest, _ = open_store(store_path)
    if manifest.data.get("plain"):
        raise StoreError(f"{store_path} is a plain store (build --plain): its files' default graph "
                         "has no name to publish under; serve it with `eurasia-kg serve --store`")
    remote = RemoteStore(url, auth=auth, timeout=600.0)
    with tempfile.TemporaryDirectory(prefix="eurasia-kg-publish-") as tmp:
        parts = export_parts(Path(store_path), Path(tmp))
        meta = meta_graph(store_path).serialize(format="nt", encoding="utf-8")
        return publish(remote, parts, version=manifest.version, meta_graph=str(META_GRAPH),
                       meta_ntriples=meta, progress=progress)


def read_publication(remote, meta_graph: str) -> dict:
    """Read the manifest of the publication at a remote store; raise RemoteError if there is none."""
    from .remote import RemoteError

    rows = remote.select(
        f"SELECT ?m WHERE {{ GRAPH <{meta_graph}> {{ <{PUBLICATION}> <{RDFS.comment}> ?m }} }}",
        named_graphs=[meta_graph])
    if not rows:
        raise RemoteError(f"{getattr(remote, 'url', remote)} holds no eurasia-kg publication "
                          f"(no graph <{meta_graph}>): publish one with `eurasia-kg publish`")
    try:
        manifest = json.loads(rows[0]["m"]["value"])
    except ValueError as exc:
        raise RemoteError(f"the publication's manifest in <{meta_graph}> is unreadable: {exc}") from exc
    return manifest
