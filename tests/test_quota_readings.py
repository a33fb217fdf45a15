"""The 10% / 20% as the rules read them, each reading a policy parameter.

Sources: 教师〔2014〕4号 (交流轮岗教师不低于符合交流条件教师总数的10%，其中骨干教师不低于交流
总数的20%) and 《县域义务教育优质均衡发展督导评估办法》(2017), which reads both county-wide over
all compulsory schools' eligible teachers; shared/spec/data-format.md, "Quotas".
"""

from __future__ import annotations

import pytest
from builders import county, math_teachers, need, rural, school

from rotation.checker import check_plan
from rotation.compliance import compliance_rows, non_quota_moves
from rotation.eligibility import eligibility_table
from rotation.enums import BackboneLevel, QuotaBase, QuotaScope, Rounding, SchoolStage, Stage
from rotation.policy import Policy
from rotation.quotas import (
    COUNTY,
    backbone_needed,
    quota_base_teachers,
    quota_reading,
    quotas,
    rounded_share,
)
from solver.options import SolveOptions
from solver.plan_year import plan_year

YEAR = 2026
OPTIONS = SolveOptions(time_limit=20, relative_gap=0.0)


def two_small_senders():
    """Two urban schools of 10 eligible each (one must go from each), one backbone in all."""
    u1 = math_teachers(10, "U1", prefix="A", school_start_year=1995)
    u2 = math_teachers(9, "U2", prefix="B", school_start_year=1995)
    u2 += math_teachers(1, "U2", prefix="C", backbone=BackboneLevel.COUNTY, school_start_year=2015)
    return county([school("U1"), school("U2"), rural("R1")], u1 + u2, [need("R1", 4)])


def test_a_county_backbone_share_lets_small_schools_send_without_a_backbone_teacher() -> None:
    d = two_small_senders()
    plan = plan_year(d, YEAR, Policy(), options=OPTIONS)
    assert check_plan(d, plan, Policy()).ok
    rows = {r.school_id: r for r in plan.compliance}
    assert rows["U1"].met and rows["U2"].met and rows["U1"].backbone_required == 0
    county_row = rows["COUNTY"]
    assert county_row.role == "county" and county_row.met
    assert county_row.backbone_rotated >= 1 and county_row.rotated == len(plan.assignments)


def test_per_school_backbone_share_asks_a_backbone_teacher_of_every_sending_school() -> None:
    d = two_small_senders()
    policy = Policy(backbone_scope=QuotaScope.SCHOOL)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    assert check_plan(d, plan, policy).ok
    rows = {r.school_id: r for r in plan.compliance}
    assert "COUNTY" not in rows
    assert not rows["U1"].met and "骨干" in rows["U1"].shortfall_reason  # U1 has none
    assert rows["U2"].met and rows["U2"].backbone_rotated == 1


def test_the_county_base_counts_eligible_teachers_wherever_they_teach() -> None:
    # 10 at the sender, 20 at a receiving school meeting every condition, 5 too new
    teachers = math_teachers(10, "U1", prefix="A") + math_teachers(20, "R1", prefix="R")
    teachers += math_teachers(5, "R1", prefix="N", school_start_year=2024)
    d = county([school("U1"), rural("R1")], teachers, [])
    table = eligibility_table(d, YEAR, Policy())
    county_all = Policy(quota_scope=QuotaScope.COUNTY)
    senders_only = Policy(quota_scope=QuotaScope.COUNTY, quota_base=QuotaBase.SENDERS)
    assert quotas(d, quota_base_teachers(d, table, county_all), county_all)[COUNTY].eligible == 30
    assert quotas(d, quota_base_teachers(d, table, county_all), county_all)[COUNTY].required == 3
    assert (
        quotas(d, quota_base_teachers(d, table, senders_only), senders_only)[COUNTY].eligible == 10
    )
    rows = compliance_rows(d, {}, YEAR, county_all)
    assert [(r.school_id, r.eligible, r.required) for r in rows] == [("COUNTY", 30, 3)]


@pytest.mark.parametrize(
    ("rounding", "e", "required"),
    [(Rounding.CEIL, 15, 2), (Rounding.ROUND, 15, 2), (Rounding.FLOOR, 15, 1),
     (Rounding.CEIL, 14, 2), (Rounding.ROUND, 14, 1), (Rounding.FLOOR, 30, 3)],
)  # fmt: skip
def test_rotation_rounding_is_a_policy_choice(rounding: Rounding, e: int, required: int) -> None:
    assert rounded_share(0.10, e, rounding) == required


@pytest.mark.parametrize(
    ("rounding", "rotated", "required"),
    [(Rounding.CEIL, 3, 1), (Rounding.ROUND, 3, 1), (Rounding.FLOOR, 3, 0),
     (Rounding.ROUND, 2, 0), (Rounding.CEIL, 2, 1), (Rounding.FLOOR, 10, 2)],
)  # fmt: skip
def test_backbone_rounding_is_a_policy_choice(
    rounding: Rounding, rotated: int, required: int
) -> None:
    assert backbone_needed(0.20, rotated, rounding) == required


def test_floor_rounding_lets_one_small_school_send_without_a_backbone_teacher() -> None:
    d = two_small_senders()
    policy = Policy(backbone_scope=QuotaScope.SCHOOL, backbone_rounding=Rounding.FLOOR)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    assert check_plan(d, plan, policy).ok
    rows = {r.school_id: r for r in plan.compliance}
    assert rows["U1"].met and rows["U1"].backbone_required == 0  # 20% of 1–4 floors to 0


def test_a_sending_senior_high_is_no_quota_unit_and_its_moves_are_shown_apart() -> None:
    senior = school("H1", stage=SchoolStage.SENIOR)
    teachers = math_teachers(10, "U1", prefix="A") + math_teachers(
        6, "H1", prefix="H", stage=Stage.SENIOR
    )
    high_need = need("R2", 2, stage=Stage.SENIOR)
    d = county(
        [school("U1"), senior, rural("R1"), rural("R2", stage=SchoolStage.SENIOR)],
        teachers,
        [need("R1", 1), high_need],
    )
    plan = plan_year(d, YEAR, Policy(), options=OPTIONS)
    assert check_plan(d, plan, Policy()).ok
    assert "H1" not in {r.school_id for r in plan.compliance}
    apart = non_quota_moves(d, plan.moves, Policy())
    assert [(m.school_id, m.moved, m.by_stage, m.reason) for m in apart] == [
        ("H1", 2, {"senior": 2}, "不计入比例")
    ]


def test_the_reading_is_stated_in_words() -> None:
    text = quota_reading(Policy())
    assert "按派出学校" in text and "骨干教师不低于全县交流教师总数的20%" in text
    county_text = quota_reading(Policy(quota_scope=QuotaScope.COUNTY))
    assert "全县义务教育学校符合交流条件教师总数的10%" in county_text


def test_the_summary_counts_the_same_eligible_teachers_as_the_compliance_rows() -> None:
    from rotation.plan_report import format_plan_summary

    d = two_small_senders()
    plan = plan_year(d, YEAR, Policy(), options=OPTIONS)
    schools = [r for r in plan.compliance if r.school_id != "COUNTY"]
    assert plan.metrics.eligible_quota_base == sum(r.eligible for r in schools) == 20
    text = format_plan_summary(plan, d)
    assert "比例基数 20 人（与达标情况表一致）" in text and "比例口径：" in text
    assert f"达标单位 {len(plan.compliance)}/{len(plan.compliance)}" in text
