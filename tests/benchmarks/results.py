"""Writing SELECT results: the executor's writer beside pyoxigraph's own, in the same run.

The executor writes solutions as TSV through a line-counting sink (to stop at the row limit)
and converts them with pyoxigraph (server/query/results.py). Printed beside it: pyoxigraph
writing the same result directly (the reference, which cannot stop at a row limit), and the
rows read into Python and written with json.dumps (what the executor did before).

    .venv/bin/python tests/benchmarks/results.py [ROWS]
"""

import json
import statistics
import sys
import time

import pyoxigraph as ox

from eurasia_kg.server.query.results import write_solutions

XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
QUERY = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o }"


def store_of(rows: int) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                              (ox.Literal(f"value\n{i} <&>", language="en"), ox.BlankNode(f"b{i}"),
                               ox.Literal(str(i), datatype=XSD_INTEGER))[i % 3], ox.DefaultGraph())
                      for i in range(rows))
    return store


def python_json(store) -> bytes:
    solutions = store.query(QUERY)
    names = [v.value for v in solutions.variables]
    out = []
    for row in solutions:
        binding = {}
        for name in names:
            term = row[name]
            if isinstance(term, ox.NamedNode):
                binding[name] = {"type": "uri", "value": term.value}
            elif isinstance(term, ox.BlankNode):
                binding[name] = {"type": "bnode", "value": term.value}
            elif isinstance(term, ox.Literal):
                binding[name] = {"type": "literal", "value": term.value,
                                 **({"xml:lang": term.language} if term.language else {"datatype": term.datatype.value})}
        out.append(binding)
    return json.dumps({"head": {"vars": names}, "results": {"bindings": out}}).encode()


def median_ms(function, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main(rows: int) -> None:
    store = store_of(rows)
    print(f"{rows} rows, median of 7 runs, query included")
    print(f"{'format':8}{'executor':>12}{'pyoxigraph':>13}{'Python rows':>14}")
    for fmt in ("json", "xml", "csv", "tsv"):
        ours = median_ms(lambda: write_solutions(store.query(QUERY), fmt, rows))
        results_format = getattr(ox.QueryResultsFormat, fmt.upper())
        direct = median_ms(lambda: store.query(QUERY).serialize(format=results_format))
        same = write_solutions(store.query(QUERY), fmt, rows)[0] == store.query(QUERY).serialize(format=results_format)
        python = f"{median_ms(lambda: python_json(store)):12.1f}ms" if fmt == "json" else f"{'-':>14}"
        print(f"{fmt:8}{ours:10.1f}ms{direct:11.1f}ms{python}" + ("" if same else "  (bytes differ!)"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
