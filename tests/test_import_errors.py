"""Bad rosters are rejected whole, with every problem located as a spreadsheet shows it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from io_roster import write_roster  # noqa: E402

from rotation.io import DatasetError, Problem, read_dataset  # noqa: E402

FORMATS = ["csv", "xlsx"]


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as info:
        read_dataset(path)
    assert isinstance(info.value, ValueError)
    return info.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.message("en") for p in problems]
    return problems[0]


def test_the_unedited_roster_loads(tmp_path: Path) -> None:
    for fmt in FORMATS:
        assert len(read_dataset(write_roster(fmt, tmp_path / fmt)).teachers) == 8


@pytest.mark.parametrize("fmt", FORMATS)
def test_misspelt_title_suggests_the_right_one(fmt: str, tmp_path: Path) -> None:
    p = only(problems_of(write_roster(fmt, tmp_path, [("teachers", 3, "title", "高极")])))
    assert (p.row, p.column, p.value, p.suggestion) == (4, "title", "高极", "高级")
    assert '职称 "高极" 不是有效值；是否为 "高级"?' in p.message()
    assert 'did you mean "高级"?' in p.message()
    assert "正高级(senior_plus)" in p.expected
    assert 'row 4: title "高极" is not a valid value' in p.message("en")
    assert "职称" not in p.message("en")


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_required_column(fmt: str, tmp_path: Path) -> None:
    path = write_roster(fmt, tmp_path, drop=[("teachers", "subject")])
    p = only(problems_of(path))
    assert (p.kind, p.row, p.column) == ("missing_column", 1, "subject")
    assert "任教学科" in p.message() and "subject" in p.message("en")


@pytest.mark.parametrize("fmt", FORMATS)
def test_bad_date_and_bad_numbers(fmt: str, tmp_path: Path) -> None:
    edits = [
        ("teachers", 1, "birth_date", "1980-13-45"),
        ("teachers", 2, "school_start_year", "二零一五"),
        ("schools", 2, "students", "很多"),
        ("teachers", 4, "seeks_promotion", "maybe"),
    ]
    found = {
        (p.file.split("[")[0], p.row, p.column)
        for p in problems_of(write_roster(fmt, tmp_path, edits))
    }
    names = {"csv": ("teachers.csv", "schools.csv"), "xlsx": ("roster.xlsx", "roster.xlsx")}[fmt]
    assert found == {
        (names[0], 2, "birth_date"),
        (names[0], 3, "school_start_year"),
        (names[1], 3, "students"),
        (names[0], 5, "seeks_promotion"),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_duplicate_ids(fmt: str, tmp_path: Path) -> None:
    edits = [("teachers", 5, "teacher_id", "T002"), ("schools", 4, "school_id", "R01")]
    problems = problems_of(write_roster(fmt, tmp_path, edits))
    dup = sorted((p.column, p.row, p.value) for p in problems if p.kind == "duplicate")
    assert dup == [("school_id", 5, "R01"), ("teacher_id", 6, "T002")]
    teacher = next(p for p in problems if p.column == "teacher_id")
    assert "第3行已使用" in teacher.message()  # T002 first appears on row 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_schools_in_teachers_preferences_and_needs(fmt: str, tmp_path: Path) -> None:
    edits = [
        ("teachers", 4, "school_id", "003"),
        ("teachers", 2, "preferences", "R01;R03"),
        ("needs", 1, "school_id", "R99"),
    ]
    problems = problems_of(write_roster(fmt, tmp_path, edits))
    got = sorted((p.table, p.row, p.column, p.value) for p in problems)
    assert got == [
        ("needs", 2, "school_id", "R99"),
        ("teachers", 3, "preferences", "R03"),
        ("teachers", 5, "school_id", "003"),
    ]
    assert all(p.kind == "unknown_school" for p in problems)


@pytest.mark.parametrize("fmt", FORMATS)
def test_need_at_a_school_without_that_stage(fmt: str, tmp_path: Path) -> None:
    # R02 is a junior school: a primary need there cannot be filled
    p = only(problems_of(write_roster(fmt, tmp_path, [("needs", 3, "stage", "小学")])))
    assert (p.kind, p.row, p.column) == ("stage_not_offered", 4, "stage")
    assert "初中(junior)" in p.expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_count_below_one_and_coordinates_out_of_range(fmt: str, tmp_path: Path) -> None:
    edits = [("needs", 2, "count", 0), ("schools", 1, "lat", 95), ("schools", 3, "lon", -181.5)]
    problems = problems_of(write_roster(fmt, tmp_path, edits))
    got = sorted((p.column, p.row, p.value, p.kind) for p in problems)
    assert got == [
        ("count", 3, "0", "out_of_range"),
        ("lat", 2, "95", "out_of_range"),
        ("lon", 4, "-181.5", "out_of_range"),
    ]
    assert "-90 到 90" in next(p for p in problems if p.column == "lat").message()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_problem_reported_at_once_with_spreadsheet_rows(fmt: str, tmp_path: Path) -> None:
    edits = [
        ("schools", 2, "area", "城郊"),
        ("teachers", 1, "gender", "男的"),
        ("teachers", 6, "title", "高极"),
        ("teachers", 8, "stage", "大学"),
        ("teachers", 8, "birth_date", ""),
        ("needs", 3, "subject", "舞蹈"),
    ]
    with pytest.raises(DatasetError) as info:
        read_dataset(write_roster(fmt, tmp_path, edits))
    got = [(p.table, p.row, p.column) for p in info.value.problems]
    assert sorted(got) == sorted(
        [
            ("schools", 3, "area"),
            ("teachers", 2, "gender"),
            ("teachers", 7, "title"),
            ("teachers", 9, "stage"),
            ("teachers", 9, "birth_date"),
            ("needs", 4, "subject"),
        ]
    )
    report = info.value.report().splitlines()
    assert len(report) == 1 + len(got)  # a heading, then one line per problem
    assert "未导入任何数据" in report[0]


def test_nothing_is_partly_loaded(tmp_path: Path) -> None:
    # seven good teachers and one bad one: the whole roster is refused, not seven teachers
    path = write_roster("csv", tmp_path, [("teachers", 8, "subject", "xx")])
    with pytest.raises(DatasetError):
        read_dataset(path)


def test_bad_paths(tmp_path: Path) -> None:
    txt = tmp_path / "roster.txt"
    txt.write_text("hello", encoding="utf-8")
    assert only(problems_of(txt)).kind == "bad_path"
    missing = only(problems_of(tmp_path / "nowhere"))
    assert missing.kind == "not_found" and "路径不存在" in missing.message()
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip file")
    assert only(problems_of(fake)).kind == "bad_file"

    folder = write_roster("csv", tmp_path / "d")
    (folder / "teachers.csv").unlink()
    p = only(problems_of(folder))
    assert p.kind == "missing_table" and "teachers.csv" in p.message()


def test_workbook_without_a_teachers_sheet(tmp_path: Path) -> None:
    import openpyxl

    path = write_roster("xlsx", tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["教师"].title = "名单"
    wb.save(path)
    p = only(problems_of(path))
    assert p.kind == "missing_table" and "名单" in p.expected


@pytest.mark.parametrize(
    "payload",
    [
        "teacher_id,name\nT1,张三\n".encode("utf-16"),
        bytes(range(256)) * 4,
    ],
    ids=["utf16", "binary"],
)
def test_undecodable_files(payload: bytes, tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)
    (folder / "teachers.csv").write_bytes(payload)
    p = only(problems_of(folder))
    assert p.kind == "undecodable" and p.file == "teachers.csv"
    assert "UTF-8" in p.message() and "GB18030" in p.message()


def test_blank_required_value_and_empty_table(tmp_path: Path) -> None:
    path = write_roster("csv", tmp_path, [("teachers", 2, "name", "")])
    p = only(problems_of(path))
    assert (p.kind, p.row, p.column) == ("blank", 3, "name")
    (path / "schools.csv").write_text("school_id,name,area,stage\n", encoding="utf-8")
    kinds = {q.kind for q in problems_of(path)}
    assert "empty_table" in kinds
