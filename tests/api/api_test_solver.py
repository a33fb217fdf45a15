"""A plan function for the service tests: a search that lasts until it is told to stop.

It reports progress like a solver (objective rising toward a bound) and honours
``should_stop`` exactly as the contract of ``workflows.plan.run_plan`` says; when
stopped (or after ``HOLD_SECONDS``) it returns a real plan made by the greedy backend,
"the best plan so far". It lets the tests hold solves open for as long as they need
to observe queueing, progress and cancellation, whatever the real solver's speed.
"""

from __future__ import annotations

import os
import time
from typing import Any

from solver.options import SolveOptions
from solver.progress import Progress
from workflows.plan import run_plan as real_run_plan

# The fault tests' servers hold longer (their steps, on a loaded machine, can take more
# than half a minute; a solve that ends by itself would look like one that was never held).
HOLD_SECONDS = float(os.environ.get("ROTATION_TEST_HOLD_SECONDS", "30"))


def plan_year(
    dataset: Any,
    year: int,
    policy: Any,
    locks: Any = None,
    options: SolveOptions | None = None,
    progress: Any = None,
    should_stop: Any = None,
    hint: Any = None,
) -> Any:
    t0 = time.monotonic()
    step = 0
    while time.monotonic() - t0 < HOLD_SECONDS:
        if should_stop is not None and should_stop():
            break
        step += 1
        if progress is not None:
            objective, bound = float(step), 1000.0
            progress(
                Progress(
                    elapsed=time.monotonic() - t0,
                    objective=objective,
                    bound=bound,
                    gap=(bound - objective) / bound,
                    phase="solve",
                    message="held open by the test",
                )
            )
        time.sleep(0.05)
    greedy = (options or SolveOptions()).model_copy(update={"backend": "greedy"})
    return real_run_plan(dataset, year, policy, locks=locks, options=greedy)


def stubborn_plan_year(
    dataset: Any,
    year: int,
    policy: Any,
    locks: Any = None,
    options: SolveOptions | None = None,
    progress: Any = None,
    should_stop: Any = None,
    hint: Any = None,
) -> Any:
    """A solve stuck where it never asks whether to stop (a long call into native code)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < HOLD_SECONDS:
        if progress is not None:
            progress(Progress(elapsed=time.monotonic() - t0, phase="solve", message="stuck"))
        time.sleep(0.05)
    return plan_year(dataset, year, policy, locks, options, progress, should_stop, hint)
