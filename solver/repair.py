"""Repair a rounded LP plan's shortfall: add the arcs that cut it, one at a time.

Rounding the LP's plan drops its fractional arcs; where one of them carried a quota
unit (a teacher the LP sent "half" to meet the rotation quota), the rounded plan owes
a unit of slack more than the LP did, breaks the shortfall cap of the plan's second
phase, and the plan is lost although it is within a hair of the bound. This step puts
such units right: among the arcs of the rows in deficit, it adds the one that lowers
the total slack most while every row's upper bound still holds (a teacher goes once,
a need is not overfilled, group and rotation limits keep), the LP's favourite first,
and stops when no arc lowers the slack.

It reads only the model's rows (bounds and coefficients), so it serves every rule.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from solver.linear_model import column_rows
from solver.rules import ModelContext

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

WIDE_ROW = 5_000  # rows with more arcs than this (county-wide rules) are not searched


def repair_shortfall(ctx: ModelContext, arcs: IntArray, x_lp: FloatArray) -> IntArray:
    """``arcs`` plus the arcs that lower the plan's total slack (rows of ``ctx.model``)."""
    model = ctx.model
    if not ctx.slacks:
        return arcs
    starts, cols, vals, lower, _ = model.csr()
    upper = ctx.arc_row_upper()
    col_starts, col_rows, col_vals = column_rows(starts, cols, vals, model.num_vars)
    slack_coef = np.zeros(model.num_rows)  # per row: its slack's coefficient (0 = no slack)
    slack_col = {s.column for s in ctx.slacks}
    for c in slack_col:
        for r, v in zip(
            col_rows[col_starts[c] : col_starts[c + 1]],
            col_vals[col_starts[c] : col_starts[c + 1]],
            strict=True,
        ):
            slack_coef[r] = v
    activity = np.zeros(model.num_rows)
    for c in np.asarray(arcs, dtype=np.int64) + ctx.x.start:
        s, e = col_starts[c], col_starts[c + 1]
        activity[col_rows[s:e]] += col_vals[s:e]

    def owed(r: int, act: float) -> float:
        if slack_coef[r] <= 0 or not math.isfinite(lower[r]) or act >= lower[r]:
            return 0.0
        return math.ceil((lower[r] - act) / slack_coef[r] - 1e-9)

    obj = model.objective()
    x = x_lp[ctx.x.slice]
    chosen = set(np.asarray(arcs, dtype=np.int64).tolist())

    def column(a: int) -> tuple[IntArray, IntArray]:
        c = a + ctx.x.start
        return col_rows[col_starts[c] : col_starts[c + 1]], col_vals[
            col_starts[c] : col_starts[c + 1]
        ]

    def change(add: int, remove: int | None) -> float | None:
        """Δ total slack of adding ``add`` (and dropping ``remove``); None if a row's upper bound breaks."""
        rows, coefs = column(add)
        if remove is not None:
            out_rows, out_coefs = column(remove)
            rows, coefs = np.concatenate([rows, out_rows]), np.concatenate([coefs, -out_coefs])
        touched: dict[int, float] = {}
        for q, k in zip(rows.tolist(), coefs.tolist(), strict=True):
            touched[q] = touched.get(q, 0.0) + k
        delta = 0.0
        for q, k in touched.items():
            if k > 0 and activity[q] + k > upper[q] + 1e-9:
                return None
            if slack_coef[q] > 0:
                delta += owed(q, activity[q] + k) - owed(q, activity[q])
        return delta

    for _ in range(len(ctx.slacks) * 4):
        deficit = [
            r
            for r in np.flatnonzero((slack_coef > 0) & (activity < lower - 1e-9)).tolist()
            if starts[r + 1] - starts[r] <= WIDE_ROW
        ]
        best: tuple[float, float, float, int, int] | None = None  # (Δ slack, −lp, −obj, in, out)
        for r in deficit:
            row_arcs = cols[starts[r] : starts[r + 1]] - ctx.x.start
            row_vals = vals[starts[r] : starts[r + 1]]
            inside = (row_arcs >= 0) & (row_arcs < ctx.x.size)
            adds = [int(a) for a in row_arcs[inside & (row_vals > 0)] if int(a) not in chosen]
            drops = [int(a) for a in row_arcs[inside & (row_vals < 0)] if int(a) in chosen]
            for a in adds:
                # add the arc; where a row is full, swap out one of the row's arcs that hold it back
                for out in (None, *drops):
                    delta = change(a, out)
                    if delta is None or delta >= 0:
                        continue
                    key = (
                        delta,
                        -float(x[a]),
                        -float(obj[a + ctx.x.start]),
                        a,
                        -1 if out is None else out,
                    )
                    if best is None or key < best:
                        best = key
                    break
        if best is None:
            break
        for a, sign in ((best[3], 1.0), (best[4], -1.0)):
            if a < 0:
                continue
            rows, coefs = column(a)
            activity[rows] += sign * coefs
            (chosen.add if sign > 0 else chosen.discard)(a)
    return np.array(sorted(chosen), dtype=np.int64)
