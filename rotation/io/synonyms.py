"""Values as real HR systems and county offices write them, mapped to the contract's codes.

One table for every coded column. The enums (``rotation/enums.py``) carry each code,
its Chinese label and a few aliases; this table adds what personnel systems
(人事管理系统, 教师管理信息系统) and hand-kept rosters print: the full official title
names on certificates, degree names, "否"/"未定级" for not a backbone teacher, the
national gender codes. Entries are folded as the enum lookup folds them (case,
spaces, underscores and dashes ignored).

Titles before the 2015 reform (人社部发〔2015〕79号《关于深化中小学教师职称制度改革的指导意见》)
map to the unified series as that reform mapped them: 中学高级 → 高级, 中学一级 and
小学高级 → 一级, 中学二级 and 小学一级 → 二级, 中学三级 and 小学二级/三级 → 三级.
"""

from __future__ import annotations

from rotation.enums import (
    Area,
    BackboneLevel,
    Degree,
    Gender,
    LabelledEnum,
    SchoolStage,
    Stage,
    Title,
)

VALUE_SYNONYMS: dict[type[LabelledEnum], dict[str, LabelledEnum]] = {
    Title: {
        "正高级教师": Title.SENIOR_PLUS,
        "中小学正高级教师": Title.SENIOR_PLUS,
        "幼儿园正高级教师": Title.SENIOR_PLUS,
        "高级教师": Title.SENIOR,
        "中小学高级教师": Title.SENIOR,
        "中学高级教师": Title.SENIOR,
        "中学高级": Title.SENIOR,
        "幼儿园高级教师": Title.SENIOR,
        "副高级职称": Title.SENIOR,
        "一级教师": Title.FIRST,
        "中小学一级教师": Title.FIRST,
        "中学一级教师": Title.FIRST,
        "中学一级": Title.FIRST,
        "小学高级教师": Title.FIRST,
        "小学高级": Title.FIRST,
        "幼儿园一级教师": Title.FIRST,
        "中级": Title.FIRST,
        "二级教师": Title.SECOND,
        "中小学二级教师": Title.SECOND,
        "中学二级教师": Title.SECOND,
        "中学二级": Title.SECOND,
        "小学一级教师": Title.SECOND,
        "小学一级": Title.SECOND,
        "幼儿园二级教师": Title.SECOND,
        "三级教师": Title.THIRD,
        "中小学三级教师": Title.THIRD,
        "中学三级教师": Title.THIRD,
        "小学二级教师": Title.THIRD,
        "小学三级教师": Title.THIRD,
        "幼儿园三级教师": Title.THIRD,
        "未评": Title.NONE,
        "未评级": Title.NONE,
        "无职称": Title.NONE,
        "试用期": Title.NONE,
        "见习期": Title.NONE,
    },
    BackboneLevel: {
        "未定级": BackboneLevel.NONE,
        "否": BackboneLevel.NONE,
        "不是": BackboneLevel.NONE,
        "空": BackboneLevel.NONE,
        "无骨干": BackboneLevel.NONE,
        "0": BackboneLevel.NONE,
        "校级骨干教师": BackboneLevel.SCHOOL,
        "校骨干": BackboneLevel.SCHOOL,
        "县级骨干教师": BackboneLevel.COUNTY,
        "县骨干": BackboneLevel.COUNTY,
        "区级": BackboneLevel.COUNTY,
        "区级骨干教师": BackboneLevel.COUNTY,
        "县级学科带头人": BackboneLevel.COUNTY,
        "县级名教师": BackboneLevel.COUNTY,
        "市级骨干教师": BackboneLevel.CITY,
        "市骨干": BackboneLevel.CITY,
        "市级学科带头人": BackboneLevel.CITY,
        "市级名教师": BackboneLevel.CITY,
        "省级骨干教师": BackboneLevel.PROVINCE,
        "省骨干": BackboneLevel.PROVINCE,
        "省级学科带头人": BackboneLevel.PROVINCE,
        "省级名教师": BackboneLevel.PROVINCE,
        "特级教师": BackboneLevel.PROVINCE,
    },
    Degree: {
        "研究生": Degree.MASTER,
        "硕士研究生": Degree.MASTER,
        "研究生（硕士）": Degree.MASTER,
        "博士研究生": Degree.DOCTOR,
        "研究生（博士）": Degree.DOCTOR,
        "大学": Degree.BACHELOR,
        "大学本科": Degree.BACHELOR,
        "本科及以上": Degree.BACHELOR,
        "专科": Degree.ASSOCIATE,
        "大学专科": Degree.ASSOCIATE,
        "大专": Degree.ASSOCIATE,
        "高职": Degree.ASSOCIATE,
        "中专": Degree.SECONDARY,
        "中师": Degree.SECONDARY,
        "中等师范": Degree.SECONDARY,
        "中等专科": Degree.SECONDARY,
        "高中": Degree.SECONDARY,
        "职高": Degree.SECONDARY,
    },
    Gender: {
        "男性": Gender.MALE,
        "女性": Gender.FEMALE,
        "1": Gender.MALE,  # GB/T 2261.1: 1 男, 2 女
        "2": Gender.FEMALE,
    },
    Stage: {
        "幼教": Stage.KINDERGARTEN,
        "学前教育": Stage.KINDERGARTEN,
        "幼儿园部": Stage.KINDERGARTEN,
        "小学部": Stage.PRIMARY,
        "初中部": Stage.JUNIOR,
        "初级中学": Stage.JUNIOR,
        "高中部": Stage.SENIOR,
        "高级中学": Stage.SENIOR,
        "特教": Stage.SPECIAL,
    },
    SchoolStage: {
        "完全小学": SchoolStage.PRIMARY,
        "初级中学": SchoolStage.JUNIOR,
        "高级中学": SchoolStage.SENIOR,
        "九年制": SchoolStage.NINE_YEAR,
        "九年制学校": SchoolStage.NINE_YEAR,
        "九年一贯": SchoolStage.NINE_YEAR,
        "十二年制": SchoolStage.TWELVE_YEAR,
        "特殊教育": SchoolStage.SPECIAL,
        "特校": SchoolStage.SPECIAL,
    },
    Area: {
        "城市": Area.URBAN,
        "县城": Area.URBAN,
        "镇": Area.TOWN,
    },
}


def _fold(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("_", "").replace("-", "")


_FOLDED: dict[type[LabelledEnum], dict[str, LabelledEnum]] = {
    enum: {_fold(k): v for k, v in table.items()} for enum, table in VALUE_SYNONYMS.items()
}


def synonym(enum: type[LabelledEnum], text: str) -> LabelledEnum | None:
    """The member an HR system's spelling names, None when the table does not know it."""
    return _FOLDED.get(enum, {}).get(_fold(text))


def spellings(enum: type[LabelledEnum]) -> list[str]:
    """Every accepted spelling of an enum: codes, labels, aliases, and this table's."""
    out = [s for m in enum for s in (m.label_zh, m.value, *m.aliases)]
    out.extend(VALUE_SYNONYMS.get(enum, {}))
    return out
