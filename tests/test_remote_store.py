"""server.remote.client and server.remote.publish against real engines on loopback (Virtuoso, Oxigraph), and its HTTP handling
against a small local server (Basic auth, partial answers, time limits)."""

import base64
import http.server
import threading
import time
import tracemalloc
import urllib.parse
import uuid

import pytest

from eurasia_kg.server.remote.client import Endpoints, RemoteError, RemoteStore
from eurasia_kg.server.remote.publish import VOID_SUBSET, count_lines, previous_parts, publish, staging_iri

from .engines import STARTERS

#: Starts Virtuoso and Oxigraph's server: `pytest -m "not engines"` leaves it out.
pytestmark = pytest.mark.engines

EX = "https://w3id.org/eurasia-kg/id/"
GENID = "https://w3id.org/eurasia-kg/.well-known/genid/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
VERSION_OF = "http://purl.org/dc/terms/hasVersion"


@pytest.fixture(scope="module", params=sorted(STARTERS))
def engine(request, tmp_path_factory):
    """One engine per kind, started once for this module."""
    running = STARTERS[request.param](tmp_path_factory.mktemp(request.param))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def remote(engine):
    return RemoteStore(engine.query_url, auth=engine.auth, timeout=120)


@pytest.fixture
def base():
    """A namespace of graph IRIs of this test's own."""
    return f"https://w3id.org/eurasia-kg/test/{uuid.uuid4().hex}/"


def write_nt(path, *lines):
    """Write N-Triples lines to path; return path."""
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def triple(s, p, o):
    return f"<{s}> <{p}> {o} ."


def meta_for(base, version):
    return triple(base + "publication", VERSION_OF, f'"{version}"').encode() + b"\n"


def graphs_under(remote, base):
    rows = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                         f'FILTER (STRSTARTS(STR(?g), "{base}")) }}')
    return {row["g"]["value"] for row in rows}


def first_version(remote, base, folder):
    """Publish version 1: graph a (3 triples), graph b (2), meta; return its graph IRIs."""
    a, b, meta = base + "a", base + "b", base + "meta"
    parts = {
        a: write_nt(folder / "a1.nt", "# part a", triple(EX + "x", LABEL, '"x"@en'),
                    triple(EX + "x", EX + "n", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>'),
                    "", triple(EX + "x", EX + "to", f"<{EX}y>")),
        b: write_nt(folder / "b1.nt", triple(EX + "y", LABEL, '"y"'),
                    triple(EX + "y", LABEL, '"\\u00e9t\\u00e9 \\"q\\""@fr')),
    }
    counts = publish(remote, parts, version="1", meta_graph=meta, meta_ntriples=meta_for(base, 1))
    return a, b, meta, counts


# ------------------------------------------------------------------------------ engines

def test_publish_then_republish_replaces_the_version(remote, base, tmp_path):
    a, b, meta, counts = first_version(remote, base, tmp_path)
    # the meta graph: its own line and one void:subset line per part, added by publish
    assert counts == {a: 3, b: 2, meta: 3}
    assert {g: remote.count(g) for g in counts} == counts
    assert set(previous_parts(remote, meta)) == {a, b}

    c = base + "c"
    changed = write_nt(tmp_path / "a2.nt", triple(EX + "x", LABEL, '"x, changed"@en'),
                       triple(EX + "z", LABEL, '"z"'))
    added = write_nt(tmp_path / "c2.nt", triple(EX + "w", LABEL, '"w"'))
    # this meta graph lists a itself, as server.remote.publish's does: publish adds c only
    lists_a = triple(base + "publication", VOID_SUBSET, f"<{a}>").encode() + b"\n"
    steps = []
    counts = publish(remote, {a: changed, c: added}, version="2", meta_graph=meta,
                     meta_ntriples=meta_for(base, 2) + lists_a, progress=steps.append)

    assert counts == {a: 2, c: 1, meta: 3}
    assert remote.count(b) == 0
    assert graphs_under(remote, base) == {a, c, meta}  # b dropped, no staging graph left
    assert set(previous_parts(remote, meta)) == {a, c}
    labels = {r["o"]["value"] for r in remote.select(
        f"SELECT ?o WHERE {{ <{EX}x> <{LABEL}> ?o }}", default_graphs=[a])}
    assert labels == {"x, changed"}
    version = remote.select(f"SELECT ?v WHERE {{ ?p <{VERSION_OF}> ?v }}", default_graphs=[meta])
    assert [r["v"]["value"] for r in version] == ["2"]
    assert any("switched to version 2" in step for step in steps)


@pytest.mark.parametrize("bad_part", [
    pytest.param("<not a triple\n", id="not-n-triples"),
    pytest.param(triple(EX + "d", LABEL, '"twice"') + "\n" + triple(EX + "d", LABEL, '"twice"')
                 + "\n", id="count-differs"),
])
def test_failed_publish_leaves_the_previous_version(remote, base, tmp_path, bad_part):
    a, b, meta, before = first_version(remote, base, tmp_path)
    good = write_nt(tmp_path / "a2.nt", triple(EX + "x", LABEL, '"new"'))
    bad = tmp_path / "b2.nt"
    bad.write_text(bad_part, encoding="utf-8")

    with pytest.raises(RemoteError) as failure:
        publish(remote, {a: good, b: bad}, version="2", meta_graph=meta,
                meta_ntriples=meta_for(base, 2))

    assert f"<{b}>" in str(failure.value)
    assert {g: remote.count(g) for g in before} == before
    assert graphs_under(remote, base) == {a, b, meta}  # staging graphs dropped
    assert remote.select(f"SELECT ?v WHERE {{ ?p <{VERSION_OF}> ?v }}",
                         default_graphs=[meta])[0]["v"]["value"] == "1"


def test_dataset_parameters_restrict_queries_to_our_graphs(engine, remote, base, tmp_path):
    a, b, meta, counts = first_version(remote, base, tmp_path)
    ours = [a, b]
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    restricted = int(remote.select(everything, default_graphs=ours)[0]["n"]["value"])
    unrestricted = int(remote.select(everything)[0]["n"]["value"])
    named = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=ours)

    assert restricted == counts[a] + counts[b]
    assert {row["g"]["value"] for row in named} == set(ours)
    if engine.name == "virtuoso":  # without default-graph-uri: all graphs, system ones too
        assert unrestricted > restricted


