"""What a cell held, beyond its value: a number's display format, a spreadsheet address."""

from __future__ import annotations

import re

from openpyxl.utils.cell import get_column_letter


class FormattedNumber(float):
    """A numeric workbook cell with a number format other than General (e.g. ``0.00``).

    It behaves as the float it is; the format tells how the officer saw it, which
    decides whether ``1982.1`` was typed as 1982.10.
    """

    number_format: str

    def __new__(cls, value: float, number_format: str) -> FormattedNumber:
        obj = super().__new__(cls, value)
        obj.number_format = number_format
        return obj

    def decimals_shown(self) -> int | None:
        """How many decimals the format shows (``0.00`` → 2), None when it does not say."""
        section = self.number_format.split(";")[0]
        match = re.search(r"0\.(0+)", section)
        if match:
            return len(match.group(1))
        if re.search(r"(^|[^.#])0($|[^.0#])", section) and "." not in section:
            return 0
        return None


def address(row: int, column: int) -> str:
    """``B7`` for row 7, column 2 (1-based), as Excel names a cell."""
    return f"{get_column_letter(column)}{row}"
