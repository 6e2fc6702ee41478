"""A remote SPARQL 1.1 store over HTTP: Protocol, Update and Graph Store Protocol.

Standard library only. Credentials work with Basic and Digest authentication (Virtuoso's
`/sparql-auth` and `/sparql-graph-crud-auth` use Digest). Queries are always POSTed as a form
and never carry Virtuoso's `timeout=` parameter, which is how a client asks it for partial
("anytime") answers. A partial answer that comes anyway is an error, not a result: HTTP 206,
`X-SQL-State: S1TAT` (anytime timeout), or `X-SPARQL-MaxRows` (Virtuoso cut the rows; its
endpoint does so at 1,048,576 rows even with ResultSetMaxRows unset).
"""

from __future__ import annotations

import base64
import io
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

#: Characters that may not appear in an IRI written between < and > in SPARQL or N-Triples.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_CHUNK = 1 << 20


class RemoteError(Exception):
    """A remote store refused a request, failed it or could not be reached."""

    def __init__(self, message: str, *, url: str | None = None, status: int | None = None,
                 text: str = ""):
        super().__init__(message)
        self.url, self.status, self.text = url, status, text


class RemoteTimeout(RemoteError, TimeoutError):
    """A remote store did not answer in time."""


@dataclass
class Endpoints:
    """The three addresses of a SPARQL 1.1 store."""

    query: str
    update: str | None = None
    store: str | None = None

    @classmethod
    def discover(cls, url: str, *, update: str | None = None,
                 store: str | None = None) -> "Endpoints":
        """Derive the update and Graph Store endpoints from one URL; explicit ones win.

        - no path (``http://host:7878``): Oxigraph's ``/query``, ``/update``, ``/store``;
        - ``/query`` at the root: Oxigraph, ``/update`` and ``/store`` beside it;
        - ``/DATASET/query`` or ``/DATASET/sparql``: Fuseki, ``/DATASET/update`` and
          ``/DATASET/data``;
        - ``/sparql`` or ``/sparql-auth`` at the root: Virtuoso, updates on ``/sparql-auth`` and the
          Graph Store on ``/sparql-graph-crud-auth`` (both Digest as a user with SPARQL_UPDATE);
        - anything else: queries only, unless update= and store= are given.
        """
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL of a SPARQL endpoint: {url!r}")

        def at(path: str) -> str:
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))

        path = parts.path.rstrip("/")
        head, _, last = path.rpartition("/")
        found_update = found_store = None
        if not path:
            url, found_update, found_store = at("/query"), at("/update"), at("/store")
        elif path in ("/sparql", "/sparql-auth"):
            found_update, found_store = at("/sparql-auth"), at("/sparql-graph-crud-auth")
        elif last == "query" and not head:
            found_update, found_store = at("/update"), at("/store")
        elif last in ("query", "sparql"):
            found_update, found_store = at(head + "/update"), at(head + "/data")
        return cls(url, update or found_update, store or found_store)


#: The most lines and bytes of N-Triples sent in one request (see RemoteStore.put_graph).
BATCH_LINES, BATCH_BYTES = 50_000, 4 << 20
_LITERAL = re.compile(rb'"(?:[^"\\\n]|\\.)*"')


def _lines(ntriples: Path | bytes):
    """Yield the lines of an N-Triples file or bytes, each ending with a newline."""
    with (io.BytesIO(ntriples) if isinstance(ntriples, (bytes, bytearray))
          else open(ntriples, "rb")) as handle:
        for line in handle:
            yield line if line.endswith(b"\n") else line + b"\n"


def _has_blank_nodes(ntriples: Path | bytes) -> bool:
    """Tell whether an N-Triples document has a blank node (outside its literals)."""
    return any(b"_:" in line and b"_:" in _LITERAL.sub(b"", line) for line in _lines(ntriples))


