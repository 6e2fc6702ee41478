"""Shared fixtures: the built essay dataset (built once per test session) and the source text."""

import csv
import os
import re
import tempfile
from pathlib import Path

import pytest

# Every test session reasons afresh, in a cache of its own (never the user's ~/.cache).
os.environ["EURASIA_KG_CACHE"] = tempfile.mkdtemp(prefix="eurasia-kg-test-cache-")

from eurasia_kg.graph.dataset import build_dataset  # noqa: E402

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
#: The essay as received; tests may read it, the product never does.
SOURCE = ROOT.parent / "shared" / "source"


def normalise(text: str) -> str:
    """Collapse runs of whitespace, as quotes may normalise them."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def built():
    """The shipped dataset: ontology, essay, background, inferred."""
    return build_dataset()


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
    from eurasia_kg.server import create_app

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
    from eurasia_kg.server import create_app

    files = [TESTS / "fixtures" / "valid-minimal.ttl", TESTS / "fixtures" / "hostile-statement.ttl"]
    application = create_app({"DATA_FILES": [str(f) for f in files], "VALIDATE": False})
    yield application.test_client()
    application.extensions["eurasia_kg.pool"].close()
