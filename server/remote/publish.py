"""Publish a built store to a remote SPARQL 1.1 store, and read back what was published.

A publication is one named graph per part of the dataset (ontology, essay, background, data,
inferred: the built store's graphs, under the same IRIs) and a meta graph saying which graphs
make up the version, with their triple counts, the manifest and the validation report.
Blank nodes are written as skolem IRIs (remote.skolem), which `serve --remote` reads back as
blank nodes. A new version replaces the old one in a single SPARQL Update request (publish).
"""

from __future__ import annotations

import json
import re
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from ...graph.store import REPORT, StoreError, open_store
from ...ontology import EKGID
from .client import RemoteError, RemoteStore, check_iri
from .skolem import skolemize_line, skolemize_term

VOID = "http://rdfs.org/ns/void#"
VOID_SUBSET = VOID + "subset"
_SUBSET_LINE = re.compile(r"^\s*<[^>]*>\s*<" + re.escape(VOID_SUBSET) + r">\s*<([^>]*)>\s*\.\s*$")
#: The graph a publication's manifest (version, graphs, counts, validation report) is kept in.
META_GRAPH = URIRef(str(EKGID) + "dataset/meta")
#: The node the meta graph describes.
PUBLICATION = URIRef(str(META_GRAPH).rsplit("/", 1)[0])


def count_lines(ntriples: Path | bytes) -> int:
    """Count the triples of an N-Triples document: its non-empty, non-comment lines."""
    if isinstance(ntriples, (bytes, bytearray)):
        lines = bytes(ntriples).splitlines()
    else:
        lines = open(ntriples, "rb")
    try:
        return sum(1 for line in lines if line.strip() and not line.lstrip().startswith(b"#"))
    finally:
        if hasattr(lines, "close"):
            lines.close()


def staging_iri(iri: str, version: str) -> str:
    """Return the graph a part is loaded into before the switch: iri with the version after it."""
    tag = "staging-" + urllib.parse.quote(version, safe="")
    return iri + ("-" if "#" in iri else "#") + tag


def _listed_meta(meta_ntriples: bytes, meta_graph: str, parts) -> bytes:
    """Return the meta graph's N-Triples with a void:subset line for each part it does not list."""
    listed = set()
    for line in meta_ntriples.decode("utf-8").splitlines():
        found = _SUBSET_LINE.match(line)
        if found:
            listed.add(found.group(1))
    text = meta_ntriples
    if text and not text.endswith(b"\n"):
        text += b"\n"
    extra = "".join(f"<{meta_graph}> <{VOID_SUBSET}> <{p}> .\n" for p in parts if p not in listed)
    return text + extra.encode("utf-8")


def previous_parts(remote: RemoteStore, meta_graph: str) -> list[str]:
    """Return the graphs the published version lists in its meta graph (void:subset)."""
    rows = remote.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH <{meta_graph}> "
                         f"{{ ?version <{VOID_SUBSET}> ?g }} }}")
    return [r["g"]["value"] for r in rows if r.get("g", {}).get("type") == "uri"]


