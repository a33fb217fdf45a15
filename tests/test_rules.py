"""Each rule of the annual plan on a tiny county where it binds, solved, and checked
by the independent checker; and where the rule alone causes a shortfall, the cause."""

from __future__ import annotations

import pytest
from builders import YEAR, county, math_teachers, need, rural, school, teacher

from rotation.checker import check_plan
from rotation.enums import BackboneLevel, Priority, QuotaScope, Stage, Subject, Title
from rotation.locks import Lock, LockKind, Locks
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from solver.options import SolveOptions
from solver.plan_year import plan_year

OPTIONS = SolveOptions(backend="highs", time_limit=20, relative_gap=0.0)


def solve(d: Dataset, policy: Policy | None = None, locks: Locks | None = None, backend: str = "highs") -> Plan:
    policy = policy or Policy()
    plan = plan_year(d, YEAR, policy, locks, OPTIONS.model_copy(update={"backend": backend}))
    report = check_plan(d, plan, policy, locks)
    assert report.ok, report.summary_zh()
    return plan


def row(plan: Plan, school_id: str):
    return next(r for r in plan.compliance if r.school_id == school_id)


def test_a_need_takes_no_more_than_its_count() -> None:
    d = county([school("U1"), rural("R1")], math_teachers(10), [need("R1", 2)])
    plan = solve(d)
    assert len(plan.assignments) == 2
    assert {a.to_school_id for a in plan.assignments} == {"R1"}


def test_rotation_maximum_binds_when_needs_are_plentiful() -> None:
    # E = 10: at least ceil(1.0) = 1, at most ceil(3.0) = 3, though 8 posts are open.
    d = county([school("U1"), rural("R1")], math_teachers(10), [need("R1", 8)])
    plan = solve(d, Policy(max_group_leave_share=1.0, backbone_share=0))
    assert len(plan.assignments) == 3
    assert row(plan, "U1").met


def test_rotation_minimum_is_met_even_when_it_costs() -> None:
    # Filling the need is worth less than the distance costs; the 10% quota still forces one move.
    far = rural("R1", lat=25.0)  # about 110 km away
    d = county([school("U1"), far], math_teachers(10), [need("R1", 1)])
    policy = Policy.load(overrides=["weights.distance_per_km=5", "backbone_share=0"])
    plan = solve(d, policy)
    assert len(plan.assignments) == 1
    assert row(plan, "U1").met


def test_rotation_shortfall_names_the_subject_without_posts() -> None:
    teachers = math_teachers(10, subject=Subject.POLITICS, stage=Stage.PRIMARY)
    d = county([school("U1"), rural("R1")], teachers, [need("R1", 3, Subject.ENGLISH)])
    plan = solve(d)
    r = row(plan, "U1")
    assert not r.met and r.rotated == 0 and r.required == 1
    assert "小学道德与法治" in r.shortfall_reason and "无空缺岗位" in r.shortfall_reason


def test_backbone_share_sends_a_backbone_teacher() -> None:
    # Non-backbone teachers serve longer (preferred by the objective), but 20% must be backbone.
    plain = math_teachers(8, school_start_year=1995)
    backbone = math_teachers(2, start=50, backbone=BackboneLevel.COUNTY, school_start_year=2015)
    d = county([school("U1"), rural("R1")], plain + backbone, [need("R1", 3)])
    plan = solve(d, Policy(max_group_leave_share=1.0))
    r = row(plan, "U1")
    assert r.rotated == 3 and r.backbone_rotated >= 1 and r.met


def test_school_level_backbone_does_not_count() -> None:
    teachers = math_teachers(10, backbone=BackboneLevel.SCHOOL)
    d = county([school("U1"), rural("R1")], teachers, [need("R1", 2)])
    plan = solve(d, Policy(backbone_scope=QuotaScope.SCHOOL))
    r = row(plan, "U1")
    assert not r.met and r.backbone_rotated == 0
    assert "无县级及以上骨干教师" in r.shortfall_reason


def test_group_leave_limit_caps_one_subject_group() -> None:
    # 6 math teachers: at most floor(0.34 × 6) = 2 may leave, though 5 posts wait.
    d = county([school("U1"), rural("R1")], math_teachers(6), [need("R1", 5)])
    plan = solve(d, Policy(max_rotation_rate=1.0))
    assert len(plan.assignments) == 2


