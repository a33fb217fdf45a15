"""Raw tables from a dataset path: a folder of CSV files, or one .xlsx workbook.

A raw table is its non-blank rows, each numbered as a spreadsheet shows it, and
what a workbook hides behind its values (merged cells, formulas without a cached
value). Nothing is interpreted here beyond decoding; the header is located by the
reader. Every limit of ``ReadLimits`` is checked while the bytes are read; a path
that cannot be read, or a file past a limit, raises ``DatasetError``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from rotation.io.cell_safety import restore_csv_row
from rotation.io.columns import REQUIRED_TABLES, TABLE_NAMES, TABLE_ZH, fold
from rotation.io.encoding import UndecodableError, decode_text
from rotation.io.errors import DatasetError, Problem
from rotation.io.limits import DEFAULT_LIMITS, ReadLimits
from rotation.io.xlsx_reader import WorkbookRefused, check_container, read_sheet

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(slots=True)
class RawTable:
    table: str  # schools / teachers / needs
    file: str  # how problems name it: "teachers.csv" or "roster.xlsx[教师]"
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    from_csv: bool = False
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    uncached: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 1-based
    stopped_after: int | None = None  # reading stopped after this row (a long blank run)

    def merge_of(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        """The merged range covering a cell other than its top-left one, if any."""
        for r1, c1, r2, c2 in self.merged:
            if r1 <= row <= r2 and c1 <= column <= c2 and (row, column) != (r1, c1):
                return (r1, c1, r2, c2)
        return None


def load_tables(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> dict[str, RawTable]:
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
        return _folder_tables(p, limits)
    if p.suffix.lower() in EXCEL_SUFFIXES:
        _check_size(p, limits)
        return _workbook_tables(p, limits)
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
def _check_size(f: Path, limits: ReadLimits) -> None:
    size = f.stat().st_size
    if size > limits.max_file_bytes:
        raise DatasetError([_too_large(f.name, None, f"文件 {size / 2**20:.1f} MB，超过 {limits.max_file_bytes / 2**20:.0f} MB 上限", f"the file is {size / 2**20:.1f} MB, over the {limits.max_file_bytes / 2**20:.0f} MB limit")])  # fmt: skip


def _too_large(file: str, row: int | None, zh: str, en: str, value: str = "") -> Problem:
    return Problem(
        file=file, row=row, column=None, value=value, expected=zh, expected_en=en,
        kind="too_large",
    )  # fmt: skip


def _folder_tables(folder: Path, limits: ReadLimits) -> dict[str, RawTable]:
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
            raw = _csv_table(table, f, limits)
        except UndecodableError as exc:
            problems.append(_undecodable(f, str(exc)))
            continue
        except DatasetError as exc:
            problems.extend(exc.problems)
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


def read_csv_rows(f: Path, limits: ReadLimits = DEFAULT_LIMITS) -> list[list[str]] | None:
    """The rows of a CSV file in any accepted encoding, quoted formula starts restored
    (``rotation.io.cell_safety``); None when it holds nothing.

    ``DatasetError`` when the file, a row count or a field is past ``limits``, or the
    CSV cannot be parsed (an unclosed quote swallowing the rest of the file).
    """
    _check_size(f, limits)
    text, _ = decode_text(f.read_bytes())
    if not text.strip():
        return None
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            for i, cell in enumerate(cells):
                if len(cell) > limits.max_cell_chars:
                    raise DatasetError([_too_large(f.name, len(rows) + 1, f"第{i + 1}列的内容 {len(cell)} 个字符，超过 {limits.max_cell_chars} 字符上限", f"field {i + 1} holds {len(cell)} characters, over the {limits.max_cell_chars} limit", cell[:40] + "…")])  # fmt: skip
            if len(cells) > limits.max_columns and any(
                c.strip() for c in cells[limits.max_columns :]
            ):
                raise DatasetError([_too_large(f.name, len(rows) + 1, f"超过 {limits.max_columns} 列上限", f"more than {limits.max_columns} columns")])  # fmt: skip
            rows.append(restore_csv_row(cells))
            if len(rows) > limits.max_rows + limits.header_search_rows:
                raise DatasetError([_too_large(f.name, len(rows), f"超过 {limits.max_rows} 行上限", f"more than {limits.max_rows} rows")])  # fmt: skip
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own bound (131,072)
            raise DatasetError([_too_large(f.name, len(rows) + 1, f"某个字段超过 {limits.max_cell_chars} 字符上限（或引号不成对）", f"a field over the {limits.max_cell_chars}-character limit (or an unclosed quote)")]) from exc  # fmt: skip
        raise DatasetError(
            [
                Problem(
                    file=f.name,
                    row=len(rows) + 1,
                    column=None,
                    value="",
                    expected=f"有效的 CSV（第{reader.line_num}行附近引号不成对或字段过长）",
                    expected_en=f"a valid CSV ({exc})",
                    kind="bad_file",
                )  # fmt: skip
            ]
        ) from exc
    return rows


def _csv_table(table: str, f: Path, limits: ReadLimits) -> RawTable | None:
    rows = read_csv_rows(f, limits)
    if rows is None:
        return None
    raw = RawTable(table=table, file=f.name, from_csv=True)
    for number, cells in enumerate(rows, start=1):
        if any(c.strip() for c in cells):
            raw.rows.append((number, list(cells)))
    return raw


# ------------------------------------------------------------------ workbook
def _workbook_tables(p: Path, limits: ReadLimits) -> dict[str, RawTable]:
    import openpyxl

    try:
        check_container(p, limits)
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    except WorkbookRefused as exc:
        raise DatasetError([_refused(p.name, exc)]) from exc
    except Exception as exc:  # noqa: BLE001 - any failure inside a foreign file is the file's
        raise DatasetError(
            [_refused(p.name, WorkbookRefused("文件已损坏或不是 .xlsx 工作簿", f"damaged or not an .xlsx workbook ({type(exc).__name__}: {exc})"))]
        ) from exc  # fmt: skip
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
        budget = limits.max_unpacked_bytes
        for table, title in sheets.items():
            label = f"{p.name}[{title}]"
            try:
                cells, used = read_sheet(wb, title, limits, budget)
            except WorkbookRefused as exc:
                raise DatasetError([_refused(label, exc)]) from exc
            except Exception as exc:  # noqa: BLE001 - a foreign file's failure is the file's
                raise DatasetError([_refused(label, WorkbookRefused("工作表已损坏，无法读取", f"the sheet is damaged ({type(exc).__name__}: {exc})"))]) from exc  # fmt: skip
            budget -= used
            if not cells.rows:
                if table in REQUIRED_TABLES:
                    problems.append(_empty(table, label))
                continue
            tables[table] = RawTable(
                table=table, file=label, rows=cells.rows, merged=cells.merged,
                uncached=cells.uncached, stopped_after=cells.stopped_after,
            )  # fmt: skip
    finally:
        wb.close()
    if problems:
        raise DatasetError(problems)
    return tables


def _refused(file: str, exc: WorkbookRefused) -> Problem:
    return Problem(
        file=file, row=None, column=None, value=exc.cell or "", expected=exc.zh,
        expected_en=exc.en, kind=exc.kind,
    )  # fmt: skip
