"""Rosters as county offices keep them: dates, HR-system names, columns, layout (issue 12).

Every workbook is built here, the way an officer's Excel holds it: numbers typed in a
出生年月 column, date cells, official title names, renamed and missing columns, a
merged title above the header, merged id cells, formulas never calculated.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from office_rosters import (  # noqa: E402
    TEACHER_HEADER,
    Sheet,
    drop_column,
    office_workbook,
    teacher_row,
)

from rotation.enums import BackboneLevel, Degree, Gender, SchoolStage, Stage, Title  # noqa: E402
from rotation.io import DatasetError, Problem, read_dataset, read_roster  # noqa: E402
from rotation.io.columns import TEACHER_COLUMNS  # noqa: E402
from rotation.io.values import DATE_FORMS_ZH, parse_cell  # noqa: E402
from rotation.policy import Policy  # noqa: E402
from rotation.summary import dataset_summary, format_summary  # noqa: E402

BIRTH = next(c for c in TEACHER_COLUMNS if c.name == "birth_date")


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(DatasetError) as info:
        read_dataset(path)
    return info.value.problems


def birth_of(tmp_path: Path, value: object, number_format: str | None = None) -> date:
    def edit(sheets: dict[str, Sheet]) -> None:
        if number_format:
            sheets["教师"].formats["D2"] = number_format

    path = office_workbook(
        tmp_path / "r.xlsx",
        [teacher_row(1, 出生年月=value), teacher_row(2, 学校编号="S2")],
        edit=edit,
    )
    return read_dataset(path).teacher["T001"].birth_date


# ------------------------------------------------------------------ item 1: dates
def test_a_number_typed_in_the_birth_month_column_is_that_month_not_an_excel_serial(
    tmp_path: Path,
) -> None:
    # on main this cell became 1905-06-04 (Excel serial 1982.09)
    assert birth_of(tmp_path, 1982.09) == date(1982, 9, 1)
    assert birth_of(tmp_path, 1980.12) == date(1980, 12, 1)
    assert birth_of(tmp_path, 198209) == date(1982, 9, 1)


@pytest.mark.parametrize(
    "typed", ["1982.09", "1982-09", "1982/9", "198209", "1982年9月", "1982年09月", "1982.9"]
)
def test_year_month_forms_are_read_as_that_month(typed: str, tmp_path: Path) -> None:
    assert birth_of(tmp_path, typed) == date(1982, 9, 1)


@pytest.mark.parametrize(
    "typed",
    ["1982-09-05", "1982-9-5", "1982/09/05", "1982/9/5", "1982.9.5", "1982年9月5日", "19820905",
     "1982-09-05 00:00:00", 19820905],
)  # fmt: skip
def test_full_dates_in_every_common_form(typed: object, tmp_path: Path) -> None:
    assert birth_of(tmp_path, typed) == date(1982, 9, 5)


def test_an_excel_date_cell_is_its_date(tmp_path: Path) -> None:
    assert birth_of(tmp_path, datetime(1982, 9, 5)) == date(1982, 9, 5)
    assert birth_of(tmp_path, datetime(1982, 9, 1), "yyyy年m月") == date(1982, 9, 1)


def test_a_bare_number_is_never_taken_as_an_excel_serial(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx", [teacher_row(1, 出生年月=30000)])
    (p,) = problems_of(path)
    assert (p.row, p.column, p.value) == (2, "birth_date", "30000")
    assert "1985年3月" in p.expected and "Excel 日期单元格" in p.expected


def test_a_numeric_1982_1_is_ambiguous_and_the_cell_is_named(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx", [teacher_row(1, 出生年月=1982.1)])
    (p,) = problems_of(path)
    assert (p.kind, p.row, p.column, p.value) == ("ambiguous_date", 2, "birth_date", "1982.1")
    assert "1982-01" in p.message() and "1982-10" in p.message()
    assert "1982-10" in p.message("en")


def test_a_numeric_1982_1_shown_with_two_decimals_is_october(tmp_path: Path) -> None:
    assert birth_of(tmp_path, 1982.1, "0.00") == date(1982, 10, 1)


def test_1982_1_typed_as_text_in_a_workbook_is_january_but_ambiguous_in_a_csv() -> None:
    assert parse_cell(BIRTH, "1982.1") == date(1982, 1, 1)
    assert parse_cell(BIRTH, "1982.10", from_csv=True) == date(1982, 10, 1)
    with pytest.raises(ValueError, match="1982-10"):
        parse_cell(BIRTH, "1982.1", from_csv=True)


def test_the_date_message_lists_every_accepted_form(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx", [teacher_row(1, 出生年月="八二年")])
    (p,) = problems_of(path)
    assert p.expected == DATE_FORMS_ZH
    for form in ("1985-03-02", "1985/3/2", "1985.3.2", "1985年3月2日", "19850302", "1985-03",
                 "1985.03", "198503", "1985年3月", "Excel 日期单元格"):  # fmt: skip
        assert form in p.message()


def test_impossible_dates_are_refused_with_what_was_typed() -> None:
    for typed in ("1982-13", "1982-02-30", "1982.13", "0982-01-01", "82-01-01"):
        with pytest.raises(ValueError):
            parse_cell(BIRTH, typed)


# ------------------------------------------------------------------ item 2: HR names
TITLE = next(c for c in TEACHER_COLUMNS if c.name == "title")
BACKBONE = next(c for c in TEACHER_COLUMNS if c.name == "backbone")
DEGREE = next(c for c in TEACHER_COLUMNS if c.name == "degree")
GENDER = next(c for c in TEACHER_COLUMNS if c.name == "gender")
STAGE = next(c for c in TEACHER_COLUMNS if c.name == "stage")

HR_NAMES = [
    (TITLE, "中小学高级教师", Title.SENIOR),
    (TITLE, "高级教师", Title.SENIOR),
    (TITLE, "中学高级教师", Title.SENIOR),
    (TITLE, "正高级教师", Title.SENIOR_PLUS),
    (TITLE, "一级教师", Title.FIRST),
    (TITLE, "中小学一级教师", Title.FIRST),
    (TITLE, "小学高级教师", Title.FIRST),  # the 2015 reform mapped 小学高级 to 一级
    (TITLE, "二级教师", Title.SECOND),
    (TITLE, "小学一级教师", Title.SECOND),
    (TITLE, "三级教师", Title.THIRD),
    (TITLE, "未评", Title.NONE),
    (DEGREE, "研究生", Degree.MASTER),
    (DEGREE, "硕士", Degree.MASTER),
    (DEGREE, "硕士研究生", Degree.MASTER),
    (DEGREE, "博士", Degree.DOCTOR),
    (DEGREE, "本科", Degree.BACHELOR),
    (DEGREE, "大学", Degree.BACHELOR),
    (DEGREE, "大学本科", Degree.BACHELOR),
    (DEGREE, "大专", Degree.ASSOCIATE),
    (DEGREE, "专科", Degree.ASSOCIATE),
    (DEGREE, "中专", Degree.SECONDARY),
    (DEGREE, "中师", Degree.SECONDARY),
    (DEGREE, "高中", Degree.SECONDARY),
    (BACKBONE, "未定级", BackboneLevel.NONE),
    (BACKBONE, "否", BackboneLevel.NONE),
    (BACKBONE, "空", BackboneLevel.NONE),
    (BACKBONE, "县级骨干教师", BackboneLevel.COUNTY),
    (BACKBONE, "市级学科带头人", BackboneLevel.CITY),
    (GENDER, "男性", Gender.MALE),
    (GENDER, "女性", Gender.FEMALE),
    (GENDER, "1", Gender.MALE),
    (GENDER, "2", Gender.FEMALE),
    (STAGE, "小学部", Stage.PRIMARY),
    (STAGE, "初中部", Stage.JUNIOR),
    (STAGE, "高级中学", Stage.SENIOR),
    (STAGE, "学前教育", Stage.KINDERGARTEN),
]


@pytest.mark.parametrize(("column", "typed", "expected"), HR_NAMES, ids=[t for _, t, _ in HR_NAMES])
def test_names_printed_by_hr_systems_are_read_as_the_contract_code(
    column: object, typed: str, expected: object
) -> None:
    assert parse_cell(column, typed) is expected  # type: ignore[arg-type]


def test_a_blank_backbone_cell_means_none(tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "r.xlsx", [teacher_row(1, 骨干级别=None), teacher_row(2, 学校编号="S2")])  # fmt: skip
    assert read_dataset(path).teacher["T001"].backbone is BackboneLevel.NONE


def test_a_roster_in_official_names_loads(tmp_path: Path) -> None:
    rows = [
        teacher_row(1, 职称="中小学高级教师", 骨干级别="未定级", 最高学历="研究生", 性别="男性"),
        teacher_row(2, 职称="一级教师", 骨干级别="否", 最高学历="大专", 学校编号="S2"),
    ]

    def edit(sheets: dict[str, Sheet]) -> None:
        sheets["学校"].rows[1][3] = "完全小学"

    d = read_dataset(office_workbook(tmp_path / "r.xlsx", rows, edit=edit))
    t1, t2 = d.teacher["T001"], d.teacher["T002"]
    assert (t1.title, t1.backbone, t1.degree, t1.gender) == (
        Title.SENIOR, BackboneLevel.NONE, Degree.MASTER, Gender.MALE)  # fmt: skip
    assert (t2.title, t2.degree) == (Title.FIRST, Degree.ASSOCIATE)
    assert d.school["S2"].stage is SchoolStage.PRIMARY


# ------------------------------------------------------------------ item 3: columns
def test_headers_from_hr_exports_are_recognised(tmp_path: Path) -> None:
    header = [*TEACHER_HEADER[:-1], "学历层次", "上次交流时间"]
    rows = [
        [*teacher_row(1)[:-1], "本科", 2015],
        [*teacher_row(2, 学校编号="S2")[:-1], "大专", None],
    ]
    imported = read_roster(office_workbook(tmp_path / "r.xlsx", rows, teacher_header=header))
    t1 = imported.dataset.teacher["T001"]
    assert t1.degree is Degree.BACHELOR and t1.last_exchange_year == 2015
    assert not [w for w in imported.warnings if w.table == "teachers"]


def test_an_unrecognised_column_is_named_with_the_closest_known_header(tmp_path: Path) -> None:
    header = [*TEACHER_HEADER, "交流结束时间", "备注"]
    rows = [[*teacher_row(1), 2015, "x"], [*teacher_row(2, 学校编号="S2"), None, None]]
    imported = read_roster(office_workbook(tmp_path / "r.xlsx", rows, teacher_header=header))
    unknown = [w for w in imported.warnings if w.kind == "unknown_column"]
    assert [(w.value, w.suggestion) for w in unknown] == [
        ("交流结束时间", "上次交流结束年份"),
        ("备注", None),
    ]
    assert (
        '"交流结束时间"' in unknown[0].message("en") and "上次交流结束年份" in unknown[0].message()
    )
    assert "未识别" in unknown[1].message()


def test_a_missing_degree_column_is_named_once_and_the_indicator_says_no_data(
    tmp_path: Path,
) -> None:
    path = office_workbook(
        tmp_path / "r.xlsx", edit=lambda sheets: drop_column(sheets["教师"], "最高学历")
    )
    imported = read_roster(path)
    absent = [w for w in imported.warnings if w.kind == "absent_column" and w.column == "degree"]
    assert len(absent) == 1 and "无数据" in absent[0].message()
    summary = dataset_summary(imported.dataset, 2026, Policy())
    degree = [i for i in summary["indicators"] if i["indicator"] == "degree"]
    assert degree and all(i["no_data"] and i["cv_met"] is None for i in degree)
    text = format_summary(summary)
    line = next(line for line in text.splitlines() if "高于规定学历" in line)
    assert "无数据" in line and "是" not in line.replace("高于规定学历教师数", "")


def test_a_degree_column_left_blank_is_treated_as_missing(tmp_path: Path) -> None:
    rows = [teacher_row(1, 最高学历=None), teacher_row(2, 学校编号="S2", 最高学历=None)]
    imported = read_roster(office_workbook(tmp_path / "r.xlsx", rows))
    assert "teachers.degree" in imported.dataset.absent_columns
    assert any(w.column == "degree" and "全部为空" in w.message() for w in imported.warnings)


# ------------------------------------------------------------------ item 6: layout
def test_a_merged_title_row_above_the_header_is_skipped_with_a_note(tmp_path: Path) -> None:
    def edit(sheets: dict[str, Sheet]) -> None:
        t = sheets["教师"]
        t.above = [["黄石县2026年教师交流轮岗花名册"], ["填报单位：县教育局人事股"]]
        t.merges = ["A1:K1"]

    imported = read_roster(office_workbook(tmp_path / "r.xlsx", edit=edit))
    assert len(imported.dataset.teachers) == 2
    (note,) = [w for w in imported.warnings if w.kind == "title_rows"]
    assert note.row == 3 and "黄石县2026年教师交流轮岗花名册" in note.message()


def test_a_sheet_without_a_header_gets_one_problem_saying_so(tmp_path: Path) -> None:
    def edit(sheets: dict[str, Sheet]) -> None:
        sheets["教师"].header = ["甲", "乙", "丙"]

    (p,) = problems_of(office_workbook(tmp_path / "r.xlsx", edit=edit))
    assert p.kind == "header_not_found" and "教师编号" in p.message()


def test_merged_school_id_cells_are_named_as_a_merge(tmp_path: Path) -> None:
    rows = [teacher_row(1), teacher_row(2, 学校编号=None), teacher_row(3, 学校编号=None)]

    def edit(sheets: dict[str, Sheet]) -> None:
        sheets["教师"].merges = ["E2:E4"]

    problems = problems_of(office_workbook(tmp_path / "r.xlsx", rows, edit=edit))
    assert [(p.kind, p.row, p.column) for p in problems] == [
        ("merged_cell", 3, "school_id"),
        ("merged_cell", 4, "school_id"),
    ]
    assert "E2:E4" in problems[0].message() and "取消合并" in problems[0].message()


def test_a_formula_without_a_saved_result_is_named_as_such(tmp_path: Path) -> None:
    rows = [teacher_row(1), teacher_row(2, 学校编号="S2", 到校年份="=J2+1")]
    (p,) = problems_of(office_workbook(tmp_path / "r.xlsx", rows))
    assert (p.kind, p.row, p.column) == ("uncached_formula", 3, "school_start_year")
    assert "J3" in p.message() and "公式" in p.message()


# ------------------------------------------------------------------ item 8: messages
def test_a_stage_the_school_lacks_is_quoted_as_typed(tmp_path: Path) -> None:
    def edit(sheets: dict[str, Sheet]) -> None:
        sheets["岗位需求"].rows[0][1] = "senior"

    (p,) = problems_of(office_workbook(tmp_path / "r.xlsx", edit=edit))
    assert p.kind == "stage_not_offered" and p.value == "senior"
    assert 'stage "senior"' in p.message("en")


def test_suggestions_only_for_close_matches(tmp_path: Path) -> None:
    rows = [teacher_row(1, 任教学科="astronomy"), teacher_row(2, 任教学科="histroy")]
    problems = problems_of(office_workbook(tmp_path / "r.xlsx", rows))
    assert [(p.value, p.suggestion) for p in problems] == [
        ("astronomy", None),
        ("histroy", "history"),
    ]
