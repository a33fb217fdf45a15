"""The independent plan checker: every hard rule recomputed from the input alone.

It never looks at how the plan was made and shares nothing with the solver but the
domain's arithmetic (quotas, eligibility, roles in ``rotation/``). Each check is
registered in ``CHECKS`` under the rule's one name (``rotation.rule_names.RuleName``),
the name under which the solver registers the rule's constraint; a violation names the
rule, the teacher, school or unit, and the plan's row. A quota the plan falls short of
is not a violation when the plan reports it (compliance row ``met`` 0 with a reason,
or a reported county-wide shortfall); a shortfall that is hidden is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rotation.check_report import CheckReport, Violation
from rotation.compliance import compliance_rows, rotated_counts
from rotation.eligibility import Eligibility, eligibility_table
from rotation.enums import ExchangeForm, Stage, Subject, Weekday
from rotation.exchange_forms import (
    mentor_groups,
    serves_rural_or_weak,
    shadowing_applicant,
    shadowing_host_problem,
    support_due,
    term_years_of,
)
from rotation.itinerant import (
    ItinerantSchedule,
    ItinerantVisit,
    home_post_problem,
    open_days,
    remaining_hours,
    teacher_hour_limit,
    within_travel,
)
from rotation.itinerant import in_file_order as itinerant_order
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Assignment, Plan, file_rows
from rotation.policy import Policy
from rotation.principal_checks import PRINCIPAL_CHECKS
from rotation.quotas import (
    allowed_maximum,
    group_leave_cap,
    group_sizes,
    locked_per_unit,
    quota_base_teachers,
    quotas,
    senior_tilt,
)
from rotation.roles import school_role
from rotation.rule_names import RuleName


@dataclass(frozen=True)
class CheckInput:
    dataset: Dataset
    plan: Plan
    policy: Policy
    locks: Locks
    eligibility: dict[str, Eligibility]  # recomputed once from the roster
    rows: list[tuple[int, Assignment]]  # every move with its row in plan.csv

    def locked_here(self, a: Assignment) -> bool:
        """The officer locked this very move."""
        return self.locks.assigned.get(a.teacher_id) == a.to_school_id


Check = Callable[[CheckInput], list[Violation]]


def check_assignments_match_roster(c: CheckInput) -> list[Violation]:
    out = []
    for row, a in c.rows:
        t = c.dataset.teacher.get(a.teacher_id)
        if t is None:
            out.append(Violation(RuleName.ROSTER, a.teacher_id, "名单中无此教师", row))
            continue
        if (a.from_school_id, a.stage, a.subject) != (t.school_id, t.stage, t.subject):
            out.append(
                Violation(RuleName.ROSTER, a.teacher_id, "派出学校、学段或学科与名单不符", row)
            )
        if a.to_school_id not in c.dataset.school:
            out.append(
                Violation(RuleName.ROSTER, a.teacher_id, f"接收学校 {a.to_school_id} 不存在", row)
            )
    return out


def check_term(c: CheckInput) -> list[Violation]:
    """The term the move's form sets (支教 its own, a transfer the policy's), starting this
    year; and a 支教 only for a teacher the policy chooses for it (a title seeker lacking
    rural service). Such a teacher may still be given a full transfer (an officer's edit, or
    a plan from before 支教): it serves the title rule as well."""
    out = []
    for row, a in c.rows:
        years = term_years_of(a.form, c.policy)
        if a.end_year - a.start_year + 1 != years or a.start_year != c.plan.year:
            out.append(
                Violation(RuleName.TERM, a.teacher_id, f"{a.form.label_zh}期限与政策不符", row)
            )
        t = c.dataset.teacher.get(a.teacher_id)
        if (
            a.form is ExchangeForm.SUPPORT
            and t is not None
            and t.school_id in c.dataset.school
            and not support_due(t, c.dataset, c.policy)
        ):
            out.append(
                Violation(
                    RuleName.TERM,
                    a.teacher_id,
                    "按政策不安排支教（仅拟申报高级职称且缺农村或薄弱学校任教经历者支教）",
                    row,
                )
            )
    return out


def check_one_school_per_teacher(c: CheckInput) -> list[Violation]:
    counts = Counter(a.teacher_id for a in c.plan.assignments)
    seen: set[str] = set()
    out = []
    for row, a in c.rows:
        if counts[a.teacher_id] > 1 and a.teacher_id in seen:
            out.append(
                Violation(
                    RuleName.ONE_SCHOOL_PER_TEACHER,
                    a.teacher_id,
                    f"被安排到 {counts[a.teacher_id]} 所学校",
                    row,
                )
            )
        seen.add(a.teacher_id)
    return out


def check_only_eligible_teachers(c: CheckInput) -> list[Violation]:
    table = c.eligibility
    return [
        Violation(
            RuleName.ONLY_ELIGIBLE_TEACHERS,
            a.teacher_id,
            f"不符合交流条件：{table[a.teacher_id].reason_text}",
            row,
        )
        for row, a in c.rows
        if a.teacher_id in table and not table[a.teacher_id].eligible
    ]


def check_receiving_school(c: CheckInput) -> list[Violation]:
    """To a receiving school offering the stage, never the teacher's own school."""
    out = []
    for row, a in c.rows:
        s = c.dataset.school.get(a.to_school_id)
        if s is None:
            continue
        if not school_role(s).receives:
            out.append(
                Violation(RuleName.RECEIVING_SCHOOL, a.teacher_id, f"{s.name} 不是接收学校", row)
            )
        if not s.offers(a.stage):
            out.append(
                Violation(
                    RuleName.RECEIVING_SCHOOL,
                    a.teacher_id,
                    f"{s.name} 没有{a.stage.label_zh}学段",
                    row,
                )
            )
        if a.to_school_id == a.from_school_id:
            out.append(Violation(RuleName.RECEIVING_SCHOOL, a.teacher_id, "交流到本校", row))
    return out


