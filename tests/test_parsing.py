"""Reading RDF files with pyoxigraph: formats by suffix, bases, blank nodes per file, errors."""

import pyoxigraph as ox
import pytest

from eurasia_kg.graph.dataset import build_dataset
from eurasia_kg.graph.parsing import DataError, file_iri, parse_bytes, parse_file, rdf_format


@pytest.mark.parametrize("name, fmt", [
    ("a.ttl", ox.RdfFormat.TURTLE), ("a.nt", ox.RdfFormat.N_TRIPLES), ("a.nq", ox.RdfFormat.N_QUADS),
    ("a.trig", ox.RdfFormat.TRIG), ("a.rdf", ox.RdfFormat.RDF_XML), ("a.owl", ox.RdfFormat.RDF_XML),
    ("a.xml", ox.RdfFormat.RDF_XML), ("a.jsonld", ox.RdfFormat.JSON_LD), ("a.json", ox.RdfFormat.JSON_LD),
    ("a.TTL", ox.RdfFormat.TURTLE), ("data", ox.RdfFormat.TURTLE), ("a.unknown", ox.RdfFormat.TURTLE),
])
def test_the_format_comes_from_the_suffix(name, fmt):
    assert rdf_format(name) == fmt


def test_the_base_is_the_files_own_iri(tmp_path):
    path = tmp_path / "sub dir" / "x.ttl"
    path.parent.mkdir()
    path.write_text("<> <p> <abc> .\n", encoding="utf-8")
    (quad,) = parse_file(path)
    assert quad.subject.value == file_iri(path) == path.resolve().as_uri()
    assert quad.object.value == (tmp_path / "sub dir").resolve().as_uri() + "/abc"
    (quad,) = parse_file(path, "http://example.org/")
    assert (quad.subject.value, quad.object.value) == ("http://example.org/", "http://example.org/abc")


def test_two_files_blank_nodes_stay_two(tmp_path):
    """A blank node label belongs to its file: _:b of one file is not _:b of another."""
    for name in ("one", "two"):
        (tmp_path / f"{name}.ttl").write_text(f'_:b <http://example.org/in> "{name}" .\n', encoding="utf-8")
    built = build_dataset([tmp_path / "one.ttl", tmp_path / "two.ttl"], plain=True)
    assert len({q.subject for q in built.quads()}) == 2


def test_a_json_ld_context_is_never_fetched():
    body = b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "a", "name": "x"}'
    with pytest.raises(DataError, match="upload.jsonld"):
        parse_bytes(body, ox.RdfFormat.JSON_LD, "http://example.org/", "upload.jsonld")


def test_an_error_names_the_file_line_and_column(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text('<http://example.org/a> <http://example.org/b> "ok" .\n<http://example.org/a> <b> .\n',
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        parse_file(path)
    assert str(caught.value).startswith(f"{path}: line 2, column ")