def test_group_leave_limit_lets_one_leave_from_a_small_group() -> None:
    d = county([school("U1"), rural("R1")], math_teachers(2), [need("R1", 2)])
    plan = solve(d, Policy(max_rotation_rate=1.0))
    assert len(plan.assignments) == 1


def test_senior_title_tilt_sends_senior_teachers() -> None:
    # County senior share: 4 of 20 = 20%; tilt 1.5 → at least 30% of those sent are senior.
    juniors = math_teachers(16, school_start_year=1990)  # preferred by tenure
    seniors = math_teachers(4, start=50, title=Title.SENIOR, school_start_year=2016)
    d = county([school("U1"), rural("R1")], juniors + seniors, [need("R1", 6)])
    policy = Policy(title_tilt=1.5, max_group_leave_share=1.0, max_rotation_rate=0.3, backbone_share=0)
    plan = solve(d, policy)
    sent = len(plan.assignments)
    senior = sum(a.title.is_senior for a in plan.assignments)
    assert sent == 6 and senior * 1000 >= 300 * sent


def test_senior_title_tilt_shortfall_is_reported_in_notes() -> None:
    juniors = math_teachers(10)
    others = [teacher("S1", "R1", title=Title.SENIOR), teacher("S2", "R1", title=Title.SENIOR)]
    d = county([school("U1"), rural("R1"), rural("R2")], juniors + others, [need("R2", 2)])
    plan = solve(d, Policy(backbone_share=0))
    assert any(n.startswith("高级职称") for n in plan.notes)
    assert [s.rule for s in plan.shortfalls] == ["senior_title_tilt"]


def test_priority_schools_are_filled_first() -> None:
    schools = [school("U1"), rural("R1"), rural("R2", priority=Priority.CENTRAL_PRIMARY)]
    d = county(schools, math_teachers(10), [need("R1", 1), need("R2", 1)])
    plan = solve(d, Policy(max_rotation_rate=0.1))  # exactly one may go
    assert [a.to_school_id for a in plan.assignments] == ["R2"]
    assert "三所学校" in plan.assignments[0].reasons


def test_preferences_are_honoured_and_explained() -> None:
    teachers = math_teachers(9) + [teacher("P1", preferences=("R2",))]
    d = county([school("U1"), rural("R1"), rural("R2")], teachers, [need("R1", 1), need("R2", 1)])
    plan = solve(d, Policy(max_rotation_rate=0.1))
    (a,) = plan.assignments
    assert (a.teacher_id, a.to_school_id, a.preference_rank) == ("P1", "R2", 1)
    assert "本人第1志愿" in a.reasons


def test_distance_limit_removes_far_posts() -> None:
    d = county([school("U1"), rural("R1", lat=25.0)], math_teachers(10), [need("R1", 2)])
    plan = solve(d, Policy(max_distance_km=50))
    assert plan.assignments == ()
    assert "50公里内" in row(plan, "U1").shortfall_reason or "无空缺岗位" in row(plan, "U1").shortfall_reason


def test_locks_assign_stay_and_block() -> None:
    schools = [school("U1"), rural("R1"), rural("R2"), rural("R3")]
    d = county(schools, math_teachers(10), [need("R1", 2), need("R2", 2)])
    locks = Locks(
        items=(
            Lock(kind=LockKind.ASSIGN, teacher_id="T009", school_id="R3"),  # no need at R3: allowed below
            Lock(kind=LockKind.STAY, teacher_id="T000"),
            Lock(kind=LockKind.BLOCK_SCHOOL, school_id="R1"),
        )
    )
    plan = solve(d, Policy(max_group_leave_share=1.0, locks_outside_needs=True), locks)
    moves = plan.moves
    assert moves["T009"] == "R3"
    assert "T000" not in moves
    assert "R1" not in moves.values()
    assert "人事股锁定" in next(a.reasons for a in plan.assignments if a.teacher_id == "T009")


def test_checker_catches_a_broken_lock() -> None:
    d = county([school("U1"), rural("R1")], math_teachers(10), [need("R1", 1)])
    plan = solve(d)
    moved = plan.assignments[0].teacher_id
    report = check_plan(d, plan, Policy(), Locks(items=(Lock(kind=LockKind.STAY, teacher_id=moved),)))
    assert not report.ok and {v.rule for v in report.violations} == {"lock_stay"}


