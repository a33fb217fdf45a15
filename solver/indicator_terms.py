"""The 2017 teacher indicators in the plan's model: auxiliary integer columns per school part.

Source: 《县域义务教育优质均衡发展督导评估办法》(2017), teacher indicators per 100 students
(``rotation.indicators``). Two model pieces, both backend-neutral columns and rows:

``add_capped_reward`` (the ``balance_indicators`` objective term, always on): for every
school part (school, stage) and indicator a teacher move can change, one integer column
``z ≤ net + surplus``, ``z ≤ deficit`` with ``net`` the teachers counting for the
indicator that arrive minus those that leave. At the optimum ``z`` equals
``min(count_after, T) − min(count_before, T)`` (``T`` the teachers the part needs to meet
the target): raising a school toward the standard is worth the weight per teacher up to
the target and nothing beyond it, and a school at or below the target that loses such a
teacher costs the same.

``add_cv_terms`` (the improvement pass of ``solver.plan_year``, only when a plan raised a
county CV): the stage's weighted variance is, with the stage's mean fixed (a move keeps
the teacher in the stage), Σ (cᵢ − aᵢ)² / Pᵢ over school parts, separable and convex in
each part's net change; a few unit-step columns per part with increasing marginal cost
price it exactly for the first steps (linearised to the CV's change).

Every column block is an auxiliary block (``solver.aux_columns``, ``ModelContext.aux``) with
a *completion* that sets the columns from chosen arcs, so greedy, hinted and repaired plans
stay feasible starts.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from rotation.enums import Stage
from rotation.indicators import (
    EVALUATED_STAGES,
    INDICATORS,
    counts_for,
    county_indicators,
    indicators_without_data,
    school_parts,
    staff_by_school,
    target,
)
from rotation.policy import Policy
from solver.candidates import Candidates
from solver.linear_model import INF
from solver.rules import OBJECTIVE_SCALE, ModelContext

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Part = tuple[str, Stage]

CV_STEPS = 4  # exact unit steps per part and direction before the tail column
CV_FLOOR = 0.05  # the CV at which a county with no spread yet is priced


@dataclass(frozen=True)
class PartCounts:
    """For one indicator: each school part's students and counting teachers, and each arc's
    destination part and origin part (−1 where the arc does not move a counting teacher)."""

    parts: list[Part]
    students: FloatArray
    count: IntArray
    arc_in: IntArray
    arc_out: IntArray


def indicator_weight(policy: Policy, indicator: str) -> float:
    w = policy.weights
    return {
        "degree": w.indicator_degree,
        "backbone": w.indicator_backbone,
        "arts_pe": w.indicator_arts_pe,
    }[indicator]


def part_counts(c: Candidates, indicator: str) -> PartCounts:
    """Cached per candidate set: the school parts, their counts, and each arc's parts."""
    key = f"indicator_parts:{indicator}"
    if not isinstance(c.cache.get(key), PartCounts):
        for k, pc in _all_part_counts(c).items():
            c.cache[f"indicator_parts:{k}"] = pc
    return cast(PartCounts, c.cache[key])


def _all_part_counts(c: Candidates) -> dict[str, PartCounts]:
    """Every indicator's part counts in one pass over the staff and the arcs."""
    staff = staff_by_school(c.dataset)
    parts: list[Part] = []
    students: list[float] = []
    count: dict[str, list[int]] = {k: [] for k in INDICATORS}
    for school in c.dataset.schools:
        for stage, pupils, teachers in school_parts(school, staff[school.school_id]):
            if pupils <= 0:
                continue
            parts.append((school.school_id, stage))
            students.append(pupils)
            sums = dict.fromkeys(INDICATORS, 0)
            for t in teachers:
                for k, v in counts_for(t, stage, c.policy).items():
                    sums[k] += v
            for k in INDICATORS:
                count[k].append(sums[k])
    index = {p: j for j, p in enumerate(parts)}
    own = [counts_for(t, t.stage, c.policy) for t in c.teachers]
    dest = np.array(
        [
            index.get((c.arc_school[a], c.teachers[int(c.arc_teacher[a])].stage), -1)
            for a in range(c.num_arcs)
        ],
        dtype=np.int64,
    )
    home = np.array(
        [index.get((t.teaching_school_id, t.stage), -1) for t in c.teachers], dtype=np.int64
    )
    origin = home[c.arc_teacher] if c.num_arcs else np.zeros(0, dtype=np.int64)
    out = {}
    for k in INDICATORS:
        counting = np.array([o[k] == 1 for o in own], dtype=bool)
        arc_counts = counting[c.arc_teacher] if c.num_arcs else np.zeros(0, dtype=bool)
        out[k] = PartCounts(
            parts,
            np.array(students, dtype=np.float64),
            np.array(count[k], dtype=np.int64),
            np.where(arc_counts, dest, -1),
            np.where(arc_counts, origin, -1),
        )
    return out


