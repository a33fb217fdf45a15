"""JSON-safe copies of results for the database's JSON columns."""

from __future__ import annotations

import json
from typing import Any


def jsonable(value: Any) -> Any:
    """A JSON-safe copy: NaN/inf become None, unknown objects their str()."""
    return json.loads(json.dumps(_clean(value), default=str, ensure_ascii=False))


def _clean(value: Any) -> Any:
    """NaN and infinities become None (JSON has no such numbers)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
