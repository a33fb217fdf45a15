"""Exports that cannot run code when opened in a spreadsheet (CSV / formula injection).

One rule, applied by every writer and reversed by every reader:

- **CSV**: a text value that a spreadsheet would take for a formula — one starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — is written with a single quote
  in front (OWASP, "CSV Injection"). Numbers are numbers, not formulas: ``-3`` or
  ``-0.25`` are written as they are. So that the rule can be undone without ambiguity,
  a value that already starts with quotes followed by one of those characters gets one
  more quote. Readers drop exactly one leading quote from such values
  (``restore_csv_cell``), so a written file reads back to the same values.
- **xlsx**: cells holding data are stored as text (strings), never as formulas; the value
  is unchanged (``=SUM(A1)`` in a teacher's name stays that text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_number_text(value: str) -> bool:
    """``-3``, ``+1.5``, ``-2e-3``: a number written as text, not a formula."""
    return _NUMBER.fullmatch(value) is not None


def safe_csv_cell(value: str) -> str:
    """The value as a CSV cell that no spreadsheet runs: a leading quote when it would."""
    if value and _NEEDS_QUOTE.match(value) and not is_number_text(value):
        return "'" + value
    return value


def safe_csv_row(values: Iterable[str]) -> list[str]:
    return [safe_csv_cell(v) for v in values]


def restore_csv_cell(value: str) -> str:
    """The value ``safe_csv_cell`` was given: one leading quote dropped where it added one."""
    if _QUOTED.match(value):
        return value[1:]
    return value


def restore_csv_row(values: Iterable[str]) -> list[str]:
    return [restore_csv_cell(v) for v in values]


def keep_formulas_out(workbook: Any) -> int:
    """Every cell of every sheet that openpyxl would write as a formula becomes text.

    openpyxl takes any string starting with ``=`` for a formula; the writers here only put
    data in cells, so each such cell is stored as a string with its value unchanged.
    Returns how many cells were changed.
    """
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed += 1
    return changed


def save_workbook(workbook: Any, path: str | Path) -> Path:
    """Save an openpyxl workbook with no formula from data (see ``keep_formulas_out``)."""
    keep_formulas_out(workbook)
    out = Path(path)
    workbook.save(out)
    return out