def test_county_scope_applies_quotas_to_the_totals() -> None:
    # Two senders of 5: per school each needs 1; county-wide ceil(0.1 × 10) = 1 in all.
    teachers = math_teachers(5, "U1") + math_teachers(5, "U2", prefix="V")
    d = county([school("U1"), school("U2"), rural("R1")], teachers, [need("R1", 1)])
    per_school = solve(d, Policy(backbone_share=0))
    assert sum(not r.met for r in per_school.compliance) == 1
    county_wide = solve(d, Policy(quota_scope=QuotaScope.COUNTY, backbone_share=0))
    assert [(r.school_id, r.required, r.rotated, r.met) for r in county_wide.compliance] == [("COUNTY", 1, 1, True)]


def test_ineligible_teachers_never_move() -> None:
    teachers = [
        teacher("N1", school_start_year=2021),  # 5 years at the school
        teacher("N2", birth_date=__import__("datetime").date(1969, 1, 1)),  # retires 2030-02 (61y1m, 2025 reform)
        teacher("N3", exempt="孕期哺乳期"),
        teacher("N4", last_exchange_year=2022),
    ]
    d = county([school("U1"), rural("R1")], teachers, [need("R1", 4)])
    plan = solve(d)
    assert plan.assignments == ()


@pytest.mark.parametrize("backend", ["highs", "cpsat", "scip"])
def test_backends_reach_the_same_optimum(backend: str) -> None:
    schools = [school("U1"), school("U2"), rural("R1"), rural("R2", weak=True), rural("R3", priority=Priority.BOARDING)]
    teachers = (
        math_teachers(12, "U1")
        + math_teachers(6, "U2", prefix="E", subject=Subject.ENGLISH, backbone=BackboneLevel.CITY)
        + math_teachers(4, "U2", prefix="M", start=10)
    )
    needs = [need("R1", 2), need("R2", 1), need("R3", 2, Subject.ENGLISH), need("R2", 1, Subject.ENGLISH)]
    d = county(schools, teachers, needs)
    reference = solve(d, backend="highs")
    plan = solve(d, backend=backend)
    assert plan.solve is not None and reference.solve is not None
    assert plan.solve.objective == pytest.approx(reference.solve.objective)


def test_shortfall_from_posts_taken_by_another_school_is_named() -> None:
    teachers = math_teachers(5, "U1") + math_teachers(5, "U2", prefix="V")
    d = county([school("U1"), school("U2"), rural("R1")], teachers, [need("R1", 1)])
    plan = solve(d, Policy(backbone_share=0))
    (short,) = [r for r in plan.compliance if not r.met]
    assert "接收学校对口岗位已被其他学校教师占满" in short.shortfall_reason


def test_shortfall_from_the_group_leave_limit_is_named() -> None:
    # 30 math teachers: 10% needs 3, but at most max(1, floor(0.05 × 30)) = 1 may leave.
    d = county([school("U1"), rural("R1")], math_teachers(30), [need("R1", 5)])
    plan = solve(d, Policy(backbone_share=0, max_group_leave_share=0.05))
    r = row(plan, "U1")
    assert (r.required, r.rotated, r.met) == (3, 1, False)
    assert "同校同学科教师一年交流不超过5%" in r.shortfall_reason


def test_shortfall_from_the_distance_limit_is_named_by_the_diagnosis() -> None:
    # U1 and U2 both need one move; the one near post goes to one of them, the other
    # school's only other post is 110 km away, beyond the 50 km limit.
    teachers = math_teachers(5, "U1") + math_teachers(5, "U2", prefix="V")
    schools = [school("U1"), school("U2"), rural("R1"), rural("FAR", lat=25.0)]
    d = county(schools, teachers, [need("R1", 1), need("FAR", 1)])
    plan = solve(d, Policy(backbone_share=0, max_distance_km=50))
    (short,) = [r for r in plan.compliance if not r.met]
    assert "受交流距离不超过50公里的限制" in short.shortfall_reason
    assert "接收学校对口岗位已被其他学校教师占满" in short.shortfall_reason
