"""The fast sheet scanner reads the spreadsheetml shapes writers produce, not only openpyxl's."""

from __future__ import annotations

import io
from pyexpat import ExpatError
from types import SimpleNamespace

import pytest

from rotation.io.limits import ReadLimits
from rotation.io.sheet_scan import UnsupportedSheet, scan_rows
from rotation.io.xlsx_reader import SheetCells, StyleFormats

STYLES = StyleFormats(SimpleNamespace(_date_formats=set(), _cell_styles=[], _number_formats=[]))
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def scan(xml: str, encoding: str = "utf-8") -> SheetCells:
    out = SheetCells()
    scan_rows(io.BytesIO(xml.encode(encoding)), out, ["共享"], STYLES, None, ReadLimits())
    return out


def test_prefixed_tags_rich_text_entities_booleans_and_uncached_formulas() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1" spans="1:2"><x:c r="A1" t="s"><x:v>0</x:v></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:r><x:t>甲&amp;</x:t></x:r>'
        '<x:r><x:t xml:space="preserve"> 乙</x:t></x:r></x:is></x:c></x:row>'
        '<x:row r="3"><x:c r="C3"><x:f>A1+1</x:f></x:c><x:c r="D3" t="b"><x:v>1</x:v></x:c>'
        "</x:row></x:sheetData>"
        '<x:mergeCells count="1"><x:mergeCell ref="A1:A2"/></x:mergeCells></x:worksheet>'
    )
    out = scan(xml)
    assert out.rows == [(1, ["共享", "甲& 乙"]), (3, [None, None, None, True])]
    assert out.uncached == {(3, 3)} and out.merged == [(1, 1, 2, 1)]


def test_cells_and_rows_without_addresses_follow_each_other() -> None:
    xml = (
        f'<worksheet {NS}><sheetData><row><c t="s"><v>0</v></c><c><v>2.5</v></c>'
        '<c t="str"><v>a&lt;b</v></c></row><row><c><v>7</v></c></row></sheetData></worksheet>'
    )
    assert scan(xml).rows == [(1, ["共享", 2.5, "a<b"]), (2, [7])]


def test_broken_xml_is_an_expat_error_and_another_encoding_goes_to_the_tree_reader() -> None:
    with pytest.raises(ExpatError):
        scan(f"<worksheet {NS}><sheetData><row r='1'><c r='A1'><v>1</v></row></worksheet>")
    with pytest.raises(UnsupportedSheet):
        scan(f'<?xml version="1.0" encoding="GBK"?><worksheet {NS}/>', "gbk")
