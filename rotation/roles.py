"""Which schools send teachers and which receive them (data contract, "Derived role").

城镇 (who sends) is ``Policy.urban_areas``, by default the contract's 城区 and 镇区
(``rotation/areas.py`` holds the one definition of 城镇 and of 农村).
"""

from __future__ import annotations

from collections.abc import Iterable

from rotation.areas import CONTRACT_URBAN_AREAS, OUTSIDE_COUNTY_TOWN, is_rural, is_urban
from rotation.enums import Area, LabelledEnum, Role
from rotation.models import Dataset, School


def derived_role(school: School, urban_areas: Iterable[Area] = CONTRACT_URBAN_AREAS) -> Role:
    """The contract's rule, ignoring the explicit override.

    Sender: 城镇 (urban or town), or quality; and neither weak nor a priority school.
    Receiver: rural, or weak, or a priority school.
    """
    sends = (is_urban(school, urban_areas) or school.quality) and not (
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


def school_role(school: School, urban_areas: Iterable[Area] = CONTRACT_URBAN_AREAS) -> Role:
    """The role in force: the explicit ``role`` column when given, else the derived one."""
    return school.role if school.role is not None else derived_role(school, urban_areas)


def roles(dataset: Dataset, urban_areas: Iterable[Area] = CONTRACT_URBAN_AREAS) -> dict[str, Role]:
    return {s.school_id: school_role(s, urban_areas) for s in dataset.schools}


def senders(dataset: Dataset, urban_areas: Iterable[Area] = CONTRACT_URBAN_AREAS) -> list[str]:
    return [s.school_id for s in dataset.schools if school_role(s, urban_areas).sends]


def receivers(dataset: Dataset) -> list[str]:
    return [s.school_id for s in dataset.schools if school_role(s).receives]


class PriorityClass(LabelledEnum):
    """Which receiving schools come first when filling needs (三所学校, then weak, then rural)."""

    THREE_SCHOOLS = "three_schools", "三所学校"
    WEAK = "weak", "薄弱学校"
    RURAL = "rural", "其他农村学校"
    OTHER = "other", "其他学校"


def priority_class(school: School, rural_areas: Iterable[Area] = OUTSIDE_COUNTY_TOWN) -> PriorityClass:
    """三所学校, then weak, then other 农村 (``rotation/areas.py``), then the rest."""
    if school.priority is not None:
        return PriorityClass.THREE_SCHOOLS
    if school.weak:
        return PriorityClass.WEAK
    if is_rural(school, rural_areas):
        return PriorityClass.RURAL
    return PriorityClass.OTHER
