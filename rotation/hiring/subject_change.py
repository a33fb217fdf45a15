"""The 转岗 rule: which other subject of the same section a teacher may take in round 3.

A change is ``"related"`` (a 相近学科 pair, ``HiringPolicy.subject_change_related``) or
``"open"`` (a post any teacher of the section may take, ``HiringPolicy.subject_change_open``,
e.g. 小学体育/音乐/美术/科学/道德与法治). Which subjects count as compatible is the county's
choice, so the tables are policy parameters; each kind has its cost in round 3.
"""

from __future__ import annotations

from rotation.enums import Stage, Subject
from rotation.hiring.policy import HiringPolicy

RELATED_CHANGE = "related"
OPEN_CHANGE = "open"
CHANGE_ZH = {RELATED_CHANGE: "相近学科", OPEN_CHANGE: "本学段通用转岗"}


def subject_change_kind(
    stage: Stage, from_subject: Subject, to_subject: Subject, policy: HiringPolicy
) -> str | None:
    """The 转岗 rule: ``"related"`` (a 相近学科 pair), ``"open"`` (a post any teacher of the
    section may take), or None when the change is not allowed (or the subject is the same)."""
    if not policy.allow_subject_change or from_subject is to_subject:
        return None
    pair = {from_subject, to_subject}
    if any(pair == {a, b} for a, b in policy.subject_change_related):
        return RELATED_CHANGE
    if to_subject in policy.subject_change_open.get(stage, ()):
        return OPEN_CHANGE
    return None


def subject_change_cost(kind: str, policy: HiringPolicy) -> int:
    return policy.related_change_cost if kind == RELATED_CHANGE else policy.open_change_cost
