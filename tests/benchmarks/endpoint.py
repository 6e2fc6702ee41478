#!/usr/bin/env python3
"""Benchmark `eurasia-kg serve` against Oxigraph's server on the same data and query mix.

    .venv/bin/python tests/benchmarks/endpoint.py           # essay, 2k and 100k synthetic, ~11 min
    .venv/bin/python tests/benchmarks/endpoint.py --quick   # essay graph, short runs, ~2 min
    .venv/bin/python tests/benchmarks/endpoint.py --graphs essay,synthetic-2k,synthetic-100k

Needs wrk (`apt-get install wrk`) and Oxigraph's server (`pip install oxigraph`) beside
eurasia-kg in the same virtualenv. See README.md beside this file for what the columns mean.

For each graph it starts three servers on 127.0.0.1, one after the other while nothing is
measured, and stops them (only the processes it started, by their id) when done:

  * eurasia-kg serve with its answer cache (the default),
  * eurasia-kg serve --no-cache,
  * oxigraph serve, in memory (no --location), with --union-default-graph, loaded through
    its /store endpoint with the N-Quads that eurasia-kg serves at /download/eurasia-kg.nq,
    so that both answer over exactly the same quads (asserted and inferred, all named graphs;
    both default graphs are the union of the named graphs).

The query mix (label lookup, text search, an entity's neighbourhood, a two-hop join, an
aggregation, a property path, a CONSTRUCT, an ASK, a DESCRIBE) is parameterised with IRIs
and labels that exist in the graph. Before measuring, every query is sent once to each
server and the answers are compared (row or triple counts): the output says if they differ.

Load comes from wrk with one thread (so the load generator takes a small share of one core;
its CPU time is printed). One wrk run per query at 1 keep-alive connection gives that query's
p50/p99 and requests/s; at 8 connections, and for the mix (a Lua script rotating through all
queries with three parameters each), the figure sums several 1-second runs, each with fresh
connections, because a keep-alive connection stays on the worker that accepted it. Before each
run the script waits for the machine to be idle. Nothing here is a test: it prints figures,
and the issue's targets beside them ("met" or "MISSED"); the run ends with one table of every
graph's targets: the figure, the bound and the verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from eurasia_kg.graph.synthetic import SIZES, GraphInfo, generate_synthetic

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
EURASIA_KG = str(BIN / "eurasia-kg")
OXIGRAPH = str(BIN / "oxigraph")

EKG = "https://w3id.org/eurasia-kg/ontology#"
ID = "https://w3id.org/eurasia-kg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ORG = "http://www.w3.org/ns/org#"

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"

# The synthetic graph (eurasia_kg.graph.synthetic) describes itself with a GraphInfo; so does
# the essay graph.
ESSAY = GraphInfo("essay", [ID + "China", ID + "Russia", ID + "UnitedStates"],
                  ["China", "Russia", "United States"], ["sanction", "trade", "energy"])


# ----------------------------------------------------------------------------------------
# The query mix
# ----------------------------------------------------------------------------------------

PREFIXES = f"""PREFIX ekg: <{EKG}>
PREFIX rdf: <{RDF}>
PREFIX rdfs: <{RDFS}>
PREFIX org: <{ORG}>
"""

#: name -> (template, Accept). {e} an entity IRI, {label} its English label, {word} a word.
QUERIES = {
    "label lookup": ("""SELECT ?entity ?type WHERE {{ ?entity rdfs:label "{label}"@en ; a ?type }}""",
                     RESULTS_JSON),
    "text search": ("""SELECT ?claim ?text WHERE {{
  ?claim a ekg:Claim ; ekg:claimText ?text .
  FILTER (CONTAINS(LCASE(STR(?text)), "{word}"))
}} LIMIT 100""", RESULTS_JSON),
    "neighbourhood": ("""SELECT ?direction ?p ?o ?label WHERE {{
  {{ <{e}> ?p ?o BIND ("out" AS ?direction) }}
  UNION
  {{ ?o ?p <{e}> BIND ("in" AS ?direction) }}
  OPTIONAL {{ ?o rdfs:label ?label FILTER (LANG(?label) = "en") }}
}} LIMIT 2000""", RESULTS_JSON),
    "two-hop join": ("""SELECT ?claim ?relation ?partner WHERE {{
  ?relation ekg:party <{e}> , ?partner .
  FILTER (?partner != <{e}>)
  ?claim ekg:about ?relation .
}}""", RESULTS_JSON),
    "aggregation": ("""SELECT ?modality (COUNT(DISTINCT ?statement) AS ?statements) (COUNT(DISTINCT ?paragraph) AS ?paragraphs) WHERE {{
  ?statement a ekg:Statement ; ekg:modality ?modality ; ekg:paragraph ?paragraph .
}} GROUP BY ?modality ORDER BY DESC(?statements)""", RESULTS_JSON),
    "property path": ("""SELECT DISTINCT ?partner WHERE {{ <{e}> ekg:strategicPartnerOf+ ?partner }}""",
                      RESULTS_JSON),
    "CONSTRUCT": ("""CONSTRUCT {{ ?relation a ?type ; rdfs:label ?label ; ekg:party ?party }} WHERE {{
  ?relation ekg:party <{e}> , ?party ; a ?type ; rdfs:label ?label .
  FILTER (LANG(?label) = "en")
}}""", NTRIPLES),
    "ASK": ("""ASK {{ <{e}> ekg:strategicPartnerOf ?partner . ?partner org:memberOf ?org . <{e}> org:memberOf ?org }}""",
            RESULTS_JSON),
    "DESCRIBE": ("""DESCRIBE <{e}>""", NTRIPLES),
}


@dataclass(frozen=True)
class Query:
    name: str
    text: str
    accept: str


def queries_for(info: GraphInfo, variant: int = 0) -> list:
    """Return the mix for one graph, with its variant-th entity, label and word."""
    e = info.entities[variant % len(info.entities)]
    label = info.labels[variant % len(info.labels)]
    word = info.words[variant % len(info.words)]
    return [Query(name, PREFIXES + template.format(e=e, label=label, word=word), accept)
            for name, (template, accept) in QUERIES.items()]


# ----------------------------------------------------------------------------------------
# Servers: started here, stopped here, by the process id this script got
# ----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def http(method: str, url: str, data: bytes | None = None, headers: dict | None = None,
         timeout: float = 60.0) -> tuple:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@dataclass
class Server:
    """One server process this script started (in its own session, so its children go with it)."""

    label: str
    argv: list
    port: int
    query_path: str
    log: Path
    env: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    ready_seconds: float | None = None
    #: protocol parameters sent with every query, e.g. "&default-graph-uri=..." (scale.py)
    query_params: str = ""

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def query_target(self, text: str) -> str:
        """Return the path and query string that send the query text to this server."""
        return self.query_path + "?query=" + urllib.parse.quote(text, safe="") + self.query_params

    def start(self) -> "Server":
        self.started_at = time.perf_counter()
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(self.argv, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True,
                                            env={**os.environ, **self.env})
        return self

    def wait_ready(self, path: str, timeout: float) -> float:
        """Wait until GET path answers 200; return the seconds since start."""
        deadline = self.started_at + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.label} exited with {self.process.returncode}; "
                                   f"its log:\n{self.log.read_text(errors='replace')[-3000:]}")
            try:
                status, _ = http("GET", self.base + path, timeout=2)
                if status == 200:
                    self.ready_seconds = time.perf_counter() - self.started_at
                    return self.ready_seconds
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{self.label} did not answer within {timeout:g} s; log: {self.log}")

    def stop(self) -> None:
        """SIGTERM the process we started (it stops its workers), then its group if needed."""
        if self.process is None or self.process.poll() is not None:
            return
        pid = self.process.pid
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        try:  # whatever it left behind in its own process group (started by us)
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def start_eurasia(label: str, workdir: Path, data_args: list, cache: bool, workers: int,
                  threads: int, timeout: float, inference_cache: Path | None) -> Server:
    port = free_port()
    runtime = workdir / f"run-{port}"  # gunicorn's control socket: one per server
    runtime.mkdir(mode=0o700)
    argv = [EURASIA_KG, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers),
            "--threads", str(threads), *data_args] + ([] if cache else ["--no-cache"])
    env = {"XDG_RUNTIME_DIR": str(runtime)}
    if inference_cache is not None:
        env["EURASIA_KG_CACHE"] = str(inference_cache)
    server = Server(label, argv, port, "/sparql", workdir / f"{label}.log", env).start()
    server.wait_ready("/healthz", timeout)
    return server


def built_seconds(server: Server) -> float | None:
    found = re.search(r"built and validated in ([0-9.]+) s", server.log.read_text(errors="replace"))
    return float(found.group(1)) if found else None


def start_oxigraph(workdir: Path, nquads: bytes) -> tuple:
    """Start oxigraph serve in memory and load the quads through /store; return (server, s)."""
    port = free_port()
    argv = [OXIGRAPH, "serve", "--bind", f"{HOST}:{port}", "--union-default-graph"]
    server = Server("oxigraph", argv, port, "/query", workdir / "oxigraph.log").start()
    server.wait_ready("/query?query=" + urllib.parse.quote("ASK {}"), 30)
    started = time.perf_counter()
    status, body = http("POST", server.base + "/store", nquads,
                        {"Content-Type": "application/n-quads"}, timeout=300)
    if status not in (200, 201, 204):
        server.stop()
        raise RuntimeError(f"oxigraph refused the data: {status} {body[:500]!r}")
    return server, time.perf_counter() - started


def count_quads(server: Server) -> int:
    text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, body = http("GET", server.base + server.query_target(text),
                        headers={"Accept": RESULTS_JSON})
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) if status == 200 else -1


def answer_size(server: Server, query: Query) -> str:
    """Run a query once; return a comparable summary of the answer (rows, triples, boolean)."""
    status, body = http("GET", server.base + server.query_target(query.text),
                        headers={"Accept": query.accept})
    if status != 200:
        return f"HTTP {status}: {body[:200].decode(errors='replace')}"
    if query.accept == NTRIPLES:
        return f"{sum(1 for line in body.splitlines() if line.strip())} triples"
    data = json.loads(body)
    if "boolean" in data:
        return str(data["boolean"]).lower()
    return f"{len(data['results']['bindings'])} rows"


# ----------------------------------------------------------------------------------------
# Load: wrk with one thread and a Lua script that rotates through the requests
# ----------------------------------------------------------------------------------------

LUA = r"""
local paths = {%(paths)s}
local accepts = {%(accepts)s}
local reqs = {}
local i = 0
init = function(args)
  for k = 1, #paths do
    reqs[k] = wrk.format("GET", paths[k], {["Accept"] = accepts[k]})
  end
