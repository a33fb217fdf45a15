"""Whom the county's rules protect from 待岗培训, and why.

Sources: county 县管校聘 schemes commonly keep in post, outside the competition, teachers
within a few years of retirement, in pregnancy or nursing (孕期、哺乳期), with a serious
illness, on assignment (援藏援疆、支教、借调) and those with an approved exemption; the
county publishes these lists (``shared/notes/domain-facts.md``, "县管校聘 practice").
Here: the roster's ``exempt`` (``HiringPolicy.protect_exempt``), the statutory retirement
window (``protect_retirement_years``, by the 2025 reform, ``rotation/retirement.py``) and
the optional ``protected`` column (保护类别), which the county fills from its lists.
Protected teachers are kept at their own post in round 1, before the ranking, even beyond
the school's posts, so they are never released and never reach the 待岗 list.
"""

from __future__ import annotations

from rotation.hiring.policy import HiringPolicy
from rotation.models import Dataset, Teacher
from rotation.policy import Policy
from rotation.retirement import teacher_retirement, within_window


def protection_reason(teacher: Teacher, year: int, policy: HiringPolicy) -> str:
    """Why the teacher is protected from 待岗 (Chinese), or "" when not."""
    reasons: list[str] = []
    if teacher.protected.strip():
        reasons.append(f"县定保护：{teacher.protected.strip()}")
    if policy.protect_exempt and teacher.exempt.strip():
        reasons.append(f"已批准免交流：{teacher.exempt.strip()}")
    if policy.protect_retirement_years > 0:
        retires = teacher_retirement(teacher, Policy(retirement_rule=policy.retirement_rule))
        if within_window(retires, year, policy.protect_retirement_years):
            reasons.append(
                f"距法定退休不足{policy.protect_retirement_years}年（{retires.year}年{retires.month}月退休）"
            )
    return "；".join(reasons)


def protected_teachers(dataset: Dataset, year: int, policy: HiringPolicy) -> dict[str, str]:
    """teacher_id → why protected, for every protected teacher of the roster."""
    out: dict[str, str] = {}
    for t in dataset.teachers:
        why = protection_reason(t, year, policy)
        if why:
            out[t.teacher_id] = why
    return out
