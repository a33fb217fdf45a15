"""Broken, hostile and oversized inputs are refused with a clear message, quickly (issue 12 item 7).

Each file is generated here: a sheet whose used range claims the whole sheet, a
corrupt deflate stream, broken sheet XML, an XML entity bomb, a 200,000-character
CSV field, numbers of 10^30 and 2^63, a 60 MB cell. Timing belongs in bench/; these
tests would still take minutes if a limit were checked only after the parse.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from io_roster import write_roster  # noqa: E402
from office_rosters import office_workbook, rewrite_member, sheet_member, teacher_row  # noqa: E402

from rotation.io import DatasetError, Problem, read_dataset, read_roster  # noqa: E402
from rotation.io.limits import ReadLimits  # noqa: E402


def problems_of(path: Path, limits: ReadLimits | None = None) -> list[Problem]:
    with pytest.raises(DatasetError) as info:
        read_dataset(path, limits or ReadLimits())
    return info.value.problems


def teachers_xml(path: Path) -> str:
    return sheet_member(path, "教师")


def test_a_used_range_claiming_the_whole_sheet_reads_only_the_real_rows(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    rewrite_member(
        path,
        teachers_xml(path),
        lambda xml: xml.replace(b'<dimension ref="A1:K3" />', b'<dimension ref="A1:XFD1048576"/>'),
    )
    with zipfile.ZipFile(path) as zf:
        assert b"A1:XFD1048576" in zf.read(teachers_xml(path))
    assert len(read_dataset(path).teachers) == 2


def test_one_stray_cell_in_the_last_row_is_named_not_hung_on(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    stray = (
        b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )
    rewrite_member(
        path,
        teachers_xml(path),
        lambda xml: xml.replace(
            b'<dimension ref="A1:K3" />', b'<dimension ref="A1:XFD1048576"/>'
        ).replace(b"</sheetData>", stray),
    )
    problems = problems_of(path)
    assert {p.row for p in problems} == {1048576}


def test_a_long_run_of_formatted_blank_rows_stops_the_reading_with_a_note(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    blank = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % r for r in range(4, 60_000))
    rewrite_member(
        path, teachers_xml(path), lambda xml: xml.replace(b"</sheetData>", blank + b"</sheetData>")
    )
    imported = read_roster(path)
    (note,) = [w for w in imported.warnings if w.kind == "stopped_reading"]
    assert note.row == 3 and len(imported.dataset.teachers) == 2


def test_a_corrupt_deflate_stream_is_refused(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    member = teachers_xml(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 10, start + info.compress_size - 4):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    (p,) = problems_of(path)
    assert p.kind == "bad_file" and "损坏" in p.message()


def test_broken_sheet_xml_is_refused(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    rewrite_member(path, teachers_xml(path), lambda xml: xml[: len(xml) // 2])
    (p,) = problems_of(path)
    assert p.kind == "bad_file" and "教师" in p.file and "损坏" in p.message()


def test_an_xml_entity_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'.encode()
    rewrite_member(path, teachers_xml(path), lambda xml: bomb + xml.replace(b"<t>", b"<t>&e9;", 1))
    (p,) = problems_of(path)
    assert p.kind == "bad_file" and "DTD" in p.message()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "r.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    (p,) = problems_of(fake)
    assert p.kind == "bad_file"


def test_a_60_mb_cell_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    huge = b"x" * (60 * 1024 * 1024)
    row = b'<row r="4"><c r="B4" t="inlineStr"><is><t>' + huge + b"</t></is></c></row></sheetData>"
    rewrite_member(path, teachers_xml(path), lambda xml: xml.replace(b"</sheetData>", row), level=1)
    (p,) = problems_of(path)
    assert p.kind == "too_large" and "压缩比" in p.message()


def test_a_cell_past_the_length_limit_is_refused_by_name_not_dropped(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    long = b"x" * 3_000_000
    row = b'<row r="4"><c r="B4" t="inlineStr"><is><t>' + long + b"</t></is></c></row></sheetData>"
    rewrite_member(path, teachers_xml(path), lambda xml: xml.replace(b"</sheetData>", row))
    (p,) = problems_of(path)
    assert p.kind == "too_large" and p.value == "B4" and "3000000 个字符" in p.message()


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx")
    (p,) = problems_of(path, ReadLimits(max_unpacked_bytes=2_000))
    assert p.kind == "too_large" and "解压后" in p.message()


def test_the_row_limit_is_checked_while_reading(tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        problems = problems_of(
            write_roster(fmt, tmp_path / fmt), ReadLimits(max_rows=3, header_search_rows=1)
        )
        assert problems and {p.kind for p in problems} == {"too_large"}, fmt
        assert "超过 3 行上限" in problems[0].message()


def test_a_file_past_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)
    problems = problems_of(folder, ReadLimits(max_file_bytes=100))
    assert {p.kind for p in problems} == {"too_large"}


def test_a_csv_field_of_200000_characters_is_refused(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path, [("teachers", 2, "exempt", "长" * 200_000)])
    (p,) = problems_of(folder)
    assert p.kind == "too_large" and p.file == "teachers.csv" and p.row == 3
    assert "2000 字符上限" in p.message()


def test_an_unclosed_quote_is_refused_as_a_broken_csv(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)
    text = (folder / "teachers.csv").read_text(encoding="utf-8")
    (folder / "teachers.csv").write_text(
        text.replace("张伟", '"张伟' + "x" * 140_000), encoding="utf-8"
    )
    (p,) = problems_of(folder)
    assert p.file == "teachers.csv" and p.kind in ("bad_file", "too_large")


@pytest.mark.parametrize(
    "students", ["1000000000000000000000000000000", "9223372036854775808", "1e30"]
)
def test_enormous_numbers_are_out_of_range(students: str, tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        (p,) = problems_of(
            write_roster(fmt, tmp_path / fmt, [("schools", 1, "students", students)])
        )
        assert (p.kind, p.column, p.value) == ("out_of_range", "students", students)
        assert "100000" in p.message()


def test_a_need_of_100000_is_out_of_range(tmp_path: Path) -> None:
    (p,) = problems_of(write_roster("csv", tmp_path, [("needs", 1, "count", "100000")]))
    assert (p.kind, p.column) == ("out_of_range", "count")


def test_a_refused_workbook_loads_nothing_and_says_so(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx", [teacher_row(1)])
    rewrite_member(path, teachers_xml(path), lambda xml: b"<worksheet><sheetData><row>")
    with pytest.raises(DatasetError) as info:
        read_dataset(path)
    assert "未导入任何数据" in info.value.report()
