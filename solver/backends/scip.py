"""SCIP through OR-Tools' ModelBuilder (bundled in the ortools wheel)."""

from __future__ import annotations

import numpy as np
from ortools.linear_solver.python import model_builder as mb

from solver.backends.base import ProgressRecorder, SolveResult, finish
from solver.linear_model import LinearModel
from solver.options import SolveOptions
from solver.progress import ProgressFn, StopFn
from solver.rules import OBJECTIVE_SCALE


def solve_scip(
    model: LinearModel,
    options: SolveOptions,
    hint: np.ndarray | None = None,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> SolveResult:
    m = mb.Model()
    lb, ub = model.bounds()
    integral = model.integrality()
    xs = [
        m.new_var(float(lb[k]), float(ub[k]), bool(integral[k]), f"v{k}") for k in range(model.num_vars)
    ]
    starts, cols, vals, lower, upper = model.csr()
    for r in range(model.num_rows):
        s, e = starts[r], starts[r + 1]
        expr = mb.LinearExpr.weighted_sum([xs[c] for c in cols[s:e]], [float(v) for v in vals[s:e]])
        m.add(mb.BoundedLinearExpression(expr, float(lower[r]), float(upper[r])))
    obj = model.objective()
    nz = np.flatnonzero(obj)
    m.maximize(mb.LinearExpr.weighted_sum([xs[k] for k in nz], [float(obj[k]) for k in nz]))
    if hint is not None:
        for k, v in enumerate(hint):
            m.add_hint(xs[k], float(v))
    solver = mb.Solver("scip")
    if not solver.solver_is_supported():
        raise RuntimeError("此 OR-Tools 未带 SCIP / SCIP is not available in this OR-Tools build")
    solver.set_time_limit_in_seconds(float(options.time_limit))
    solver.set_solver_specific_parameters(
        f"limits/gap = {options.relative_gap}\nrandomization/randomseedshift = {options.seed}\n"
    )
    recorder = ProgressRecorder(progress, OBJECTIVE_SCALE)
    status = solver.solve(m)
    has = status in (mb.SolveStatus.OPTIMAL, mb.SolveStatus.FEASIBLE)
    values = np.array([solver.value(x) for x in xs], dtype=np.float64) if has else None
    label = {
        mb.SolveStatus.OPTIMAL: "optimal",
        mb.SolveStatus.FEASIBLE: "feasible",
        mb.SolveStatus.INFEASIBLE: "infeasible",
    }.get(status, "no_solution")
    objective = float(solver.objective_value) if has else None
    bound = float(solver.best_objective_bound) if has else None
    return finish(recorder, values, label, objective, bound)
