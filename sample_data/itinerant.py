"""走教 in a synthetic county: village schools' hour needs and teachers' spare hours.

Every 乡村 primary school (village schools and 教学点, not the 三所学校) states, for each of
music, art, PE, English and IT, the weekly hours its classes need beyond what its own
teachers of that subject give (a full load each): classes × the lessons a class has a week
(音乐 2, 美术 2, 体育 3, 英语 2, 信息技术 1). About a third of them open only two or three
named days to visits. Teachers of those subjects at town and central primary schools state
the weekly hours they can spare (可走教课时): 0 (a fifth of them), 4, 6 or 8.

The draws come from their own ``random.Random``, seeded from the county's seed, so the
rest of the roster (and so the transfer plan) is the same with or without them.
"""

from __future__ import annotations

import random

from rotation.enums import Area, Stage, Subject, Weekday
from rotation.itinerant import is_home_school
from rotation.models import Dataset, HourNeed, Teacher
from rotation.policy import Policy

LESSONS_PER_CLASS: dict[Subject, int] = {
    Subject.MUSIC: 2,
    Subject.ART: 2,
    Subject.PE: 3,
    Subject.ENGLISH: 2,
    Subject.IT: 1,
}
FULL_LOAD = 16
SPARE_HOURS: tuple[tuple[int, float], ...] = ((0, 0.2), (4, 0.3), (6, 0.3), (8, 0.2))


def itinerant_rng(seed: int) -> random.Random:
    return random.Random(f"itinerant-{seed}")


def village_hour_needs(dataset: Dataset, rng: random.Random) -> list[HourNeed]:
    """The hour needs of the county's 乡村 primary schools (not the 三所学校)."""
    out: list[HourNeed] = []
    for school in dataset.schools:
        if school.area is not Area.RURAL or school.priority is not None:
            continue
        if not school.offers(Stage.PRIMARY) or school.classes <= 0:
            continue
        staff = dataset.teachers_by_school[school.school_id]
        days: tuple[Weekday, ...] = ()
        if rng.random() < 0.35:
            days = tuple(
                sorted(rng.sample(list(Weekday), rng.choice((2, 3))), key=list(Weekday).index)
            )
        for subject, lessons in LESSONS_PER_CLASS.items():
            own = sum(1 for t in staff if t.subject is subject and t.stage is Stage.PRIMARY)
            hours = school.classes * lessons - own * FULL_LOAD
            if hours > 0:
                out.append(
                    HourNeed(
                        school_id=school.school_id,
                        stage=Stage.PRIMARY,
                        subject=subject,
                        hours=min(hours, 60),
                        days=days,
                    )
                )
    return out


def with_spare_hours(dataset: Dataset, rng: random.Random) -> list[Teacher]:
    """The roster's teachers, those who may 走教 with the weekly hours they can spare."""
    policy = Policy()
    values = [h for h, _ in SPARE_HOURS]
    weights = [w for _, w in SPARE_HOURS]
    out: list[Teacher] = []
    for t in dataset.teachers:
        if (
            t.subject in LESSONS_PER_CLASS
            and t.stage is Stage.PRIMARY
            and is_home_school(dataset.school[t.school_id], policy)
        ):
            t = t.model_copy(update={"itinerant_hours": rng.choices(values, weights)[0]})
        out.append(t)
    return out


def with_itinerant(dataset: Dataset, seed: int) -> Dataset:
    """``dataset`` with village hour needs and the teachers' spare hours."""
    rng = itinerant_rng(seed)
    needs = village_hour_needs(dataset, rng)
    teachers = with_spare_hours(dataset, rng)
    return Dataset.build(
        dataset.schools,
        teachers,
        dataset.needs,
        needs_declared=dataset.needs_declared,
        absent_columns=dataset.absent_columns,
        hour_needs=needs,
    )
