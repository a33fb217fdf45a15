"""Why a quota fell short, when the data alone does not say: a feasibility model with
assumptions.

For one quota unit, the unit's own teachers and every need they could fill without
the distance limit and the locks (candidates built ``relaxed``) form a small CP-SAT
model in which the unit's quota is hard and every rule that could stand in its way is
enforced only under an assumption literal. Each hard rule adds its own rows
(``DIAGNOSIS_ROWS``, under the rule's one name); the rules that define the problem
(eligibility, destinations, matching needs, one school each, need counts) hold
unconditionally. When the model is infeasible, CP-SAT names a set of assumptions that
together make it so (a core): those rules, in the policy's words, are the cause.
Other schools' moves are taken as the plan made them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from rotation.plan import Assignment
from rotation.quotas import (
    PER_MILLE,
    Quota,
    allowed_maximum,
    group_leave_cap,
    group_sizes,
    locked_per_unit,
    per_mille,
)
from rotation.rule_names import RuleName
from solver.arc_rules import arc_masks
from solver.candidates import NO_NEED, Candidates, build_candidates

OTHERS_KEEP_POSTS = "others_keep_posts"  # not a rule: the plan's other moves keep their posts
UNDIAGNOSED = "undiagnosed"  # the time limit ended before the diagnosis could conclude
DIAGNOSIS_SECONDS = 10.0  # the most one unit's diagnosis may take
RELAXED_SECONDS = 1.0  # below this, diagnose on the plan's own candidates (no relaxed build)

# Rules the officer or the policy could relax: enforced under an assumption, so a core may name them.
ASSUMABLE: tuple[str, ...] = (
    OTHERS_KEEP_POSTS,
    RuleName.GROUP_LEAVE_LIMIT,
    RuleName.ROTATION_MAXIMUM,
    RuleName.DISTANCE_LIMIT,
    RuleName.LOCK_STAY,
    RuleName.LOCK_BLOCK_SCHOOL,
    RuleName.LOCK_ASSIGN,
)


@dataclass
class Diagnosis:
    """The feasibility model of one unit's quota (or backbone share)."""

    c: Candidates  # relaxed: no distance limit, no locks in the arcs (the rules still know them)
    unit: str
    quota: Quota
    backbone: bool  # diagnosing the backbone share (else the rotation quota)
    taken: Counter[tuple[object, ...]]  # posts the plan's other moves hold
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    arcs: list[int] = field(default_factory=list)
    x: dict[int, cp_model.IntVar] = field(default_factory=dict)
    assume: dict[str, cp_model.IntVar] = field(default_factory=dict)

    def add(self, rule: str, constraint: Any) -> None:  # a CP-SAT linear (in)equality
        """A row of ``rule``: under its assumption when the rule is one a core may name."""
        ct = self.model.add(constraint)
        if rule in self.assume:
            ct.only_enforce_if(self.assume[rule])

    def teacher_of(self, a: int) -> int:
        return int(self.c.arc_teacher[a])

    def rotated(self) -> cp_model.LinearExprT:
        return sum(self.x.values()) if self.x else 0

    def backbone_rotated(self) -> cp_model.LinearExprT:
        bb = [
            self.x[a]
            for a in self.arcs
            if self.c.policy.is_backbone(self.c.teachers[self.teacher_of(a)].backbone)
        ]
        return sum(bb) if bb else 0


DiagnosisRows = Callable[[Diagnosis], None]


def _arc_rule_rows(rule: RuleName) -> DiagnosisRows:
    def rows(d: Diagnosis) -> None:
        allowed = arc_masks(d.c)[rule]
        for a in d.arcs:
            if not allowed[a]:
                d.add(rule, d.x[a] == 0)

    return rows


def _one_school(d: Diagnosis) -> None:
    by_teacher: dict[int, list[int]] = {}
    for a in d.arcs:
        by_teacher.setdefault(d.teacher_of(a), []).append(a)
    for group in by_teacher.values():
        d.add(RuleName.ONE_SCHOOL_PER_TEACHER, sum(d.x[a] for a in group) <= 1)


