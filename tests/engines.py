"""Real SPARQL engines on loopback for the tests: Virtuoso Open Source 7 and Oxigraph's server.

Each start_* call runs one throw-away instance as a child process with its data in the
caller's folder, on free ports of 127.0.0.1, and returns once it answers a query. A missing
engine skips the tests that need it, or fails them when EURASIA_KG_REQUIRE_ENGINES=1 (as in CI).

    engine = start_oxigraph(tmp_path)      # or: with start_virtuoso(tmp_path) as engine: ...
    RemoteStore(engine.query_url, auth=engine.auth)
    engine.stop()
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
VIRTUOSO_INI = TESTS / "virtuoso.ini"
STARTUP_SECONDS = 60.0
REQUIRE = "EURASIA_KG_REQUIRE_ENGINES"


class EngineError(RuntimeError):
    """An engine did not start or stop as it should."""


@dataclass
class Engine:
    """A running SPARQL engine: where to query it, with which credentials, and its process."""

    name: str
    query_url: str
    auth: tuple | None
    pid: int
    log: Path
    process: subprocess.Popen = field(repr=False)

    def stop(self, grace: float = 20.0) -> int:
        """Terminate the engine (SIGTERM, SIGKILL after grace seconds); return its exit code."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(grace)
        return self.process.returncode

    def log_tail(self, lines: int = 40) -> str:
        """Return the last lines of the engine's log."""
        return _tail(self.log, lines)

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def missing(engine: str, how: str):
    """Skip for an engine that is not installed, or fail when engines are required."""
    message = f"{engine} is not installed ({how})"
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"{message}; {REQUIRE}=1 requires it", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that is free now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(engine: Engine, timeout: float = STARTUP_SECONDS) -> Engine:
    """Return engine once it answers ASK {}; stop it and raise EngineError if it does not."""
    deadline = time.monotonic() + timeout
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    last = "no answer"
    while time.monotonic() < deadline:
        if engine.process.poll() is not None:
            last = f"exited with code {engine.process.returncode}"
            break
        request = urllib.request.Request(
            engine.query_url, data=data,
            headers={"Accept": "application/sparql-results+json",
                     "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200 and b"true" in response.read():
                    return engine
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}"
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    engine.stop()
    raise EngineError(f"{engine.name} did not answer {engine.query_url} within {timeout:g} s "
                      f"({last}); log {engine.log}:\n{engine.log_tail()}")


def _die_with_parent() -> None:
    """In the child: be killed if the test process dies without stopping the engine (Linux)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _spawn(command: list, workdir: Path, log: Path) -> subprocess.Popen:
    with open(log, "ab") as handle:
        return subprocess.Popen(command, cwd=workdir, stdin=subprocess.DEVNULL, stdout=handle,
                                stderr=subprocess.STDOUT,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)


# ------------------------------------------------------------------------------ Oxigraph

def oxigraph_binary() -> str | None:
    """Return the oxigraph command: on PATH or beside this Python (a virtualenv's bin/)."""
    beside = Path(sys.executable).parent / "oxigraph"
    return shutil.which("oxigraph") or (str(beside) if beside.is_file() else None)


def start_oxigraph(workdir: Path) -> Engine:
    """Run `oxigraph serve` on a free port with its store in workdir/data."""
    binary = oxigraph_binary()
    if binary is None:
        missing("Oxigraph's server", "pip install 'oxigraph>=0.5,<0.6'")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / "oxigraph.log"
    process = _spawn([binary, "serve", "--location", str(workdir / "data"),
                     "--bind", f"127.0.0.1:{port}"], workdir, log)
    return wait_until_answering(Engine("oxigraph", f"http://127.0.0.1:{port}/query", None,
                                       process.pid, log, process))


# ------------------------------------------------------------------------------ Virtuoso

def virtuoso_binary() -> str | None:
    """Return Debian's virtuoso-t, if installed."""
    places = ("/usr/bin/virtuoso-t", "/usr/local/bin/virtuoso-t")
    return shutil.which("virtuoso-t") or next((p for p in places if Path(p).is_file()), None)


def virtuoso_ini(workdir: Path, sql_port: int, http_port: int) -> Path:
    """Write tests/virtuoso.ini for one instance into workdir; return its path."""
    text = string.Template(VIRTUOSO_INI.read_text()).substitute(
        DATA_DIR=str(workdir), SQL_PORT=sql_port, HTTP_PORT=http_port)
    ini = workdir / "virtuoso.ini"
    ini.write_text(text)
    return ini


def start_virtuoso(workdir: Path) -> Engine:
    """Run virtuoso-t in the foreground with tests/virtuoso.ini and its database in workdir.

    A fresh database has the user dba with password dba; a first run of virtuoso-t with
    +pwdold/+pwddba creates the database, sets a random password and exits. The engine's auth
    is then ("dba", that password), for /sparql-auth and /sparql-graph-crud-auth (Digest).
    """
    binary = virtuoso_binary()
    if binary is None:
        missing("Virtuoso Open Source", "apt-get install virtuoso-opensource")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    sql_port = free_port()
    while sql_port == http_port:
        sql_port = free_port()
    ini = virtuoso_ini(workdir, sql_port, http_port)
    log = workdir / "virtuoso-t.log"
    password = secrets.token_hex(8)  # 7.2.5 takes a longer +pwddba but then refuses it (>20 chars)
    base = [binary, "+foreground", "+configfile", str(ini)]
    setup = subprocess.run(base + ["+pwdold", "dba", "+pwddba", password], cwd=workdir,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=STARTUP_SECONDS)
    with open(log, "ab") as handle:
        handle.write(setup.stdout)
    if setup.returncode != 0 or b"The DBA password is changed" not in setup.stdout:
        raise EngineError(f"virtuoso-t could not create its database in {workdir} (exit "
                          f"{setup.returncode}); log {log}:\n{_tail(log)}")
    process = _spawn(base, workdir, log)
    return wait_until_answering(Engine("virtuoso", f"http://127.0.0.1:{http_port}/sparql",
                                       ("dba", password), process.pid, log, process))


STARTERS = {"virtuoso": start_virtuoso, "oxigraph": start_oxigraph}