def check_distance_limit(c: CheckInput) -> list[Violation]:
    """Within the policy's distance limit (a locked move is the officer's decision)."""
    limit = c.policy.max_distance_km
    if limit is None:
        return []
    out = []
    for row, a in c.rows:
        if c.locked_here(a):
            continue
        d = c.dataset.distance_km(a.from_school_id, a.to_school_id)
        if d is not None and d > limit + 1e-9:
            out.append(
                Violation(
                    RuleName.DISTANCE_LIMIT,
                    a.teacher_id,
                    f"距离 {d:.1f} 公里超过上限 {limit:g}",
                    row,
                )
            )
    return out


def check_matching_need(c: CheckInput) -> list[Violation]:
    """Every move fills a declared need of its stage and subject at its destination; a
    locked move may go elsewhere only when the policy allows locks outside the needs."""
    declared = {(n.school_id, n.stage, n.subject) for n in c.dataset.needs}
    exempt = c.policy.locks_outside_needs
    return [
        Violation(
            RuleName.MATCHING_NEED,
            a.teacher_id,
            f"接收学校无{a.stage.label_zh}{a.subject.label_zh}岗位需求",
            row,
        )
        for row, a in c.rows
        if (a.to_school_id, a.stage, a.subject) not in declared
        and not (exempt and c.locked_here(a))
    ]


def check_need_not_overfilled(c: CheckInput) -> list[Violation]:
    capacity = {(n.school_id, n.stage, n.subject): n.count for n in c.dataset.needs}
    used: Counter[tuple[Any, ...]] = Counter()
    out = []
    for row, a in c.rows:
        key = (a.to_school_id, a.stage, a.subject)
        if key not in capacity:
            continue
        used[key] += 1
        if used[key] == capacity[key] + 1:  # the first move past the count
            n = sum(1 for _, b in c.rows if (b.to_school_id, b.stage, b.subject) == key)
            out.append(
                Violation(
                    RuleName.NEED_NOT_OVERFILLED,
                    f"{a.to_school_id}/{a.stage.value}/{a.subject.value}",
                    f"安排 {n} 人，需求 {capacity[key]} 人",
                    row,
                )
            )
    return out