def _need_counts(d: Diagnosis) -> None:
    by_need: dict[int, list[int]] = {}
    for a in d.arcs:
        by_need.setdefault(int(d.c.arc_need[a]), []).append(a)
    for j, group in by_need.items():
        n = d.c.needs[j]
        d.add(RuleName.NEED_NOT_OVERFILLED, sum(d.x[a] for a in group) <= n.count)
        free = max(0, n.count - d.taken[(n.school_id, n.stage, n.subject)])
        d.add(OTHERS_KEEP_POSTS, sum(d.x[a] for a in group) <= free)


def _rotation_quota(d: Diagnosis) -> None:
    d.add(RuleName.ROTATION_QUOTA, d.rotated() >= d.quota.required)


def _rotation_maximum(d: Diagnosis) -> None:
    locked = locked_per_unit(d.c.dataset, d.c.locks.assigned, d.c.policy)[d.unit]
    d.add(RuleName.ROTATION_MAXIMUM, d.rotated() <= allowed_maximum(d.quota, locked))


def _backbone_share(d: Diagnosis) -> None:
    share = per_mille(d.c.policy.backbone_share)
    if d.backbone:  # the share must hold at the quota's size, whatever else moves
        d.model.add(PER_MILLE * d.backbone_rotated() >= share * d.quota.required)
    d.add(RuleName.BACKBONE_SHARE, PER_MILLE * d.backbone_rotated() >= share * d.rotated())


def _group_leave_limit(d: Diagnosis) -> None:
    sizes = group_sizes(d.c.dataset)
    by_group: dict[tuple[str, str, str], list[int]] = {}
    for a in d.arcs:
        t = d.c.teachers[d.teacher_of(a)]
        if t.teacher_id not in d.c.locks.assigned:  # a lock is the officer's decision
            by_group.setdefault((t.school_id, t.stage.value, t.subject.value), []).append(a)
    for key, group in by_group.items():
        d.add(
            RuleName.GROUP_LEAVE_LIMIT,
            sum(d.x[a] for a in group) <= group_leave_cap(sizes[key], d.c.policy),
        )


def _senior_title_tilt(d: Diagnosis) -> None:
    """No rows: the tilt is county-wide and a unit's model cannot hold it. A unit that
    could meet its quota alone (no core) is told that the tilt or other units stand in
    its way."""


def _lock_assign(d: Diagnosis) -> None:
    _arc_rule_rows(RuleName.LOCK_ASSIGN)(d)
    allowed = arc_masks(d.c)[RuleName.LOCK_ASSIGN]
    by_teacher: dict[int, list[int]] = {}
    for a in d.arcs:
        if d.c.teachers[d.teacher_of(a)].teacher_id in d.c.locks.assigned and allowed[a]:
            by_teacher.setdefault(d.teacher_of(a), []).append(a)
    for group in by_teacher.values():
        d.add(RuleName.LOCK_ASSIGN, sum(d.x[a] for a in group) == 1)


def _shadowing_rows(d: Diagnosis) -> None:
    """No rows: 跟岗学习 placements ride on the moves and never stand in a quota's way."""


