"""Statutory retirement dates: the 2025 reform table, or fixed ages for a what-if.

Source: 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13), in force
from 2025-01-01, and its annex tables (附件《职工延迟法定退休年龄对照表》). Over fifteen years
the statutory age rises:

- men: 60 → 63, one month later for every four months of birth date, from those born
  in January 1965 (born 1965-01…04 → 60 years 1 month; born 1976-09 or later → 63);
- women in managerial and professional posts (teachers are 专业技术人员): 55 → 58, at the
  same pace from those born in January 1970 (born 1981-09 or later → 58);
- women in worker posts (工勤技能岗位): 50 → 55, one month for every two months of birth
  date, from those born in January 1975 (born 1984-11 or later → 55).

Retirement falls in the month the statutory age is reached. Eligibility and the outlook
measure time to it from the start of the school year (1 September), as the data
contract reads (``shared/spec/data-format.md``, "Eligibility in plan year Y").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rotation.enums import Gender, PostType, RetirementRule
from rotation.models import Teacher
from rotation.policy import Policy


@dataclass(frozen=True, slots=True)
class ReformRow:
    """One line of the reform's table: whom it concerns and how their age rises."""

    original_age: int  # the statutory age before the reform, in years
    first_cohort: tuple[int, int]  # (year, month) of the first birth month delayed
    months_per_step: int  # birth months per month of delay
    max_delay_months: int  # the delay at the end of the fifteen years


# The annex tables of the 2024-09-13 decision, by gender and post type.
REFORM_2025: dict[tuple[Gender, PostType], ReformRow] = {
    (Gender.MALE, PostType.PROFESSIONAL): ReformRow(60, (1965, 1), 4, 36),
    (Gender.MALE, PostType.WORKER): ReformRow(60, (1965, 1), 4, 36),
    (Gender.FEMALE, PostType.PROFESSIONAL): ReformRow(55, (1970, 1), 4, 36),
    (Gender.FEMALE, PostType.WORKER): ReformRow(50, (1975, 1), 2, 60),
}

SCHOOL_YEAR_START_MONTH = 9  # the school year starts on 1 September


def delay_months(row: ReformRow, birth: date) -> int:
    """Months the reform adds for a birth month: min(max, floor(k / step) + 1), 0 before."""
    since = (birth.year - row.first_cohort[0]) * 12 + (birth.month - row.first_cohort[1])
    if since < 0:
        return 0
    return min(row.max_delay_months, since // row.months_per_step + 1)


def statutory_age_months(
    gender: Gender,
    birth: date,
    *,
    post_type: PostType = PostType.PROFESSIONAL,
    rule: RetirementRule = RetirementRule.REFORM_2025,
    fixed_ages: tuple[int, int, int] = (60, 55, 50),
) -> int:
    """The statutory retirement age in months.

    ``fixed_ages`` are (men, women in professional posts, women in worker posts), used
    when ``rule`` is ``fixed`` (the pre-2025 ages, for a what-if).
    """
    if rule is RetirementRule.FIXED:
        male, female, female_worker = fixed_ages
        if gender is Gender.MALE:
            return male * 12
        return (female_worker if post_type is PostType.WORKER else female) * 12
    row = REFORM_2025[(gender, post_type)]
    return row.original_age * 12 + delay_months(row, birth)


def retirement_month(birth: date, age_months: int) -> date:
    """The first day of the month in which the statutory age is reached."""
    total = birth.year * 12 + (birth.month - 1) + age_months
    return date(total // 12, total % 12 + 1, 1)


def school_year_start(year: int) -> date:
    return date(year, SCHOOL_YEAR_START_MONTH, 1)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from the month of ``start`` to the month of ``end``."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def retired_by(retires: date, year: int) -> bool:
    """Whether a teacher retiring in month ``retires`` has left by 1 September of ``year``."""
    return retires <= school_year_start(year)


def within_window(retires: date, year: int, window_years: int) -> bool:
    """Retirement no more than ``window_years`` after the start of school year ``year``.

    The contract's rule is "more than 5 years after 1 September Y" for eligibility, so
    a teacher retiring in September Y + 5 or earlier is within the window.
    """
    return retires <= school_year_start(year + window_years)


def teacher_retirement(teacher: Teacher, policy: Policy) -> date:
    """The month a teacher reaches the statutory age, under the policy's rule."""
    age = statutory_age_months(
        teacher.gender,
        teacher.birth_date,
        post_type=teacher.post_type,
        rule=policy.retirement_rule,
        fixed_ages=policy.fixed_retirement_ages,
    )
    return retirement_month(teacher.birth_date, age)


def age_text(months: int) -> str:
    """60 years 6 months as an HR officer writes it: 60岁6个月 (or 60岁)."""
    years, rest = divmod(months, 12)
    return f"{years}岁{rest}个月" if rest else f"{years}岁"
