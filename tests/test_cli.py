"""The eurasia-kg command: validate, query, export, stats, serve; help and exit codes."""

import csv
import io
import json
import signal
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from eurasia_kg.graph.dataset import ESSAY_GRAPH, INFERRED_GRAPH
from eurasia_kg.server import cli
from eurasia_kg.ontology import EKG, EKGID, ORG

from .conftest import SOURCE, TESTS

SCRIPT = Path(sys.executable).parent / "eurasia-kg"
COUNT_SCO_MEMBERS = "SELECT (COUNT(*) AS ?n) WHERE { ekgid:SCO org:hasMember ?m }"


@pytest.fixture
def shipped(monkeypatch, built):
    """Let in-process commands reuse the session's build of the shipped graph."""
    real = cli.build_dataset

    def reuse(data_files=None, **kwargs):
        asks_more = data_files or kwargs.get("named_graph_files") or kwargs.get("plain") or kwargs.get("base")
        return real(data_files, **kwargs) if asks_more else built

    monkeypatch.setattr(cli, "build_dataset", reuse)
    return built


def run_cli(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["validate", "query", "export", "stats", "serve"])
def test_every_subcommand_has_help(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: eurasia-kg {command}" in capsys.readouterr().out


def test_query_table(shipped, capsys):
    code, out, _ = run_cli(capsys, "query", "-q",
                           "SELECT ?label WHERE { ekgid:SCO rdfs:label ?label FILTER(lang(?label)='en') }")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].strip() == "label"
    assert "Shanghai Cooperation Organisation" in out
    assert lines[-1] == "(1 row)"


def test_query_json_is_sparql_results_json(shipped, capsys):
    code, out, _ = run_cli(capsys, "query", "-q", "--format", "json",
                           "SELECT ?p WHERE { ekgid:TradeChinaEU2021 ekg:paragraph ?p }")
    assert code == 0
    result = json.loads(out)
    assert result["head"]["vars"] == ["p"]
    assert result["results"]["bindings"] == [
        {"p": {"type": "uri", "value": "https://w3id.org/eurasia-kg/id/essay/p10"}}]


CQ10 = Path(cli.__file__).resolve().parent / "examples" / "cq10-demands.rq"


def test_query_csv_is_sparql_csv(shipped, capsys):
    code, out, _ = run_cli(capsys, "query", "-q", "--format", "csv", "--file", str(CQ10))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["actionText"] for r in rows if r["demander"] == str(EKGID.UnitedStates)} == {
        "join the anti-Russian side", "join the US and the EU’s sanctions against Russia"}


def test_query_tsv_is_sparql_tsv(shipped, capsys):
    """Regression: --format tsv wrote plain values under bare names, as CSV with tabs; SPARQL
    1.1 TSV writes ?names and every term in N-Triples syntax, language tags included."""
    code, out, _ = run_cli(capsys, "query", "-q", "--format", "tsv",
                           "SELECT ?label ?of WHERE { ekgid:SCO rdfs:label ?label BIND(ekgid:SCO AS ?of) "
                           "FILTER(lang(?label) = 'en') }")
    assert code == 0
    assert out == '?label\t?of\n"Shanghai Cooperation Organisation"@en\t<https://w3id.org/eurasia-kg/id/SCO>\n'
    code, out, _ = run_cli(capsys, "query", "-q", "--format", "tsv", "--file", str(CQ10))
    header, *rows = [line.split("\t") for line in out.splitlines()]
    assert header[:4] == ["?demander", "?demanderLabel", "?action", "?actionText"]
    assert {row[3] for row in rows if row[0] == f"<{EKGID.UnitedStates}>"} == {
        '"join the anti-Russian side"@en', '"join the US and the EU’s sanctions against Russia"@en'}



@pytest.mark.parametrize("fmt, accept", [("tsv", "text/tab-separated-values"), ("csv", "text/csv"),
                                         ("json", "application/sparql-results+json")])
def test_query_answers_byte_for_byte_as_the_endpoint(shipped, capsys, client, fmt, accept):
    """Regression: the command wrote 751 where the endpoint wrote "751"^^xsd:integer (TSV)."""
    text = ("PREFIX ekg: <https://w3id.org/eurasia-kg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?s ?label (STRLEN(?label) AS ?n) WHERE { ?s a ekg:State ; rdfs:label ?label } ORDER BY ?s ?label")
    code, out, _ = run_cli(capsys, "query", "-q", "--format", fmt, text)
    response = client.post("/sparql", data={"query": text}, headers={"Accept": accept})
    assert code == 0 and response.status_code == 200
    assert out.rstrip("\n") == response.data.decode("utf-8").rstrip("\n")

