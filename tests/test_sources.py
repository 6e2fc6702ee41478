"""server/sources: the dataset as pages see it, built in memory or opened from a built store.

Both sources over the same plain files (tests/fixtures/plain) must give the same counts, the
same read-only views and the same triples; pages rely on that whichever source serves them.
"""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from eurasia_kg.graph.dataset import build_dataset
from eurasia_kg.graph.store import build_store
from eurasia_kg.server import formats
from eurasia_kg.server.sources.oxigraph import EmbeddedSource, StoreSource
from eurasia_kg.server.sources.patterns import read_only_graph

from .isomorphism import canonical

PLAIN = Path(__file__).parent / "fixtures" / "plain"
FILES = [PLAIN / "people.ttl", PLAIN / "events.trig"]
EX = "http://example.org/"


@pytest.fixture(scope="module")
def embedded():
    return EmbeddedSource(build_dataset(FILES, plain=True))


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    out = tmp_path_factory.mktemp("sources") / "kg"
    build_store(out, FILES, plain=True, verbose=False)
    source = StoreSource(out)
    yield source
    source.close()


def quads_of_files() -> set:
    found = set()
    for path in FILES:
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
        found |= {q for q in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())}
    return found


@pytest.mark.parametrize("which", ["embedded", "stored"])
def test_counts_are_the_files_own(request, which):
    source = request.getfixturevalue(which)
    files = quads_of_files()
    default = sum(1 for q in files if isinstance(q.graph_name, ox.DefaultGraph))
    assert source.default_graph_count() == default
    assert source.total_triples() == len(files)
    assert source.triple_counts() == {g: sum(1 for q in files if q.graph_name == ox.NamedNode(g))
                                      for g in (EX + "g2022", EX + "g2023")}


@pytest.mark.parametrize("which", ["embedded", "stored"])
def test_views_are_read_only(request, which):
    view = request.getfixturevalue(which).view("all")
    with pytest.raises(TypeError, match="read-only"):
        view.add((URIRef(EX + "a"), URIRef(EX + "b"), Literal("c")))


def as_graph(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def test_both_sources_show_pages_the_same_triples(embedded, stored):
    for name in ("all", "asserted"):
        assert len(embedded.view(name)) > 0
        assert isomorphic(as_graph(embedded.view(name)), as_graph(stored.view(name)))
    g2022 = URIRef(EX + "g2022")  # no blank node in it
    assert set(embedded.graph(g2022)) == set(stored.graph(g2022)) != set()
    assert set(embedded.graph(URIRef(EX + "no-such-graph"))) == set()


def test_a_pattern_with_a_name_that_is_no_iri_finds_nothing(embedded):
    assert list(embedded.view("all").triples((URIRef("a b"), None, None))) == []


def test_a_literal_subject_is_never_asked_for():
    asked = []

    def match(s, p, o):
        asked.append((s, p, o))
        return iter(())

    graph = read_only_graph(match, lambda: 0)
    assert list(graph.triples((Literal("x"), None, None))) == [] and asked == []
    assert list(graph.triples((None, URIRef(EX + "p"), None))) == [] and len(asked) == 1


def test_the_embedded_download_is_the_files_as_written(embedded):
    served = ox.parse(embedded.dump(formats.BY_NAME["nq"]), format=ox.RdfFormat.N_QUADS)
    assert canonical(served) == canonical(quads_of_files())
