"""A small cache of what is computed from finished results (a finished plan never changes):
the console opens the same plan's indicators and diffs many times."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_SIZE = 32
_cache: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` (the most recent keys are kept)."""
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _cache[key] = value
        while len(_cache) > _SIZE:
            _cache.popitem(last=False)
    return value
