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

from rotation.indicators import ARTS_PE_SUBJECTS, county_indicators
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
    blocks: dict[str, VarBlock] = field(default_factory=dict)  # variables beside the arcs (跟岗学习)

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
    """The senior-title share of those sent is at least the county's share × the tilt."""
    c = ctx.cands
    target = senior_target_per_mille(c.dataset, c.policy)
    if target == 0 or c.num_arcs == 0:
        return
    is_senior = np.array([t.title.is_senior for t in c.teachers], dtype=bool)[c.arc_teacher]
    coefs = np.where(is_senior, PER_MILLE - target, -target).astype(np.int64)
    # at most every teacher sent short of a senior title: a finite bound keeps CP-SAT's objective in range
    slack = ctx.add_slack("senior_title_tilt", [""], ub=float(len(c.teachers)))
    ctx.model.add_rows(
        "senior_title_tilt",
        np.zeros(c.num_arcs + 1, dtype=np.int64),
        np.concatenate([ctx.arc_columns(np.arange(c.num_arcs)), [slack.start]]),
        np.concatenate([coefs, [PER_MILLE]]),
        lower=0.0,
        upper=INF,
        count=1,
    )


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


def balance_indicators(c: Candidates) -> FloatArray:
    """Backbone and PE/music/art teachers go where the 2017 indicators are below standard."""
    ind = county_indicators(c.dataset, c.policy)
    below_bb: set[str] = set()
    below_arts: set[str] = set()
    for row in ind.schools:
        if not row.met["backbone"]:
            below_bb.add(row.school_id)
        if not row.met["arts_pe"]:
            below_arts.add(row.school_id)
    w = c.policy.weights
    value = np.zeros(c.num_arcs)
    for a, school_id in enumerate(c.arc_school):
        t = c.teachers[c.arc_teacher[a]]
        if school_id in below_bb and c.policy.is_backbone(t.backbone):
            value[a] += w.indicator_backbone
        if school_id in below_arts and t.subject in ARTS_PE_SUBJECTS:
            value[a] += w.indicator_arts_pe
    return value


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
    (RuleInfo("balance_indicators", "补齐优质均衡教师指标"), balance_indicators),
    (RuleInfo("teacher_preferences", "尊重教师志愿"), teacher_preferences),
    (RuleInfo("short_distances", "交流距离尽量近"), short_distances),
    (RuleInfo("longest_serving_first", "任教年限长者优先"), longest_serving_first),
    (RuleInfo("promotion_seekers_first", "有评高级职称需要者优先"), promotion_seekers_first),
    (RuleInfo("same_community", "优先在本共同体内交流"), same_community),
)
