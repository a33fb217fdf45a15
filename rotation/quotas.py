"""The rotation quotas of plan year Y: per sending school, or county-wide.

Sources: 教育部等三部门《关于推进县（区）域内义务教育学校校长教师交流轮岗的意见》（教师〔2014〕4号）:
每学年交流轮岗教师的比例应不低于符合交流条件教师总数的10%，其中骨干教师交流轮岗应不低于交流
总数的20%; 《县域义务教育优质均衡发展督导评估办法》(2017), 政府保障程度 item, which reads both
county-wide over all compulsory schools' eligible teachers. The data contract
(``shared/spec/data-format.md``, "Quotas in plan year Y") makes each reading a policy
parameter:

- ``quota_scope``: the 10% per sending school (``school``) or for the county (``county``);
- ``quota_base`` (scope ``county``): E counts the teachers of every compulsory school who
  meet the tenure, retirement, exemption and cooldown conditions, wherever they teach
  (``all_schools``, the 2017 reading), or only the sending schools' eligible (``senders``);
- ``backbone_scope``: the 20% over the county's rotated teachers (``county``, the 2017
  reading and the default) or per sending school (``school``); with quota_scope
  ``county`` it is county-wide either way;
- ``rotation_rounding`` / ``backbone_rounding``: how a share becomes whole teachers.

Only units that can rotate quota-stage teachers are quota units: a sending school that
offers none of ``quota_stages`` (a senior high, a kindergarten, a special school) is not
one; its moves are reported apart (``non_quota_moves``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rotation.areas import is_rural
from rotation.eligibility import Eligibility
from rotation.enums import QuotaBase, QuotaScope, Rounding, Title
from rotation.models import Dataset, School, Teacher
from rotation.policy import Policy
from rotation.roles import school_role

COUNTY = "__county__"  # the quota unit of scope `county`

# Floating-point guard: 0.1 × 30 is 3.0000000000000004 and must give 3, not 4.
_EPS = 1e-9


def ceil_share(rate: float, count: int) -> int:
    return math.ceil(rate * count - _EPS)


def rounded_share(rate: float, count: int, rounding: Rounding) -> int:
    """rate × count in whole teachers, rounded as the policy reads the quota."""
    x = rate * count
    if rounding is Rounding.FLOOR:
        return math.floor(x + _EPS)
    if rounding is Rounding.ROUND:
        return math.floor(x + 0.5 + _EPS)
    return math.ceil(x - _EPS)


def backbone_needed(share: float, rotated: int, rounding: Rounding = Rounding.CEIL) -> int:
    """Backbone teachers required when ``rotated`` are sent: share × rotated, rounded.

    Computed in whole per mille, like the solver's row (see ``backbone_allowance``).
    """
    n = per_mille(share) * rotated
    if rounding is Rounding.FLOOR:
        return n // PER_MILLE
    if rounding is Rounding.ROUND:
        return (n + PER_MILLE // 2) // PER_MILLE
    return -(-n // PER_MILLE)


def backbone_allowance(rounding: Rounding) -> int:
    """The per-mille slack that makes 1000·b ≥ share‰·r − allowance mean b ≥ rounded(share·r).

    ceil: b ≥ ⌈N/1000⌉ ⇔ 1000b ≥ N; round half up: b ≥ ⌊(N+500)/1000⌋ ⇔ 1000b ≥ N − 499;
    floor: b ≥ ⌊N/1000⌋ ⇔ 1000b ≥ N − 999 (N = share‰ × rotated, integers).
    """
    if rounding is Rounding.FLOOR:
        return PER_MILLE - 1
    if rounding is Rounding.ROUND:
        return PER_MILLE // 2 - 1
    return 0


def backbone_met(backbone: int, rotated: int, policy: Policy) -> bool:
    return PER_MILLE * backbone >= per_mille(policy.backbone_share) * rotated - backbone_allowance(
        policy.backbone_rounding
    )


@dataclass(frozen=True, slots=True)
class Quota:
    unit: str  # a school_id, or COUNTY
    eligible: int  # E: quota-stage eligible teachers
    eligible_backbone: int
    required: int  # rotation_rate × E, rounded by rotation_rounding
    maximum: int  # ceil(max_rotation_rate × E)
    backbone_required: int  # backbone needed when exactly `required` rotate


def counts_toward_quota(teacher: Teacher, policy: Policy) -> bool:
    return teacher.stage in policy.quota_stages


def quota_unit(teacher: Teacher, policy: Policy) -> str:
    return COUNTY if policy.quota_scope is QuotaScope.COUNTY else teacher.school_id


def backbone_separate(policy: Policy) -> bool:
    """Whether the backbone share is judged over the county while the 10% is per school."""
    return policy.backbone_scope is QuotaScope.COUNTY and policy.quota_scope is QuotaScope.SCHOOL


def backbone_unit(teacher: Teacher, policy: Policy) -> str:
    """The unit whose backbone share a rotated quota-stage teacher counts toward."""
    return COUNTY if backbone_separate(policy) else quota_unit(teacher, policy)


def is_quota_school(school: School, policy: Policy) -> bool:
    """A sending school offering a quota stage: one that has a quota of its own."""
    return school_role(school, policy.urban_areas).sends and any(
        st in policy.quota_stages for st in school.stage.offers
    )


def quota_base_teachers(
    dataset: Dataset, eligibility: Mapping[str, Eligibility], policy: Policy
) -> list[Teacher]:
    """The teachers E counts (before the quota-stage filter).

    The eligible teachers, except in scope ``county`` with base ``all_schools``: then every
    teacher who meets the tenure, retirement, exemption and cooldown conditions, wherever
    they teach (the 2017 evaluation item's 符合交流条件教师总数).
    """
    if policy.quota_scope is QuotaScope.COUNTY and policy.quota_base is QuotaBase.ALL_SCHOOLS:
        return [t for t in dataset.teachers if eligibility[t.teacher_id].meets_conditions]
    return [t for t in dataset.teachers if eligibility[t.teacher_id].eligible]


def _quota(unit: str, e: int, eb: int, policy: Policy) -> Quota:
    req = rounded_share(policy.rotation_rate, e, policy.rotation_rounding)
    return Quota(
        unit=unit,
        eligible=e,
        eligible_backbone=eb,
        required=req,
        maximum=max(req, ceil_share(policy.max_rotation_rate, e)),
        backbone_required=backbone_needed(policy.backbone_share, req, policy.backbone_rounding),
    )


def quotas(dataset: Dataset, eligible: list[Teacher], policy: Policy) -> dict[str, Quota]:
    """The quota of every unit: each sending school with a quota stage, or the county.

    ``eligible`` are the teachers E counts (``quota_base``).
    """
    counts: dict[str, list[int]] = {}
    if policy.quota_scope is QuotaScope.COUNTY:
        counts[COUNTY] = [0, 0]
    else:
        for s in dataset.schools:
            if is_quota_school(s, policy):
                counts[s.school_id] = [0, 0]
    for t in eligible:
        if not counts_toward_quota(t, policy):
            continue
        unit = quota_unit(t, policy)
        if unit not in counts:
            continue
        counts[unit][0] += 1
        counts[unit][1] += policy.is_backbone(t.backbone)
    return {unit: _quota(unit, e, eb, policy) for unit, (e, eb) in counts.items()}


def backbone_quotas(units: Mapping[str, Quota], policy: Policy) -> dict[str, Quota]:
    """The units of the backbone share: the rotation units, or the county as a whole."""
    if not backbone_separate(policy):
        return dict(units)
    required = sum(q.required for q in units.values())
    total = Quota(
        unit=COUNTY,
        eligible=sum(q.eligible for q in units.values()),
        eligible_backbone=sum(q.eligible_backbone for q in units.values()),
        required=required,
        maximum=sum(q.maximum for q in units.values()),
        backbone_required=backbone_needed(
            policy.backbone_share, required, policy.backbone_rounding
        ),
    )
    return {COUNTY: total}


def quota_reading(policy: Policy) -> str:
    """The reading of the 10% / 20% a report states, in Chinese then English."""
    scope = "按派出学校" if policy.quota_scope is QuotaScope.SCHOOL else "按全县"
    if policy.quota_scope is QuotaScope.COUNTY:
        base = (
            "全县义务教育学校符合交流条件教师总数"
            if policy.quota_base is QuotaBase.ALL_SCHOOLS
            else "派出学校符合交流条件教师总数"
        )
    else:
        base = "本校符合交流条件教师数"
    county_bb = backbone_separate(policy) or policy.quota_scope is QuotaScope.COUNTY
    bb = "全县交流教师总数" if county_bb else "本校交流人数"
    stages = "、".join(st.label_zh for st in policy.quota_stages)
    return (
        f"交流比例{scope}考核：不低于{base}的{policy.rotation_rate:.0%}"
        f"（{policy.rotation_rounding.label_zh}）；骨干教师不低于{bb}的"
        f"{policy.backbone_share:.0%}（{policy.backbone_rounding.label_zh}）；计入学段：{stages}"
        f" / quota scope {policy.quota_scope.value}"
        + (f", base {policy.quota_base.value}" if policy.quota_scope is QuotaScope.COUNTY else "")
        + f", backbone scope {policy.backbone_scope.value}, rounding "
        f"{policy.rotation_rounding.value}/{policy.backbone_rounding.value}"
    )


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
    """The senior-title share (per mille) that the teachers sent into 农村 schools must reach:
    the officer's target (``senior_share_target``) when set, else the county's share ×
    ``title_tilt`` (default 1.0: at least the county's share, so what 农村 schools receive
    raises their senior share wherever it is below the county's)."""
    if policy.senior_share_target is not None:
        return min(PER_MILLE, ceil_share(policy.senior_share_target, PER_MILLE))
    return min(PER_MILLE, ceil_share(county_senior_share(dataset) * policy.title_tilt, PER_MILLE))


class SentTeacher(Protocol):
    """A move as the tilt reads it: the teacher's title and where they go."""

    @property
    def title(self) -> Title: ...

    @property
    def to_school_id(self) -> str: ...


@dataclass(frozen=True)
class SeniorTilt:
    """The senior-title tilt as what it achieves: senior-titled teachers (高级, 正高级)
    sent into 农村 schools (``rotation.areas.is_rural``) as a share of all sent there,
    against the target (``senior_target_per_mille``)."""

    into_rural: int
    senior_into_rural: int
    county_share: float
    target_per_mille: int

    @property
    def met(self) -> bool:
        return PER_MILLE * self.senior_into_rural >= self.target_per_mille * self.into_rural

    @property
    def share(self) -> float:
        return self.senior_into_rural / self.into_rural if self.into_rural else 0.0

    @property
    def target(self) -> float:
        return self.target_per_mille / PER_MILLE

    def words(self, *, zh: bool = True) -> str:
        """The one sentence the summary, the workbook and the CLI print."""
        if zh:
            return (
                f"派往农村学校的高级职称教师 {self.senior_into_rural} 人，占派往农村人数 "
                f"{self.share:.1%}（全县高级职称教师占比 {self.county_share:.1%}，目标 ≥ {self.target:.1%}）"
            )
        return (
            f"senior-titled teachers sent into rural schools: {self.senior_into_rural}, "
            f"{self.share:.1%} of the {self.into_rural} sent there (county senior share "
            f"{self.county_share:.1%}, target ≥ {self.target:.1%})"
        )


def senior_tilt(dataset: Dataset, sent: Iterable[SentTeacher], policy: Policy) -> SeniorTilt:
    """What the plan's moves achieve for the senior-title tilt (solver-free)."""
    into_rural = [
        m
        for m in sent
        if (s := dataset.school.get(m.to_school_id)) is not None and is_rural(s, policy.rural_areas)
    ]
    return SeniorTilt(
        into_rural=len(into_rural),
        senior_into_rural=sum(1 for m in into_rural if m.title.is_senior),
        county_share=county_senior_share(dataset),
        target_per_mille=senior_target_per_mille(dataset, policy),
    )


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


def locked_per_unit(dataset: Dataset, assigned: Iterable[str], policy: Policy) -> Counter[str]:
    """Quota unit → teachers the officer locked into a move. A lock is the officer's
    decision: it raises the unit's maximum as far as it needs (never its minimum)."""
    out: Counter[str] = Counter()
    for tid in assigned:
        t = dataset.teacher.get(tid)
        if t is not None and counts_toward_quota(t, policy):
            out[quota_unit(t, policy)] += 1
    return out


def allowed_maximum(quota: Quota, locked: int) -> int:
    """The most a unit may rotate: its maximum, raised to the locked moves it must carry."""
    return max(quota.maximum, locked)
