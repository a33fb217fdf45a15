"""Quota standing of a plan, recomputed from the roster and the moves alone.

Used by the plan writer and by the checker; it knows nothing of how the plan was made.
In scope ``school`` there is one row per sending school with a quota stage; in scope
``county`` one row, ``COUNTY`` / 全县, for the county's totals. With the backbone share
read county-wide (``backbone_scope`` ``county``, the default) and the 10% per school, the
school rows judge the 10% only (backbone_required 0) and a last row ``COUNTY`` judges the
county's backbone share. Moves from stages outside ``quota_stages`` are no quota unit's:
``non_quota_moves`` lists them apart, with the reason 不计入比例.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from rotation.eligibility import Eligibility, eligibility_table
from rotation.enums import QuotaScope
from rotation.exchange_forms import support_counted_out
from rotation.models import Dataset
from rotation.plan import ComplianceRow
from rotation.plan_results import NonQuotaMoves
from rotation.policy import Policy
from rotation.quotas import (
    COUNTY,
    backbone_met,
    backbone_needed,
    backbone_quotas,
    backbone_separate,
    backbone_unit,
    counts_toward_quota,
    quota_base_teachers,
    quota_unit,
    quotas,
)
from rotation.roles import school_role

COUNTY_ROW_ID = "COUNTY"
COUNTY_ROW_NAME = "全县合计"
COUNTY_BACKBONE_ROW_NAME = "全县合计（骨干教师比例按全县考核）"
BACKBONE_REASON_KEY = "__county_backbone__"  # key of the county backbone row's reason
NOT_COUNTED = "不计入比例"


def rotated_counts(
    dataset: Dataset, moves: Mapping[str, str], policy: Policy, *, backbone: bool = False
) -> dict[str, tuple[int, int]]:
    """Unit → (rotated, backbone rotated), counting moved quota-stage teachers.

    Units of the 10% by default; of the backbone share with ``backbone``.
    """
    unit_of = backbone_unit if backbone else quota_unit
    out: dict[str, tuple[int, int]] = {}
    for tid in moves:
        t = dataset.teacher[tid]
        if not counts_toward_quota(t, policy) or support_counted_out(t, dataset, policy):
            continue
        unit = unit_of(t, policy)
        rot, bb = out.get(unit, (0, 0))
        out[unit] = (rot + 1, bb + int(policy.is_backbone(t.backbone)))
    return out


def compliance_rows(
    dataset: Dataset,
    moves: Mapping[str, str],
    year: int,
    policy: Policy,
    reasons: Mapping[str, str] | None = None,
    eligibility: Mapping[str, Eligibility] | None = None,
) -> list[ComplianceRow]:
    """One row per quota unit; with the backbone share county-wide and the 10% per school,
    the school rows judge the 10% and one more row, COUNTY, judges the backbone share."""
    table = eligibility if eligibility is not None else eligibility_table(dataset, year, policy)
    qs = quotas(dataset, quota_base_teachers(dataset, table, policy), policy)
    counts = rotated_counts(dataset, moves, policy)
    separate = backbone_separate(policy)
    rows: list[ComplianceRow] = []
    for unit in sorted(qs):
        q = qs[unit]
        rot, bb = counts.get(unit, (0, 0))
        bb_required = (
            0 if separate else backbone_needed(policy.backbone_share, rot, policy.backbone_rounding)
        )
        met = rot >= q.required and (separate or backbone_met(bb, rot, policy))
        if unit == COUNTY:
            school_id, name, role = COUNTY_ROW_ID, COUNTY_ROW_NAME, "county"
        else:
            s = dataset.school[unit]
            school_id, name, role = s.school_id, s.name, school_role(s, policy.urban_areas).value
        rows.append(
            ComplianceRow(
                school_id=school_id,
                name=name,
                role=role,
                eligible=q.eligible,
                required=q.required,
                rotated=rot,
                backbone_required=bb_required,
                backbone_rotated=bb,
                met=met,
                shortfall_reason="" if met else (reasons or {}).get(unit, ""),
            )
        )
    if separate:
        county = backbone_quotas(qs, policy)[COUNTY]
        rot, bb = rotated_counts(dataset, moves, policy, backbone=True).get(COUNTY, (0, 0))
        met = backbone_met(bb, rot, policy)
        rows.append(
            ComplianceRow(
                school_id=COUNTY_ROW_ID,
                name=COUNTY_BACKBONE_ROW_NAME,
                role="county",
                eligible=county.eligible,
                required=county.required,
                rotated=rot,
                backbone_required=backbone_needed(
                    policy.backbone_share, rot, policy.backbone_rounding
                ),
                backbone_rotated=bb,
                met=met,
                shortfall_reason="" if met else (reasons or {}).get(BACKBONE_REASON_KEY, ""),
            )
        )
    return rows


def unit_of_row(row: ComplianceRow, policy: Policy) -> str:
    return (
        COUNTY
        if policy.quota_scope is QuotaScope.COUNTY or row.school_id == COUNTY_ROW_ID
        else row.school_id
    )


def non_quota_moves(
    dataset: Dataset, moves: Mapping[str, str], policy: Policy
) -> list[NonQuotaMoves]:
    """Per sending school, the moved teachers of stages outside quota_stages (不计入比例)."""
    by_school: dict[str, Counter[str]] = {}
    for tid in moves:
        t = dataset.teacher[tid]
        if counts_toward_quota(t, policy):
            continue
        by_school.setdefault(t.school_id, Counter())[t.stage.value] += 1
    return [
        NonQuotaMoves(
            school_id=sid,
            name=dataset.school[sid].name,
            moved=sum(c.values()),
            by_stage=dict(sorted(c.items())),
        )
        for sid, c in sorted(by_school.items())
    ]


def quota_base_total(rows: list[ComplianceRow] | tuple[ComplianceRow, ...]) -> int:
    """The eligible teachers the quotas count (E summed over quota units), as compliance.csv
    reads: the county backbone row repeats the schools' total and is not added again."""
    units = [r for r in rows if r.school_id != COUNTY_ROW_ID or r.name == COUNTY_ROW_NAME]
    return sum(r.eligible for r in units)
