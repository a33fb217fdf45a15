"""The 2017 teacher indicators in the plan: raising a school toward its target is worth
something up to the target and nothing beyond; a plan that raises a county CV is solved
again with the CV priced, and what still rises is reported with the amount and the reason.

Source: 《县域义务教育优质均衡发展督导评估办法》(2017): per 100 students, backbone ≥ 1.0,
primary teachers above the required degree ≥ 4.2; CV limits 0.50 / 0.45.
"""

from __future__ import annotations

import numpy as np
from builders import YEAR, county, math_teachers, need, rural, school

from rotation.enums import BackboneLevel, Degree
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.policy import ObjectiveWeights, Policy
from solver.build import build_model
from solver.candidates import build_candidates
from solver.plan_year import arcs_to_values
from solver.rules import OBJECTIVE_SCALE
from workflows.plan import run_plan


def _arc(cands, teacher_id: str, school_id: str) -> int:  # type: ignore[no-untyped-def]
    for a in range(cands.num_arcs):
        if (
            cands.teachers[int(cands.arc_teacher[a])].teacher_id == teacher_id
            and cands.arc_school[a] == school_id
        ):
            return a
    raise AssertionError(f"no arc {teacher_id} → {school_id}")


def test_a_school_is_raised_toward_its_backbone_target_and_not_beyond() -> None:
    # R1 (100 students) has no backbone teacher and needs one to reach 1.0 per 100
    u1 = math_teachers(10, "U1", prefix="U") + math_teachers(
        10, "U1", prefix="UB", backbone=BackboneLevel.COUNTY
    )
    d = county(
        [school("U1", students=500), rural("R1", students=100)],
        u1 + math_teachers(5, "R1", prefix="R"),
        [need("R1", 3)],
    )
    cands = build_candidates(d, YEAR, Policy(), Locks())
    ctx = build_model(cands)
    block = ctx.model.var_blocks["indicator:backbone"]
    obj = ctx.model.objective()[block.slice]

    def indicator_value(*teachers: str) -> float:
        point = arcs_to_values(ctx, np.array([_arc(cands, t, "R1") for t in teachers]))
        return float(obj @ point[block.slice])

    one = OBJECTIVE_SCALE * Policy().weights.indicator_backbone
    assert indicator_value("U000", "U001") == 0
    assert indicator_value("UB000", "U000") == one
    assert indicator_value("UB000", "UB001") == one  # the second backbone is beyond the target


def test_a_school_at_its_target_that_loses_a_counting_teacher_costs_the_weight() -> None:
    # U1 (500 students) has exactly the 5 backbone teachers its target asks for
    u1 = math_teachers(10, "U1", prefix="U") + math_teachers(
        5, "U1", prefix="UB", backbone=BackboneLevel.COUNTY
    )
    d = county(
        [school("U1", students=500), rural("R1", students=100)],
        u1 + math_teachers(5, "R1", prefix="R", backbone=BackboneLevel.COUNTY),
        [need("R1", 1)],
    )
    cands = build_candidates(d, YEAR, Policy(), Locks())
    ctx = build_model(cands)
    block = ctx.model.var_blocks["indicator:backbone"]
    obj = ctx.model.objective()[block.slice]
    point = arcs_to_values(ctx, np.array([_arc(cands, "UB000", "R1")]))
    assert float(obj @ point[block.slice]) == -OBJECTIVE_SCALE * Policy().weights.indicator_backbone


def _tiny_school_county(all_degree: bool) -> Dataset:
    """U1 sends one teacher to R1, a 20-student school; D000 (a degree holder) asks for R1.
    Sending D000 spreads the degree indicator: R1 goes from 5 to 10 per 100 students."""
    degree = [Degree.BACHELOR] * 6 + [Degree.BACHELOR if all_degree else Degree.SECONDARY] * 4
    u1 = [
        t.model_copy(update={"degree": deg, "preferences": ("R1",) if k == 0 else ()})
        for k, (t, deg) in enumerate(zip(math_teachers(10, "U1", prefix="D"), degree, strict=True))
    ]
    r1 = math_teachers(1, "R1", prefix="R", degree=Degree.BACHELOR)
    r2 = math_teachers(5, "R2", prefix="S", degree=Degree.BACHELOR)
    return county(
        [school("U1", students=200), rural("R1", students=20), rural("R2", students=100, lat=24.1)],
        u1 + r1 + r2,
        [need("R1", 1)],
    )


def test_the_improvement_pass_keeps_the_cv_from_rising_when_another_teacher_can_go() -> None:
    d = _tiny_school_county(all_degree=False)
    unpriced = run_plan(d, YEAR, Policy(weights=ObjectiveWeights(indicator_cv=0)), Locks())
    assert unpriced.moves == {"D000": "R1"}  # the first choice: the CV rises, and it is said
    (note,) = [n for n in unpriced.notes if "差异系数由" in n]
    assert note.startswith("小学高于规定学历教师数差异系数由 ") and "学校R1（5.00→10.00）" in note
    assert "weights.indicator_cv 为 0" in note

    plan = run_plan(d, YEAR, Policy(), Locks())
    (moved,) = plan.moves.items()
    assert moved[1] == "R1" and d.teacher[moved[0]].degree is Degree.SECONDARY
    assert not [n for n in plan.notes if "差异系数由" in n]
    assert any("不再升高" in n for n in plan.notes)
    assert plan.check is not None and plan.check.ok


def test_a_rise_no_other_teacher_avoids_is_reported_with_the_amount_and_the_reason() -> None:
    plan = run_plan(_tiny_school_county(all_degree=True), YEAR, Policy(), Locks())
    assert len(plan.moves) == 1
    (note,) = [n for n in plan.notes if "差异系数由" in n]
    assert "（+0." in note and "学校R1（5.00→10.00）" in note
    assert "已按差异系数改进求解" in note and "rises from" in note
    assert "全县小学教师 100% 计入该指标" in note  # why no other teacher avoids it


def test_the_comparison_and_the_english_summary_show_a_cv_rise() -> None:
    from rotation.plan_report import format_plan_summary
    from rotation.scenarios import format_comparison, plan_figures

    d = _tiny_school_county(all_degree=True)
    plan = run_plan(d, YEAR, Policy(), Locks())
    figures = plan_figures(plan)
    assert figures["cv_rises"].startswith("primary_degree:+0.")
    assert "差异系数由" in figures["cv_notes"]
    row = {"scenario_id": "S01", "label": "base", **figures}
    assert "primary_degree:+0." in format_comparison([row], "en")
    english = format_plan_summary(plan, d, "en")
    assert "primary degree: CV 0.000 → 0.262" in english and "rises from 0.000 to 0.262" in english
