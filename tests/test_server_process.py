"""The service as users run it: `eurasia-kg serve` (granian, or gunicorn when asked), reached
over real HTTP.

Real clients (SPARQLWrapper, rdflib's SPARQLStore, plain urllib), the time limit with a
concurrent client, no outbound connection, hostile input, logging and a clean stop.
"""

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from eurasia_kg.ontology import EKGID, ORG

from .conftest import TESTS
from .service import SCRIPT, Service

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "ASK { <https://w3id.org/eurasia-kg/id/China> ?p ?o }"


@pytest.fixture(scope="module")
def service():
    running = Service("--workers", "2", "--threads", "2", "--timeout", "3")
    yield running
    running.stop()


def count_triples(service) -> int:
    status, _, body = service.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# ----------------------------------------------------------------------------- real clients

@pytest.mark.parametrize("return_format", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_every_format(service, return_format):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(service.url + "/sparql")
    client.setQuery("SELECT ?label WHERE { <https://w3id.org/eurasia-kg/id/SCO> "
                    "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
    client.setReturnFormat(return_format)
    converted = client.query().convert()
    if return_format == "json":
        labels = {b["label"]["value"] for b in converted["results"]["bindings"]}
    elif return_format == "xml":  # SPARQLWrapper returns a DOM document
        labels = {node.firstChild.data for node in converted.getElementsByTagName("literal")}
    else:
        text = converted.decode("utf-8") if isinstance(converted, bytes) else converted
        lines = text.strip().splitlines()[1:]
        labels = {line.strip().strip('"').split('"@')[0] for line in lines}
    assert "Shanghai Cooperation Organisation" in labels
    assert "上海合作组织" in labels


@pytest.mark.parametrize("return_format", ["turtle", "n3", "xml", "json-ld"])
def test_sparqlwrapper_construct_in_every_format(service, return_format):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(service.url + "/sparql")
    client.setQuery("CONSTRUCT { ?org <http://www.w3.org/ns/org#hasMember> ?m } "
                    "WHERE { ?org <http://www.w3.org/ns/org#hasMember> ?m }")
    client.setReturnFormat(return_format)
    graph = client.query().convert()
    if not isinstance(graph, Graph):
        graph = Graph().parse(data=graph, format="json-ld" if return_format == "json-ld" else "turtle")
    assert (EKGID.SCO, ORG.hasMember, EKGID.China) in graph


def test_sparqlwrapper_ask_and_post(service):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    client = SPARQLWrapper(service.url + "/sparql")
    client.setMethod(POST)
    client.setQuery("ASK { <https://w3id.org/eurasia-kg/id/China> "
                    "<https://w3id.org/eurasia-kg/ontology#strategicPartnerOf> "
                    "<https://w3id.org/eurasia-kg/id/Russia> }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_as_a_remote_graph(service):
    remote = Graph(store=SPARQLStore(service.url + "/sparql", returnFormat="json"))
    members = set(remote.objects(EKGID.SCO, ORG.hasMember))
    assert {EKGID.China, EKGID.Russia} <= members
    rows = list(remote.query(
        "SELECT ?q WHERE { <https://w3id.org/eurasia-kg/id/TradeChinaEU2021> "
        "<https://w3id.org/eurasia-kg/ontology#quote> ?q }"))
    assert [str(r[0]) for r in rows] == ["In 2021, China’s trade with the EU increased 19% to $820 billion"]


def test_plain_http_like_curl(service):
    status, headers, body = service.query(SIMPLE, accept="*/*")
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert json.loads(body)["boolean"] is True
    status, headers, body = service.get("/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert (None, None, URIRef("http://www.w3.org/ns/sparql-service-description#Service")) in \
        Graph().parse(data=body, format="turtle")


def test_cors_for_browser_clients_elsewhere(service):
    request = urllib.request.Request(
        service.url + "/sparql?" + urllib.parse.urlencode({"query": SIMPLE}),
        headers={"Origin": "https://yasgui.example", "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Access-Control-Allow-Origin"] in ("*", "https://yasgui.example")
    preflight = urllib.request.Request(
        service.url + "/sparql", method="OPTIONS",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(preflight, timeout=30) as response:
        assert "POST" in response.headers["Access-Control-Allow-Methods"]


# ----------------------------------------------------------------------------- limits

def test_a_runaway_query_is_stopped_while_others_are_answered(service):
    outcome = {}

    def runaway():
        started = time.monotonic()
        outcome["runaway"] = service.query(RUNAWAY, timeout=60)
        outcome["runaway_done"] = time.monotonic()
        outcome["runaway_seconds"] = outcome["runaway_done"] - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway is now running in an executor
    answered = []
    while thread.is_alive() and len(answered) < 5:
        status, _, body = service.query(SIMPLE + f" # {len(answered)}")  # distinct: not cached
        answered.append((status, time.monotonic()))
    thread.join(60)
    # Simple queries from another client were answered while the runaway was still running.
    assert len(answered) == 5
    assert all(status == 200 for status, _ in answered)
    assert answered[-1][1] < outcome["runaway_done"]
    status, headers, body = outcome["runaway"]
    assert status == 503
    assert b"time limit of 3 s" in body and b"stopped" in body
    # And the service still answers the same way afterwards.
    assert service.query(SIMPLE + " # after")[0] == 200


def test_hostile_nesting_is_refused_and_the_service_keeps_answering(service):
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    status, body = None, b""
    request = urllib.request.Request(service.url + "/sparql", data=deep.encode(),
                                     headers={"Content-Type": "application/sparql-query"})
    try:
        urllib.request.urlopen(request, timeout=30)
        status = 200
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    assert status == 400
    assert b"nests 5000 levels" in body
    assert service.query(SIMPLE + " # after nesting")[0] == 200


def test_an_overlong_query_string_is_414(service):
    status, _, body = service.query("ASK {} #" + "x" * 40000)
    assert status == 414
    assert b"send the query by POST" in body


# ----------------------------------------------------------------------------- nobody writes

@pytest.mark.parametrize("how", ["update-param", "update-media-type", "insert-as-query",
                                 "drop-as-query", "load-as-query", "clear-as-query"])
def test_updates_are_refused_and_change_nothing(service, how):
    before = count_triples(service)
    update = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    if how == "update-param":
        request = urllib.request.Request(service.url + "/sparql",
                                         data=urllib.parse.urlencode({"update": update}).encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "update-media-type":
        request = urllib.request.Request(service.url + "/sparql", data=update.encode(),
                                         headers={"Content-Type": "application/sparql-update"})
    else:
        text = {"insert-as-query": update, "drop-as-query": "DROP ALL",
                "load-as-query": "LOAD <http://127.0.0.1:9/data.ttl>",
                "clear-as-query": "CLEAR GRAPH <https://w3id.org/eurasia-kg/graph/essay>"}[how]
        request = urllib.request.Request(service.url + "/sparql?" + urllib.parse.urlencode({"query": text}))
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    # Close the refused connection as a client does (gunicorn's gthread worker lingers up to
    # 2 s for the client's close before it accepts the next connection).
    refused.value.close()
    assert 400 <= refused.value.code < 500
    assert count_triples(service) == before


# ----------------------------------------------------------------------------- nothing leaves

@pytest.fixture
def listener():
    """A loopback socket that records whether anything connected to it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    yield sock
    sock.close()


def connections(sock) -> int:
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.mark.parametrize("case", ["service", "service-silent", "load", "from", "from-named",
                                  "default-graph-uri", "named-graph-uri", "file-from"])
def test_no_outbound_connection(service, listener, case):
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/data"
    params = {}
    text = {
        "service": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "service-silent": f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        "load": f"LOAD <{target}>",
        "from": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
        "from-named": f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "default-graph-uri": "SELECT * WHERE { ?s ?p ?o }",
        "named-graph-uri": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        "file-from": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    }[case]
    if case == "default-graph-uri":
        params["default-graph-uri"] = target
    if case == "named-graph-uri":
        params["named-graph-uri"] = target
    status, _, body = service.query(text, **params)
    time.sleep(0.1)  # a fetch would have connected before the answer; this catches a late one
    assert connections(listener) == 0
    if status == 200:  # answered, then empty: nothing was fetched
        assert json.loads(body)["results"]["bindings"] == []
    else:
        assert 400 <= status < 500


# ----------------------------------------------------------------------------- operations

def test_one_log_line_per_request(service):
    marker = "log-marker-" + str(time.time_ns())
    service.query(SIMPLE + " # " + marker)
    time.sleep(0.5)
    lines = [line for line in service.lines if marker in line]
    assert len(lines) == 1
    assert '" 200 ' in lines[0]


def test_startup_fails_loudly_on_invalid_data(tmp_path):
    bad = TESTS / "fixtures" / "invalid" / "sanction-shape-imposer-is-target.ttl"
    done = subprocess.run([str(SCRIPT), "serve", "--port", "0", "--data", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "does not conform" in done.stderr
    assert "A sanction's imposer cannot be its target." in done.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    done = subprocess.run([str(SCRIPT), "serve", "--port", "0", "--data", str(broken)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "broken.ttl: line 2" in done.stderr


def test_ill_typed_literals_are_read_without_tracebacks(tmp_path):
    """Regression: rdflib printed a traceback to the service's log for each ill-typed literal,
    each time a page read it."""
    data = tmp_path / "ill.ttl"
    data.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                    '<https://w3id.org/eurasia-kg/id/Ill> <http://example.org/n> "abc"^^xsd:integer ;\n'
                    '    <http://example.org/d> "2020-13-45"^^xsd:date .\n', encoding="utf-8")
    running = Service("--workers", "1", "--threads", "1", "--graph", f"https://example.org/ill={data}")
    try:
        for path in ("/id/Ill", "/id/Ill.ttl", "/id/Ill", "/download/eurasia-kg.ttl"):
            assert running.get(path, accept="text/html")[0] == 200, path
    finally:
        assert running.stop() == 0
    log = "".join(running.lines)
    assert "Traceback" not in log and "Failed to convert" not in log, log
    reported = [line for line in running.lines if "ill-typed" in line]
    for lexical in ("abc", "2020-13-45"):
        assert len([line for line in reported if lexical in line]) <= 1, reported


def test_sigterm_stops_cleanly():
    running = Service("--workers", "1", "--threads", "1")
    assert running.query(SIMPLE)[0] == 200
    executors = children(running.process.pid)
    assert executors, "no process was started under the service"
    assert running.stop() == 0
    assert any("Shutting down" in line for line in running.lines)
    # Nothing it started outlives it: workers and their query executors are gone.
    assert still_running(executors, within=10) == []


def test_gunicorn_serves_logs_and_stops_as_granian_does():
    """`--http-server gunicorn`: what the tests above check of the default (granian), in one run."""
    running = Service("--workers", "1", "--threads", "2", "--http-server", "gunicorn")
    marker = "log-marker-" + str(time.time_ns())
    assert running.query(SIMPLE + " # " + marker)[0] == 200
    status, _, body = running.query("ASK {} #" + "x" * 40000)
    assert status == 414 and b"send the query by POST" in body
    executors = children(running.process.pid)
    assert running.stop() == 0
    lines = [line for line in running.lines if marker in line]
    assert len(lines) == 1 and '" 200 ' in lines[0]
    assert any("Shutting down" in line for line in running.lines)
    assert still_running(executors, within=10) == []


def test_workers_end_when_the_main_process_is_killed():
    """Regression: killed (the OOM killer, kill -9), granian's main process left its workers
    and their executors running, holding the port."""
    running = Service("--workers", "2", "--threads", "1")
    assert running.query(SIMPLE)[0] == 200
    started = children(running.process.pid)
    running.process.kill()
    running.process.wait(10)
    assert still_running(started, within=10) == []


def test_workers_still_starting_end_when_the_main_process_is_killed():
    """Regression: a worker still starting (its executors not yet up) when the main process
    was killed kept the main process's own SIGTERM handler, which only tells the main process
    to stop: the signal was swallowed and the worker served on, an orphan."""
    process = subprocess.Popen([str(SCRIPT), "serve", "--host", "127.0.0.1", "--port", "0",
                                "--workers", "2", "--threads", "4"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started = []
    try:
        for line in process.stdout:
            if "Spawning worker-2" in line:
                break
        time.sleep(0.2)  # the workers are forked and starting their executors
        started = children(process.pid)
        assert started, "no worker was started"
        process.kill()
        process.wait(10)
        assert still_running(started, within=10) == []
    finally:  # whatever happened, nothing of it is left running
        if process.poll() is None:
            process.kill()
        for pid in still_running(started, within=0):
            os.kill(pid, signal.SIGKILL)


def still_running(pids: list, within: float) -> list:
    """Wait up to `within` seconds for the processes to end; return those still running."""
    deadline = time.monotonic() + within
    while True:
        alive = [p for p in pids if Path(f"/proc/{p}").exists()
                 and "zombie" not in Path(f"/proc/{p}/status").read_text().lower()]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def children(pid: int) -> list:
    """Return the process ids of every descendant of pid (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").iterdir():
            kids = (task / "children").read_text().split()
            found += [int(k) for k in kids]
            todo += [int(k) for k in kids]
    return found
