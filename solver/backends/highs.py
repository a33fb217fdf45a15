"""HiGHS through highspy: the model passed as arrays, the greedy plan as a start,
progress and early stop through HiGHS's MIP callbacks."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import highspy
import numpy as np

from solver.backends.base import ProgressRecorder, SolveResult, finish
from solver.linear_model import LinearModel
from solver.options import SolveOptions
from solver.progress import ProgressFn, StopFn
from solver.rules import OBJECTIVE_SCALE


def solve_highs(
    model: LinearModel,
    options: SolveOptions,
    hint: np.ndarray | None = None,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
) -> SolveResult:
    h = load_model(model, options)
    n = model.num_vars
    if hint is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(map(float, hint))
        sol.value_valid = True
        h.setSolution(sol)

    recorder = ProgressRecorder(progress, OBJECTIVE_SCALE)
    last = [-math.inf]

    def on_improving(e: highspy.HighsCallbackEvent) -> None:
        out = e.data_out
        recorder.report(out.objective_function_value, out.mip_dual_bound, "更优方案 / improved plan")

    def on_interrupt(e: highspy.HighsCallbackEvent) -> None:
        now = recorder.elapsed()
        if now - last[0] >= 1.0:
            last[0] = now
            out = e.data_out
            primal = out.mip_primal_bound if abs(out.mip_primal_bound) < 1e30 else None
            dual = out.mip_dual_bound if abs(out.mip_dual_bound) < 1e30 else None
            recorder.report(primal, dual)
        if should_stop is not None and should_stop():
            e.interrupt()

    h.cbMipImprovingSolution.subscribe(on_improving)
    h.cbMipInterrupt.subscribe(on_interrupt)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    solution = h.getSolution()
    has_solution = info.primal_solution_status == 2 or (
        solution.value_valid and status not in (highspy.HighsModelStatus.kInfeasible,)
    )
    values = np.asarray(solution.col_value, dtype=np.float64) if has_solution and n else None
    if n == 0:
        values = np.zeros(0)
    if status == highspy.HighsModelStatus.kOptimal:
        label = "optimal"
    elif status == highspy.HighsModelStatus.kInfeasible:
        label = "infeasible"
    elif values is not None:
        label = "stopped" if status == highspy.HighsModelStatus.kInterrupt else "feasible"
    else:
        label = "no_solution"
    objective = float(info.objective_function_value) if values is not None else None
    # HiGHS may stop before it has any bound (e.g. at the limit during presolve): say so
    bound = float(info.mip_dual_bound) if abs(info.mip_dual_bound) < 1e30 else None
    if bound is None and label == "optimal":
        bound = objective
    return finish(recorder, values, label, objective, bound)


def load_model(model: LinearModel, options: SolveOptions) -> highspy.Highs:
    """A silent HiGHS instance holding the model, passed as arrays, maximising."""
    with quiet_stdout():
        h = highspy.Highs()  # prints a banner on C++ stdout before options can be set
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(options.time_limit))
    h.setOptionValue("mip_rel_gap", float(options.relative_gap))
    h.setOptionValue("random_seed", int(options.seed))
    h.setOptionValue("threads", int(options.workers))
    n = model.num_vars
    lb, ub = model.bounds()
    inf = highspy.kHighsInf
    h.addVars(n, np.where(np.isinf(lb), -inf, lb), np.where(np.isinf(ub), inf, ub))
    idx = np.arange(n, dtype=np.int32)
    h.changeColsCost(n, idx, model.objective().astype(np.float64))
    integer = int(highspy.HighsVarType.kInteger)
    integrality = np.where(model.integrality(), integer, int(highspy.HighsVarType.kContinuous))
    h.changeColsIntegrality(n, idx, integrality)
    starts, cols, vals, lower, upper = model.csr()
    if model.num_rows:
        h.addRows(
            model.num_rows,
            np.where(np.isinf(lower), -inf, lower),
            np.where(np.isinf(upper), inf, upper),
            len(cols),
            starts[:-1].astype(np.int32),
            cols.astype(np.int32),
            vals.astype(np.float64),
        )
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return h


def solve_lp_relaxation(
    model: LinearModel, options: SolveOptions, should_stop: StopFn | None = None
) -> tuple[np.ndarray, float] | None:
    """The LP relaxation's optimal values and objective (an upper bound), None if not optimal
    (or stopped: ``should_stop`` is asked as the simplex or interior point method goes)."""
    h = load_model(model, options)
    h.setOptionValue("solve_relaxation", True)
    if should_stop is not None:

        def on_interrupt(e: highspy.HighsCallbackEvent) -> None:
            if should_stop():
                e.interrupt()

        h.cbSimplexInterrupt.subscribe(on_interrupt)
        h.cbIpmInterrupt.subscribe(on_interrupt)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    return np.asarray(h.getSolution().col_value, dtype=np.float64), float(h.getInfo().objective_function_value)


@contextmanager
def quiet_stdout() -> Iterator[None]:
    """Silence native code writing to file descriptor 1 (HiGHS's banner)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (e.g. some test runners): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
