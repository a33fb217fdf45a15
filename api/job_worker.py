"""Job runs other than plans, in a worker process: a what-if sweep, a 县管校聘 allocation.

``run_job`` claims the job, reads everything it needs from the database, runs it and
stores the result (``api.job_store``). A sweep reports progress per scenario and stops
before the next scenario once a cancel is asked (``JobGate.should_stop``); the
scenarios not planned are listed as cancelled.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from api.dataset_store import load_dataset
from api.job_store import JobGate, claim_job, fail_job, finish_job
from api.tables import ALLOCATION, FAILED, WHATIF, JobRun
from api.worker import worker_engine

log = logging.getLogger(__name__)


def run_job(
    database_url: str, job_id: int, progress_interval: float = 0.5, solver_threads: int = 1
) -> str:
    """Run one job; returns its final status (or "skipped" when it could not be claimed)."""
    engine = worker_engine(database_url)
    if not claim_job(engine, job_id):
        return "skipped"
    gate = JobGate(engine, job_id, progress_interval)
    try:
        with Session(engine) as session:
            job = session.get(JobRun, job_id)
            assert job is not None
            session.expunge(job)
            dataset = load_dataset(session, job.dataset_id)
        result, last = JOB_FUNCTIONS[job.kind](dataset, job, gate, solver_threads)
        seconds = gate.elapsed()
        return finish_job(engine, job_id, result, {**last, "elapsed": seconds}, seconds)
    except Exception as exc:  # the job fails; the worker lives on
        log.exception("job %s failed", job_id)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        fail_job(engine, job_id, f"任务失败 / the job failed: {detail}", gate.elapsed())
        return FAILED


# ------------------------------------------------------------------ what-if
def whatif_job(
    dataset: Any, job: JobRun, gate: JobGate, solver_threads: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    from rotation.locks import Lock, Locks
    from rotation.policy import Policy
    from rotation.scenarios import Variation, scenario_grid
    from solver.options import SolveOptions
    from solver.sweep import SweepProgress
    from workflows.sweep import run_sweep

    p = job.params
    base = Policy().with_overrides(p.get("base_overrides") or {})
    grid = scenario_grid([Variation.model_validate(v) for v in p["vary"]], p.get("set") or {}, base)
    locks = Locks(items=tuple(Lock.model_validate(x) for x in p.get("locks") or ()))
    options = SolveOptions.model_validate({**p["options"], "workers": solver_threads})
    total = len(grid)
    gate.progress(
        {"phase": "solve", "done": 0, "total": total, "current": grid[0].label if grid else ""},
        force=True,
    )

    def report(sp: SweepProgress) -> None:
        nxt = grid[sp.done].label if sp.done < total else ""
        gate.progress(
            {"phase": "solve", **asdict(sp), "current": nxt, "last": sp.label}, force=True
        )

    sweep = run_sweep(
        dataset,
        job.year,
        base,
        grid,
        locks,
        options,
        executor="serial",
        progress=report,
        should_stop=gate.should_stop,
    )
    outcomes = [
        {
            "scenario_id": o.scenario.scenario_id,
            "label": o.scenario.label,
            "varied": o.scenario.varied,
            "overrides": o.scenario.overrides,
            "ok": o.ok,
            "error": o.error,
            "attempts": o.attempts,
            "seconds": o.seconds,
            "hinted": o.hinted,
            "check_ok": o.row.get("check_ok"),
        }
        for o in sweep.outcomes
    ]
    done = sum(1 for o in sweep.outcomes if o.ok)
    result = {
        "scenarios": total,
        "planned": done,
        "wall_seconds": sweep.wall_seconds,
        "outcomes": outcomes,
        "rows": sweep.rows,
    }
    return result, {"phase": "done", "done": done, "total": total}


# ------------------------------------------------------------------ allocation
def allocation_job(
    dataset: Any, job: JobRun, gate: JobGate, solver_threads: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    from rotation.hiring import HiringPolicy
    from workflows.allocation import run_hiring_rounds

    _ = solver_threads  # round 3 is deterministic on one CP-SAT worker
    p = job.params
    policy = HiringPolicy(level_rule=bool(p.get("level_rule", True)))
    scores = {str(k): float(v) for k, v in (p.get("scores") or {}).items()}

    def report(sp: Any) -> None:
        gate.progress({"phase": sp.phase, "message": sp.message}, force=True)

    outcome = run_hiring_rounds(
        dataset,
        job.year,
        policy,
        scores,
        time_limit=float(p.get("time_limit", 30.0)),
        seed=int(p.get("seed", 0)),
        progress=report,
        should_stop=gate.should_stop,
    )
    result = {"allocation": outcome.allocation.model_dump(mode="json"), "check": outcome.check_dict()}
    return result, {"phase": "done"}


JOB_FUNCTIONS: dict[str, Callable[..., tuple[dict[str, Any], dict[str, Any]]]] = {
    WHATIF: whatif_job,
    ALLOCATION: allocation_job,
}
