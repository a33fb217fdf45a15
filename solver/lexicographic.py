"""Solve the plan model lexicographically: shortfalls first, then the plan's value.

The quotas carry slack that "costs more than everything else together". Putting that
price in one objective makes the numbers span seven orders of magnitude, which stalls
MIP presolve and makes any gap meaningless. Solving it in two phases is the same
ordering, exactly, and keeps both objectives well scaled:

1. **Fewest shortfalls.** When the starting plan has no shortfall, zero is optimal and
   this phase is skipped. Otherwise minimise the total slack; every slack is integral,
   so the LP relaxation's value rounded up is a lower bound that often proves the start.
2. **Best plan with that many shortfalls.** The total slack is capped at phase 1's
   result and the plan's value (needs, priorities, preferences, distance, …) maximised.

With HiGHS, each phase first solves the LP relaxation, which for these assignment
models is integral but for a few dozen arcs; the LP plan rounded and repaired is then
often within the gap of the LP bound, which proves it without branching. Otherwise it
becomes the MIP's starting plan, if better than the greedy one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from solver.backends import get_backend
from solver.backends.base import SolveResult
from solver.cuts import with_backbone_cuts
from solver.linear_model import LinearModel, column_rows, with_bounds, with_objective
from solver.options import SolveOptions
from solver.progress import Progress, ProgressFn, StopFn, relative_gap
from solver.repair import repair_shortfall
from solver.rules import ModelContext

FloatArray = npt.NDArray[np.float64]
Complete = Callable[[npt.NDArray[np.int64]], FloatArray]  # chosen arcs → a full feasible point


@dataclass
class PhasedResult:
    values: FloatArray | None
    value: float | None  # phase 2 objective: the plan's worth, model units
    bound: float | None  # upper bound on it (at the phase-1 shortfall)
    shortfall: float  # total slack of the plan
    shortfall_bound: float  # proven lower bound on the total slack
    status: str
    solve_seconds: float
    first_solution_seconds: float | None
    history: list[Progress] = field(default_factory=list)
    phases: list[dict[str, object]] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.value, self.bound)


def solve_phased(
    ctx: ModelContext,
    options: SolveOptions,
    start: FloatArray,
    complete: Complete,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> PhasedResult:
    """``complete(arcs) -> values`` turns chosen arcs into a full, feasible point."""
    t0 = time.perf_counter()
    deadline = t0 + options.time_limit
    model = ctx.model
    slack_cols = np.array([s.column for s in ctx.slacks], dtype=np.int64)
    value_obj = model.objective().copy()
    value_obj[slack_cols] = 0
    history: list[Progress] = []
    phases: list[dict[str, object]] = []
    first: list[float | None] = [None]

    def forward(p: Progress, phase: str, offset: float) -> None:
        q = Progress(p.elapsed + offset, p.objective, p.bound, p.gap, phase, p.message)
        history.append(q)
        if q.objective is not None and first[0] is None:
            first[0] = q.elapsed
        if progress is not None:
            progress(q)

    def remaining() -> float:
        return max(0.1, deadline - time.perf_counter())

    def timed() -> SolveOptions:
        """The options with what is left of the time limit (every step stays within it)."""
        return options.model_copy(update={"time_limit": remaining()})

    def value_model(cap: float) -> LinearModel:
        """Phase 2's model: the plan's value, with at most ``cap`` units of shortfall."""
        m = with_objective(strong if cap > 0.5 else model, value_obj)
        if len(slack_cols):
            m.add_rows(
                "total_shortfall_cap",
                np.zeros(len(slack_cols), dtype=np.int64),
                slack_cols,
                np.ones(len(slack_cols), dtype=np.int64),
                lower=-np.inf,
                upper=cap + 1e-9,
                count=1,
            )
        return m

    # ---------------------------------------------------------------- phase 1
    best = start
    shortfall = float(start[slack_cols].sum()) if len(slack_cols) else 0.0
    shortfall_bound = 0.0
    lp_at_cap: tuple[FloatArray | None, float | None] | None = None  # phase 2's LP start, if done
    strong = model
    if shortfall > 0.5:
        # the backbone-deficit cuts (solver.cuts) keep the LP's least shortfall honest
        strong = with_objective(model, model.objective())
        with_backbone_cuts(ctx, strong)
        phase1 = with_objective(strong, _slack_objective(model.num_vars, slack_cols))
        phase1_lp = _lp_relaxation(phase1, timed(), should_stop)
        shortfall_bound = _shortfall_lower_bound(phase1_lp)
        if shortfall > shortfall_bound + 0.5 and options.backend == "highs" and options.lp_first:
            # Optimistic: phase 2's own LP start at the LP's least shortfall often finds a
            # plan with just that shortfall, which proves phase 1 at no extra cost.
            point, lp_bound = _lp_start(
                value_model(shortfall_bound), timed(), ctx, complete, None,
                shortfall_cap=(slack_cols, shortfall_bound), should_stop=should_stop,
            )  # fmt: skip
            if point is not None:
                best, shortfall = point, float(point[slack_cols].sum())
                lp_at_cap = (point, lp_bound)
        if shortfall > shortfall_bound + 0.5:  # the start is not proven minimal: try the LP's plan
            lp_point, _ = _lp_start(
                phase1, timed(), ctx, complete, best, lp=phase1_lp, should_stop=should_stop
            )
            if lp_point is not None and lp_point[slack_cols].sum() < shortfall:
                best, shortfall = lp_point, float(lp_point[slack_cols].sum())
        if shortfall > shortfall_bound + 0.5 and not _stopped(should_stop):
            offset = time.perf_counter() - t0
            opts = options.model_copy(update={"time_limit": remaining() * 0.4, "relative_gap": 0.0})
            res = get_backend(options.backend)(
                phase1, opts, best, lambda p: forward(p, "shortfall", offset), should_stop
            )
            if res.values is not None and res.values[slack_cols].sum() <= shortfall:
                best, shortfall = (
                    _integral(res.values, model),
                    float(np.round(res.values[slack_cols]).sum()),
                )
            if res.bound is not None:
                shortfall_bound = max(shortfall_bound, float(math.ceil(-res.bound - 1e-6)))
            if res.status == "optimal":
                shortfall_bound = shortfall
        phases.append(
            {"phase": "shortfall", "shortfall": shortfall, "proven_minimum": shortfall_bound}
        )

    # ---------------------------------------------------------------- phase 2
    def report_plan(point: FloatArray, lp_bound: float) -> None:
        """A plan within the gap is in hand while the neighbourhood is still solved: say so."""
        v = float(value_obj @ point)
        message = "取整修复的线性松弛方案 / repaired LP plan"
        p = Progress(0.0, v, lp_bound, relative_gap(v, lp_bound), "solve", message)
        forward(p, "solve", time.perf_counter() - t0)

    phase2 = value_model(shortfall)
    value = float(value_obj @ best)
    bound: float | None = None
    status = "feasible"
    if lp_at_cap is None:
        lp_at_cap = _lp_start(
            phase2,
            timed(),
            ctx,
            complete,
            best,
            shortfall_cap=(slack_cols, shortfall),
            on_plan=report_plan,
            should_stop=should_stop,
        )
    lp_point, lp_bound = lp_at_cap
    if lp_point is not None and float(value_obj @ lp_point) > value:
        best, value = lp_point, float(value_obj @ lp_point)
    if lp_bound is not None:
        bound = lp_bound
    offset = time.perf_counter() - t0
    if bound is not None:
        forward(
            Progress(
                0.0, value, bound, relative_gap(value, bound), "solve", "线性松弛 / LP relaxation"
            ),
            "solve",
            offset,
        )
    proven = bound is not None and (relative_gap(value, bound) or 0.0) <= options.relative_gap
    if proven:
        status = "optimal"
    elif not _stopped(should_stop):
        opts = options.model_copy(update={"time_limit": remaining()})
        mip: SolveResult = get_backend(options.backend)(
            phase2, opts, best, lambda p: forward(p, "solve", offset), should_stop
        )
        if mip.values is not None and float(value_obj @ mip.values) >= value - 1e-6:
            best, value = (
                _integral(mip.values, model),
                float(value_obj @ _integral(mip.values, model)),
            )
        if mip.bound is not None:
            bound = mip.bound if bound is None else min(bound, mip.bound)
        status = mip.status if mip.values is not None else "feasible"
        if mip.status == "optimal" or (
            bound is not None and (relative_gap(value, bound) or 0) <= options.relative_gap
        ):
            status = "optimal"
    else:
        status = "stopped"
    phases.append({"phase": "value", "value": value, "bound": bound, "status": status})
    return PhasedResult(
        values=best,
        value=value,
        bound=bound,
        shortfall=shortfall,
        shortfall_bound=shortfall_bound,
        status=status,
        solve_seconds=time.perf_counter() - t0,
        first_solution_seconds=first[0],
        history=history,
        phases=phases,
    )


def _lp_relaxation(
    model: LinearModel, options: SolveOptions, should_stop: StopFn | None = None
) -> tuple[FloatArray, float] | None:
    """The LP relaxation's (values, objective), solved once per model; HiGHS only (None
    when a stop was asked, before or while it runs)."""
    if options.backend != "highs" or not options.lp_first or _stopped(should_stop):
        return None
    from solver.backends.highs import solve_lp_relaxation

    return solve_lp_relaxation(model, options, should_stop)


def _shortfall_lower_bound(lp: tuple[FloatArray, float] | None) -> float:
    """Slack is integral, so the LP's least total slack, rounded up, bounds it from below."""
    return 0.0 if lp is None else max(0.0, float(math.ceil(-lp[1] - 1e-6)))


