"""What one task of a sweep runs: a scenario's year, or a scenario's outlook.

Task functions are top-level so that the process pool and Dask can pickle them by module
path; they take the dataset first and raise on failure.
"""

from __future__ import annotations

from typing import Any

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
from solver.options import SolveOptions
from solver.plan_year import plan_year
from solver.sweep.models import OutlookResult


def solve_scenario(
    dataset: Dataset,
    year: int,
    base_policy: Policy,
    scenario: Scenario,
    locks: Locks,
    options: SolveOptions,
    hint: Plan | None = None,
) -> Plan:
    """Plan one scenario's year (a task: raises on failure)."""
    return plan_year(dataset, year, scenario.policy(base_policy), locks, options, hint=hint)


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
    state = OutlookState.start(dataset, from_year)
    years: list[dict[str, Any]] = []
    plans: list[Plan] = []
    states: list[OutlookState] = [state]
    for year in range(from_year, to_year + 1):
        year_locks = state.stay_locks()
        if year == from_year and locks is not None:
            year_locks = Locks(items=(*locks.items, *year_locks.items))
        ds = state.dataset
        plan = plan_year(ds, year, policy, year_locks, options)
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
            }
        )
        plans.append(plan)
        state = next_state
        states.append(state)
    return OutlookResult(
        from_year=from_year,
        to_year=to_year,
        assumptions=assumptions,
        years=years,
        first_year_meeting_standard=first_year_meeting_standard(years),
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