DIAGNOSIS_ROWS: dict[RuleName, DiagnosisRows] = {
    RuleName.SUPPORT_RURAL_OR_WEAK: _arc_rule_rows(RuleName.SUPPORT_RURAL_OR_WEAK),
    RuleName.SHADOWING_HOST: _shadowing_rows,
    RuleName.SHADOWING_COVER: _shadowing_rows,
    RuleName.ONE_SCHOOL_PER_TEACHER: _one_school,
    RuleName.NEED_NOT_OVERFILLED: _need_counts,
    RuleName.ROTATION_QUOTA: _rotation_quota,
    RuleName.ROTATION_MAXIMUM: _rotation_maximum,
    RuleName.BACKBONE_SHARE: _backbone_share,
    RuleName.GROUP_LEAVE_LIMIT: _group_leave_limit,
    RuleName.SENIOR_TITLE_TILT: _senior_title_tilt,
    RuleName.ONLY_ELIGIBLE_TEACHERS: _arc_rule_rows(RuleName.ONLY_ELIGIBLE_TEACHERS),
    RuleName.RECEIVING_SCHOOL: _arc_rule_rows(RuleName.RECEIVING_SCHOOL),
    RuleName.DISTANCE_LIMIT: _arc_rule_rows(RuleName.DISTANCE_LIMIT),
    RuleName.MATCHING_NEED: _arc_rule_rows(RuleName.MATCHING_NEED),
    RuleName.LOCK_STAY: _arc_rule_rows(RuleName.LOCK_STAY),
    RuleName.LOCK_BLOCK_SCHOOL: _arc_rule_rows(RuleName.LOCK_BLOCK_SCHOOL),
    RuleName.LOCK_ASSIGN: _lock_assign,
}


def relaxed_candidates(c: Candidates) -> Candidates:
    """The same county's arcs without the distance limit and the locks, built once."""
    if c.relaxed:
        return c
    cached = c.cache.get("relaxed")
    if not isinstance(cached, Candidates):
        cached = build_candidates(c.dataset, c.year, c.policy, c.locks, relaxed=True)
        c.cache["relaxed"] = cached
    return cached


def conflicting_rules(
    c: Candidates,
    unit: str,
    assignments: list[Assignment],
    *,
    backbone: bool,
    time_limit: float = DIAGNOSIS_SECONDS,
) -> list[str] | None:
    """Names of the rules that together stop ``unit`` meeting its rotation quota (or,
    with ``backbone``, its backbone share). None when the unit could meet it on its own
    (then the cause is county-wide: the title tilt or other schools' quotas).
    ``[UNDIAGNOSED]`` when ``time_limit`` ended before an answer. With little time left
    the model is built on the plan's own candidates, where the distance limit and the
    locks cannot be named."""
    if time_limit < 0.05:
        return [UNDIAGNOSED]
    started = time.perf_counter()
    relaxed_ready = isinstance(c.cache.get("relaxed"), Candidates)
    r = relaxed_candidates(c) if relaxed_ready or time_limit >= RELAXED_SECONDS else c
    time_limit -= time.perf_counter() - started
    if time_limit < 0.05:
        return [UNDIAGNOSED]
    mine = {i for i, t in enumerate(r.teachers) if r.teacher_unit(t) == unit}
    mine_ids = {r.teachers[i].teacher_id for i in mine}
    d = Diagnosis(
        c=r,
        unit=unit,
        quota=r.quotas[unit],
        backbone=backbone,
        taken=Counter(
            (a.to_school_id, a.stage, a.subject)
            for a in assignments
            if a.teacher_id not in mine_ids
        ),
    )
    d.arcs = [
        a
        for a in range(r.num_arcs)
        if int(r.arc_teacher[a]) in mine and int(r.arc_need[a]) != NO_NEED
    ]
    d.x = {a: d.model.new_bool_var(f"x{a}") for a in d.arcs}
    names = [*ASSUMABLE, RuleName.ROTATION_QUOTA if backbone else RuleName.BACKBONE_SHARE]
    d.assume = {str(name): d.model.new_bool_var(str(name)) for name in names}
    for rows in DIAGNOSIS_ROWS.values():
        rows(d)
    d.model.add_assumptions(list(d.assume.values()))
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's and the service's (cli/interrupt.py)
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = min(DIAGNOSIS_SECONDS, time_limit)
    status = solver.solve(d.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    if status != cp_model.INFEASIBLE:
        return [UNDIAGNOSED]
    by_index = {v.index: k for k, v in d.assume.items()}
    return sorted(
        by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index
    )
