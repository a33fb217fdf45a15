"""One meaning each of 城镇 (who sends) and 农村 (whom the tilts and priorities favour).

Sources: 教师〔2014〕4号 (城镇学校、优质学校教师向乡村学校、薄弱学校流动) for who sends, as the
data contract derives a school's role (``shared/spec/data-format.md``, "Derived role"); the
seed's 中高级教师岗位比例适当向农村学校倾斜 and 乡村教师支持计划（2015—2020年）for whom the
tilt favours. 农村 there means the schools outside the county town: township (镇区) and
village (乡村) schools, the township 三所学校 first (``shared/notes/domain-facts.md``, "Title
posts"). Both are policy parameters:

- ``Policy.urban_areas`` (城镇, default 城区 and 镇区): a school there sends unless it is weak
  or a 三所学校 (the contract's roles, unchanged);
- ``Policy.rural_areas`` (农村, default 镇区 and 乡村, i.e. 乡镇及以下): a school there, or any
  三所学校, is favoured by the title tilt (``rotation/title_posts.py``), the plan's priority
  for its needs (``solver/rules.py`` ``fill_priority_needs``), the hiring rounds' 组织调剂
  and the outlook's rural enrolment assumption. A 镇区 school may thus both send (城镇) and be
  favoured (农村): the township 三所学校 count for the tilt even where a 镇区 school sends.
"""

from __future__ import annotations

from collections.abc import Iterable

from rotation.enums import Area
from rotation.models import School

CONTRACT_URBAN_AREAS: tuple[Area, ...] = (Area.URBAN, Area.TOWN)
"""城镇 as the data contract derives roles: 城区 and 镇区."""

OUTSIDE_COUNTY_TOWN: tuple[Area, ...] = (Area.TOWN, Area.RURAL)
"""农村 as the seed's tilt reads: outside the county town (乡镇及以下)."""


def is_urban(school: School, urban_areas: Iterable[Area] = CONTRACT_URBAN_AREAS) -> bool:
    """城镇: the school stands where schools send teachers."""
    return school.area in tuple(urban_areas)


def is_rural(school: School, rural_areas: Iterable[Area] = OUTSIDE_COUNTY_TOWN) -> bool:
    """农村: the school is favoured by the tilt and the priorities (a 三所学校 always is)."""
    return school.area in tuple(rural_areas) or school.priority is not None


def areas_text(areas: Iterable[Area]) -> str:
    return "、".join(a.label_zh for a in areas)


def area_reading(urban_areas: Iterable[Area], rural_areas: Iterable[Area]) -> str:
    """The reading a report states, Chinese then English."""
    urban, rural = tuple(urban_areas), tuple(rural_areas)
    return (
        f"城镇（派出）：{areas_text(urban)}学校；农村（职称倾斜与优先）：{areas_text(rural)}学校及三所学校"
        f" / urban (sends): {', '.join(a.value for a in urban)}; rural (favoured): "
        f"{', '.join(a.value for a in rural)} and every township 'three schools' school"
    )