def _quotas(c: CheckInput) -> dict[str, Any]:
    return quotas(c.dataset, quota_base_teachers(c.dataset, c.eligibility, c.policy), c.policy)


def check_rotation_maximum(c: CheckInput) -> list[Violation]:
    """At most the maximum, raised only as far as the officer's locks require."""
    counts = rotated_counts(c.dataset, c.plan.moves, c.policy)
    locked = locked_per_unit(c.dataset, c.locks.assigned, c.policy)
    out = []
    for unit, q in sorted(_quotas(c).items()):
        rot = counts.get(unit, (0, 0))[0]
        if rot > allowed_maximum(q, locked[unit]):
            out.append(
                Violation(
                    RuleName.ROTATION_MAXIMUM, unit, f"交流 {rot} 人，超过上限 {q.maximum} 人"
                )
            )
    return out


def _hidden_shortfalls(c: CheckInput, rule: RuleName) -> list[Violation]:
    """Units whose quota (rotation, or backbone share) is unmet and whose row gives no reason."""
    rows = compliance_rows(
        c.dataset, c.plan.moves, c.plan.year, c.policy, eligibility=c.eligibility
    )
    given = {r.school_id: r for r in c.plan.compliance}
    out = []
    for e in rows:
        rotation_short = e.rotated < e.required
        short = not e.met and (rotation_short if rule is RuleName.ROTATION_QUOTA else not rotation_short)
        g = given.get(e.school_id)
        if short and (g is None or not g.shortfall_reason.strip()):
            what = "交流人数" if rule is RuleName.ROTATION_QUOTA else "骨干教师比例"
            out.append(Violation(rule, e.school_id, f"{what}未达标但未说明原因"))
    return out


def check_rotation_quota(c: CheckInput) -> list[Violation]:
    """Met, or the shortfall reported with its reason in the compliance table."""
    return _hidden_shortfalls(c, RuleName.ROTATION_QUOTA)


def check_backbone_share(c: CheckInput) -> list[Violation]:
    """Met, or the shortfall reported with its reason in the compliance table."""
    return _hidden_shortfalls(c, RuleName.BACKBONE_SHARE)


def check_compliance_reported(c: CheckInput) -> list[Violation]:
    """The plan's compliance rows equal the recomputed ones."""
    rows = compliance_rows(
        c.dataset, c.plan.moves, c.plan.year, c.policy, eligibility=c.eligibility
    )
    expected = {r.school_id: r for r in rows}
    given = {r.school_id: r for r in c.plan.compliance}
    out = []
    for sid, e in sorted(expected.items()):
        g = given.get(sid)
        if g is None:
            out.append(Violation(RuleName.COMPLIANCE, sid, "达标情况表缺少此学校"))
            continue
        fields = ("eligible", "required", "rotated", "backbone_required", "backbone_rotated", "met")
        wrong = [f for f in fields if getattr(g, f) != getattr(e, f)]
        if wrong:
            out.append(
                Violation(RuleName.COMPLIANCE, sid, f"达标情况与重新计算不符：{', '.join(wrong)}")
            )
    out.extend(
        Violation(RuleName.COMPLIANCE, sid, "达标情况表中有多余的学校")
        for sid in sorted(set(given) - set(expected))
    )
    return out


def check_group_leave_limit(c: CheckInput) -> list[Violation]:
    sizes = group_sizes(c.dataset)
    leaving: Counter[tuple[str, str, str]] = Counter()
    out = []
    for row, a in c.rows:
        if c.locked_here(a):
            continue  # a lock is the officer's decision
        k = (a.from_school_id, a.stage.value, a.subject.value)
        leaving[k] += 1
        if k in sizes and leaving[k] == group_leave_cap(sizes[k], c.policy) + 1:
            out.append(
                Violation(
                    RuleName.GROUP_LEAVE_LIMIT,
                    "/".join(k),
                    f"同组 {sizes[k]} 人中交流超过上限 {group_leave_cap(sizes[k], c.policy)} 人",
                    row,
                )
            )
    return out


