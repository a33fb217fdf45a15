"""Raw tables from a dataset path: a folder of CSV files, or one .xlsx workbook.

A raw table is its header and its non-blank rows, each row numbered as a
spreadsheet shows it (header = row 1). Nothing is interpreted here beyond
decoding; a path that cannot be read raises ``DatasetError``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from rotation.io.cell_safety import restore_csv_row
from rotation.io.columns import REQUIRED_TABLES, TABLE_NAMES, TABLE_ZH, fold
from rotation.io.encoding import UndecodableError, decode_text
from rotation.io.errors import DatasetError, Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(slots=True)
class RawTable:
    table: str  # schools / teachers / needs
    file: str  # how problems name it: "teachers.csv" or "roster.xlsx[教师]"
    header: list[object]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def load_tables(path: str | Path) -> dict[str, RawTable]:
    """The tables found at ``path``; ``needs`` only when present."""
    p = Path(path)
    if not p.exists():
        raise DatasetError(
            [
                _path_problem(
                    p, "已有的文件夹或 .xlsx 文件", "an existing folder or .xlsx file", "not_found"
                )
            ]
        )
    if p.is_dir():
        return _folder_tables(p)
    if p.suffix.lower() in EXCEL_SUFFIXES:
        return _workbook_tables(p)
    raise DatasetError(
        [
            _path_problem(
                p,
                "包含 schools.csv、teachers.csv 的文件夹，或 .xlsx 工作簿（.xls 请先另存为 .xlsx）",
                "a folder holding schools.csv and teachers.csv, or an .xlsx workbook "
                "(save .xls as .xlsx)",
            )
        ]
    )


def _path_problem(p: Path, expected: str, expected_en: str, kind: str = "bad_path") -> Problem:
    return Problem(
        file=str(p), row=None, column=None, value=str(p), expected=expected,
        expected_en=expected_en, kind=kind,
    )  # fmt: skip


def _table_of(name: str) -> str | None:
    folded = fold(name)
    for table, names in TABLE_NAMES.items():
        if folded in {fold(n) for n in names}:
            return table
    return None


# ------------------------------------------------------------------ CSV folder
def _folder_tables(folder: Path) -> dict[str, RawTable]:
    found: dict[str, Path] = {}
    for f in sorted(folder.iterdir()):
        if f.is_file() and f.suffix.lower() == ".csv":
            table = _table_of(f.stem)
            if table is not None and table not in found:
                found[table] = f
    problems: list[Problem] = []
    for table in REQUIRED_TABLES:
        if table not in found:
            problems.append(
                Problem(
                    file=f"{folder}/{table}.csv",
                    row=None,
                    column=None,
                    value="",
                    expected=f"文件夹中应有 {table}.csv（{TABLE_ZH[table]}）",
                    expected_en=f"the folder must hold {table}.csv",
                    kind="missing_table",
                )  # fmt: skip
            )
    tables: dict[str, RawTable] = {}
    for table, f in found.items():
        try:
            raw = _csv_table(table, f)
        except UndecodableError as exc:
            problems.append(_undecodable(f, str(exc)))
            continue
        if raw is None:  # an empty file
            if table in REQUIRED_TABLES:
                problems.append(_empty(table, f.name))
            continue
        tables[table] = raw
    if problems:
        raise DatasetError(problems)
    return tables


def _undecodable(f: Path, why: str) -> Problem:
    return Problem(
        file=f.name, row=None, column=None, value=why,
        expected="UTF-8 或 GB18030 编码的 CSV（Excel 中“另存为 CSV”）",
        expected_en=f"a CSV file in UTF-8 or GB18030 (found {why})", kind="undecodable",
    )  # fmt: skip


def _empty(table: str, file: str) -> Problem:
    return Problem(
        file=file, row=None, column=None, value="",
        expected=f"表头和至少一行{TABLE_ZH[table]}数据", expected_en="a header and data rows",
        kind="empty_table",
    )  # fmt: skip


def read_csv_rows(f: Path) -> list[list[str]] | None:
    """The rows of a CSV file in any accepted encoding, quoted formula starts restored
    (``rotation.io.cell_safety``); None when it holds nothing."""
    text, _ = decode_text(f.read_bytes())
    if not text.strip():
        return None
    return [restore_csv_row(row) for row in csv.reader(io.StringIO(text, newline=""))]


def _csv_table(table: str, f: Path) -> RawTable | None:
    rows = read_csv_rows(f)
    if rows is None:
        return None
    raw = RawTable(table=table, file=f.name, header=list(rows[0]))
    for number, cells in enumerate(rows[1:], start=2):
        if any(c.strip() for c in cells):
            raw.rows.append((number, list(cells)))
    return raw


# ------------------------------------------------------------------ workbook
def _workbook_tables(p: Path) -> dict[str, RawTable]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DatasetError(
            [_path_problem(p, "有效的 .xlsx 工作簿", f"a valid .xlsx workbook ({exc})")]
        ) from exc
    try:
        sheets: dict[str, str] = {}
        for title in wb.sheetnames:
            table = _table_of(title)
            if table is not None and table not in sheets:
                sheets[table] = title
        problems = [
            Problem(
                file=p.name,
                row=None,
                column=None,
                value="、".join(wb.sheetnames),
                expected=f"名为 {t} 或 {TABLE_ZH[t]} 的工作表（现有：{'、'.join(wb.sheetnames)}）",
                expected_en=f"a sheet named {t} or {TABLE_ZH[t]}",
                kind="missing_table",
            )  # fmt: skip
            for t in REQUIRED_TABLES
            if t not in sheets
        ]
        tables: dict[str, RawTable] = {}
        for table, title in sheets.items():
            raw = _sheet_table(table, f"{p.name}[{title}]", wb[title])
            if raw is None:
                if table in REQUIRED_TABLES:
                    problems.append(_empty(table, f"{p.name}[{title}]"))
                continue
            tables[table] = raw
    finally:
        wb.close()
    if problems:
        raise DatasetError(problems)
    return tables


def _sheet_table(table: str, label: str, ws: object) -> RawTable | None:
    raw: RawTable | None = None
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        cells = list(values)
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        if raw is None:
            raw = RawTable(table=table, file=label, header=cells)
        else:
            raw.rows.append((number, cells))
    return raw
