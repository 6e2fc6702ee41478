"""Answer a repeated GET /sparql from memory, before Flask: the service's hot path.

The dataset never changes while the service runs, so a protocol request that asks exactly what
an earlier one asked (the same query string, Accept, Origin and Host) gets exactly the earlier
response: status, headers (ETag, Cache-Control, CORS, security headers) and body. Such a hit
costs a dictionary lookup instead of Flask's request handling, negotiation and the executor
round trip. Only successful GETs are kept; conditional requests (If-None-Match, ...) and
everything else go to Flask, which answers them as before.
"""

from __future__ import annotations

from .lru import LRU

#: What a response depends on besides the query string (Accept: the format; Origin: CORS
#: headers; Host: absolute links in HTML results; the script root: where the app is mounted).
_VARY = ("HTTP_ACCEPT", "HTTP_ORIGIN", "HTTP_HOST", "SCRIPT_NAME")
_CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
                "HTTP_IF_RANGE", "HTTP_RANGE")


class ResponseCache:
    """WSGI middleware: GET /sparql?... answered from memory when it was answered before."""

    def __init__(self, app, *, entries: int = 2048, max_bytes: int = 64 * 1024 * 1024,
                 max_body: int = 1024 * 1024, path: str = "/sparql"):
        self.app, self.path, self.max_body = app, path, max_body
        self.kept = LRU(entries, max_bytes=max_bytes, size=lambda response: len(response[2]))

    def __call__(self, environ, start_response):
        if (environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != self.path
                or not environ.get("QUERY_STRING") or any(h in environ for h in _CONDITIONAL)):
            return self.app(environ, start_response)
        key = (environ["QUERY_STRING"], *(environ.get(h, "") for h in _VARY))
        hit = self.kept.get(key)
        if hit is not None:
            status, headers, body = hit
            start_response(status, list(headers))
            return [body]
        return self._answer_and_keep(key, environ, start_response)

    def _answer_and_keep(self, key, environ, start_response):
        seen = {}

        def remember(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        chunks = self.app(environ, remember)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status, headers = seen.get("status", ""), seen.get("headers", [])
        cacheable = any(k.lower() == "cache-control" and "public" in v for k, v in headers)
        if status.startswith("200 ") and cacheable and len(body) <= self.max_body:
            self.kept.put(key, (status, tuple(headers), body))
        return [body]
