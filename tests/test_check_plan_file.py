"""``rotation check-plan``: a plan edited by hand in Excel is re-checked row by row."""

from __future__ import annotations

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