DATES = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:a ex:on "2006-08-23Z"^^xsd:date . ex:b ex:on "2006-08-23"^^xsd:date .
ex:c ex:on "2006-08-23+02:00"^^xsd:date . ex:d ex:flag "yes"^^xsd:boolean .
"""
ONE_DATE = 'SELECT ?s ?d WHERE { ?s ex:on ?d FILTER(?d = "2006-08-23Z"^^xsd:date) }'


def test_query_answers_as_the_endpoint_does(capsys, tmp_path):
    """Regression: `query` ran rdflib's engine over rdflib's parse, which dropped the timezone of
    "2006-08-23Z" (a query for one date matched three) and read "yes"^^xsd:boolean as false.
    It runs on pyoxigraph over the dataset as the endpoint serves it."""
    from eurasia_kg.server.app import create_app

    data = tmp_path / "dates.ttl"
    data.write_text(DATES, encoding="utf-8")
    prefixes = "PREFIX ex: <http://example.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    queries = [prefixes + ONE_DATE, prefixes + "SELECT ?f WHERE { ex:d ex:flag ?f }",
               prefixes + "SELECT (COUNT(*) AS ?n) WHERE { ?s ex:on ?d FILTER(?d < '2007-01-01Z'^^xsd:date) }"]
    app = create_app({"DATA_FILES": [str(data)], "VALIDATE": False, "EXECUTORS": 1})
    try:
        client = app.test_client()
        for query in queries:
            code, out, _ = run_cli(capsys, "query", query, "-q", "--format", "json", "--data", str(data))
            assert code == 0
            served = client.get("/sparql", query_string={"query": query},
                                headers={"Accept": "application/sparql-results+json"})
            assert json.loads(out) == served.get_json(), query
    finally:
        app.extensions["eurasia_kg.pool"].close()
    code, out, _ = run_cli(capsys, "query", prefixes + ONE_DATE, "-q", "--format", "tsv", "--data", str(data))
    assert out.splitlines() == ["?s\t?d", '<http://example.org/a>\t"2006-08-23Z"^^<http://www.w3.org/2001/XMLSchema#date>']
    code, out, _ = run_cli(capsys, "query", prefixes + "SELECT ?f WHERE { ex:d ex:flag ?f }", "-q",
                           "--format", "csv", "--data", str(data))
    assert out.splitlines() == ["f", "yes"]


@pytest.mark.parametrize("view, expected", [("--asserted", "0"), ("--inferred", "10"), ("--all", "10")])
def test_query_views(shipped, capsys, view, expected):
    code, out, _ = run_cli(capsys, "query", "-q", "--format", "csv", view, COUNT_SCO_MEMBERS)
    assert code == 0
    assert out.splitlines()[1] == expected


def test_query_ask_and_construct(shipped, capsys):
    code, out, _ = run_cli(capsys, "query", "-q", "ASK { ekgid:China ekg:strategicPartnerOf ekgid:Russia }")
    assert (code, out.strip()) == (0, "true")
    code, out, _ = run_cli(capsys, "query", "-q",
                           "CONSTRUCT { ekgid:SCO ?p ?o } WHERE { ekgid:SCO ?p ?o }")
    assert code == 0
    assert (EKGID.SCO, ORG.hasMember, EKGID.China) in Graph().parse(data=out, format="turtle")


def test_malformed_query_exits_2_with_the_parser_message(shipped, capsys):
    code, out, err = run_cli(capsys, "query", "-q", "SELECT ?x WHERE { ?x ?y }")
    assert code == 2
    assert out == ""
    assert "malformed query" in err and "error at 1:" in err  # pyoxigraph's message and position


def test_service_is_refused(shipped, capsys):
    code, _, err = run_cli(capsys, "query", "-q",
                           "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert code == 2
    assert "SERVICE is not allowed" in err


@pytest.mark.parametrize("fmt, rdflib_format", [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_export_parses_back(shipped, capsys, tmp_path, fmt, rdflib_format):
    target = tmp_path / f"out.{fmt}"
    code, _, _ = run_cli(capsys, "export", "--format", fmt, "-o", str(target))
    assert code == 0
    graph = Graph().parse(target, format=rdflib_format)
    assert len(graph) == len(shipped.view("all"))
    assert (EKGID.SCO, ORG.hasMember, EKGID.China) in graph


def test_export_views_and_trig_named_graphs(shipped, capsys):
    code, out, _ = run_cli(capsys, "export", "--format", "nt", "--asserted")
    assert code == 0
    assert len(Graph().parse(data=out, format="nt")) == len(shipped.view("asserted"))
    code, out, _ = run_cli(capsys, "export", "--format", "trig")
    dataset = Dataset().parse(data=out, format="trig")
    names = {g.identifier for g in dataset.graphs()}
    assert {ESSAY_GRAPH, INFERRED_GRAPH} <= names
    code, out, _ = run_cli(capsys, "export", "--format", "trig", "--inferred")
    dataset = Dataset().parse(data=out, format="trig")
    assert {g.identifier for g in dataset.graphs() if len(g)} == {INFERRED_GRAPH}


def test_stats(shipped, capsys):
    code, out, _ = run_cli(capsys, "stats")
    assert code == 0
    assert f"triples asserted: {shipped.asserted_count}" in out
    assert f"triples inferred: {shipped.inferred_count}" in out
    assert "ekg:Claim" in out
    per_paragraph = [line for line in out.splitlines() if line.startswith("  ") and ":" in line
                     and line.split(":")[0].strip().isdigit()]
    assert len(per_paragraph) == 24
    assert all(int(line.split(":")[1]) > 0 for line in per_paragraph)


def test_stats_prints_the_share_of_claims_with_a_proposition(shipped, capsys):
    code, out, _ = run_cli(capsys, "stats")
    assert code == 0
    claims = set(shipped.dataset.subjects(RDF.type, EKG.Claim))
    with_proposition = {c for c in claims if (c, EKG.predicate, None) in shipped.dataset}
    share = 100 * len(with_proposition) / len(claims)
    assert share >= 90  # the target: at least 90% of claims carry a proposition
    assert f"claims with a proposition: {len(with_proposition)} of {len(claims)} ({share:.1f}%)" in out
    # ... and every other claim says why none fits.
    assert (f"claims without one, with the reason why: {len(claims) - len(with_proposition)} of "
            f"{len(claims) - len(with_proposition)}") in out
    assert "binary shortcuts derived: " in out


def test_validate_the_shipped_graph_with_the_essay_text(shipped, capsys):
    code, out, _ = run_cli(capsys, "validate", "-q", "--essay-text", str(SOURCE / "paragraphs.tsv"))
    assert code == 0
    assert out.startswith("Conforms")


def test_validate_reuses_the_conforming_report_of_an_identical_build(capsys, tmp_path):
    data = tmp_path / "valid.ttl"
    data.write_bytes((TESTS / "fixtures" / "valid-minimal.ttl").read_bytes())
    first = run_cli(capsys, "validate", str(data))
    again = run_cli(capsys, "validate", str(data))
    assert first[0] == again[0] == 0 and first[1] == again[1] and first[1].startswith("Conforms")
    assert "the report of an identical earlier build" not in first[2]
    assert "the report of an identical earlier build" in again[2]
    # A report with results is worked out every time, and printed the same.
    broken = tmp_path / "violating.ttl"
    broken.write_bytes(VIOLATING.read_bytes())
    results = [run_cli(capsys, "validate", str(broken)) for _ in range(2)]
    assert results[0][0] == results[1][0] == 1 and results[0][1] == results[1][1]
    assert "the report of an identical earlier build" not in results[1][2]


def test_the_installed_command_works_from_any_directory(tmp_path):
    # The Turtle files ship as package data: nothing is read from the working directory.
    done = subprocess.run([str(SCRIPT), "validate", "-q"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Conforms")


def test_synthetic_passes_its_options_through(tmp_path):
    from eurasia_kg.server.cli import main

    out = tmp_path / "s.nt"
    assert main(["synthetic", "--triples", "1500", "--seed", "7", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert 1350 <= len(lines) <= 1650 and all(line.endswith(" .") for line in lines)


# ----------------------------------------------------------------------------- exit codes

#: A shipped-shapes violation: a sanction whose imposer is its target.
VIOLATING = TESTS / "fixtures" / "invalid" / "sanction-shape-imposer-is-target.ttl"


def test_the_exit_codes_are_documented_in_the_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for code, meaning in ((0, "success"), (1, "shapes"), (2, "unreadable"), (3, "store")):
        assert f"{code} " in text and meaning in text, (code, meaning)


@pytest.mark.parametrize("argv, said", [
    (["serve", "--store", "{tmp}/nowhere"], "no such store"),
    (["serve", "--remote", "http://127.0.0.1:9/query"], "127.0.0.1:9"),
    (["publish", "{tmp}/nowhere", "--to", "http://127.0.0.1:9/query"], "no such store"),
    (["build", "-q", "-o", "{tmp}"], "not a store built by eurasia-kg build"),
])
def test_a_missing_or_unreachable_store_exits_3_not_1(capsys, tmp_path, argv, said):
    # Regression: these exited 1, the code that means "the shapes are violated".
    code, _, err = run_cli(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == cli.EXIT_ENVIRONMENT == 3, err
    assert said in err and "Traceback" not in err


def test_auth_without_its_password_variable_exits_3(capsys, monkeypatch):
    monkeypatch.delenv("EURASIA_KG_PASSWORD", raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["publish", "kg", "--to", "http://127.0.0.1:9/query", "--auth", "dba"])
    assert exit_.value.code == 3 and "EURASIA_KG_PASSWORD" in capsys.readouterr().err


def test_data_that_violates_the_shapes_exits_1_from_build_and_serve(capsys, tmp_path):
    code, _, err = run_cli(capsys, "build", "-q", "-o", str(tmp_path / "kg"), "--data", str(VIOLATING))
    assert code == cli.EXIT_VIOLATIONS == 1 and "does not conform" in err
    assert not (tmp_path / "kg").exists()
    code, _, err = run_cli(capsys, "serve", "--data", str(VIOLATING))
    assert code == 1 and "imposer cannot be its target" in err


def test_the_exit_code_follows_the_type_of_the_failure_not_its_words(capsys, tmp_path, monkeypatch):
    # A store error whose message happens to say "does not conform" is still no violation.
    from eurasia_kg.graph import store

    def failing(out, *args, **kwargs):
        raise store.StoreError(f"{out}: the disk said the data does not conform to its sectors") \
            from OSError(28, "No space left on device")

    monkeypatch.setattr(cli, "build_store", failing)  # where cli looks it up
    code, _, _ = run_cli(capsys, "build", "-q", "-o", str(tmp_path / "kg"))
    assert code == 3


# ----------------------------------------------------------------------------- like other tools

def test_version_is_the_distributions(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"eurasia-kg {version('eurasia-kg')}"


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    """Regression: `eurasia-kg stats | head` ended in a BrokenPipeError traceback."""
    data = TESTS / "fixtures" / "valid-minimal.ttl"
    process = subprocess.Popen([str(SCRIPT), "stats", "--data", str(data)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()  # as head does once it has its lines
    err = process.stderr.read()
    assert process.wait(120) == -signal.SIGPIPE, err  # as `yes | head` ends
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


ILL_TYPED = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/eurasia-kg/id/x> <http://example.org/n> "abc"^^xsd:integer ;
    <http://example.org/d> "2020-13-45"^^xsd:date ; <http://example.org/b> "yes"^^xsd:boolean .
"""


@pytest.mark.parametrize("command", ["validate", "stats"])
def test_ill_typed_literals_are_reported_without_tracebacks(tmp_path, command):
    """Regression: rdflib printed a traceback per ill-typed literal ("Failed to convert
    Literal lexical form to value"), each time it read it."""
    data = tmp_path / "ill.ttl"
    data.write_text(ILL_TYPED, encoding="utf-8")
    args = [str(data)] if command == "validate" else ["--data", str(data)]
    done = subprocess.run([str(SCRIPT), command, *args], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr and "Failed to convert" not in done.stderr, done.stderr
    reported = [line for line in done.stderr.splitlines() if "ill-typed" in line]
    for lexical in ("abc", "2020-13-45"):
        assert len([line for line in reported if lexical in line]) <= 1, reported
