"""The leadership of each synthetic school: 校长, 副校长 and 中层 (issue 18).

Drawn after everything else from their own ``random.Random(seed)`` stream, so adding them
changes no other column of the roster. All the numbers:

- one principal (校长) per school, except a 教学点 (run by its central school);
- vice-principals (副校长): 0-1 at schools of fewer than 20 teachers, 1-2 from 20, 2 from
  60; 中层 (主任): 1 per 12 teachers, at most 6;
- leaders are teachers aged 35 to 5 years short of 60 (men) or 55 (women), titled 一级 or
  above where the school has such teachers;
- the post began 1-14 years before the plan year (uniform), never before the teacher came
  to the school; so with 3-year terms about 55 % of leaders have served two full terms.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from rotation.enums import Position, Title
from rotation.models import School, Teacher

POST_YEARS = (1, 14)
LEADER_AGE = (35, 5)  # youngest; years short of 60 (men) / 55 (women)
_TITLED = (Title.FIRST, Title.SENIOR, Title.SENIOR_PLUS)


def with_leaders(
    schools: Sequence[School], teachers: Sequence[Teacher], *, year: int, seed: int
) -> list[Teacher]:
    """The teachers with ``position`` and ``post_start_year`` set for each school's leaders."""
    rng = random.Random(f"leaders-{seed}")
    by_school: dict[str, list[Teacher]] = {}
    for t in teachers:
        by_school.setdefault(t.school_id, []).append(t)
    chosen: dict[str, tuple[Position, int]] = {}
    for s in schools:
        staff = by_school.get(s.school_id, [])
        if s.name.endswith("教学点") or not staff:
            continue
        pool = [t for t in staff if _leader_age(t, year)]
        titled = [t for t in pool if t.title in _TITLED] or pool
        rng.shuffle(titled)
        n = len(staff)
        vices = rng.randint(0, 1) if n < 20 else (2 if n >= 60 else rng.randint(1, 2))
        middle = min(6, n // 12)
        picks = titled[: 1 + vices] + [t for t in pool if t not in titled[: 1 + vices]][:middle]
        for k, t in enumerate(picks):
            position = (
                Position.PRINCIPAL
                if k == 0
                else Position.VICE_PRINCIPAL
                if k <= vices
                else Position.MIDDLE
            )
            began = max(t.school_start_year, year - rng.randint(*POST_YEARS))
            chosen[t.teacher_id] = (position, min(began, year))
    return [
        t.model_copy(
            update={
                "position": chosen[t.teacher_id][0],
                "post_start_year": chosen[t.teacher_id][1],
                # a principal or vice-principal is not in the teachers' pool, asks for no post
                "preferences": () if chosen[t.teacher_id][0].leads else t.preferences,
            }
        )
        if t.teacher_id in chosen
        else t
        for t in teachers
    ]


def _leader_age(t: Teacher, year: int) -> bool:
    age = year - t.birth_year
    top = (60 if t.gender.value == "M" else 55) - LEADER_AGE[1]
    return LEADER_AGE[0] <= age <= top
