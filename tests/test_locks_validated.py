"""Locks are validated before anything is solved: every problem at once, each with the
lock file's row, in Chinese and English; the plan command refuses with exit 1 and
writes nothing. These are the cases measured in issue 11, item 4."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import YEAR, county, math_teachers, need, rural, school, teacher
from typer.testing import CliRunner

from cli.main import app
from rotation.checker import check_plan
from rotation.enums import SchoolStage
from rotation.io import write_dataset
from rotation.locks import (
    Lock,
    LockError,
    LockKind,
    LockProblemKind,
    Locks,
    read_locks,
    validate_locks,
)
from rotation.models import Dataset
from rotation.policy import Policy
from solver.options import SolveOptions
from solver.plan_year import plan_year

OPTIONS = SolveOptions(backend="highs", time_limit=20, relative_gap=0.0)


def dataset() -> Dataset:
    """U1 sends ten eligible primary math teachers and one too new to go (N1); R1 has one
    math post, R2 two, BLK one (and will be blocked); J1 is a junior school with a post."""
    schools = [
        school("U1"),
        rural("R1"),
        rural("R2"),
        rural("BLK"),
        rural("J1", stage=SchoolStage.JUNIOR),
    ]
    teachers = [*math_teachers(10), teacher("N1", school_start_year=2023)]
    needs = [need("R1", 1), need("R2", 2), need("BLK", 1), need("U1", 1)]
    return county(schools, teachers, needs)


def locks_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "locks.csv"
    path.write_text("kind,teacher_id,school_id,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# every case of the issue, one per row, in one file: rows 2..
BAD_ROWS = [
    "assign,N1,R1,not eligible",  # 2
    "block_school,,BLK,",  # 3
    "assign,T001,BLK,into the blocked school",  # 4
    "assign,T002,J1,primary teacher to a junior school",  # 5
    "assign,T003,U1,own school",  # 6
    "stay,T004,,",  # 7
    "assign,T004,R2,stay and assign",  # 8
    "assign,T005,R2,",  # 9
    "assign,T005,R1,second destination",  # 10
    "assign,T006,R1,",  # 11: R1 has one post, T005's second row did not take it
    "assign,T007,R1,one too many for R1",  # 12
]
EXPECTED = [
    (2, LockProblemKind.NOT_ELIGIBLE),
    (4, LockProblemKind.BLOCKED_SCHOOL),
    (5, LockProblemKind.STAGE_NOT_OFFERED),
    (6, LockProblemKind.OWN_SCHOOL),
    (8, LockProblemKind.STAY_AND_ASSIGN),
    (10, LockProblemKind.TWO_DESTINATIONS),
    (12, LockProblemKind.OVER_NEED_COUNT),
]


def test_every_problem_of_the_issue_is_reported_at_once_with_its_row(tmp_path: Path) -> None:
    d = dataset()
    locks = read_locks(locks_file(tmp_path, BAD_ROWS), d)
    problems = validate_locks(d, YEAR, Policy(), locks)
    assert [(p.row, p.kind) for p in problems] == EXPECTED
    assert all(p.severity == "error" for p in problems)
    not_eligible = problems[0]
    assert "在本校任教未满6年" in not_eligible.message_zh and "N1" in not_eligible.message_en
    assert not_eligible.message().startswith("锁定文件第2行：")


def test_a_lock_into_a_school_without_a_matching_need_is_an_error_by_default() -> None:
    d = county([school("U1"), rural("R1"), rural("R3")], math_teachers(10), [need("R1", 1)])
    locks = Locks(items=(Lock(kind=LockKind.ASSIGN, teacher_id="T000", school_id="R3"),))
    (problem,) = validate_locks(d, YEAR, Policy(), locks)
    assert (problem.kind, problem.severity, problem.number) == (
        LockProblemKind.NO_MATCHING_NEED,
        "error",
        1,
    )
    assert "locks_outside_needs" in problem.message_en
    with pytest.raises(LockError):
        plan_year(d, YEAR, Policy(), locks, OPTIONS)


def test_the_policy_may_allow_locks_outside_declared_needs_with_a_warning() -> None:
    d = county([school("U1"), rural("R1"), rural("R3")], math_teachers(10), [need("R1", 1)])
    locks = Locks(items=(Lock(kind=LockKind.ASSIGN, teacher_id="T000", school_id="R3"),))
    policy = Policy(locks_outside_needs=True)
    (problem,) = validate_locks(d, YEAR, policy, locks)
    assert (problem.kind, problem.severity) == (LockProblemKind.NO_MATCHING_NEED, "warning")
    plan = plan_year(d, YEAR, policy, locks, OPTIONS)
    assert plan.moves["T000"] == "R3"
    assert any("R3" in n for n in plan.notes)
    assert check_plan(d, plan, policy, locks).ok


def test_two_assign_rows_for_one_teacher_are_refused_not_dropped() -> None:
    d = dataset()
    locks = Locks(
        items=(
            Lock(kind=LockKind.ASSIGN, teacher_id="T000", school_id="R1"),
            Lock(kind=LockKind.ASSIGN, teacher_id="T000", school_id="R2"),
        )
    )
    with pytest.raises(LockError) as refused:
        plan_year(d, YEAR, Policy(), locks, OPTIONS)
    assert [(p.number, p.kind) for p in refused.value.problems] == [
        (2, LockProblemKind.TWO_DESTINATIONS)
    ]


def test_more_assign_rows_than_a_needs_count_are_refused_not_silently_reduced() -> None:
    d = dataset()
    locks = Locks(
        items=tuple(
            Lock(kind=LockKind.ASSIGN, teacher_id=f"T00{k}", school_id="R2") for k in range(3)
        )
    )
    problems = validate_locks(d, YEAR, Policy(), locks)
    assert [(p.number, p.kind) for p in problems] == [(3, LockProblemKind.OVER_NEED_COUNT)]


def test_unknown_and_missing_ids_are_problems_too() -> None:
    d = dataset()
    locks = Locks(
        items=(
            Lock(kind=LockKind.STAY, teacher_id="NOBODY"),
            Lock(kind=LockKind.ASSIGN, teacher_id="T000"),
            Lock(kind=LockKind.BLOCK_SCHOOL, school_id="NOWHERE"),
        )
    )
    kinds = [(p.number, p.kind) for p in validate_locks(d, YEAR, Policy(), locks)]
    assert kinds == [
        (1, LockProblemKind.UNKNOWN_TEACHER),
        (2, LockProblemKind.MISSING_SCHOOL),
        (3, LockProblemKind.UNKNOWN_SCHOOL),
    ]


def test_valid_locks_give_a_plan_that_keeps_every_lock_and_every_rule() -> None:
    d = dataset()
    locks = Locks(
        items=(
            Lock(kind=LockKind.ASSIGN, teacher_id="T000", school_id="R2"),
            Lock(kind=LockKind.STAY, teacher_id="T001"),
            Lock(kind=LockKind.BLOCK_SCHOOL, school_id="BLK"),
        )
    )
    assert validate_locks(d, YEAR, Policy(), locks) == []
    plan = plan_year(d, YEAR, Policy(max_group_leave_share=1.0), locks, OPTIONS)
    assert (
        plan.moves["T000"] == "R2" and "T001" not in plan.moves and "BLK" not in plan.moves.values()
    )
    assert check_plan(d, plan, Policy(max_group_leave_share=1.0), locks).ok


def test_the_plan_command_refuses_bad_locks_with_exit_1_and_writes_nothing(tmp_path: Path) -> None:
    data = write_dataset(dataset(), tmp_path / "county")
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        app,
        ["plan", "--data", str(data), "--year", str(YEAR), "--out", str(out), "--quiet",
         "--locks", str(locks_file(tmp_path, BAD_ROWS))],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert not out.exists()
    assert "锁定有 7 处问题" in result.output
    for row, _ in EXPECTED:
        assert f"锁定文件第{row}行" in result.output
    assert "Traceback" not in result.output