end
request = function()
  i = i %% #reqs + 1
  return reqs[i]
end
done = function(summary, latency, requests)
  io.write(string.format(
    'WRK-RESULT {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d, "mean_us": %%f}\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
"""


@dataclass
class Run:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    wrk_cpu: float  #: CPU seconds wrk used per second of the run
    server_cpu: dict = field(default_factory=dict)  #: CPU ms per request, by process role
    worker_split: list = field(default_factory=list)  #: CPU seconds of each web worker
    run_rps: list = field(default_factory=list)  #: requests/s of each run, when combined

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def combine(runs: list) -> Run:
    """One figure from several runs, each with fresh connections: sums of requests and time,
    the median of the p50s, the largest p99, CPU per request over all requests."""
    requests = sum(r.requests for r in runs)
    seconds = sum(r.seconds for r in runs)
    cpu: dict = {}
    for r in runs:
        for k, v in r.server_cpu.items():
            cpu[k] = cpu.get(k, 0.0) + v * r.requests
    p50s = sorted(r.p50_ms for r in runs)
    return Run(requests, seconds, sum(r.errors for r in runs), p50s[len(p50s) // 2],
               max(r.p99_ms for r in runs), sum(r.wrk_cpu * r.seconds for r in runs) / max(seconds, 1e-9),
               {k: v / max(1, requests) for k, v in cpu.items()},
               [max(r.worker_split) / sum(r.worker_split) if sum(r.worker_split) else 0.0
                for r in runs] if any(r.worker_split for r in runs) else [],
               [r.rps for r in runs])


def _cpu_ticks() -> tuple:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]  # total, idle + iowait


_TICK = os.sysconf("SC_CLK_TCK")


def process_tree(root: int) -> dict:
    """Return {pid: role} for root and its descendants: master, worker, executor, server."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    roles, frontier, depth = {root: 0}, [root], 0
    while frontier:
        depth += 1
        frontier = [pid for pid, ppid in parents.items() if ppid in frontier]
        roles.update({pid: depth for pid in frontier})
    return roles


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


WAITED = {"seconds": 0.0, "runs": 0}


def wait_idle(limit: float = 30.0, busy: float = 0.10) -> float:
    """Wait until the machine is idle (a server may still be finishing an abandoned query).

    Returns the busy share of the last 0.2 s window; past `limit` seconds it gives up.
    """
    started = time.perf_counter()
    deadline = started + limit
    while True:
        total0, idle0 = _cpu_ticks()
        time.sleep(0.2)
        total1, idle1 = _cpu_ticks()
        share = 1 - (idle1 - idle0) / max(1, total1 - total0)
        if share <= busy or time.perf_counter() > deadline:
            waited = time.perf_counter() - started - 0.2
            if waited > 0.1:
                WAITED["seconds"] += waited
                WAITED["runs"] += 1
            return share


def wrk_run(server: Server, queries: list, clients: int, seconds: int, workdir: Path) -> Run:
    share = wait_idle()
    if share > 0.10:
        print(f"    note: the machine was {share:.0%} busy before this run (another process?)",
              flush=True)
    paths = [server.query_target(q.text) for q in queries]
    script = workdir / "mix.lua"
    script.write_text(LUA % {"paths": ", ".join(f'"{p}"' for p in paths),
                             "accepts": ", ".join(f'"{q.accept}"' for q in queries)})
    argv = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script),
            server.base + "/"]
    tree = process_tree(server.process.pid)
    before = {pid: cpu_seconds(pid) for pid in tree}
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode(errors="replace")
    used: dict = {}
    split = []
    for pid, depth in tree.items():
        spent = cpu_seconds(pid) - before[pid]
        used[depth] = used.get(depth, 0.0) + spent
        if depth == 1:
            split.append(spent)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    found = re.search(r"WRK-RESULT (\{.*\})", out)
    if proc.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{out}")
    r = json.loads(found.group(1))
    elapsed = r["duration_us"] / 1e6
    errors = r["non2xx"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
    names = ({0: "master", 1: "web workers", 2: "executors"} if len(used) > 1 else {0: "server"})
    per_request = {names.get(d, f"depth {d}"): 1000 * v / max(1, r["requests"]) for d, v in used.items()}
    per_request["wrk"] = 1000 * (usage.ru_utime + usage.ru_stime) / max(1, r["requests"])
    return Run(r["requests"], elapsed, errors, r["p50_us"] / 1000, r["p99_us"] / 1000,
               (usage.ru_utime + usage.ru_stime) / elapsed if elapsed else 0.0, per_request,
               sorted(split, reverse=True) if len(used) > 1 else [])


# ----------------------------------------------------------------------------------------
# In-process engine time: what pyoxigraph alone needs for each query (the floor)
# ----------------------------------------------------------------------------------------

def _median_ms(run, seconds: float) -> float:
    samples, deadline = [], time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 3:
        t = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t)
    samples.sort()
    return samples[len(samples) // 2] * 1000


def engine_times(nquads: Path, queries: list, seconds: float) -> tuple:
    """Median in-process times per query (ms), without HTTP: (engine, execute).

    engine: pyoxigraph's store.query and its own (Rust) serialiser, the floor for both servers.
    execute: eurasia_kg.server.query.executor.execute, what one eurasia-kg executor does per query
    (pyoxigraph, then the answer written by eurasia-kg's Python writers).
    """
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)

    def engine(q):
        result = store.query(q.text, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions):
            result.serialize(format=ox.QueryResultsFormat.JSON)
        elif isinstance(result, ox.QueryTriples):
            ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)

    engine_ms = {q.name: _median_ms(lambda: engine(q), seconds) for q in queries}
    try:
        from eurasia_kg.server.query.executor import execute
        from eurasia_kg.server.query.messages import QueryRequest

        requests = {q.name: QueryRequest(text=q.text, result_format="nt" if q.accept == NTRIPLES else "json",
                                         base_iri=f"http://{HOST}/sparql") for q in queries}
        execute_ms = {q.name: _median_ms(lambda: execute(store, requests[q.name], 10000), seconds)
                      for q in queries}
    except (ImportError, TypeError) as exc:  # the engine's interface changed: no column
        print(f"    (no in-process figure for eurasia-kg's executor: {exc})")
        execute_ms = {}
    return engine_ms, execute_ms


