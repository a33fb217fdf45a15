"""Measure one (instance, solver) pair: times, objective, bound, gap, memory and the
plan's quality figures from the independent checker.

``measure(...)`` runs in the current process; ``run_isolated(...)`` runs it in a fresh
``python -m bench.measure`` subprocess so that peak memory (``ru_maxrss``) belongs to
that pair alone and a crash costs one row, not the run.

Clocks: every time is wall time from the moment the solver is handed the dataset
(after generation), so model building counts against every solver. For the engine's
backends the times of the first feasible plan and of the first gap ≤ the target come
from the backend's progress reports (HiGHS and CP-SAT report every improvement; SCIP
only reports when it ends); for the PuLP peer from CBC's log.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from bench.instances import YEAR, Instance, load_instance
from bench.pulp_peer import chosen_teachers, solve_pulp
from rotation.checker import check_plan, senior_tilt_met
from rotation.compliance import compliance_rows
from rotation.locks import Locks
from rotation.metrics import plan_metrics
from rotation.models import Dataset
from rotation.plan import Assignment, Plan
from rotation.plan_results import Shortfall, ShortfallCause
from rotation.policy import Policy
from rotation.rule_names import RuleName
from solver.build import build_model
from solver.candidates import build_candidates
from solver.greedy import greedy_arcs
from solver.options import SolveOptions
from solver.plan_year import arcs_to_values
from solver.progress import Progress
from solver.rules import OBJECTIVE_SCALE
from workflows.plan import run_plan

ENGINE_BACKENDS: tuple[str, ...] = ("highs", "cpsat", "scip")
SOLVERS: tuple[str, ...] = (*ENGINE_BACKENDS, "greedy", "pulp_cbc")
PEER_NOTE = "对照模型未解释原因 / the peer model does not explain shortfalls"


def first_at_gap(
    points: list[tuple[float, float | None, float | None]], gap: float
) -> float | None:
    """Seconds of the first (seconds, objective, gap) point whose gap is within ``gap``."""
    for seconds, objective, g in points:
        if objective is not None and g is not None and g <= gap + 1e-12:
            return seconds
    return None


def quality(dataset: Dataset, plan: Plan, policy: Policy) -> dict[str, Any]:
    """The plan's figures as the independent checker and ``rotation.metrics`` see them."""
    report = check_plan(dataset, plan, policy, Locks())
    m = plan_metrics(dataset, list(plan.assignments), policy)
    rows = plan.compliance
    indicators = m.indicators
    return {
        "check_ok": report.ok,
        "violations": len(report.violations),
        "moved": m.moved,
        "quota_units": len(rows),
        "quota_units_met": sum(1 for r in rows if r.met),
        "needs_open": m.needs_open,
        "needs_filled": m.needs_filled,
        "needs_by_priority": {k: v.filled for k, v in m.needs_by_priority.items()},
        "needs_open_by_priority": {k: v.open for k, v in m.needs_by_priority.items()},
        "schools_below_before": sum(r.schools_below_before for r in indicators),
        "schools_below_after": sum(r.schools_below_after for r in indicators),
        "cv_met_after": sum(1 for r in indicators if r.cv_met_after),
        "cv_total": len(indicators),
        "senior_share_sent": m.senior_share_sent,
        "senior_share_to_rural": m.senior_share_to_rural,
        "senior_target_share": m.senior_target_share,
        "senior_tilt_met": senior_tilt_met(dataset, plan, policy),
        "preference_hits": m.preference_any_choice,
        "moved_with_preferences": m.moved_with_preferences,
        "distance_mean_km": m.distance_mean_km,
    }


def plan_from_moves(dataset: Dataset, moves: dict[str, str], policy: Policy, backend: str) -> Plan:
    """A checkable plan from bare moves (the peer's answer), with its compliance rows."""
    assignments = [
        Assignment.of(
            dataset.teacher[tid],
            moves[tid],
            YEAR,
            policy.term_years,
            distance_km=dataset.distance_km(dataset.teacher[tid].school_id, moves[tid]),
        )
        for tid in sorted(moves)
    ]
    rows = [
        r if r.met else r.model_copy(update={"shortfall_reason": PEER_NOTE})
        for r in compliance_rows(dataset, moves, YEAR, policy)
    ]
    plan = Plan(year=YEAR, assignments=tuple(assignments), compliance=tuple(rows), backend=backend)
    if not senior_tilt_met(dataset, plan, policy):
        note = "高级职称倾斜未达目标（对照模型）"
        cause = ShortfallCause(
            code="senior_tilt_short", zh=note, en="senior-title tilt short of its target (peer model)"
        )
        shortfall = Shortfall(rule=RuleName.SENIOR_TITLE_TILT, unit="COUNTY", name="全县", causes=[cause])
        plan = plan.model_copy(update={"notes": (note,), "shortfalls": (shortfall,)})
    return plan


def _measure_engine(
    dataset: Dataset, policy: Policy, options: SolveOptions, gap: float
) -> dict[str, Any]:
    points: list[tuple[float, float | None, float | None]] = []
    t0 = time.perf_counter()

    def on_progress(p: Progress) -> None:
        if p.phase == "solve" and p.objective is not None:
            points.append((time.perf_counter() - t0, p.objective, p.gap))

    plan = run_plan(dataset, YEAR, policy, Locks(), options, progress=on_progress)
    total = time.perf_counter() - t0
    s = plan.solve
    return {
        "status": plan.status,
        "build_s": s.build_seconds if s else None,
        "first_feasible_s": points[0][0] if points else None,
        "time_to_gap_s": first_at_gap(points, gap),
        "total_s": total,
        "objective": s.objective if s else None,
        "bound": s.bound if s else None,
        "gap": s.gap if s else None,
        "plan": plan,
    }


