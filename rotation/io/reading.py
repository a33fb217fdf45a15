"""``read_roster``: a roster folder or workbook into a validated ``Dataset``, or every problem.

Each table's header is located within its first rows (title rows above it are
skipped, with a note); every header cell is either recognised or reported with the
closest known header; each row is read into the models; then the references between
tables are checked (unique ids, known schools, stages the school offers). Any
problem anywhere rejects the whole input: nothing is partly loaded. What loads but
deserves a look (unrecognised columns, optional columns missing or blank, skipped
title rows) comes back as warnings with the dataset.

Without ``needs``, the needs are derived from the staffing norms here, once, so that
every command and the service plan against the same needs; a roster that lacks what
the norms need (the schools' enrolment) is refused with that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from rotation.io.cells import address
from rotation.io.columns import TABLE_COLUMNS, TABLE_ZH, Column, fold, header_lookup
from rotation.io.errors import DatasetError, Problem
from rotation.io.limits import DEFAULT_LIMITS, ReadLimits
from rotation.io.sources import RawTable, load_tables
from rotation.io.suggest import close_match, similar_header
from rotation.io.values import CellError, cell_text, parse_cell
from rotation.models import ApprovedPost, Dataset, HourNeed, Need, School, Teacher

_MODELS: dict[str, type[BaseModel]] = {
    "schools": School,
    "teachers": Teacher,
    "needs": Need,
    "posts": ApprovedPost,
    "hours_needs": HourNeed,
}
_ID_COLUMN = {"schools": "school_id", "teachers": "teacher_id"}
_MIN_HEADER_MATCHES = 2


@dataclass(frozen=True, slots=True)
class RosterImport:
    """A roster read whole: the dataset, what deserves a look, and where each record was."""

    dataset: Dataset
    warnings: tuple[Problem, ...] = ()
    rows: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)

    def where(self, table: str, ident: str) -> tuple[str, int | None]:
        """(file, spreadsheet row) of a school or teacher id, for messages."""
        file, row = self.rows.get((table, ident), (f"{table}", None))
        return file, row


@dataclass(slots=True)
class _Parsed:
    """One table read: its records with their rows, and the raw ids of every row."""

    records: list[tuple[int, BaseModel]] = field(default_factory=list)
    ids: list[tuple[int, str]] = field(default_factory=list)
    complete: bool = True  # False when a required column is missing
    index: dict[str, int] = field(default_factory=dict)
    cells: dict[int, list[object]] = field(default_factory=dict)

    def typed(self, row: int, column: str) -> str:
        """What the officer typed in a cell, quoted as typed."""
        cells = self.cells.get(row)
        if cells is None or column not in self.index:
            return ""
        return cell_text(_cell(cells, self.index[column]))


def read_dataset(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> Dataset:
    """The dataset at ``path`` (folder of CSVs or .xlsx); ``DatasetError`` lists every problem."""
    return read_roster(path, limits).dataset


def read_roster(path: str | Path, limits: ReadLimits = DEFAULT_LIMITS) -> RosterImport:
    """The roster at ``path`` with its warnings; ``DatasetError`` lists every problem."""
    tables = load_tables(path, limits)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    parsed = {name: _parse_table(raw, limits, problems, warnings) for name, raw in tables.items()}
    problems.extend(_reference_problems(tables, parsed))
    order = {name: i for i, name in enumerate(TABLE_COLUMNS)}
    if problems:
        problems.sort(key=lambda p: (order.get(p.table, 9), p.row or 0))
        raise DatasetError(problems)
    absent = tuple(
        f"{w.table}.{w.column}" for w in warnings if w.kind == "absent_column" and w.column
    )
    needs = parsed.get("needs", _Parsed())
    dataset = Dataset.build(
        [r for _, r in parsed["schools"].records],  # type: ignore[misc]
        [r for _, r in parsed["teachers"].records],  # type: ignore[misc]
        [r for _, r in needs.records],  # type: ignore[misc]
        needs_declared="needs" in tables,
        absent_columns=absent,
        hour_needs=[r for _, r in parsed.get("hours_needs", _Parsed()).records],  # type: ignore[misc]
    )
    if "needs" not in tables:
        dataset = _with_derived_needs(dataset, tables["schools"].file)
    rows = {
        (table, ident): (tables[table].file, number)
        for table in _ID_COLUMN
        for number, ident in reversed(parsed[table].ids)
    }
    for number, n in reversed(needs.records):
        assert isinstance(n, Need)
        key = f"{n.school_id}/{n.stage.value}/{n.subject.value}"
        rows[("needs", key)] = (tables["needs"].file, number)
    warnings.sort(key=lambda p: (order.get(p.table, 9), p.row or 0))
    return RosterImport(dataset=dataset, warnings=tuple(warnings), rows=rows)


def _with_derived_needs(dataset: Dataset, schools_file: str) -> Dataset:
    from rotation.staffing import derived_needs

    if "schools.students" in dataset.absent_columns:
        raise DatasetError(
            [
                Problem(
                    file=schools_file,
                    row=None,
                    column="students",
                    value="",
                    expected="岗位需求表（needs.csv / 岗位需求工作表），或学校表的在校生数"
                    "（据此按编制标准推算需求）",
                    expected_en="a needs table, or the schools' students column to derive "
                    "needs from the staffing norms",
                    kind="missing_needs",
                    table="schools",
                )  # fmt: skip
            ]
        )
    return dataset.with_needs(derived_needs(dataset))


# ------------------------------------------------------------------ one table
def _parse_table(
    raw: RawTable, limits: ReadLimits, problems: list[Problem], warnings: list[Problem]
) -> _Parsed:
    out = _Parsed()
    header_at = _locate_header(raw, limits, warnings)
    header_row, header = raw.rows[header_at] if raw.rows else (1, [])
    data_rows = raw.rows[header_at + 1 :]
    index = _header_index(raw, header_row, header, problems, warnings)
    if index is None:
        out.complete = False
        return out
    out.index = index
    if raw.stopped_after is not None:
        warnings.append(
            Problem(
                file=raw.file,
                row=raw.stopped_after,
                column=None,
                value="",
                expected=f"读到第{raw.stopped_after}行；其后连续 {limits.max_blank_run} 行为空，"
                "之后的内容未读取（如有，请删除中间的空行）",
                expected_en=f"read to row {raw.stopped_after}; {limits.max_blank_run} blank rows "
                "followed and nothing after them was read",
                kind="stopped_reading",
                table=raw.table,
            )  # fmt: skip
        )
    columns = [c for c in TABLE_COLUMNS[raw.table] if c.name in index]
    _note_absent_columns(raw, header_row, index, data_rows, warnings)
    id_col = _ID_COLUMN.get(raw.table)
    if not data_rows and raw.table not in ("needs", "hours_needs"):
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
    for number, cells in data_rows:
        out.cells[number] = cells
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


def _locate_header(raw: RawTable, limits: ReadLimits, warnings: list[Problem]) -> int:
    """Position in ``raw.rows`` of the header: the first of the leading rows naming most columns."""
    lookup = header_lookup(raw.table)
    best, best_score = 0, -1
    for i, (_, cells) in enumerate(raw.rows[: limits.header_search_rows]):
        score = len({lookup[f].name for c in cells if (f := fold(cell_text(c))) in lookup})
        if score > best_score:
            best, best_score = i, score
    if best_score < _MIN_HEADER_MATCHES:
        return 0
    if best > 0:
        skipped = [cell_text(c) for _, cells in raw.rows[:best] for c in cells if cell_text(c)]
        warnings.append(
            Problem(
                file=raw.file,
                row=raw.rows[best][0],
                column=None,
                value="；".join(skipped)[:80],
                expected=f"表头在第{raw.rows[best][0]}行；其上方的标题行已跳过：“{'；'.join(skipped)[:80]}”",
                expected_en=f"the header is row {raw.rows[best][0]}; the title rows above it were skipped",
                kind="title_rows",
                table=raw.table,
            )  # fmt: skip
        )
    return best


def _header_index(
    raw: RawTable,
    header_row: int,
    header: list[object],
    problems: list[Problem],
    warnings: list[Problem],
) -> dict[str, int] | None:
    """Column name → position; None (with problems) when a required column is missing."""
    lookup = header_lookup(raw.table)
    index: dict[str, int] = {}
    unmatched: list[str] = []
    for i, cell in enumerate(header):
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
                    row=header_row,
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
    if len(index) < _MIN_HEADER_MATCHES:
        names = "、".join(c.zh for c in TABLE_COLUMNS[raw.table] if c.required)
        problems.append(
            Problem(
                file=raw.file,
                row=None,
                column=None,
                value="",
                expected=f"前几行中应有表头行，含 {names} 等列",
                expected_en="a header row among the first rows, naming "
                + ", ".join(c.name for c in TABLE_COLUMNS[raw.table] if c.required),
                kind="header_not_found",
                table=raw.table,
            )  # fmt: skip
        )
        return None
    known = {s: c for c in TABLE_COLUMNS[raw.table] for s in c.spellings}
    for text in unmatched:
        close = similar_header(text, list(known))
        warnings.append(
            Problem(
                file=raw.file,
                row=header_row,
                column=None,
                value=text,
                expected=f"可识别的列名；此列的内容未导入（对应 {known[close].zh} 请把表头改为“{known[close].zh}”）"
                if close
                else "可识别的列名；此列的内容未导入",
                expected_en=f"a known column; its values were not read (for {known[close].name}, "
                f"name it {known[close].name} or {known[close].zh})"
                if close
                else "a known column; its values were not read",
                suggestion=known[close].zh if close else None,
                kind="unknown_column",
                table=raw.table,
            )  # fmt: skip
        )
    missing = [c for c in TABLE_COLUMNS[raw.table] if c.required and c.name not in index]
    for c in missing:
        close = similar_header(c.zh, unmatched) or similar_header(c.name, unmatched)
        problems.append(
            Problem(
                file=raw.file,
                row=header_row,
                column=c.name,
                value="",
                expected=f"表头中有 {c.name} 或 {c.zh} 列",
                expected_en=f"a column {c.name} ({c.zh})",
                suggestion=close,
                kind="missing_column",
                table=raw.table,
            )  # fmt: skip
        )
    return None if missing else index


def _note_absent_columns(
    raw: RawTable,
    header_row: int,
    index: dict[str, int],
    data_rows: list[tuple[int, list[object]]],
    warnings: list[Problem],
) -> None:
    """One warning per optional column that something is computed from, if absent or blank."""
    for c in TABLE_COLUMNS[raw.table]:
        if c.required or c.feeds is None:
            continue
        present = c.name in index and any(
            cell_text(_cell(cells, index[c.name])) for _, cells in data_rows
        )
        if present:
            continue
        state_zh, state_en = (
            ("全部为空", "is blank in every row") if c.name in index else ("缺失", "is missing")
        )
        warnings.append(
            Problem(
                file=raw.file,
                row=header_row,
                column=c.name,
                value="",
                expected=f"{c.zh}列{state_zh}：{c.feeds[0]}",
                expected_en=f"column {c.name} {state_en}: {c.feeds[1]}",
                kind="absent_column",
                table=raw.table,
            )  # fmt: skip
        )


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
            if cell is None or (type(cell) is str and not cell.strip()):
                hidden = _hidden_value(raw, number, index[c.name] + 1, cell)
                if hidden is not None:
                    raise hidden
            value = parse_cell(c, cell, from_csv=raw.from_csv)
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
        for detail in exc.errors():
            name = str(detail["loc"][0]) if detail["loc"] else None
            typed = cell_text(_cell(cells, index[name])) if name in index else ""
            problems.append(
                Problem(
                    file=raw.file,
                    row=number,
                    column=name,
                    value=typed,
                    expected=detail["msg"],
                    table=raw.table,
                )  # fmt: skip
            )
        return None


def _hidden_value(raw: RawTable, row: int, column: int, cell: object) -> CellError | None:
    """A blank cell that is not blank to the officer: inside a merge, or an unsaved formula."""
    if raw.from_csv or (cell is not None and cell_text(cell)):
        return None
    if (row, column) in raw.uncached:
        return CellError(
            f"单元格 {address(row, column)} 是公式，文件中没有保存计算结果：请在 Excel 中打开后保存，"
            "或复制后“粘贴为数值”",
            f"cell {address(row, column)} is a formula with no saved result: open and save the "
            "file in Excel, or paste the values",
            kind="uncached_formula",
        )
    merge = raw.merge_of(row, column)
    if merge is not None:
        r1, c1, r2, c2 = merge
        ref = f"{address(r1, c1)}:{address(r2, c2)}"
        return CellError(
            f"单元格 {address(row, column)} 在合并单元格 {ref} 中，只有 {address(r1, c1)} 有值："
            "请取消合并，并在每一行填写",
            f"cell {address(row, column)} lies in the merged range {ref}, whose value is only in "
            f"{address(r1, c1)}: unmerge it and fill every row",
            kind="merged_cell",
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
    schools: dict[str, School] = {
        r.school_id: r for _, r in parsed["schools"].records if isinstance(r, School)
    }
    file_of = {name: raw.file for name, raw in tables.items()}
    for number, t in parsed["teachers"].records:
        assert isinstance(t, Teacher)
        if t.school_id not in known:
            problems.append(_unknown_school(file_of["teachers"], number, "school_id", parsed["teachers"].typed(number, "school_id"), known, "teachers"))  # fmt: skip
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
            problems.append(_unknown_school(file_of["needs"], number, "school_id", parsed["needs"].typed(number, "school_id"), known, "needs"))  # fmt: skip
            continue
        school = schools.get(n.school_id)
        if school is not None and not school.offers(n.stage):
            offered = sorted(school.stage.offers, key=list(type(n.stage)).index)
            problems.append(
                Problem(
                    file=file_of["needs"],
                    row=number,
                    column="stage",
                    value=parsed["needs"].typed(number, "stage"),
                    expected=f"学校 {school.school_id}（{school.stage.label_zh}）开设的学段："
                    + "、".join(f"{s.label_zh}({s.value})" for s in offered),
                    expected_en=f"a stage school {school.school_id} ({school.stage.value}) offers: "
                    + ", ".join(s.value for s in offered),
                    kind="stage_not_offered",
                    table="needs",
                )  # fmt: skip
            )
    problems.extend(_hour_need_problems(file_of.get("hours_needs", ""), parsed, known, schools))
    return problems


def _hour_need_problems(
    file: str, parsed: dict[str, _Parsed], known: set[str], schools: dict[str, School]
) -> list[Problem]:
    """hours_needs.csv (课时需求): a known school offering the stage, one row per subject."""
    table = parsed.get("hours_needs")
    if table is None:
        return []
    problems: list[Problem] = []
    first: dict[tuple[str, str, str], int] = {}
    for number, h in table.records:
        assert isinstance(h, HourNeed)
        if h.school_id not in known:
            problems.append(_unknown_school(file, number, "school_id", table.typed(number, "school_id"), known, "hours_needs"))  # fmt: skip
            continue
        school = schools.get(h.school_id)
        if school is not None and not school.offers(h.stage):
            problems.append(
                Problem(
                    file=file, row=number, column="stage", value=table.typed(number, "stage"),
                    expected=f"学校 {school.school_id}（{school.stage.label_zh}）开设的学段",
                    expected_en=f"a stage school {school.school_id} ({school.stage.value}) offers",
                    kind="stage_not_offered", table="hours_needs",
                )  # fmt: skip
            )
            continue
        key = (h.school_id, h.stage.value, h.subject.value)
        if key in first:
            problems.append(
                Problem(
                    file=file, row=number, column="subject", value=table.typed(number, "subject"),
                    expected=f"每校每学段每学科一行（第{first[key]}行已列出）",
                    expected_en=f"one row per school, stage and subject (row {first[key]} has it)",
                    kind="duplicate", table="hours_needs",
                )  # fmt: skip
            )
            continue
        first[key] = number
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
    return Problem(
        file=file, row=row, column=column, value=value,
        expected="学校表中已有的学校编号", expected_en="a school_id listed in the schools table",
        suggestion=close_match(value, sorted(known)), kind="unknown_school", table=table,
    )  # fmt: skip
