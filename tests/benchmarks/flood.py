#!/usr/bin/env python3
"""Measure the service under a flood of distinct page addresses (a script, not a test).

    python tests/benchmarks/flood.py [--seconds 20] [--clients 8]

Starts `eurasia-kg serve --workers 1 --threads 4` on the essay graph. Then, for --seconds,
--clients threads ask for pages at addresses that are all different but name the same page:
junk query strings (/?x=N, /essay?x=N, /ontology?x=N, /network?n=N) and other Host names
(/network as hN.example), as a crawler or an attacker would. Meanwhile one more client sends
an ASK every 50 ms (each with its own comment, so that the answer cache cannot answer it).
Prints the flood's requests per second, the ASK's latency, and the web worker's memory
(resident set) before and after the flood: a cache keyed on the whole address grows by one
rendered page per request.
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "eurasia-kg"
ASK = "ASK { <https://w3id.org/eurasia-kg/id/China> ?p ?o } # "


def start() -> tuple:
    """Start the service; return (process, port)."""
    process = subprocess.Popen([str(SCRIPT), "serve", "--port", "0", "--workers", "1", "--threads", "4"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
        if found:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, int(found.group(1))
    raise RuntimeError("the service did not start")


def worker_rss_mb(server: subprocess.Popen) -> float:
    """Return the resident memory of the gunicorn worker (the master's child that is Python)."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total / 1024


def get(connection: http.client.HTTPConnection, path: str, host: str | None = None) -> int:
    connection.request("GET", path, headers={"Accept": "text/html", **({"Host": host} if host else {})})
    response = connection.getresponse()
    response.read()
    return response.status


def flood(port: int, index: int, stop: threading.Event, counts: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    n = index * 10_000_000
    while not stop.is_set():
        n += 1
        kind = n % 5
        if kind == 4:
            status = get(connection, "/network", host=f"h{n}.example")
        else:
            status = get(connection, ("/?x={}", "/essay?x={}", "/ontology?x={}", "/network?n={}")[kind].format(n))
        assert status == 200, status
        counts[index] += 1


def ask(port: int, stop: threading.Event, latencies: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    n = 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": ASK + str(n)}),
                           headers={"Accept": "application/sparql-results+json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    server, port = start()
    try:
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path in ("/", "/essay", "/ontology", "/network"):
            get(warm, path)
        quiet: list = []
        stop = threading.Event()
        alone = threading.Thread(target=ask, args=(port, stop, quiet))
        alone.start()
        time.sleep(5)
        stop.set()
        alone.join()
        before = worker_rss_mb(server)

        stop, counts, latencies = threading.Event(), [0] * args.clients, []
        threads = [threading.Thread(target=flood, args=(port, i, stop, counts)) for i in range(args.clients)]
        threads.append(threading.Thread(target=ask, args=(port, stop, latencies)))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        after = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait(30)

    def spread(values):
        ordered = sorted(values)
        return (f"p50 {statistics.median(ordered):6.1f} ms, p99 {ordered[int(0.99 * (len(ordered) - 1))]:6.1f} ms, "
                f"max {ordered[-1]:6.1f} ms ({len(ordered)} asks)")

    print(f"ASK alone:             {spread(quiet)}")
    print(f"flood of distinct URLs: {sum(counts) / elapsed:7.1f} requests/s, {sum(counts)} requests "
          f"from {args.clients} clients in {elapsed:.1f} s")
    print(f"ASK during the flood:  {spread(latencies)}")
    print(f"web worker memory:     {before:.0f} MB before the flood, {after:.0f} MB after")


if __name__ == "__main__":
    main()