def senior_tilt_met(dataset: Dataset, plan: Plan, policy: Policy) -> bool:
    return senior_tilt(dataset, plan.assignments, policy).met


def check_senior_title_tilt(c: CheckInput) -> list[Violation]:
    """Senior teachers are at least the target share of those sent into 农村 schools, or the
    shortfall is reported as a county-wide one with its reason."""
    tilt = senior_tilt(c.dataset, c.plan.assignments, c.policy)
    if tilt.met:
        return []
    if any(s.rule == RuleName.SENIOR_TITLE_TILT and s.zh.strip() for s in c.plan.shortfalls):
        return []
    return [
        Violation(
            RuleName.SENIOR_TITLE_TILT,
            "全县",
            f"派往农村学校的高级职称教师占比 {tilt.share:.1%} 低于目标 {tilt.target:.1%}，且方案未说明",
        )
    ]


def check_support_rural_or_weak(c: CheckInput) -> list[Violation]:
    """A 支教 serves at a rural or weak school: the service the senior-title rule counts."""
    out = []
    for row, a in c.rows:
        s = c.dataset.school.get(a.to_school_id)
        if a.form is ExchangeForm.SUPPORT and s is not None and not serves_rural_or_weak(s, c.policy):
            out.append(
                Violation(
                    RuleName.SUPPORT_RURAL_OR_WEAK,
                    a.teacher_id,
                    f"支教到{s.name}，不是农村或薄弱学校",
                    row,
                )
            )
    return out


def check_shadowing_host(c: CheckInput) -> list[Violation]:
    """Each 跟岗学习: an applicant of the roster, once, not also moved, at an urban or quality
    school of the stage teaching the subject, and no host past the policy's limit."""
    rule = RuleName.SHADOWING_HOST
    moved = {a.teacher_id for a in c.plan.assignments}
    mentors = mentor_groups(c.dataset)
    seen: set[str] = set()
    per_host: Counter[str] = Counter()
    out = []
    for k, p in enumerate(c.plan.shadowing, start=2):
        t = c.dataset.teacher.get(p.teacher_id)
        host = c.dataset.school.get(p.host_school_id)
        if t is None or host is None:
            out.append(Violation(rule, p.teacher_id, "名单中无此教师或跟岗学校", k))
            continue
        if (p.from_school_id, p.stage, p.subject) != (t.school_id, t.stage, t.subject):
            out.append(Violation(rule, p.teacher_id, "原学校、学段或学科与名单不符", k))
        if not shadowing_applicant(t, c.dataset):
            out.append(Violation(rule, p.teacher_id, "不是申请跟岗学习的农村学校教师", k))
        if p.teacher_id in seen:
            out.append(Violation(rule, p.teacher_id, "重复安排跟岗学习", k))
        if p.teacher_id in moved:
            out.append(Violation(rule, p.teacher_id, "同时被安排交流", k))
        if p.teacher_id in c.locks.staying:
            out.append(Violation(rule, p.teacher_id, "锁定留任，却被安排跟岗学习", k))
        if problem := shadowing_host_problem(t, host, c.dataset, c.policy, mentors):
            out.append(Violation(rule, p.teacher_id, problem, k))
        seen.add(p.teacher_id)
        per_host[p.host_school_id] += 1
        if per_host[p.host_school_id] == c.policy.shadowing_per_host + 1:
            out.append(
                Violation(
                    rule,
                    p.host_school_id,
                    f"{host.name} 接收跟岗学习超过上限 {c.policy.shadowing_per_host} 人",
                    k,
                )
            )
    return out


