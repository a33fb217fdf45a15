"""Quota standing of a plan, recomputed from the roster and the moves alone.

Used by the plan writer and by the checker; it knows nothing of how the plan was made.
In scope ``school`` there is one row per sending school; in scope ``county`` one row,
``COUNTY`` / 全县, for the county's totals.
"""

from __future__ import annotations

from collections.abc import Mapping

from rotation.eligibility import Eligibility, eligibility_table
from rotation.enums import QuotaScope
from rotation.models import Dataset
from rotation.plan import ComplianceRow
from rotation.policy import Policy
from rotation.quotas import (
    COUNTY,
    PER_MILLE,
    ceil_share,
    counts_toward_quota,
    per_mille,
    quota_unit,
    quotas,
)
from rotation.roles import school_role

COUNTY_ROW_ID = "COUNTY"
COUNTY_ROW_NAME = "全县合计"


def rotated_counts(
    dataset: Dataset, moves: Mapping[str, str], policy: Policy
) -> dict[str, tuple[int, int]]:
    """Quota unit → (rotated, backbone rotated), counting moved quota-stage teachers."""
    out: dict[str, tuple[int, int]] = {}
    for tid in moves:
        t = dataset.teacher[tid]
        if not counts_toward_quota(t, policy):
            continue
        unit = quota_unit(t, policy)
        rot, bb = out.get(unit, (0, 0))
        out[unit] = (rot + 1, bb + int(policy.is_backbone(t.backbone)))
    return out


def backbone_met(backbone: int, rotated: int, policy: Policy) -> bool:
    return PER_MILLE * backbone >= per_mille(policy.backbone_share) * rotated


def compliance_rows(
    dataset: Dataset,
    moves: Mapping[str, str],
    year: int,
    policy: Policy,
    reasons: Mapping[str, str] | None = None,
    eligibility: Mapping[str, Eligibility] | None = None,
) -> list[ComplianceRow]:
    table = eligibility if eligibility is not None else eligibility_table(dataset, year, policy)
    eligible = [t for t in dataset.teachers if table[t.teacher_id].eligible]
    qs = quotas(dataset, eligible, policy)
    counts = rotated_counts(dataset, moves, policy)
    rows: list[ComplianceRow] = []
    for unit in sorted(qs):
        q = qs[unit]
        rot, bb = counts.get(unit, (0, 0))
        bb_required = ceil_share(policy.backbone_share, rot)  # the contract: ≥ share × rotated
        met = rot >= q.required and backbone_met(bb, rot, policy)
        if unit == COUNTY:
            school_id, name, role = COUNTY_ROW_ID, COUNTY_ROW_NAME, "county"
        else:
            s = dataset.school[unit]
            school_id, name, role = s.school_id, s.name, school_role(s).value
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
    return rows


def unit_of_row(row: ComplianceRow, policy: Policy) -> str:
    return COUNTY if policy.quota_scope is QuotaScope.COUNTY else row.school_id
