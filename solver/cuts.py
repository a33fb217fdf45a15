"""Valid inequalities that tighten the LP relaxation where quotas fall short.

The backbone-share row of a quota unit reads, in per mille,
``(P − q)·bb − q·nb + P·s_bb ≥ −A`` (bb and nb the backbone and other teachers sent,
``s_bb`` the backbone slack, q/P the share, A the allowance of the policy's rounding). Its LP relaxation lets ``s_bb`` be a
fraction: a unit with no backbone teacher that sends 4 teachers "owes" 0.8, where
any plan owes 1. Summed over a county, the LP's least shortfall can be several units
below the true one, and proving the true one then takes a long branch and bound.

With the rotation row ``bb + nb + s_rot ≥ R`` the integer points also satisfy

    bb + s_bb + s_rot ≥ ⌈(q·R − A) / P⌉

(``s_bb ≥ ⌈(q·N − A)/P⌉ − bb`` for N = bb + nb sent, ``N ≥ R − s_rot``, and
``⌈(q(R − k) − A)/P⌉ ≥ ⌈(qR − A)/P⌉ − k`` as q ≤ P). Adding it removes only fractional points, so the
integer optimum and the shortfall minimum are unchanged; the LP bound on the shortfall
becomes the sum of the units' backbone deficits, which the data usually decides.
"""

from __future__ import annotations

import numpy as np

from solver.linear_model import INF, LinearModel
from solver.rules import ModelContext

ROTATION = "rotation_quota"
BACKBONE = "backbone_share"
CUT_BLOCK = "backbone_deficit_cut"


def with_backbone_cuts(ctx: ModelContext, model: LinearModel) -> int:
    """Add the units' backbone-deficit cuts to ``model`` (a copy of ``ctx.model``'s rows);
    the number of cuts added. Units whose rows do not have the expected form are skipped."""
    base = ctx.model
    rot_block = base.row_blocks.get(ROTATION)
    bb_block = base.row_blocks.get(BACKBONE)
    if rot_block is None or bb_block is None or CUT_BLOCK in model.row_blocks:
        return 0
    slack_of = {(s.rule, s.unit): s.column for s in ctx.slacks}
    starts, cols, vals, lower, _ = base.csr()
    rot_row = {u: rot_block.start + k for k, u in enumerate(rot_block.labels)}
    entries_rows: list[np.ndarray] = []
    entries_cols: list[np.ndarray] = []
    rhs: list[float] = []
    for k, unit in enumerate(bb_block.labels):
        r_bb = bb_block.start + k
        s_bb, s_rot = slack_of.get((BACKBONE, unit)), slack_of.get((ROTATION, unit))
        if s_bb is None or s_rot is None or unit not in rot_row or lower[r_bb] > 0.0:
            continue
        allowance = int(round(-lower[r_bb]))  # the rounding rule's per-mille allowance
        bb_cols, bb_vals = (
            cols[starts[r_bb] : starts[r_bb + 1]],
            vals[starts[r_bb] : starts[r_bb + 1]],
        )
        is_slack = bb_cols == s_bb
        if is_slack.sum() != 1:
            continue
        per_mille = int(bb_vals[is_slack][0])
        arc_cols, arc_vals = bb_cols[~is_slack], bb_vals[~is_slack]
        negative = arc_vals[arc_vals < 0]
        positive = arc_vals[arc_vals > 0]
        share = (
            int(-negative[0])
            if len(negative)
            else per_mille - int(positive[0])
            if len(positive)
            else 0
        )
        if share <= 0 or np.any(negative != -share) or np.any(positive != per_mille - share):
            continue
        r_rot = rot_row[unit]
        rot_cols = cols[starts[r_rot] : starts[r_rot + 1]]
        if not np.array_equal(np.sort(rot_cols[rot_cols != s_rot]), np.sort(arc_cols)):
            continue
        required = int(round(lower[r_rot]))
        deficit = -(-(share * required - allowance) // per_mille)  # ⌈(q·R − A)/P⌉
        if deficit <= 0:
            continue
        row_cols = np.concatenate([arc_cols[arc_vals > 0], [s_bb, s_rot]])
        entries_rows.append(np.full(len(row_cols), len(rhs), dtype=np.int64))
        entries_cols.append(row_cols.astype(np.int64))
        rhs.append(float(deficit))
    if not rhs:
        return 0
    row_cols_all = np.concatenate(entries_cols)
    model.add_rows(
        CUT_BLOCK,
        np.concatenate(entries_rows),
        row_cols_all,
        np.ones(len(row_cols_all), dtype=np.int64),
        lower=np.array(rhs),
        upper=INF,
        count=len(rhs),
    )
    return len(rhs)
