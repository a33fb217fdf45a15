"""CP-SAT: the same integral model, the greedy plan as a hint, progress per solution."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from solver.backends.base import ProgressRecorder, SolveResult, finish
from solver.cpsat_stop import solve_stoppable
from solver.linear_model import LinearModel
from solver.options import SolveOptions
from solver.progress import ProgressFn, StopFn
from solver.rules import OBJECTIVE_SCALE

_BIG = 10**12


def _bound(v: float) -> int:
    return int(max(-_BIG, min(_BIG, v))) if np.isfinite(v) else (_BIG if v > 0 else -_BIG)


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, recorder: ProgressRecorder) -> None:
        super().__init__()
        self.recorder = recorder

    def on_solution_callback(self) -> None:
        self.recorder.report(self.objective_value, self.best_objective_bound, "更优方案 / improved plan")


def solve_cpsat(
    model: LinearModel,
    options: SolveOptions,
    hint: np.ndarray | None = None,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> SolveResult:
    m = cp_model.CpModel()
    lb, ub = model.bounds()
    integral = model.integrality()
    xs = []
    for k in range(model.num_vars):
        if not integral[k]:
            raise ValueError("CP-SAT needs an all-integer model")
        lo, hi = _bound(lb[k]), _bound(ub[k])
        xs.append(m.new_bool_var(f"v{k}") if (lo, hi) == (0, 1) else m.new_int_var(lo, hi, f"v{k}"))
    starts, cols, vals, lower, upper = model.csr()
    for r in range(model.num_rows):
        s, e = starts[r], starts[r + 1]
        expr = cp_model.LinearExpr.weighted_sum([xs[c] for c in cols[s:e]], [int(v) for v in vals[s:e]])
        lo, hi = lower[r], upper[r]
        if np.isfinite(lo) and np.isfinite(hi):
            m.add_linear_constraint(expr, int(np.ceil(lo)), int(np.floor(hi)))
        elif np.isfinite(lo):
            m.add(expr >= int(np.ceil(lo)))
        elif np.isfinite(hi):
            m.add(expr <= int(np.floor(hi)))
    obj = model.objective()
    nz = np.flatnonzero(obj)
    m.maximize(cp_model.LinearExpr.weighted_sum([xs[k] for k in nz], [int(obj[k]) for k in nz]))
    if hint is not None:
        for k, v in enumerate(hint):
            m.add_hint(xs[k], int(round(v)))

    invalid = m.validate()
    if invalid:
        raise ValueError(f"CP-SAT 模型无效 / CP-SAT model is invalid: {invalid}")
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's and the service's (cli/interrupt.py)
    solver.parameters.max_time_in_seconds = float(options.time_limit)
    solver.parameters.relative_gap_limit = float(options.relative_gap)
    solver.parameters.num_workers = int(options.workers)
    solver.parameters.random_seed = int(options.seed)
    recorder = ProgressRecorder(progress, OBJECTIVE_SCALE)
    status = solve_stoppable(solver, m, should_stop, _Callback(recorder))
    has = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = np.array([solver.value(x) for x in xs], dtype=np.float64) if has else None
    label = {
        cp_model.OPTIMAL: "optimal",
        cp_model.FEASIBLE: "feasible",
        cp_model.INFEASIBLE: "infeasible",
    }.get(status, "no_solution")
    objective = float(solver.objective_value) if has else None
    bound = float(solver.best_objective_bound) if has else None
    return finish(recorder, values, label, objective, bound)

