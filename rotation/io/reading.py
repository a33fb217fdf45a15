"""``read_dataset``: a roster folder or workbook into a validated ``Dataset``, or every problem.

Each table is read row by row into the models; then the references between tables
are checked (unique ids, known schools, stages the school offers). Any problem
anywhere rejects the whole input: nothing is partly loaded.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from rotation.io.columns import TABLE_COLUMNS, TABLE_ZH, Column, fold, header_lookup
from rotation.io.errors import DatasetError, Problem
from rotation.io.sources import RawTable, load_tables
from rotation.io.values import CellError, cell_text, parse_cell
from rotation.models import ApprovedPost, Dataset, Need, School, Teacher

_MODELS: dict[str, type[BaseModel]] = {
    "schools": School,
    "teachers": Teacher,
    "needs": Need,
    "posts": ApprovedPost,
}
_ID_COLUMN = {"schools": "school_id", "teachers": "teacher_id"}


@dataclass(slots=True)
class _Parsed:
    """One table read: its records with their rows, and the raw ids of every row."""

    records: list[tuple[int, BaseModel]] = field(default_factory=list)
    ids: list[tuple[int, str]] = field(default_factory=list)
    complete: bool = True  # False when a required column is missing


def read_dataset(path: str | Path) -> Dataset:
    """The dataset at ``path`` (folder of CSVs or .xlsx); ``DatasetError`` lists every problem."""
    tables = load_tables(path)
    problems: list[Problem] = []
    parsed = {name: _parse_table(raw, problems) for name, raw in tables.items()}
    problems.extend(_reference_problems(tables, parsed))
    if problems:
        order = {name: i for i, name in enumerate(TABLE_COLUMNS)}
        problems.sort(key=lambda p: (order.get(p.table, 9), p.row or 0))
        raise DatasetError(problems)
    needs = parsed.get("needs", _Parsed())
    return Dataset.build(
        [r for _, r in parsed["schools"].records],  # type: ignore[misc]
        [r for _, r in parsed["teachers"].records],  # type: ignore[misc]
        [r for _, r in needs.records],  # type: ignore[misc]
        needs_declared="needs" in tables,
    )


# ------------------------------------------------------------------ one table
def _parse_table(raw: RawTable, problems: list[Problem]) -> _Parsed:
    out = _Parsed()
    index = _header_index(raw, problems)
    if index is None:
        out.complete = False
        return out
    columns = [c for c in TABLE_COLUMNS[raw.table] if c.name in index]
    id_col = _ID_COLUMN.get(raw.table)
    if not raw.rows and raw.table != "needs":
        problems.append(
            Problem(
                file=raw.file,
                row=None,
                column=None,
                value="",
                expected=f"至少一行{TABLE_ZH[raw.table]}数据",
                expected_en="at least one data row",
                kind="empty_table",
                table=raw.table,
            )  # fmt: skip
        )
    for number, cells in raw.rows:
        if id_col is not None:
            ident = cell_text(_cell(cells, index[id_col]))
            if ident:
                out.ids.append((number, ident))
        record = _parse_row(raw, number, cells, columns, index, problems)
        if record is not None:
            out.records.append((number, record))
    return out


def _cell(cells: list[object], i: int) -> object:
    return cells[i] if i < len(cells) else None


def _header_index(raw: RawTable, problems: list[Problem]) -> dict[str, int] | None:
    """Column name → position; None (with problems) when a required column is missing."""
    lookup = header_lookup(raw.table)
    index: dict[str, int] = {}
    unmatched: list[str] = []
    for i, cell in enumerate(raw.header):
        text = cell_text(cell)
        column = lookup.get(fold(text))
        if column is None:
            if text:
                unmatched.append(text)
            continue
        if column.name in index:
            problems.append(
                Problem(
                    file=raw.file,
                    row=1,
                    column=column.name,
                    value=text,
                    expected="每列只出现一次",
                    expected_en="each column once",
                    kind="duplicate_column",
                    table=raw.table,
                )  # fmt: skip
            )
            continue
        index[column.name] = i
    missing = [c for c in TABLE_COLUMNS[raw.table] if c.required and c.name not in index]
    for c in missing:
        close = difflib.get_close_matches(
            c.zh, unmatched, n=1, cutoff=0.5
        ) or difflib.get_close_matches(c.name, unmatched, n=1, cutoff=0.6)
        problems.append(
            Problem(
                file=raw.file,
                row=1,
                column=c.name,
                value="",
                expected=f"表头中有 {c.name} 或 {c.zh} 列",
                expected_en=f"a column {c.name} ({c.zh})",
                suggestion=close[0] if close else None,
                kind="missing_column",
                table=raw.table,
            )  # fmt: skip
        )
    return None if missing else index


def _parse_row(
    raw: RawTable,
    number: int,
    cells: list[object],
    columns: list[Column],
    index: dict[str, int],
    problems: list[Problem],
) -> BaseModel | None:
    data: dict[str, object] = {}
    ok = True
    for c in columns:
        cell = _cell(cells, index[c.name])
        try:
            value = parse_cell(c, cell)
        except CellError as err:
            ok = False
            problems.append(
                Problem(
                    file=raw.file,
                    row=number,
                    column=c.name,
                    value=cell_text(cell),
                    expected=err.expected,
                    expected_en=err.expected_en,
                    suggestion=err.suggestion,
                    kind=err.kind,
                    table=raw.table,
                )  # fmt: skip
            )
            continue
        if value is not None:
            data[c.name] = value
    if not ok:
        return None
    try:
        return _MODELS[raw.table](**data)
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else None
            problems.append(
                Problem(
                    file=raw.file,
                    row=number,
                    column=name,
                    value=cell_text(data.get(name)) if name else "",
                    expected=err["msg"],
                    table=raw.table,
                )  # fmt: skip
            )
        return None


# ------------------------------------------------------------------ between tables
def _reference_problems(tables: dict[str, RawTable], parsed: dict[str, _Parsed]) -> list[Problem]:
    problems: list[Problem] = []
    for table in ("schools", "teachers"):
        problems.extend(_duplicate_ids(tables[table], parsed[table], _ID_COLUMN[table]))
    if not parsed["schools"].complete:
        return problems  # without the schools table, every reference would look unknown
    known = {ident for _, ident in parsed["schools"].ids}
    schools = {r.school_id: r for _, r in parsed["schools"].records}  # type: ignore[attr-defined]
    file_of = {name: raw.file for name, raw in tables.items()}
    for number, t in parsed["teachers"].records:
        assert isinstance(t, Teacher)
        if t.school_id not in known:
            problems.append(_unknown_school(file_of["teachers"], number, "school_id", t.school_id, known, "teachers"))  # fmt: skip
        problems.extend(
            _unknown_school(file_of["teachers"], number, "preferences", p, known, "teachers")
            for p in t.preferences
            if p not in known
        )
        if t.exchange_school_id is not None and t.exchange_school_id not in known:
            problems.append(_unknown_school(file_of["teachers"], number, "exchange_school_id", t.exchange_school_id, known, "teachers"))  # fmt: skip
    for number, n in parsed.get("needs", _Parsed()).records:
        assert isinstance(n, Need)
        if n.school_id not in known:
            problems.append(_unknown_school(file_of["needs"], number, "school_id", n.school_id, known, "needs"))  # fmt: skip
            continue
        school = schools.get(n.school_id)
        if school is not None and not school.offers(n.stage):
            offered = sorted(school.stage.offers, key=list(type(n.stage)).index)
            problems.append(
                Problem(
                    file=file_of["needs"],
                    row=number,
                    column="stage",
                    value=n.stage.label_zh,
                    expected=f"学校 {school.school_id}（{school.stage.label_zh}）开设的学段："
                    + "、".join(f"{s.label_zh}({s.value})" for s in offered),
                    expected_en=f"a stage school {school.school_id} ({school.stage.value}) offers: "
                    + ", ".join(s.value for s in offered),
                    kind="stage_not_offered",
                    table="needs",
                )  # fmt: skip
            )
    return problems


def _duplicate_ids(raw: RawTable, parsed: _Parsed, column: str) -> list[Problem]:
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for number, ident in parsed.ids:
        if ident in first:
            problems.append(
                Problem(
                    file=raw.file,
                    row=number,
                    column=column,
                    value=ident,
                    expected=f"唯一的编号（第{first[ident]}行已使用）",
                    expected_en=f"a unique id (already used in row {first[ident]})",
                    kind="duplicate",
                    table=raw.table,
                )  # fmt: skip
            )
        else:
            first[ident] = number
    return problems


def _unknown_school(
    file: str, row: int, column: str, value: str, known: set[str], table: str
) -> Problem:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return Problem(
        file=file, row=row, column=column, value=value,
        expected="学校表中已有的学校编号", expected_en="a school_id listed in the schools table",
        suggestion=close[0] if close else None, kind="unknown_school", table=table,
    )  # fmt: skip
