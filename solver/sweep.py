"""What-if sweeps and outlooks: plan many scenarios on a local process pool or a Dask cluster.

``run_sweep`` plans one year under every scenario of a grid (``rotation.scenarios``);
``run_outlook_sweep`` rolls the county forward over several years under each scenario.

- Each scenario is one task. The grid's scenarios are split into ``workers`` contiguous
  chains; within a chain a scenario starts when the one before it is done, from that
  plan as its hint (neighbouring scenarios differ in one parameter, so the previous plan
  is a good start). Chains run in parallel.
- Executors: ``serial`` (in this process), ``local`` (a process pool, the default) and
  ``dask`` (a Dask distributed cluster: ``scheduler`` address, a ``client``, or a local
  cluster started for the run). The datasets are shipped to the workers once.
- A task that fails is retried ``retries`` times, then reported (``ok`` False, with the
  error) without losing the other scenarios; results come back in grid order.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rotation.locks import Lock, Locks
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
from rotation.scenarios import Scenario, comparison_row, plan_figures
from solver.options import SolveOptions
from solver.plan_year import plan_year

Executor = Literal["serial", "local", "dask"]
EXECUTORS: tuple[str, ...] = ("serial", "local", "dask")


@dataclass(frozen=True, slots=True)
class SweepProgress:
    done: int
    total: int
    scenario_id: str
    label: str
    ok: bool
    attempts: int
    message: str = ""


class OutlookResult(BaseModel):
    """One scenario's trajectory, year by year."""

    model_config = ConfigDict(frozen=True)

    from_year: int
    to_year: int
    assumptions: OutlookAssumptions
    years: list[dict[str, Any]] = Field(
        default_factory=list,
        description="per year: figures of the plan, events, indicators before and after",
    )
    first_year_meeting_standard: int | None = None
    plans: list[Plan] = Field(default_factory=list)
    states: list[OutlookState] = Field(default_factory=list, exclude=True)


class ScenarioOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    scenario: Scenario
    ok: bool
    error: str = ""
    attempts: int = 1
    seconds: float = 0.0
    hinted: bool = Field(False, description="started from the neighbouring scenario's plan")
    row: dict[str, Any] = Field(default_factory=dict)
    plan: Plan | None = None
    outlook: OutlookResult | None = None


class SweepResult(BaseModel):
    """Every scenario's outcome in grid order (JSON-serialisable)."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["whatif", "outlook"] = "whatif"
    year: int
    executor: str
    workers: int
    base_policy: dict[str, Any]
    outcomes: list[ScenarioOutcome]
    wall_seconds: float

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [o.row for o in self.outcomes]

    @property
    def failed(self) -> list[ScenarioOutcome]:
        return [o for o in self.outcomes if not o.ok]


# ------------------------------------------------------------------ task functions
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


# ------------------------------------------------------------------ executors
_WORKER_DATASETS: dict[str, Dataset] = {}


def _init_pool_worker(datasets: dict[str, Dataset]) -> None:
    _WORKER_DATASETS.clear()
    _WORKER_DATASETS.update(datasets)


def _pool_call(fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Any:
    return fn(_WORKER_DATASETS[key], *args)


class _Runner:
    """Submits ``fn(dataset, *args)`` where the dataset is named by key."""

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def wait_any(self, pending: set[Any]) -> set[Any]:
        raise NotImplementedError

    def close(self) -> None:
        return None


class _SerialRunner(_Runner):
    def __init__(self, datasets: Mapping[str, Dataset]) -> None:
        self.datasets = datasets

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(self.datasets[key], *args))
        except Exception as exc:  # reported by the driver
            fut.set_exception(exc)
        return fut

    def wait_any(self, pending: set[Any]) -> set[Any]:
        return set(pending)


class _PoolRunner(_Runner):
    def __init__(self, datasets: Mapping[str, Dataset], workers: int) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_init_pool_worker, initargs=(dict(datasets),)
        )

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Future[Any]:
        return self.pool.submit(_pool_call, fn, key, args)

    def wait_any(self, pending: set[Any]) -> set[Any]:
        done, _ = futures_wait(pending, return_when="FIRST_COMPLETED")
        return set(done)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskRunner(_Runner):
    def __init__(self, datasets: Mapping[str, Dataset], client: Any, owned: list[Any]) -> None:
        self.client = client
        self.owned = owned  # things this run started and must close (client, cluster)
        self.refs = {k: client.scatter(v, broadcast=False, hash=False) for k, v in datasets.items()}

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Any:
        return self.client.submit(fn, self.refs[key], *args, pure=False)

    def wait_any(self, pending: set[Any]) -> set[Any]:
        from distributed import wait

        done, _ = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done)

    def close(self) -> None:
        for thing in self.owned:
            thing.close()


def start_local_cluster(workers: int) -> tuple[Any, Any]:
    """A Dask LocalCluster on 127.0.0.1 (one thread per worker process) and its client."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    return cluster, Client(cluster)