def publish(remote: RemoteStore, parts: dict[str, Path], *, version: str, meta_graph: str,
            meta_ntriples: bytes, progress=None) -> dict[str, int]:
    """Replace the published version in a remote store with parts; return {graph IRI: count}.

    parts maps each graph IRI to an N-Triples file; the meta graph (meta_ntriples, given a
    void:subset line for each part it does not list) says which graphs make up the version.
    Every part and the meta graph are PUT into staging graphs (staging_iri) and their counts
    checked against the files' lines. Then ONE SPARQL Update request MOVEs each staging graph
    onto its graph, DROPs the graphs the old meta graph lists that are no longer parts, and
    moves the new meta graph in. The final counts are checked last.

    A failure before the switch drops the staging graphs and raises RemoteError: the previous
    version is untouched. How atomic the switch is depends on the store. Oxigraph applies an
    update request in one transaction: readers see the old version or the new one, and a
    failed switch changes nothing. Virtuoso 7.2 does the best it allows, not more: its
    endpoint commits the operations before a failing one (so a failed switch may leave parts of
    both versions; its MOVE and DROP SILENT do not fail on missing graphs, which leaves the
    store itself as the only cause), and a concurrent reader can see a graph half moved when
    the same triples are in other graphs too (measured on 7.2.5). RemoteError says so and to
    publish again.
    progress, if given, is called with a line of text at each step.
    """
    say = progress or (lambda message: None)
    check_iri(meta_graph)
    for iri in parts:
        check_iri(iri)
    if meta_graph in parts:
        raise ValueError(f"the meta graph <{meta_graph}> cannot also be a part")
    meta = _listed_meta(meta_ntriples, meta_graph, list(parts))
    loads = {iri: Path(path) for iri, path in parts.items()}
    loads[meta_graph] = meta
    staged: list[str] = []
    expected: dict[str, int] = {}
    try:
        old = previous_parts(remote, meta_graph)
        for iri, source in loads.items():
            expected[iri] = count_lines(source)
            if expected[iri] == 0:
                continue  # an empty part is a dropped graph; stores differ on empty PUTs
            stage = staging_iri(iri, version)
            started = time.perf_counter()
            staged.append(stage)
            what = "the meta graph" if iri == meta_graph else source
            try:
                remote.put_graph(stage, source)
            except RemoteError as error:
                raise RemoteError(f"<{iri}>: the store refused {what}: {error}", url=error.url,
                                  status=error.status, text=error.text) from error
            found = remote.count(stage)
            if found != expected[iri]:
                raise RemoteError(f"<{iri}>: the store holds {found} triples of the "
                                  f"{expected[iri]} sent")
            say(f"staged <{iri}>: {found} triple(s) in {time.perf_counter() - started:.1f} s")
    except BaseException as error:
        _drop_quietly(remote, staged)
        if isinstance(error, RemoteError) or not isinstance(error, Exception):
            raise
        raise RemoteError(f"publishing version {version} failed before the switch: "
                          f"{error}") from error

    operations = []
    for iri in loads:
        if expected[iri]:
            operations.append(f"MOVE <{staging_iri(iri, version)}> TO <{iri}>")
        else:
            operations.append(f"DROP SILENT GRAPH <{iri}>")
    for iri in old:
        if iri not in loads:
            operations.append(f"DROP SILENT GRAPH <{check_iri(iri)}>")
    started = time.perf_counter()
    try:
        remote.update(" ;\n".join(operations))
    except RemoteError as error:
        _drop_quietly(remote, staged)
        raise RemoteError(f"the switch to version {version} failed ({error}); a store that does "
                          f"not apply an update atomically may hold parts of both versions: "
                          f"publish again", url=error.url, status=error.status,
                          text=error.text) from error
    say(f"switched to version {version} ({len(operations)} operations) in "
        f"{time.perf_counter() - started:.1f} s")

    counts = {iri: remote.count(iri) for iri in loads}
    wrong = {iri: (counts[iri], expected[iri]) for iri in loads if counts[iri] != expected[iri]}
    if wrong:
        listing = ", ".join(f"<{i}> holds {n} of {e}" for i, (n, e) in wrong.items())
        raise RemoteError(f"after the switch to version {version}: {listing}")
    return counts


def _drop_quietly(remote: RemoteStore, graphs) -> None:
    for iri in graphs:
        try:
            remote.delete_graph(iri)
        except RemoteError:
            pass  # the first error is the one to report


def export_parts(store_path: Path, folder: Path) -> dict:
    """Write each graph of a built store as skolemized N-Triples; return {graph IRI: file}."""
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
            graph.add(tuple(skolemize_term(t) for t in (s, p, o)))
    return graph


def publish_store(store_path: Path, url: str, *, auth=None, progress=None) -> dict:
    """Publish a built store to the SPARQL store at url; return {graph IRI: verified count}."""
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
