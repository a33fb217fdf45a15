"""The fast path through a sheet's XML: expat checks it is well-formed, regexes pick the cells.

Building an element tree for every ``<c>``, ``<v>``, ``<is>`` and ``<t>`` of a sheet costs
about 2 µs an element in Python, more than a second per MB of workbook. Here the bytes
are fed to expat with no handlers (it only proves the XML well-formed, at C speed), and
the rows and cells are found by regular expressions over the same bytes, so Python
touches each cell once. The spreadsheetml a sheet holds is regular enough for this:
``<row r=..>`` elements of ``<c r=.. s=.. t=..>`` cells holding ``<f>``, ``<v>`` or an
inline ``<is>`` string; tags may carry a namespace prefix. A sheet whose XML is not
UTF-8 is read by the element-tree path instead (``UnsupportedSheet``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from datetime import datetime
from html import unescape
from pyexpat import ParserCreate
from typing import Protocol

from rotation.io.limits import ReadLimits
from rotation.io.xlsx_reader import (
    SheetCells,
    StyleFormats,
    WorkbookRefused,
    add_row,
    as_row,
    column_of,
    convert,
    keep_cell,
)

_P = rb"(?:[\w.-]+:)?"  # an optional namespace prefix
_ROW = re.compile(rb"<" + _P + rb"row\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"row\s*>)", re.S)
_ROW_NUMBER = re.compile(rb"""(?:^|\s)r\s*=\s*["'](\d+)["']""")
_ROW_START = re.compile(rb"<" + _P + rb"row\b")
# the shapes Excel and most writers use, read in one match (r, s, t attributes in order,
# a plain value or a plain inline string); anything else by the general pattern after it
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})\d+"(?: s="(\d+)")?(?: t="([a-zA-Z]+)")?'
    rb"\s*(?:/>|>(?:<v>([^<&]*)</v>|<is><t>([^<&]*)</t></is>)</c>)"
    rb"|<" + _P + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"c\s*>)",
    re.S,
)
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_V = re.compile(rb"<" + _P + rb"v\b[^>]*?(?:/>|>(.*?)</" + _P + rb"v\s*>)", re.S)
_F = re.compile(rb"<" + _P + rb"f\b")
_T = re.compile(rb"<" + _P + rb"t\b[^>]*?(?:/>|>(.*?)</" + _P + rb"t\s*>)", re.S)
_PHONETIC = re.compile(rb"<" + _P + rb"rPh\b.*?</" + _P + rb"rPh\s*>", re.S)
_MERGE = re.compile(rb"<" + _P + rb"mergeCell\b([^>]*?)/?>")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)
_AFTER_NAME = (b" ", b">", b"/", b"\t", b"\n", b"\r")
_CHUNK = 1 << 20
_MAX_PENDING = 16 * 1024 * 1024  # no real row holds this much XML


class UnsupportedSheet(Exception):
    """The sheet's XML is in an encoding other than UTF-8: use the element-tree reader."""


def _attrs(raw: bytes) -> dict[bytes, bytes]:
    return {m[1].split(b":")[-1]: m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(raw)}


def _text(raw: bytes) -> str:
    if b"<![CDATA[" in raw:
        raw = _CDATA.sub(lambda m: m[1].replace(b"&", b"&amp;").replace(b"<", b"&lt;"), raw)
    text = raw.decode("utf-8")
    return unescape(text) if "&" in text else text


class Readable(Protocol):
    """What the scanner reads from: a zip member, or one capped at a budget."""

    def read(self, n: int = -1, /) -> bytes: ...


def scan_rows(
    stream: Readable,
    out: SheetCells,
    shared: list[str],
    styles: StyleFormats,
    epoch: datetime | None,
    limits: ReadLimits,
) -> None:
    """Fill ``out`` from the sheet XML in ``stream``; ``ExpatError`` if it is not well-formed."""
    checker = ParserCreate()
    pending = b""
    first = True
    state = _State()
    while chunk := stream.read(_CHUNK):
        if first:
            declared = _ENCODING.match(chunk)
            if declared and declared[1].lower().replace(b"-", b"") != b"utf8":
                raise UnsupportedSheet(declared[1].decode("ascii", "replace"))
            first = False
        checker.Parse(chunk, False)
        pending += chunk
        end = _rows(pending, out, shared, styles, epoch, limits, state)
        if state.stopped:
            return
        pending = pending[end:]
        if len(pending) > _MAX_PENDING:
            if _ROW_START.search(pending):
                raise WorkbookRefused(
                    f"一行的内容超过 {_MAX_PENDING // 2**20} MB", "a row holds more than 16 MB",
                    kind="too_large",
                )  # fmt: skip
            _merges(pending, out)
            pending = pending[pending.rfind(b">") + 1 :]
    checker.Parse(b"", True)
    _merges(pending, out)


