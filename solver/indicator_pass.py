"""The improvement pass: when the plan raises a county CV of a 2017 teacher indicator,
solve again with the CV priced in the objective (``solver.indicator_terms.add_cv_terms``)
and keep the new plan only if it raises the CVs less, fills no fewer needs and leaves no
more shortfall. Whatever still rises is reported by ``rotation.indicator_watch``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from rotation.indicator_watch import CvRise, ImprovementTried, cv_rises
from solver.budget import MIN_SOLVE_SECONDS, RunBudget
from solver.candidates import NO_NEED
from solver.indicator_terms import add_cv_terms
from solver.lexicographic import PhasedResult, solve_phased
from solver.linear_model import copy_model
from solver.options import SolveOptions
from solver.progress import ProgressFn, StopFn
from solver.rules import ModelContext

IntArray = npt.NDArray[np.int64]


@dataclass
class PassOutcome:
    chosen: IntArray
    result: PhasedResult
    ctx: ModelContext
    tried: ImprovementTried
    left: list[CvRise]  # the rises of the plan kept


def total_rise(rises: list[CvRise]) -> float:
    return sum(r.amount for r in rises)


def moves_of(ctx: ModelContext, arcs: IntArray) -> dict[str, str]:
    c = ctx.cands
    return {c.teachers[int(c.arc_teacher[a])].teacher_id: c.arc_school[a] for a in arcs.tolist()}


def needs_filled(ctx: ModelContext, arcs: IntArray) -> int:
    return int(np.count_nonzero(ctx.cands.arc_need[arcs] != NO_NEED))


def improve_indicators(
    ctx: ModelContext,
    chosen: IntArray,
    result: PhasedResult,
    options: SolveOptions,
    budget: RunBudget,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> PassOutcome | None:
    """None when the plan raises no CV; otherwise what the pass did (its plan or the first)."""
    c = ctx.cands
    first = cv_rises(c.dataset, moves_of(ctx, chosen), c.policy)
    if not first:
        return None
    weight = c.policy.weights.indicator_cv
    seconds = budget.solve_seconds()
    if weight <= 0:
        why = "weights.indicator_cv 为 0，未按差异系数改进求解 / weights.indicator_cv is 0: no improvement pass"
        return PassOutcome(chosen, result, ctx, ImprovementTried(tuple(first), False, why), first)
    if seconds < MIN_SOLVE_SECONDS or (should_stop is not None and should_stop()):
        why = (
            "时限已用尽，未能按差异系数改进求解（可延长 --time-limit） / no time left for the "
            "improvement pass (a longer --time-limit allows it)"
        )
        return PassOutcome(chosen, result, ctx, ImprovementTried(tuple(first), False, why), first)
    from solver.plan_year import arcs_to_values  # the one completion of a point from arcs

    ctx2 = replace(ctx, model=copy_model(ctx.model), aux=ctx.aux.copy())
    add_cv_terms(ctx2, weight, {(r.stage, r.indicator) for r in first})
    start = arcs_to_values(ctx2, chosen)
    result2 = solve_phased(
        ctx2,
        options.model_copy(update={"time_limit": seconds}),
        start,
        lambda arcs: arcs_to_values(ctx2, arcs),
        progress,
        should_stop,
    )
    if result2.values is None:
        why = "按差异系数改进求解未在时限内给出方案 / the improvement pass found no plan in time"
        return PassOutcome(chosen, result, ctx, ImprovementTried(tuple(first), False, why), first)
    chosen2 = np.flatnonzero(result2.values[ctx2.x.slice] > 0.5)
    second = cv_rises(c.dataset, moves_of(ctx2, chosen2), c.policy)
    better = (
        total_rise(second) < total_rise(first) - 1e-6
        and needs_filled(ctx2, chosen2) >= needs_filled(ctx, chosen)
        and result2.shortfall <= result.shortfall + 0.5
    )
    if better:
        return PassOutcome(chosen2, result2, ctx2, ImprovementTried(tuple(first), True), second)
    why = (
        "已按差异系数改进求解，但降低升幅的方案会少填岗位、多留交流比例缺口或使其他指标差异系数升高，"
        "故保留原方案 / the improvement pass priced the CV, but a plan with a smaller rise "
        "fills fewer needs, leaves more quota shortfall or raises another CV: the first plan stands"
    )
    return PassOutcome(chosen, result, ctx, ImprovementTried(tuple(first), False, why), first)
