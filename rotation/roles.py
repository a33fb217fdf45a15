"""Which schools send teachers and which receive them (data contract, "Derived role")."""

from __future__ import annotations

from rotation.enums import Area, LabelledEnum, Role
from rotation.models import Dataset, School


def derived_role(school: School) -> Role:
    """The contract's rule, ignoring the explicit override.

    Sender: urban or town, or quality; and neither weak nor a priority school.
    Receiver: rural, or weak, or a priority school.
    """
    sends = (school.area in (Area.URBAN, Area.TOWN) or school.quality) and not (
        school.weak or school.priority is not None
    )
    receives = school.area is Area.RURAL or school.weak or school.priority is not None
    if sends and receives:
        return Role.BOTH
    if sends:
        return Role.SENDER
    if receives:
        return Role.RECEIVER
    return Role.NONE


def school_role(school: School) -> Role:
    """The role in force: the explicit ``role`` column when given, else the derived one."""
    return school.role if school.role is not None else derived_role(school)


def roles(dataset: Dataset) -> dict[str, Role]:
    return {s.school_id: school_role(s) for s in dataset.schools}


def senders(dataset: Dataset) -> list[str]:
    return [s.school_id for s in dataset.schools if school_role(s).sends]


def receivers(dataset: Dataset) -> list[str]:
    return [s.school_id for s in dataset.schools if school_role(s).receives]


class PriorityClass(LabelledEnum):
    """Which receiving schools come first when filling needs (三所学校, then weak, then rural)."""

    THREE_SCHOOLS = "three_schools", "三所学校"
    WEAK = "weak", "薄弱学校"
    RURAL = "rural", "其他乡村学校"
    OTHER = "other", "其他学校"


def priority_class(school: School) -> PriorityClass:
    if school.priority is not None:
        return PriorityClass.THREE_SCHOOLS
    if school.weak:
        return PriorityClass.WEAK
    if school.area is Area.RURAL:
        return PriorityClass.RURAL
    return PriorityClass.OTHER
