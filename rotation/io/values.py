"""Reading one cell: text, numbers, booleans, dates and coded values in English or Chinese."""

from __future__ import annotations

import difflib
import functools
import math
from datetime import date, datetime

from rotation.enums import LabelledEnum
from rotation.io.columns import Column

_TRUE = frozenset({"1", "是", "true", "t", "y", "yes", "对", "√"})
_FALSE = frozenset({"0", "否", "false", "f", "n", "no", "不是", "×"})
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_LIST_SEPARATORS = ("；", "，", "、", ",")


class CellError(ValueError):
    """A cell that cannot be read, with what was expected (Chinese and English)."""

    def __init__(
        self,
        expected: str,
        expected_en: str,
        suggestion: str | None = None,
        kind: str = "invalid",
    ) -> None:
        super().__init__(expected_en)
        self.expected = expected
        self.expected_en = expected_en
        self.suggestion = suggestion
        self.kind = kind


def cell_text(raw: object) -> str:
    """A cell as the text a user typed: 2019.0 → "2019", a date → "1985-03-02", None → ""."""
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "1" if raw else "0"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def parse_cell(column: Column, raw: object) -> object | None:
    """The cell's value for the model, or None when blank and a default applies."""
    text = cell_text(raw)
    if text == "":
        if column.blank_ok:
            return None
        raise CellError("非空值", "a value", kind="blank")
    reader = _READERS[column.kind]
    return reader(column, raw, text)


def _text(column: Column, raw: object, text: str) -> str:
    return text


def _number(column: Column, raw: object, text: str, *, integer: bool) -> float:
    what_zh, what_en = ("整数", "an integer") if integer else ("数字", "a number")
    if isinstance(raw, bool):
        raise CellError(what_zh, what_en)
    try:
        value = (
            float(raw)
            if isinstance(raw, int | float)
            else float(text.replace(",", "").replace("，", ""))
        )
    except ValueError:
        raise CellError(what_zh, what_en) from None
    if not math.isfinite(value) or (integer and not value.is_integer()):
        raise CellError(what_zh, what_en)
    lo, hi = column.minimum, column.maximum
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise CellError(_range_zh(lo, hi, what_zh), _range_en(lo, hi, what_en), kind="out_of_range")
    return value


def _range_zh(lo: float | None, hi: float | None, what: str) -> str:
    if hi is None:
        return f"不小于 {_num(lo)} 的{what}"
    if lo is None:
        return f"不大于 {_num(hi)} 的{what}"
    return f"{_num(lo)} 到 {_num(hi)} 之间的{what}"


def _range_en(lo: float | None, hi: float | None, what: str) -> str:
    if hi is None:
        return f"{what} ≥ {_num(lo)}"
    if lo is None:
        return f"{what} ≤ {_num(hi)}"
    return f"{what} between {_num(lo)} and {_num(hi)}"


def _num(x: float | None) -> str:
    return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))


def _int(column: Column, raw: object, text: str) -> int:
    return int(_number(column, raw, text, integer=True))


def _float(column: Column, raw: object, text: str) -> float:
    return _number(column, raw, text, integer=False)


def _bool(column: Column, raw: object, text: str) -> bool:
    folded = text.lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError("是/否 或 1/0", "1/0, 是/否, true/false or Y/N")


def _date(column: Column, raw: object, text: str) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool) and 1 <= raw < 80000:
        from openpyxl.utils.datetime import from_excel  # an unformatted Excel date serial

        return from_excel(raw).date()
    candidate = text.split(" ")[0].split("T")[0]
    if len(candidate) == 10 and candidate[4] == "-":
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    raise CellError("日期，格式 YYYY-MM-DD（如 1985-03-02）", "a date YYYY-MM-DD (e.g. 1985-03-02)")


def _enum(column: Column, raw: object, text: str) -> object:
    enum = column.enum
    assert enum is not None
    try:
        return _parse_enum(enum, text)
    except ValueError:
        pass
    spellings = [s for m in enum for s in (m.label_zh, m.value, *m.aliases)]
    close = difflib.get_close_matches(text.lower(), [s.lower() for s in spellings], n=1, cutoff=0.5)
    suggestion = None
    if close:
        suggestion = next(s for s in spellings if s.lower() == close[0])
    raise CellError(enum.choices_zh(), ", ".join(m.value for m in enum), suggestion)


@functools.cache
def _parse_enum(enum: type[LabelledEnum], text: str) -> LabelledEnum:
    """``enum.parse`` remembered: a roster repeats the same few spellings thousands of times."""
    return enum.parse(text)


def _list(column: Column, raw: object, text: str) -> tuple[str, ...]:
    for sep in _LIST_SEPARATORS:
        text = text.replace(sep, ";")
    return tuple(part.strip() for part in text.split(";") if part.strip())


_READERS = {
    "text": _text,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "date": _date,
    "enum": _enum,
    "list": _list,
}
