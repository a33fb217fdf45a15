"""A run's time limit, shared among its phases.

``--time-limit`` bounds the whole run — reading the roster, candidates, building the
model, solving, explaining and diagnosing shortfalls, checking — not the solver alone.
The run's clock starts when the command starts (before reading). After the model is
built, the solver gets what is left minus the shares kept for explaining (with the
diagnosis of shortfall causes), for the checker and for the phases run on the finished
plan (``later_seconds``: the 走教 schedule when the roster states hour needs); diagnosis
stops at its deadline and says so in words instead of overrunning.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

EXPLAIN_SHARE = 0.10  # of the limit: reasons and the diagnosis of shortfall causes
CHECK_SHARE = 0.03  # of the limit: the independent checker and the plan's figures
LATER_SHARE = 0.15  # of the limit at most: phases run on the finished plan (校长交流, 走教)
MIN_SOLVE_SECONDS = 0.1  # below this the solver is not started: the greedy start plan stands


@dataclass
class RunBudget:
    """Seconds for the whole run, measured on ``clock`` from ``started``."""

    limit: float
    clock: Callable[[], float] = time.perf_counter
    started: float = field(default=math.nan)
    later: dict[str, float] = field(default_factory=dict)  # see ``keep_for_later``

    def __post_init__(self) -> None:
        if math.isnan(self.started):
            self.started = self.clock()

    def elapsed(self) -> float:
        return self.clock() - self.started

    def remaining(self) -> float:
        return self.limit - self.elapsed()

    def keep_for_later(self, phase: str, seconds: float) -> None:
        """Keep up to ``seconds`` for ``phase``, run on the finished plan (校长交流, 走教), so
        a tight limit does not leave it nothing; all such phases together keep at most
        ``LATER_SHARE`` of the limit (scaled down alike when they ask for more)."""
        self.later[phase] = max(0.0, seconds)
        total, cap = sum(self.later.values()), self.limit * LATER_SHARE
        if total > cap:
            self.later = {k: v * cap / total for k, v in self.later.items()}

    @property
    def later_seconds(self) -> float:
        return sum(self.later.values())

    def after_solve_reserve(self) -> float:
        return self.limit * (EXPLAIN_SHARE + CHECK_SHARE) + self.later_seconds

    def start_later_phase(self, phase: str) -> float:
        """What ``phase`` may use now that it starts: the rest, less the checker's share and
        what the phases still to come keep."""
        self.later.pop(phase, None)
        return self.remaining() - self.limit * CHECK_SHARE - self.later_seconds

    def solve_seconds(self) -> float:
        """What the solver may use now: the rest, less the explaining and checking shares."""
        return self.remaining() - self.after_solve_reserve()

    def explain_seconds_left(self) -> float:
        """What explaining and diagnosing may still use (the checker's share and the later
        phases' seconds are kept)."""
        return self.remaining() - self.limit * CHECK_SHARE - self.later_seconds

    def shortest_workable_limit(self) -> int:
        """A limit that would leave the solver a useful share: what reading and building
        took, half as much again for explaining, checking and writing, two seconds to
        solve, and the later phases' shares on top."""
        used = self.elapsed()
        return max(1, math.ceil((1.5 * used + 2.0) / (1.0 - EXPLAIN_SHARE - CHECK_SHARE)))
