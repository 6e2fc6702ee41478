"""The pool of executor processes, in the web worker: a query takes an idle one; a query that
overruns the time limit has its process killed and replaced.

Python threads cannot be stopped and pyoxigraph computes an aggregate in one call, so a
runaway query is stopped the only reliable way: its process is killed and replaced. Every
query therefore runs in one of a small pool of executor processes, each holding the dataset.
A crash of the engine (pyoxigraph can segfault on hostile input) costs only that executor.
"""

from __future__ import annotations

import queue
import select
import subprocess
import sys
import threading

from .messages import (EngineFailure, QueryAnswer, QueryRefused, QueryRequest, QueryTimeout,
                       ResultTooLarge, read_frame, send_frame)


class _Executor:
    """One executor process: this Python running executor_main."""

    def __init__(self, setup: dict, max_rows: int, timeout: float, wait: bool = True):
        code = ("import sys; from eurasia_kg.server.query.executor import executor_main; "
                "executor_main(int(sys.argv[1]))")
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(int(max_rows))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        send_frame(self.process.stdin, setup)
        self.timeout = timeout
        if wait:
            self.ready()

    def ready(self) -> "_Executor":
        """Wait until the process has opened the dataset; raise EngineFailure if it cannot."""
        if not self.wait(max(self.timeout, 60)):
            self.kill()
            raise EngineFailure("the query engine did not start")
        try:
            read_frame(self.process.stdout)  # ("ready", count)
        except EOFError as exc:
            self.kill()
            raise EngineFailure("the query engine could not load the dataset") from exc
        return self

    def wait(self, seconds: float) -> bool:
        """Wait until a reply can be read; False when the time is up."""
        ready, _, _ = select.select([self.process.stdout], [], [], seconds)
        return bool(ready)

    def ask(self, request, timeout: float):
        """Send a request and return the reply, or None when the time limit passes."""
        send_frame(self.process.stdin, request)
        if not self.wait(timeout):
            return None
        return read_frame(self.process.stdout)

    def kill(self) -> None:
        """Stop the process at once."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class QueryPool:
    """A fixed number of executor processes; each query takes one, a timeout replaces it.

    prefixes ({name: namespace}) are those Turtle answers use: given here, so that the
    executors need not import the ontology module (nor rdflib, which it imports).
    """

    def __init__(self, source: dict, *, size: int = 2, timeout: float = 10.0, max_rows: int = 10000,
                 prefixes: dict | None = None):
        self.source, self.size, self.timeout, self.max_rows = source, size, timeout, max_rows
        # Plain strings: rdflib's Namespace would take rdflib into the executors with the pickle.
        self.setup = dict(source, prefixes={name: str(ns) for name, ns in (prefixes or {}).items()})
        self._idle: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._started = False

    def start(self) -> "QueryPool":
        """Start the executors (idempotent); they load the dataset before answering."""
        with self._lock:
            if not self._started:  # all started at once, then waited for: start-up overlaps
                starting = [_Executor(self.setup, self.max_rows, self.timeout, wait=False)
                            for _ in range(self.size)]
                try:
                    for executor in starting:
                        self._idle.put(executor.ready())
                except EngineFailure:
                    for executor in starting:
                        executor.kill()
                    raise
                self._started = True
        return self

    def _new(self) -> _Executor:
        return _Executor(self.setup, self.max_rows, self.timeout)

    def run(self, request: QueryRequest) -> QueryAnswer:
        """Run a query within the time limit; raise QueryTimeout, QueryRefused, ..."""
        self.start()
        try:
            executor = self._idle.get(timeout=self.timeout)
        except queue.Empty as exc:
            raise QueryTimeout(f"no query engine became free within {self.timeout:g} s") from exc
        try:
            reply = executor.ask(request, self.timeout)
            if reply is None:
                executor.kill()
                executor = self._new()
                raise QueryTimeout(f"The query ran longer than the time limit of {self.timeout:g} s "
                                   "and was stopped.")
        except (EOFError, OSError, ValueError) as exc:  # ValueError: one a failed restart left dead
            executor.kill()
            executor = self._new()
            raise EngineFailure("The query engine stopped while running this query; "
                                "it has been restarted.") from exc
        finally:
            self._idle.put(executor)
        status = reply[0]
        if status == "ok":
            return reply[1]
        if status == "refused":
            raise QueryRefused(reply[2], reply[1])
        if status == "too-large":
            raise ResultTooLarge(reply[1])
        raise EngineFailure(reply[1])

    def close(self) -> None:
        """Stop every executor."""
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break

