"""Roll the outlook forward: plan each year (checked), roll the county to the next school
year, and follow the 2017 indicators; ``run_outlook_sweep`` does it under every scenario.

``outlook_scenario`` is the sweep's task: top-level, so that the process pool and Dask
pickle it by module path; it takes the dataset first and raises on failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from rotation.indicators import county_indicators
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.outlook import (
    OutlookAssumptions,
    OutlookState,
    first_year_meeting_standard,
    indicator_snapshot,
    roll_forward,
)
from rotation.plan import Plan
from rotation.policy import Policy
from rotation.scenarios import Scenario, plan_figures
from rotation.standard_2017 import reading, teacher_standard
from solver.options import SolveOptions
from solver.sweep.driver import run_on_executor
from solver.sweep.executors import Executor
from solver.sweep.models import (
    ItinerantYear,
    OutlookResult,
    ScenarioOutcome,
    SweepProgress,
    SweepResult,
)
from workflows.plan import run_plan

# the 走教 figures of the last year in an outlook scenario's row (blank without hour needs)
LAST_ITINERANT = (
    "itinerant_hours_needed",
    "itinerant_hours_covered",
    "itinerant_teachers",
    "arts_pe_below_before_itinerant",
    "arts_pe_below_with_itinerant",
)


def run_outlook(
    dataset: Dataset,
    from_year: int,
    to_year: int,
    policy: Policy,
    assumptions: OutlookAssumptions | None = None,
    locks: Locks | None = None,
    options: SolveOptions | None = None,
    keep_states: bool = False,
) -> OutlookResult:
    """Plan each year from ``from_year`` to ``to_year``, rolling the county forward between.

    ``locks`` bind the first year only; later years lock the teachers on exchange to stay.
    """
    if to_year < from_year:
        raise ValueError(f"结束年度早于开始年度 / --to {to_year} is before --from {from_year}")
    assumptions = assumptions or OutlookAssumptions()
    state = OutlookState.start(dataset, from_year, policy.term_years)
    years: list[dict[str, Any]] = []
    plans: list[Plan] = []
    states: list[OutlookState] = [state]
    itinerant: list[ItinerantYear] = []
    for year in range(from_year, to_year + 1):
        year_locks = state.stay_locks()
        if year == from_year and locks is not None:
            year_locks = Locks(items=(*locks.items, *year_locks.items))
        ds = state.dataset
        plan = run_plan(state.plan_dataset(), year, policy, year_locks, options)
        moves = plan.moves
        before = indicator_snapshot(ds, policy)
        after_ds = Dataset.build(
            ds.schools,
            [
                t.model_copy(update={"school_id": moves[t.teacher_id]})
                if t.teacher_id in moves
                else t
                for t in ds.teachers
            ],
            ds.needs,
        )
        after = indicator_snapshot(after_ds, policy)
        standard = teacher_standard(after_ds, county_indicators(after_ds, policy), policy, plan.compliance)
        after["meets_standard"] = standard["meets"]
        next_state, events = roll_forward(state, plan, policy, assumptions)
        years.append(
            {
                "year": year,
                "teachers": len(ds.teachers),
                "on_exchange_at_start": len(state.exchanges),
                "on_exchange_after_plan": len(state.exchanges) + len(plan.assignments),
                "figures": plan_figures(plan),
                "events": events.counts(),
                "before": before,
                "after": after,
                "standard": standard,
            }
        )
        if plan.itinerant is not None:  # 走教, after the year's plan (run_plan, hour needs)
            itinerant.append(ItinerantYear(year=year, figures=plan.itinerant.figures))
        plans.append(plan)
        state = next_state
        states.append(state)
    return OutlookResult(
        from_year=from_year,
        to_year=to_year,
        assumptions=assumptions,
        years=years,
        first_year_meeting_standard=first_year_meeting_standard(years),
        standard_reading=reading(policy),
        itinerant=itinerant,
        plans=plans,
        states=states if keep_states else [],
    )


def outlook_scenario(
    dataset: Dataset,
    from_year: int,
    to_year: int,
    base_policy: Policy,
    scenario: Scenario,
    assumptions: OutlookAssumptions,
    locks: Locks,
    options: SolveOptions,
    hint: Plan | None = None,
) -> OutlookResult:
    """One scenario's outlook (a task: raises on failure; ``hint`` is unused)."""
    _ = hint
    return run_outlook(
        dataset, from_year, to_year, scenario.policy(base_policy), assumptions, locks, options
    )


def run_outlook_sweep(
    dataset: Dataset,
    from_year: int,
    to_year: int,
    base_policy: Policy,
    grid: Sequence[Scenario],
    assumptions: OutlookAssumptions | None = None,
    locks: Locks | None = None,
    options: SolveOptions | None = None,
    executor: Executor | str = "local",
    progress: Callable[[SweepProgress], None] | None = None,
    *,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    retries: int = 1,
    should_stop: Callable[[], bool] | None = None,
) -> SweepResult:
    """Each scenario's outlook as one task (outlooks are independent: no hints)."""
    assumptions = assumptions or OutlookAssumptions()
    locks = locks or Locks()
    options = options or SolveOptions()
    grid = [s.model_copy(update={"dataset_key": "main"}) for s in grid]
    t0 = time.perf_counter()

    def args(s: Scenario, hint: Plan | None) -> tuple[Any, ...]:
        return (from_year, to_year, base_policy, s, assumptions, locks, options, hint)

    n, done = run_on_executor(
        outlook_scenario, grid, args, {"main": dataset}, executor,
        chained=False, use_hints=False, progress=progress, scheduler=scheduler, client=client,
        workers=workers, retries=retries, should_stop=should_stop,
    )  # fmt: skip
    outcomes = []
    for job, value, error in done:
        row: dict[str, Any] = {"scenario_id": job.scenario.scenario_id, "label": job.scenario.label}
        if value is not None:
            row["first_year_meeting_standard"] = value.first_year_meeting_standard
            last = value.years[-1]
            row.update(
                {
                    f"last_{k}": v
                    for k, v in last["figures"].items()
                    if k in ("moved", "quota_units_met", "quota_units", *LAST_ITINERANT)
                }
            )
        else:
            row["status"] = f"failed: {error}"
        outcomes.append(
            ScenarioOutcome(
                scenario=job.scenario,
                ok=not error,
                error=error,
                attempts=job.attempts,
                row=row,
                outlook=value,
            )
        )
    return SweepResult(
        kind="outlook",
        year=from_year,
        executor=str(executor),
        workers=n,
        base_policy=base_policy.model_dump(mode="json"),
        outcomes=outcomes,
        wall_seconds=round(time.perf_counter() - t0, 3),
    )
