"""Reading a plan back as an officer edited it: plan.csv, or the exported plan.xlsx
(sheet 交流名单), with English or Chinese headers. Every row keeps its spreadsheet row
number (header = row 1) so that a check can name the row an officer must fix."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rotation.enums import ExchangeForm
from rotation.io.errors import DatasetError, Problem
from rotation.io.form_reading import cell_text
from rotation.io.plan_files import read_plan_csv

MOVES_SHEET = "交流名单"
MOVES_SHEETS: tuple[str, ...] = (MOVES_SHEET, "Moves")  # the Chinese and the English workbook
# the workbook's Chinese headers → the contract's columns
HEADERS_ZH: dict[str, str] = {
    "教师编号": "teacher_id",
    "姓名": "name",
    "原学校编号": "from_school_id",
    "交流学校编号": "to_school_id",
    "交流学校": "to_school_name",
    "to school": "to_school_name",
    "start year": "start_year",
    "end year": "end_year",
    "开始年份": "start_year",
    "结束年份": "end_year",
    "安排理由": "reasons",
    "形式": "form",
}


class PlanRow(BaseModel):
    """One move as written in the file, with its row number."""

    model_config = ConfigDict(frozen=True)

    row: int
    teacher_id: str
    to_school_id: str = ""
    to_school_name: str = ""
    start_year: int | None = None
    end_year: int | None = None
    reasons: str = ""
    form: ExchangeForm = ExchangeForm.TRANSFER  # the optional last column (issue 18)


def _problem(
    file: str, row: int | None, column: str | None, value: str, zh: str, en: str
) -> Problem:
    return Problem(file=file, row=row, column=column, value=value, expected=zh, expected_en=en)


def _year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None


def _rows_from_records(file: str, records: list[tuple[int, dict[str, str]]]) -> list[PlanRow]:
    problems: list[Problem] = []
    rows: list[PlanRow] = []
    for number, rec in records:
        tid = rec.get("teacher_id", "").strip()
        if not tid:
            problems.append(_problem(file, number, "teacher_id", "", "教师编号", "a teacher id"))
            continue
        years = {k: _year(rec.get(k, "")) for k in ("start_year", "end_year")}
        for k in ("start_year", "end_year"):
            if rec.get(k, "").strip() and years[k] is None:
                problems.append(
                    _problem(file, number, k, rec[k], "年份（如 2026）", "a year such as 2026")
                )
        form = ExchangeForm.TRANSFER
        if text := rec.get("form", "").strip():
            try:
                form = ExchangeForm.parse(text)
            except ValueError:
                problems.append(
                    _problem(
                        file, number, "form", text,
                        "交流形式：交流(transfer) 或 支教(support)，空为交流",
                        "a form: transfer or support (blank = transfer)",
                    )
                )  # fmt: skip
        rows.append(
            PlanRow(
                row=number,
                teacher_id=tid,
                to_school_id=rec.get("to_school_id", "").strip(),
                to_school_name=rec.get("to_school_name", "").strip(),
                start_year=years["start_year"],
                end_year=years["end_year"],
                reasons=rec.get("reasons", "").strip(),
                form=form,
            )
        )
    if problems:
        raise DatasetError(problems)
    return rows


def _read_csv(path: Path) -> list[PlanRow]:
    records = read_plan_csv(path)
    return _rows_from_records(path.name, [(i, r) for i, r in enumerate(records, start=2)])


def _read_xlsx(path: Path) -> list[PlanRow]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DatasetError(
            [_problem(path.name, None, None, str(exc), "一个 .xlsx 工作簿", "an .xlsx workbook")]
        ) from exc
    named = [n for n in MOVES_SHEETS if n in wb.sheetnames]
    ws = wb[named[0]] if named else wb.worksheets[0]
    label = f"{path.name}[{ws.title}]"
    lines = ws.iter_rows(values_only=True)
    header = [cell_text(v) for v in next(lines, ())]
    columns = [HEADERS_ZH.get(h, h) for h in header]
    if "teacher_id" not in columns or not {"to_school_id", "to_school_name"} & set(columns):
        wb.close()
        raise DatasetError(
            [
                _problem(
                    label, 1, "teacher_id", "、".join(header),
                    "表头中有 教师编号 与 交流学校编号（或 交流学校）列",
                    "columns 教师编号/teacher_id and 交流学校编号/to_school_id (or 交流学校)",
                )
            ]
        )  # fmt: skip
    records: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(lines, start=2):
        rec = {c: cell_text(v) for c, v in zip(columns, values, strict=False) if c}
        if any(rec.values()):
            records.append((number, rec))
    wb.close()
    return _rows_from_records(label, records)


def read_plan_rows(path: str | Path) -> list[PlanRow]:
    """The moves of a plan file (plan.csv or plan.xlsx); raises ``DatasetError`` naming the
    file, row and column of every row that cannot be read."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        if not p.is_file():
            raise DatasetError(
                [_problem(str(p), None, None, str(p), "一个 plan.xlsx 文件", "a plan.xlsx file")]
            )
        return _read_xlsx(p)
    return _read_csv(p)


OVERVIEW_SHEETS = ("方案概况", "Overview")
STANDING_LABELS = ("方案性质", "standing")


def official_stamp_of(path: str | Path) -> str | None:
    """The 正式方案 stamp a published plan's workbook carries (方案概况 → 方案性质), else
    None: a plan.csv (the contract has no place for it) or a workbook of a plan not published."""
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm") or not p.is_file():
        return None
    from openpyxl import load_workbook

    wb = load_workbook(p, read_only=True, data_only=True)
    try:
        named = [n for n in OVERVIEW_SHEETS if n in wb.sheetnames]
        if not named:
            return None
        for row in wb[named[0]].iter_rows(min_row=2, max_row=6, max_col=2, values_only=True):
            if row and cell_text(row[0]) in STANDING_LABELS and len(row) > 1:
                return cell_text(row[1]) or None
        return None
    finally:
        wb.close()
