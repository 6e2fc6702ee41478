"""A running `eurasia-kg serve` for the tests that need real HTTP (real clients, a browser)."""

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "eurasia-kg"


class Service:
    """A running `eurasia-kg serve`, with its log collected in the background."""

    def __init__(self, *args):
        self.process = subprocess.Popen(
            [str(SCRIPT), "serve", "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.url = None
        ready = threading.Event()

        def collect():
            for line in self.process.stdout:
                self.lines.append(line)
                found = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", line)
                if found:
                    self.url = found.group(1)
                    ready.set()
            ready.set()

        threading.Thread(target=collect, daemon=True).start()
        ready.wait(120)
        if self.url is None:
            self.process.kill()
            raise RuntimeError("the service did not start:\n" + "".join(self.lines))
        self.wait_healthy()

    def wait_healthy(self):
        for _ in range(200):
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the service never became healthy")

    def get(self, path, accept="*/*", timeout=30):
        """Return (status, headers, body) of a GET."""
        request = urllib.request.Request(self.url + path, headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def query(self, text, accept="application/sparql-results+json", timeout=30, **params):
        return self.get("/sparql?" + urllib.parse.urlencode({"query": text, **params}), accept,
                        timeout)

    def json(self, path):
        """Return the JSON body of a GET."""
        return json.loads(self.get(path, accept="application/json")[2])

    def stop(self):
        """Stop with SIGTERM as a process manager would; return the exit code."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(30)
