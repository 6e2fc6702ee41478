"""Run the service over HTTP: granian (the default) or gunicorn, one line logged per request,
graceful stop on SIGTERM.

The application is built once, in the main process, before any worker starts: each worker is
a fork of it. A worker then opens its own handle on the data (a store's files are not shared
through a fork) and starts its own query executors, before taking requests.

granian parses HTTP in Rust and calls the application's WSGI callable from a pool of
`threads` Python threads per worker; a repeated GET /sparql is answered by the response
cache in front of Flask without Python HTTP parsing (tests/benchmarks/endpoint.py: see the
README's figures). gunicorn (gthread) stays available with `serve --http-server gunicorn`.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import socket

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.server import MPServer
from gunicorn.app.base import BaseApplication

#: prctl's option: the signal a process gets when its parent dies (linux/prctl.h)
PR_SET_PDEATHSIG = 1

#: the HTTP servers `serve` can run on
HTTP_SERVERS = ("granian", "gunicorn")

#: one line per request: client, request line, status, milliseconds to the answer
GRANIAN_ACCESS_LOG = '%(addr)s "%(method)s %(path)s?%(query_string)s %(protocol)s" %(status)d %(dt_ms).1fms'


def _start_worker(app):
    app.extensions["eurasia_kg.dataset"].after_fork()
    app.extensions["eurasia_kg.pool"].start()
    return app


# ---------------------------------------------------------------------------------- granian

def _free_port(host: str) -> int:
    """Return a port free on host now (granian, given port 0, cannot tell which port it got)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _end_with(parent: int) -> None:
    """Have Linux send this worker SIGTERM when the main process dies: killed (kill -9, the
    OOM killer), it could not stop its workers, which would keep the port and their executors.
    gunicorn's workers watch their master themselves; granian's do not.

    Until granian installs the worker's own handlers (once this loader returns), the worker
    holds the main process's: they only tell the main process to stop, and would swallow the
    signal. The default action (end the process) holds in the meantime.
    """
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: nothing to ask for
        return
    if os.getppid() != parent:  # the main process died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


def _serve_granian(app, *, host: str, port: int, workers: int, threads: int, timeout: float) -> None:
    # timeout: queries are stopped by each worker's executor pool; granian has no watchdog of
    # its own for a worker (gunicorn's is set past it), and a worker that dies is replaced.
    # The workers must inherit the application built here: a fork, whatever Python's default.
    multiprocessing.set_start_method("fork", force=True)
    main = os.getpid()

    def start_worker():
        _end_with(main)
        return _start_worker(app)

    server = MPServer(
        "eurasia-kg", address=host, port=port or _free_port(host), interface=Interfaces.WSGI, workers=workers,
        blocking_threads=threads, http=HTTPModes.http1, websockets=False,
        # Long query strings reach the application, which answers 414 itself, with a message.
        http1_settings=HTTP1Settings(max_buffer_size=1024 * 1024),
        log_access=True, log_access_format=GRANIAN_ACCESS_LOG,
        # A worker that dies is replaced; one that does not stop is killed after 10 s.
        respawn_failed_workers=True, workers_kill_timeout=10)
    server.serve(target_loader=start_worker, wrap_loader=False)


# ---------------------------------------------------------------------------------- gunicorn

class _Gunicorn(BaseApplication):
    """gunicorn with the application built once in the master, before any worker starts."""

    def __init__(self, app, options: dict):
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def _gunicorn_worker_started(worker):
    _start_worker(worker.wsgi)


def _gunicorn_worker_exits(server, worker):
    app = getattr(worker, "wsgi", None)
    if app is not None:
        app.extensions["eurasia_kg.pool"].close()


def _serve_gunicorn(app, *, host: str, port: int, workers: int, threads: int, timeout: float) -> None:
    _Gunicorn(app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # gunicorn's own watchdog only catches a wedged worker; queries are stopped by the
        # executor pool at `timeout`, well before this.
        "timeout": int(timeout) + 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "limit_request_line": 0,   # the application answers 414 itself, with a message
        "preload_app": True,
        "post_worker_init": _gunicorn_worker_started,
        "worker_exit": _gunicorn_worker_exits,
    }).run()


def serve(app, *, host: str, port: int, workers: int, threads: int, timeout: float,
          http_server: str = "granian") -> None:
    """Serve app until SIGTERM or SIGINT."""
    run = {"granian": _serve_granian, "gunicorn": _serve_gunicorn}[http_server]
    run(app, host=host, port=port, workers=workers, threads=threads, timeout=timeout)