def check_shadowing_cover(c: CheckInput) -> list[Violation]:
    """No 跟岗学习 without cover: placements out of a post ≤ the plan's moves into it."""
    inbound = Counter((a.to_school_id, a.stage, a.subject) for a in c.plan.assignments)
    leaving: Counter[tuple[Any, ...]] = Counter()
    out = []
    for k, p in enumerate(c.plan.shadowing, start=2):
        leaving[p.group] += 1
        if leaving[p.group] > inbound[p.group]:
            out.append(
                Violation(
                    RuleName.SHADOWING_COVER,
                    p.teacher_id,
                    f"原校{p.stage.label_zh}{p.subject.label_zh}无交流教师补位"
                    f"（跟岗 {leaving[p.group]} 人，补位 {inbound[p.group]} 人）",
                    k,
                )
            )
    return out


def check_lock_assign(c: CheckInput) -> list[Violation]:
    moves = c.plan.moves
    return [
        Violation(RuleName.LOCK_ASSIGN, tid, f"锁定交流到 {school_id}，方案未执行")
        for tid, school_id in sorted(c.locks.assigned.items())
        if moves.get(tid) != school_id
    ]


def check_lock_stay(c: CheckInput) -> list[Violation]:
    staying = c.locks.staying
    return [
        Violation(RuleName.LOCK_STAY, a.teacher_id, "锁定留任，却被安排交流", row)
        for row, a in c.rows
        if a.teacher_id in staying
    ]


def check_lock_block_school(c: CheckInput) -> list[Violation]:
    blocked = c.locks.blocked_schools
    return [
        Violation(
            RuleName.LOCK_BLOCK_SCHOOL, a.teacher_id, f"{a.to_school_id} 本年不接收交流教师", row
        )
        for row, a in c.rows
        if a.to_school_id in blocked
    ]


CHECKS: dict[RuleName, Check] = {
    RuleName.ROSTER: check_assignments_match_roster,
    RuleName.TERM: check_term,
    RuleName.ONLY_ELIGIBLE_TEACHERS: check_only_eligible_teachers,
    RuleName.RECEIVING_SCHOOL: check_receiving_school,
    RuleName.DISTANCE_LIMIT: check_distance_limit,
    RuleName.MATCHING_NEED: check_matching_need,
    RuleName.ONE_SCHOOL_PER_TEACHER: check_one_school_per_teacher,
    RuleName.NEED_NOT_OVERFILLED: check_need_not_overfilled,
    RuleName.ROTATION_QUOTA: check_rotation_quota,
    RuleName.ROTATION_MAXIMUM: check_rotation_maximum,
    RuleName.BACKBONE_SHARE: check_backbone_share,
    RuleName.GROUP_LEAVE_LIMIT: check_group_leave_limit,
    RuleName.SENIOR_TITLE_TILT: check_senior_title_tilt,
    RuleName.SUPPORT_RURAL_OR_WEAK: check_support_rural_or_weak,
    RuleName.SHADOWING_HOST: check_shadowing_host,
    RuleName.SHADOWING_COVER: check_shadowing_cover,
    RuleName.LOCK_ASSIGN: check_lock_assign,
    RuleName.LOCK_STAY: check_lock_stay,
    RuleName.LOCK_BLOCK_SCHOOL: check_lock_block_school,
    RuleName.COMPLIANCE: check_compliance_reported,
}
CHECKS.update(PRINCIPAL_CHECKS)  # 校长交流: rotation/principal_checks.py


def check_plan(
    dataset: Dataset, plan: Plan, policy: Policy, locks: Locks | None = None
) -> CheckReport:
    table = eligibility_table(dataset, plan.year, policy)
    inp = CheckInput(dataset, plan, policy, locks or Locks(), table, file_rows(plan))
    violations: list[Violation] = []
    for check in CHECKS.values():
        violations.extend(check(inp))
    return CheckReport(
        ok=not violations, violations=violations, checked_rules=[n.value for n in CHECKS]
    )


