"""School levels and the level rule of rounds 2 and 3.

School level (for the round-2 rule): 城区 > 镇区 > 乡村 by area; within an area a 优质学校
is one step above and a 薄弱学校 one step below an ordinary school (``school_level``).
A teacher moves only to a school no higher in level than their own (``may_move``,
``HiringPolicy.level_rule``).
"""

from __future__ import annotations

from rotation.enums import Area
from rotation.hiring.policy import HiringPolicy
from rotation.models import School

_AREA_RANK = {Area.RURAL: 0, Area.TOWN: 1, Area.URBAN: 2}


def school_level(school: School) -> int:
    """城区优质 8 > 城区 7 > 城区薄弱 6 > 镇区优质 5 > … > 乡村薄弱 0."""
    return 3 * _AREA_RANK[school.area] + 1 + int(school.quality) - int(school.weak)


def school_level_label(school: School) -> str:
    tag = "优质" if school.quality else ("薄弱" if school.weak else "")
    return f"{school.area.label_zh}{tag}学校"


def may_move(from_school: School, to_school: School, policy: HiringPolicy) -> bool:
    """The level rule: a teacher moves only to a school no higher in level than their own."""
    return not policy.level_rule or school_level(to_school) <= school_level(from_school)
