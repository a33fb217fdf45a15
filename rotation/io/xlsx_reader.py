"""Streaming an .xlsx workbook's sheets, bounded: only the cells that hold something.

openpyxl opens the workbook (sheet names, styles, shared strings) after the zip
container has been checked: its member sizes against the unpacked limit, and no XML
part declaring a DTD or entities (an xlsx never does; an entity bomb always does).
Each sheet's XML is then streamed (``sheet_scan``, or the element tree below for a sheet
not in UTF-8) rather than through openpyxl's row iterator,
which pads every row to the sheet's declared used range: a sheet whose
``<dimension>`` claims ``A1:XFD1048576`` costs nothing here, because rows and cells
that are absent from the XML are never materialised. Limits (rows, columns, cell
length, unpacked bytes) are checked as each row is read, and reading stops after a
long run of blank rows.
"""

from __future__ import annotations

import functools
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from pyexpat import ExpatError
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError, iterparse

from openpyxl.utils.cell import column_index_from_string, coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

from rotation.io.cells import FormattedNumber, address
from rotation.io.limits import ReadLimits

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}f"
_INLINE, _TEXT, _SHEET_DATA = f"{_MAIN}is", f"{_MAIN}t", f"{_MAIN}sheetData"
_MERGE = f"{_MAIN}mergeCell"
_MAX_MEMBERS = 10_000
_BUILTIN_LIMIT = 164
# a real sheet compresses 5–30:1 (blank formatted rows to the sheet's end about 16:1);
# past 10 MB unpacked, a ratio over 100:1 is a bomb or one enormous repeated cell
_RATIO_FLOOR = 10 * 1024 * 1024
_MAX_RATIO = 100


class WorkbookRefused(ValueError):
    """The workbook cannot be read safely: what is wrong (Chinese, English) and where."""

    def __init__(self, zh: str, en: str, *, cell: str | None = None, kind: str = "bad_file"):
        super().__init__(en)
        self.zh, self.en, self.cell, self.kind = zh, en, cell, kind


@dataclass(slots=True)
class SheetCells:
    """The non-blank rows of one sheet, and what the officer cannot see in the values."""

    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    uncached: set[tuple[int, int]] = field(default_factory=set)  # formulas without a value
    stopped_after: int | None = None  # last row read when a blank run ended the reading


