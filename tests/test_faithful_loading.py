"""What is served is what the file says (issue 11, section 1).

Regression: every file went through rdflib and out as N-Quads before the engine saw it.
Relative IRIs resolved against a made-up base (urn:eurasia-kg:file:NAME) or failed (<abc>),
"2006-08-23Z"^^xsd:date lost its timezone, "yes"^^xsd:boolean became "false", and OWL 2 RL
called "0.0"^^xsd:double and "2005-04-04T24:00:00"^^xsd:dateTime inconsistent.

Each fixture of tests/fixtures/faithful/ is served with --data, with --graph IRI=FILE and with
--plain, and built with `eurasia-kg build`; every quad served (the N-Quads download, the
endpoint's CONSTRUCT, the engine's store, the built store) is compared with pyoxigraph's own
parse of the same file with the same base: the download literal for literal, the engine's
answers with a pyoxigraph store loaded with that parse (the engine holds a valid literal by
its value, "01"^^xsd:integer as "1").
"""

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from eurasia_kg.graph.dataset import USER_GRAPH, build_dataset
from eurasia_kg.graph.store import open_store
from eurasia_kg.server import cli
from eurasia_kg.server.app import create_app

from .conftest import TESTS
from .isomorphism import canonical

FIXTURES = TESTS / "fixtures" / "faithful"
FILES = [FIXTURES / "literals.ttl", FIXTURES / "resource.rdf", FIXTURES / "graphs.trig"]
#: The graph each file is loaded into with --graph IRI=FILE.
NAMED = {f"https://example.org/loaded/{path.stem}": path for path in FILES}
XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT = ox.DefaultGraph()


def parsed(path: Path, into, base: str | None = None) -> list:
    """pyoxigraph's own parse of a file, its default graph's triples put into the graph into."""
    fmt = ox.RdfFormat.from_extension(path.suffix[1:])
    return [q if not isinstance(q.graph_name, ox.DefaultGraph) else
            ox.Quad(q.subject, q.predicate, q.object, into)
            for q in ox.parse(path=str(path), format=fmt, base_iri=base or path.resolve().as_uri())]


#: For each way to serve: the config of create_app, the options of `eurasia-kg build`, and the
#: quads expected (pyoxigraph's parse, each file's default graph where that way puts it).
MODES = {
    "data": ({"DATA_FILES": [str(f) for f in FILES]},
             ["--data", *map(str, FILES)],
             [q for f in FILES for q in parsed(f, ox.NamedNode(str(USER_GRAPH)))]),
    "graph": ({"NAMED_GRAPH_FILES": {iri: str(f) for iri, f in NAMED.items()}},
              [arg for iri, f in NAMED.items() for arg in ("--graph", f"{iri}={f}")],
              [q for iri, f in NAMED.items() for q in parsed(f, ox.NamedNode(iri))]),
    "plain": ({"DATA_FILES": [str(f) for f in FILES], "PLAIN": True},
              ["--plain", "--data", *map(str, FILES)],
              [q for f in FILES for q in parsed(f, DEFAULT)]),
}


def graphs_of(quads) -> list:
    return sorted({q.graph_name for q in quads}, key=str)


def in_graph(quads, graph) -> list:
    return [q for q in quads if q.graph_name == graph]


def reference(quads) -> ox.Store:
    """A pyoxigraph store loaded with the expected quads: how the engine holds them."""
    store = ox.Store()
    store.extend(quads)
    return store


@pytest.fixture(scope="module", params=sorted(MODES))
def served(request):
    config, _, expected = MODES[request.param]
    app = create_app({**config, "EXECUTORS": 1})
    yield request.param, app, expected
    app.extensions["eurasia_kg.pool"].close()


def test_the_download_is_the_parse_literal_for_literal(served):
    _, app, expected = served
    response = app.test_client().get("/download/eurasia-kg.nq")
    assert response.status_code == 200
    downloaded = list(ox.parse(response.data, format=ox.RdfFormat.N_QUADS))
    for graph in graphs_of(expected):
        assert canonical(in_graph(downloaded, graph)) == canonical(in_graph(expected, graph)), graph


def test_the_endpoint_constructs_what_the_engine_holds_of_the_parse(served):
    _, app, expected = served
    client, store = app.test_client(), reference(expected)
    for graph in graphs_of(expected):
        pattern = "{ ?s ?p ?o }" if graph == DEFAULT else f"{{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {pattern}"
        response = client.get("/sparql", query_string={"query": query},
                              headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, response.data
        got = list(ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES))
        want = list(store.query(query, default_graph=DEFAULT if graph == DEFAULT else None,
                                use_default_graph_as_union=False))
        assert got and canonical(got) == canonical(want), graph


def test_the_engines_store_holds_the_parse(served):
    _, app, expected = served
    store, mine = reference(expected), app.extensions["eurasia_kg.dataset"].store
    for graph in graphs_of(expected):
        assert canonical(mine.quads_for_pattern(None, None, None, graph)) == canonical(
            store.quads_for_pattern(None, None, None, graph)), graph


