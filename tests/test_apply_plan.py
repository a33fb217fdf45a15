"""The adopted plan becomes next year's roster: movers serve at their destination until the
term ends, ended terms return home with the cooldown started, filled needs are taken off, and
the roster reads back through the importer. A plan that breaks a rule is not applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import YEAR, county, need, rural, school, teacher
from typer.testing import CliRunner

from cli.main import app
from rotation.apply_plan import apply_moves
from rotation.eligibility import eligibility_table
from rotation.enums import Subject
from rotation.io import read_dataset
from rotation.io.plan_files import write_plan_csv
from rotation.models import Dataset
from rotation.plan import Assignment, Plan
from rotation.policy import Policy

runner = CliRunner()


def _two_schools() -> tuple:
    ds = county(
        [school("U1"), rural("R1")],
        [
            teacher("T1", "U1"),
            teacher("T2", "U1"),
            teacher("T3", "U1", exchange_school_id="R1", exchange_end_year=YEAR),
            teacher("T4", "U1", exchange_school_id="R1", exchange_end_year=YEAR + 2),
        ],
        [need("R1", 2)],
    )
    return ds, Assignment.of(ds.teacher["T1"], "R1", YEAR, 3)


def test_a_mover_serves_at_the_destination_until_the_term_ends_and_keeps_the_home_post() -> None:
    ds, move = _two_schools()
    nxt, applied = apply_moves(ds, [move], YEAR)
    t1 = nxt.teacher["T1"]
    assert (t1.school_id, t1.exchange_school_id, t1.exchange_end_year) == ("U1", "R1", YEAR + 2)
    assert t1.school_start_year == ds.teacher["T1"].school_start_year
    assert nxt.teacher["T2"] == ds.teacher["T2"]
    assert applied.started == 1 and applied.next_year == YEAR + 1
    reasons = eligibility_table(nxt, YEAR + 1, Policy())["T1"].reasons
    assert any("正在交流期内" in r for r in reasons)


def test_an_ended_term_returns_home_and_starts_the_cooldown_while_a_longer_one_goes_on() -> None:
    ds, move = _two_schools()
    nxt, applied = apply_moves(ds, [move], YEAR)
    t3, t4 = nxt.teacher["T3"], nxt.teacher["T4"]
    assert (t3.exchange_school_id, t3.exchange_end_year, t3.last_exchange_year) == (
        None,
        None,
        YEAR,
    )
    assert (t4.exchange_school_id, t4.exchange_end_year) == ("R1", YEAR + 2)
    assert (applied.returned, applied.still_away) == (1, 1)


def test_a_one_year_term_is_over_by_next_year() -> None:
    ds, _ = _two_schools()
    one_year = Assignment.of(ds.teacher["T2"], "R1", YEAR, 1)
    nxt, applied = apply_moves(ds, [one_year], YEAR)
    t2 = nxt.teacher["T2"]
    assert (t2.exchange_school_id, t2.last_exchange_year) == (None, YEAR)
    assert applied.returned == 2  # T2 and T3


def test_declared_needs_lose_the_posts_the_plan_filled() -> None:
    ds, move = _two_schools()
    nxt, applied = apply_moves(ds, [move], YEAR)
    assert [(n.school_id, n.count) for n in nxt.needs] == [("R1", 1)]
    assert applied.needs_filled == 1


def test_the_command_applies_a_plan_and_the_roster_reads_back(tmp_path: Path) -> None:
    data, plan, nxt = tmp_path / "county", tmp_path / "plan", tmp_path / "next"
    assert (
        runner.invoke(
            app, ["sample", "--preset", "tiny", "--seed", "3", "--out", str(data)]
        ).exit_code
        == 0
    )
    made = runner.invoke(
        app, ["plan", "--data", str(data), "--year", "2026", "--out", str(plan), "--quiet"]
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        app, ["apply", "--data", str(data), "--plan", str(plan / "plan.csv"), "--out", str(nxt)]
    )
    assert result.exit_code == 0, result.output
    before, after = read_dataset(data), read_dataset(nxt)
    moved = {
        r.split(",")[0]
        for r in (plan / "plan.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    }
    assert moved
    for tid in moved:
        assert after.teacher[tid].exchange_school_id is not None
        assert after.teacher[tid].school_id == before.teacher[tid].school_id
    assert f"开始交流 started: {len(moved)} 人" in result.output
    again = runner.invoke(app, ["check-data", str(nxt), "--year", "2027"])
    assert again.exit_code == 0, again.output
    assert f"正在交流期内: {len(moved)}" in again.output


def test_a_plan_that_breaks_a_rule_is_not_applied_and_nothing_is_written(tmp_path: Path) -> None:
    ds, _ = _two_schools()
    data = tmp_path / "county"
    from rotation.io import write_dataset

    write_dataset(ds, data)
    # T3 is on exchange now: not eligible, so this move breaks the eligibility rule
    bad = Plan(year=YEAR, assignments=(Assignment.of(ds.teacher["T3"], "R1", YEAR, 3),))
    write_plan_csv(bad, tmp_path / "plan.csv")
    out = tmp_path / "next"
    result = runner.invoke(
        app, ["apply", "--data", str(data), "--plan", str(tmp_path / "plan.csv"), "--out", str(out)]
    )
    assert result.exit_code == 3, result.output
    assert "未落实" in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".next-")]


def test_the_services_apply_takes_a_plan_in_memory_and_applies_it_as_its_plan_csv() -> None:
    from workflows.apply import apply_plan

    ds, move = _two_schools()
    done = apply_plan(ds, Plan(year=YEAR, assignments=(move,)), Policy())
    assert done.outcome.applied is not None and done.roster is not None
    assert done.outcome.applied.started == 1
    assert done.roster.teacher["T1"].exchange_school_id == "R1"
    assert len(done.checksum) == 64
    bad = Plan(year=YEAR, assignments=(Assignment.of(ds.teacher["T3"], "R1", YEAR, 3),))
    refused = apply_plan(ds, bad, Policy())
    assert refused.roster is None and refused.outcome.applied is None
    assert {f.rule for f in refused.outcome.verdict.findings} >= {"eligibility"}


def test_the_services_apply_reports_each_step_and_stops_between_steps_when_asked() -> None:
    from workflows.apply import ApplyPhase, ApplyStopped, apply_plan

    ds, move = _two_schools()
    plan = Plan(year=YEAR, assignments=(move,))
    heard: list[ApplyPhase] = []
    done = apply_plan(ds, plan, Policy(), progress=heard.append, should_stop=lambda: False)
    assert done.roster is not None
    assert heard == [ApplyPhase.CHECK, ApplyPhase.BUILD, ApplyPhase.READ_BACK]
    assert [p.step for p in ApplyPhase] == [1, 2, 3, 4]
    assert all(" / " in p.words for p in ApplyPhase)

    heard.clear()
    asked = iter([False, True])  # go on to build, stop before reading back
    with pytest.raises(ApplyStopped, match="stopped before reading the roster back"):
        apply_plan(ds, plan, Policy(), progress=heard.append, should_stop=lambda: next(asked))
    assert heard == [ApplyPhase.CHECK, ApplyPhase.BUILD]


def test_a_support_post_is_open_again_next_year_and_the_hour_needs_carry_over() -> None:
    """A 支教 comes back after one year, so the post it filled is open again; a three-year
    mover keeps the post filled, and the 走教 hours of that school lose the mover's full load."""
    from rotation.models import HourNeed

    ds, move = _two_schools()
    hours = [
        HourNeed(school_id="R1", stage=move.stage, subject=move.subject, hours=20),
        HourNeed(school_id="R1", stage=move.stage, subject=Subject.MUSIC, hours=6),
    ]
    ds = Dataset.build(ds.schools, ds.teachers, ds.needs, hour_needs=hours)
    support = Assignment.of(ds.teacher["T2"], "R1", YEAR, 1)
    nxt, applied = apply_moves(ds, [move, support], YEAR)
    assert [(n.school_id, n.count) for n in nxt.needs] == [("R1", 1)]  # T2's post is open again
    assert (applied.needs_filled, applied.needs_left) == (1, 1)
    full = Policy().itinerant_full_load_hours
    left = {(h.subject, h.hours) for h in nxt.hour_needs}
    assert left == {(move.subject, 20 - full), (Subject.MUSIC, 6)}
    assert applied.hours_left == 20 - full + 6


