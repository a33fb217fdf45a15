"""The policy's vocabularies, each value with its Chinese label.

Every enumeration here is a ``LabelledEnum``: its value is the canonical English
code of the data contract (``shared/spec/data-format.md``) and ``label_zh`` is the
Chinese label an HR officer reads. ``parse`` accepts either, so the importer takes
files written in English or in Chinese.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    """A string enum whose members carry a Chinese label and extra accepted aliases."""

    label_zh: str
    aliases: tuple[str, ...]

    def __new__(cls, value: str, label_zh: str, *aliases: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_zh = label_zh
        member.aliases = aliases
        return member

    @classmethod
    def lookup(cls) -> dict[str, Self]:
        """Every accepted spelling (code, Chinese label, alias), folded, to its member."""
        table: dict[str, Self] = {}
        for member in cls:
            for spelling in (member.value, member.label_zh, *member.aliases):
                table[_fold(spelling)] = member
        return table

    @classmethod
    def parse(cls, text: str) -> Self:
        """The member named by ``text`` in English or Chinese; ``ValueError`` otherwise."""
        member = cls.lookup().get(_fold(text))
        if member is None:
            raise ValueError(f"{text!r} is not a valid {cls.__name__}")
        return member

    @classmethod
    def choices_zh(cls) -> str:
        """The accepted values as an HR officer reads them: ``高级(senior)、一级(first)``."""
        return "、".join(f"{m.label_zh}({m.value})" for m in cls)

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang == "zh" else self.value


def _fold(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("_", "").replace("-", "")


class Area(LabelledEnum):
    URBAN = "urban", "城区", "城镇"
    TOWN = "town", "镇区"
    RURAL = "rural", "乡村", "农村"


class SchoolStage(LabelledEnum):
    """What a school teaches (schools.stage)."""

    KINDERGARTEN = "kindergarten", "幼儿园"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    NINE_YEAR = "nine_year", "九年一贯制", "九年一贯制学校"
    TWELVE_YEAR = "twelve_year", "十二年一贯制", "十二年一贯制学校"
    SPECIAL = "special", "特殊教育学校", "特殊教育", "特教"

    @property
    def offers(self) -> frozenset[Stage]:
        """The teaching sections (teacher stages) such a school offers."""
        return _OFFERS[self]


class Stage(LabelledEnum):
    """The section a teacher teaches (teachers.stage, needs.stage)."""

    KINDERGARTEN = "kindergarten", "幼儿园", "学前"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    SPECIAL = "special", "特殊教育", "特教", "特殊教育学校"


_OFFERS: dict[SchoolStage, frozenset[Stage]] = {
    SchoolStage.KINDERGARTEN: frozenset({Stage.KINDERGARTEN}),
    SchoolStage.PRIMARY: frozenset({Stage.PRIMARY}),
    SchoolStage.JUNIOR: frozenset({Stage.JUNIOR}),
    SchoolStage.SENIOR: frozenset({Stage.SENIOR}),
    SchoolStage.NINE_YEAR: frozenset({Stage.PRIMARY, Stage.JUNIOR}),
    SchoolStage.TWELVE_YEAR: frozenset({Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR}),
    SchoolStage.SPECIAL: frozenset({Stage.SPECIAL}),
}


class Subject(LabelledEnum):
    CHINESE = "chinese", "语文"
    MATH = "math", "数学"
    ENGLISH = "english", "英语"
    PHYSICS = "physics", "物理"
    CHEMISTRY = "chemistry", "化学"
    BIOLOGY = "biology", "生物"
    POLITICS = "politics", "道德与法治", "思想政治", "政治", "道德与法治/思想政治"
    HISTORY = "history", "历史"
    GEOGRAPHY = "geography", "地理"
    SCIENCE = "science", "科学"
    MUSIC = "music", "音乐"
    PE = "pe", "体育", "体育与健康"
    ART = "art", "美术"
    IT = "it", "信息技术"
    MENTAL_HEALTH = "mental_health", "心理健康"
    PRESCHOOL = "preschool", "学前教育"
    SPECIAL_ED = "special_ed", "特殊教育"


class Title(LabelledEnum):
    """职称, highest first."""

    SENIOR_PLUS = "senior_plus", "正高级", "正高"
    SENIOR = "senior", "高级", "副高级", "副高"
    FIRST = "first", "一级"
    SECOND = "second", "二级"
    THIRD = "third", "三级"
    NONE = "none", "未定级", "无"

    @property
    def is_senior(self) -> bool:
        """高级 or 正高级: the titles the tilt toward rural schools is about."""
        return self in (Title.SENIOR, Title.SENIOR_PLUS)

    @property
    def is_intermediate_or_above(self) -> bool:
        """中高级职称: 一级 and above."""
        return self in (Title.SENIOR, Title.SENIOR_PLUS, Title.FIRST)


class BackboneLevel(LabelledEnum):
    """骨干教师 level, lowest first; comparisons follow that order."""

    NONE = "none", "无", "非骨干"
    SCHOOL = "school", "校级", "校级骨干"
    COUNTY = "county", "县级", "县级骨干"
    CITY = "city", "市级", "市级骨干"
    PROVINCE = "province", "省级", "省级骨干"

    @property
    def rank(self) -> int:
        return _BACKBONE_RANK[self]

    def at_least(self, other: BackboneLevel) -> bool:
        return self.rank >= other.rank


class Gender(LabelledEnum):
    MALE = "M", "男", "male"
    FEMALE = "F", "女", "female"


class Degree(LabelledEnum):
    """最高学历, lowest first."""

    SECONDARY = "secondary", "中专/高中", "中专", "高中", "中师"
    ASSOCIATE = "associate", "专科", "大专"
    BACHELOR = "bachelor", "本科", "学士"
    MASTER = "master", "硕士", "研究生"
    DOCTOR = "doctor", "博士"

    @property
    def rank(self) -> int:
        return _DEGREE_RANK[self]


_BACKBONE_RANK: dict[BackboneLevel, int] = {b: k for k, b in enumerate(BackboneLevel)}
_DEGREE_RANK: dict[Degree, int] = {d: k for k, d in enumerate(Degree)}


class Priority(LabelledEnum):
    """The township "三所学校"."""

    CENTRAL_KINDERGARTEN = "central_kindergarten", "乡镇中心幼儿园", "中心幼儿园"
    CENTRAL_PRIMARY = "central_primary", "乡镇中心小学", "中心小学"
    BOARDING = "boarding", "公办寄宿制学校", "寄宿制学校"


class Role(LabelledEnum):
    SENDER = "sender", "派出学校", "派出"
    RECEIVER = "receiver", "接收学校", "接收"
    BOTH = "both", "派出兼接收", "两者"
    NONE = "none", "不参与", "无"

    @property
    def sends(self) -> bool:
        return self in (Role.SENDER, Role.BOTH)

    @property
    def receives(self) -> bool:
        return self in (Role.RECEIVER, Role.BOTH)


class QuotaScope(LabelledEnum):
    SCHOOL = "school", "按校", "学校"
    COUNTY = "county", "全县", "县域"


class PostType(LabelledEnum):
    """岗位类别: teachers hold professional posts; a few staff hold worker posts.

    The 2025 retirement reform sets women's ages by it (55 → 58 professional, 50 → 55
    worker); see ``rotation/retirement.py``.
    """

    PROFESSIONAL = "professional", "专业技术岗位", "专业技术", "管理岗位", "管理", "专技"
    WORKER = "worker", "工勤技能岗位", "工勤", "工人", "工勤岗位"


class Position(LabelledEnum):
    """职务: the post a teacher holds in the school's leadership, if any."""

    PRINCIPAL = "principal", "校长", "正校长", "园长", "书记兼校长"
    VICE_PRINCIPAL = "vice_principal", "副校长", "副园长"
    MIDDLE = "middle", "中层", "中层干部", "主任", "教导主任", "政教主任", "总务主任"
    TEACHER = "teacher", "教师", "专任教师", "普通教师"

    @property
    def leads(self) -> bool:
        """A principal or vice-principal: exchanged under the principals' rules."""
        return self in (Position.PRINCIPAL, Position.VICE_PRINCIPAL)


