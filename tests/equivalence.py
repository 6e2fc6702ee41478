"""One service against another: the same pages and the same answers, whatever the source.

The embedded dataset (built in memory) is the reference; a built store and a remote store
must give users exactly what it gives.
"""

import difflib
import json
from collections import Counter
from importlib.resources import files

from rdflib import URIRef
from rdflib.namespace import RDF

from eurasia_kg.ontology import EKG, EKGID

SEARCHES = ("shanghai", "Шанхай", "上海", "russia", "sanction", "zz-no-such-label", "sanctions+China+risks",
            "Lavrov", "china&limit=500")


def competency_queries() -> dict:
    """Return {name: text} of the shipped example queries (the competency questions)."""
    folder = files("eurasia_kg.server") / "examples"
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir() if p.name.endswith(".rq")}


def page_paths(reference_app) -> list:
    """Return every page a user can reach: each entity, class, search, and the fixed pages."""
    everything = reference_app.extensions["eurasia_kg.dataset"].view("all")
    entities = sorted({s for s in everything.subjects() if isinstance(s, URIRef)
                       and str(s).startswith(str(EKGID))}, key=str)
    classes = sorted({o for o in everything.objects(None, RDF.type) if str(o).startswith(str(EKG))}, key=str)
    paths = ["/", "/essay", "/ontology", "/network", "/network.json", "/network.svg", "/query"]
    paths += ["/network.graphml", "/network.gexf", "/network.csv",
              "/network?kind=State&background=0"]
    paths += ["/id/" + str(e)[len(str(EKGID)):] for e in entities]
    paths += ["/id/" + str(e)[len(str(EKGID)):] + ".ttl" for e in entities[:40]]
    paths += ["/class/ekg:" + str(c)[len(str(EKG)):] for c in classes]
    paths += [f"/search?q={q}" for q in SEARCHES] + [f"/api/search?q={q}" for q in SEARCHES]
    paths += ["/id/NoSuchEntity", "/class/ekg:NoSuchClass"]
    paths += ["/validate"]  # what was checked, counted over the served data
    paths += [f"/statements{q}" for q in ("", "?page=2", "?kind=Recommendation", "?actor=China&sphere=EconomicSphere",
                                          "?q=sanctions")]
    paths += ["/statements.csv", "/statements.json?paragraph=14"]
    return paths


def results(response) -> Counter:
    """Return a SELECT/ASK answer as a multiset of rows (bindings as sorted tuples)."""
    answer = json.loads(response.data)
    if "boolean" in answer:
        return Counter([answer["boolean"]])
    return Counter(tuple(sorted((k, v["type"], v["value"], v.get("xml:lang"), v.get("datatype"))
                                for k, v in row.items()))
                   for row in answer["results"]["bindings"])


def assert_same_pages(reference, other, paths) -> int:
    """Assert every path answers with the same status and body; return how many were compared."""
    for path in paths:
        want, got = reference.get(path, headers={"Accept": "text/html"}), other.get(
            path, headers={"Accept": "text/html"})
        assert got.status_code == want.status_code, path
        assert got.data == want.data, f"{path} differs:\n" + _diff(want.data, got.data)
    return len(paths)


def _diff(want: bytes, got: bytes) -> str:
    lines = difflib.unified_diff(want.decode(errors="replace").splitlines(),
                                 got.decode(errors="replace").splitlines(), lineterm="", n=0)
    return "\n".join(line[:300] for line in list(lines)[:12])


def assert_same_answers(reference, other, queries: dict) -> None:
    """Assert the endpoint answers each query with the same rows as the reference."""
    for name, text in queries.items():
        want = reference.post("/sparql", data={"query": text},
                              headers={"Accept": "application/sparql-results+json"})
        got = other.post("/sparql", data={"query": text},
                         headers={"Accept": "application/sparql-results+json"})
        assert want.status_code == 200, (name, want.data[:300])
        assert got.status_code == 200, (name, got.data[:300])
        want_rows, got_rows = results(want), results(got)
        assert got_rows == want_rows, (name, "missing:", sorted(want_rows - got_rows)[:5],
                                       "extra:", sorted(got_rows - want_rows)[:5])
        assert results(want), f"{name} has no answer: the comparison would prove nothing"
