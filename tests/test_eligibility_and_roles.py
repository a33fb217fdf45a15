"""Roles and eligibility as the data contract states them, one case per rule and per
exemption, at the boundaries. Plan year 2026 throughout."""

from __future__ import annotations

from datetime import date

import pytest
from builders import county, rural, school, teacher

from rotation.eligibility import eligibility
from rotation.enums import Area, Gender, Priority, Role
from rotation.policy import Policy
from rotation.roles import derived_role, school_role

YEAR = 2026


@pytest.mark.parametrize(
    ("area", "quality", "weak", "priority", "expected"),
    [
        (Area.URBAN, False, False, None, Role.SENDER),
        (Area.TOWN, False, False, None, Role.SENDER),
        (Area.RURAL, False, False, None, Role.RECEIVER),
        (Area.RURAL, True, False, None, Role.BOTH),  # a quality rural school sends and receives
        (Area.URBAN, False, True, None, Role.RECEIVER),  # weak: not a sender
        (Area.URBAN, True, True, None, Role.RECEIVER),
        (Area.TOWN, False, False, Priority.CENTRAL_PRIMARY, Role.RECEIVER),  # 三所学校
        (Area.TOWN, True, False, Priority.BOARDING, Role.RECEIVER),
        (Area.RURAL, False, False, Priority.CENTRAL_KINDERGARTEN, Role.RECEIVER),
    ],
)
def test_derived_role(area, quality, weak, priority, expected) -> None:
    s = school("X", area, quality=quality, weak=weak, priority=priority)
    assert derived_role(s) is expected
    assert school_role(s) is expected


@pytest.mark.parametrize("override", list(Role))
def test_explicit_role_overrides_the_derived_one(override: Role) -> None:
    assert school_role(school("X", Area.URBAN, role=override)) is override


def check(t, schools=None, policy: Policy | None = None):
    d = county(schools or [school("U1"), rural("R1")], [t], [])
    return eligibility(t, d, YEAR, policy or Policy())


@pytest.mark.parametrize(
    ("start_year", "eligible"),
    [(2020, True), (2021, False), (2019, True), (2026, False)],  # 2026 − 2020 = 6: exactly enough
)
def test_tenure_boundary(start_year: int, eligible: bool) -> None:
    e = check(teacher("T1", school_start_year=start_year))
    assert e.eligible is eligible
    if not eligible:
        assert any("任教未满6年" in r for r in e.reasons)


@pytest.mark.parametrize(
    ("gender", "born", "eligible"),
    [  # 2025 reform (tests/test_retirement.py has the table); window ends 2031-09
        (Gender.MALE, date(1970, 5, 1), True),  # 61y5m → retires 2031-10
        (Gender.MALE, date(1970, 4, 30), False),  # 61y4m → retires 2031-08
        (Gender.FEMALE, date(1975, 5, 1), True),  # 56y5m → retires 2031-10
        (Gender.FEMALE, date(1975, 4, 30), False),  # 56y4m → retires 2031-08
    ],
)
def test_retirement_window_boundary(gender: Gender, born: date, eligible: bool) -> None:
    e = check(teacher("T1", gender=gender, birth_date=born))
    assert e.eligible is eligible
    if not eligible:
        assert any("距退休不足5年" in r for r in e.reasons)


@pytest.mark.parametrize("reason", ["孕期哺乳期", "重病", "军属", "援藏援疆"])
def test_each_exemption_is_named(reason: str) -> None:
    e = check(teacher("T1", exempt=reason))
    assert not e.eligible and e.reasons == (f"已申请免交流：{reason}",)


@pytest.mark.parametrize(
    ("last_exchange", "eligible"), [(None, True), (2020, True), (2021, False), (2025, False)]
)
def test_cooldown_boundary(last_exchange: int | None, eligible: bool) -> None:
    e = check(teacher("T1", last_exchange_year=last_exchange))
    assert e.eligible is eligible
    if not eligible:
        assert any("上次交流结束未满6年" in r for r in e.reasons)


def test_teachers_of_receiving_schools_are_not_eligible() -> None:
    e = check(teacher("T1", school_id="R1"))
    assert not e.eligible and e.reasons == ("所在学校不是派出学校",)


def test_every_failed_rule_is_listed() -> None:
    t = teacher("T1", school_start_year=2024, exempt="重病", last_exchange_year=2024)
    e = check(t)
    assert len(e.reasons) == 3 and "；" in e.reason_text


def test_policy_parameters_move_the_boundaries() -> None:
    policy = Policy(min_tenure_years=3, retirement_exempt_years=2, exchange_cooldown_years=1)
    assert check(teacher("T1", school_start_year=2023), policy=policy).eligible
    assert check(teacher("T2", birth_date=date(1971, 1, 1)), policy=policy).eligible  # 55 < 58
    assert check(teacher("T3", last_exchange_year=2025), policy=policy).eligible
