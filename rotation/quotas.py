"""The rotation quotas of plan year Y: per sending school, or county-wide.

E counts a sender's eligible teachers of the quota stages (义务教育 by default).
Required rotated = ceil(rotation_rate × E); allowed at most ceil(max_rotation_rate × E);
backbone rotated ≥ backbone_share × rotated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rotation.enums import QuotaScope, Title
from rotation.models import Dataset, Teacher
from rotation.policy import Policy
from rotation.roles import school_role

COUNTY = "__county__"  # the quota unit of scope `county`

# Floating-point guard: 0.1 × 30 is 3.0000000000000004 and must give 3, not 4.
_EPS = 1e-9


def ceil_share(rate: float, count: int) -> int:
    return math.ceil(rate * count - _EPS)


def backbone_needed(share: float, rotated: int) -> int:
    """Smallest integer backbone count b with b ≥ share × rotated."""
    return ceil_share(share, rotated)


@dataclass(frozen=True, slots=True)
class Quota:
    unit: str  # a school_id, or COUNTY
    eligible: int  # E: quota-stage eligible teachers
    eligible_backbone: int
    required: int  # ceil(rotation_rate × E)
    maximum: int  # ceil(max_rotation_rate × E)
    backbone_required: int  # backbone needed when exactly `required` rotate


def counts_toward_quota(teacher: Teacher, policy: Policy) -> bool:
    return teacher.stage in policy.quota_stages


def quota_unit(teacher: Teacher, policy: Policy) -> str:
    return COUNTY if policy.quota_scope is QuotaScope.COUNTY else teacher.school_id


def quotas(dataset: Dataset, eligible: list[Teacher], policy: Policy) -> dict[str, Quota]:
    """The quota of every unit: each sending school, or the county as a whole."""
    counts: dict[str, list[int]] = {}
    if policy.quota_scope is QuotaScope.COUNTY:
        counts[COUNTY] = [0, 0]
    else:
        for s in dataset.schools:
            if school_role(s).sends:
                counts[s.school_id] = [0, 0]
    for t in eligible:
        if not counts_toward_quota(t, policy):
            continue
        unit = quota_unit(t, policy)
        if unit not in counts:
            continue
        counts[unit][0] += 1
        counts[unit][1] += policy.is_backbone(t.backbone)
    out: dict[str, Quota] = {}
    for unit, (e, eb) in counts.items():
        req = ceil_share(policy.rotation_rate, e)
        out[unit] = Quota(
            unit=unit,
            eligible=e,
            eligible_backbone=eb,
            required=req,
            maximum=max(req, ceil_share(policy.max_rotation_rate, e)),
            backbone_required=backbone_needed(policy.backbone_share, req),
        )
    return out


# ---------------------------------------------------------------- shared rule arithmetic
# The solver and the checker compare shares in whole per-mille, so both read a rule
# the same way: "backbone ≥ 20% of rotated" is 1000·backbone ≥ 200·rotated.
PER_MILLE = 1000


def per_mille(share: float) -> int:
    return round(share * PER_MILLE)


def county_senior_share(dataset: Dataset) -> float:
    """Share of the county's teachers holding a senior title (高级 or 正高级)."""
    if not dataset.teachers:
        return 0.0
    return sum(t.title.is_senior for t in dataset.teachers) / len(dataset.teachers)


def senior_target_per_mille(dataset: Dataset, policy: Policy) -> int:
    """The senior-title share (per mille) that those sent must reach: county share × tilt."""
    return min(PER_MILLE, ceil_share(county_senior_share(dataset) * policy.title_tilt, PER_MILLE))


def senior_share_met(dataset: Dataset, titles_sent: Sequence[Title], policy: Policy) -> bool:
    """The senior-title tilt: the senior share of those sent reaches the county's target."""
    senior = sum(1 for t in titles_sent if t.is_senior)
    return PER_MILLE * senior >= senior_target_per_mille(dataset, policy) * len(titles_sent)


def group_leave_cap(group_size: int, policy: Policy) -> int:
    """Most teachers of one school's stage-and-subject group that may leave in a year (≥ 1)."""
    return max(1, math.floor(policy.max_group_leave_share * group_size + _EPS))


def group_sizes(dataset: Dataset) -> dict[tuple[str, str, str], int]:
    """(school_id, stage, subject) → teachers of that group at the school."""
    sizes: dict[tuple[str, str, str], int] = {}
    for t in dataset.teachers:
        key = (t.school_id, t.stage.value, t.subject.value)
        sizes[key] = sizes.get(key, 0) + 1
    return sizes
