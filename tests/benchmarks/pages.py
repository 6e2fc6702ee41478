#!/usr/bin/env python3
"""Measure how fast the pages answer on the essay graph (a script, not a test).

    python tests/benchmarks/pages.py [--repeat N]

Builds the app once, then times each page through the Flask test client (no network, no
gunicorn): the first render (nothing cached) and the median and slowest of N repeats.
"""

from __future__ import annotations

import argparse
import statistics
import time

PAGES = ["/", "/id/China", "/id/SCO", "/id/claim-p18-4", "/id/TradeChinaEU2021", "/id/essay/p10",
         "/essay", "/network", "/ontology", "/class/ekg:State", "/search?q=shanghai",
         "/api/search?q=%D0%A8%D0%B0%D0%BD%D1%85%D0%B0%D0%B9", "/query", "/id/China.ttl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    from eurasia_kg.server.app import create_app

    started = time.perf_counter()
    app = create_app()
    print(f"app built in {time.perf_counter() - started:.2f} s")
    client = app.test_client()
    print(f"{'page':38} {'first ms':>9} {'p50 ms':>8} {'max ms':>8}")
    try:
        for path in PAGES:
            t = time.perf_counter()
            status = client.get(path, headers={"Accept": "text/html"}).status_code
            first = (time.perf_counter() - t) * 1000
            assert status == 200, (path, status)
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                client.get(path, headers={"Accept": "text/html"})
                times.append((time.perf_counter() - t) * 1000)
            print(f"{path:38} {first:9.1f} {statistics.median(times):8.1f} {max(times):8.1f}")
    finally:
        app.extensions["eurasia_kg.pool"].close()


if __name__ == "__main__":
    main()