def _batches(ntriples: Path | bytes):
    """Yield an N-Triples document in batches of whole lines (one, empty, for an empty one).

    Each batch is the same buffer, emptied when the next is asked for: one batch in memory.
    """
    batch, count, sent = bytearray(), 0, False
    for line in _lines(ntriples):
        batch += line
        count += 1
        if count >= BATCH_LINES or len(batch) >= BATCH_BYTES:
            yield batch
            batch.clear()
            count, sent = 0, True
    if batch or not sent:
        yield batch


class _ReplayableFile:
    """A file body that http.client reads to its end, rewound then so that a retry resends it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.size = self.path.stat().st_size
        self._handle = None

    def read(self, size: int = -1) -> bytes:
        if self._handle is None:
            self._handle = open(self.path, "rb")
        block = self._handle.read(max(size, _CHUNK))
        if not block:
            self._handle.close()
            self._handle = None
        return block


class _Remembering:
    """An auth handler that remembers the last challenge of each endpoint (see _remember)."""

    def __init__(self, passwords, challenges):
        super().__init__(passwords)
        self.challenges = challenges

    def http_error_401(self, req, fp, code, msg, headers):
        _remember(self.challenges, req, headers)
        return super().http_error_401(req, fp, code, msg, headers)


class _Digest(_Remembering, urllib.request.HTTPDigestAuthHandler):
    """Digest auth that remembers the last challenge of each endpoint and never stays locked."""

    def http_error_401(self, req, fp, code, msg, headers):
        try:
            return super().http_error_401(req, fp, code, msg, headers)
        finally:
            # urllib leaves the retry count up after a refusal, which would refuse every later
            # request of this handler without asking the server.
            self.reset_retry_count()


class _Basic(_Remembering, urllib.request.HTTPBasicAuthHandler):
    """Basic auth that remembers the last challenge of each endpoint."""


def _endpoint(url: str) -> tuple:
    parts = urllib.parse.urlsplit(url)
    return parts.netloc, parts.path


def _remember(challenges: dict, req, headers) -> None:
    challenge = headers.get("WWW-Authenticate")
    if challenge:
        challenges[_endpoint(req.full_url)] = challenge


def check_iri(iri: str) -> str:
    """Return iri if it can be written as <iri> in SPARQL and N-Triples; raise ValueError."""
    if not iri or _BAD_IRI.search(iri) or ":" not in iri:
        raise ValueError(f"not an absolute IRI that can be written as <...>: {iri!r}")
    return iri


class RemoteStore:
    """A SPARQL 1.1 store reached over HTTP: query, update and the Graph Store Protocol."""

    def __init__(self, url_or_endpoints, *, auth: tuple | None = None, timeout: float = 30.0):
        """Reach the store at a URL (see Endpoints.discover) or at given Endpoints.

        auth is (user, password), sent with Basic or Digest as the store asks; timeout is in
        seconds, for each request.
        """
        if isinstance(url_or_endpoints, Endpoints):
            self.endpoints = url_or_endpoints
        else:
            self.endpoints = Endpoints.discover(str(url_or_endpoints))
        self.url = self.endpoints.query
        self.auth = tuple(auth) if auth else None
        self.timeout = timeout
        self._challenges: dict = {}
        handlers = []
        if self.auth:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            ends = self.endpoints
            known = [u for u in (ends.query, ends.update, ends.store) if u]
            passwords.add_password(None, known, self.auth[0], self.auth[1])
            self._digest = _Digest(passwords, self._challenges)
            handlers += [self._digest, _Basic(passwords, self._challenges)]
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self):
        return f"RemoteStore({self.endpoints!r}, auth={'(...)' if self.auth else None})"

    # HTTP ----------------------------------------------------------------------------
    def _send(self, method: str, url: str, *, data=None, headers=None,
              timeout: float | None = None) -> tuple[int, object, bytes]:
        """Send one request; return (status, headers, body) of a 2xx answer, else raise."""
        request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
        if data is not None and self.auth:
            self._authorize(request)
        limit = self.timeout if timeout is None else timeout
        try:
            with self._opener.open(request, timeout=limit) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            raise self._refusal(method, url, error) from None
        except (socket.timeout, TimeoutError) as error:
            raise RemoteTimeout(f"{method} {url}: no answer within {limit:g} s", url=url) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, (socket.timeout, TimeoutError)):
                raise RemoteTimeout(f"{method} {url}: no answer within {limit:g} s",
                                    url=url) from error
            raise RemoteError(f"{method} {url}: cannot reach the store: {error.reason}",
                              url=url) from error
        except ValueError as error:  # urllib's auth handlers: a scheme they cannot answer
            raise RemoteError(f"{method} {url}: {error}", url=url) from error
        except (ConnectionError, OSError) as error:
            raise RemoteError(f"{method} {url}: connection failed: {error}", url=url) from error

    def _refusal(self, method: str, url: str, error: urllib.error.HTTPError) -> RemoteError:
        try:
            text = error.read().decode("utf-8", "replace") if error.fp else ""
        except OSError:
            text = ""
        text = text.strip()[:500]
        if error.code == 401:
            if self.auth:
                why = f"the store did not accept the credentials of user {self.auth[0]!r}"
            else:
                why = "the store requires credentials (auth=(user, password))"
            return RemoteError(f"{method} {url}: HTTP 401: {why}", url=url, status=401, text=text)
        return RemoteError(f"{method} {url}: HTTP {error.code}: {text or error.reason}",
                           url=url, status=error.code, text=text)

    def _authorize(self, request) -> None:
        """Put credentials on a request with a body before it is sent.

        urllib answers a challenge by sending the request again, and a store may answer 401
        and close the connection before reading a large body (Virtuoso does). So the challenge
        of each endpoint is fetched once with a HEAD and answered before the body goes out.
        """
        key = _endpoint(request.full_url)
        if key not in self._challenges:
            try:
                self._send("HEAD", request.full_url)
            except RemoteError as error:
                if error.status == 401:
                    raise
            self._challenges.setdefault(key, None)
        challenge = self._challenges[key]
        if not challenge:
            return
        scheme, _, rest = challenge.partition(" ")
        if scheme.lower() == "digest":
            fields = urllib.request.parse_keqv_list(
                filter(None, urllib.request.parse_http_list(rest)))
            answer = self._digest.get_authorization(request, fields)
            if answer:
                request.add_unredirected_header("Authorization", "Digest " + answer)
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", "Basic " + token)

    # SPARQL --------------------------------------------------------------------------
    def query(self, text: str, *, accept: str, default_graphs=(), named_graphs=(),
              timeout: float | None = None) -> tuple[str, bytes]:
        """Run a query; return (content type, body).

        default_graphs and named_graphs become default-graph-uri and named-graph-uri: give them,
        or Virtuoso answers from every graph it holds, its own system graphs included. Give
        named_graphs too when the query has GRAPH: with default-graph-uri alone, Virtuoso's
        GRAPH ?g still ranges over all its graphs and Oxigraph's over none.
        """
        form = [("query", text)]
        form += [("default-graph-uri", check_iri(g)) for g in default_graphs]
        form += [("named-graph-uri", check_iri(g)) for g in named_graphs]
        url = self.endpoints.query
        status, headers, body = self._send(
            "POST", url, data=urllib.parse.urlencode(form).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            timeout=timeout)
        state, cap = headers.get("X-SQL-State"), headers.get("X-SPARQL-MaxRows")
        if status == 206 or (state and state != "00000"):
            raise RemoteError(f"POST {url}: the store returned a partial answer (HTTP {status}, "
                              f"{state or ''} {headers.get('X-SQL-Message', '')})".strip(),
                              url=url, status=status)
        if cap:  # Virtuoso cuts answers at ResultSetMaxRows, and at 1,048,576 rows whatever it says
            raise RemoteError(f"POST {url}: the store returned a partial answer, cut at {cap} rows",
                              url=url, status=status)
        return headers.get("Content-Type", ""), body

    def _results(self, text: str, **kw) -> dict:
        _, body = self.query(text, accept="application/sparql-results+json", **kw)
        try:
            return json.loads(body)
        except ValueError as error:
            raise RemoteError(f"{self.endpoints.query}: the answer is not SPARQL JSON results: "
                              f"{body[:200]!r}", url=self.endpoints.query) from error

    def select(self, text: str, **kw) -> list[dict]:
        """Run a SELECT; return its bindings ({variable: {"type", "value", ...}})."""
        results = self._results(text, **kw)
        try:
            return results["results"]["bindings"]
        except (KeyError, TypeError):
            raise RemoteError(f"{self.endpoints.query}: the answer has no bindings",
                              url=self.endpoints.query) from None

    def ask(self, text: str, **kw) -> bool:
        """Run an ASK; return its answer."""
        answer = self._results(text, **kw).get("boolean")
        if not isinstance(answer, bool):
            raise RemoteError(f"{self.endpoints.query}: the answer to ASK is not a boolean",
                              url=self.endpoints.query)
        return answer

    def update(self, text: str, *, timeout: float | None = None) -> None:
        """Run a SPARQL Update request."""
        url = self._need("update")
        self._send("POST", url, data=urllib.parse.urlencode({"update": text}).encode("utf-8"),
                   headers={"Content-Type": "application/x-www-form-urlencoded",
                            "Accept": "application/sparql-results+json, text/plain, */*"},
                   timeout=timeout)

    # Graph Store Protocol ------------------------------------------------------------
    def _graph_url(self, iri: str) -> str:
        base = self._need("store")
        graph = urllib.parse.urlencode({"graph": check_iri(iri)})
        return base + ("&" if "?" in base else "?") + graph

    def put_graph(self, iri: str, ntriples: Path | bytes, *, timeout: float | None = None) -> None:
        """Replace the graph iri with N-Triples from a file or bytes.

        The document goes in batches (BATCH_LINES lines, BATCH_BYTES bytes): the first is PUT,
        the others POSTed, each read from the file as it is sent. Virtuoso 7.2 keeps a request
        whole in memory and its loader deadlocks on a large first load of IRIs under new
        prefixes (200,000 lines hung where 150,000 did not). A document with blank nodes is sent
        in one request, streamed, since splitting it would split its blank nodes.
        """
        url = self._graph_url(iri)
        headers = {"Content-Type": "application/n-triples"}
        if _has_blank_nodes(ntriples):
            if isinstance(ntriples, (bytes, bytearray)):
                body, size = bytes(ntriples), len(ntriples)
            else:
                body = _ReplayableFile(ntriples)
                size = body.size
            self._send("PUT", url, data=body, timeout=timeout,
                       headers={**headers, "Content-Length": str(size)})
            return
        method = "PUT"
        for batch in _batches(ntriples):
            self._send(method, url, data=batch, timeout=timeout,
                       headers={**headers, "Content-Length": str(len(batch))})
            method = "POST"

    def delete_graph(self, iri: str, missing_ok: bool = True) -> None:
        """Delete the graph iri (a missing graph is fine unless missing_ok is false)."""
        try:
            self._send("DELETE", self._graph_url(iri))
        except RemoteError as error:
            if not (missing_ok and error.status == 404):
                raise

    def count(self, graph_iri: str) -> int:
        """Return the number of triples in the named graph graph_iri."""
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{check_iri(graph_iri)}> "
                           f"{{ ?s ?p ?o }} }}")
        try:
            return int(rows[0]["n"]["value"])
        except (IndexError, KeyError, ValueError):
            raise RemoteError(f"{self.endpoints.query}: no count in the answer {rows!r}",
                              url=self.endpoints.query) from None

    def _need(self, which: str) -> str:
        url = getattr(self.endpoints, which)
        if not url:
            kind = "Update" if which == "update" else "Graph Store"
            raise RemoteError(f"no SPARQL {kind} endpoint is known for {self.endpoints.query}: "
                              f"give it with {which}=")
        return url
