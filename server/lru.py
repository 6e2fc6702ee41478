"""A bounded map that forgets what was used least recently: every cache of the service is one.

The dataset never changes while the service runs, so whatever is worked out from it may be
kept. But requests are the clients' to choose (a query, a filter, a query string), and a cache
that keeps one entry per distinct request grows with every new one: each cache is bounded in
entries and, where its values are large, in bytes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app

_MISSING = object()


class LRU:
    """A thread-safe map of at most `entries` items and, with max_bytes, of at most that many
    bytes of values (as size(value) counts them, len by default); the least recently used
    item goes first. A value larger than max_bytes is not kept."""

    def __init__(self, entries: int, *, max_bytes: int | None = None, size=len):
        self.entries, self.max_bytes, self.size = entries, max_bytes, size
        self.bytes = 0
        self._data: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key) -> bool:
        with self._lock:
            return key in self._data

    def keys(self) -> list:
        """Return the keys, the least recently used first."""
        with self._lock:
            return list(self._data)

    def get(self, key, default=None):
        """Return the value kept for key (now the most recently used), or default."""
        with self._lock:
            value = self._data.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._data.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        """Keep value for key, forgetting the least recently used items past the bounds."""
        size = self.size(value) if self.max_bytes is not None else 0
        if self.max_bytes is not None and size > self.max_bytes:
            return
        with self._lock:
            if key in self._data:
                self.bytes -= self._sized(self._data.pop(key))
            self._data[key] = value
            self.bytes += size
            while len(self._data) > self.entries or (self.max_bytes is not None
                                                     and self.bytes > self.max_bytes):
                _, forgotten = self._data.popitem(last=False)
                self.bytes -= self._sized(forgotten)

    def get_or_make(self, key, make):
        """Return the value kept for key, or make() it (outside the lock), keep it, return it."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = make()
            self.put(key, value)
        return value

    def _sized(self, value) -> int:
        return self.size(value) if self.max_bytes is not None else 0


def app_cache(name: str, entries: int, max_bytes: int | None = None, size=len) -> LRU:
    """Return the current app's cache of that name (app.extensions[name]), made on first use."""
    extensions = current_app.extensions
    cache = extensions.get(name)
    if cache is None:
        cache = extensions.setdefault(name, LRU(entries, max_bytes=max_bytes, size=size))
    return cache
