"""The annual plan's rules, one function each, named as the policy reads.

A hard rule adds rows to the model (with named slack where the rule is a quota that
the data may not allow), or, when it says which single move is allowed, closes the
arcs it forbids (``solver.arc_rules``). A soft rule returns its objective term: one
value per arc, in the policy's units, before scaling. Hard rules stand in
``CONSTRAINTS`` under their one name (``rotation.rule_names.RuleName``), the name
under which ``rotation.checker`` holds the solver-free twin and ``solver.rule_faces``
gathers the rule's other faces; soft rules in ``SOFT_RULES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import numpy.typing as npt

from rotation.areas import is_rural
from rotation.quotas import (
    PER_MILLE,
    allowed_maximum,
    backbone_allowance,
    group_leave_cap,
    group_sizes,
    locked_per_unit,
    per_mille,
    senior_target_per_mille,
)
from rotation.roles import PriorityClass, priority_class
from rotation.rule_names import RuleName
from solver.arc_rules import arc_masks
from solver.aux_columns import AuxColumns
from solver.candidates import NO_NEED, Candidates
from solver.linear_model import INF, LinearModel, VarBlock
from solver.shadowing import shadowing_cover, shadowing_host

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

OBJECTIVE_SCALE = 10  # objective coefficients are integers in tenths of a policy unit


@dataclass
class Slack:
    """One named slack variable: a quota the plan may fall short of, with its unit."""

    rule: str
    unit: str  # school_id, "__county__" or "" for county-wide rules
    column: int


@dataclass
class ModelContext:
    cands: Candidates
    model: LinearModel
    x: VarBlock
    slacks: list[Slack] = field(default_factory=list)
    terms: dict[str, FloatArray] = field(default_factory=dict)
    penalty: int = 0  # objective cost of one unit of any slack
    aux: AuxColumns = field(default_factory=AuxColumns)  # columns beside the arcs and slack

    def arc_row_upper(self, model: LinearModel | None = None) -> FloatArray:
        """Each row's upper bound as the arcs see it: loosened by the room of the auxiliary
        columns (``aux``), which their completions set to fit the arcs."""
        model = model or self.model
        starts, cols, vals, _, upper = model.csr()
        lb, ub = model.bounds()
        aux = self.aux.mask(model.num_vars)
        if self.x.size + len(self.slacks) + int(aux.sum()) != model.num_vars:
            raise RuntimeError(
                "模型中有未登记的辅助变量 / a column beside the arcs is not in ModelContext.aux"
            )
        if not aux.any():
            return upper
        room = np.where(aux[cols], np.minimum(vals * lb[cols], vals * ub[cols]), 0.0)
        row_of = np.repeat(np.arange(model.num_rows), np.diff(starts))
        least = np.zeros(model.num_rows)
        np.add.at(least, row_of, room)
        return upper - least

    def arc_columns(self, arcs: IntArray) -> IntArray:
        return arcs + self.x.start

    def forbid_arcs(self, allowed: npt.NDArray[np.bool_]) -> None:
        """Close every arc the mask does not allow (its variable's upper bound becomes 0)."""
        closed = np.flatnonzero(~allowed)
        if len(closed):
            self.model.set_upper(self.x, closed, 0.0)

    def add_slack(self, rule: str, units: list[str], ub: float | FloatArray) -> VarBlock:
        block = self.model.add_vars(f"slack:{rule}", len(units), lb=0.0, ub=ub, obj=0)
        for k, unit in enumerate(units):
            self.slacks.append(Slack(rule, unit, block.start + k))
        return block


HardRule = Callable[[ModelContext], None]
SoftRule = Callable[[Candidates], FloatArray]
ColumnRule = Callable[[ModelContext], None]


# ====================================================================== hard rules
def one_school_per_teacher(ctx: ModelContext) -> None:
    """A teacher goes to at most one school."""
    c = ctx.cands
    ctx.model.add_rows(
        "one_school_per_teacher",
        c.arc_teacher,
        ctx.arc_columns(np.arange(c.num_arcs)),
        np.ones(c.num_arcs, dtype=np.int64),
        lower=0.0,
        upper=1.0,
        count=len(c.teachers),
    )


def need_not_overfilled(ctx: ModelContext) -> None:
    """No need takes more teachers than its count."""
    c = ctx.cands
    arcs = np.flatnonzero(c.arc_need != NO_NEED)
    counts = np.array([n.count for n in c.needs], dtype=np.float64)
    ctx.model.add_rows(
        "need_not_overfilled",
        c.arc_need[arcs],
        ctx.arc_columns(arcs),
        np.ones(len(arcs), dtype=np.int64),
        lower=-INF,
        upper=counts,
        count=len(c.needs),
    )


UnitArcs = tuple[list[str], dict[str, int], IntArray, IntArray]


def _unit_arcs(ctx: ModelContext, *, backbone: bool = False) -> UnitArcs:
    """Quota units (of the backbone share with ``backbone``), their index, and for every
    quota-counting arc its unit index (computed once per candidate set)."""
    key = "backbone_unit_arcs" if backbone else "unit_arcs"
    cached = ctx.cands.cache.get(key)
    if cached is None:
        cached = ctx.cands.cache[key] = _compute_unit_arcs(ctx, backbone)
    return cast(UnitArcs, cached)


def _compute_unit_arcs(ctx: ModelContext, backbone: bool) -> UnitArcs:
    c = ctx.cands
    units = sorted(c.backbone_quotas if backbone else c.quotas)
    index = {u: k for k, u in enumerate(units)}
    unit_of = c.teacher_backbone_unit if backbone else c.teacher_unit
    teacher_unit = np.array([index.get(unit_of(t) or "", -1) for t in c.teachers], dtype=np.int64)
    arc_unit = teacher_unit[c.arc_teacher] if c.num_arcs else np.zeros(0, dtype=np.int64)
    arcs = np.flatnonzero(arc_unit >= 0)
    return units, index, arcs, arc_unit[arcs]


def rotation_quota(ctx: ModelContext) -> None:
    """Each sending school (or the county) rotates at least ceil(rate × E); the minimum
    carries a slack (a shortfall the plan reports)."""
    c = ctx.cands
    units, _, arcs, arc_unit = _unit_arcs(ctx)
    if not units:
        return
    required = np.array([c.quotas[u].required for u in units], dtype=np.float64)
    slack = ctx.add_slack("rotation_quota", units, ub=required)
    entries_rows = np.concatenate([arc_unit, np.arange(len(units))])
    entries_cols = np.concatenate(
        [ctx.arc_columns(arcs), np.arange(slack.start, slack.start + len(units))]
    )
    ctx.model.add_rows(
        "rotation_quota",
        entries_rows,
        entries_cols,
        np.ones(len(entries_rows), dtype=np.int64),
        lower=required,
        upper=INF,
        count=len(units),
        labels=units,
    )


def rotation_maximum(ctx: ModelContext) -> None:
    """At most ceil(max_rotation_rate × E), raised only as far as the officer's locks require."""
    c = ctx.cands
    units, _, arcs, arc_unit = _unit_arcs(ctx)
    if not units:
        return
    locked = locked_per_unit(c.dataset, c.locks.assigned, c.policy)
    maximum = np.array([allowed_maximum(c.quotas[u], locked[u]) for u in units], dtype=np.float64)
    ctx.model.add_rows(
        "rotation_maximum",
        arc_unit,
        ctx.arc_columns(arcs),
        np.ones(len(arcs), dtype=np.int64),
        lower=-INF,
        upper=maximum,
        count=len(units),
        labels=units,
    )


def backbone_share(ctx: ModelContext) -> None:
    """Backbone teachers (county level and above) are at least the policy's share of those rotated."""
    c = ctx.cands
    units, _, arcs, arc_unit = _unit_arcs(ctx, backbone=True)
    share = per_mille(c.policy.backbone_share)
    if not units or share == 0:
        return
    is_bb = np.array([c.policy.is_backbone(t.backbone) for t in c.teachers], dtype=bool)
    arc_bb = is_bb[c.arc_teacher[arcs]]
    coefs = np.where(arc_bb, PER_MILLE - share, -share).astype(np.int64)
    slack = ctx.add_slack(
        "backbone_share", units, ub=np.array([c.backbone_quotas[u].maximum for u in units], dtype=np.float64)
    )
    ctx.model.add_rows(
        "backbone_share",
        np.concatenate([arc_unit, np.arange(len(units))]),
        np.concatenate([ctx.arc_columns(arcs), np.arange(slack.start, slack.start + len(units))]),
        np.concatenate([coefs, np.full(len(units), PER_MILLE, dtype=np.int64)]),
        lower=-float(backbone_allowance(c.policy.backbone_rounding)),
        upper=INF,
        count=len(units),
        labels=units,
    )


def group_leave_limit(ctx: ModelContext) -> None:
    """No more than the policy's share of a school's stage-and-subject group leaves (≥ 1 may)."""
    c = ctx.cands
    sizes = group_sizes(c.dataset)
    locked = c.locks.assigned  # a lock is the officer's decision: it does not count here
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, t in enumerate(c.teachers):
        if t.teacher_id not in locked:
            groups.setdefault((t.school_id, t.stage.value, t.subject.value), []).append(i)
    binding = {k: v for k, v in groups.items() if len(v) > group_leave_cap(sizes[k], c.policy)}
    if not binding:
        return
    ordered = sorted(binding)
    gindex = {k: g for g, k in enumerate(ordered)}
    teacher_group = np.full(len(c.teachers), -1, dtype=np.int64)
    for k, members in binding.items():
        teacher_group[members] = gindex[k]
    arc_group = teacher_group[c.arc_teacher]
    arcs = np.flatnonzero(arc_group >= 0)
    ctx.model.add_rows(
        "group_leave_limit",
        arc_group[arcs],
        ctx.arc_columns(arcs),
        np.ones(len(arcs), dtype=np.int64),
        lower=-INF,
        upper=np.array([group_leave_cap(sizes[k], c.policy) for k in ordered], dtype=np.float64),
        count=len(ordered),
        labels=["/".join(k) for k in ordered],
    )


def senior_title_tilt(ctx: ModelContext) -> None:
    """Senior-titled teachers are at least the target share of those sent into 农村 schools
    (``rotation.quotas.senior_tilt``, which the checker and the summary read).

    The row counts a 农村 post the plan could fill but leaves open as one filled by a
    teacher without a senior title: 1000·Σ senior into 农村 + 1000·slack ≥ target · posts,
    where ``posts`` (``rural_posts_within_reach``) bounds the teachers the plan can send
    there. A plan that fills those posts meets the share exactly when it meets this row,
    and sending fewer teachers into 农村 never lowers the slack: the tilt decides who
    goes, never how many (the plain ratio would pay the solver to leave posts open)."""
    c = ctx.cands
    target = senior_target_per_mille(c.dataset, c.policy)
    rural = _rural_arcs(c)
    posts = rural_posts_within_reach(c)
    if target == 0 or posts == 0:
        return
    senior = np.array([t.title.is_senior for t in c.teachers], dtype=bool)[c.arc_teacher]
    arcs = np.flatnonzero(rural & senior)
    required = target * posts
    # at most the seniors the target asks for: a finite bound keeps CP-SAT's objective in range
    slack = ctx.add_slack("senior_title_tilt", [""], ub=float(-(-required // PER_MILLE)))
    ctx.model.add_rows(
        "senior_title_tilt",
        np.zeros(len(arcs) + 1, dtype=np.int64),
        np.concatenate([ctx.arc_columns(arcs), [slack.start]]),
        np.full(len(arcs) + 1, PER_MILLE, dtype=np.int64),
        lower=float(required),
        upper=INF,
        count=1,
    )


def _rural_arcs(c: Candidates) -> npt.NDArray[np.bool_]:
    """Which arcs go into a 农村 school (computed once per candidate set)."""
    cached = c.cache.get("rural_arcs")
    if cached is None:
        rural = [sid for sid, s in c.dataset.school.items() if is_rural(s, c.policy.rural_areas)]
        cached = c.cache["rural_arcs"] = np.isin(np.array(c.arc_school, dtype=object), rural)
    return cast(npt.NDArray[np.bool_], cached)


def rural_posts_within_reach(c: Candidates) -> int:
    """At most how many teachers the plan can send into 农村 schools: each 农村 need up to
    the teachers with an arc to it, plus the teachers locked into a 农村 school, never more
    than the teachers with any 农村 arc."""
    rural = _rural_arcs(c)
    teachers, needs = c.arc_teacher[rural], c.arc_need[rural]
    locked = len(np.unique(teachers[needs == NO_NEED]))
    open_ = needs != NO_NEED
    pairs = np.unique(needs[open_] * len(c.teachers) + teachers[open_])
    reach = np.bincount(pairs // max(1, len(c.teachers)), minlength=len(c.needs))
    counts = np.array([n.count for n in c.needs], dtype=np.int64)
    posts = locked + int(np.minimum(counts, reach[: len(counts)]).sum())
    return min(posts, len(np.unique(teachers)))


def arc_rule(rule: RuleName) -> HardRule:
    """The constraint of a rule that says which single move is allowed: close the rest."""

    def close_forbidden_arcs(ctx: ModelContext) -> None:
        ctx.forbid_arcs(arc_masks(ctx.cands)[rule])

    close_forbidden_arcs.__doc__ = f"{rule.label_zh} / {rule.label_en}"
    return close_forbidden_arcs


def lock_assign(ctx: ModelContext) -> None:
    """A teacher locked to a school goes there: only that school's arc stays open, and it is taken."""
    c = ctx.cands
    ctx.forbid_arcs(arc_masks(c)[RuleName.LOCK_ASSIGN])
    assigned = c.locks.assigned
    locked = [i for i, t in enumerate(c.teachers) if t.teacher_id in assigned]
    if not locked:
        return
    row_of = np.full(len(c.teachers), -1, dtype=np.int64)
    row_of[locked] = np.arange(len(locked))
    arcs = np.flatnonzero(row_of[c.arc_teacher] >= 0)
    ctx.model.add_rows(
        "lock_assign",
        row_of[c.arc_teacher[arcs]],
        ctx.arc_columns(arcs),
        np.ones(len(arcs), dtype=np.int64),
        lower=1.0,
        upper=INF,
        count=len(locked),
        labels=[c.teachers[i].teacher_id for i in locked],
    )


# ====================================================================== soft rules
def fill_priority_needs(c: Candidates) -> FloatArray:
    """Fill needs; 三所学校 first, then weak schools, then other 农村 schools (rotation/areas.py)."""
    w = c.policy.weights
    bonus = {
        PriorityClass.THREE_SCHOOLS: w.priority_school,
        PriorityClass.WEAK: w.weak_school,
        PriorityClass.RURAL: w.rural_school,
        PriorityClass.OTHER: 0.0,
    }
    value = np.zeros(c.num_arcs)
    for a, school_id in enumerate(c.arc_school):
        if c.arc_need[a] == NO_NEED:
            continue
        value[a] = w.fill_need + bonus[priority_class(c.dataset.school[school_id], c.policy.rural_areas)]
    return value


def shortage_subjects_first(c: Candidates) -> FloatArray:
    """Rural schools' shortage subjects (English, music, PE, art, IT, science) weigh more."""
    shortage = set(c.policy.shortage_subjects)
    subj = [c.teachers[i].subject in shortage for i in c.arc_teacher]
    has_need = c.arc_need != NO_NEED
    return np.where(np.array(subj, dtype=bool) & has_need, c.policy.weights.shortage_subject, 0.0)


def balance_indicators(ctx: ModelContext) -> None:
    """Teachers counted by a 2017 indicator (degree, backbone, PE/music/art) raise a school
    toward its target, worth the weight per teacher up to the target and not beyond; a
    school at or below its target that loses one costs the same (``solver.indicator_terms``)."""
    from solver.indicator_terms import add_capped_reward

    ctx.terms["balance_indicators"] = add_capped_reward(ctx)


def teacher_preferences(c: Candidates) -> FloatArray:
    """Honour the teacher's own choices: the first choice full weight, the k-th 1/k."""
    w = c.policy.weights.preference
    value = np.zeros(c.num_arcs)
    for a, school_id in enumerate(c.arc_school):
        prefs = c.teachers[c.arc_teacher[a]].preferences
        if school_id in prefs:
            value[a] = w / (prefs.index(school_id) + 1)
    return value


def short_distances(c: Candidates) -> FloatArray:
    """Keep distances short (unknown distances cost nothing)."""
    w = c.policy.weights.distance_per_km
    return np.array([-(w * d) if d is not None else 0.0 for d in c.arc_distance])


def longest_serving_first(c: Candidates) -> FloatArray:
    """Teachers long at one school go first: per year beyond the minimum tenure."""
    w = c.policy.weights.tenure_per_year
    extra = np.array(
        [max(0, c.year - t.school_start_year - c.policy.min_tenure_years) for t in c.teachers],
        dtype=np.float64,
    )
    return (w * np.minimum(extra, 20.0))[c.arc_teacher] if c.num_arcs else np.zeros(0)


def promotion_seekers_first(c: Candidates) -> FloatArray:
    """Teachers who need rural service for a senior title go first."""
    seeks = np.array([t.seeks_promotion for t in c.teachers], dtype=bool)
    return (
        np.where(seeks[c.arc_teacher], c.policy.weights.promotion_seeker, 0.0)
        if c.num_arcs
        else np.zeros(0)
    )


def same_community(c: Candidates) -> FloatArray:
    """Prefer destinations in the teacher's own urban–rural education community."""
    w = c.policy.weights.same_community
    value = np.zeros(c.num_arcs)
    for a, school_id in enumerate(c.arc_school):
        home = c.dataset.school[c.teachers[c.arc_teacher[a]].school_id].community
        if home and home == c.dataset.school[school_id].community:
            value[a] = w
    return value


@dataclass(frozen=True)
class RuleInfo:
    name: str
    label_zh: str


CONSTRAINTS: dict[RuleName, HardRule] = {
    # rows, in the model's row order
    RuleName.ONE_SCHOOL_PER_TEACHER: one_school_per_teacher,
    RuleName.NEED_NOT_OVERFILLED: need_not_overfilled,
    RuleName.ROTATION_QUOTA: rotation_quota,
    RuleName.ROTATION_MAXIMUM: rotation_maximum,
    RuleName.BACKBONE_SHARE: backbone_share,
    RuleName.GROUP_LEAVE_LIMIT: group_leave_limit,
    RuleName.SENIOR_TITLE_TILT: senior_title_tilt,
    # which single move is allowed (the candidates already obey them; the model does too)
    RuleName.ONLY_ELIGIBLE_TEACHERS: arc_rule(RuleName.ONLY_ELIGIBLE_TEACHERS),
    RuleName.RECEIVING_SCHOOL: arc_rule(RuleName.RECEIVING_SCHOOL),
    RuleName.DISTANCE_LIMIT: arc_rule(RuleName.DISTANCE_LIMIT),
    RuleName.MATCHING_NEED: arc_rule(RuleName.MATCHING_NEED),
    RuleName.SUPPORT_RURAL_OR_WEAK: arc_rule(RuleName.SUPPORT_RURAL_OR_WEAK),
    RuleName.LOCK_STAY: arc_rule(RuleName.LOCK_STAY),
    RuleName.LOCK_BLOCK_SCHOOL: arc_rule(RuleName.LOCK_BLOCK_SCHOOL),
    RuleName.LOCK_ASSIGN: lock_assign,
    # 跟岗学习: variables of their own, each covered by an inbound arc (solver/shadowing.py)
    RuleName.SHADOWING_HOST: shadowing_host,
    RuleName.SHADOWING_COVER: shadowing_cover,
}

SOFT_RULES: tuple[tuple[RuleInfo, SoftRule], ...] = (
    (RuleInfo("fill_priority_needs", "填补岗位，三所学校、薄弱学校优先"), fill_priority_needs),
    (RuleInfo("shortage_subjects_first", "紧缺学科优先"), shortage_subjects_first),
    (RuleInfo("teacher_preferences", "尊重教师志愿"), teacher_preferences),
    (RuleInfo("short_distances", "交流距离尽量近"), short_distances),
    (RuleInfo("longest_serving_first", "任教年限长者优先"), longest_serving_first),
    (RuleInfo("promotion_seekers_first", "有评高级职称需要者优先"), promotion_seekers_first),
    (RuleInfo("same_community", "优先在本共同体内交流"), same_community),
)

# soft rules that price a school's count, not a single arc: their own capped columns
COLUMN_RULES: tuple[tuple[RuleInfo, ColumnRule], ...] = (
    (RuleInfo("balance_indicators", "补齐优质均衡教师指标（至标准为止）"), balance_indicators),
)
