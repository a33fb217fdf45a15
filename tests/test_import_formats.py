"""Rosters as HR offices keep them: Chinese Excel CSVs, BOMs, workbooks, loose spellings."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from io_roster import roster  # noqa: E402

from rotation.enums import BackboneLevel, Gender, Priority, Stage, Subject, Title  # noqa: E402
from rotation.io import read_dataset, write_dataset, write_dataset_xlsx  # noqa: E402
from rotation.staffing import derived_needs  # noqa: E402

SCHOOLS_ZH = (
    "学校代码,学校名称,乡镇,城乡类型,学段,优质学校,薄弱学校,三所学校类型,共同体,学生数,班级数,纬度,经度,备注\r\n"
    "001,县实验小学,城关镇,城区,小学,是,否,,城关教育集团,1800,36,24.12,115.23,省级示范校\r\n"
    "R01,黄石镇中心小学,黄石镇,乡村,小学,否,否,乡镇中心小学,,420,12,,,\r\n"
)
TEACHERS_ZH = (
    "教师编号,姓名,性别,出生日期,学校编号,任教学段,任教学科,职称,骨干级别,到校年份,"
    "上次交流结束年份,免交流原因,申报高级职称,志愿学校,最高学历,联系电话\r\n"
    "T001,张伟,男,1980/03/02,001,小学,数学,高级,县级,2010,,,否,R01,本科,13800000000\r\n"
    "T002,王芳,女,1990-11-20,001,小学,英语,一级,无,2015,2018,,是,R01,硕士,\r\n"
    "T003,赵磊,男,1992-02-29,R01,小学,语文,未定级,无,2020,,,0,,大专,\r\n"
)
NEEDS_ZH = "学校编号,学段,学科,岗位数\r\nR01,小学,英语,2\r\nR01,小学,音乐,1\r\n"


def write_chinese_csv(folder: Path, encoding: str) -> Path:
    folder.mkdir()
    for name, text in (("schools", SCHOOLS_ZH), ("teachers", TEACHERS_ZH), ("needs", NEEDS_ZH)):
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder


def check_chinese_roster(path: Path) -> None:
    d = read_dataset(path)
    assert [s.school_id for s in d.schools] == ["001", "R01"]
    assert d.school["R01"].priority is Priority.CENTRAL_PRIMARY
    assert d.school["001"].quality and not d.school["001"].weak
    t1, t2, t3 = d.teachers
    assert (t1.name, t1.gender, t1.birth_date) == ("张伟", Gender.MALE, date(1980, 3, 2))
    assert (t1.title, t1.backbone, t1.subject) == (Title.SENIOR, BackboneLevel.COUNTY, Subject.MATH)
    assert t2.seeks_promotion and t2.last_exchange_year == 2018 and t2.preferences == ("R01",)
    assert t3.title is Title.NONE and t3.stage is Stage.PRIMARY
    assert d.needs_declared and sum(n.count for n in d.needs) == 3


def test_gb18030_csv_as_excel_on_chinese_windows_saves_it(tmp_path: Path) -> None:
    folder = write_chinese_csv(tmp_path / "gbk", "gb18030")
    raw = (folder / "teachers.csv").read_bytes()
    assert b"\r\n" in raw
    try:
        raw.decode("utf-8")
        raise AssertionError("the fixture must not be valid UTF-8")
    except UnicodeDecodeError:
        pass
    check_chinese_roster(folder)


def test_utf8_with_bom(tmp_path: Path) -> None:
    folder = write_chinese_csv(tmp_path / "bom", "utf-8-sig")
    assert (folder / "schools.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    check_chinese_roster(folder)


def test_chinese_file_names_are_accepted(tmp_path: Path) -> None:
    folder = write_chinese_csv(tmp_path / "names", "utf-8")
    for en, zh in (("schools", "学校"), ("teachers", "教师"), ("needs", "岗位需求")):
        (folder / f"{en}.csv").rename(folder / f"{zh}.csv")
    check_chinese_roster(folder)


def test_workbook_with_chinese_sheet_names(tmp_path: Path) -> None:
    path = write_dataset_xlsx(roster(), tmp_path / "名册.xlsx", lang="zh")
    assert openpyxl.load_workbook(path).sheetnames == ["学校", "教师", "岗位需求"]
    assert read_dataset(path) == roster()


def test_workbook_as_typed_by_hand(tmp_path: Path) -> None:
    # numbers stored as floats, ids stored as numbers, date cells, dates typed as text
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Schools"
    ws.append(["school_id", "name", "area", "stage", "students", "quality"])
    ws.append([1001.0, "一小", "urban", "primary", 900.0, True])
    ws.append([2002, "中心小学", "乡村", "小学", 300, "N"])
    ws = wb.create_sheet("教师")
    ws.append(
        [
            "教师编号",
            "姓名",
            "性别",
            "出生日期",
            "学校编号",
            "学段",
            "学科",
            "职称",
            "骨干",
            "到校年份",
        ]
    )
    ws.append(
        [7.0, "甲", "F", datetime(1985, 5, 6), 1001.0, "primary", "pe", "first", "none", 2019.0]
    )
    ws.append([8, "乙", "M", datetime(1986, 1, 1), 2002, "小学", "美术", "二级", "none", 2020])
    ws.append([None] * 10)  # a blank row in the middle is skipped
    ws.append(
        ["9", "丙", "男", "1990/1/2", "2002", "小学", "体育与健康", "三级", "校级骨干", "2021"]
    )
    path = tmp_path / "typed.xlsx"
    wb.save(path)

    d = read_dataset(path)
    assert [s.school_id for s in d.schools] == ["1001", "2002"]
    assert d.school["1001"].students == 900 and d.school["1001"].quality
    assert [t.teacher_id for t in d.teachers] == ["7", "8", "9"]
    assert d.teacher["7"].school_start_year == 2019 and d.teacher["7"].school_id == "1001"
    assert d.teacher["7"].birth_date == date(1985, 5, 6)
    assert d.teacher["8"].birth_date == date(1986, 1, 1)
    assert d.teacher["9"].backbone is BackboneLevel.SCHOOL and d.teacher["9"].subject is Subject.PE
    assert d.teacher["9"].birth_date == date(1990, 1, 2)
    assert not d.needs_declared  # no needs sheet: derived from the staffing norms


def test_needs_absent_empty_or_header_only(tmp_path: Path) -> None:
    folder = write_dataset(roster(), tmp_path / "d")
    (folder / "needs.csv").unlink()
    d = read_dataset(folder)
    assert not d.needs_declared
    assert d.needs == d.with_needs(derived_needs(d)).needs and d.needs  # derived from the norms

    (folder / "needs.csv").write_bytes(b"")
    assert not read_dataset(folder).needs_declared

    (folder / "needs.csv").write_text("school_id,stage,subject,count\n", encoding="utf-8")
    d = read_dataset(folder)
    assert d.needs_declared and d.needs == ()


def test_boolean_spellings_and_extra_columns(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "schools.csv").write_text(
        "school_id,name,area,stage,quality,weak,unknown_extra\n"
        "A,甲,urban,primary,Y,false,x\nB,乙,rural,primary,true,1,y\nC,丙,town,junior,0,否,z\n",
        encoding="utf-8",
    )
    (folder / "teachers.csv").write_text(
        "teacher_id,name,gender,birth_date,school_id,stage,subject,title,backbone,"
        "school_start_year,seeks_promotion,preferences\n"
        "T1,甲,M,1980-01-01,A,primary,math,first,none,2010,Y,B；C\n",
        encoding="utf-8",
    )
    (folder / "needs.csv").write_text("school_id,stage,subject,count\n", encoding="utf-8")
    d = read_dataset(folder)
    assert [(s.quality, s.weak) for s in d.schools] == [(True, False), (True, True), (False, False)]
    assert d.teacher["T1"].seeks_promotion and d.teacher["T1"].preferences == ("B", "C")
