"""The independent plan checker: every hard rule recomputed from the input alone.

It never looks at how the plan was made. Each ``check_*`` function is the twin of one
rule in ``solver/rules.py`` (or of a candidate filter in ``solver/candidates.py``) and
returns the violations it finds. A quota the plan falls short of is not a violation
when the plan reports it (compliance row ``met`` 0 with a reason); a shortfall that
is hidden is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rotation.check_report import CheckReport, Violation
from rotation.compliance import compliance_rows, rotated_counts
from rotation.eligibility import Eligibility, eligibility_table
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from rotation.quotas import (
    counts_toward_quota,
    group_leave_cap,
    group_sizes,
    quota_base_teachers,
    quota_unit,
    quotas,
    senior_share_met,
)
from rotation.roles import school_role


@dataclass(frozen=True)
class CheckInput:
    dataset: Dataset
    plan: Plan
    policy: Policy
    locks: Locks
    eligibility: dict[str, Eligibility]  # recomputed once from the roster


Check = Callable[[CheckInput], list[Violation]]


def check_assignments_match_roster(c: CheckInput) -> list[Violation]:
    out = []
    for a in c.plan.assignments:
        t = c.dataset.teacher.get(a.teacher_id)
        if t is None:
            out.append(Violation("roster", a.teacher_id, "名单中无此教师"))
            continue
        if (a.from_school_id, a.stage, a.subject) != (t.school_id, t.stage, t.subject):
            out.append(Violation("roster", a.teacher_id, "派出学校、学段或学科与名单不符"))
        if a.to_school_id not in c.dataset.school:
            out.append(Violation("roster", a.teacher_id, f"接收学校 {a.to_school_id} 不存在"))
        if a.end_year - a.start_year + 1 != c.policy.term_years or a.start_year != c.plan.year:
            out.append(Violation("term", a.teacher_id, "交流期限与政策不符"))
    return out


def check_one_school_per_teacher(c: CheckInput) -> list[Violation]:
    counts = Counter(a.teacher_id for a in c.plan.assignments)
    return [
        Violation("one_school_per_teacher", tid, f"被安排到 {n} 所学校")
        for tid, n in sorted(counts.items())
        if n > 1
    ]


def check_only_eligible_teachers(c: CheckInput) -> list[Violation]:
    table = c.eligibility
    return [
        Violation("eligibility", a.teacher_id, f"不符合交流条件：{table[a.teacher_id].reason_text}")
        for a in c.plan.assignments
        if a.teacher_id in table and not table[a.teacher_id].eligible
    ]


def check_destinations(c: CheckInput) -> list[Violation]:
    """To a receiving school offering the stage, not the own school, within the distance limit."""
    out = []
    locked = c.locks.assigned
    limit = c.policy.max_distance_km
    for a in c.plan.assignments:
        s = c.dataset.school.get(a.to_school_id)
        if s is None:
            continue
        if not school_role(s).receives:
            out.append(Violation("destination", a.teacher_id, f"{s.name} 不是接收学校"))
        if not s.offers(a.stage):
            out.append(Violation("destination", a.teacher_id, f"{s.name} 没有{a.stage.label_zh}学段"))
        if a.to_school_id == a.from_school_id:
            out.append(Violation("destination", a.teacher_id, "交流到本校"))
        if limit is not None and a.teacher_id not in locked:
            d = c.dataset.distance_km(a.from_school_id, a.to_school_id)
            if d is not None and d > limit + 1e-9:
                out.append(Violation("distance", a.teacher_id, f"距离 {d:.1f} 公里超过上限 {limit:g}"))
    return out


def check_needs_not_overfilled(c: CheckInput) -> list[Violation]:
    """Every move fills a declared need of its stage and subject; no need over its count.

    A move the officer locked may go to a school without such a need.
    """
    capacity = {(n.school_id, n.stage, n.subject): n.count for n in c.dataset.needs}
    locked = c.locks.assigned
    used: Counter[tuple[Any, ...]] = Counter()
    out = []
    for a in c.plan.assignments:
        key = (a.to_school_id, a.stage, a.subject)
        if key not in capacity:
            if locked.get(a.teacher_id) != a.to_school_id:
                out.append(
                    Violation("need", a.teacher_id, f"接收学校无{a.stage.label_zh}{a.subject.label_zh}岗位需求")
                )
            continue
        used[key] += 1
    for key, n in sorted(used.items()):
        if n > capacity[key]:
            out.append(Violation("need_not_overfilled", "/".join(map(str, key)), f"安排 {n} 人，需求 {capacity[key]} 人"))
    return out


def check_rotation_quota(c: CheckInput) -> list[Violation]:
    """At most the maximum (locks aside); a shortfall must be reported, never hidden."""
    qs = quotas(c.dataset, quota_base_teachers(c.dataset, c.eligibility, c.policy), c.policy)
    counts = rotated_counts(c.dataset, c.plan.moves, c.policy)
    locked: Counter[str] = Counter()
    for tid in c.locks.assigned:
        t = c.dataset.teacher.get(tid)
        if t is not None and counts_toward_quota(t, c.policy):
            locked[quota_unit(t, c.policy)] += 1
    out = []
    for unit, q in sorted(qs.items()):
        rot = counts.get(unit, (0, 0))[0]
        if rot > max(q.maximum, locked[unit]):
            out.append(Violation("rotation_maximum", unit, f"交流 {rot} 人，超过上限 {q.maximum} 人"))
    return out


def check_compliance_reported(c: CheckInput) -> list[Violation]:
    """The plan's compliance rows equal the recomputed ones; every unmet row says why."""
    rows = compliance_rows(c.dataset, c.plan.moves, c.plan.year, c.policy, eligibility=c.eligibility)
    expected = {r.school_id: r for r in rows}
    given = {r.school_id: r for r in c.plan.compliance}
    out = []
    for sid, e in sorted(expected.items()):
        g = given.get(sid)
        if g is None:
            out.append(Violation("compliance", sid, "达标情况表缺少此学校"))
            continue
        fields = ("eligible", "required", "rotated", "backbone_required", "backbone_rotated", "met")
        wrong = [f for f in fields if getattr(g, f) != getattr(e, f)]
        if wrong:
            out.append(Violation("compliance", sid, f"达标情况与重新计算不符：{', '.join(wrong)}"))
        if not e.met and not g.shortfall_reason.strip():
            out.append(Violation("shortfall_hidden", sid, "未达标但未说明原因"))
    out.extend(
        Violation("compliance", sid, "达标情况表中有多余的学校") for sid in sorted(set(given) - set(expected))
    )
    return out


