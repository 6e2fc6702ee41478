"""The eurasia-kg command: validate, query, export, stats, serve; help and exit codes."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from eurasia_kg.graph.dataset import ESSAY_GRAPH, INFERRED_GRAPH
from eurasia_kg.server import cli
from eurasia_kg.ontology import EKG, EKGID, ORG

from .conftest import SOURCE

SCRIPT = Path(sys.executable).parent / "eurasia-kg"
COUNT_SCO_MEMBERS = "SELECT (COUNT(*) AS ?n) WHERE { ekgid:SCO org:hasMember ?m }"


@pytest.fixture
def shipped(monkeypatch, built):
    """Let in-process commands reuse the session's build of the shipped graph."""
    real = cli.build_dataset

    def reuse(files=None, **kwargs):
        return built if files is None else real(files, **kwargs)

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


@pytest.mark.parametrize("fmt, delimiter", [("csv", ","), ("tsv", "\t")])
def test_query_csv_and_tsv(shipped, capsys, fmt, delimiter):
    code, out, _ = run_cli(capsys, "query", "-q", "--format", fmt, "--file",
                           str(Path(cli.__file__).resolve().parent / "examples" / "cq10-demands.rq"))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out), delimiter=delimiter))
    assert {r["actionText"] for r in rows if r["demander"] == str(EKGID.UnitedStates)} == {
        "join the anti-Russian side", "join the US and the EU’s sanctions against Russia"}


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
    assert "malformed query" in err and "Expected" in err


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
