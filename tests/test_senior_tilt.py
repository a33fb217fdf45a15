"""The senior-title tilt stated as what it achieves, with a target the officer sets.

Source: the seed's 中高级教师岗位比例适当向农村学校倾斜 and 乡村教师支持计划 (senior teachers
toward township and village schools); shared/notes/domain-facts.md, "Title posts".
"""

from __future__ import annotations

from builders import county, math_teachers, need, rural, school

from rotation.checker import check_plan
from rotation.enums import Title
from rotation.plan_report import format_plan_summary
from rotation.policy import Policy
from solver.options import SolveOptions
from solver.plan_year import plan_year

YEAR = 2026
OPTIONS = SolveOptions(time_limit=20, relative_gap=0.0)


def county_with_few_seniors():
    # 2 senior of 20 (10%); the seniors are newer at the school, so the objective prefers others
    plain = math_teachers(18, school_start_year=1995)
    seniors = math_teachers(2, start=50, title=Title.SENIOR, school_start_year=2015)
    return county([school("U1"), rural("R1")], plain + seniors, [need("R1", 4)])


def test_the_officer_sets_the_senior_share_of_those_sent() -> None:
    d = county_with_few_seniors()
    policy = Policy(senior_share_target=0.5, max_group_leave_share=1.0, max_rotation_rate=1.0)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    assert check_plan(d, plan, policy).ok
    m = plan.metrics
    assert m.senior_target_share == 0.5
    assert m.moved == 4 and m.senior_moved == 2  # both seniors go: 2 of 4 = 50%
    assert m.senior_to_rural == 2 and m.moved_to_rural == 4 and m.senior_share_to_rural == 0.5


def test_the_summary_states_what_the_tilt_achieves_against_the_county_share() -> None:
    d = county_with_few_seniors()
    policy = Policy(max_group_leave_share=1.0, max_rotation_rate=1.0)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    text = format_plan_summary(plan, d)
    m = plan.metrics
    assert m.senior_target_share == 0.1  # county share 10% × title_tilt 1.0
    assert (
        f"职称倾斜：高级职称教师交流到农村学校 {m.senior_to_rural} 人，占交流到农村学校教师 "
        f"{m.moved_to_rural} 人的 {m.senior_share_to_rural:.1%}，全县高级职称占比 10.0%"
    ) in text
