"""A built dataset on disk: parsed, reasoned over and validated once, then opened read-only.

Layout of a built store (the folder given to `eurasia-kg build -o DIR`)::

    DIR -> DIR.builds/<time>-<version>/     a symbolic link, switched atomically
        manifest.json                        written last: a folder without it is half-written
        report.ttl                           the SHACL validation report
        oxigraph/                            a pyoxigraph (RocksDB) store, one named graph per part

A build writes a new folder beside the previous one and only then moves the link, so a build
that fails leaves the store being served untouched. The previous build is kept (a server that
opened it keeps reading it); older ones are removed, but for those a server still reads (it
holds a shared lock on their manifest, see hold).
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from .cache import installed_version
from .dataset import DEFAULT_GRAPH, INFERRED_GRAPH, BuiltDataset, build_dataset, graph_label
from .terms import to_oxigraph

#: The layout this code writes and reads; a store of another format is refused.
STORE_FORMAT = "eurasia-kg-store/1"
MANIFEST = "manifest.json"
REPORT = "report.ttl"
OXIGRAPH_FOLDER = "oxigraph"
KEEP_BUILDS = 2


class StoreError(Exception):
    """A built store is missing, half-written, of another format, or cannot be written."""


class NotConforming(StoreError):
    """The data of a build does not conform to the shapes: nothing was written."""

    def __init__(self, report):
        super().__init__("the data does not conform to the shapes; nothing was written:\n"
                         + report.to_text())
        self.report = report  #: the SHACL validation report (graph.validation)


@dataclass
class Manifest:
    """What a build wrote: version, counts per graph, validation result, timings, tools."""

    data: dict

    @property
    def version(self) -> str:
        return self.data["version"]

    @property
    def graphs(self) -> dict:
        """{graph IRI: triple count}, in build order."""
        return self.data["graphs"]

    @property
    def conforms(self) -> bool | None:
        return self.data["validation"]["conforms"]


def tool_versions() -> dict:
    """Return the versions of the tools a build depends on."""
    found = {"python": platform.python_version()}
    for name in ("eurasia-kg", "pyoxigraph", "rdflib", "owlrl", "pyshacl", "reasonable"):
        installed = installed_version(name)
        if installed is not None:
            found[name] = installed
    return found


def _minor(text: str) -> str:
    return ".".join(text.split(".")[:2])


def build_store(out: Path, data_files=None, *, with_shipped: bool | None = None,
                named_graph_files: dict | None = None, plain: bool = False, base: str | None = None,
                validate: bool = True, reasoner: str = "auto", verbose: bool = False) -> Manifest:
    """Build (graph.dataset.build_dataset, the options are its own) and write a store at out;
    return its manifest.

    Raises DataError (unreadable input), BuildError (inconsistent), NotConforming (the data
    does not conform to the shapes) and StoreError (out is not a store or cannot be written).
    On any failure the store at out is left as it was.
    """
    out = Path(out)
    if out.exists() and not out.is_symlink():
        raise StoreError(f"{out} exists and is not a store built by eurasia-kg build "
                         "(a link to a build); choose another folder or remove it")
    started = time.perf_counter()
    built = build_dataset(data_files, named_graph_files=named_graph_files, with_shipped=with_shipped,
                          plain=plain, base=base, reasoner=reasoner, validate=validate and not plain,
                          verbose=verbose)
    timings = {k: round(v, 3) for k, v in built.timings.items()}
    report = built.report
    if report is not None and not report.conforms:
        raise NotConforming(report)

    builds = out.parent / f"{out.name}.builds"
    version = built.version
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%f")
    try:
        builds.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{stamp}-{version}-", dir=builds))
        folder.chmod(0o755)  # readable by the service user, as other files
    except OSError as exc:
        raise StoreError(f"{out}: the store cannot be written there ({exc})") from exc
    try:
        t = time.perf_counter()
        counts = write_oxigraph(built, folder / OXIGRAPH_FOLDER)
        timings["store"] = round(time.perf_counter() - t, 3)
        _say(f"wrote {sum(counts.values())} quads to the store in {timings['store']:.2f} s", verbose)
        default_count = counts.pop(graph_label(DEFAULT_GRAPH), 0)
        if report is not None:
            (folder / REPORT).write_text(report.to_turtle(), encoding="utf-8")
        timings["total"] = round(time.perf_counter() - started, 3)
        manifest = {
            "format": STORE_FORMAT,
            "version": version,
            "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "graphs": counts,
            "asserted": default_count + sum(n for g, n in counts.items() if g != str(INFERRED_GRAPH)),
            "inferred": counts.get(str(INFERRED_GRAPH), 0),
            "plain": built.plain,
            "default_graph": default_count,
            "warnings": built.warnings,
            "validation": {"conforms": None if report is None else report.conforms,
                           "results": None if report is None else len(report.violations)},
            "reasoner": built.reasoner,
            "inference_cached": built.inference_cached,
            "seconds": timings,
            "sources": [str(s).rsplit("/", 1)[-1] for s in built.sources]
                       + [p.name for p in built.named_files.values()],
            "tools": tool_versions(),
        }
        _write_atomically(folder / MANIFEST, json.dumps(manifest, indent=2).encode())
        _switch(out, folder)
    except BaseException as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(exc, OSError):  # a full disk, a folder made read-only meanwhile
            raise StoreError(f"{out}: the store could not be written ({exc})") from exc
        raise
    _prune(builds, keep={folder.name, *_link_target_names(out)})
    _say(f"built {out} (version {version}) in {timings['total']:.2f} s", verbose)
    return Manifest(manifest)


def write_oxigraph(built: BuiltDataset, path: Path) -> dict:
    """Write every graph of a built dataset, as parsed, into a new on-disk pyoxigraph store.

    Returns {graph label: triple count} (see graph_label; "" is the default graph), counted in
    the store. The store is flushed and optimised, then closed.
    """
    store = ox.Store(str(path))
    with tempfile.TemporaryDirectory(prefix="eurasia-kg-build-") as tmp:
        part = Path(tmp) / "dataset.nq"
        ox.serialize(built.quads(), output=str(part), format=ox.RdfFormat.N_QUADS)
        store.bulk_load(path=str(part), format=ox.RdfFormat.N_QUADS)
    store.flush()
    store.optimize()
    counts = count_graphs(store, built.keys())
    del store
    return counts


def count_graphs(store, keys) -> dict:
    """Return {graph label: triple count} of a pyoxigraph store, for the graphs keys names.

    Counted in the store: it holds a valid literal by its value, so "1" and "01"^^xsd:integer
    of one graph are one triple there.
    """
    counts = {}
    for key in keys:
        node = ox.DefaultGraph() if key is DEFAULT_GRAPH else to_oxigraph(key)
        rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=node)
        counts[graph_label(key)] = int(next(iter(rows))["n"].value)
    return counts


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def _switch(link: Path, target: Path) -> None:
    """Point link at target in one rename (atomic on POSIX)."""
    relative = os.path.relpath(target, link.parent)
    temporary = link.with_name(f".{link.name}.{os.getpid()}.link")
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(relative, temporary)
    os.replace(temporary, link)


def _link_target_names(link: Path) -> set:
    return {Path(os.readlink(link)).name} if link.is_symlink() else set()


def _prune(builds: Path, keep: set) -> None:
    """Remove old builds, keeping the newest KEEP_BUILDS and anything in keep."""
    done = sorted((p for p in builds.iterdir() if p.is_dir() and (p / MANIFEST).is_file()),
                  key=lambda p: p.name, reverse=True)
    for old in done[KEEP_BUILDS:]:
        if old.name not in keep and not _in_use(old):
            shutil.rmtree(old, ignore_errors=True)
    for partial in builds.iterdir():  # builds that died half-way (no manifest), over an hour old
        if partial.is_dir() and not (partial / MANIFEST).is_file() and \
                time.time() - partial.stat().st_mtime > 3600:
            shutil.rmtree(partial, ignore_errors=True)


def hold(path: Path):
    """Mark a built store as read by this process and its forks, for as long as they run.

    Returns the open manifest, which holds a shared lock: builds do not remove a store that a
    server opened several builds ago (its workers and executors reopen it by path).
    """
    handle = open(Path(path) / MANIFEST, "rb")
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


def _in_use(build: Path) -> bool:
    try:
        with open(build / MANIFEST, "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        pass
    return False


def read_manifest(path: Path) -> Manifest:
    """Read and check the manifest of a built store; raise StoreError with the reason."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no such store (build one with `eurasia-kg build -o {path}`)")
    if not path.is_dir():
        raise StoreError(f"{path} is not a folder")
    manifest_file = path / MANIFEST
    if not manifest_file.is_file():
        raise StoreError(f"{path} has no {MANIFEST}: it is not a built store, or its build did "
                         "not finish (half-written); build it again")
    try:
        data = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{manifest_file}: unreadable manifest ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
        raise StoreError(f"{path} is a store of format {data.get('format') if isinstance(data, dict) else '?'!r}; "
                         f"this eurasia-kg reads {STORE_FORMAT!r}: build it again")
    for key in ("version", "graphs", "validation"):
        if key not in data:
            raise StoreError(f"{manifest_file} lacks {key!r}: build the store again")
    built_with = data.get("tools", {}).get("pyoxigraph", "")
    if _minor(built_with) != _minor(tool_versions().get("pyoxigraph", "")):
        raise StoreError(f"{path} was written by pyoxigraph {built_with or '?'}, which this "
                         f"installation (pyoxigraph {tool_versions().get('pyoxigraph')}) may "
                         "not read: build it again")
    if not (path / OXIGRAPH_FOLDER).is_dir():
        raise StoreError(f"{path} has a manifest but no {OXIGRAPH_FOLDER}/ folder: build it again")
    return Manifest(data)


def open_store(path: Path):
    """Open a built store read-only; return (manifest, pyoxigraph.Store)."""
    manifest = read_manifest(path)
    try:
        store = ox.Store.read_only(str(Path(path) / OXIGRAPH_FOLDER))
    except OSError as exc:
        raise StoreError(f"{path}: the store cannot be opened ({exc}); build it again") from exc
    return manifest, store


def _say(message: str, verbose: bool) -> None:
    if verbose:
        print(message, file=sys.stderr, flush=True)