def check_principals(
    dataset: Dataset, plan: Plan, policy: Policy, locks: Locks | None = None
) -> CheckReport:
    """The principals' rules alone (``PRINCIPAL_CHECKS``) on ``plan.principals``: for a
    caller that has checked the teacher plan already (``rotation apply`` with the
    principal_exchanges.csv beside the plan file)."""
    table = eligibility_table(dataset, plan.year, policy)
    inp = CheckInput(dataset, plan, policy, locks or Locks(), table, file_rows(plan))
    violations = [v for check in PRINCIPAL_CHECKS.values() for v in check(inp)]
    return CheckReport(
        ok=not violations, violations=violations, checked_rules=[n.value for n in PRINCIPAL_CHECKS]
    )


# ------------------------------------------------------------------ 走教 (issue 18)
@dataclass(frozen=True)
class ItinerantCheckInput:
    dataset: Dataset
    year: int
    policy: Policy
    moves: dict[str, str]  # the transfer plan's moves (teacher → destination)
    visits: list[tuple[int, ItinerantVisit]]  # every visit with its row in itinerant_schedule.csv


ItinerantCheck = Callable[[ItinerantCheckInput], list[Violation]]


def check_itinerant_home_post(c: ItinerantCheckInput) -> list[Violation]:
    out = []
    for row, v in c.visits:
        t = c.dataset.teacher.get(v.teacher_id)
        if t is None:
            out.append(Violation(RuleName.ITINERANT_HOME_POST, v.teacher_id, "名单中无此教师", row))
            continue
        why = home_post_problem(t, c.dataset, c.year, c.policy, c.moves)
        if why is None and (v.home_school_id, v.stage, v.subject) != (
            t.school_id,
            t.stage,
            t.subject,
        ):
            why = "本校、学段或学科与名单不符"
        if why is None and v.school_id == t.school_id:
            why = "走教学校不能是本校"
        if why is not None:
            out.append(Violation(RuleName.ITINERANT_HOME_POST, v.teacher_id, why, row))
    return out


def check_itinerant_weekly_hours(c: ItinerantCheckInput) -> list[Violation]:
    hours: Counter[str] = Counter()
    last_row: dict[str, int] = {}
    for row, v in c.visits:
        hours[v.teacher_id] += v.hours
        last_row[v.teacher_id] = row
    out = []
    for tid, h in sorted(hours.items()):
        t = c.dataset.teacher.get(tid)
        if t is None:
            continue
        limit = teacher_hour_limit(t, c.policy)
        if h > limit:
            out.append(
                Violation(
                    RuleName.ITINERANT_WEEKLY_HOURS,
                    tid,
                    f"每周走教 {h} 节，超过上限 {limit} 节",
                    last_row[tid],
                )
            )
    return out


def check_itinerant_schools(c: ItinerantCheckInput) -> list[Violation]:
    schools: dict[str, set[str]] = {}
    last_row: dict[str, int] = {}
    for row, v in c.visits:
        schools.setdefault(v.teacher_id, set()).add(v.school_id)
        last_row[v.teacher_id] = row
    return [
        Violation(
            RuleName.ITINERANT_SCHOOLS,
            tid,
            f"走教 {len(s)} 所学校，超过上限 {c.policy.itinerant_max_schools} 所",
            last_row[tid],
        )
        for tid, s in sorted(schools.items())
        if len(s) > c.policy.itinerant_max_schools
    ]


def check_itinerant_distance(c: ItinerantCheckInput) -> list[Violation]:
    out = []
    for row, v in c.visits:
        t = c.dataset.teacher.get(v.teacher_id)
        if t is None or v.school_id not in c.dataset.school:
            continue
        if not within_travel(c.dataset, t.school_id, v.school_id, c.policy):
            km = c.dataset.distance_km(t.school_id, v.school_id)
            where = "不在同一乡镇且无坐标" if km is None else f"{km:.1f} 公里"
            out.append(
                Violation(
                    RuleName.ITINERANT_DISTANCE,
                    v.teacher_id,
                    f"到 {v.school_id} {where}，超过走教距离上限 {c.policy.itinerant_max_km} 公里",
                    row,
                )
            )
    return out


