"""走教 (issue 18): hour needs read like needs.csv, the schedule the model makes, its files."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import YEAR, need, rural, school, teacher
from openpyxl import load_workbook
from typer.testing import CliRunner

from cli.main import app
from rotation.checker import check_itinerant
from rotation.enums import ItinerantReading, Stage, Subject, Weekday
from rotation.io import DatasetError, read_dataset, write_dataset
from rotation.itinerant import ItinerantVisit, arts_pe_below
from rotation.models import Dataset, HourNeed
from rotation.policy import Policy
from sample_data import generate
from solver.itinerant import plan_itinerant

runner = CliRunner()


def county(*, days: tuple[Weekday, ...] = ()) -> Dataset:
    """U1 (urban) has two music teachers; V1 and V2 are village schools 5.6 km away, each
    needing 6 weekly music hours; V2 takes visits only on ``days``."""
    schools = [school("U1"), rural("V1", students=40), rural("V2", students=40)]
    teachers = [teacher(f"M{k}", subject=Subject.MUSIC) for k in (1, 2)]
    hours = [
        HourNeed(school_id="V1", stage=Stage.PRIMARY, subject=Subject.MUSIC, hours=6),
        HourNeed(school_id="V2", stage=Stage.PRIMARY, subject=Subject.MUSIC, hours=6, days=days),
    ]
    return Dataset.build(schools, teachers, [need("V1")], hour_needs=hours)


def test_the_schedule_covers_the_hours_within_the_policy_and_the_checker_accepts_it() -> None:
    d, policy = county(days=(Weekday.WED,)), Policy(itinerant_max_weekly_hours=8)
    s = plan_itinerant(d, YEAR, policy, {})
    assert check_itinerant(d, YEAR, policy, {}, s).ok
    # 12 hours needed, 2 teachers × 8 hours: all covered; V2 only on Wednesdays, ≤ 4 hours a
    # visit, so its 6 hours take both teachers that day
    assert s.figures.hours_covered == 12 and s.figures.hours_open == 0
    at_v2 = [v for v in s.visits if v.school_id == "V2"]
    assert {v.day for v in at_v2} == {Weekday.WED} and len({v.teacher_id for v in at_v2}) == 2
    assert all(v.hours <= policy.itinerant_max_daily_hours for v in s.visits)
    assert s.figures.teachers == 2 and s.figures.schools_served == 2


def test_a_teacher_the_plan_transfers_does_not_itinerate_and_a_transfer_covers_the_hours() -> None:
    d, policy = county(), Policy()
    s = plan_itinerant(d, YEAR, policy, {"M1": "V1"})
    assert {v.teacher_id for v in s.visits} == {"M2"}
    assert "V1" not in {v.school_id for v in s.visits}  # the transferred teacher's 16 hours
    assert s.figures.hours_by_transfer == 6
    assert check_itinerant(d, YEAR, policy, {"M1": "V1"}, s).ok


def test_a_teachers_stated_spare_hours_bound_the_schedule() -> None:
    d = county()
    teachers = [
        t.model_copy(update={"itinerant_hours": 0 if t.teacher_id == "M1" else 3})
        for t in d.teachers
    ]
    d = Dataset.build(d.schools, teachers, d.needs, hour_needs=d.hour_needs)
    s = plan_itinerant(d, YEAR, Policy(), {})
    assert {v.teacher_id for v in s.visits} == {"M2"}
    assert s.figures.hours_covered == 3


def test_hours_counted_as_a_fraction_lift_a_school_over_the_pe_arts_standard() -> None:
    d = county()
    visits = [
        ItinerantVisit(teacher_id="M1", name="x", home_school_id="U1", school_id="V1",
                       stage=Stage.PRIMARY, subject=Subject.MUSIC, day=Weekday.MON, hours=4)
    ]  # fmt: skip
    total, before = arts_pe_below(d, Policy())
    _, after = arts_pe_below(d, Policy(), {}, visits)
    # V1: 40 students, 4/16 of a teacher = 0.625 per 100 < 0.9; 8 hours = 1.25 ≥ 0.9
    assert (total, before, after) == (3, 3, 3)
    _, after = arts_pe_below(
        d, Policy(), {}, [*visits, visits[0].model_copy(update={"day": Weekday.TUE})]
    )
    assert after == 2


HEADER = "学校编号,学段,学科,每周课时,可走教日\n"


def _roster(tmp_path: Path, hours_csv: str) -> Path:
    folder = tmp_path / "roster"
    write_dataset(generate("tiny", seed=1), folder)
    (folder / "hours_needs.csv").write_text(hours_csv, encoding="utf-8")
    return folder


def test_hours_needs_csv_is_read_with_chinese_headers_and_days() -> None:
    d = generate("tiny", seed=1)
    assert d.hour_needs, "the sample county states village hour needs"
    assert all(d.school[h.school_id].area.value == "rural" for h in d.hour_needs)
    assert any(t.itinerant_hours is not None for t in d.teachers)


def test_a_roster_written_and_read_back_keeps_its_hour_needs(tmp_path: Path) -> None:
    d = generate("tiny", seed=1)
    write_dataset(d, tmp_path / "r")
    back = read_dataset(tmp_path / "r")
    assert back.hour_needs == d.hour_needs
    assert [t.itinerant_hours for t in back.teachers] == [t.itinerant_hours for t in d.teachers]


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [
        ("NOPE,小学,音乐,6,", "school_id", "学校表中已有的学校编号"),
        ("S005,小学,音乐,6,周八", "days", "周一至周五"),
        ("S005,小学,音乐,0,", "hours", ""),
        ("S005,初中,音乐,6,", "stage", "开设的学段"),
    ],
)
def test_a_bad_hour_need_names_file_row_and_column_and_nothing_is_loaded(
    tmp_path: Path, line: str, column: str, words: str
) -> None:
    folder = _roster(tmp_path, HEADER + "S005,小学,美术,4,周一\n" + line + "\n")
    with pytest.raises(DatasetError) as err:
        read_dataset(folder)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("hours_needs.csv", 3, column)
    assert words in problem.expected
    assert problem.expected_en


def test_a_duplicate_hour_need_is_refused(tmp_path: Path) -> None:
    folder = _roster(tmp_path, HEADER + "S005,小学,音乐,4,\nS005,primary,music,2,\n")
    with pytest.raises(DatasetError) as err:
        read_dataset(folder)
    assert [(p.row, p.kind) for p in err.value.problems] == [(3, "duplicate")]


def test_rotation_plan_writes_the_itinerant_schedule_sheet_and_line(tmp_path: Path) -> None:
    data, out = tmp_path / "small", tmp_path / "plan"
    write_dataset(generate("small", seed=1), data)
    result = runner.invoke(
        app, ["plan", "--data", str(data), "--year", "2026", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "走教：课时需求" in result.output
    rows = (out / "itinerant_schedule.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("teacher_id,name,home_school_id,home_school,school_id,school")
    assert len(rows) > 1
    wb = load_workbook(out / "plan.xlsx", read_only=True)
    assert "走教安排" in wb.sheetnames
    # an old roster (no hours_needs.csv) plans as before, without the file
    (data / "hours_needs.csv").unlink()
    again = runner.invoke(
        app, ["plan", "--data", str(data), "--year", "2026", "--out", str(out), "--quiet"]
    )
    assert again.exit_code == 0, again.output
    assert not (out / "itinerant_schedule.csv").exists()
    assert "走教" not in again.output


def test_the_policy_reading_decides_which_figure_counts() -> None:
    d = generate("small", seed=1)
    staff = plan_itinerant(d, YEAR, Policy(), {})
    fraction = plan_itinerant(
        d, YEAR, Policy(itinerant_reading=ItinerantReading.HOURS_FRACTION), {}
    )
    assert staff.figures.arts_pe_below_counted == staff.figures.arts_pe_below_after_plan
    assert fraction.figures.arts_pe_below_counted == fraction.figures.arts_pe_below_with_itinerant
    assert (
        fraction.figures.arts_pe_below_with_itinerant <= fraction.figures.arts_pe_below_after_plan
    )


def test_check_data_states_the_hour_needs(tmp_path: Path) -> None:
    d = generate("tiny", seed=1)
    write_dataset(d, tmp_path / "r")
    result = runner.invoke(app, ["check-data", str(tmp_path / "r"), "--year", "2026"])
    assert result.exit_code == 0, result.output
    total = sum(h.hours for h in d.hour_needs)
    assert (
        "走教课时需求（hours_needs.csv）" in result.output and f"共 {total} 节/周" in result.output
    )
