"""The job kinds: each a small adapter from a job row to one use-case function.

An adapter reads the job's parameters, calls the function that does the work with the
gate's ``progress`` and ``should_stop``, and returns a ``JobOutput``: the JSON result
kept on the job, its last progress, and (for a plan) the rows to store in the same
transaction that marks the job done. Claims, heartbeats, retries and failures are the
runner's and the task's business, never an adapter's.

The adapters call the use-case layer (``workflows/``): ``workflows.plan.run_plan``,
``workflows.sweep.run_sweep``, ``workflows.outlook.run_outlook_sweep`` and
``workflows.allocation.run_hiring_rounds``, each of which solves and then calls the
independent checker, exactly as the CLI does; and ``workflows.apply.apply_plan``, which
checks an adopted plan and turns it into next year's roster as ``rotation apply`` does.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, select

from api.jobs.task import JobGate, TaskConfig
from api.jsonable import jsonable
from api.tables import ALLOCATION, APPLY, OUTLOOK, PLAN, WHATIF, JobRun, PlanRun


@dataclass
class JobContext:
    job: JobRun
    dataset: Any
    gate: JobGate
    config: TaskConfig


@dataclass
class JobOutput:
    result: dict[str, Any] | None
    progress: dict[str, Any]
    store: Callable[[Session, float], None] | None = None


HINT_KEY = "hint_plan_id"  # a plan's options: the stored plan a re-plan starts from


def resolve_entry(entry: str) -> Callable[..., Any]:
    """``"module:function"`` → the function."""
    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name or "run_plan")  # type: ignore[no-any-return]


# ------------------------------------------------------------------ plan
def plan_job(ctx: JobContext) -> JobOutput:
    from api.jobs.plan_rows import load_plan, run_locks, run_policy, store_plan_result
    from solver.options import SolveOptions

    engine = ctx.gate.engine
    with Session(engine) as session:
        run = session.exec(select(PlanRun).where(PlanRun.job_id == ctx.job.id)).one()
        policy, locks = run_policy(session, run), run_locks(session, run.id or 0)
        plan_id, options = run.id, dict(run.options)
        # A re-plan names the plan it starts from (a warm start), not a solver option.
        hint_run = session.get(PlanRun, options.pop(HINT_KEY, None) or -1)
        warm = {"hint": load_plan(session, hint_run)} if hint_run is not None else {}
    solve = resolve_entry(ctx.config.solve_entry)

    def progress(p: Any) -> None:
        data = p.to_dict() if hasattr(p, "to_dict") else dict(p)
        ctx.gate.progress(data, force=data.get("phase") == "done")

    plan = solve(
        ctx.dataset,
        ctx.job.year,
        policy,
        locks=locks,
        options=SolveOptions.model_validate({**options, "workers": ctx.config.solver_threads}),
        progress=progress,
        should_stop=ctx.gate.should_stop,
        **warm,
    )
    metrics = jsonable(plan.figures())
    last: dict[str, Any] = {"phase": "done"}
    last.update(
        {k: metrics[k] for k in ("objective", "bound", "gap") if metrics.get(k) is not None}
    )

    def store(session: Session, seconds: float) -> None:
        run = session.get(PlanRun, plan_id)
        assert run is not None and plan_id is not None
        store_plan_result(session, plan_id, plan)
        run.metrics = metrics
        run.solver_status = str(plan.status)
        run.backend = str(plan.backend)
        run.notes = [str(n) for n in plan.notes]
        run.solve_seconds = seconds
        session.add(run)

    result = {"plan_id": plan_id, "assignments": len(plan.assignments), "status": str(plan.status)}
    return JobOutput(result=result, progress=last, store=store)


# ------------------------------------------------------------------ what-if
def _sweep_inputs(ctx: JobContext) -> tuple[Any, list[Any], Any, Any]:
    from rotation.locks import Lock, Locks
    from rotation.policy import Policy
    from rotation.scenarios import Variation, scenario_grid
    from solver.options import SolveOptions

    p = ctx.job.params
    base = Policy().with_overrides(p.get("base_overrides") or {})
    grid = scenario_grid([Variation.model_validate(v) for v in p["vary"]], p.get("set") or {}, base)
    locks = Locks(items=tuple(Lock.model_validate(x) for x in p.get("locks") or ()))
    options = SolveOptions.model_validate({**p["options"], "workers": ctx.config.solver_threads})
    return base, grid, locks, options


def _sweep_reporter(ctx: JobContext, grid: list[Any]) -> Callable[[Any], None]:
    total = len(grid)
    ctx.gate.progress(
        {"phase": "solve", "done": 0, "total": total, "current": grid[0].label if grid else ""},
        force=True,
    )

    def report(sp: Any) -> None:
        nxt = grid[sp.done].label if sp.done < total else ""
        ctx.gate.progress(
            {"phase": "solve", **asdict(sp), "current": nxt, "last": sp.label}, force=True
        )

    return report


def whatif_job(ctx: JobContext) -> JobOutput:
    from workflows.sweep import run_sweep

    base, grid, locks, options = _sweep_inputs(ctx)
    sweep = run_sweep(
        ctx.dataset,
        ctx.job.year,
        base,
        grid,
        locks,
        options,
        executor="serial",
        progress=_sweep_reporter(ctx, grid),
        should_stop=ctx.gate.should_stop,
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
            "itinerant": o.itinerant.model_dump(mode="json") if o.itinerant else None,  # 走教
        }
        for o in sweep.outcomes
    ]
    done = sum(1 for o in sweep.outcomes if o.ok)
    result = {
        "scenarios": len(grid),
        "planned": done,
        "wall_seconds": sweep.wall_seconds,
        "outcomes": outcomes,
        "rows": sweep.rows,
    }
    return JobOutput(result=result, progress={"phase": "done", "done": done, "total": len(grid)})


# ------------------------------------------------------------------ outlook
def outlook_job(ctx: JobContext) -> JobOutput:
    from rotation.outlook import OutlookAssumptions
    from workflows.outlook import run_outlook_sweep

    base, grid, locks, options = _sweep_inputs(ctx)
    p = ctx.job.params
    sweep = run_outlook_sweep(
        ctx.dataset,
        ctx.job.year,
        int(p["to_year"]),
        base,
        grid,
        OutlookAssumptions.model_validate(p.get("assumptions") or {}),
        locks,
        options,
        "serial",
        _sweep_reporter(ctx, grid),
        should_stop=ctx.gate.should_stop,
    )
    result = sweep.model_dump(
        mode="json", exclude={"outcomes": {"__all__": {"plan": True, "outlook": {"plans"}}}}
    )
    done = sum(1 for o in sweep.outcomes if o.ok)
    return JobOutput(result=result, progress={"phase": "done", "done": done, "total": len(grid)})


# ------------------------------------------------------------------ allocation
def allocation_job(ctx: JobContext) -> JobOutput:
    from api.posts_upload import posts_from_params
    from rotation.hiring import HiringPolicy
    from workflows.allocation import run_hiring_rounds

    p = ctx.job.params  # round 3 is deterministic on one CP-SAT worker
    policy = HiringPolicy(level_rule=bool(p.get("level_rule", True)))
    scores = {str(k): float(v) for k, v in (p.get("scores") or {}).items()}

    def report(sp: Any) -> None:
        ctx.gate.progress({"phase": sp.phase, "message": sp.message}, force=True)

    outcome = run_hiring_rounds(
        ctx.dataset,
        ctx.job.year,
        policy,
        scores,
        time_limit=float(p.get("time_limit", 30.0)),
        seed=int(p.get("seed", 0)),
        progress=report,
        should_stop=ctx.gate.should_stop,
        posts=posts_from_params(p),
    )
    result = {
        "allocation": outcome.allocation.model_dump(mode="json"),
        "check": outcome.check_dict(),
    }
    return JobOutput(result=result, progress={"phase": "done"})


# ------------------------------------------------------------------ apply
def apply_job(ctx: JobContext) -> JobOutput:
    from api.jobs.applied import PLAN_KEY, ApplyJobResult, snapshot_summary, store_applied
    from api.jobs.plan_rows import load_plan, run_locks, run_policy
    from workflows.apply import ApplyPhase, ApplyStopped, apply_plan

    params = dict(ctx.job.params)
    plan_id = int(params[PLAN_KEY])
    with Session(ctx.gate.engine) as session:
        run = session.get(PlanRun, plan_id)
        if run is None:
            raise LookupError(f"方案 {plan_id} 不存在 / plan {plan_id} is gone")
        plan, policy, locks = (
            load_plan(session, run),
            run_policy(session, run),
            run_locks(session, plan_id),
        )

    def report(phase: ApplyPhase) -> None:
        steps = len(ApplyPhase)
        data = {"phase": phase.value, "step": phase.step, "steps": steps, "message": phase.words}
        ctx.gate.progress(data, force=True)

    try:
        stop = ctx.gate.should_stop
        done = apply_plan(ctx.dataset, plan, policy, locks=locks, progress=report, should_stop=stop)
    except ApplyStopped as stopped:
        return JobOutput(result=None, progress={"phase": "stopped", "message": str(stopped)})
    applied = done.outcome.applied
    if done.roster is None or applied is None:
        refused = ApplyJobResult(plan_id=plan_id, findings=done.outcome.verdict.findings)
        last = {"phase": "done", "message": refused.refusal()}
        return JobOutput(result=refused.model_dump(mode="json"), progress=last)
    report(ApplyPhase.STORE)
    summary = snapshot_summary(done.roster, applied.next_year)
    job_id = ctx.job.id
    assert job_id is not None

    def store(session: Session, _seconds: float) -> None:
        store_applied(session, job_id, params, done, summary)

    result = ApplyJobResult(plan_id=plan_id, applied=applied)  # the snapshot's id on store
    return JobOutput(
        result=result.model_dump(mode="json"),
        progress={"phase": "done", "step": len(ApplyPhase), "steps": len(ApplyPhase)},
        store=store,
    )


KINDS: dict[str, Callable[[JobContext], JobOutput]] = {
    PLAN: plan_job,
    WHATIF: whatif_job,
    OUTLOOK: outlook_job,
    ALLOCATION: allocation_job,
    APPLY: apply_job,
}
