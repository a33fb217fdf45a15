"""Build the annual plan's model once: arcs, soft terms, hard rules, penalised slack."""

from __future__ import annotations

import numpy as np

from solver.candidates import Candidates
from solver.linear_model import LinearModel
from solver.rules import COLUMN_RULES, CONSTRAINTS, OBJECTIVE_SCALE, SOFT_RULES, ModelContext


def build_model(cands: Candidates) -> ModelContext:
    model = LinearModel()
    terms = {info.name: fn(cands) for info, fn in SOFT_RULES}
    total = np.zeros(cands.num_arcs)
    for value in terms.values():
        total += value
    coef = np.rint(total * OBJECTIVE_SCALE).astype(np.int64)
    x = model.add_vars("x", cands.num_arcs, lb=0.0, ub=1.0, obj=coef, integer=True)
    ctx = ModelContext(cands=cands, model=model, x=x, terms=terms)
    for rule in CONSTRAINTS.values():
        rule(ctx)
    for _, column_rule in COLUMN_RULES:
        column_rule(ctx)
    penalty = shortfall_penalty(cands, coef) + ctx.aux.penalty_bound()
    cols = np.array([s.column for s in ctx.slacks], dtype=np.int64)
    if len(cols):
        model.add_objective(cols, np.full(len(cols), -penalty, dtype=np.int64))
    ctx.penalty = penalty
    return ctx


def shortfall_penalty(cands: Candidates, coef: np.ndarray) -> int:
    """Per unit of slack: more than every other term of the objective together.

    Σ over teachers of the largest |coefficient| of any of their arcs bounds the
    non-slack objective's range, so one unit of shortfall never buys anything else.
    A policy value (weights.shortfall_penalty > 0) overrides it.
    """
    fixed = cands.policy.weights.shortfall_penalty
    if fixed > 0:
        return int(round(fixed * OBJECTIVE_SCALE))
    if cands.num_arcs == 0:
        return 1
    best = np.zeros(len(cands.teachers), dtype=np.int64)
    np.maximum.at(best, cands.arc_teacher, np.abs(coef))
    return int(best.sum()) + 1
