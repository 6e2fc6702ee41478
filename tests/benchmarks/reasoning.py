#!/usr/bin/env python3
"""Benchmark the build's steps: parsing, OWL 2 RL with owlrl and with reasonable, SHACL validation.

    .venv/bin/python tests/benchmarks/reasoning.py                  # essay, 100k, 1m: long
    .venv/bin/python tests/benchmarks/reasoning.py --sizes 100k     # essay and 100k, ~4 min
    .venv/bin/python tests/benchmarks/reasoning.py --validate       # also pySHACL on each graph

A script, not a test: it prints a table. Each measurement runs in a fresh Python process (so
that its peak RSS is its own): the process builds the dataset without reasoning (rdflib's
parse of the ontology and the data), then runs one reasoner through infer_into, or validates
the asserted graphs with validate_dataset. The synthetic graphs are written by
eurasia_kg.graph.synthetic (seeded) and loaded with the ontology, without the essay. A run
that takes longer than its cap is stopped (only the process this script started) and
reported as "did not finish".

Columns: parse s (rdflib, ontology and data), step s (reasoning or validation), inferred
(triples kept in the inferred graph), RSS after parse and peak RSS of the process (MB),
digest (of the sorted inferred N-Triples: equal digests, equal inferences).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = ("100k", "1m")


def child(graph_file: str | None, step: str) -> dict:
    """Measure one step in this process; return the figures."""
    from eurasia_kg.graph.dataset import INFERRED_GRAPH, build_dataset
    from eurasia_kg.graph.reasoning import infer_into

    files = [Path(graph_file)] if graph_file else None
    started = time.perf_counter()
    built = build_dataset(files, reason=False)
    parse = time.perf_counter() - started
    rss_parsed = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"asserted": built.asserted_count, "parse": parse, "rss_parsed": rss_parsed}
    started = time.perf_counter()
    if step == "validate":
        from eurasia_kg.graph.validation import validate_dataset

        report = validate_dataset(built)
        out.update(conforms=report.conforms, results=len(report.violations))
    else:
        target = built.dataset.graph(INFERRED_GRAPH)
        out["inferred"] = infer_into(built.dataset, target, step)
        lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in target)
        out["digest"] = hashlib.sha256("".join(lines).encode()).hexdigest()[:12]
    out["step"] = time.perf_counter() - started
    out["rss_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _high_water_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def measure(graph_file: Path | None, step: str, cap_minutes: float) -> dict:
    """Run one step in a child process, stopping it after cap_minutes."""
    argv = [sys.executable, __file__, "--child", step] + ([str(graph_file)] if graph_file else [])
    env = {**os.environ, "EURASIA_KG_CACHE": "off"}
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        out, err = proc.communicate(timeout=cap_minutes * 60)
    except subprocess.TimeoutExpired:
        peak = _high_water_mb(proc.pid)
        proc.kill()  # the process this script started, by its id
        proc.communicate()
        return {"unfinished": cap_minutes, "rss_peak": peak, "wall": time.perf_counter() - started}
    if proc.returncode != 0:
        return {"failed": (err.strip().splitlines() or ["?"])[-1], "wall": time.perf_counter() - started}
    return json.loads(out.strip().splitlines()[-1])


def row(graph: str, step: str, r: dict) -> str:
    if "unfinished" in r:
        peak = f"{r['rss_peak']:.0f}" if r.get("rss_peak") else "-"
        return (f"| {graph} | {step} | - | did not finish in {r['unfinished']:g} min | - | - | "
                f"{peak} (at the stop) | - |")
    if "failed" in r:
        return f"| {graph} | {step} | - | failed: {r['failed']} | - | - | - | - |"
    result = (f"{r['inferred']}" if "inferred" in r
              else ("conforms" if r["conforms"] else f"{r['results']} results"))
    return (f"| {graph} | {step} | {r['parse']:.2f} | {r['step']:.2f} | {result} | "
            f"{r['rss_parsed']:.0f} | {r['rss_peak']:.0f} | {r.get('digest', '-')} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES),
                        help="synthetic sizes to run, comma-separated: 2k, 100k, 1m "
                             "(default: 100k,1m; the essay graph always runs)")
    parser.add_argument("--seed", type=int, default=20221, help="seed of the synthetic graphs")
    parser.add_argument("--reasoners", default="owlrl,reasonable", help="default: owlrl,reasonable")
    parser.add_argument("--validate", action="store_true", help="also time validate_dataset")
    parser.add_argument("--owlrl-cap", type=float, default=20.0,
                        help="minutes owlrl may take on one graph (default 20)")
    parser.add_argument("--validate-cap", type=float, default=15.0,
                        help="minutes validation may take on one graph (default 15)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    opts = parser.parse_args(argv)
    if opts.child:
        step, *graph = opts.child
        print(json.dumps(child(graph[0] if graph else None, step)))
        return 0

    from eurasia_kg.graph.cache import installed_version
    from eurasia_kg.graph.synthetic import SIZES as NAMED, generate_synthetic

    sizes = [s.strip() for s in opts.sizes.split(",") if s.strip()]
    unknown = set(sizes) - set(NAMED)
    if unknown:
        parser.error(f"unknown size(s): {', '.join(sorted(unknown))}")
    reasoners = [r.strip() for r in opts.reasoners.split(",") if r.strip()]
    steps = reasoners + (["validate"] if opts.validate else [])
    import pyshacl
    import rdflib

    print(f"eurasia-kg build benchmark: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"rdflib {rdflib.__version__}, owlrl {installed_version('owlrl')}, reasonable "
          f"{installed_version('reasonable')}, pyshacl {pyshacl.__version__}", flush=True)
    print()
    print("| graph | step | parse s | step s | inferred / report | RSS after parse MB | peak RSS MB | digest |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    with tempfile.TemporaryDirectory(prefix="eurasia-kg-reasoning-") as work:
        graphs = [("essay (shipped)", None)]
        for size in sizes:
            path = Path(work) / f"synthetic-{size}.nt"
            info = generate_synthetic(path, NAMED[size], opts.seed)
            graphs.append((f"synthetic {size} ({info.triples_written} triples, seed {opts.seed})", path))
        for name, path in graphs:
            for step in steps:
                cap = opts.validate_cap if step == "validate" else (
                    opts.owlrl_cap if step == "owlrl" else 60.0)
                print(row(name, step, measure(path, step, cap)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
