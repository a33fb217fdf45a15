"""The columns of each roster table: canonical English name, Chinese header, aliases, type.

The importer accepts a column under its English name, its Chinese header or any alias
(compared case-, space- and underscore-insensitively); the exporter writes the English
name (CSV) or the Chinese header (Excel, ``lang="zh"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from rotation.enums import (
    Area,
    BackboneLevel,
    Degree,
    Gender,
    LabelledEnum,
    Position,
    PostType,
    Priority,
    Role,
    SchoolStage,
    Stage,
    Subject,
    Title,
    Weekday,
)


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # canonical English header of the data contract
    zh: str  # the Chinese header the exporter writes
    kind: str  # text, int, float, bool, date, enum, list
    required: bool = False  # must the column be present?
    blank_ok: bool = True  # may a cell be blank? (a default applies)
    enum: type[LabelledEnum] | None = None
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # for an optional column: what is computed from it, said when it is missing (zh, en)
    feeds: tuple[str, str] | None = None
    extension: bool = False  # an extension of the contract: written only when used

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, self.zh, *self.aliases)


def _req(name: str, zh: str, kind: str, **kw: object) -> Column:
    return Column(name, zh, kind, required=True, blank_ok=False, **kw)  # type: ignore[arg-type]


_STUDENTS = (
    "优质均衡指标（每百名学生）与按编制推算的需求无数据",
    "the balanced-development indicators (per 100 students) and derived needs have no data",
)
_CLASSES = ("编制测算不计班师比", "staffing norms ignore the class-teacher ratio")
_PLACE = ("学校之间的距离无数据，不按距离限制或排序", "distances between schools have no data")
_LAST_EXCHANGE = (
    "交流间隔条件无数据，所有教师均按从未交流计算",
    "the exchange cooldown has no data; every teacher counts as never exchanged",
)
_DEGREE = (
    "“高于规定学历教师数”指标无数据（不判定达标）",
    "the degree indicator has no data (never reported as met)",
)

SCHOOL_COLUMNS: tuple[Column, ...] = (
    _req("school_id", "学校编号", "text", aliases=("学校代码", "学校标识码", "编号", "代码")),
    _req("name", "学校名称", "text", aliases=("学校", "校名", "名称")),
    Column("town", "乡镇", "text", aliases=("所在乡镇", "乡镇街道", "所属乡镇")),
    _req(
        "area", "区域", "enum", enum=Area, aliases=("城乡类型", "城乡分类", "所在区域", "城乡属性")
    ),
    _req("stage", "学段", "enum", enum=SchoolStage, aliases=("办学类型", "学校类型")),
    Column("quality", "优质学校", "bool", aliases=("是否优质学校",)),
    Column("weak", "薄弱学校", "bool", aliases=("是否薄弱学校",)),
    Column("priority", "三所学校类型", "enum", enum=Priority, aliases=("三所学校",)),
    Column("community", "共同体", "text", aliases=("教育集团", "教育共同体", "城乡教育共同体")),
    Column(
        "students",
        "在校生数",
        "int",
        minimum=0,
        maximum=100_000,
        aliases=("学生数", "学生人数", "在校学生数", "学生总数"),
        feeds=_STUDENTS,
    ),
    Column(
        "classes",
        "班级数",
        "int",
        minimum=0,
        maximum=5_000,
        aliases=("班数", "教学班数"),
        feeds=_CLASSES,
    ),
    Column("lat", "纬度", "float", minimum=-90, maximum=90, aliases=("latitude",), feeds=_PLACE),
    Column("lon", "经度", "float", minimum=-180, maximum=180, aliases=("longitude", "lng")),
    Column("role", "角色", "enum", enum=Role, aliases=("交流角色", "派出接收")),
)

TEACHER_COLUMNS: tuple[Column, ...] = (
    _req("teacher_id", "教师编号", "text", aliases=("教师代码", "工号", "编号")),
    _req("name", "姓名", "text", aliases=("教师姓名",)),
    _req("gender", "性别", "enum", enum=Gender),
    _req("birth_date", "出生日期", "date", aliases=("出生年月", "出生年月日", "出生时间", "生日")),
    _req("school_id", "学校编号", "text", aliases=("学校代码", "所在学校编号", "任职学校编号")),
    _req("stage", "任教学段", "enum", enum=Stage, aliases=("学段",)),
    _req("subject", "任教学科", "enum", enum=Subject, aliases=("学科", "任教科目", "所教学科")),
    _req(
        "title",
        "职称",
        "enum",
        enum=Title,
        aliases=("专业技术职称", "职称等级", "专业技术职务", "职称名称"),
    ),
    Column(
        "backbone",
        "骨干级别",
        "enum",
        required=True,
        enum=BackboneLevel,
        aliases=("骨干", "骨干教师", "骨干教师级别", "骨干类别", "骨干层次"),
    ),
    _req(
        "school_start_year",
        "到校年份",
        "int",
        minimum=1950,
        maximum=2100,
        aliases=(
            "到本校年份",
            "入校年份",
            "到校时间",
            "到本校时间",
            "调入本校年份",
            "调入本校时间",
        ),
    ),
    Column(
        "last_exchange_year",
        "上次交流结束年份",
        "int",
        minimum=1950,
        maximum=2100,
        aliases=(
            "上次交流年份",
            "上次交流时间",
            "上次交流结束时间",
            "交流结束年份",
            "最近交流年份",
        ),
        feeds=_LAST_EXCHANGE,
    ),
    Column("exempt", "免交流原因", "text", aliases=("免交流", "免于交流原因", "不参与交流原因")),
    Column("seeks_promotion", "申报高级职称", "bool", aliases=("拟申报高级职称",)),
    Column("preferences", "志愿学校", "list", aliases=("交流志愿", "志愿")),
    Column(
        "degree",
        "最高学历",
        "enum",
        enum=Degree,
        aliases=("学历", "学历层次", "最高学历层次"),
        feeds=_DEGREE,
    ),
    # extensions (issue 16): written back only when some record uses them
    Column("post_type", "岗位类别", "enum", enum=PostType, aliases=("岗位类型",), extension=True),
    Column(
        "protected",
        "保护类别",
        "text",
        aliases=("待岗保护", "保护原因", "不列入待岗原因"),
        extension=True,
    ),
    Column(
        "exchange_school_id",
        "交流所在学校编号",
        "text",
        aliases=("正在交流学校编号", "交流学校编号"),
        extension=True,
    ),
    Column(
        "exchange_end_year",
        "交流期满学年",
        "int",
        minimum=1950,
        maximum=2100,
        aliases=("交流结束学年", "本次交流结束年份"),
        extension=True,
    ),
    # extensions (issue 18, principals): the leadership post and the year it began
    Column("position", "职务", "enum", enum=Position, aliases=("行政职务", "岗位职务"), extension=True),
    Column(
        "post_start_year",
        "任现职年份",
        "int",
        minimum=1950,
        maximum=2100,
        aliases=("任现职时间", "现职起始年份", "任职年份", "任职起始年份"),
        extension=True,
    ),
    # extension (issue 18, 走教): weekly hours a teacher can spare for village schools
    Column(
        "itinerant_hours",
        "可走教课时",
        "int",
        minimum=0,
        maximum=40,
        aliases=("走教课时", "可走教周课时", "走教可用课时"),
        extension=True,
    ),
)

NEED_COLUMNS: tuple[Column, ...] = (
    _req("school_id", "学校编号", "text", aliases=("学校代码",)),
    _req("stage", "学段", "enum", enum=Stage, aliases=("任教学段",)),
    _req("subject", "学科", "enum", enum=Subject, aliases=("任教学科",)),
    _req("count", "人数", "int", minimum=1, maximum=10_000, aliases=("岗位数", "需求人数", "数量")),
)

# 核定岗位 (optional, read by ``rotation allocate --posts``; rotation/io/posts_file.py)
POST_COLUMNS: tuple[Column, ...] = (
    _req("school_id", "学校编号", "text", aliases=("学校代码",)),
    _req("stage", "学段", "enum", enum=Stage, aliases=("任教学段",)),
    _req("subject", "学科", "enum", enum=Subject, aliases=("任教学科",)),
    _req("posts", "核定岗位数", "int", minimum=0, aliases=("岗位数", "核定岗位", "编制数")),
)

# 课时需求 (optional, issue 18): weekly hours a school needs taught by 走教 teachers
HOUR_NEED_COLUMNS: tuple[Column, ...] = (
    _req("school_id", "学校编号", "text", aliases=("学校代码",)),
    _req("stage", "学段", "enum", enum=Stage, aliases=("任教学段",)),
    _req("subject", "学科", "enum", enum=Subject, aliases=("任教学科",)),
    _req(
        "hours",
        "每周课时",
        "int",
        minimum=1,
        maximum=60,
        aliases=("周课时", "课时", "需求课时", "每周课时数"),
    ),
    Column(
        "days",
        "可走教日",
        "weekdays",
        enum=Weekday,
        aliases=("走教日", "可安排日", "安排日"),
    ),
)

TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "schools": SCHOOL_COLUMNS,
    "teachers": TEACHER_COLUMNS,
    "needs": NEED_COLUMNS,
    "posts": POST_COLUMNS,
    "hours_needs": HOUR_NEED_COLUMNS,
}

# Accepted names of each table's CSV file (without .csv) or workbook sheet.
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "schools": ("schools", "学校", "学校信息", "学校名单"),
    "teachers": ("teachers", "教师", "教师信息", "教师名单"),
    "needs": ("needs", "岗位需求", "需求", "岗位"),
    "hours_needs": ("hours_needs", "课时需求", "走教课时需求", "hour_needs"),
}
TABLE_ZH: dict[str, str] = {
    "schools": "学校",
    "teachers": "教师",
    "needs": "岗位需求",
    "posts": "核定岗位",
    "hours_needs": "课时需求",
}
REQUIRED_TABLES: tuple[str, ...] = ("schools", "teachers")


def columns_to_write(table: str, records: Sequence[BaseModel]) -> tuple[Column, ...]:
    """The table's columns, less the extensions no record uses (so old files stay as they were)."""
    out: list[Column] = []
    for c in TABLE_COLUMNS[table]:
        if c.extension and records:
            default = type(records[0]).model_fields[c.name].get_default(call_default_factory=True)
            if all(getattr(r, c.name) == default for r in records):
                continue
        out.append(c)
    return tuple(out)


def fold(text: str) -> str:
    """A header or name compared loosely: case, spaces, underscores and dashes ignored."""
    return "".join(text.split()).lower().replace("_", "").replace("-", "")


def header_lookup(table: str) -> dict[str, Column]:
    """Every accepted header spelling of a table, folded, to its column."""
    return {fold(s): c for c in TABLE_COLUMNS[table] for s in c.spellings}


def column_label_zh(table: str, column: str | None) -> str:
    """``职称`` for ("teachers", "title"); the name itself for a column not in the tables."""
    if column is None:
        return ""
    for c in TABLE_COLUMNS.get(table, ()):
        if c.name == column:
            return c.zh
    return SCORE_LABELS_ZH.get(column, column) if table == "scores" else column


# the columns of the evaluation scores file of ``rotation allocate --scores``
SCORE_LABELS_ZH: dict[str, str] = {"teacher_id": "教师编号", "score": "评价分数"}
