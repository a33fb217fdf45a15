"""Drives a sweep's tasks: chains with hints, retries, progress and cancellation.

- The scenarios are split into contiguous chains, one per parallel slot; within a chain a
  scenario starts when the one before it is done, from that plan as its hint (neighbouring
  scenarios differ in one parameter, so the previous plan is a good start). Chains run in
  parallel.
- A task that fails is retried ``retries`` times, then reported (with the error) without
  losing the other scenarios; results come back in grid order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rotation.models import Dataset
from rotation.plan import Plan
from rotation.scenarios import Scenario
from solver.sweep.executors import _make_runner, _resolve_workers, _Runner
from solver.sweep.models import SweepProgress


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


def run_on_executor(
    fn: Callable[..., Any],
    scenarios: Sequence[Scenario],
    args: Callable[[Scenario, Plan | None], tuple[Any, ...]],
    datasets: Mapping[str, Dataset],
    executor: str,
    *,
    chained: bool,
    use_hints: bool,
    progress: Callable[[SweepProgress], None] | None,
    scheduler: str | None,
    client: Any,
    workers: int | None,
    retries: int,
    should_stop: Callable[[], bool] | None,
) -> tuple[int, list[tuple[_Job, Any, str]]]:
    """Run ``fn`` once per scenario (``args(scenario, hint)`` its arguments after the
    dataset) on the executor, in contiguous chains (``chained``) or each on its own, and
    close the executor: the number of parallel slots, and (job, value, error) in grid
    order."""
    n = _resolve_workers(executor, workers, client)
    runner = _make_runner(executor, datasets, n, scheduler, client)
    try:
        jobs = [_Job(i, s, partial(args, s)) for i, s in enumerate(scenarios)]
        chains = chains_of(scenarios, n) if chained else [[i] for i in range(len(scenarios))]
        done = _drive(
            runner, fn, jobs, chains,
            retries=retries, use_hints=use_hints, progress=progress, should_stop=should_stop,
        )  # fmt: skip
    finally:
        runner.close()
    return n, done
