"""Statutory retirement under the 2025 reform, read from the decision's annex tables.

Source: 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13) and its
annex 《职工延迟法定退休年龄对照表》; eligibility's window is measured from 1 September of
the plan year (shared/spec/data-format.md, "Eligibility in plan year Y").
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import county, rural, school, teacher

from rotation.eligibility import eligibility
from rotation.enums import Gender, PostType, RetirementRule
from rotation.policy import Policy
from rotation.retirement import retirement_month, statutory_age_months, teacher_retirement

YEAR = 2026


def ym(years: int, months: int = 0) -> int:
    return years * 12 + months


@pytest.mark.parametrize(
    ("gender", "post", "born", "age"),
    [
        # men 60 → 63, one month per four months of birth, from January 1965
        (Gender.MALE, PostType.PROFESSIONAL, date(1964, 12, 31), ym(60)),
        (Gender.MALE, PostType.PROFESSIONAL, date(1965, 1, 1), ym(60, 1)),
        (Gender.MALE, PostType.PROFESSIONAL, date(1965, 4, 30), ym(60, 1)),
        (Gender.MALE, PostType.PROFESSIONAL, date(1965, 5, 1), ym(60, 2)),
        (Gender.MALE, PostType.PROFESSIONAL, date(1970, 10, 15), ym(61, 6)),
        (Gender.MALE, PostType.PROFESSIONAL, date(1976, 8, 1), ym(62, 11)),
        (Gender.MALE, PostType.PROFESSIONAL, date(1976, 9, 1), ym(63)),
        (Gender.MALE, PostType.WORKER, date(1990, 1, 1), ym(63)),
        # women in professional posts (teachers) 55 → 58, same pace, from January 1970
        (Gender.FEMALE, PostType.PROFESSIONAL, date(1969, 12, 1), ym(55)),
        (Gender.FEMALE, PostType.PROFESSIONAL, date(1970, 1, 1), ym(55, 1)),
        (Gender.FEMALE, PostType.PROFESSIONAL, date(1981, 8, 1), ym(57, 11)),
        (Gender.FEMALE, PostType.PROFESSIONAL, date(1981, 9, 1), ym(58)),
        # women in worker posts 50 → 55, one month per two months, from January 1975
        (Gender.FEMALE, PostType.WORKER, date(1974, 12, 1), ym(50)),
        (Gender.FEMALE, PostType.WORKER, date(1975, 2, 1), ym(50, 1)),
        (Gender.FEMALE, PostType.WORKER, date(1975, 3, 1), ym(50, 2)),
        (Gender.FEMALE, PostType.WORKER, date(1984, 10, 1), ym(54, 11)),
        (Gender.FEMALE, PostType.WORKER, date(1984, 11, 1), ym(55)),
    ],
)
def test_the_statutory_age_follows_the_reform_table(gender, post, born, age) -> None:
    assert statutory_age_months(gender, born, post_type=post) == age


def test_fixed_ages_restore_sixty_and_fifty_five_for_a_what_if() -> None:
    fixed = RetirementRule.FIXED
    assert statutory_age_months(Gender.MALE, date(1980, 1, 1), rule=fixed) == ym(60)
    assert statutory_age_months(Gender.FEMALE, date(1980, 1, 1), rule=fixed) == ym(55)
    assert statutory_age_months(
        Gender.FEMALE, date(1980, 1, 1), rule=fixed, post_type=PostType.WORKER
    ) == ym(50)


def test_retirement_falls_in_the_month_the_age_is_reached() -> None:
    # the decision's worked case in domain-facts: a man born 1970-10 retires 2032-04
    assert retirement_month(date(1970, 10, 20), ym(61, 6)) == date(2032, 4, 1)
    t = teacher("T1", gender=Gender.MALE, birth_date=date(1970, 10, 20))
    assert teacher_retirement(t, Policy()) == date(2032, 4, 1)


def check(t, policy: Policy | None = None):
    d = county([school("U1"), rural("R1")], [t], [])
    return eligibility(t, d, YEAR, policy or Policy())


@pytest.mark.parametrize(
    ("gender", "post", "born", "eligible"),
    [
        # retirement must fall after 2031-09 (five years after 1 September 2026)
        (Gender.MALE, PostType.PROFESSIONAL, date(1970, 4, 1), False),  # 61y4m → 2031-08
        (Gender.MALE, PostType.PROFESSIONAL, date(1970, 5, 1), True),  # 61y5m → 2031-10
        (Gender.MALE, PostType.PROFESSIONAL, date(1970, 10, 1), True),  # fixed 60 excluded him
        (Gender.FEMALE, PostType.PROFESSIONAL, date(1975, 4, 1), False),  # 56y4m → 2031-08
        (Gender.FEMALE, PostType.PROFESSIONAL, date(1975, 5, 1), True),  # 56y5m → 2031-10
        (Gender.FEMALE, PostType.WORKER, date(1979, 6, 1), False),  # 52y3m → 2031-09
        (Gender.FEMALE, PostType.WORKER, date(1979, 7, 1), True),  # 52y4m → 2031-11
    ],
)
def test_the_retirement_window_is_measured_to_the_reformed_date(
    gender, post, born, eligible
) -> None:
    e = check(teacher("T1", gender=gender, birth_date=born, post_type=post))
    assert e.eligible is eligible
    if not eligible:
        assert any(r.startswith("距退休不足5年") and "退休" in r for r in e.reasons)


def test_the_fixed_rule_excludes_the_man_the_reform_makes_eligible() -> None:
    t = teacher("T1", gender=Gender.MALE, birth_date=date(1970, 10, 1))
    assert check(t).eligible
    e = check(t, Policy(retirement_rule=RetirementRule.FIXED))
    assert not e.eligible and e.reasons == ("距退休不足5年（2030年10月退休）",)


def test_policy_loads_the_rule_by_its_name() -> None:
    assert Policy.load(overrides=["retirement_rule=fixed"]).retirement_rule is RetirementRule.FIXED
    assert Policy().retirement_rule is RetirementRule.REFORM_2025


def test_a_worker_post_read_from_the_roster_sets_the_womans_age(tmp_path) -> None:
    from rotation.io import read_dataset, write_dataset

    worker = teacher(
        "T1", gender=Gender.FEMALE, birth_date=date(1979, 6, 1), post_type=PostType.WORKER
    )
    d = county([school("U1"), rural("R1")], [worker, teacher("T2")], [])
    write_dataset(d, tmp_path)
    header = (tmp_path / "teachers.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",post_type")
    back = read_dataset(tmp_path)
    assert back.teacher["T1"].post_type is PostType.WORKER
    assert back.teacher["T2"].post_type is PostType.PROFESSIONAL
    assert not eligibility(back.teacher["T1"], back, YEAR, Policy()).eligible


def test_a_roster_without_post_types_is_written_as_before(tmp_path) -> None:
    from rotation.io import write_dataset

    write_dataset(county([school("U1"), rural("R1")], [teacher("T1")], []), tmp_path)
    assert "post_type" not in (tmp_path / "teachers.csv").read_text(encoding="utf-8")
