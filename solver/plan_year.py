"""Plan one school year: candidates → model → greedy start → solve → plan with reasons,
shortfall causes and metrics.

The solver does not judge its own plans: the independent checker (``rotation.checker``)
is called by whoever called the solver (``workflows.plan``).
"""

from __future__ import annotations

import time

import numpy as np

from rotation.areas import is_rural
from rotation.compliance import COUNTY_ROW_ID, compliance_rows, quota_base_total
from rotation.enums import ExchangeForm
from rotation.exchange_forms import form_of_move, support_reason, term_years_of
from rotation.indicator_watch import (
    CvRise,
    ImprovementTried,
    improvement_summary,
    indicator_warnings,
)
from rotation.locks import LockError, Locks, lock_errors, validate_locks
from rotation.metrics import plan_metrics
from rotation.models import Dataset
from rotation.plan import Assignment, Plan
from rotation.plan_results import Shortfall, ShortfallCause, SolveStats
from rotation.policy import Policy
from rotation.quotas import SeniorTilt, senior_tilt
from rotation.rule_names import RuleName
from rotation.staffing import derived_needs_note
from solver.budget import MIN_SOLVE_SECONDS, RunBudget
from solver.build import build_model
from solver.candidates import Candidates, build_candidates
from solver.explain import assignment_reasons, shortfall_causes
from solver.greedy import greedy_arcs
from solver.indicator_pass import improve_indicators
from solver.lexicographic import PhasedResult, solve_phased
from solver.options import SolveOptions
from solver.principal_exchange import PRINCIPAL_SECONDS, leaders_moved_as_teachers, plan_principals
from solver.progress import Progress, ProgressFn, StopFn
from solver.rules import OBJECTIVE_SCALE, ModelContext
from solver.shadowing import placements, shadowing_note
from solver.unfilled import unfilled_needs