def test_skolem_iri_round_trips(remote, base):
    graph, node = base + "skolem", GENID + uuid.uuid4().hex
    remote.put_graph(graph, (triple(node, LABEL, '"from a blank node"') + "\n").encode())

    rows = remote.select(f"SELECT ?s WHERE {{ ?s <{LABEL}> ?o }}", default_graphs=[graph])
    assert rows == [{"s": {"type": "uri", "value": node}}]
    assert remote.ask(f"ASK {{ <{rows[0]['s']['value']}> ?p ?o }}", default_graphs=[graph])


def test_answers_are_not_cut_at_debians_row_limit(remote, base, tmp_path):
    graph, n = base + "rows", 12_000  # Debian's virtuoso.ini cuts answers at 10,000 rows
    remote.put_graph(graph, write_nt(tmp_path / "rows.nt", *(
        triple(f"{EX}r{i}", LABEL, f'"{i}"') for i in range(n))))

    rows = remote.select("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[graph])
    assert len({row["s"]["value"] for row in rows}) == n


def test_a_large_file_is_streamed(remote, base, tmp_path):
    graph, n = base + "large", 200_000
    path = tmp_path / "large.nt"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            out.write(triple(f"{EX}e{i // 4}", f"{EX}p{i % 4}", f'"value {i} \\u00e9"@en') + "\n")
    size = path.stat().st_size
    assert count_lines(path) == n

    tracemalloc.start()
    try:
        remote.put_graph(graph, path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 2, f"{peak} bytes held to send a {size}-byte file"
    assert remote.count(graph) == n


def test_wrong_credentials_are_a_clear_error(engine, base):
    if engine.auth is None:
        pytest.skip(f"{engine.name} runs without authentication here")
    user = engine.auth[0]
    wrong = RemoteStore(engine.query_url, auth=(user, "not-" + engine.auth[1]))
    with pytest.raises(RemoteError) as refused:
        wrong.update(f"DROP SILENT GRAPH <{base}g>")
    assert refused.value.status == 401
    assert f"did not accept the credentials of user '{user}'" in str(refused.value)

    anonymous = RemoteStore(engine.query_url)
    with pytest.raises(RemoteError, match="requires credentials"):
        anonymous.put_graph(base + "g", b"")


def test_virtuoso_query_endpoint_does_not_fetch(engine, remote, fake):
    if engine.name != "virtuoso":
        pytest.skip("sponging is Virtuoso's")
    fake.reply(200, b'<http://example.org/s> <http://example.org/p> "fetched" .\n',
               {"Content-Type": "text/turtle"})
    text = f'define get:soft "replace" SELECT * FROM <{fake.url}/data.ttl> WHERE {{ ?s ?p ?o }}'
    try:
        rows = remote.select(text)
    except RemoteError as error:
        assert "SECURITY" in str(error)
    else:
        assert rows == []
    assert fake.requests == []


# ------------------------------------------------------------------------------ HTTP handling

class FakeStore(http.server.ThreadingHTTPServer):
    """A local HTTP server that records requests and gives one configured answer."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.reset()

    def reset(self):
        self.requests, self.credentials, self.delay = [], None, 0.0
        self.reply(200, b'{"head": {}, "boolean": true}',
                   {"Content-Type": "application/sparql-results+json"})

    def reply(self, status, body, headers):
        self.answer = (status, body, headers)


class FakeHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server.requests.append((self.command, self.path, self.headers.get("Authorization"), body))
        if server.credentials:
            token = "Basic " + base64.b64encode(":".join(server.credentials).encode()).decode()
            if self.headers.get("Authorization") != token:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="store"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        time.sleep(server.delay)
        status, payload, headers = server.answer
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer


@pytest.fixture(scope="module")
def fake_server():
    server = FakeStore()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake(fake_server):
    fake_server.reset()
    return fake_server


@pytest.mark.parametrize("status,headers", [
    (206, {}),
    (200, {"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete results"}),
    (200, {"X-SPARQL-MaxRows": "1048576"}),
], ids=["http-206", "anytime-timeout", "row-cap"])
def test_a_partial_answer_is_an_error(fake, status, headers):
    fake.reply(status, b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}',
               {"Content-Type": "application/sparql-results+json", **headers})
    with pytest.raises(RemoteError, match="partial answer"):
        RemoteStore(fake.url + "/query").select("SELECT * WHERE { ?s ?p ?o }")


def test_an_error_names_url_status_and_the_store_text(fake):
    fake.reply(400, b"Parse error: unexpected 'SELEC' " + b"x" * 2000,
               {"Content-Type": "text/plain"})
    with pytest.raises(RemoteError) as failure:
        RemoteStore(fake.url + "/query").select("SELEC")
    message = str(failure.value)
    assert f"{fake.url}/query" in message and "HTTP 400" in message
    assert "unexpected 'SELEC'" in message and len(failure.value.text) == 500


def test_a_slow_store_times_out(fake):
    fake.delay = 2.0
    with pytest.raises(TimeoutError) as late:
        RemoteStore(fake.url + "/query", timeout=0.3).ask("ASK {}")
    assert isinstance(late.value, RemoteError)


def test_basic_auth_and_a_streamed_put_sent_once(fake, tmp_path):
    fake.credentials = ("editor", "secret")
    path = write_nt(tmp_path / "g.nt", *(triple(f"{EX}s{i}", LABEL, f'"{i}"') for i in range(5000)))
    store = RemoteStore(fake.url, auth=fake.credentials)

    assert store.ask("ASK {}") is True
    fake.reply(201, b"", {})
    store.put_graph(EX + "g", path)

    puts = [r for r in fake.requests if r[0] == "PUT"]
    assert len(puts) == 1 and puts[0][2].startswith("Basic ") and puts[0][3] == path.read_bytes()
    assert puts[0][1] == "/store?graph=" + urllib.parse.quote(EX + "g", safe="")

    with pytest.raises(RemoteError, match="did not accept the credentials of user 'editor'"):
        RemoteStore(fake.url, auth=("editor", "wrong")).ask("ASK {}")


# ------------------------------------------------------------------------------ no store needed

@pytest.mark.parametrize("url,kw,expected", [
    ("http://h:7878", {}, ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store")),
    ("http://h:7878/query", {}, ("http://h:7878/query", "http://h:7878/update",
                                 "http://h:7878/store")),
    ("http://h:3030/ds/query", {}, ("http://h:3030/ds/query", "http://h:3030/ds/update",
                                    "http://h:3030/ds/data")),
    ("http://h:3030/ds/sparql", {}, ("http://h:3030/ds/sparql", "http://h:3030/ds/update",
                                     "http://h:3030/ds/data")),
    ("http://h:8890/sparql", {}, ("http://h:8890/sparql", "http://h:8890/sparql-auth",
                                  "http://h:8890/sparql-graph-crud-auth")),
    ("http://h:8890/sparql-auth", {}, ("http://h:8890/sparql-auth", "http://h:8890/sparql-auth",
                                       "http://h:8890/sparql-graph-crud-auth")),
    ("https://h/endpoint", {}, ("https://h/endpoint", None, None)),
    ("https://h/endpoint", {"update": "https://h/u", "store": "https://h/gsp"},
     ("https://h/endpoint", "https://h/u", "https://h/gsp")),
    ("http://h:8890/sparql", {"store": "http://h:8890/sparql-graph-crud"},
     ("http://h:8890/sparql", "http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud")),
])
def test_endpoints_are_discovered_from_one_url(url, kw, expected):
    found = Endpoints.discover(url, **kw)
    assert (found.query, found.update, found.store) == expected


def test_a_store_without_update_endpoint_says_so():
    with pytest.raises(RemoteError, match="give it with update="):
        RemoteStore("https://h/endpoint").update("CLEAR ALL")


def test_staging_graphs_are_distinct_iris():
    assert staging_iri(EX + "g", "1.0 beta") == EX + "g#staging-1.0%20beta"
    assert staging_iri(EX + "g#x", "2") == EX + "g#x-staging-2"


def test_line_count_skips_blank_and_comment_lines():
    assert count_lines(b"# c\n\n<a:x> <a:y> <a:z> .\n  \n<a:x> <a:y> \"#\" .\n") == 2


@pytest.mark.parametrize("required,outcome", [("1", pytest.fail.Exception),
                                              ("", pytest.skip.Exception)])
def test_a_missing_engine_skips_unless_required(monkeypatch, required, outcome):
    from .engines import REQUIRE, missing

    monkeypatch.setenv(REQUIRE, required)
    with pytest.raises(outcome, match="is not installed"):
        missing("Some engine", "apt-get install some-engine")
