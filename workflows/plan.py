"""Plan a year: the solver makes the plan, then the independent checker judges it."""

from __future__ import annotations

import time

from rotation.check_report import CheckReport
from rotation.checker import check_itinerant, check_plan
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from solver.budget import RunBudget
from solver.itinerant import plan_itinerant
from solver.options import SolveOptions
from solver.plan_year import plan_year
from solver.progress import Progress, ProgressFn, StopFn

ITINERANT_PHASE = "itinerant"  # the 走教 schedule's share of the run's time (solver.budget)


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
    budget = budget or RunBudget((options or SolveOptions()).time_limit)
    if dataset.hour_needs:  # 走教 runs on the finished plan: keep it its seconds
        budget.keep_for_later(ITINERANT_PHASE, policy.itinerant_time_limit)
    plan = plan_year(dataset, year, policy, locks, options, progress, should_stop, hint, budget)
    if progress is not None:
        progress(Progress(time.perf_counter() - t0, phase="check", message="独立校验 / checking"))
    report = check_plan(dataset, plan, policy, locks)
    stopped = should_stop is not None and should_stop()
    update: dict[str, object] = {"check": report, "interrupted": stopped}
    if dataset.hour_needs and not stopped:
        if progress is not None:
            elapsed = time.perf_counter() - t0
            message = "走教安排 / itinerant teaching"
            progress(Progress(elapsed, phase="itinerant", message=message))
        left = budget.start_later_phase(ITINERANT_PHASE)
        seconds = min(policy.itinerant_time_limit, max(1.0, left))
        schedule = plan_itinerant(
            dataset, year, policy, plan.moves, options, time_limit=seconds, should_stop=should_stop
        )
        update["itinerant"] = schedule
        update["interrupted"] = should_stop is not None and should_stop()
        update["check"] = merged_reports(
            report, check_itinerant(dataset, year, policy, plan.moves, schedule)
        )
    checked = plan.model_copy(update=update)
    if progress is not None:
        progress(Progress(time.perf_counter() - t0, phase="done", message="完成 / done"))
    return checked


def merged_reports(plan_report: CheckReport, itinerant_report: CheckReport) -> CheckReport:
    """One verdict over the transfer plan and its 走教 schedule."""
    return CheckReport(
        ok=plan_report.ok and itinerant_report.ok,
        violations=[*plan_report.violations, *itinerant_report.violations],
        checked_rules=[*plan_report.checked_rules, *itinerant_report.checked_rules],
    )
