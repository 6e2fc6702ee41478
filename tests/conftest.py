"""Shared fixtures: the built essay dataset (built once per test session, in each worker
process) and the source text."""

import csv
import gc
import os
import re
import tempfile
from pathlib import Path

import pytest

# Builds keep what they work out (inferences, conforming reports: graph/cache.py) in a cache of
# the tests' own, never the user's ~/.cache: pytest's cache folder when there is one (see
# pytest_configure), else a fresh folder for this session.
os.environ["EURASIA_KG_CACHE"] = tempfile.mkdtemp(prefix="eurasia-kg-test-cache-")

#: How much of earlier runs' build cache is kept: the newest entries up to this size.
BUILD_CACHE_BYTES = 200 * 1024 * 1024


def pytest_configure(config):
    """Keep the builds' cache in .pytest_cache, shared by the xdist workers and kept between runs.

    Its keys name every input file, the build code and the versions of the tools that reason,
    parse and validate, so a change to any of them works the build out afresh, as a user's
    build would; a clean clone (CI) starts empty, and `pytest --cache-clear` empties it. The
    tests that must compute afresh (the owlrl reference) switch the cache off for themselves.
    """
    cache = getattr(config, "cache", None)
    if cache is None:  # -p no:cacheprovider: this session's own folder, set above
        return
    folder = cache.mkdir("eurasia-kg-builds")
    if not hasattr(config, "workerinput"):  # once per run, before the workers start
        _prune(folder, BUILD_CACHE_BYTES)
    os.environ["EURASIA_KG_CACHE"] = str(folder)


def _prune(folder: Path, limit: int) -> None:
    """Remove the oldest entries until the folder holds at most limit bytes."""
    entries = sorted((p for p in folder.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime,
                     reverse=True)
    kept = 0
    for entry in entries:
        kept += entry.stat().st_size
        if kept > limit:
            entry.unlink(missing_ok=True)

# Builds and their rdflib graphs are millions of objects (test_shapes.py holds 115 builds at
# once): at CPython's default thresholds (700, 10, 10) the cyclic collector rescans them dozens
# of times, a quarter of test_shapes.py's time. Collecting less often costs some memory and
# changes nothing a test checks: no test depends on when garbage is collected.
gc.set_threshold(50_000, 20, 10)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
#: The essay as received; tests may read it, the product never does.
SOURCE = ROOT.parent / "shared" / "source"


def normalise(text: str) -> str:
    """Collapse runs of whitespace, as quotes may normalise them."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def built(app):
    """The shipped dataset: ontology, essay, background, inferred.

    The one the session's service built (build_dataset with the defaults, validated as
    `serve` validates): the same dataset, built once instead of twice.
    """
    return app.extensions["eurasia_kg.dataset"].built


@pytest.fixture(scope="session")
def everything(built):
    """All triples, asserted and inferred, as one graph."""
    return built.view("all")


@pytest.fixture(scope="session")
def paragraphs():
    """The essay's paragraphs from ../shared/source/paragraphs.tsv: number -> text."""
    with open(SOURCE / "paragraphs.tsv", encoding="utf-8", newline="") as handle:
        return {int(row["paragraph"]): row["text"] for row in csv.DictReader(handle, delimiter="\t")}


@pytest.fixture(scope="session")
def app():
    """The service on the shipped graph, built once for every test module that uses it."""
    from eurasia_kg.server.app import create_app

    application = create_app()
    yield application
    application.extensions["eurasia_kg.pool"].close()


@pytest.fixture(scope="module")
def client(app):
    """A Flask test client of the shipped service."""
    return app.test_client()


@pytest.fixture(scope="module")
def hostile_client():
    """A service on valid-minimal.ttl plus a claim whose label and quote are HTML (not validated)."""
    from eurasia_kg.server.app import create_app

    files = [TESTS / "fixtures" / "valid-minimal.ttl", TESTS / "fixtures" / "hostile-statement.ttl"]
    application = create_app({"DATA_FILES": [str(f) for f in files], "VALIDATE": False})
    yield application.test_client()
    application.extensions["eurasia_kg.pool"].close()