def _stopped(should_stop: StopFn | None) -> bool:
    return should_stop is not None and should_stop()


def _slack_objective(n: int, slack_cols: np.ndarray) -> np.ndarray:
    obj = np.zeros(n, dtype=np.int64)
    obj[slack_cols] = -1  # maximise −Σ slack
    return obj


def _integral(values: FloatArray, model: LinearModel) -> FloatArray:
    out = values.copy()
    mask = model.integrality()
    out[mask] = np.round(out[mask])
    return out


def _lp_start(
    model: LinearModel,
    options: SolveOptions,
    ctx: ModelContext,
    complete: Complete,
    incumbent: FloatArray | None,
    shortfall_cap: tuple[np.ndarray, float] | None = None,
    lp: tuple[FloatArray, float] | None = None,
    on_plan: Callable[[FloatArray, float], None] | None = None,
    should_stop: StopFn | None = None,
) -> tuple[FloatArray | None, float | None]:
    """(rounded LP plan or None, LP bound or None); only for HiGHS, whose LP it is
    (``lp``: the relaxation, when already solved; ``shortfall_cap``: the slack columns
    and the most shortfall the phase allows; ``on_plan(plan, bound)`` hears of a repaired
    plan within the gap before the neighbourhood is solved)."""
    if options.backend != "highs" or not options.lp_first:
        return None, None
    deadline = time.perf_counter() + options.time_limit
    if lp is None:
        lp = _lp_relaxation(model, options, should_stop)
    if lp is None:
        return None, None
    x_lp, bound = lp
    left = options.model_copy(update={"time_limit": max(0.1, deadline - time.perf_counter())})
    obj = model.objective()

    def within_gap(p: FloatArray) -> bool:
        return (bound - float(obj @ p)) <= options.relative_gap * max(1.0, abs(bound))

    plain = round_and_repair(model, ctx, x_lp)
    rounded = complete(plain)
    point: FloatArray | None = rounded if is_feasible(model, rounded) else None
    repaired: FloatArray | None = None
    if point is None:
        # rounding dropped an arc a quota leaned on: add (or swap in) the arcs that repay it
        fixed = complete(repair_shortfall(ctx, plain, x_lp))
        repaired = fixed if is_feasible(model, fixed) else None
    # Where the plan carries shortfall, the cap on it couples every quota unit and the
    # neighbourhood below is most of the model: a repaired plan within the gap is kept.
    # At zero shortfall the neighbourhood is small and its exact solve decides.
    carries_shortfall = shortfall_cap is not None and shortfall_cap[1] > 0.5
    if repaired is not None and carries_shortfall and within_gap(repaired):
        point = repaired
    elif point is None or not within_gap(point):
        if repaired is not None and on_plan is not None and within_gap(repaired):
            on_plan(repaired, bound)  # kept below if the neighbourhood finds nothing better
        # the few fractional arcs decide more than rounding can: solve just their neighbourhood
        solved = (
            None
            if _stopped(should_stop)
            else fix_and_solve(
                model, ctx, x_lp, left, point if point is not None else incumbent, should_stop
            )
        )
        if (
            solved is not None
            and is_feasible(model, solved)
            and (point is None or obj @ solved >= obj @ point)
        ):
            point = solved
    if repaired is not None and (point is None or obj @ repaired > obj @ point):
        point = repaired
    if point is None:
        return None, bound
    if incumbent is not None and float(obj @ point) < float(obj @ incumbent):
        return None, bound
    return point, bound