class _State:
    __slots__ = ("last_row", "last_data", "stopped")

    def __init__(self) -> None:
        self.last_row = 0
        self.last_data = 0
        self.stopped = False


def _rows(
    data: bytes,
    out: SheetCells,
    shared: list[str],
    styles: StyleFormats,
    epoch: datetime | None,
    limits: ReadLimits,
    state: _State,
) -> int:
    """Read every complete row in ``data``; the offset after the last one."""
    end = 0
    for attrs_raw, body, row_end in _row_spans(data):
        end = row_end
        found = _ROW_NUMBER.search(attrs_raw)
        number = int(found[1]) if found else state.last_row + 1
        state.last_row = number
        cells = _cells(body, number, out, shared, styles, epoch, limits)
        if cells:
            add_row(out, number, cells, limits)
            state.last_data = number
        elif out.rows and number - state.last_data > limits.max_blank_run:
            out.stopped_after = state.last_data
            state.stopped = True
            break
    return end


def _row_spans(data: bytes) -> Iterator[tuple[bytes, bytes, int]]:
    """(attributes, body, end offset) of each complete row; ``bytes.find`` for plain tags."""
    first = _ROW_START.search(data)
    if first is not None and not first[0].startswith(b"<row"):  # prefixed tags: by regex
        for m in _ROW.finditer(data):
            yield m[1], m[2] or b"", m.end()
        return
    pos = 0
    while (start := data.find(b"<row", pos)) >= 0:
        if data[start + 4 : start + 5] not in _AFTER_NAME:
            pos = start + 4  # <rowBreaks> and the like
            continue
        tag_end = data.find(b">", start)
        if tag_end < 0:
            return
        if data[tag_end - 1 : tag_end] == b"/":
            yield data[start + 4 : tag_end - 1], b"", tag_end + 1
            pos = tag_end + 1
            continue
        close = data.find(b"</row>", tag_end)
        if close < 0:
            return
        yield data[start + 4 : tag_end], data[tag_end + 1 : close], close + 6
        pos = close + 6


def _cells(
    body: bytes,
    number: int,
    out: SheetCells,
    shared: list[str],
    styles: StyleFormats,
    epoch: datetime | None,
    limits: ReadLimits,
) -> list[object]:
    values: dict[int, object] = {}
    column = 0
    for c in _CELL.finditer(body):
        letters, style, kind_b, v, inline, attrs_b, inner = c.groups()
        if letters is not None:  # the common shape
            column = _column_index(letters)
            if inline is not None:
                inline_text = inline.decode("utf-8")
                if column <= limits.max_columns and len(inline_text) <= limits.max_cell_chars:
                    if inline_text.strip():
                        values[column] = inline_text
                    continue
                value: object = inline_text  # over a limit: the checks below report it
            elif v is not None:
                kind = kind_b.decode("ascii") if kind_b else "n"
                value = convert(kind, int(style or 0), v.decode("utf-8"), shared, styles, epoch)
            else:
                continue
        else:
            attrs = _attrs(attrs_b)
            ref = attrs.get(b"r")
            column = column_of(ref.decode("ascii")) if ref else column + 1
            if not inner:
                continue
            kind = attrs.get(b"t", b"n").decode("ascii")
            if kind == "inlineStr":
                inner = _PHONETIC.sub(b"", inner)
                value = "".join(_text(t[1] or b"") for t in _T.finditer(inner))
            else:
                found = _V.search(inner)
                text = _text(found[1]) if found and found[1] is not None else None
                value = convert(kind, int(attrs.get(b"s") or 0), text, shared, styles, epoch)
            if value is None or value == "":
                if _F.search(inner):
                    out.uncached.add((number, column))
                continue
        if value is None or value == "":
            continue
        keep_cell(values, number, column, value, limits)
    return as_row(values)


@functools.lru_cache(maxsize=4096)
def _column_index(letters: bytes) -> int:
    return column_of(letters.decode("ascii"))


def _merges(data: bytes, out: SheetCells) -> None:
    from openpyxl.utils.cell import coordinate_to_tuple

    for m in _MERGE.finditer(data):
        ref = _attrs(m[1]).get(b"ref", b"").decode("ascii")
        if ":" in ref:
            a, b = ref.split(":", 1)
            (r1, c1), (r2, c2) = coordinate_to_tuple(a), coordinate_to_tuple(b)
            out.merged.append((r1, c1, r2, c2))
