"""Sweep scenarios (what-if): plan the year under every scenario of a grid, each plan
checked, on a local process pool or a Dask cluster (``solver.sweep`` runs the tasks).

``run_sweep`` is one county; ``run_scenarios`` many datasets (a province). A task is
``solve_scenario``: a top-level function, so the pool and Dask pickle it by module path.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rotation.locks import Lock, Locks
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from rotation.scenarios import Scenario, comparison_row
from solver.options import SolveOptions
from solver.sweep.driver import run_on_executor
from solver.sweep.executors import Executor
from solver.sweep.models import ScenarioOutcome, SweepProgress, SweepResult
from workflows.plan import run_plan


def solve_scenario(
    dataset: Dataset,
    year: int,
    base_policy: Policy,
    scenario: Scenario,
    locks: Locks,
    options: SolveOptions,
    hint: Plan | None = None,
) -> Plan:
    """Plan and check one scenario's year (a task: raises on failure)."""
    return run_plan(dataset, year, scenario.policy(base_policy), locks, options, hint=hint)


def run_scenarios(
    datasets: Mapping[str, Dataset],
    year: int,
    base_policy: Policy,
    scenarios: Sequence[Scenario],
    locks: Locks | None = None,
    options: SolveOptions | None = None,
    executor: Executor | str = "local",
    progress: Callable[[SweepProgress], None] | None = None,
    *,
    scheduler: str | None = None,
    client: Any = None,
    workers: int | None = None,
    retries: int = 1,
    hints: bool = True,
    should_stop: Callable[[], bool] | None = None,
) -> SweepResult:
    """Plan every scenario (each on the dataset its ``dataset_key`` names) and gather them."""
    locks = locks or Locks()
    options = options or SolveOptions()
    t0 = time.perf_counter()

    def args(s: Scenario, hint: Plan | None) -> tuple[Any, ...]:
        return (year, base_policy, s, _locks_for(locks, datasets[s.dataset_key]), options, hint)

    n, done = run_on_executor(
        solve_scenario, scenarios, args, datasets, executor,
        chained=True, use_hints=hints, progress=progress, scheduler=scheduler, client=client,
        workers=workers, retries=retries, should_stop=should_stop,
    )  # fmt: skip
    outcomes = [
        ScenarioOutcome(
            scenario=job.scenario,
            ok=not error,
            error=error,
            attempts=job.attempts,
            seconds=round(_seconds(value), 3),
            hinted=job.hinted,
            row=comparison_row(job.scenario, value, error),
            plan=value,
            itinerant=value.itinerant.figures if value and value.itinerant else None,
        )
        for job, value, error in done
    ]
    return SweepResult(
        kind="whatif",
        year=year,
        executor=str(executor),
        workers=n,
        base_policy=base_policy.model_dump(mode="json"),
        outcomes=outcomes,
        wall_seconds=round(time.perf_counter() - t0, 3),
    )


def _seconds(plan: Plan | None) -> float:
    if plan is None:
        return 0.0
    return plan.solve.total_seconds if plan.solve is not None else 0.0


def _locks_for(locks: Locks, dataset: Dataset) -> Locks:
    """The locks that name this dataset's teachers and schools (all of them for one county)."""
    keep: list[Lock] = [
        x
        for x in locks.items
        if (not x.teacher_id or x.teacher_id in dataset.teacher)
        and (not x.school_id or x.school_id in dataset.school)
    ]
    return locks if len(keep) == len(locks.items) else Locks(items=tuple(keep))


def run_sweep(
    dataset: Dataset,
    year: int,
    base_policy: Policy,
    grid: Sequence[Scenario],
    locks: Locks | None = None,
    options: SolveOptions | None = None,
    executor: Executor | str = "local",
    progress: Callable[[SweepProgress], None] | None = None,
    **kwargs: Any,
) -> SweepResult:
    """Plan one county's year under every scenario of ``grid`` (see ``run_scenarios``)."""
    grid = [
        s if s.dataset_key == "main" else s.model_copy(update={"dataset_key": "main"}) for s in grid
    ]
    return run_scenarios(
        {"main": dataset}, year, base_policy, grid, locks, options, executor, progress, **kwargs
    )