def plan_year(
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
    """The year's plan. ``options.time_limit`` bounds the whole run: ``budget`` (started by
    the caller before reading the roster, or here) shares it among the phases."""
    locks = locks or Locks()
    options = options or SolveOptions()
    budget = budget or RunBudget(options.time_limit)
    leads = any(t.position.leads for t in dataset.teachers)  # a roster with leadership posts
    if leads:  # the principal exchange runs on the finished plan: keep it its seconds
        budget.keep_for_later("principals", PRINCIPAL_SECONDS)
    t0 = time.perf_counter()

    def say(phase: str, message: str) -> None:
        if progress is not None:
            progress(Progress(time.perf_counter() - t0, phase=phase, message=message))

    lock_problems = validate_locks(dataset, year, policy, locks)
    if lock_errors(lock_problems):
        raise LockError(lock_problems)
    say("candidates", "筛选可交流教师与对口岗位 / candidates")
    cands = build_candidates(dataset, year, policy, locks)
    say("build", f"建模：{cands.num_arcs} 个候选安排 / building model")
    ctx = build_model(cands)
    build_seconds = time.perf_counter() - t0

    greedy = greedy_arcs(cands)
    start = arcs_to_values(ctx, greedy)
    if hint is not None and (from_hint := _hint_from_plan(ctx, hint)) is not None:
        start = from_hint
    result: PhasedResult | None = None
    tried: ImprovementTried | None = None
    left: list[CvRise] = []  # the CVs the plan still raises (when the improvement pass ran)
    notes: list[str] = [derived_needs_note(dataset)] if not dataset.needs_declared else []
    notes += [p.message() for p in lock_problems]  # warnings only, by now
    solve_seconds = budget.solve_seconds()
    if options.backend == "greedy":
        chosen, status = greedy, "greedy"
    elif solve_seconds < MIN_SOLVE_SECONDS:
        chosen, status = greedy, "greedy_fallback"
        notes.append(time_limit_note(budget))
        say("solve", notes[-1])
    else:
        say("solve", f"求解（{options.backend}）/ solving")
        result = solve_phased(
            ctx,
            options.model_copy(update={"time_limit": solve_seconds}),
            start if options.use_greedy_hint else arcs_to_values(ctx, np.zeros(0, dtype=np.int64)),
            lambda arcs: arcs_to_values(ctx, arcs),
            progress,
            should_stop,
        )
        if result.values is None:
            chosen, status = greedy, "greedy_fallback"
            notes.append(f"求解器未在时限内给出方案（{result.status}），采用贪心方案 / solver found no plan; greedy used")
        else:
            x = result.values[ctx.x.slice]
            chosen, status = np.flatnonzero(x > 0.5), result.status
            if status != "optimal" and set(chosen.tolist()) == set(greedy.tolist()):
                notes.append(greedy_start_note(result))
            say("indicators", "检查优质均衡指标差异系数 / checking the indicators' CVs")
            improved = improve_indicators(ctx, chosen, result, options, budget, progress, should_stop)
            if improved is not None:
                tried, left = improved.tried, improved.left
                if tried.kept:
                    ctx, chosen, result, status = improved.ctx, improved.chosen, improved.result, improved.result.status
                result.phases.append(
                    {  # the plan's value above then prices the CVs of the first plan's rises
                        "phase": "indicators",
                        "kept": tried.kept,
                        "rises_first": {f"{r.stage.value}_{r.indicator}": round(r.amount, 4) for r in tried.first},
                        "rises_left": {f"{r.stage.value}_{r.indicator}": round(r.amount, 4) for r in left},
                    }
                )
    say("explain", "生成说明 / explaining")
    assignments = make_assignments(ctx, chosen, year, policy)
    shadowing = placements(ctx, None if result is None else result.values, assignments, year)
    if (said := shadowing_note(ctx, shadowing)) is not None:
        notes.append(said)
    moves = {a.teacher_id: a.to_school_id for a in assignments}
    rows = compliance_rows(dataset, moves, year, policy, eligibility=cands.eligibility)
    shortfalls: list[Shortfall] = []
    for i, r in enumerate(rows):
        if not r.met:
            found = shortfall_causes(cands, r, assignments, budget.explain_seconds_left)
            shortfalls.extend(found)
            text = "；".join(x.zh for s in found for x in s.causes) or "未达标（原因待人工核实）"
            rows[i] = r.model_copy(update={"shortfall_reason": text})
    tilt = senior_tilt(dataset, assignments, policy)
    if not tilt.met:
        notes.append(senior_tilt_note(cands, tilt))
        shortfalls.append(senior_tilt_shortfall(cands, tilt, notes[-1]))
    if tried is not None:
        if summary := improvement_summary(list(tried.first), left, tried.kept):
            notes.append(summary)
    notes.extend(indicator_warnings(dataset, moves, policy, tried))
    metrics = plan_metrics(dataset, assignments, policy).model_copy(
        update={
            "quota_units": len(rows),
            "quota_units_met": sum(r.met for r in rows),
            "eligible": len(cands.eligible),
            "eligible_quota_base": quota_base_total(rows),
            "candidate_arcs": cands.num_arcs,
            "shadowing_placed": len(shadowing),
        }
    )
    principals = None
    if leads and not (should_stop is not None and should_stop()):  # stopped: no more phases
        say("principals", "校长交流 / principal exchange")
        principals = plan_principals(
            dataset,
            year,
            policy,
            locks,
            leaving=leaders_moved_as_teachers(dataset, assignments, policy),
            time_limit=min(PRINCIPAL_SECONDS, max(0.5, budget.start_later_phase("principals"))),
            should_stop=should_stop,
        )
    return Plan(
        year=year,
        principals=principals,
        assignments=tuple(assignments),
        compliance=tuple(rows),
        metrics=metrics,
        solve=solve_stats(ctx, result, status, build_seconds, time.perf_counter() - t0),
        status=status,
        backend=options.backend,
        notes=tuple(notes),
        shortfalls=tuple(shortfalls),
        unfilled=tuple(unfilled_needs(cands, assignments)),
        shadowing=tuple(shadowing),
    )


def arcs_to_values(ctx: ModelContext, arcs: np.ndarray) -> np.ndarray:
    """A full starting point: the chosen arcs and the least slack that makes every row hold."""
    values = np.zeros(ctx.model.num_vars)
    values[ctx.x.start + np.asarray(arcs, dtype=np.int64)] = 1.0
    ctx.aux.complete(values)
    if not ctx.slacks:
        return values
    starts, cols, vals, lower, _ = ctx.model.csr()
    row_of = np.repeat(np.arange(ctx.model.num_rows), np.diff(starts))
    activity = np.zeros(ctx.model.num_rows)
    np.add.at(activity, row_of, vals * values[cols])  # slack columns are still 0 here
    slack_cols = np.array([s.column for s in ctx.slacks], dtype=np.int64)
    is_slack = np.isin(cols, slack_cols)
    rows, scols, coefs = row_of[is_slack], cols[is_slack], vals[is_slack]
    need = np.where(np.isfinite(lower[rows]), lower[rows] - activity[rows], -np.inf)
    values[scols] = np.maximum(0.0, np.ceil(need / coefs - 1e-9))
    return values


def _hint_from_plan(ctx: ModelContext, plan: Plan) -> np.ndarray | None:
    c = ctx.cands
    wanted = plan.moves
    arcs = [
        a
        for a in range(c.num_arcs)
        if wanted.get(c.teachers[int(c.arc_teacher[a])].teacher_id) == c.arc_school[a]
    ]
    seen: set[int] = set()
    unique = []
    for a in arcs:  # one arc per teacher
        i = int(c.arc_teacher[a])
        if i not in seen:
            seen.add(i)
            unique.append(a)
    return arcs_to_values(ctx, np.array(unique, dtype=np.int64)) if unique else None


def make_assignments(ctx: ModelContext, chosen: np.ndarray, year: int, policy: Policy) -> list[Assignment]:
    c = ctx.cands
    out = []
    for a in sorted(chosen.tolist(), key=lambda a: c.teachers[int(c.arc_teacher[a])].teacher_id):
        t = c.teachers[int(c.arc_teacher[a])]
        form = form_of_move(t, c.dataset, policy)
        reasons = assignment_reasons(ctx, a)
        if form is ExchangeForm.SUPPORT:
            reasons = f"{support_reason(policy)}；{reasons}" if reasons else support_reason(policy)
        out.append(
            Assignment.of(
                t,
                c.arc_school[a],
                year,
                term_years_of(form, policy),
                reasons=reasons,
                distance_km=c.arc_distance[a],
                form=form,
            )
        )
    return out


def time_limit_note(budget: RunBudget) -> str:
    """Said at once when reading and building used the time the solver needed."""
    need = budget.shortest_workable_limit()
    return (
        f"时限 {budget.limit:g} 秒不足以求解：读取数据与建模已用 {budget.elapsed():.1f} 秒；"
        f"本方案为人事股贪心初始方案（未经求解器改进），建议时限至少 {need} 秒 / the time limit of "
        f"{budget.limit:g} s is too short to solve: reading and building took {budget.elapsed():.1f} s; "
        f"this is the office's greedy start plan, not improved by the solver; use at least {need} s"
    )


def greedy_start_note(result: PhasedResult) -> str:
    """Said when the time limit (or a stop) ended the solve before it improved on its start."""
    scale = OBJECTIVE_SCALE
    bound = "未知 / unknown" if result.bound is None else f"{result.bound / scale:.1f}"
    gap = "未知 / unknown" if result.gap is None else f"{result.gap:.2%}"
    if result.status == "stopped":
        return (
            "本方案即人事股贪心初始方案：求解在找到更优方案前被中断"
            f"（方案价值上界 {bound}，间隙 {gap}） / this is the office's greedy start plan: the "
            f"solve was stopped before it found a better one (bound on the plan's value {bound}, gap {gap})"
        )
    return (
        "本方案即人事股贪心初始方案：求解器在时限内未找到更优方案"
        f"（方案价值上界 {bound}，间隙 {gap}），可延长 --time-limit 重新求解 / this is the office's "
        "greedy start plan: the solver found no better plan within the time limit "
        f"(bound on the plan's value {bound}, gap {gap}); a longer --time-limit may improve it"
    )


def seniors_who_could_go_rural(c: Candidates) -> int:
    """Senior-titled teachers with at least one open matching post in a 农村 school."""
    rural = {sid for sid, s in c.dataset.school.items() if is_rural(s, c.policy.rural_areas)}
    return len(
        {
            int(i)
            for i, sid in zip(c.arc_teacher, c.arc_school, strict=True)
            if sid in rural and c.teachers[int(i)].title.is_senior
        }
    )


def senior_tilt_shortfall(c: Candidates, tilt: SeniorTilt, note: str) -> Shortfall:
    en = (
        f"senior-title tilt short: {tilt.senior_into_rural} senior of {tilt.into_rural} sent into "
        f"rural schools ({tilt.share:.1%}, target {tilt.target:.1%}); {seniors_who_could_go_rural(c)} "
        "senior teachers have a matching post in a rural school"
    )
    cause = ShortfallCause(code="senior_tilt_short", zh=note, en=en)
    return Shortfall(rule=RuleName.SENIOR_TITLE_TILT, unit=COUNTY_ROW_ID, name="全县", causes=[cause])


def senior_tilt_note(c: Candidates, tilt: SeniorTilt) -> str:
    return (
        f"高级职称倾斜未达目标：派往农村学校{tilt.into_rural}人中高级职称{tilt.senior_into_rural}人"
        f"（{tilt.share:.1%}，目标 ≥ {tilt.target:.1%}），可对口派往农村学校的高级职称教师共"
        f"{seniors_who_could_go_rural(c)}人"
    )


def solve_stats(
    ctx: ModelContext, result: PhasedResult | None, status: str, build_s: float, total_s: float
) -> SolveStats:
    always = SolveStats(
        status=status,
        build_seconds=round(build_s, 3),
        total_seconds=round(total_s, 3),
        shortfall_penalty=ctx.penalty / OBJECTIVE_SCALE,
    )
    if result is None:
        return always
    scale, pen = OBJECTIVE_SCALE, ctx.penalty
    proven = result.shortfall <= result.shortfall_bound + 0.5
    slack = None
    if result.values is not None:
        slack = {
            f"{s.rule}:{s.unit}": float(result.values[s.column])
            for s in ctx.slacks
            if result.values[s.column] > 0.5
        }
    return always.model_copy(
        update={
            # on the single penalised scale (value − penalty × shortfall), as peers report it
            "objective": None if result.value is None else (result.value - pen * result.shortfall) / scale,
            "bound": None if result.bound is None or not proven else (result.bound - pen * result.shortfall) / scale,
            "plan_value": None if result.value is None else result.value / scale,
            "plan_value_bound": None if result.bound is None else result.bound / scale,
            "gap": result.gap,  # relative to the plan's value, at the fewest shortfalls
            "shortfall_units": result.shortfall,
            "shortfall_proven_minimal": proven,
            "solve_seconds": round(result.solve_seconds, 3),
            "first_solution_seconds": result.first_solution_seconds,
            "solver_status": result.status,
            "phases": result.phases,
            "slack": slack,
        }
    )