def _targets(policy: Policy, pc: PartCounts, indicator: str) -> IntArray:
    t = np.array([target(policy, stage, indicator) for _, stage in pc.parts], dtype=np.float64)
    return np.ceil(t * pc.students / 100.0 - 1e-9).astype(np.int64)


def _net(values: FloatArray, ctx: ModelContext, pc: PartCounts, parts: IntArray) -> FloatArray:
    """Net counting teachers arriving at each of ``parts`` under the point's arcs."""
    x = values[ctx.x.slice]
    pos = np.full(len(pc.parts), -1, dtype=np.int64)
    pos[parts] = np.arange(len(parts))
    net = np.zeros(len(parts))
    for arcs_part, sign in ((pc.arc_in, 1.0), (pc.arc_out, -1.0)):
        a = np.flatnonzero((arcs_part >= 0) & (pos[np.maximum(arcs_part, 0)] >= 0))
        np.add.at(net, pos[arcs_part[a]], sign * x[a])
    return np.round(net)


def _net_rows(
    ctx: ModelContext, pc: PartCounts, parts: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """(row, column, value) entries of −net for each of ``parts`` (row k is parts[k])."""
    pos = np.full(len(pc.parts), -1, dtype=np.int64)
    pos[parts] = np.arange(len(parts))
    rows, cols, vals = [], [], []
    for arcs_part, sign in ((pc.arc_in, -1), (pc.arc_out, 1)):
        a = np.flatnonzero((arcs_part >= 0) & (pos[np.maximum(arcs_part, 0)] >= 0))
        rows.append(pos[arcs_part[a]])
        cols.append(ctx.arc_columns(a))
        vals.append(np.full(len(a), sign, dtype=np.int64))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _touched(pc: PartCounts) -> IntArray:
    return np.unique(np.concatenate([pc.arc_in[pc.arc_in >= 0], pc.arc_out[pc.arc_out >= 0]]))


@dataclass(frozen=True)
class CappedTerm:
    """One indicator's capped reward: a column per touched part with bounds [lb, deficit],
    a row ``z − net ≤ surplus``; ``coef`` per unit of ``z`` (objective units)."""

    indicator: str
    coef: int
    pc: PartCounts
    parts: IntArray  # indices into pc.parts
    lb: FloatArray
    deficit: FloatArray
    surplus: FloatArray

    def penalty_bound(self, c: Candidates) -> int:
        """One teacher's move changes at most its origin's and destination's column by 1."""
        moving = np.unique(c.arc_teacher[(self.pc.arc_in >= 0) | (self.pc.arc_out >= 0)])
        return 2 * self.coef * len(moving)


def capped_terms(c: Candidates) -> list[CappedTerm]:
    """The capped reward's columns, one block per indicator with data and a weight."""
    out: list[CappedTerm] = []
    if c.num_arcs == 0:
        return out
    no_data = indicators_without_data(c.dataset)
    for k in INDICATORS:
        coef = int(round(indicator_weight(c.policy, k) * OBJECTIVE_SCALE))
        if k in no_data or coef == 0:
            continue
        pc = part_counts(c, k)
        parts = _touched(pc)
        if len(parts) == 0:
            continue
        need = _targets(c.policy, pc, k)[parts]
        have = pc.count[parts]
        out.append(
            CappedTerm(
                k,
                coef,
                pc,
                parts,
                lb=-np.minimum(have, need).astype(np.float64),
                deficit=np.maximum(0, need - have).astype(np.float64),
                surplus=np.maximum(0, have - need).astype(np.float64),
            )  # fmt: skip
        )
    return out


def add_capped_reward(ctx: ModelContext) -> FloatArray:
    """The ``balance_indicators`` term as capped columns; returns, per arc, the weight of the
    indicators whose below-target school the arc raises (for the plan's reasons only)."""
    c = ctx.cands
    marker = np.zeros(c.num_arcs)
    for term in capped_terms(c):
        pc, parts, n = term.pc, term.parts, len(term.parts)

        def complete(values: FloatArray, term: CappedTerm = term) -> FloatArray:
            net = _net(values, ctx, term.pc, term.parts)
            return np.clip(np.minimum(net + term.surplus, term.deficit), term.lb, term.deficit)

        block = ctx.aux.add(
            ctx.model,
            f"indicator:{term.indicator}",
            n,
            lb=term.lb,
            ub=term.deficit,
            obj=term.coef,
            complete=complete,
            penalty_bound=term.penalty_bound(c),
        )
        r, cols, vals = _net_rows(ctx, pc, parts)
        cap = ctx.model.add_rows(
            f"indicator_cap:{term.indicator}",
            np.concatenate([r, np.arange(n)]),
            np.concatenate([cols, block.columns.start + np.arange(n)]),
            np.concatenate([vals, np.ones(n, dtype=np.int64)]),
            lower=-INF,
            upper=term.surplus,
            count=n,
            labels=[f"{p[0]}/{p[1].value}" for p in (pc.parts[j] for j in parts)],
        )
        block.stands_in(cap)
        below = np.zeros(len(pc.parts), dtype=bool)
        below[parts] = term.deficit > 0
        raises = (pc.arc_in >= 0) & below[np.maximum(pc.arc_in, 0)]
        marker[raises] += indicator_weight(c.policy, term.indicator)
    return marker


def cv_step_costs(
    count: int, mean_share: float, students: float, steps: int, direction: int
) -> list[float]:
    """Change of (c − a)² / P for each successive unit step (``direction`` +1 in, −1 out)."""
    out = []
    for j in range(1, steps + 1):
        c1, c0 = count + direction * j, count + direction * (j - 1)
        out.append(((c1 - mean_share) ** 2 - (c0 - mean_share) ** 2) / students)
    return out


def add_cv_terms(
    ctx: ModelContext, weight_per_hundredth: float, keys: Collection[tuple[Stage, str]]
) -> None:
    """Price the CV change of each (stage, indicator) of ``keys`` in the objective
    (improvement pass): ``weight_per_hundredth`` policy units per 0.01 of CV."""
    c = ctx.cands
    if c.num_arcs == 0 or weight_per_hundredth <= 0:
        return
    ci = county_indicators(c.dataset, c.policy)
    for k in INDICATORS:
        if k in ci.no_data:
            continue
        pc = part_counts(c, k)
        parts = _touched(pc)
        for stage in EVALUATED_STAGES:
            if (stage, k) not in keys:
                continue
            cv0, mean = ci.cv.get((stage, k), 0.0), ci.mean.get((stage, k), 0.0)
            of_stage = np.array([pc.parts[j][1] is stage for j in range(len(pc.parts))], dtype=bool)
            total = float(pc.students[of_stage].sum())
            mine = parts[of_stage[parts]] if len(parts) else parts
            if mean <= 0 or total <= 0 or len(mine) == 0:
                continue
            # ΔCV ≈ Δ(CV²) / (2 CV); CV² = 10⁴ Σ (c − a)²/P / (ΣP · mean²); near CV 0 the
            # slope is steep and the floor keeps the price finite
            to_cv = 1e4 / (total * mean * mean) / (2 * max(cv0, CV_FLOOR))
            units = weight_per_hundredth * 100 * OBJECTIVE_SCALE * to_cv
            _add_convex_block(ctx, pc, mine, f"cv:{stage.value}:{k}", mean, units)


def _add_convex_block(
    ctx: ModelContext, pc: PartCounts, parts: IntArray, name: str, mean: float, units: float
) -> None:
    """Unit-step columns in and out per part, costing their exact variance change."""
    n_in = np.bincount(pc.arc_in[pc.arc_in >= 0], minlength=len(pc.parts))
    n_out = np.bincount(pc.arc_out[pc.arc_out >= 0], minlength=len(pc.parts))
    cols_of_row: list[tuple[int, int, int]] = []  # (row, column offset, sign)
    lbs: list[float] = []
    ubs: list[float] = []
    objs: list[int] = []
    layout: list[list[tuple[int, int, float]]] = []  # per part: (offset, direction, ub)
    for row, j in enumerate(parts.tolist()):
        a = mean * pc.students[j] / 100.0
        mine: list[tuple[int, int, float]] = []
        for direction, avail in ((1, int(n_in[j])), (-1, min(int(n_out[j]), int(pc.count[j])))):
            steps = min(avail, CV_STEPS)
            if steps == 0:
                continue
            costs = cv_step_costs(int(pc.count[j]), a, float(pc.students[j]), steps, direction)
            for s in range(steps):
                ub = 1.0 if s < steps - 1 else float(avail - (steps - 1))
                offset = len(lbs)
                lbs.append(0.0)
                ubs.append(ub)
                objs.append(-int(round(costs[s] * units)))
                cols_of_row.append((row, offset, direction))
                mine.append((offset, direction, ub))
        layout.append(mine)
    if not lbs:
        return

    def complete(values: FloatArray) -> FloatArray:
        net = _net(values, ctx, pc, parts)
        out = np.zeros(len(lbs))
        for row, mine in enumerate(layout):
            left = {1: max(0.0, net[row]), -1: max(0.0, -net[row])}
            for offset, direction, ub in mine:
                take = min(ub, left[direction])
                out[offset] = take
                left[direction] -= take
        return out

    block = ctx.aux.add(
        ctx.model,
        name,
        len(lbs),
        lb=0.0,
        ub=np.array(ubs),
        obj=np.array(objs, dtype=np.int64),
        complete=complete,
    )
    r, cols, vals = _net_rows(ctx, pc, parts)  # −net
    step_rows = np.array([row for row, _, _ in cols_of_row], dtype=np.int64)
    step_cols = block.columns.start + np.array([off for _, off, _ in cols_of_row], dtype=np.int64)
    step_vals = np.array([d for _, _, d in cols_of_row], dtype=np.int64)
    step_block = ctx.model.add_rows(
        f"{name}:steps",
        np.concatenate([r, step_rows]),
        np.concatenate([cols, step_cols]),
        np.concatenate([vals, step_vals]),
        lower=0.0,
        upper=0.0,
        count=len(parts),
    )
    block.stands_in(step_block)