class RetirementRule(LabelledEnum):
    """Which statutory retirement ages apply."""

    REFORM_2025 = "reform_2025", "渐进式延迟退休（2025年起）", "延迟退休"
    FIXED = "fixed", "固定退休年龄", "固定"


class Rounding(LabelledEnum):
    """How a quota's share of a count becomes whole teachers."""

    CEIL = "ceil", "向上取整", "进一"
    ROUND = "round", "四舍五入"
    FLOOR = "floor", "向下取整", "去尾"


class QuotaBase(LabelledEnum):
    """Whose teachers the county-wide rotation base E counts (quota_scope ``county``)."""

    ALL_SCHOOLS = "all_schools", "全县义务教育学校", "全县"
    SENDERS = "senders", "仅派出学校", "派出学校"


class Weekday(LabelledEnum):
    """A school day of the week (走教 visits; hours_needs.days)."""

    MON = "mon", "周一", "星期一", "1", "monday"
    TUE = "tue", "周二", "星期二", "2", "tuesday"
    WED = "wed", "周三", "星期三", "3", "wednesday"
    THU = "thu", "周四", "星期四", "4", "thursday"
    FRI = "fri", "周五", "星期五", "5", "friday"


class ItinerantReading(LabelledEnum):
    """How a 走教 teacher counts for the 2017 PE/arts indicator at the schools served."""

    STAFF = "staff", "按编制所在学校计（2017年办法原文）", "编制"
    HOURS_FRACTION = "hours_fraction", "按课时折算计入走教学校", "折算"
