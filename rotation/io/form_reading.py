"""Reading a form's table back as ``rotation plan`` wrote it (issue 18): a CSV beside
plan.csv (跟岗学习.csv, principal_exchanges.csv, itinerant_schedule.csv) or its sheet of
plan.xlsx (跟岗学习, 校长交流, 走教安排), in Chinese or English.

One reader for every form: the header is mapped to the contract's columns, every data row
keeps its spreadsheet row number (header = row 1) so that a check can name the row to fix,
CSV cells have the writer's cell safety undone (``restore_csv_cell``), and a sheet ends at
its first blank row (the writers put figures below one). Each form then builds its own
records from the ``FormTable`` (``rotation/io/form_files.py``, ``principal_files.py``,
``itinerant_files.py``), with a ``Problem`` per cell it cannot read.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from rotation.enums import LabelledEnum
from rotation.io.cell_safety import restore_csv_cell
from rotation.io.encoding import UndecodableError, decode_text
from rotation.io.errors import DatasetError, Problem, undecodable_csv

E = TypeVar("E", bound=LabelledEnum)


@dataclass(frozen=True)
class FormTable:
    """A form's data rows as ``(row number, {column: text})``, under the name a user reads
    (``principal_exchanges.csv``, ``plan.xlsx[校长交流]``)."""

    label: str
    records: list[tuple[int, dict[str, str]]]


@dataclass
class RowReader:
    """One record's cells read as typed values; each cell that cannot be read becomes a
    ``Problem`` naming the file, row, column, the value and what was expected."""

    label: str
    row: int
    rec: Mapping[str, str]
    problems: list[Problem] = field(default_factory=list)

    def text(self, column: str) -> str:
        return self.rec.get(column, "")

    def bad(self, column: str, zh: str, en: str, kind: str = "invalid") -> None:
        self.problems.append(
            Problem(
                file=self.label, row=self.row, column=column, value=self.text(column),
                expected=zh, expected_en=en, kind=kind,
            )
        )  # fmt: skip

    def required(self, column: str, zh: str, en: str) -> str:
        value = self.text(column)
        if not value:
            self.bad(column, zh, en, kind="blank")
        return value

    def enum(self, column: str, kind: type[E], *, default: E | None = None) -> E | None:
        value = self.text(column)
        if not value and default is not None:
            return default
        try:
            return kind.parse(value)
        except ValueError:
            self.bad(column, kind.choices_zh(), ", ".join(m.value for m in kind))
            return None

    def integer(self, column: str, *, optional: bool = False) -> int | None:
        value = self.text(column)
        if not value and optional:
            return None
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not number.is_integer():  # text, 2.5 or nan: never truncated to a whole number
            self.bad(column, "整数", "a whole number")
            return None
        return int(number)

    def number(self, column: str) -> float | None:
        value = self.text(column)
        if not value:
            return None
        try:
            return float(value)
        except ValueError:
            self.bad(column, "数字或空", "a number or blank")
            return None


def _problem(label: str, row: int | None, column: str | None, value: str, zh: str, en: str,
             kind: str = "invalid") -> Problem:  # fmt: skip
    return Problem(
        file=label, row=row, column=column, value=value, expected=zh, expected_en=en, kind=kind
    )


def _check_header(label: str, columns: Iterable[str], required: Iterable[str]) -> None:
    have = set(columns)
    missing = [c for c in required if c not in have]
    if missing:
        raise DatasetError(
            [
                _problem(label, 1, c, "", f"表头中有 {c} 列", f"a column {c}", "missing_column")
                for c in missing
            ]
        )


def read_csv_table(path: Path, required: Iterable[str]) -> FormTable:
    """A form's CSV (UTF-8 or GB18030, English headers as written)."""
    try:
        text, _ = decode_text(path.read_bytes())
    except UndecodableError as exc:
        raise undecodable_csv(path, exc) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    _check_header(path.name, header, required)
    records: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(reader, start=2):
        rec = {c: restore_csv_cell(v).strip() for c, v in zip(header, values, strict=False) if c}
        if any(rec.values()):
            records.append((number, rec))
    return FormTable(path.name, records)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet_table(
    ws: Any, label: str, headers: Mapping[str, str], required: Iterable[str]
) -> FormTable:
    """A form's sheet of plan.xlsx: ``headers`` maps the sheet's Chinese and English
    headers to the contract's columns; the table ends at the first blank row."""
    lines = ws.iter_rows(values_only=True)
    header = [headers.get(cell_text(v), "") for v in next(lines, ())]
    _check_header(label, header, required)
    records: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(lines, start=2):
        rec = {c: cell_text(v) for c, v in zip(header, values, strict=False) if c}
        if not any(cell_text(v) for v in values):
            break
        records.append((number, rec))
    return FormTable(label, records)


T = TypeVar("T")


def build_rows(table: FormTable, build: Callable[[RowReader], T | None]) -> list[tuple[int, T]]:
    """Every record built by ``build`` with its row; ``DatasetError`` with every problem of
    every row when any cell cannot be read (nothing is half read)."""
    out: list[tuple[int, T]] = []
    problems: list[Problem] = []
    for number, rec in table.records:
        r = RowReader(table.label, number, rec)
        try:
            item = build(r)
        except ValidationError as exc:  # a value the model refuses (e.g. hours < 1)
            first = exc.errors()[0]
            column = str(first["loc"][0]) if first["loc"] else None
            r.problems.append(
                _problem(
                    table.label, number, column, str(first.get("input", "")), "有效的值",
                    f"a valid value ({first['msg']})",
                )
            )  # fmt: skip
            item = None
        if r.problems:
            problems.extend(r.problems)
        elif item is not None:
            out.append((number, item))
    if problems:
        raise DatasetError(problems)
    return out