def _make_runner(
    executor: str,
    datasets: Mapping[str, Dataset],
    workers: int,
    scheduler: str | None,
    client: Any,
) -> _Runner:
    if executor == "serial":
        return _SerialRunner(datasets)
    if executor == "local":
        return _PoolRunner(datasets, workers)
    if executor == "dask":
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - the "dist" extra is missing
            raise RuntimeError(
                "需要安装 dask 与 distributed（pip install 'rotation[dist]'）/ "
                "the dask executor needs the 'dist' extra"
            ) from exc
        if client is not None:
            return _DaskRunner(datasets, client, [])
        if scheduler:
            own = Client(scheduler)
            return _DaskRunner(datasets, own, [own])
        cluster, own = start_local_cluster(workers)
        return _DaskRunner(datasets, own, [own, cluster])
    raise ValueError(f"--executor 应为 {'/'.join(EXECUTORS)} / unknown executor {executor!r}")


def dask_workers(client: Any) -> int:
    """The number of worker threads of a Dask cluster."""
    return max(1, sum(client.nthreads().values()))


# ------------------------------------------------------------------ the driver
@dataclass
class _Job:
    index: int
    scenario: Scenario
    args: Callable[[Plan | None], tuple[Any, ...]]
    attempts: int = 0
    started: float = 0.0
    hinted: bool = False


def chains_of(scenarios: Sequence[Scenario], parallel: int) -> list[list[int]]:
    """Contiguous chains of scenario positions, one per parallel slot; a chain never mixes
    datasets (a hint only helps the same county)."""
    n = len(scenarios)
    k = max(1, min(parallel, n))
    bounds = [round(i * n / k) for i in range(k + 1)]
    chains: list[list[int]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        chain: list[int] = []
        for i in range(a, b):
            if chain and scenarios[i].dataset_key != scenarios[chain[-1]].dataset_key:
                chains.append(chain)
                chain = []
            chain.append(i)
        if chain:
            chains.append(chain)
    return chains


def _drive(
    runner: _Runner,
    fn: Callable[..., Any],
    jobs: list[_Job],
    chains: list[list[int]],
    *,
    retries: int,
    use_hints: bool,
    progress: Callable[[SweepProgress], None] | None,
    should_stop: Callable[[], bool] | None,
) -> list[tuple[_Job, Any, str]]:
    results: dict[int, tuple[Any, str]] = {}
    next_in_chain: dict[int, int] = {}
    for chain in chains:
        for a, b in zip(chain, chain[1:], strict=False):
            next_in_chain[a] = b
    hints: dict[int, Plan | None] = {}
    pending: dict[Any, _Job] = {}

    def submit(job: _Job) -> None:
        hint = hints.get(job.index) if use_hints else None
        job.hinted = hint is not None
        job.attempts += 1
        if job.attempts == 1:
            job.started = time.perf_counter()
        fut = runner.submit(fn, job.scenario.dataset_key, job.args(hint))
        pending[fut] = job

    for chain in chains:
        submit(jobs[chain[0]])
    stopped = False
    while pending:
        for fut in runner.wait_any(set(pending)):
            job = pending.pop(fut)
            try:
                value, error = fut.result(), ""
            except Exception as exc:
                if job.attempts <= retries and not stopped:
                    submit(job)
                    continue
                value, error = None, f"{type(exc).__name__}: {exc}"
            results[job.index] = (value, error)
            if progress is not None:
                progress(
                    SweepProgress(
                        done=len(results),
                        total=len(jobs),
                        scenario_id=job.scenario.scenario_id,
                        label=job.scenario.label,
                        ok=not error,
                        attempts=job.attempts,
                        message=error,
                    )
                )
            if should_stop is not None and should_stop():
                stopped = True
            nxt = next_in_chain.get(job.index)
            if nxt is not None and not stopped:
                prev_hint = hints.get(job.index)
                hints[nxt] = value if isinstance(value, Plan) else prev_hint
                submit(jobs[nxt])
    out = []
    for job in jobs:
        value, error = results.get(job.index, (None, "已取消 / cancelled"))
        out.append((job, value, error))
    return out


def _resolve_workers(executor: str, workers: int | None, client: Any) -> int:
    if workers is not None:
        return max(1, workers)
    if executor == "dask" and client is not None:
        return dask_workers(client)
    if executor == "serial":
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


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
    n = _resolve_workers(executor, workers, client)
    t0 = time.perf_counter()
    runner = _make_runner(executor, datasets, n, scheduler, client)
    try:
        jobs = [
            _Job(
                i,
                s,
                lambda hint, s=s: (
                    year,
                    base_policy,
                    s,
                    _locks_for(locks, datasets[s.dataset_key]),
                    options,
                    hint,
                ),
            )
            for i, s in enumerate(scenarios)
        ]
        done = _drive(
            runner, solve_scenario, jobs, chains_of(scenarios, n),
            retries=retries, use_hints=hints, progress=progress, should_stop=should_stop,
        )  # fmt: skip
    finally:
        runner.close()
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
    return float(plan.metrics.get("total_seconds") or 0.0)


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
    n = _resolve_workers(executor, workers, client)
    t0 = time.perf_counter()
    runner = _make_runner(executor, {"main": dataset}, n, scheduler, client)
    try:
        jobs = [
            _Job(
                i,
                s,
                lambda hint, s=s: (
                    from_year,
                    to_year,
                    base_policy,
                    s,
                    assumptions,
                    locks,
                    options,
                    hint,
                ),
            )
            for i, s in enumerate(grid)
        ]
        done = _drive(
            runner, outlook_scenario, jobs, [[i] for i in range(len(grid))],
            retries=retries, use_hints=False, progress=progress, should_stop=should_stop,
        )  # fmt: skip
    finally:
        runner.close()
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
                    if k in ("moved", "quota_units_met", "quota_units")
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
