"""Progress of a solve, reported as the search goes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Progress:
    elapsed: float
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    phase: str = "solve"  # candidates / build / hint / solve / explain / check / done
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ProgressFn = Callable[[Progress], None]
StopFn = Callable[[], bool]


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|bound − objective| / max(1, |objective|), the usual MIP gap (maximisation)."""
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1.0, abs(objective))
