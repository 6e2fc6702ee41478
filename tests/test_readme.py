"""The README's worked examples of the proposition model: in the graph, and answering as shown."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from eurasia_kg.graph.dataset import ESSAY_GRAPH
from eurasia_kg.ontology import EKG, EKGID, PREFIXES

README = Path(__file__).resolve().parent.parent / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def blocks(text: str, language: str) -> list:
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def tables(text: str) -> list:
    """Return each markdown table after a sparql block as a list of rows (lists of cells)."""
    found = []
    for match in re.finditer(r"```sparql\n(?s:.*?)```\n\n((?:\|[^\n]*\|\n)+)", text):
        lines = match.group(1).strip().splitlines()
        found.append([[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]])
    return found


EXAMPLES = section("Propositions and arguments")


def test_the_section_has_two_worked_examples_in_turtle_and_sparql():
    assert len(blocks(EXAMPLES, "turtle")) == 2
    assert len(blocks(EXAMPLES, "sparql")) == 2
    assert "a recommendation" in EXAMPLES and "a reported statement" in EXAMPLES


@pytest.mark.parametrize("turtle", blocks(EXAMPLES, "turtle"))
def test_every_triple_of_the_turtle_examples_is_in_the_essay_graph(built, turtle):
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
    example = Graph().parse(data=prefixes + turtle, format="turtle")
    assert len(example) > 8
    missing = [t for t in example if t not in built.graph(ESSAY_GRAPH)]
    assert missing == []


def short(term) -> str:
    if isinstance(term, ox.Literal):
        return term.value
    value = term.value
    if value.startswith(str(EKG)):
        return "ekg:" + value[len(str(EKG)):]
    if value.startswith(str(EKGID)):
        return value[len(str(EKGID)):]
    return value


@pytest.mark.parametrize("index", [0, 1])
def test_the_sparql_examples_answer_as_the_readme_shows(built, index):
    store = ox.Store()
    store.load(built.dataset.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    query, table = blocks(EXAMPLES, "sparql")[index], tables(EXAMPLES)[index]
    result = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    rows = [[short(row[n]) if row[n] is not None else "" for n in names] for row in result]
    assert rows == table
