"""Writing a dataset: a CSV folder in the contract's exact form, or an Excel workbook.

CSV: UTF-8 without BOM, ``\\n`` line ends, canonical English headers and codes,
records in canonical order, so equal datasets give byte-identical files.
Excel: one sheet per table, Chinese headers and labels when ``lang="zh"``; it reads
back through ``read_dataset`` to the same dataset.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from pathlib import Path

from pydantic import BaseModel

from rotation.enums import LabelledEnum
from rotation.io.cell_safety import safe_csv_row, save_workbook
from rotation.io.columns import TABLE_ZH, Column, columns_to_write
from rotation.io.xlsx_style import style_sheet
from rotation.models import Dataset


def dataset_tables(dataset: Dataset) -> dict[str, Sequence[BaseModel]]:
    """The tables to write: needs only when the dataset declares them."""
    tables: dict[str, Sequence[BaseModel]] = {
        "schools": dataset.schools,
        "teachers": dataset.teachers,
    }
    if dataset.needs_declared:
        tables["needs"] = dataset.needs
    if dataset.hour_needs:
        tables["hours_needs"] = dataset.hour_needs
    return tables


def csv_value(value: object) -> str:
    """A value as the contract writes it: codes, 0/1, ISO dates, ``;``-joined lists."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ";".join(csv_value(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A UTF-8 CSV with ``\\n`` line ends (deterministic bytes), no cell a formula."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        # Python 3.11 quotes only the line terminator's characters: a row holding a carriage
        # return is quoted whole, so that it reads back as one row.
        quoted = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for row in (safe_csv_row(header), *(safe_csv_row(r) for r in rows)):
            (quoted if any("\r" in c for c in row) else writer).writerow(row)


def write_dataset(dataset: Dataset, folder: str | Path) -> Path:
    """schools.csv, teachers.csv and (when declared) needs.csv in ``folder``.

    A needs.csv left in the folder from an earlier write is removed when the dataset
    declares no needs, so that the folder reads back as this dataset.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    tables = dataset_tables(dataset)
    for table, records in tables.items():
        columns = columns_to_write(table, records)
        write_csv(
            out / f"{table}.csv",
            [c.name for c in columns],
            ([csv_value(getattr(r, c.name)) for c in columns] for r in records),
        )
    for table in ("needs", "hours_needs"):
        stale = out / f"{table}.csv"
        if table not in tables and stale.exists():
            stale.unlink()
    return out


def xlsx_value(column: Column, value: object, lang: str) -> object:
    """A value as an Excel cell: numbers stay numbers, dates dates, codes labelled."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else int(value)
    if isinstance(value, LabelledEnum):
        return value.label(lang)
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    return value


def write_dataset_xlsx(dataset: Dataset, path: str | Path, lang: str = "zh") -> Path:
    """One workbook, one sheet per table (学校/教师/岗位需求 when ``lang="zh"``)."""
    from openpyxl import Workbook

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for table, records in dataset_tables(dataset).items():
        columns = columns_to_write(table, records)
        ws = wb.create_sheet(TABLE_ZH[table] if lang == "zh" else table)
        ws.append([c.zh if lang == "zh" else c.name for c in columns])
        for r in records:
            ws.append([xlsx_value(c, getattr(r, c.name), lang) for c in columns])
        for i, c in enumerate(columns, start=1):
            if c.kind == "text":  # ids such as 001 must stay text
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = "@"
            elif c.kind == "date":
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = "yyyy-mm-dd"
        style_sheet(ws)
    save_workbook(wb, out)
    return out
