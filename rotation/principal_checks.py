"""The principals' rules checked solver-free (校长交流), registered in ``rotation.checker``.

Recomputed from the roster, the policy and the plan's principal moves alone: who is due
(``rotation.principals``), each school's principals and vice-principals after the moves.
A plan without a principal exchange (read back from plan.csv, or made before this rule)
has nothing to check here. When ``principals_in_teacher_quota`` is on, a principal or
vice-principal the teacher plan moves leaves the post too.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from rotation.check_report import Violation
from rotation.enums import Position
from rotation.principals import (
    LeaderMove,
    PrincipalExchange,
    PrincipalMove,
    leader_table,
    principals_by_school,
    principals_required,
    same_stage,
)
from rotation.rule_names import RuleName

if TYPE_CHECKING:
    from rotation.checker import CheckInput


def _exchange(c: CheckInput) -> PrincipalExchange | None:
    return c.plan.principals


def _rows(ex: PrincipalExchange) -> list[tuple[int, PrincipalMove]]:
    """Each move with its row in principal_exchanges.csv (row 1 is the header), or in the
    file an officer edited when the exchange was read from one."""
    if len(ex.move_rows) == len(ex.moves):
        return list(zip(ex.move_rows, ex.moves, strict=True))
    return [(k + 2, m) for k, m in enumerate(ex.moves)]


def check_principal_due(c: CheckInput) -> list[Violation]:
    """Only due leaders leave; a promotion in place is a vice-principal of that school;
    nobody has two moves; nobody locked to stay moves."""
    ex = _exchange(c)
    if ex is None:
        return []
    status = leader_table(c.dataset, c.plan.year, c.policy)
    seen: Counter[str] = Counter(m.teacher_id for m in ex.moves)
    out = []
    for row, m in _rows(ex):
        t = c.dataset.teacher.get(m.teacher_id)
        rule = RuleName.PRINCIPAL_DUE
        if t is None or t.teacher_id not in status:
            out.append(Violation(rule, m.teacher_id, "名单中无此校长或副校长", row=row))
            continue
        if (t.school_id, t.position) != (m.from_school_id, m.position):
            out.append(Violation(rule, m.teacher_id, "原学校或职务与名单不符", row=row))
        if m.kind is LeaderMove.PROMOTED_IN_PLACE:
            if t.position is not Position.VICE_PRINCIPAL or m.to_school_id != t.school_id:
                out.append(Violation(rule, m.teacher_id, "本校提任校长的须是本校副校长", row=row))
        elif not status[t.teacher_id].due:
            why = status[t.teacher_id].reason_text
            out.append(Violation(rule, m.teacher_id, f"不符合校长交流条件：{why}", row=row))
        elif t.teacher_id in c.locks.staying:
            out.append(Violation(rule, m.teacher_id, "锁定留任，却被安排交流", row=row))
        if seen[m.teacher_id] > 1:
            moves = seen[m.teacher_id]
            seen[m.teacher_id] = 0  # said once, with no one row: every row of the leader is named
            out.append(Violation(rule, m.teacher_id, f"同一人被安排{moves}项校长交流"))
    return out


def check_principal_destination(c: CheckInput) -> list[Violation]:
    """Another school of the same stage, within the distance limit, not blocked; the new
    post fits the old one (a principal stays a principal)."""
    ex = _exchange(c)
    if ex is None:
        return []
    limit = c.policy.max_distance_km
    out = []
    for row, m in _rows(ex):
        rule = RuleName.PRINCIPAL_DESTINATION
        home = c.dataset.school.get(m.from_school_id)
        to = c.dataset.school.get(m.to_school_id)
        if home is None or to is None:
            unknown = "、".join(
                f"“{sid}”"
                for sid in (m.from_school_id, m.to_school_id)
                if sid not in c.dataset.school
            )
            out.append(Violation(rule, m.teacher_id, f"名单中没有学校 {unknown}", row=row))
            continue
        if m.new_position is not m.kind.new_position or (
            m.position is Position.PRINCIPAL and m.kind is not LeaderMove.PRINCIPAL
        ):
            out.append(Violation(rule, m.teacher_id, "交流后的职务与交流类别不符", row=row))
        if not m.kind.leaves_school:
            continue
        if to.school_id == home.school_id:
            out.append(Violation(rule, m.teacher_id, "交流到本校", row=row))
        if not same_stage(home, to):
            out.append(
                Violation(
                    rule,
                    m.teacher_id,
                    f"{to.name}是{to.stage.label_zh}，与原学校{home.stage.label_zh}学段不同",
                    row=row,
                )
            )
        if to.school_id in c.locks.blocked_schools:
            out.append(Violation(rule, m.teacher_id, f"{to.school_id} 本年不接收交流", row=row))
        d = c.dataset.distance_km(home.school_id, to.school_id)
        if limit is not None and d is not None and d > limit + 1e-9:
            out.append(
                Violation(rule, m.teacher_id, f"距离 {d:.1f} 公里超过上限 {limit:g}", row=row)
            )
    return out


def _leaving_by_teacher_plan(c: CheckInput) -> set[str]:
    if not c.policy.principals_in_teacher_quota:
        return set()
    return {
        tid
        for tid in c.plan.moves
        if tid in c.dataset.teacher and c.dataset.teacher[tid].position.leads
    }


def leaders_after(
    c: CheckInput, ex: PrincipalExchange
) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """(principals after, vice-principals before, vice-principals after) by school."""
    gone = _leaving_by_teacher_plan(c)
    principals: Counter[str] = Counter()
    vices_before: Counter[str] = Counter()
    for t in c.dataset.teachers:
        if t.position is Position.VICE_PRINCIPAL:
            vices_before[t.school_id] += 1
        if t.teacher_id in gone:
            continue
        if t.position is Position.PRINCIPAL:
            principals[t.school_id] += 1
    vices = vices_before.copy()
    for tid in gone:
        if c.dataset.teacher[tid].position is Position.VICE_PRINCIPAL:
            vices[c.dataset.teacher[tid].school_id] -= 1
    for m in ex.moves:
        if m.position is Position.PRINCIPAL:
            principals[m.from_school_id] -= 1
        else:
            vices[m.from_school_id] -= 1
        if m.new_position is Position.PRINCIPAL:
            principals[m.to_school_id] += 1
        else:
            vices[m.to_school_id] += 1
    return principals, vices_before, vices


def check_one_principal_per_school(c: CheckInput) -> list[Violation]:
    """Every school that had a principal has exactly one after the plan (a vacancy only
    when reported with its reason); no school has two."""
    ex = _exchange(c)
    if ex is None:
        return []
    heads = principals_by_school(c.dataset)
    after, _, _ = leaders_after(c, ex)
    reported = {v.school_id for v in ex.vacancies if v.reason_zh.strip()}
    out = []
    for s in c.dataset.schools:
        n = after[s.school_id]
        if n > max(1, len(heads[s.school_id])):
            out.append(
                Violation(RuleName.ONE_PRINCIPAL_PER_SCHOOL, s.school_id, f"交流后有 {n} 名校长")
            )
        if heads[s.school_id] and n <= 0 and s.school_id not in reported:
            out.append(
                Violation(
                    RuleName.ONE_PRINCIPAL_PER_SCHOOL, s.school_id, "交流后没有校长，且方案未说明"
                )
            )
    return out


def check_vice_principal_posts(c: CheckInput) -> list[Violation]:
    """No school ends with more vice-principals than it had (职数)."""
    ex = _exchange(c)
    if ex is None:
        return []
    _, before, after = leaders_after(c, ex)
    return [
        Violation(
            RuleName.VICE_PRINCIPAL_POSTS,
            s.school_id,
            f"副校长由 {before[s.school_id]} 名增至 {after[s.school_id]} 名",
        )
        for s in c.dataset.schools
        if after[s.school_id] > before[s.school_id]
    ]


def check_principal_quota(c: CheckInput) -> list[Violation]:
    """The figures as recomputed; every due leader not moved is explained."""
    ex = _exchange(c)
    if ex is None:
        return []
    status = leader_table(c.dataset, c.plan.year, c.policy)
    gone = _leaving_by_teacher_plan(c)
    due = {tid for tid, st in status.items() if st.due and tid not in gone}
    moved = {m.teacher_id for m in ex.moves if m.kind.leaves_school} & due
    required = principals_required(len(due), c.policy)
    rule = RuleName.PRINCIPAL_QUOTA
    out = []
    if (ex.due, ex.required, ex.moved) != (len(due), required, len(moved)):
        out.append(
            Violation(
                rule,
                "全县",
                f"校长交流人数与重新计算不符：期满{len(due)}人，应交流{required}人，"
                f"已安排{len(moved)}人（方案写{ex.due}/{ex.required}/{ex.moved}）",
            )
        )
    explained = {n.teacher_id for n in ex.not_moved if n.reason_zh.strip()}
    out.extend(
        Violation(rule, tid, "任职期满未安排交流，且方案未说明原因")
        for tid in sorted(due - moved - explained)
    )
    return out


PRINCIPAL_CHECKS = {
    RuleName.PRINCIPAL_DUE: check_principal_due,
    RuleName.PRINCIPAL_DESTINATION: check_principal_destination,
    RuleName.ONE_PRINCIPAL_PER_SCHOOL: check_one_principal_per_school,
    RuleName.VICE_PRINCIPAL_POSTS: check_vice_principal_posts,
    RuleName.PRINCIPAL_QUOTA: check_principal_quota,
}