def check_container(path: Path, limits: ReadLimits) -> None:
    """Refuse a zip that is not one, unpacks too large, or carries DTDs in its XML."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > _MAX_MEMBERS:
                raise WorkbookRefused(
                    f"压缩包内文件过多（{len(infos)} 个）",
                    f"too many parts in the package ({len(infos)})",
                    kind="too_large",
                )
            unpacked = sum(i.file_size for i in infos)
            if unpacked > limits.max_unpacked_bytes:
                raise WorkbookRefused(
                    f"解压后 {unpacked / 2**20:.0f} MB，超过 {limits.max_unpacked_bytes / 2**20:.0f} MB 上限",
                    f"unpacks to {unpacked / 2**20:.0f} MB, over the "
                    f"{limits.max_unpacked_bytes / 2**20:.0f} MB limit",
                    kind="too_large",
                )
            for info in infos:
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > _RATIO_FLOOR and ratio > _MAX_RATIO:
                    raise WorkbookRefused(
                        f"{info.filename} 压缩比 {ratio:.0f}:1，远超正常工作表（疑为压缩炸弹或异常内容）",
                        f"{info.filename} is compressed {ratio:.0f}:1, far beyond a real sheet",
                        kind="too_large",
                    )
                if info.filename.endswith((".xml", ".rels")):
                    with zf.open(info) as member:
                        head = member.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise WorkbookRefused(
                            f"{info.filename} 含有 DTD/实体声明（Excel 从不写入，疑为恶意文件）",
                            f"{info.filename} declares a DTD or entities (Excel never does)",
                        )
    except WorkbookRefused:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise WorkbookRefused(
            "文件已损坏或不是 .xlsx 工作簿", f"damaged or not an .xlsx workbook ({exc})"
        ) from exc


class _Capped:
    """A readable stream that refuses to deliver more than ``budget`` bytes."""

    def __init__(self, stream: IO[bytes], budget: int) -> None:
        self.stream, self.budget, self.read_bytes = stream, budget, 0

    def read(self, n: int = -1) -> bytes:
        data = self.stream.read(n if n and n > 0 else 1 << 16)
        self.read_bytes += len(data)
        if self.read_bytes > self.budget:
            raise WorkbookRefused(
                f"工作表解压后超过 {self.budget / 2**20:.0f} MB 上限",
                f"the sheet unpacks to more than {self.budget / 2**20:.0f} MB",
                kind="too_large",
            )
        return data


class StyleFormats:
    """Style id → (is a date, number format) from the workbook openpyxl opened."""

    def __init__(self, wb: Any) -> None:
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        self._date_ids: set[int] = set(getattr(wb, "_date_formats", set()))
        self._formats: dict[int, str] = {}
        custom = list(getattr(wb, "_number_formats", []))
        for i, style in enumerate(getattr(wb, "_cell_styles", [])):
            fid = int(style.numFmtId)
            fmt = BUILTIN_FORMATS.get(fid) if fid < _BUILTIN_LIMIT else None
            if fid >= _BUILTIN_LIMIT and fid - _BUILTIN_LIMIT < len(custom):
                fmt = custom[fid - _BUILTIN_LIMIT]
            if fmt and fmt != "General":
                self._formats[i] = fmt

    def is_date(self, style: int) -> bool:
        return style in self._date_ids

    def number_format(self, style: int) -> str | None:
        return self._formats.get(style)


def read_sheet(wb: Any, title: str, limits: ReadLimits, budget: int) -> tuple[SheetCells, int]:
    """The sheet's cells and the unpacked bytes it used; ``WorkbookRefused`` past a limit."""
    ws = wb[title]
    styles = StyleFormats(wb)
    shared: list[str] = list(getattr(ws, "_shared_strings", []))
    epoch = getattr(wb, "epoch", None)
    from rotation.io.sheet_scan import UnsupportedSheet, scan_rows

    out = SheetCells()
    try:
        with wb._archive.open(ws._worksheet_path) as member:  # noqa: SLF001 - no public stream
            stream = _Capped(member, budget)
            try:
                scan_rows(stream, out, shared, styles, epoch, limits)
            except UnsupportedSheet:  # not UTF-8: the element-tree reader decodes it
                out = SheetCells()
                with wb._archive.open(ws._worksheet_path) as again:  # noqa: SLF001
                    stream = _Capped(again, budget)
                    _stream_rows(stream, out, shared, styles, epoch, limits)
    except WorkbookRefused:
        raise
    except (ParseError, ExpatError, UnicodeDecodeError, ValueError, zlib.error,
            zipfile.BadZipFile, EOFError, OSError) as exc:  # fmt: skip
        raise WorkbookRefused(
            f"工作表“{title}”已损坏，无法读取（{type(exc).__name__}）",
            f"sheet {title!r} is damaged and cannot be read ({exc})",
        ) from exc
    return out, stream.read_bytes


def _stream_rows(
    stream: _Capped,
    out: SheetCells,
    shared: list[str],
    styles: StyleFormats,
    epoch: datetime | None,
    limits: ReadLimits,
) -> None:
    last_row = 0
    last_data = 0
    for _, el in iterparse(stream, events=("end",)):  # type: ignore[arg-type]
        tag = el.tag
        if tag == _ROW:
            number = int(el.get("r") or last_row + 1)
            last_row = number
            cells = _row_cells(el, number, out, shared, styles, epoch, limits)
            el.clear()  # an emptied row stays in sheetData: ~100 bytes, rows are bounded
            if cells:
                add_row(out, number, cells, limits)
                last_data = number
            elif out.rows and number - last_data > limits.max_blank_run:
                out.stopped_after = last_data
                return
        elif tag == _MERGE:
            ref = el.get("ref") or ""
            if ":" in ref:
                a, b = ref.split(":", 1)
                (r1, c1), (r2, c2) = coordinate_to_tuple(a), coordinate_to_tuple(b)
                out.merged.append((r1, c1, r2, c2))


