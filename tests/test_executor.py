"""The query executor process (server/query/executor.py): what it answers and what it loads."""

import json
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph

from eurasia_kg.ontology import PREFIXES
from eurasia_kg.server.query.messages import QueryRequest, read_frame, send_frame

DATA = """<https://w3id.org/eurasia-kg/id/SCO> <http://www.w3.org/ns/org#hasMember> <https://w3id.org/eurasia-kg/id/China> <https://w3id.org/eurasia-kg/graph/essay> .
<https://w3id.org/eurasia-kg/id/SCO> <http://www.w3.org/2000/01/rdf-schema#label> "Shanghai Cooperation Organisation"@en <https://w3id.org/eurasia-kg/graph/essay> .
<https://w3id.org/eurasia-kg/id/SCO> <https://w3id.org/eurasia-kg/ontology#founded> "2001"^^<http://www.w3.org/2001/XMLSchema#gYear> <https://w3id.org/eurasia-kg/graph/essay> .
_:b0 <http://www.w3.org/2000/01/rdf-schema#comment> "a blank node" <https://w3id.org/eurasia-kg/graph/essay> .
"""
SELECT = "SELECT ?p ?o WHERE { <https://w3id.org/eurasia-kg/id/SCO> ?p ?o } ORDER BY ?p"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
#: An executor that says, when its requests end, which rdflib modules it imported.
EXECUTOR = ("import json, sys\n"
            "from eurasia_kg.server.query.executor import executor_main\n"
            "executor_main(1000)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'rdflib')), file=sys.stderr)\n")
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    """Every kind of query in every format, from one executor process; and what it imported."""
    nquads = tmp_path_factory.mktemp("executor") / "data.nq"
    nquads.write_text(DATA, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", EXECUTOR], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    send_frame(process.stdin, {"nquads": str(nquads), "prefixes": prefixes})
    assert read_frame(process.stdout)[0] == "ready"
    replies = {}
    for kind, text, formats in (("select", SELECT, ("json", "xml", "csv", "tsv")),
                                ("ask", "ASK { ?s ?p ?o }", ("json", "xml", "csv", "tsv")),
                                ("construct", CONSTRUCT, RDFLIB_FORMATS),
                                ("describe", "DESCRIBE <https://w3id.org/eurasia-kg/id/SCO>", RDFLIB_FORMATS)):
        for fmt in formats:
            send_frame(process.stdin, QueryRequest(text=text, result_format=fmt))
            replies[kind, fmt] = read_frame(process.stdout)
    process.stdin.close()
    assert process.wait(30) == 0
    return replies, json.loads(process.stderr.read().decode().strip().splitlines()[-1])


def test_an_executor_answers_every_format_without_importing_rdflib(answers):
    """Regression: the first Turtle answer imported rdflib (for the prefixes), about 15 MB
    in each of the executors."""
    replies, imported = answers
    assert all(reply[0] == "ok" for reply in replies.values()), replies
    assert imported == []


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_graph_answers_parse_to_the_data(answers, fmt):
    replies, _ = answers
    expected = {(s, p, o) for s, p, o, _ in Dataset().parse(data=DATA, format="nquads").quads()}
    for kind in ("construct", "describe"):
        answer = replies[kind, fmt][1]
        assert answer.kind == "graph"
        found = Graph().parse(data=answer.body, format=RDFLIB_FORMATS[fmt])
        wanted = expected if kind == "construct" else \
            {t for t in expected if str(t[0]).endswith("/SCO")}
        assert len(found) == len(wanted) == answer.rows, (kind, fmt)


def test_turtle_answers_use_the_projects_prefixes(answers):
    replies, _ = answers
    body = replies["construct", "ttl"][1].body.decode()
    assert "@prefix org: <http://www.w3.org/ns/org#> ." in body
    assert "ekgid:SCO" in body and "org:hasMember ekgid:China" in body
