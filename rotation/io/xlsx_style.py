"""Making a worksheet ready to print: bold header, frozen header row, column widths, and a
page set-up an office printer obeys (landscape, fit to width, header row on every page)."""

from __future__ import annotations

import unicodedata
from typing import Any


def display_width(text: str) -> int:
    """Columns a string takes on screen or paper: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def style_sheet(ws: Any, max_width: int = 60, *, filters: bool = False) -> None:
    """Header, widths and print set-up; ``filters`` adds an autofilter over the table."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = cell.value.isoformat() if hasattr(cell.value, "isoformat") else str(cell.value)
            widths[cell.column] = max(widths.get(cell.column, 0), display_width(text))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max_width, width + 2)
    print_setup(ws)
    if filters and ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions


def wrap_columns(ws: Any, widths: dict[str, int]) -> None:
    """Fixed widths with wrapped, top-aligned text: long notes grow downward, not across the
    page (so fit-to-width keeps a readable type size)."""
    from openpyxl.styles import Alignment

    lines: dict[int, int] = {}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
        for cell in ws[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            if cell.value is not None:
                need = -(-display_width(str(cell.value)) // max(1, width - 2))
                lines[cell.row] = max(lines.get(cell.row, 1), need)
    for row, count in lines.items():
        if count > 1:  # spreadsheets do not grow a written row by themselves
            ws.row_dimensions[row].height = 15 * count


def print_setup(ws: Any) -> None:
    """Landscape A4, every column on one page's width, the header row repeated on each page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True
