"""Reading one cell: text, numbers, booleans, dates and coded values in English or Chinese."""

from __future__ import annotations

import functools
import math
import re
from datetime import date, datetime

from rotation.enums import LabelledEnum
from rotation.io.cells import FormattedNumber
from rotation.io.columns import Column
from rotation.io.suggest import close_match
from rotation.io.synonyms import spellings, synonym

_TRUE = frozenset({"1", "是", "true", "t", "y", "yes", "对", "√"})
_FALSE = frozenset({"0", "否", "false", "f", "n", "no", "不是", "×"})
_FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
DATE_FORMS_ZH = (
    "日期 1985-03-02、1985/3/2、1985.3.2、1985年3月2日、19850302；"
    "或年月 1985-03、1985/03、1985.03、1985年3月、198503（按该月1日计）；或 Excel 日期单元格"
)
DATE_FORMS_EN = (
    "a date 1985-03-02, 1985/3/2, 1985.3.2, 1985年3月2日 or 19850302; "
    "or a year and month 1985-03, 1985/03, 1985.03, 1985年3月 or 198503 (read as the 1st); "
    "or an Excel date cell"
)
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
    if isinstance(raw, FormattedNumber):
        shown = raw.decimals_shown()
        if shown is not None and not raw.is_integer():
            return f"{raw:.{shown}f}"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(float(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def parse_cell(column: Column, raw: object, *, from_csv: bool = False) -> object | None:
    """The cell's value for the model, or None when blank and a default applies.

    ``from_csv``: the text came from a CSV file, where Excel may have dropped a
    trailing zero (1982.10 saved as 1982.1), so such a year-month is ambiguous.
    """
    text = cell_text(raw)
    if text == "":
        if column.blank_ok:
            return None
        raise CellError("非空值", "a value", kind="blank")
    if column.kind == "date":
        return read_date(raw, text, from_csv=from_csv)
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
    if column.name.endswith("_year"):  # a year column may hold the date it began: 2015-09-01
        if isinstance(raw, date):
            return raw.year
        if isinstance(raw, str) and (_FULL_DATE.match(text) or _YEAR_MONTH.match(text)):
            return int(text[:4])
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


def read_date(raw: object, text: str, *, from_csv: bool = False) -> date:
    """A full date, or a year-month read as the month's first day, in any accepted form.

    A number is never taken as an Excel date serial: a date cell arrives as a date
    (openpyxl reads its format). ``1982.09`` as a number is September 1982; ``1982.1``
    is January only when typed as text in a workbook; as a number (or in a CSV saved
    by Excel) it may be 1982.10 with its zero dropped, so it is read by the cell's
    number format where that shows two decimals, and refused as ambiguous otherwise.
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _date_from_number(raw, text)
    candidate = re.split(r"[ T]", text.strip(), maxsplit=1)[0]
    if re.fullmatch(r"\d{4}\.1", candidate) and from_csv:
        raise _ambiguous(candidate)
    return _date_from_text(candidate)


def _date_from_number(raw: float, text: str) -> date:
    if float(raw).is_integer():
        digits = str(int(raw))
        if len(digits) in (6, 8):
            return _date_from_text(digits)
        raise _bad_date()
    shown = raw.decimals_shown() if isinstance(raw, FormattedNumber) else None
    if shown == 2:
        return _date_from_text(f"{raw:.2f}")
    fraction = repr(float(raw)).split(".", 1)[1]
    if fraction == "1":
        raise _ambiguous(text)
    if len(fraction) in (1, 2):
        return _date_from_text(repr(float(raw)))
    raise _bad_date()


def _date_from_text(text: str) -> date:
    year = month = None
    day = 1
    if m := _FULL_DATE.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _YEAR_MONTH.match(text):
        year, month = int(m[1]), int(m[2])
    elif text.isdigit() and len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    elif text.isdigit() and len(text) == 6:
        year, month = int(text[:4]), int(text[4:])
    if year is None or month is None or year < 1000:
        raise _bad_date()
    try:
        return date(year, month, day)
    except ValueError:
        raise _bad_date() from None


def _bad_date() -> CellError:
    return CellError(DATE_FORMS_ZH, DATE_FORMS_EN)


def _ambiguous(text: str) -> CellError:
    y = text.split(".")[0]
    return CellError(
        f"{text} 可能是 {y}年1月，也可能是 {y}.10（Excel 把数字 {y}.10 显示为 {y}.1）："
        f"请写成 {y}-01 或 {y}-10，或把该列设为文本或两位小数格式。可用写法：{DATE_FORMS_ZH}",
        f"{text} may be January {y}, or {y}.10 shown by Excel without its zero: write "
        f"{y}-01 or {y}-10, or format the column as text or with two decimals. Accepted: "
        f"{DATE_FORMS_EN}",
        kind="ambiguous_date",
    )


def _enum(column: Column, raw: object, text: str) -> object:
    enum = column.enum
    assert enum is not None
    try:
        return _parse_enum(enum, text)
    except ValueError:
        pass
    known = synonym(enum, text)
    if known is not None:
        return known
    raise CellError(
        enum.choices_zh(), ", ".join(m.value for m in enum), close_match(text, spellings(enum))
    )


@functools.cache
def _parse_enum(enum: type[LabelledEnum], text: str) -> LabelledEnum:
    """``enum.parse`` remembered: a roster repeats the same few spellings thousands of times."""
    return enum.parse(text)


def _list(column: Column, raw: object, text: str) -> tuple[str, ...]:
    for sep in _LIST_SEPARATORS:
        text = text.replace(sep, ";")
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _weekdays(column: Column, raw: object, text: str) -> tuple[LabelledEnum, ...]:
    enum = column.enum
    assert enum is not None
    out: list[LabelledEnum] = []
    for part in _list(column, raw, text):
        try:
            day = _parse_enum(enum, part)
        except ValueError:
            raise CellError(
                f"周一至周五，用分号分隔（如 周一;周三）：{enum.choices_zh()}",
                "weekdays mon-fri separated by ';' (e.g. mon;wed): "
                + ", ".join(m.value for m in enum),
                close_match(part, spellings(enum)),
            ) from None
        if day not in out:
            out.append(day)
    return tuple(sorted(out, key=list(enum).index))


_READERS = {
    "text": _text,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "enum": _enum,
    "list": _list,
    "weekdays": _weekdays,
}