def fix_and_solve(
    model: LinearModel,
    ctx: ModelContext,
    x_lp: FloatArray,
    options: SolveOptions,
    hint: FloatArray | None,
    should_stop: StopFn | None = None,
) -> FloatArray | None:
    """Fix every arc the LP decided, free the arcs of the teachers, quota units and needs
    that a fractional arc touches, and solve that small MIP exactly (a relaxation-induced
    neighbourhood). The result is feasible for the whole model."""
    from solver.backends.highs import solve_highs

    c = ctx.cands
    xs = x_lp[ctx.x.slice]
    frac = np.flatnonzero((xs > 1e-6) & (xs < 1 - 1e-6))
    teachers = set(c.arc_teacher[frac].tolist())
    units = {c.teacher_unit(c.teachers[i]) for i in teachers} - {None}
    # a unit whose slack is fractional needs its arcs free too (integral arcs, fractional deficit)
    units |= {
        s.unit
        for s in ctx.slacks
        if s.unit in c.quotas and abs(x_lp[s.column] - round(x_lp[s.column])) > 1e-6
    }
    needs = set(c.arc_need[frac].tolist())
    arc_unit = np.array(
        [c.teacher_unit(c.teachers[i]) in units for i in range(len(c.teachers))], dtype=bool
    )
    free = (
        np.isin(c.arc_teacher, list(teachers))
        | arc_unit[c.arc_teacher]
        | np.isin(c.arc_need, list(needs))
    )
    lb, ub = model.bounds()
    lb, ub = lb.copy(), ub.copy()
    fixed = ctx.x.start + np.flatnonzero(~free)
    lb[fixed] = ub[fixed] = np.round(x_lp[fixed])
    sub = with_bounds(model, lb, ub)
    start = hint if hint is not None and is_feasible(sub, hint) else None
    res = solve_highs(
        sub,
        options.model_copy(update={"time_limit": min(options.time_limit, 30.0)}),
        start,
        should_stop=should_stop,
    )
    if res.values is None:
        return None
    return _integral(res.values, model)


