"""Needs a plan leaves open are listed with their cause, in the summary, summary.json and
the workbook (issue 11, item 6: "岗位需求填补 19/23" and nothing said which four or why)."""

from __future__ import annotations

import json
from pathlib import Path

from builders import YEAR, county, math_teachers, need, rural, school
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from rotation.enums import Priority, Stage, Subject
from rotation.io import write_dataset
from rotation.locks import Lock, LockKind, Locks
from rotation.models import Dataset
from rotation.plan import Plan, UnfilledCause
from rotation.policy import Policy
from solver.options import SolveOptions
from solver.plan_year import plan_year

OPTIONS = SolveOptions(backend="highs", time_limit=20, relative_gap=0.0)


def causes(plan: Plan) -> dict[tuple[str, Subject], UnfilledCause]:
    return {(u.school_id, u.subject): u.cause for u in plan.unfilled}


def special_ed_county() -> Dataset:
    """Ten math teachers at U1; R1 wants one math and one special-education teacher, and
    nobody in the county teaches special education."""
    needs = [need("R1", 1), need("R1", 1, Subject.SPECIAL_ED)]
    return county([school("U1"), rural("R1")], math_teachers(10), needs)


def test_a_subject_nobody_teaches_is_named_as_the_cause() -> None:
    plan = plan_year(special_ed_county(), YEAR, Policy(backbone_share=0), None, OPTIONS)
    (open_need,) = plan.unfilled
    assert (open_need.school_id, open_need.subject, open_need.cause) == (
        "R1",
        Subject.SPECIAL_ED,
        UnfilledCause.NO_ELIGIBLE_TEACHER,
    )
    assert "全县没有符合交流条件的小学特殊教育教师" in open_need.reason_zh
    assert (open_need.count, open_need.filled) == (1, 0)


def test_the_distance_limit_is_named_when_it_keeps_every_teacher_away() -> None:
    d = county(
        [school("U1"), rural("R1"), rural("FAR", lat=25.0)],
        math_teachers(10),
        [need("R1", 1), need("FAR", 1)],
    )
    plan = plan_year(
        d,
        YEAR,
        Policy(backbone_share=0, max_distance_km=50, max_group_leave_share=1.0),
        None,
        OPTIONS,
    )
    assert causes(plan) == {("FAR", Subject.MATH): UnfilledCause.DISTANCE_LIMIT}
    assert "50公里" in plan.unfilled[0].reason_zh


def test_locks_are_named_when_they_hold_the_only_teachers() -> None:
    teachers = [*math_teachers(10), *math_teachers(2, prefix="E", subject=Subject.ENGLISH)]
    d = county(
        [school("U1"), rural("R1"), rural("R2")],
        teachers,
        [need("R1", 1, Subject.ENGLISH), need("R2", 1)],
    )
    stay = Locks(
        items=(
            Lock(kind=LockKind.STAY, teacher_id="E000"),
            Lock(kind=LockKind.STAY, teacher_id="E001"),
        )
    )
    plan = plan_year(d, YEAR, Policy(backbone_share=0), stay, OPTIONS)
    assert causes(plan)[("R1", Subject.ENGLISH)] is UnfilledCause.LOCKS
    blocked = Locks(items=(Lock(kind=LockKind.BLOCK_SCHOOL, school_id="R2"),))
    plan = plan_year(d, YEAR, Policy(backbone_share=0), blocked, OPTIONS)
    assert causes(plan)[("R2", Subject.MATH)] is UnfilledCause.LOCKS


def test_teachers_needed_more_elsewhere_are_named() -> None:
    # One may leave U1 (maximum ceil(0.1 × 10) = 1): R2 (三所学校) gets them, R1 stays open.
    schools = [school("U1"), rural("R1"), rural("R2", priority=Priority.CENTRAL_PRIMARY)]
    d = county(schools, math_teachers(10), [need("R1", 1), need("R2", 1)])
    plan = plan_year(d, YEAR, Policy(backbone_share=0, max_rotation_rate=0.1), None, OPTIONS)
    assert causes(plan) == {("R1", Subject.MATH): UnfilledCause.NEEDED_ELSEWHERE}
    assert "1人已交流到其他岗位" in plan.unfilled[0].reason_zh


def test_a_filled_plan_lists_nothing() -> None:
    d = county([school("U1"), rural("R1")], math_teachers(10), [need("R1", 1)])
    assert plan_year(d, YEAR, Policy(backbone_share=0), None, OPTIONS).unfilled == ()


def test_the_cli_summary_summary_json_and_workbook_list_the_open_needs(tmp_path: Path) -> None:
    data = write_dataset(special_ed_county(), tmp_path / "county")
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        app,
        [
            "plan",
            "--data",
            str(data),
            "--year",
            str(YEAR),
            "--out",
            str(out),
            "--quiet",
            "--set",
            "backbone_share=0",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "未填补岗位 1 个" in result.output and "R1" in result.output and "特殊教育" in result.output
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert [(u["school_id"], u["subject"], u["cause"]) for u in summary["unfilled_needs"]] == [
        ("R1", "special_ed", "no_eligible_teacher")
    ]
    sheet = load_workbook(out / "plan.xlsx")["未填补岗位"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3], r[6]) for r in rows] == [("R1", Subject.SPECIAL_ED.label_zh, 1)]
    assert Stage.PRIMARY.label_zh == rows[0][2]
