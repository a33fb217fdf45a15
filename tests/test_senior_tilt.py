"""The senior-title tilt binds what it means: senior-titled teachers sent INTO 农村 schools
as a share of all sent there, against a target the officer sets (by default the county's
senior share × title_tilt 1.0), and the plan states what it achieves.

Source: the seed's 中高级教师岗位比例适当向农村学校倾斜 and 乡村教师支持计划 (senior teachers
toward township and village schools); shared/notes/domain-facts.md, "Title posts".
"""

from __future__ import annotations

from builders import county, math_teachers, need, rural, school

from rotation.checker import check_plan
from rotation.enums import Title
from rotation.plan_report import format_plan_summary
from rotation.policy import Policy
from rotation.rule_names import RuleName
from solver.options import SolveOptions
from solver.plan_year import plan_year

YEAR = 2026
OPTIONS = SolveOptions(time_limit=20, relative_gap=0.0)
OPEN = {"max_group_leave_share": 1.0, "max_rotation_rate": 1.0}


def county_with_few_seniors():
    # 2 senior of 20 (10%); the seniors are newer at the school, so the objective prefers others
    plain = math_teachers(18, school_start_year=1995)
    seniors = math_teachers(2, start=50, title=Title.SENIOR, school_start_year=2015)
    return county([school("U1"), rural("R1")], plain + seniors, [need("R1", 4)])


def county_with_an_urban_weak_school():
    """U1 sends; W1 is a weak school in the county town (it receives, but is not 农村), R1 a
    village school. Both seniors ask for W1, so only the tilt sends them to R1."""
    plain = math_teachers(8, school_start_year=2015)
    seniors = math_teachers(
        2, start=50, title=Title.SENIOR, school_start_year=2015, preferences=("W1",)
    )
    schools = [school("U1"), school("W1", weak=True), rural("R1")]
    return county(schools, plain + seniors, [need("W1", 2), need("R1", 2)])


def test_the_officer_sets_the_senior_share_of_those_sent_into_rural_schools() -> None:
    d = county_with_few_seniors()
    policy = Policy(senior_share_target=0.5, **OPEN)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    assert check_plan(d, plan, policy).ok
    m = plan.metrics
    assert m.senior_target_share == 0.5
    assert m.senior_to_rural == 2 and m.moved_to_rural == 4 and m.senior_share_to_rural == 0.5


def test_seniors_sent_to_a_county_town_school_do_not_count_toward_the_tilt() -> None:
    d = county_with_an_urban_weak_school()
    free = plan_year(d, YEAR, Policy(title_tilt=0, backbone_share=0, **OPEN), options=OPTIONS)
    to = {a.teacher_id: a.to_school_id for a in free.assignments}
    assert to["T050"] == to["T051"] == "W1"  # without the tilt the seniors get their choice

    policy = Policy(senior_share_target=1.0, backbone_share=0, **OPEN)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    to = {a.teacher_id: a.to_school_id for a in plan.assignments}
    assert len(plan.assignments) == 4  # the weak school's posts are filled all the same
    assert to["T050"] == to["T051"] == "R1"
    assert plan.metrics.senior_share_to_rural == 1.0
    assert not plan.shortfalls and check_plan(d, plan, policy).ok


def test_the_summary_states_what_the_tilt_achieves_against_the_county_share() -> None:
    d = county_with_few_seniors()
    policy = Policy(**OPEN)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    m = plan.metrics
    assert m.senior_target_share == 0.1  # county share 10% × title_tilt 1.0
    assert m.moved_to_rural == 4 and m.senior_to_rural >= 1
    share = m.senior_to_rural / 4
    assert (
        f"职称倾斜：派往农村学校的高级职称教师 {m.senior_to_rural} 人，占派往农村人数 {share:.1%}"
        "（全县高级职称教师占比 10.0%，目标 ≥ 10.0%）"
    ) in format_plan_summary(plan, d)
    assert (
        f"title tilt: senior-titled teachers sent into rural schools: {m.senior_to_rural}, "
        f"{share:.1%} of the 4 sent there (county senior share 10.0%, target ≥ 10.0%)"
    ) in format_plan_summary(plan, d, lang="en")


def test_a_target_the_county_cannot_reach_is_a_reported_shortfall_not_an_infeasible_plan() -> None:
    d = county_with_few_seniors()
    policy = Policy(senior_share_target=0.9, **OPEN)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    assert plan.status in ("optimal", "feasible")
    assert len(plan.assignments) == 4  # the rural needs are still filled
    [short] = [s for s in plan.shortfalls if s.rule == RuleName.SENIOR_TITLE_TILT]
    assert short.causes[0].zh == (
        "高级职称倾斜未达目标：派往农村学校4人中高级职称2人（50.0%，目标 ≥ 90.0%），"
        "可对口派往农村学校的高级职称教师共2人"
    )
    assert check_plan(d, plan, policy).ok


def test_only_a_senior_sent_into_a_rural_school_is_said_to_serve_the_tilt() -> None:
    d = county_with_an_urban_weak_school()
    plan = plan_year(d, YEAR, Policy(title_tilt=0, backbone_share=0, **OPEN), options=OPTIONS)
    senior_to_w1 = [a for a in plan.assignments if a.title.is_senior and a.to_school_id == "W1"]
    assert senior_to_w1 and all("职称向乡村倾斜" not in a.reasons for a in senior_to_w1)
    plan = plan_year(
        d, YEAR, Policy(senior_share_target=1.0, backbone_share=0, **OPEN), options=OPTIONS
    )
    senior_to_r1 = [a for a in plan.assignments if a.title.is_senior and a.to_school_id == "R1"]
    assert senior_to_r1 and all("职称向乡村倾斜" in a.reasons for a in senior_to_r1)