def _row_cells(
    row: Element,
    number: int,
    out: SheetCells,
    shared: list[str],
    styles: StyleFormats,
    epoch: datetime | None,
    limits: ReadLimits,
) -> list[object]:
    values: dict[int, object] = {}
    column = 0
    for c in row:
        if c.tag != _CELL:
            continue
        ref = c.get("r")
        column = column_of(ref) if ref else column + 1
        value = _cell_value(c, shared, styles, epoch)
        if value is None:
            if c.find(_FORMULA) is not None:
                out.uncached.add((number, column))
            continue
        keep_cell(values, number, column, value, limits)
    return as_row(values)


def keep_cell(
    values: dict[int, object], row: int, column: int, value: object, limits: ReadLimits
) -> None:
    """Add a non-empty value to the row, refusing one past the length or column limit."""
    if isinstance(value, str):
        if not value.strip():
            return
        if len(value) > limits.max_cell_chars:
            raise WorkbookRefused(
                f"单元格内容 {len(value)} 个字符，超过 {limits.max_cell_chars} 字符上限",
                f"a cell of {len(value)} characters, over the {limits.max_cell_chars} limit",
                cell=address(row, column), kind="too_large",
            )  # fmt: skip
    if column > limits.max_columns:
        raise WorkbookRefused(
            f"第 {column} 列有内容，超过 {limits.max_columns} 列上限（请删除表格右侧的多余内容）",
            f"a value in column {column}, beyond the {limits.max_columns}-column limit",
            cell=address(row, column), kind="too_large",
        )  # fmt: skip
    values[column] = value


def as_row(values: dict[int, object]) -> list[object]:
    if not values:
        return []
    cells: list[object] = [None] * max(values)
    for col, value in values.items():
        cells[col - 1] = value
    return cells


def add_row(out: SheetCells, number: int, cells: list[object], limits: ReadLimits) -> None:
    out.rows.append((number, cells))
    if len(out.rows) > limits.max_rows + limits.header_search_rows:
        raise WorkbookRefused(
            f"超过 {limits.max_rows} 行上限", f"more than {limits.max_rows} rows",
            cell=f"第{number}行", kind="too_large",
        )  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _column_index(letters: str) -> int:
    return column_index_from_string(letters)


def column_of(ref: str) -> int:
    return _column_index(ref.rstrip("0123456789"))


def _cell_value(
    c: Element, shared: list[str], styles: StyleFormats, epoch: datetime | None
) -> object:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        inline = c.find(_INLINE)
        return "".join(t.text or "" for t in inline.iter(_TEXT)) if inline is not None else None
    return convert(kind, int(c.get("s") or 0), c.findtext(_VALUE), shared, styles, epoch)


def convert(
    kind: str,
    style: int,
    text: str | None,
    shared: list[str],
    styles: StyleFormats,
    epoch: datetime | None,
) -> object:
    """A cell's value from its type attribute ``t``, style ``s`` and ``<v>`` text."""
    if text is None or text == "":
        return None
    if kind == "s":
        try:
            return shared[int(text)]
        except (ValueError, IndexError):
            raise WorkbookRefused(
                "共享字符串索引无效（文件已损坏）", "invalid shared string index (damaged file)"
            ) from None
    if kind in ("str", "e", "inlineStr"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        try:
            return from_ISO8601(text)
        except ValueError:
            return text
    try:
        number: float = float(text)
    except ValueError:
        return text
    if styles.is_date(style):
        try:
            return from_excel(number, epoch) if epoch is not None else from_excel(number)
        except (OverflowError, ValueError):
            return number
    fmt = styles.number_format(style)
    if fmt is not None:
        return FormattedNumber(number, fmt)
    if number.is_integer() and abs(number) < 2**53 and "." not in text and "E" not in text.upper():
        return int(number)
    return number
