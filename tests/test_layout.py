"""The layout the README's Architecture section draws: data flows one way, no module imports
another that imports it back, imports sit at the top of modules, executors load no Flask."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"ontology": "ontology", "graph": "graph", "shapes": "shapes", "server": "server"}
#: Imports inside functions that are there on purpose, each with its reason in a comment beside it.
INSIDE_FUNCTIONS = {("server.query.executor", "server.remote.query_store")}


def modules() -> dict:
    """Return {dotted name under eurasia_kg: path} of every module of the four packages."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path) -> list:
    """Return (imported module, at top level?) for each project import of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").startswith("eurasia_kg."):
                target = node.module.removeprefix("eurasia_kg.")
            else:
                continue
            names = [f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in MODULES]
            for imported in names or [target]:
                out.append((imported, id(node) in top))
    return out


MODULES = modules()
GRAPH = {name: imports(name, path) for name, path in MODULES.items()}


def test_graph_never_imports_server():
    wrong = [(m, i) for m, found in GRAPH.items() if m.startswith(("graph", "ontology", "shapes"))
             for i, _ in found if i.startswith("server")]
    assert wrong == []


def test_imports_sit_at_the_top_of_modules():
    inside = {(m, i) for m, found in GRAPH.items() for i, top in found if not top}
    assert inside == INSIDE_FUNCTIONS


def test_no_module_imports_one_that_imports_it_back():
    edges = {m: {i for i, _ in found if i in GRAPH and i != m} for m, found in GRAPH.items()}
    state, cycles = {}, []

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_blueprint_imports_another():
    blueprints = {m for m, p in MODULES.items() if "Blueprint(" in p.read_text(encoding="utf-8")}
    assert {"server.sparql", "server.pages.entities", "server.meta"} <= blueprints
    wrong = [(m, i) for m in blueprints for i, _ in GRAPH[m] if i in blueprints]
    assert wrong == []


@pytest.mark.parametrize("module", ["eurasia_kg.server.query.executor", "eurasia_kg.server.query.pool"])
def test_the_query_processes_load_neither_flask_nor_rdflib(module):
    code = (f"import sys, {module}\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'rdflib', 'pyshacl', 'owlrl'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
