"""The county's teachers against its posts (结构性超编).

Where the county as a whole has more teachers of a section (or subject) than posts, no
allocation can place them all; the 待岗培训 reason says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from rotation.enums import Stage, Subject
from rotation.hiring.posts import post_label
from rotation.models import Teacher
from rotation.staffing import SchoolStaffing


@dataclass(frozen=True)
class CountyBalance:
    """The county's teachers and posts per section and per (section, subject): where the
    county as a whole is over its posts (结构性超编), no allocation can place everyone."""

    stage_teachers: Mapping[Stage, int]
    stage_posts: Mapping[Stage, int]
    subject_teachers: Mapping[tuple[Stage, Subject], int]
    subject_posts: Mapping[tuple[Stage, Subject], int]

    @classmethod
    def of(cls, staffing: Mapping[str, SchoolStaffing]) -> CountyBalance:
        st_t: Counter[Stage] = Counter()
        st_p: Counter[Stage] = Counter()
        su_t: Counter[tuple[Stage, Subject]] = Counter()
        su_p: Counter[tuple[Stage, Subject]] = Counter()
        for row in staffing.values():
            for s in row.subjects:
                st_t[s.stage] += s.holders
                st_p[s.stage] += s.posts
                su_t[(s.stage, s.subject)] += s.holders
                su_p[(s.stage, s.subject)] += s.posts
        return cls(st_t, st_p, su_t, su_p)

    def stage_surplus(self, stage: Stage) -> int:
        return max(self.stage_teachers.get(stage, 0) - self.stage_posts.get(stage, 0), 0)

    def subject_surplus(self, stage: Stage, subject: Subject) -> int:
        key = (stage, subject)
        return max(self.subject_teachers.get(key, 0) - self.subject_posts.get(key, 0), 0)


def _structural_note(t: Teacher, balance: CountyBalance) -> str:
    stage, label = t.stage.label_zh, post_label(t.stage, t.subject)
    notes = []
    if balance.stage_surplus(t.stage):
        notes.append(
            f"全县{stage}教师{balance.stage_teachers[t.stage]}人、编制岗位"
            f"{balance.stage_posts[t.stage]}个，超编{balance.stage_surplus(t.stage)}人 / the "
            f"county has {balance.stage_surplus(t.stage)} more {t.stage.value} teachers than posts"
        )
    if balance.subject_surplus(t.stage, t.subject):
        key = (t.stage, t.subject)
        notes.append(
            f"全县{label}教师{balance.subject_teachers[key]}人、岗位{balance.subject_posts.get(key, 0)}"
            f"个，超编{balance.subject_surplus(*key)}人 / {balance.subject_surplus(*key)} more "
            f"{t.stage.value} {t.subject.value} teachers than posts"
        )
    return "；".join(notes)
