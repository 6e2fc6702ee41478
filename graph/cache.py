"""Where builds keep what they worked out, for an identical build to reuse: the inferences
(graph.reasoning) and conforming validation reports (graph.validation)."""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def cache_folder() -> Path | None:
    """Return the folder of the cache, or None when caching is switched off.

    EURASIA_KG_CACHE names the folder; set it to "off" to reason and validate every time.
    """
    setting = os.environ.get("EURASIA_KG_CACHE")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "eurasia-kg"


def keep_in_cache(path: Path, write) -> None:
    """Write a cache entry with write(partial_path), then move it into place (readers never see
    half a file); a cache that cannot be written only costs the next build its time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        write(partial)
        partial.replace(path)
    except OSError:
        pass


def installed_version(name: str) -> str | None:
    """Return the installed version of a distribution, or None if it is missing."""
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def versions_key(*names: str) -> bytes:
    """Return the installed versions of the named packages, for a cache key: an upgrade of
    any of them may change what a build works out, and misses the cache."""
    return "; ".join(f"{name} {installed_version(name) or '(not installed)'}" for name in names).encode()
