"""校长交流 carried into next year's roster by ``rotation apply``: leaders serve at their new
schools in their new posts from the plan year, a vice-principal promoted in place is 校长,
every school keeps one principal, and next year's plan does not find the same leaders due.
A principal_exchanges.csv that breaks a principals' rule is not applied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from builders import YEAR
from principal_cases import clean, leaders_county, move, stays
from typer.testing import CliRunner

from cli.main import app
from rotation.apply_plan import apply_moves
from rotation.checker import check_principals
from rotation.enums import Position
from rotation.io import read_dataset
from rotation.io.errors import DatasetError
from rotation.io.principal_files import read_principal_csv
from rotation.leader_moves import roll_leaders
from rotation.models import Dataset
from rotation.plan import Assignment, Plan
from rotation.policy import Policy
from rotation.principals import (
    LeaderMove,
    PrincipalExchange,
    leader_table,
    principals_by_school,
    recounted,
)
from solver.principal_exchange import plan_principals

runner = CliRunner()
PLAN_YEAR = 2026


@pytest.fixture(scope="module")
def applied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, str]:
    """The small county's 2026 plan (every kind of leadership move) applied for 2027."""
    tmp = tmp_path_factory.mktemp("leaders")
    data, plan, nxt = tmp / "county", tmp / "plan", tmp / "next"
    made = runner.invoke(app, ["sample", "--preset", "small", "--seed", "1", "--out", str(data)])
    assert made.exit_code == 0, made.output
    made = runner.invoke(
        app, ["plan", "--data", str(data), "--year", str(PLAN_YEAR), "--out", str(plan), "--quiet"]
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        app, ["apply", "--data", str(data), "--plan", str(plan / "plan.csv"), "--out", str(nxt)]
    )
    assert result.exit_code == 0, result.output
    return data, plan, nxt, result.output


def test_leaders_serve_at_their_new_schools_and_the_promoted_are_principals(
    applied: tuple[Path, Path, Path, str],
) -> None:
    data, plan, nxt, output = applied
    before, after = read_dataset(data), read_dataset(nxt)
    ex = read_principal_csv(plan / "principal_exchanges.csv")
    kinds = {m.kind for m in ex.moves}
    assert LeaderMove.PROMOTED_IN_PLACE in kinds and LeaderMove.PRINCIPAL in kinds
    for m in ex.moves:
        t = after.teacher[m.teacher_id]
        assert (t.school_id, t.position, t.post_start_year) == (
            m.to_school_id,
            m.new_position,
            PLAN_YEAR,
        ), m.teacher_id
        assert t.exchange_school_id is None
        if m.kind.leaves_school:
            assert (t.school_start_year, t.last_exchange_year) == (PLAN_YEAR, PLAN_YEAR)
        else:
            assert t.position is Position.PRINCIPAL
            assert t.school_start_year == before.teacher[m.teacher_id].school_start_year
    heads_before, heads_after = principals_by_school(before), principals_by_school(after)
    for sid, heads in heads_after.items():
        assert len(heads) <= max(1, len(heads_before[sid])), sid
        assert heads or not heads_before[sid], sid
    moved = sum(m.kind.leaves_school for m in ex.moves)
    promoted = sum(not m.kind.leaves_school for m in ex.moves)
    assert f"到新学校任职 {moved} 人，本校提任校长 {promoted} 人" in output


def test_next_years_plan_does_not_find_the_moved_leaders_due(
    applied: tuple[Path, Path, Path, str],
) -> None:
    data, plan, nxt, _ = applied
    ex = read_principal_csv(plan / "principal_exchanges.csv")
    after = read_dataset(nxt)
    year = PLAN_YEAR + 1
    status = leader_table(after, year, Policy())
    due_2026 = {
        tid for tid, st in leader_table(read_dataset(data), PLAN_YEAR, Policy()).items() if st.due
    }
    moved = {m.teacher_id for m in ex.moves}
    assert moved & due_2026
    for tid in moved:
        assert not status[tid].due and status[tid].years_in_post == 1, tid
    nxt_ex = plan_principals(after, year, Policy())
    listed = {n.teacher_id for n in nxt_ex.not_moved} | {
        m.teacher_id for m in nxt_ex.moves if m.kind.leaves_school
    }
    assert not listed & moved
    report = check_principals(after, Plan(year=year, assignments=(), principals=nxt_ex), Policy())
    assert report.ok, report.summary_zh()
    checked = runner.invoke(app, ["check-data", str(nxt), "--year", str(year)])
    assert checked.exit_code == 0, checked.output