def check_itinerant_hours_not_overcovered(c: ItinerantCheckInput) -> list[Violation]:
    base = remaining_hours(c.dataset, c.moves, c.policy)
    covered: Counter[tuple[str, Stage, Subject]] = Counter()
    last_row: dict[tuple[str, Stage, Subject], int] = {}
    for row, v in c.visits:
        covered[v.need_key] += v.hours
        last_row[v.need_key] = row
    out = []
    for key, h in sorted(covered.items()):
        declared, by_transfer = base.get(key, (0, 0))
        if h > declared - by_transfer:
            what = (
                "无此课时需求"
                if key not in base
                else f"课时需求 {declared} 节，交流教师已承担 {by_transfer} 节"
            )
            out.append(
                Violation(
                    RuleName.ITINERANT_HOURS_NOT_OVERCOVERED,
                    f"{key[0]}/{key[1].value}/{key[2].value}",
                    f"走教安排 {h} 节/周，{what}",
                    last_row[key],
                )
            )
    return out


def check_itinerant_days(c: ItinerantCheckInput) -> list[Violation]:
    needs = {h.key: h for h in c.dataset.hour_needs}
    seen: dict[tuple[str, Weekday], str] = {}
    out = []
    for row, v in c.visits:
        need = needs.get(v.need_key)
        if need is not None and v.day not in open_days(need):
            out.append(
                Violation(
                    RuleName.ITINERANT_DAYS,
                    v.teacher_id,
                    f"{v.school_id} {v.day.label_zh}不接受走教",
                    row,
                )
            )
        if v.hours > c.policy.itinerant_max_daily_hours:
            out.append(
                Violation(
                    RuleName.ITINERANT_DAYS,
                    v.teacher_id,
                    f"{v.day.label_zh}在 {v.school_id} {v.hours} 节，"
                    f"超过每天上限 {c.policy.itinerant_max_daily_hours} 节",
                    row,
                )
            )
        other = seen.setdefault((v.teacher_id, v.day), v.school_id)
        if other != v.school_id:
            out.append(
                Violation(
                    RuleName.ITINERANT_DAYS,
                    v.teacher_id,
                    f"{v.day.label_zh}同时安排在 {other} 和 {v.school_id}",
                    row,
                )
            )
    return out


ITINERANT_CHECKS: dict[RuleName, ItinerantCheck] = {
    RuleName.ITINERANT_HOME_POST: check_itinerant_home_post,
    RuleName.ITINERANT_WEEKLY_HOURS: check_itinerant_weekly_hours,
    RuleName.ITINERANT_SCHOOLS: check_itinerant_schools,
    RuleName.ITINERANT_DISTANCE: check_itinerant_distance,
    RuleName.ITINERANT_HOURS_NOT_OVERCOVERED: check_itinerant_hours_not_overcovered,
    RuleName.ITINERANT_DAYS: check_itinerant_days,
}


def check_itinerant(
    dataset: Dataset,
    year: int,
    policy: Policy,
    moves: dict[str, str],
    schedule: ItinerantSchedule,
    rows: list[int] | None = None,
) -> CheckReport:
    """Every 走教 rule, recomputed from the roster, the policy and the transfer plan's moves.

    Violations name the visit's row in itinerant_schedule.csv as written; ``rows`` gives
    each visit's row instead (in the schedule's order) for a schedule read back from a file
    an officer edited."""
    if rows is not None and len(rows) == len(schedule.visits):
        visits = list(zip(rows, schedule.visits, strict=True))
    else:
        visits = [(k + 2, v) for k, v in enumerate(itinerant_order(schedule.visits))]
    inp = ItinerantCheckInput(dataset, year, policy, dict(moves), visits)
    violations: list[Violation] = []
    for check in ITINERANT_CHECKS.values():
        violations.extend(check(inp))
    return CheckReport(
        ok=not violations, violations=violations, checked_rules=[n.value for n in ITINERANT_CHECKS]
    )
