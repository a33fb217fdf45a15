"""One meaning of 城镇 (who sends) and of 农村 (whom the tilts and priorities favour).

Sources: 教师〔2014〕4号 and the data contract's derived roles for 城镇; the seed's
中高级教师岗位比例适当向农村学校倾斜 and shared/notes/domain-facts.md ("Title posts": 农村 =
outside the county town, 镇区 and 乡村, the township 三所学校 first) for 农村.
"""

from __future__ import annotations

import pytest
from builders import county, school, teacher

from rotation.areas import is_rural, is_urban
from rotation.enums import Area, Priority, Role
from rotation.hiring.policy import HiringPolicy
from rotation.hiring.round_three import vacancy_gain
from rotation.policy import Policy
from rotation.roles import priority_class, school_role
from rotation.summary import dataset_summary, format_summary


@pytest.mark.parametrize(
    ("area", "urban", "rural"),
    [(Area.URBAN, True, False), (Area.TOWN, True, True), (Area.RURAL, False, True)],
)
def test_by_default_a_township_school_both_sends_and_is_favoured(area, urban, rural) -> None:
    s = school("X", area)
    assert is_urban(s, Policy().urban_areas) is urban
    assert is_rural(s, Policy().rural_areas) is rural


def test_a_three_schools_member_is_always_rural() -> None:
    s = school("X", Area.URBAN, priority=Priority.CENTRAL_PRIMARY)
    assert is_rural(s, (Area.RURAL,))


def test_the_county_may_read_urban_as_the_county_town_only() -> None:
    town = school("T", Area.TOWN)
    assert school_role(town, Policy().urban_areas) is Role.SENDER
    assert school_role(town, Policy(urban_areas=(Area.URBAN,)).urban_areas) is Role.NONE


def test_the_plan_and_the_hiring_rounds_favour_the_same_schools() -> None:
    town = school("T", Area.TOWN)
    assert priority_class(town, Policy().rural_areas).label_zh == "其他农村学校"
    assert priority_class(town, (Area.RURAL,)).label_zh == "其他学校"
    base = HiringPolicy()
    village_only = HiringPolicy(rural_areas=(Area.RURAL,))
    subject = base.shortage_subjects[0]
    assert vacancy_gain(town, subject, base) - vacancy_gain(town, subject, village_only) == (
        base.rural_school_gain
    )


def test_the_roster_summary_states_the_reading() -> None:
    d = county([school("U1"), school("R1", Area.RURAL)], [teacher("T1")], [])
    text = format_summary(dataset_summary(d, 2026, Policy()))
    assert (
        "城乡口径：城镇（派出）：城区、镇区学校；农村（职称倾斜与优先）：镇区、乡村学校及三所学校"
        in text
    )