def test_a_principal_exchange_file_that_breaks_a_rule_is_not_applied(
    applied: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    data, plan, _, _ = applied
    edited = tmp_path / "plan"
    shutil.copytree(plan, edited)
    csv = edited / "principal_exchanges.csv"
    lines = csv.read_text(encoding="utf-8-sig").splitlines()
    csv.write_text("\n".join([*lines[:2], lines[1], *lines[2:]]) + "\n", encoding="utf-8-sig")
    out = tmp_path / "next"
    result = runner.invoke(
        app, ["apply", "--data", str(data), "--plan", str(edited / "plan.csv"), "--out", str(out)]
    )
    assert result.exit_code == 3, result.output
    assert any(  # checked with the plan file: named by both of the leader's rows (2 and 3)
        x.strip().startswith("principal_exchanges.csv 第2、3行 [")
        and "principal_due]" in x
        and "同一人被安排2项校长交流" in x
        for x in result.output.splitlines()
    ), result.output
    assert not out.exists()


def test_an_unreadable_principal_exchange_file_names_its_row_and_column(tmp_path: Path) -> None:
    d = leaders_county()
    from rotation.io.principal_files import write_principal_csv

    path = write_principal_csv(
        Plan(year=YEAR, assignments=(), principals=clean(d)), tmp_path / "p.csv"
    )
    assert path is not None
    assert read_principal_csv(path).moves == clean(d).moves
    text = path.read_text(encoding="utf-8-sig").replace(f",{YEAR},", ",二〇二六,", 1)
    path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(DatasetError) as err:
        read_principal_csv(path)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("p.csv", 2, "start_year")


def _rolled(
    d: Dataset, ex: PrincipalExchange, policy: Policy, moves: tuple[Assignment, ...] = ()
) -> Dataset:
    ex = recounted(ex, d, YEAR, policy)
    assert check_principals(d, Plan(year=YEAR, assignments=moves, principals=ex), policy).ok
    return apply_moves(d, moves, YEAR, policy, ex)[0]


def test_service_at_a_rural_or_weak_school_counts_and_the_swap_keeps_one_principal_each() -> None:
    d = leaders_county()
    after = _rolled(d, clean(d), Policy())
    p1, p4 = after.teacher["P1"], after.teacher["P4"]
    assert (p1.school_id, p1.rural_service_years) == ("R2", 1)  # R2 is rural and weak
    assert (p4.school_id, p4.rural_service_years) == ("U1", 0)
    assert principals_by_school(after) == {
        "U1": ["P4"], "U2": ["P2"], "R1": ["P3"], "R2": ["P1"],
    }  # fmt: skip


def test_a_leader_the_teacher_plan_moves_leaves_the_post_when_leaders_count_in_the_quota() -> None:
    policy = Policy(principals_in_teacher_quota=True)
    d = leaders_county()
    gone = Assignment.of(d.teacher["P2"], "R1", YEAR, 3)  # U2's principal as a teacher
    ex = PrincipalExchange(
        moves=(move(d, "P1", "U2", LeaderMove.PRINCIPAL), move(d, "V1", "U1", LeaderMove.PROMOTED_IN_PLACE)),
        not_moved=(stays(d, "V1"), stays(d, "P4")),
    )  # fmt: skip
    after = _rolled(d, ex, policy, (gone,))
    p2 = after.teacher["P2"]
    assert (p2.position, p2.post_start_year, p2.exchange_school_id) == (
        Position.TEACHER,
        None,
        "R1",
    )
    assert principals_by_school(after)["U2"] == ["P1"]
    assert principals_by_school(after)["U1"] == ["V1"]


def test_an_exchange_that_would_leave_two_principals_is_a_bug_not_a_roster() -> None:
    d = leaders_county()
    two = PrincipalExchange(moves=(move(d, "P1", "U2", LeaderMove.PRINCIPAL),))
    with pytest.raises(RuntimeError, match="two"):
        roll_leaders(d, d.teacher, two, YEAR, Policy())
    elsewhere = PrincipalExchange(
        moves=(
            move(d, "P1", "U2", LeaderMove.PRINCIPAL).model_copy(update={"from_school_id": "R1"}),
        )
    )
    with pytest.raises(ValueError, match="does not match"):
        roll_leaders(d, d.teacher, elsewhere, YEAR, Policy())