def test_relative_iris_resolve_against_the_files_own_iri(served):
    mode, app, _ = served
    client = app.test_client()
    ttl, rdf, trig = (f.resolve().as_uri() for f in FILES)
    beside = FIXTURES.resolve().as_uri() + "/abc"
    where = "?s ?p ?o" if mode == "plain" else "GRAPH ?g { ?s ?p ?o }"
    for s, p, o in [(ttl, "describes", beside), (ttl, "describes", ttl + "#it"),
                    (rdf, "self", rdf), (rdf, "next", beside)]:
        query = f"ASK {{ {where} FILTER(?s = <{s}> && ?p = <http://example.org/{p}> && ?o = <{o}>) }}"
        answer = client.get("/sparql", query_string={"query": query},
                            headers={"Accept": "application/sparql-results+json"}).get_json()
        assert answer["boolean"] is True, (s, p, o)
    graphs = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Accept": "application/sparql-results+json"}).get_json()
    assert trig + "#g1" in {b["g"]["value"] for b in graphs["results"]["bindings"]}


@pytest.mark.parametrize("query, expected", [
    # The timezone is kept: a query for one date matches one date, not three.
    ('SELECT ?d { GRAPH ?g { ?s <http://example.org/on> ?d } FILTER(?d = "2006-08-23Z"^^<%sdate>) }' % XSD,
     {"2006-08-23Z"}),
    # An ill-typed literal stays as written ("yes", not "false").
    ("SELECT DISTINCT ?b { GRAPH ?g { ?s <http://example.org/flag> ?b } }", {"yes"}),
    ("SELECT ?n { GRAPH ?g { ?s <http://example.org/name> ?n } FILTER(lang(?n) = 'en-gb') }", {"Shanghai"}),
])
def test_values_are_the_files(served, query, expected):
    mode, app, _ = served
    if mode == "plain":  # the files' default graph is the default graph: no GRAPH around it
        query = query.replace("GRAPH ?g { ", "{ ")
    answer = app.test_client().get("/sparql", query_string={"query": query},
                                   headers={"Accept": "application/sparql-results+json"}).get_json()
    name = answer["head"]["vars"][0]
    assert {b[name]["value"] for b in answer["results"]["bindings"]} == expected


@pytest.mark.parametrize("mode", sorted(MODES))
def test_a_built_store_holds_the_parse(mode, tmp_path, capsys):
    _, options, expected = MODES[mode]
    out = tmp_path / "kg"
    assert cli.main(["build", "-q", "-o", str(out), *options]) == 0, capsys.readouterr().err
    manifest, store = open_store(out)
    want = reference(expected)
    for graph in graphs_of(expected):
        assert canonical(store.quads_for_pattern(None, None, None, graph)) == canonical(
            want.quads_for_pattern(None, None, None, graph)), graph
    printed = json.loads(capsys.readouterr().out)
    assert printed["plain"] is (mode == "plain")
    # Reported, not fatal, not changed: the ill-typed literals; the valid ones are not reported.
    assert any('"yes"^^<http://www.w3.org/2001/XMLSchema#boolean>' in w for w in manifest.data["warnings"])
    assert not [w for w in manifest.data["warnings"] if "0.0" in w or "24:00" in w]


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_export_writes_the_parse(fmt, capsys):
    assert cli.main(["export", "--format", fmt, "--plain", "--data", *map(str, FILES)]) == 0
    out = capsys.readouterr().out.encode()
    written = list(ox.parse(out, format=ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG))
    assert canonical(written) == canonical(MODES["plain"][2])


def test_base_says_what_relative_iris_resolve_against():
    built = build_dataset([FILES[0]], plain=True, base="http://example.org/base/")
    subjects = {q.subject.value for q in built.quads() if isinstance(q.subject, ox.NamedNode)}
    assert {"http://example.org/base/", "http://example.org/base/abc",
            "http://example.org/base/#it"} <= subjects
    assert not [s for s in subjects if s.startswith("file:") or s.startswith("urn:eurasia-kg")]


def test_the_base_is_part_of_the_version():
    assert build_dataset([FILES[0]], plain=True).version != build_dataset(
        [FILES[0]], plain=True, base="http://example.org/base/").version


def test_ill_typed_literals_are_warnings_and_owl_rl_accepts_valid_ones(capsys):
    built = build_dataset(FILES, reasoner="owlrl", validate=True)  # owlrl: its own lexical checks
    err = capsys.readouterr().err
    assert built.report.conforms
    assert [w for w in built.warnings if '"yes"' in w] and "warning: " in err and '"yes"' in err
    assert not [w for w in built.warnings if "0.0" in w or "24:00" in w or '"01"' in w]
    literal = ox.Literal("yes", datatype=ox.NamedNode(XSD + "boolean"))
    assert literal in {q.object for q in built.quads()}


def test_an_ill_typed_value_where_a_shape_applies_is_a_shacl_result():
    fixture = TESTS / "fixtures" / "invalid" / "date-shape-date-month-thirteen.ttl"
    built = build_dataset([fixture], validate=True)
    assert [w for w in built.warnings if '"2022-13"' in w and "xsd:gYearMonth" in w]
    assert not built.report.conforms
    assert "2022-13" in {str(v.value) for v in built.report.violations}
    assert ox.Literal("2022-13", datatype=ox.NamedNode(XSD + "gYearMonth")) in {q.object for q in built.quads()}