def _measure_greedy(dataset: Dataset, policy: Policy) -> dict[str, Any]:
    t0 = time.perf_counter()
    plan = run_plan(dataset, YEAR, policy, Locks(), SolveOptions(backend="greedy"))
    total = time.perf_counter() - t0
    # the greedy plan's value on the engine's objective (not timed)
    cands = build_candidates(dataset, YEAR, policy, Locks())
    ctx = build_model(cands)
    objective = ctx.model.evaluate(arcs_to_values(ctx, greedy_arcs(cands))) / OBJECTIVE_SCALE
    return {
        "status": plan.status,
        "build_s": plan.solve.build_seconds if plan.solve else None,
        "first_feasible_s": total,
        "time_to_gap_s": None,
        "total_s": total,
        "objective": objective,
        "bound": None,
        "gap": None,
        "plan": plan,
    }


def _measure_pulp(
    dataset: Dataset, policy: Policy, time_limit: float, gap: float, workers: int
) -> dict[str, Any]:
    t0 = time.perf_counter()
    cands = build_candidates(dataset, YEAR, policy, Locks())
    cand_s = time.perf_counter() - t0
    r = solve_pulp(cands, time_limit=time_limit, relative_gap=gap, threads=workers)
    total = time.perf_counter() - t0
    final_gap = r.gap
    reached = final_gap is not None and final_gap <= gap + 1e-12
    return {
        "status": r.status,
        "build_s": cand_s + r.build_seconds,
        "first_feasible_s": (cand_s + r.solutions[0][0]) if r.solutions else None,
        # CBC stops at the target gap, so its time to the gap is its total time
        "time_to_gap_s": total if reached else None,
        "total_s": total,
        "objective": r.objective,
        "bound": r.bound,
        "gap": final_gap,
        "plan": plan_from_moves(dataset, chosen_teachers(cands, r.chosen), policy, "pulp_cbc"),
    }


def measure(
    instance: Instance,
    solver: str,
    *,
    time_limit: float,
    gap: float = 0.01,
    workers: int = 2,
    seed: int = 0,
) -> dict[str, Any]:
    """One row of the benchmark table, measured in this process."""
    dataset = load_instance(instance)
    policy = Policy()
    if solver in ENGINE_BACKENDS:
        options = SolveOptions(
            backend=solver, time_limit=time_limit, relative_gap=gap, workers=workers, seed=seed
        )
        out = _measure_engine(dataset, policy, options, gap)
    elif solver == "greedy":
        out = _measure_greedy(dataset, policy)
    elif solver == "pulp_cbc":
        out = _measure_pulp(dataset, policy, time_limit, gap, workers)
    else:
        raise ValueError(f"未知求解器 / unknown solver {solver!r}; choose one of {SOLVERS}")
    plan = out.pop("plan")
    row: dict[str, Any] = {
        **instance.to_dict(),
        "instance": instance.name,
        "teachers": len(dataset.teachers),
        "schools": len(dataset.schools),
        "solver": solver,
        "time_limit": time_limit,
        "target_gap": gap,
        "workers": workers,
        **out,
        **quality(dataset, plan, policy),
    }
    row["peak_rss_mb"] = peak_rss_mb()
    return row


def peak_rss_mb() -> float:
    """Peak resident set of this process plus its largest finished child (CBC), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)  # Linux reports KiB


def run_isolated(
    instance: Instance,
    solver: str,
    *,
    time_limit: float,
    gap: float = 0.01,
    workers: int = 2,
    seed: int = 0,
    cwd: Path | None = None,
) -> dict[str, Any]:
    """``measure`` in a fresh subprocess; a crash or a hang becomes a row with its status."""
    spec = {
        "instance": instance.to_dict(),
        "solver": solver,
        "time_limit": time_limit,
        "gap": gap,
        "workers": workers,
        "seed": seed,
    }
    root = cwd or Path(__file__).resolve().parent.parent
    base: dict[str, Any] = {
        **instance.to_dict(),
        "instance": instance.name,
        "solver": solver,
        "time_limit": time_limit,
        "target_gap": gap,
        "workers": workers,
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bench.measure", json.dumps(spec)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=3 * time_limit + 300,
        )
    except subprocess.TimeoutExpired:
        return {**base, "status": "hung", "error": "超时未结束 / did not finish"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("BENCH-ROW "):
            return json.loads(line.removeprefix("BENCH-ROW "))
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
    return {**base, "status": "crashed", "error": " | ".join(tail)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="一组基准测量 / measure one (instance, solver)")
    parser.add_argument("spec", help="JSON: instance, solver, time_limit, gap, workers, seed")
    args = parser.parse_args(argv)
    spec = json.loads(args.spec)
    try:
        row = measure(
            Instance.from_dict(spec["instance"]),
            spec["solver"],
            time_limit=float(spec["time_limit"]),
            gap=float(spec["gap"]),
            workers=int(spec["workers"]),
            seed=int(spec["seed"]),
        )
    except Exception:
        traceback.print_exc()
        raise SystemExit(1) from None
    sys.stdout.write("BENCH-ROW " + json.dumps(row, ensure_ascii=False, default=str) + "\n")


if __name__ == "__main__":
    main()