# ----------------------------------------------------------------------------------------
# One graph: start, check, measure, stop, print
# ----------------------------------------------------------------------------------------

def progress(text: str) -> None:
    """Show what is being measured, on a terminal only (one line, overwritten)."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\r    {text:70}\r")
        sys.stderr.flush()


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def _cache_files(folder: Path | None) -> set:
    return set(folder.glob("inferred-*")) if folder is not None and folder.is_dir() else set()


def bench_graph(info: GraphInfo, data_args: list, opts, workdir: Path,
                inference_cache: Path | None) -> dict:
    """Start the three servers on one graph, check their answers, measure, stop, print.

    inference_cache: the folder of eurasia-kg's inference cache for these servers (a fresh
    one makes the first start cold, the second warm); None uses the project's default folder.
    """
    from eurasia_kg.graph.cache import cache_folder

    gdir = workdir / info.name
    gdir.mkdir()
    servers: dict = {}
    report: dict = {"graph": info.name}
    folder = inference_cache if inference_cache is not None else cache_folder()
    try:
        print(f"\n=== {info.name} graph: starting eurasia-kg serve (answer cache on) ...", flush=True)
        before = _cache_files(folder)
        eko = start_eurasia("eurasia-kg", gdir, data_args, True, opts.workers, opts.threads,
                            opts.startup_timeout, inference_cache)
        servers["eurasia-kg"] = eko
        report["startup"] = [(eko.ready_seconds, built_seconds(eko),
                              "reasoned" if _cache_files(folder) - before or folder is None
                              else "inferences read from the cache of an earlier run")]
        status, nquads = http("GET", eko.base + "/download/eurasia-kg.nq", timeout=300)
        if status != 200:
            raise RuntimeError(f"cannot download the served dataset: HTTP {status}")
        nq_path = gdir / "dataset.nq"
        nq_path.write_bytes(nquads)
        print(f"    answering after {eko.ready_seconds:.2f} s ('built and validated in "
              f"{report['startup'][0][1]} s', {report['startup'][0][2]}); "
              "starting eurasia-kg --no-cache ...", flush=True)
        ekn = start_eurasia("eurasia-kg-nocache", gdir, data_args, False, opts.workers,
                            opts.threads, opts.startup_timeout, inference_cache)
        servers["eurasia-kg --no-cache"] = ekn
        report["startup"].append((ekn.ready_seconds, built_seconds(ekn),
                                  "inferences read from the cache of the first start"
                                  if folder is not None else "reasoned"))
        print(f"    answering after {ekn.ready_seconds:.2f} s; starting oxigraph ...", flush=True)
        ox, load_seconds = start_oxigraph(gdir, nquads)
        servers["oxigraph"] = ox
        report["oxigraph_ready"] = ox.ready_seconds
        report["oxigraph_load"] = load_seconds
        report["quads"] = {name: count_quads(s) for name, s in servers.items()}

        mix0 = queries_for(info, 0)
        mix = [q for v in range(3) for q in queries_for(info, v)]
        checks = {}
        for q in mix:
            answers = {name: answer_size(s, q) for name, s in servers.items()}
            if len(set(answers.values())) != 1:
                checks[q.name] = answers
        report["answers"] = {q.name: answer_size(ox, q) for q in mix0}
        report["mismatches"] = checks
        report["engine_ms"], report["execute_ms"] = engine_times(nq_path, mix0, opts.engine_seconds)

        order = ["eurasia-kg", "eurasia-kg --no-cache", "oxigraph"]
        for name in order:  # warm up: caches, executors, allocator
            wrk_run(servers[name], mix, 8, 1, gdir)
        per_query: dict = {}
        for clients in (1, 8):
            for q in mix0:
                for name in order:
                    progress(f"{q.name}, {clients} client(s), {name}")
                    if clients == 1:
                        run = wrk_run(servers[name], [q], 1, opts.seconds, gdir)
                    else:  # fresh connections each second: see "connections" in the README
                        run = combine([wrk_run(servers[name], [q], clients, 1, gdir)
                                       for _ in range(opts.seconds)])
                    per_query[(q.name, clients, name)] = run
        mixed: dict = {}
        for clients in (1, 8):
            for name in order:
                progress(f"the mix, {clients} client(s), {name}")
                mixed[(clients, name)] = combine([wrk_run(servers[name], mix, clients, 1, gdir)
                                                  for _ in range(opts.mix_seconds)])
        progress("")
        report["per_query"], report["mix"] = per_query, mixed
    finally:
        for s in servers.values():
            s.stop()
    print_report(info, report, opts)
    return report


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def graph_targets(name: str, r: dict) -> dict:
    """The issue's targets for one graph's report, by key: rule (the target line's words),
    short (the summary's), figure, bound (both as text) and met."""
    EK, EN, OX = "eurasia-kg", "eurasia-kg --no-cache", "oxigraph"
    out = {}
    differ = r["mismatches"]
    out["answers"] = {
        "rule": "the same answers as oxigraph for every query",
        "short": "same answers as oxigraph, every query",
        "figure": (f"identical on all 3 servers, {len(QUERIES)} queries x 3 parameters"
                   if not differ else "differ: " + ", ".join(differ)),
        "bound": "identical", "met": not differ}
    a, b, c = (r["mix"][(8, n)] for n in (EK, EN, OX))
    out["mix_cache"] = {
        "rule": "the mix at 8 clients, answer cache on >= 1.00 x oxigraph",
        "short": "mix at 8 clients, cache on / oxigraph",
        "figure": f"{ratio(a.rps, c.rps)} x: {a.rps:.0f} / {c.rps:.0f} req/s",
        "bound": ">= 1.00 x", "met": a.rps >= c.rps}
    out["mix_nocache"] = {
        "rule": "the mix at 8 clients, cache off (--no-cache) >= 0.50 x oxigraph",
        "short": "mix at 8 clients, --no-cache / oxigraph",
        "figure": f"{ratio(b.rps, c.rps)} x: {b.rps:.0f} / {c.rps:.0f} req/s",
        "bound": ">= 0.50 x", "met": b.rps >= 0.5 * c.rps}
    missed, worst = [], None
    for q in QUERIES:
        e, o = r["per_query"][(q, 1, EN)].p50_ms, r["per_query"][(q, 1, OX)].p50_ms
        bound = max(2 * o, o + 1)
        if e > bound:
            missed.append(q)
        if worst is None or e / bound > worst[0]:
            worst = (e / bound, q, e, bound, o)
    _, q, e, bound, o = worst
    out["p50"] = {
        "rule": "every query's p50 (cache off, 1 client) <= max(2 x oxigraph's, oxigraph's + 1 ms)",
        "short": "p50 --no-cache, 1 client, every query",
        "figure": f"closest: {q} {e:.2f} ms, oxigraph {o:.2f}"
                  + (f"; missed: {', '.join(missed)}" if missed else ""),
        "bound": f"<= {bound:.2f} ms", "met": not missed}
    if name == "essay":
        for key, which, (ready, _, _) in zip(("startup_cold", "startup_warm"), ("cold", "warm"),
                                             r["startup"]):
            out[key] = {"rule": f"startup under 3 s, {which}", "short": f"startup, {which}",
                        "figure": f"{ready:.2f} s", "bound": "< 3 s", "met": ready < 3}
    return out


def target_line(t: dict) -> str:
    return f"   target: {t['rule']}: {verdict(t['met'])} ({t['figure']})"


def print_summary(results: list) -> None:
    """One table at the end of the run: per graph and target, the figure, the bound, the verdict.

    results: (graph name, its report or None, why it failed or None), in the order run.
    """
    rows = [("graph", "target", "figure", "bound", "verdict")]
    for name, r, failure in results:
        if r is None or "targets" not in r:
            why = (str(failure or "").splitlines() or [""])[0][:60]  # its log tail follows
            rows.append((name, "(no figures: the benchmark failed)", why, "", "MISSED"))
            continue
        rows += [(name, t["short"], t["figure"], t["bound"], verdict(t["met"])) for t in r["targets"].values()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print("\n## summary: the issue's targets, met or MISSED")
    for i, row in enumerate(rows):
        print("   " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[4])
        if i == 0:
            print("   " + "-" * (sum(widths) + 2 * len(widths) + len("verdict")))
    missed = sum(1 for row in rows[1:] if row[4] != "met")
    print(f"   {len(rows) - 1 - missed} met, {missed} MISSED")


def print_report(info: GraphInfo, r: dict, opts) -> None:
    EK, EN, OX = "eurasia-kg", "eurasia-kg --no-cache", "oxigraph"
    t = r.setdefault("targets", graph_targets(info.name, r))
    print(f"\n## {info.name} graph: {r['quads'][OX]} quads served "
          f"(eurasia-kg {r['quads'][EK]}, --no-cache {r['quads'][EN]})")
    if info.triples_written:
        print(f"   synthetic file: {info.triples_written} triples, seed {opts.seed}; parameters: "
              + ", ".join(f"<{e}> ({l})" for e, l in zip(info.entities, info.labels)))
    else:
        print("   parameters: " + ", ".join(f"<{e}> ({l})" for e, l in zip(info.entities, info.labels)))
    print(f"   servers: eurasia-kg serve --workers {opts.workers} --threads {opts.threads} "
          "[--no-cache]; oxigraph serve (in memory) --union-default-graph; "
          f"load: wrk -t1, {opts.seconds} s per query, {opts.mix_seconds} s per mix")
    print(target_line(t["answers"]))
    if r["mismatches"]:
        print("   ANSWERS DIFFER:", json.dumps(r["mismatches"], indent=1))
    for clients in (1, 8):
        print(f"\n   per query, {clients} client{'s' if clients > 1 else ''} "
              "(p50 / p99 ms, requests/s; ratio = eurasia-kg --no-cache / oxigraph; engine and "
              "execute: in-process ms, see README)")
        head = (f"   {'query':14} {'answer':>11} {'engine':>7} {'execute':>7} | {'ekg cache p50':>13} {'p99':>7} {'rps':>6} |"
                f" {'ekg no-cache p50':>16} {'p99':>7} {'rps':>6} | {'oxigraph p50':>12} {'p99':>7} {'rps':>6} |"
                f" {'p50 ratio':>9} {'rps ratio':>9} {'p50 target':>10}")
        print(head)
        print("   " + "-" * (len(head) - 3))
        for name in QUERIES:
            a = r["per_query"][(name, clients, EK)]
            b = r["per_query"][(name, clients, EN)]
            c = r["per_query"][(name, clients, OX)]
            bound = max(2 * c.p50_ms, c.p50_ms + 1)
            met = verdict(b.p50_ms <= bound) if clients == 1 else ""
            errors = "" if not (a.errors or b.errors or c.errors) else f"  errors {a.errors}/{b.errors}/{c.errors}"
            execute = r["execute_ms"].get(name)
            print(f"   {name:14} {r['answers'][name]:>11} {r['engine_ms'][name]:7.2f} "
                  f"{'-' if execute is None else format(execute, '7.2f'):>7} |"
                  f" {a.p50_ms:13.2f} {a.p99_ms:7.2f} {a.rps:6.0f} |"
                  f" {b.p50_ms:16.2f} {b.p99_ms:7.2f} {b.rps:6.0f} |"
                  f" {c.p50_ms:12.2f} {c.p99_ms:7.2f} {c.rps:6.0f} |"
                  f" {ratio(b.p50_ms, c.p50_ms):>9} {ratio(b.rps, c.rps):>9} {met:>10}{errors}")
    print("\n   the mix (all 9 queries, 3 parameters each, rotated), requests/s "
          "(p50 / p99 ms), wrk CPU as share of one core")
    print(f"   {'clients':7} | {'ekg cache':>22} | {'ekg no-cache':>22} | {'oxigraph':>22} |"
          f" {'cache/ox':>8} {'nocache/ox':>10}")
    for clients in (1, 8):
        a, b, c = (r["mix"][(clients, n)] for n in (EK, EN, OX))
        cell = lambda x: f"{x.rps:7.0f} ({x.p50_ms:5.2f}/{x.p99_ms:6.2f})"  # noqa: E731
        print(f"   {clients:7} | {cell(a):>22} | {cell(b):>22} | {cell(c):>22} |"
              f" {ratio(a.rps, c.rps):>8} {ratio(b.rps, c.rps):>10}")
        print(f"   {'':7} | wrk {a.wrk_cpu:4.0%}, errors {a.errors:<7} | wrk {b.wrk_cpu:4.0%}, "
              f"errors {b.errors:<7} | wrk {c.wrk_cpu:4.0%}, errors {c.errors:<7} |")
    print("   CPU per request in the mix at 8 clients (ms, by process; all processes' user + system time):")
    for n in (EK, EN, OX):
        x = r["mix"][(8, n)]
        print(f"     {n:22} " + ", ".join(f"{k} {v:.3f}" for k, v in x.server_cpu.items()
                                        if v >= 0.0005 or k != "master")
              + f"; total {sum(x.server_cpu.values()):.3f}")
        if x.worker_split:
            print(f"     {'':22} requests/s of the {len(x.run_rps)} runs: "
                  + " ".join(f"{v:.0f}" for v in x.run_rps)
                  + "; busiest web worker's share of the workers' CPU: "
                  + " ".join(f"{v:.0%}" for v in x.worker_split))
    for key in ("mix_cache", "mix_nocache", "p50"):
        print(target_line(t[key]))
    print("\n   startup, from the command to the first answer (its own figure for parse, reason, "
          "validate, load in quotes):")
    for which, (ready, built, how) in zip(("answer cache on", "--no-cache"), r["startup"]):
        print(f"   eurasia-kg serve ({which}): {ready:6.2f} s ('built and validated in {built} s'; {how})")
    print(f"   oxigraph serve: {r['oxigraph_ready']:6.2f} s, then {r['oxigraph_load']:.2f} s to load "
          "the quads through /store")
    for key in ("startup_cold", "startup_warm"):
        if key in t:
            print(target_line(t[key]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="1 s per query, 2 s per mix, the essay graph only unless --graphs "
                             "says otherwise, 'synthetic' of 20k triples (about 2 min)")
    parser.add_argument("--graphs", default=None,
                        help="comma-separated: essay, synthetic-2k, synthetic-100k, synthetic-1m "
                             "(the generator's sizes), synthetic (--synthetic-triples); default: "
                             "essay,synthetic-2k,synthetic-100k (essay with --quick)")
    parser.add_argument("--cold", action="store_true",
                        help="reason over the synthetic graphs at startup even when the project's "
                             "inference cache holds an earlier run's result (minutes at 100k)")
    parser.add_argument("--synthetic-triples", type=int, default=None,
                        help="size of the graph named 'synthetic' in --graphs (default 100000; "
                             "20000 with --quick)")
    parser.add_argument("--seed", type=int, default=20221, help="seed of the synthetic graph")
    parser.add_argument("--seconds", type=int, default=None, help="seconds per query run (default 2)")
    parser.add_argument("--mix-seconds", type=int, default=None, help="seconds per mix run (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="eurasia-kg serve --workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="eurasia-kg serve --threads (default 4)")
    parser.add_argument("--startup-timeout", type=float, default=900.0,
                        help="seconds a server may take to answer (default 900)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, data)")
    opts = parser.parse_args(argv)
    opts.seconds = opts.seconds or (1 if opts.quick else 2)
    opts.mix_seconds = opts.mix_seconds or (2 if opts.quick else 5)
    opts.engine_seconds = 0.2 if opts.quick else 0.5
    triples = opts.synthetic_triples or (20_000 if opts.quick else 100_000)
    named = {f"synthetic-{size}": n for size, n in SIZES.items()}
    by_triples = {n: name for name, n in named.items()}
    asked = [g.strip() for g in (opts.graphs or ("essay" if opts.quick else
                                                 "essay,synthetic-2k,synthetic-100k")).split(",")
             if g.strip()]
    unknown = set(asked) - {"essay", "synthetic", *named}
    if unknown:
        parser.error(f"unknown graph(s): {', '.join(sorted(unknown))} "
                     f"(known: essay, synthetic, {', '.join(named)})")
    graphs: dict = {}  # name -> triples (None: the essay), in the order asked, each once
    for g in asked:
        if g == "synthetic":
            g = by_triples.get(triples, f"synthetic-{triples}")
        graphs.setdefault(g, named.get(g, triples) if g != "essay" else None)
    for tool in (EURASIA_KG, OXIGRAPH):
        if not Path(tool).exists():
            parser.error(f"{tool} is missing: pip install -e . oxigraph (in this virtualenv)")
    if not shutil.which("wrk"):
        parser.error("wrk is missing: apt-get install wrk")
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    ox_version = subprocess.run([OXIGRAPH, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"eurasia-kg endpoint benchmark on {os.cpu_count()} cores; {wrk_version.strip()}; {ox_version}")
    workdir = Path(tempfile.mkdtemp(prefix="eurasia-kg-bench-"))
    started = time.perf_counter()
    status = 0
    results = []  # (graph, its report or None, why it failed or None), for the summary
    try:
        for name, size in graphs.items():
            try:
                if name == "essay":
                    report = bench_graph(ESSAY, [], opts, workdir, workdir / "inference-essay")
                else:
                    path = workdir / f"synthetic-{size}.nt"  # a stable name: see --cold
                    t = time.perf_counter()
                    info = generate_synthetic(path, size, opts.seed)
                    info.name = name  # the graph's folder and its name in the report
                    print(f"\ngenerated {info.triples_written} synthetic triples in "
                          f"{time.perf_counter() - t:.1f} s", flush=True)
                    report = bench_graph(info, ["--data", str(path), "--with-shipped"], opts, workdir,
                                         workdir / f"inference-{name}" if opts.cold else None)
                results.append((name, report, None))
            except RuntimeError as exc:
                print(f"\n{name} graph: the benchmark failed: {exc}", flush=True)
                results.append((name, None, exc))
                status = 1
    finally:
        if opts.keep:
            print(f"\nwork folder kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\ntotal time {time.perf_counter() - started:.0f} s"
          + (f"; {WAITED['runs']} runs waited {WAITED['seconds']:.1f} s in all for the machine to be "
             "idle (a server finishing abandoned queries, or another process)" if WAITED["runs"] else ""))
    print_summary(results)
    return status


if __name__ == "__main__":
    sys.exit(main())
