"""The teacher part of the 2017 standard, judged as the method reads it.

Source: 《县域义务教育优质均衡发展督导评估办法》(教督〔2017〕6号). Its resource item
judges seven indicators per school (three about teachers, per 100 students: degree,
backbone, PE/art; four about buildings, sports grounds, equipment and multimedia rooms)
and their coefficients of variation across schools:

- every school meets at least 6 of the 7 indicators and the one it misses is at least
  85% of its target (``policy.school_indicators_allowed_short``,
  ``policy.school_indicator_floor``); the roster holds only the three teacher
  indicators, so a school passes here when it misses at most that many of them, each at
  the floor or above (the other four are the bureau's to check);
- small schools (provinces leave out 教学点 of fewer than 50 students, e.g. the Hebei
  rules) are not judged school by school (``policy.small_school_students``); they stay
  in the CVs;
- every CV within its limit (primary ≤ 0.50, junior ≤ 0.45);
- and its government item: each year the county exchanges at least 10% of the eligible
  teachers and backbone teachers are at least 20% of those exchanged, read county-wide
  (``policy.rotation_rate``, ``policy.backbone_share``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rotation.compliance import COUNTY_ROW_ID, COUNTY_ROW_NAME
from rotation.indicators import INDICATORS, CountyIndicators, target
from rotation.models import Dataset
from rotation.plan import ComplianceRow
from rotation.policy import Policy


@dataclass(frozen=True)
class SchoolVerdict:
    school_id: str
    stage: str
    short: tuple[str, ...]  # indicators below the target
    passes: bool


def school_verdicts(dataset: Dataset, ci: CountyIndicators, policy: Policy) -> list[SchoolVerdict]:
    """Each school part judged on the teacher indicators (small schools left out)."""
    out = []
    for r in ci.schools:
        if dataset.school[r.school_id].students < policy.small_school_students:
            continue
        short = tuple(k for k in INDICATORS if not r.met[k])
        near = all(
            k not in ci.no_data
            and r.values[k] >= policy.school_indicator_floor * target(policy, r.stage, k) - 1e-9
            for k in short
        )
        passes = len(short) <= policy.school_indicators_allowed_short and near
        out.append(SchoolVerdict(r.school_id, r.stage.value, short, passes))
    return out


def exchange_item(
    rows: tuple[ComplianceRow, ...] | list[ComplianceRow], policy: Policy
) -> dict[str, Any]:
    """The county-wide exchange ratio and backbone share of one year's plan."""
    units = [r for r in rows if r.school_id != COUNTY_ROW_ID or r.name == COUNTY_ROW_NAME]
    eligible = sum(r.eligible for r in units)
    rotated = sum(r.rotated for r in units)
    backbone = sum(r.backbone_rotated for r in units)
    ratio = rotated / eligible if eligible else 0.0
    share = backbone / rotated if rotated else 0.0
    return {
        "eligible": eligible,
        "rotated": rotated,
        "backbone_rotated": backbone,
        "ratio": round(ratio, 4),
        "backbone_share": round(share, 4),
        "met": eligible == 0
        or (ratio >= policy.rotation_rate - 1e-9 and share >= policy.backbone_share - 1e-9),
    }


def teacher_standard(
    dataset: Dataset,
    ci: CountyIndicators,
    policy: Policy,
    rows: tuple[ComplianceRow, ...] | list[ComplianceRow],
) -> dict[str, Any]:
    """The verdict of one year (after its plan): each part and the whole, with the reading."""
    schools = school_verdicts(dataset, ci, policy)
    failing = [s for s in schools if not s.passes]
    cv_met = bool(ci.cv_met) and all(ci.cv_met.values())
    exchange = exchange_item(rows, policy)
    small = len(
        {
            r.school_id
            for r in ci.schools
            if dataset.school[r.school_id].students < policy.small_school_students
        }
    )
    return {
        "cv_met": cv_met,
        "cv_over": [f"{st.value}:{k}" for (st, k), ok in ci.cv_met.items() if not ok],
        "schools_judged": len(schools),
        "schools_failing": len(failing),
        "schools_failing_ids": [f"{s.school_id}/{s.stage}" for s in failing][:50],
        "small_schools_left_out": small,
        "schools_met": not failing,
        "exchange": exchange,
        "meets": cv_met and not failing and bool(exchange["met"]),
    }


def reading(policy: Policy) -> str:
    """The reading the verdict uses, stated in every report (zh / en)."""
    n, floor, small = (
        policy.school_indicators_allowed_short,
        policy.school_indicator_floor,
        policy.small_school_students,
    )
    return (
        f"达标口径（2017年办法教师部分）：各指标差异系数小学≤{policy.cv_limit_primary:.2f}、初中≤"
        f"{policy.cv_limit_junior:.2f}；每校三项教师指标至多{n}项未达标且不低于标准的{floor:.0%}"
        f"（其余四项校舍设备指标不在名册中，由教育局另行核查）；学生不足{small}人的学校不逐校评判"
        f"（仍计入差异系数）；全县交流比例不低于符合条件教师的{policy.rotation_rate:.0%}、骨干不低于交流人数的"
        f"{policy.backbone_share:.0%} / reading (teacher part of the 2017 standard): CVs within "
        f"{policy.cv_limit_primary:.2f} primary and {policy.cv_limit_junior:.2f} junior; each school "
        f"misses at most {n} of the three teacher indicators, each at {floor:.0%} of its target or "
        f"more (the four building indicators are not in the roster); schools under {small} "
        f"students are not judged one by one (they stay in the CVs); the county exchanges at "
        f"least {policy.rotation_rate:.0%} of eligible teachers, backbone at least "
        f"{policy.backbone_share:.0%} of those exchanged"
    )


def first_year_holding(years: list[dict[str, Any]]) -> int | None:
    """The first year from which the standard holds in that year and every later one."""
    first: int | None = None
    for y in years:
        if y["standard"]["meets"]:
            if first is None:
                first = int(y["year"])
        else:
            first = None
    return first
