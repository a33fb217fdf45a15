"""Plan a year: the solver makes the plan, then the independent checker judges it."""

from __future__ import annotations

import time

from rotation.checker import check_plan
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from solver.budget import RunBudget
from solver.options import SolveOptions
from solver.plan_year import plan_year
from solver.progress import Progress, ProgressFn, StopFn


def run_plan(
    dataset: Dataset,
    year: int,
    policy: Policy,
    locks: Locks | None = None,
    options: SolveOptions | None = None,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    hint: Plan | None = None,
    budget: RunBudget | None = None,
) -> Plan:
    """The year's plan with the checker's verdict in ``plan.check``.

    When ``should_stop`` asked for a stop, the plan is the best found so far and is
    marked ``interrupted``. ``budget`` (default: started now) makes the time limit bound
    the whole run; pass one started before reading the roster to count the reading too.
    """
    t0 = time.perf_counter()
    locks = locks or Locks()
    plan = plan_year(dataset, year, policy, locks, options, progress, should_stop, hint, budget)
    if progress is not None:
        progress(Progress(time.perf_counter() - t0, phase="check", message="独立校验 / checking"))
    report = check_plan(dataset, plan, policy, locks)
    stopped = should_stop is not None and should_stop()
    checked = plan.model_copy(update={"check": report, "interrupted": stopped})
    if progress is not None:
        progress(Progress(time.perf_counter() - t0, phase="done", message="完成 / done"))
    return checked
