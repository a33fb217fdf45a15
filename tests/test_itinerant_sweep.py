"""走教 in what-if sweeps and the outlook (issue 18): every scenario and every outlook year
schedules 走教 after its plan, the checker judges it, and the figures reach the comparison,
the outlook's files and the API's results."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from builders import YEAR, rural, school, teacher
from typer.testing import CliRunner

import workflows.plan
from cli.arguments import EXIT_VIOLATIONS
from cli.main import app
from cli.whatif_commands import _outlook_lines
from rotation.checker import check_itinerant
from rotation.enums import Stage, Subject
from rotation.io import write_dataset
from rotation.itinerant import ItinerantSchedule
from rotation.models import Dataset, HourNeed
from rotation.outlook import ExchangeRecord, OutlookAssumptions, OutlookState, year_hour_needs
from rotation.policy import Policy
from rotation.scenarios import ITINERANT_COLUMNS, scenario_grid
from sample_data import generate
from solver.itinerant import plan_itinerant
from solver.options import SolveOptions
from solver.sweep import SweepResult
from workflows.exports import write_outlook
from workflows.outlook import run_outlook, run_outlook_sweep
from workflows.sweep import run_sweep

OPTIONS = SolveOptions(backend="highs", time_limit=5)
HOURS_GRID = ["itinerant_max_weekly_hours=2,8"]


@pytest.fixture(scope="module")
def tiny() -> Dataset:
    d = generate("tiny", seed=1, year=YEAR)
    assert d.hour_needs, "the tiny county states hour needs"
    return d


@pytest.fixture(scope="module")
def sweep(tiny: Dataset) -> SweepResult:
    return run_sweep(tiny, YEAR, Policy(), scenario_grid(HOURS_GRID), options=OPTIONS, executor="serial")


def test_each_scenario_schedules_itinerant_teaching_under_its_own_limit(
    sweep: SweepResult, tiny: Dataset
) -> None:
    low, high = sweep.outcomes
    for o in sweep.outcomes:
        assert o.ok, o.error
        assert o.plan is not None and o.plan.itinerant is not None and o.itinerant is not None
        policy = o.scenario.policy(Policy())
        # the checker judged the 走教 schedule with the scenario's policy, and it holds
        report = check_itinerant(tiny, YEAR, policy, o.plan.moves, o.plan.itinerant)
        assert report.ok, report.summary_zh()
        assert o.plan.check is not None and o.plan.check.ok
        assert set(report.checked_rules) <= set(o.plan.check.checked_rules)
        weekly: dict[str, int] = {}
        for v in o.plan.itinerant.visits:
            weekly[v.teacher_id] = weekly.get(v.teacher_id, 0) + v.hours
        assert max(weekly.values()) <= policy.itinerant_max_weekly_hours
        f = o.itinerant
        assert f.hours_needed == sum(h.hours for h in tiny.hour_needs)
        assert f.hours_by_transfer + f.hours_covered + f.hours_open == f.hours_needed
        assert f.arts_pe_below_with_itinerant <= f.arts_pe_below_after_plan
        # the comparison row says the same
        assert o.row["itinerant_hours_covered"] == f.hours_covered
        assert o.row["itinerant_teachers"] == f.teachers
        assert o.row["arts_pe_below_before_itinerant"] == f.arts_pe_below_after_plan
        assert o.row["arts_pe_below_with_itinerant"] == f.arts_pe_below_with_itinerant
    assert low.itinerant is not None and high.itinerant is not None
    assert low.scenario.overrides == {"itinerant_max_weekly_hours": 2}
    assert low.itinerant.hours_covered < high.itinerant.hours_covered
    dumped = json.loads(sweep.model_dump_json(exclude={"outcomes": {"__all__": {"plan"}}}))
    assert dumped["outcomes"][1]["itinerant"]["hours_covered"] == high.itinerant.hours_covered


def test_a_roster_without_hour_needs_leaves_the_itinerant_columns_blank(tiny: Dataset) -> None:
    bare = Dataset.build(tiny.schools, tiny.teachers, tiny.needs)
    result = run_sweep(bare, YEAR, Policy(), scenario_grid(["rotation_rate=0.1"]), options=OPTIONS, executor="serial")
    (o,) = result.outcomes
    assert o.ok and o.itinerant is None and o.plan is not None and o.plan.itinerant is None
    assert all(o.row[c] is None for c, _ in ITINERANT_COLUMNS)


def _spoiled(real: object) -> object:
    """plan_itinerant, then one visit given more hours than any teacher may give."""

    def spoil(*args: object, **kwargs: object) -> ItinerantSchedule:
        schedule = real(*args, **kwargs)  # type: ignore[operator]
        assert isinstance(schedule, ItinerantSchedule) and schedule.visits
        first = schedule.visits[0].model_copy(update={"hours": 30})
        return schedule.model_copy(update={"visits": (first, *schedule.visits[1:])})

    return spoil


def test_a_broken_itinerant_schedule_fails_its_scenario_in_the_whatif(
    tiny: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out = tmp_path / "tiny", tmp_path / "whatif"
    write_dataset(tiny, data)
    monkeypatch.setattr(workflows.plan, "plan_itinerant", _spoiled(plan_itinerant))
    argv = ["whatif", "--data", str(data), "--year", str(YEAR), "--out", str(out), "--quiet",
            "--time-limit", "5", "--executor", "serial", "--vary", HOURS_GRID[0]]  # fmt: skip
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == EXIT_VIOLATIONS, result.output
    assert "S01 失败或未通过校验" in result.output and "S02 失败或未通过校验" in result.output
    with (out / "comparison.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["独立校验通过 / check_ok"] for r in rows] == ["0", "0"]
    assert "走教安排课时 / itinerant_hours_covered" in rows[0]
    summary = json.loads((out / "scenarios" / "S01" / "summary.json").read_text(encoding="utf-8"))
    assert "itinerant_weekly_hours" in json.dumps(summary, ensure_ascii=False)


def test_the_whatif_command_compares_the_itinerant_figures(tiny: Dataset, tmp_path: Path) -> None:
    data, out = tmp_path / "tiny", tmp_path / "whatif"
    write_dataset(tiny, data)
    argv = ["whatif", "--data", str(data), "--year", str(YEAR), "--out", str(out), "--quiet",
            "--time-limit", "5", "--executor", "serial", "--vary", HOURS_GRID[0], "--no-plan-files"]  # fmt: skip
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert "走教课时" in result.output
    with (out / "comparison.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    covered = [int(r["走教安排课时 / itinerant_hours_covered"]) for r in rows]
    assert covered[0] < covered[1]
    comparison = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert [o["itinerant"]["hours_covered"] for o in comparison["outcomes"]] == covered


# ------------------------------------------------------------------ the outlook
def test_every_outlook_year_schedules_itinerant_teaching_and_files_carry_it(
    tiny: Dataset, tmp_path: Path
) -> None:
    result = run_outlook_sweep(
        tiny, YEAR, YEAR + 1, Policy(), scenario_grid(HOURS_GRID), OutlookAssumptions(),
        options=OPTIONS, executor="serial",
    )  # fmt: skip
    covered: list[list[int]] = []
    for o in result.outcomes:
        assert o.ok and o.outlook is not None, o.error
        outlook = o.outlook
        assert [y.year for y in outlook.itinerant] == [YEAR, YEAR + 1]
        for y, plan, figures in zip(outlook.years, outlook.plans, outlook.itinerant, strict=True):
            assert plan.itinerant is not None and plan.check is not None and plan.check.ok
            assert y["figures"]["check_ok"] is True
            assert y["figures"]["itinerant_hours_covered"] == figures.figures.hours_covered
            assert figures.figures.hours_covered > 0
        covered.append([y.figures.hours_covered for y in outlook.itinerant])
    assert all(a < b for a, b in zip(covered[0], covered[1], strict=True))
    assert result.outcomes[0].row["last_itinerant_hours_covered"] == covered[0][-1]
    printed = "\n".join(_outlook_lines(result.outcomes, YEAR, YEAR + 1, "zh"))
    assert f"走教 {covered[0][0]}/" in printed and "体艺指标未达标小学" in printed

    out = tmp_path / "outlook"
    write_outlook(result, tiny, out)
    with (out / "quotas.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["itinerant_hours_covered"]) for r in rows] == [*covered[0], *covered[1]]
    assert {r["arts_pe_below_with_itinerant"] for r in rows} != {""}
    assert (out / "scenarios" / "S01" / str(YEAR + 1) / "itinerant_schedule.csv").is_file()
    saved = json.loads((out / "outlook.json").read_text(encoding="utf-8"))
    kept = saved["outcomes"][1]["outlook"]["itinerant"]
    assert [y["figures"]["hours_covered"] for y in kept] == covered[1]


def test_an_outlook_year_with_a_broken_schedule_is_not_checked_ok(
    tiny: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workflows.plan, "plan_itinerant", _spoiled(plan_itinerant))
    result = run_outlook(tiny, YEAR, YEAR, Policy(), options=OPTIONS)
    (y,) = result.years
    assert y["figures"]["check_ok"] is False


def test_hour_needs_recur_less_what_exchange_teachers_still_there_cover() -> None:
    schools = [school("U1"), rural("V1"), rural("V2")]
    teachers = [teacher("M1", subject=Subject.MUSIC, school_id="V1")]
    needs = (
        HourNeed(school_id="V1", stage=Stage.PRIMARY, subject=Subject.MUSIC, hours=20),
        HourNeed(school_id="V2", stage=Stage.PRIMARY, subject=Subject.MUSIC, hours=10),
    )
    d = Dataset.build(schools, teachers, hour_needs=needs)
    on_exchange = (
        ExchangeRecord(teacher_id="M1", home_school_id="U1", dest_school_id="V1",
                       start_year=YEAR, end_year=YEAR + 2),
    )  # fmt: skip
    left: Mapping[str, int] = {
        h.school_id: h.hours for h in year_hour_needs(d, on_exchange, needs, Policy())
    }
    assert left == {"V1": 20 - 16, "V2": 10}  # a full load (16) less at V1
    assert {h.school_id: h.hours for h in year_hour_needs(d, (), needs, Policy())} == {
        "V1": 20,
        "V2": 10,
    }


def test_itinerant_parameters_vary_like_any_policy_key() -> None:
    grid = scenario_grid(["itinerant_subjects=music,pe", "itinerant_max_km=10,none"])
    policies = [s.policy(Policy()) for s in grid]
    # a list parameter's one alternative keeps its commas; none lifts the travel limit
    assert {p.itinerant_subjects for p in policies} == {(Subject.MUSIC, Subject.PE)}
    assert sorted(p.itinerant_max_km or 0 for p in policies) == [0, 10]
    timed = scenario_grid(["itinerant_time_limit=2,5"], ["itinerant_gap=0.05"])
    assert [s.policy(Policy()).itinerant_time_limit for s in timed] == [2.0, 5.0]


def test_a_teacher_on_exchange_gives_no_itinerant_hours_in_the_outlook() -> None:
    schools = [school("U1"), school("U2"), rural("V1", students=40)]
    teachers = [
        teacher("M1", subject=Subject.MUSIC, exchange_school_id="U2", exchange_end_year=YEAR + 1),
        teacher("M2", subject=Subject.MUSIC),
    ]  # fmt: skip
    needs = (HourNeed(school_id="V1", stage=Stage.PRIMARY, subject=Subject.MUSIC, hours=12),)
    d = Dataset.build(schools, teachers, hour_needs=needs)
    state = OutlookState.start(d, YEAR)
    assert state.dataset.teacher["M1"].school_id == "U2"  # teaching at the exchange school
    planned = state.plan_dataset()
    assert planned.teacher["M1"].itinerant_hours == 0 and planned.hour_needs == d.hour_needs
    schedule = plan_itinerant(planned, YEAR, Policy(), {})
    assert {v.teacher_id for v in schedule.visits} == {"M2"}  # 8 of the 12 hours
    # the state's own roster would have sent M1 from the exchange school too
    assert "M1" in {v.teacher_id for v in plan_itinerant(state.dataset, YEAR, Policy(), {}).visits}
