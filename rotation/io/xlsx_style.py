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


def print_setup(ws: Any) -> None:
    """Landscape A4, every column on one page's width, the header row repeated on each page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    ws.print_options.horizontalCentered = True
