"""The outlook judges the teacher part of the 2017 standard as the method reads it: the
CVs, each school's three teacher indicators against the targets (one may miss if it is
at 85% of its target or more; small schools are not judged one by one), and the county's
exchange ratio; and it names the first year from which the standard keeps holding.

Source: 《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号).
"""

from __future__ import annotations

from typing import Any

from builders import county, math_teachers, rural, school

from rotation.compliance import COUNTY_ROW_ID
from rotation.enums import BackboneLevel, Degree, Subject
from rotation.indicators import county_indicators
from rotation.plan import ComplianceRow
from rotation.policy import Policy
from rotation.standard_2017 import (
    exchange_item,
    first_year_holding,
    school_verdicts,
    teacher_standard,
)


def _staff(school_id: str, degree: int, backbone: int, arts: int, plain: int) -> list[Any]:
    """Teachers of a 100-student school: so many counting for each indicator, and others."""
    out = math_teachers(degree, school_id, prefix=f"{school_id}D", degree=Degree.BACHELOR)
    out += math_teachers(backbone, school_id, prefix=f"{school_id}B", backbone=BackboneLevel.COUNTY)
    out += math_teachers(arts, school_id, prefix=f"{school_id}A", subject=Subject.PE)
    return out + math_teachers(plain, school_id, prefix=f"{school_id}P")


def _row(rotated: int, eligible: int, backbone: int) -> ComplianceRow:
    return ComplianceRow(
        school_id="U1", name="学校U1", role="sending", eligible=eligible, required=0,
        rotated=rotated, backbone_required=0, backbone_rotated=backbone, met=True,
    )  # fmt: skip


def test_a_school_may_miss_one_teacher_indicator_only_at_85_percent_of_its_target() -> None:
    # per 100 students: degree 5 (target 4.2), backbone 1 (1.0), PE/art 1 (0.9) unless cut
    d = county(
        [
            school("OK", students=100),
            school("NEAR", students=100),  # degree 4 of 4.2: 95% → passes on the allowance
            school("FAR", students=100),  # degree 3 of 4.2: 71% → fails
            school("TWO", students=100),  # degree and backbone short → fails
            rural("TINY", students=30),  # nothing, but under 50 students: not judged
        ],
        _staff("OK", 5, 1, 1, 2) + _staff("NEAR", 4, 1, 1, 2) + _staff("FAR", 3, 1, 1, 2)
        + _staff("TWO", 4, 0, 1, 2) + _staff("TINY", 0, 0, 0, 2),
        [],
    )  # fmt: skip
    policy = Policy()
    verdicts = {v.school_id: v for v in school_verdicts(d, county_indicators(d, policy), policy)}
    assert set(verdicts) == {"OK", "NEAR", "FAR", "TWO"}
    assert verdicts["OK"].passes and verdicts["NEAR"].passes
    assert verdicts["NEAR"].short == ("degree",)
    assert not verdicts["FAR"].passes and not verdicts["TWO"].passes
    strict = policy.model_copy(update={"school_indicators_allowed_short": 0})
    assert not {v.school_id: v for v in school_verdicts(d, county_indicators(d, strict), strict)}[
        "NEAR"
    ].passes


def test_the_standard_fails_on_a_school_even_when_every_cv_is_within_its_limit() -> None:
    d = county(
        [school("A", students=100), school("B", students=100)],
        _staff("A", 3, 1, 1, 2) + _staff("B", 3, 1, 1, 2),  # equal schools: every CV 0
        [],
    )
    policy = Policy()
    verdict = teacher_standard(d, county_indicators(d, policy), policy, [_row(2, 10, 1)])
    assert verdict["cv_met"] and verdict["exchange"]["met"]
    assert verdict["schools_failing"] == 2 and not verdict["meets"]


def test_the_exchange_item_reads_the_county_ratio_and_the_backbone_share() -> None:
    policy = Policy()
    assert exchange_item([_row(10, 100, 2)], policy)["met"]
    assert not exchange_item([_row(9, 100, 2)], policy)["met"]  # 9% of the eligible
    assert not exchange_item([_row(10, 100, 1)], policy)["met"]  # backbone 10% of those sent
    # the county backbone row repeats the schools' total: it is not counted twice
    county_row = _row(10, 100, 2).model_copy(update={"school_id": COUNTY_ROW_ID, "name": "骨干"})
    assert exchange_item([_row(10, 100, 2), county_row], policy)["eligible"] == 100


def test_the_first_year_is_the_one_from_which_the_standard_keeps_holding() -> None:
    def years(*meets: bool) -> list[dict[str, Any]]:
        return [{"year": 2025 + k, "standard": {"meets": m}} for k, m in enumerate(meets)]

    assert first_year_holding(years(True, False, True, True)) == 2027
    assert first_year_holding(years(True, True, False)) is None
    assert first_year_holding(years(False, True, True)) == 2026