def round_and_repair(model: LinearModel, ctx: ModelContext, x_lp: FloatArray) -> np.ndarray:
    """Arcs at 1 in the LP are kept; fractional arcs are added, the largest first, while
    every row's upper bound still holds. Lower bounds are the slack's to meet."""
    xs = x_lp[ctx.x.slice]
    chosen = np.flatnonzero(xs > 1 - 1e-6)
    fractional = np.flatnonzero((xs > 1e-6) & (xs <= 1 - 1e-6))
    if len(fractional) == 0:
        return chosen
    starts, cols, vals, _, _ = model.csr()
    upper = ctx.arc_row_upper(model)
    col_starts, col_rows, col_vals = column_rows(starts, cols, vals, model.num_vars)
    activity = np.zeros(model.num_rows)
    columns = chosen + ctx.x.start
    for col in columns.tolist():
        s, e = col_starts[col], col_starts[col + 1]
        activity[col_rows[s:e]] += col_vals[s:e]
    obj = model.objective()
    order = sorted(fractional.tolist(), key=lambda a: (-xs[a], -obj[ctx.x.start + a], a))
    added = []
    for a in order:
        c = ctx.x.start + a
        s, e = col_starts[c], col_starts[c + 1]
        rows, coefs = col_rows[s:e], col_vals[s:e]
        if np.all(activity[rows] + coefs <= upper[rows] + 1e-9):
            activity[rows] += coefs
            added.append(a)
    return np.sort(np.concatenate([chosen, np.array(added, dtype=np.int64)]))


def is_feasible(model: LinearModel, point: FloatArray, tol: float = 1e-6) -> bool:
    """Every bound and row of the model holds at ``point``."""
    lb, ub = model.bounds()
    if np.any(point < lb - tol) or np.any(point > ub + tol):
        return False
    starts, cols, vals, lower, upper = model.csr()
    row_of = np.repeat(np.arange(model.num_rows), np.diff(starts))
    activity = np.zeros(model.num_rows)
    np.add.at(activity, row_of, vals * point[cols])
    return bool(np.all(activity >= lower - tol) and np.all(activity <= upper + tol))
