"""``rotation check-plan``: a plan edited by hand in Excel is re-checked row by row."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cli.main import app
from rotation.eligibility import eligibility_table
from rotation.io import read_dataset, write_dataset
from rotation.policy import Policy
from sample_data import generate
from workflows.check import check_plan_file

YEAR = 2026
runner = CliRunner()


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("check-plan")
    data = write_dataset(generate("small", seed=1, year=YEAR), root / "data")
    result = runner.invoke(
        app,
        ["plan", "--data", str(data), "--year", str(YEAR), "--out", str(root / "plan"), "--quiet"],
    )
    assert result.exit_code == 0, result.output
    return data, root / "plan"


def edit_workbook(plan_dir: Path, out: Path) -> dict[str, object]:
    """Spoil the exported workbook as an officer might: a move to the teacher's own school
    (row 2), a school that does not exist (row 3), and an ineligible teacher appended."""
    dataset = read_dataset(plan_dir.parent / "data")
    wb = openpyxl.load_workbook(plan_dir / "plan.xlsx")
    ws = wb["交流名单"]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    own = ws.cell(2, col["原学校编号"]).value
    ws.cell(2, col["交流学校编号"]).value = own
    ws.cell(2, col["交流学校"]).value = None
    ws.cell(3, col["交流学校编号"]).value = "S999"
    ws.cell(3, col["交流学校"]).value = None
    table = eligibility_table(dataset, YEAR, Policy())
    stranger = next(t for t in dataset.teachers if not table[t.teacher_id].eligible)
    row: list[object] = [None] * len(header)
    row[col["教师编号"] - 1] = stranger.teacher_id
    row[col["交流学校编号"] - 1] = ws.cell(4, col["交流学校编号"]).value
    ws.append(row)
    wb.save(out)
    return {
        "appended_row": ws.max_row,
        "stranger": stranger.teacher_id,
        "moved_row2": ws.cell(2, col["教师编号"]).value,
    }


def test_the_exported_workbook_and_csv_check_clean(planned: tuple[Path, Path]) -> None:
    data, plan = planned
    for name in ("plan.xlsx", "plan.csv"):
        result = runner.invoke(app, ["check-plan", "--data", str(data), "--plan", str(plan / name)])
        assert result.exit_code == 0, result.output
        assert "独立校验：通过" in result.output
        # the forms beside the plan were read and checked too
        where = ("principal_exchanges.csv", "itinerant_schedule.csv", "跟岗学习.csv")
        if name == "plan.xlsx":
            where = ("plan.xlsx[校长交流]", "plan.xlsx[走教安排]", "plan.xlsx[跟岗学习]")
        assert all(w in result.output for w in where), result.output


def test_an_edited_workbook_names_every_violation_by_row_and_rule(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    edited = tmp_path / "edited.xlsx"
    facts = edit_workbook(plan, edited)
    result = runner.invoke(app, ["check-plan", "--data", str(data), "--plan", str(edited)])
    assert result.exit_code == 3, result.output
    lines = result.output.splitlines()

    def lines_of(row: int, rule: str) -> str:
        hits = [x for x in lines if f"第{row}行" in x and f" {rule}]" in x]
        assert hits, (row, rule, result.output)
        return "\n".join(hits)

    assert "交流到本校" in lines_of(2, "destination")
    assert "S999 不存在" in lines_of(3, "roster")
    assert "不符合交流条件" in lines_of(int(str(facts["appended_row"])), "eligibility")


def test_compliance_is_recomputed_from_the_edited_plan(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    dataset = read_dataset(data)
    wb = openpyxl.load_workbook(plan / "plan.xlsx")
    ws = wb["交流名单"]
    ws.delete_rows(2, ws.max_row - 1)  # the officer removed every move
    wb.save(tmp_path / "empty.xlsx")
    result = check_plan_file(dataset, tmp_path / "empty.xlsx", Policy(), year=YEAR)
    assert result.moves == 0
    assert all(r.rotated == 0 for r in result.compliance)
    unmet = [r for r in result.compliance if not r.met]
    assert unmet and all("人工调整后的方案未达标" in r.shortfall_reason for r in unmet)
    assert result.ok  # a shortfall the file reports is not a violation of a hard rule


def test_an_unreadable_plan_file_is_refused_with_its_row(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    bad = tmp_path / "plan.csv"
    text = (plan / "plan.csv").read_text(encoding="utf-8").splitlines()
    cells = text[1].split(",")
    cells[8] = "二〇二六"  # start_year
    bad.write_text("\n".join([text[0], ",".join(cells), *text[2:]]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check-plan", "--data", str(data), "--plan", str(bad)])
    assert result.exit_code == 1
    assert "plan.csv 第2行" in result.output and "start_year" in result.output


# ------------------------------------------------------------------ the forms beside the plan
def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def check_folder(data: Path, folder: Path) -> tuple[int, str]:
    result = runner.invoke(
        app, ["check-plan", "--data", str(data), "--plan", str(folder / "plan.csv")]
    )
    return result.exit_code, result.output


def test_a_school_left_without_a_principal_is_named_with_its_row_in_principal_exchanges_csv(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    rows = read_rows(folder / "principal_exchanges.csv")
    # a school whose principal leaves: the officer deletes the row of the one who was to
    # take over, so the school is left without a principal and nobody says why
    leaving = next(r for r in rows if r["kind"] == "principal")
    school = leaving["from_school_id"]
    kept = [
        r for r in rows
        if not (r["to_school_id"] == school and r["new_position"] == "principal" and r is not leaving)
    ]  # fmt: skip
    assert len(kept) < len(rows)
    write_rows(folder / "principal_exchanges.csv", kept)
    code, output = check_folder(data, folder)
    assert code == 3, output
    [line] = [x for x in output.splitlines() if f"one_principal_per_school] {school}" in x]
    row = kept.index(leaving) + 2
    where = re.match(r"\s*principal_exchanges\.csv 第([\d、]+)行", line)
    assert where and str(row) in where.group(1).split("、"), line
    assert "交流后没有校长" in line
    verdict = check_plan_file(read_dataset(data), folder / "plan.csv", Policy())
    [finding] = [f for f in verdict.findings if f.rule == "one_principal_per_school"]
    assert finding.file == "principal_exchanges.csv" and row in finding.rows


def test_a_teacher_given_too_many_hours_is_named_with_its_row_in_itinerant_schedule_csv(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    rows = read_rows(folder / "itinerant_schedule.csv")
    teacher = rows[0]["teacher_id"]
    rows[0]["hours"] = "99"  # one day of 99 hours: past the weekly and the daily limit
    write_rows(folder / "itinerant_schedule.csv", rows)
    last = max(k for k, r in enumerate(rows, start=2) if r["teacher_id"] == teacher)
    code, output = check_folder(data, folder)
    assert code == 3, output
    lines = output.splitlines()
    assert any(
        f"itinerant_schedule.csv 第{last}行 [每周走教课时上限 itinerant_weekly_hours] {teacher}"
        in x
        and "每周走教" in x
        for x in lines
    ), output
    assert any(
        f"itinerant_schedule.csv 第2行 [走教日安排 itinerant_days] {teacher}" in x for x in lines
    ), output
    english = runner.invoke(
        app, ["check-plan", "--data", str(data), "--plan", str(folder / "plan.csv"), "--lang", "en"]
    )
    assert f"itinerant_schedule.csv row {last} [itinerant_weekly_hours] {teacher}" in english.output


def test_a_teacher_sent_to_too_many_schools_is_named_with_the_row_past_the_limit(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    rows = read_rows(folder / "itinerant_schedule.csv")
    first = rows[0]
    others = sorted({r["school_id"] for r in rows} - {first["school_id"]})
    limit = Policy().itinerant_max_schools
    assert len(others) >= limit, "the small county has enough schools with 走教 needs"
    extra = [first | {"school_id": sid, "hours": "1"} for sid in others[:limit]]
    write_rows(folder / "itinerant_schedule.csv", [*rows, *extra])  # appended at the end
    verdict = check_plan_file(read_dataset(data), folder / "plan.csv", Policy())
    [finding] = [f for f in verdict.findings if f.rule == "itinerant_schools"]
    assert finding.subject == first["teacher_id"]
    assert (finding.file, finding.rows) == ("itinerant_schedule.csv", [len(rows) + limit + 1])
    assert f"超过上限 {limit} 所" in finding.message


def test_a_principal_sent_to_the_own_school_in_the_workbook_is_named_by_sheet_and_row(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    wb = openpyxl.load_workbook(plan / "plan.xlsx")
    ws = wb["校长交流"]
    col = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["类别"]).value == "校长交流")
    teacher = ws.cell(row, col["教师编号"]).value
    ws.cell(row, col["交流学校"]).value = ws.cell(row, col["原学校"]).value
    wb.save(tmp_path / "plan.xlsx")
    result = runner.invoke(
        app, ["check-plan", "--data", str(data), "--plan", str(tmp_path / "plan.xlsx")]
    )
    assert result.exit_code == 3, result.output
    assert any(
        f"plan.xlsx[校长交流] 第{row}行 [校长交流去向 principal_destination] {teacher}" in x
        and "交流到本校" in x
        for x in result.output.splitlines()
    ), result.output


def test_an_old_plan_folder_without_the_forms_checks_clean_and_says_what_was_not_checked(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    for name in ("principal_exchanges.csv", "itinerant_schedule.csv", "跟岗学习.csv"):
        (folder / name).unlink()
    code, output = check_folder(data, folder)
    assert code == 0, output
    assert "方案旁未提供（不校验）：跟岗学习、校长交流、走教安排" in output
    verdict = check_plan_file(read_dataset(data), folder / "plan.csv", Policy())
    assert not {"principal_quota", "itinerant_days"} & set(verdict.checked_rules)
    assert not any(f.checked for f in verdict.forms)


def test_an_unreadable_form_file_is_refused_with_file_row_and_column(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    data, plan = planned
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    rows = read_rows(folder / "itinerant_schedule.csv")
    rows[1]["day"] = "周日"
    write_rows(folder / "itinerant_schedule.csv", rows)
    code, output = check_folder(data, folder)
    assert code == 1, output
    assert "itinerant_schedule.csv 第3行" in output and "day" in output and "周一(mon)" in output


def test_a_weekly_figure_edited_alone_is_warned_about_and_the_day_rows_are_checked(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    """An officer who gives a 走教 teacher 40 hours in the weekly column changes nothing the
    checks read: check-plan says so at that row instead of passing in silence."""
    data, plan = planned
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    rows = read_rows(folder / "itinerant_schedule.csv")
    rows[0]["weekly_hours"] = "40"
    write_rows(folder / "itinerant_schedule.csv", rows)
    verdict = check_plan_file(read_dataset(data), folder / "plan.csv", Policy())
    assert verdict.ok
    [warning] = [w for w in verdict.notes if "每周课时 40" in w]
    assert warning.startswith("itinerant_schedule.csv 第2行") and "按当天课时校验" in warning


@pytest.mark.parametrize("hours", ["2.5", "inf", "1e400", "nan"])
def test_hours_that_are_not_a_whole_number_are_refused_at_their_cell(
    planned: tuple[Path, Path], tmp_path: Path, hours: str
) -> None:
    """2.5 hours was read as 2 and inf ended in an internal error (exit 4)."""
    data, plan = planned
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    rows = read_rows(folder / "itinerant_schedule.csv")
    rows[0]["hours"] = hours
    write_rows(folder / "itinerant_schedule.csv", rows)
    code, output = check_folder(data, folder)
    assert code == 1, output
    assert f'itinerant_schedule.csv 第2行：hours "{hours}"' in output and "整数" in output


def test_a_form_sheet_or_file_named_almost_right_is_noted_as_not_checked(
    planned: tuple[Path, Path], tmp_path: Path
) -> None:
    """A sheet renamed 走教 (for 走教安排) or a copied itinerant_schedule (1).csv left the
    form's rules unchecked with only "方案旁未提供": check-plan now names the near miss."""
    data, plan = planned
    wb = openpyxl.load_workbook(plan / "plan.xlsx")
    wb["走教安排"].title = "走教"
    wb.save(tmp_path / "plan.xlsx")
    book = check_plan_file(read_dataset(data), tmp_path / "plan.xlsx", Policy())
    assert [n for n in book.notes if "“走教”" in n and "走教安排未校验" in n], book.notes
    folder = Path(shutil.copytree(plan, tmp_path / "plan"))
    (folder / "itinerant_schedule.csv").rename(folder / "itinerant_schedule (1).csv")
    beside = check_plan_file(read_dataset(data), folder / "plan.csv", Policy())
    assert [n for n in beside.notes if "itinerant_schedule (1).csv" in n], beside.notes
    clean = check_plan_file(read_dataset(data), plan / "plan.xlsx", Policy())
    assert clean.notes == []
