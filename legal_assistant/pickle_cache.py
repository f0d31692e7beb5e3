"""Objects that are slow to build (the parsed corpus, the fitted hint classifier) kept in the cache dir.

A file is keyed by a fingerprint of what it was built from; a new key replaces the old files of
that kind, and a stale or truncated file is rebuilt, never trusted.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def load_or_build(cache_dir: Path, kind: str, key: str, build: Callable[[], T]) -> T:
    cache = cache_dir / f"{kind}-{key}.pkl"
    if cache.exists():
        try:
            return pickle.loads(cache.read_bytes())
        except Exception:  # a stale or truncated cache is rebuilt, never trusted
            cache.unlink(missing_ok=True)
    value = build()
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob(f"{kind}-*.pkl"):
        old.unlink(missing_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(cache)
    return value