def test_a_roster_whose_declared_posts_are_all_filled_is_warned_about(tmp_path: Path) -> None:
    """Every declared post filled: next year's needs.csv is empty and a plan on it would
    move nobody; apply and check-data both say so, and what to do."""
    from rotation.io import write_dataset

    ds, move = _two_schools()
    ds = Dataset.build(ds.schools, ds.teachers, [need("R1", 1)])
    data, out = tmp_path / "county", tmp_path / "next"
    write_dataset(ds, data)
    write_plan_csv(Plan(year=YEAR, assignments=(move,)), tmp_path / "plan.csv")
    result = runner.invoke(
        app, ["apply", "--data", str(data), "--plan", str(tmp_path / "plan.csv"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "需求都已填补" in result.output and "delete needs.csv" in result.output
    checked = runner.invoke(app, ["check-data", str(out), "--year", str(YEAR + 1)])
    assert "岗位需求表没有任何需求" in checked.output, checked.output


def test_a_teacher_placed_in_shadowing_has_the_application_fulfilled_next_year() -> None:
    """A 跟岗学习 placement clears seeks_shadowing: next year's plan would otherwise place the
    same rural teacher again, unasked (the officer trial found it still set)."""
    from rotation.exchange_forms import ShadowingPlacement

    ds = county(
        [school("U1"), rural("R1")],
        [teacher("T1", "R1", seeks_shadowing=True), teacher("T2", "R1", seeks_shadowing=True)],
        [],
    )
    placed = ShadowingPlacement(
        teacher_id="T1", name="教师T1", from_school_id="R1", host_school_id="U1",
        stage=ds.teacher["T1"].stage, subject=ds.teacher["T1"].subject, year=YEAR,
    )  # fmt: skip
    nxt, applied = apply_moves(ds, [], YEAR, shadowing=[placed])
    assert (nxt.teacher["T1"].seeks_shadowing, nxt.teacher["T2"].seeks_shadowing) == (False, True)
    assert applied.shadowing_done == 1