def check_group_leave_limit(c: CheckInput) -> list[Violation]:
    sizes = group_sizes(c.dataset)
    leaving: Counter[tuple[str, str, str]] = Counter()
    for a in c.plan.assignments:
        if c.locks.assigned.get(a.teacher_id) == a.to_school_id:
            continue  # a lock is the officer's decision
        leaving[(a.from_school_id, a.stage.value, a.subject.value)] += 1
    return [
        Violation("group_leave_limit", "/".join(k), f"同组 {sizes[k]} 人中交流 {n} 人，超过上限 {group_leave_cap(sizes[k], c.policy)} 人")
        for k, n in sorted(leaving.items())
        if k in sizes and n > group_leave_cap(sizes[k], c.policy)
    ]


def senior_tilt_met(dataset: Dataset, plan: Plan, policy: Policy) -> bool:
    return senior_share_met(dataset, [a.title for a in plan.assignments], policy)


def check_senior_title_tilt(c: CheckInput) -> list[Violation]:
    """Met, or reported as a shortfall in the plan's notes."""
    if senior_tilt_met(c.dataset, c.plan, c.policy):
        return []
    if any(n.startswith("高级职称") for n in c.plan.notes):
        return []
    return [Violation("senior_title_tilt", "全县", "高级职称教师比例未达倾斜要求，且方案未说明")]


def check_locks(c: CheckInput) -> list[Violation]:
    moves = c.plan.moves
    out = []
    for tid, school_id in sorted(c.locks.assigned.items()):
        if moves.get(tid) != school_id:
            out.append(Violation("lock_assign", tid, f"锁定交流到 {school_id}，方案未执行"))
    out.extend(Violation("lock_stay", tid, "锁定留任，却被安排交流") for tid in sorted(c.locks.staying) if tid in moves)
    blocked = c.locks.blocked_schools
    out.extend(
        Violation("lock_block_school", a.teacher_id, f"{a.to_school_id} 本年不接收交流教师")
        for a in c.plan.assignments
        if a.to_school_id in blocked
    )
    return out


CHECKS: tuple[tuple[str, Check], ...] = (
    ("roster", check_assignments_match_roster),
    ("one_school_per_teacher", check_one_school_per_teacher),
    ("eligibility", check_only_eligible_teachers),
    ("destination", check_destinations),
    ("need_not_overfilled", check_needs_not_overfilled),
    ("rotation_quota", check_rotation_quota),
    ("compliance_reported", check_compliance_reported),
    ("group_leave_limit", check_group_leave_limit),
    ("senior_title_tilt", check_senior_title_tilt),
    ("locks", check_locks),
)


def check_plan(dataset: Dataset, plan: Plan, policy: Policy, locks: Locks | None = None) -> CheckReport:
    table = eligibility_table(dataset, plan.year, policy)
    inp = CheckInput(dataset, plan, policy, locks or Locks(), table)
    violations: list[Violation] = []
    for _, check in CHECKS:
        violations.extend(check(inp))
    return CheckReport(ok=not violations, violations=violations, checked_rules=[n for n, _ in CHECKS])
