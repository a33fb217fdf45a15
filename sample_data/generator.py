"""Synthetic counties for tests, demos and benchmarks, fully determined by a seed.

``generate("longchuan", seed=1, year=2026)`` returns a ``rotation.models.Dataset``
shaped like 龙川县: the urban and quality schools in the county seat 老隆镇, each of
the 24 towns with its 三所学校, 镇区 schools in the larger towns, village schools and
教学点, and six 城乡教育共同体. Names come from Faker's ``zh_CN`` locale seeded with
``seed``; every other draw comes from one ``random.Random(seed)``, in a fixed order
(schools, then teachers school by school, then needs, then preferences; the leadership
posts come last from their own stream, ``sample_data.leaders``), so the same
seed and preset always give an equal dataset and byte-identical files.

What the result looks like (the tests check these ranges):

- about a third of urban (sender) teachers are eligible under the default policy in
  the plan year: between 25 % and 45 %;
- rural schools have relatively fewer teachers of the shortage subjects (英语 音乐
  体育 美术 信息技术 科学) than urban ones: their weight is 0.4 of the urban one;
- county-level-or-higher backbone teachers: about 23 % of urban teachers from age 28,
  about 6 % of rural ones; so most senders with E ≥ 10 eligible teachers have at
  least one eligible county+ backbone teacher and the 20 % backbone share is
  attainable;
- declared needs total about 1.75 × the teachers a 10 % rotation would move (1.5-2×);
- about 20 % of eligible teachers name 1-3 preferred receiving schools;
- about 8 % of teachers titled 一级 seek promotion, about 2 % are exempt, some came
  back from an exchange recently (and are in their cooldown);
- students per teacher: primary 16-19 (village schools 13-17), junior 12-14, senior
  12-13.5, kindergarten 9-14, special 3-4;
- 走教 (``sample_data.itinerant``, with the optional columns): 乡村 primary schools and
  教学点 state weekly hours of music, art, PE, English and IT (hours_needs.csv), town and
  central primary teachers of those subjects the hours they can spare.

The school layout and enrolments are in ``sample_data.schools``, the teacher
distributions in ``sample_data.staff``, needs and preferences in
``sample_data.needs``, and the county shapes in ``sample_data.presets``.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from faker import Faker

from rotation.eligibility import eligible_teachers
from rotation.enums import BackboneLevel, Position
from rotation.models import Dataset, School, Teacher
from rotation.policy import Policy
from rotation.roles import school_role
from sample_data.itinerant import with_itinerant
from sample_data.leaders import with_leaders
from sample_data.needs import declared_needs, preferences
from sample_data.presets import Preset, preset_named
from sample_data.schools import county_schools
from sample_data.staff import school_teachers

DEFAULT_YEAR = 2026


def generate(preset: str | Preset, seed: int = 1, year: int = DEFAULT_YEAR) -> Dataset:
    """A synthetic county (or city) roster with declared needs, determined by ``seed``."""
    shape = preset_named(preset) if isinstance(preset, str) else preset
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)

    schools: list[School] = []
    teachers: list[Teacher] = []
    taken_places: set[str] = set()
    for county in shape.counties:
        prefix = f"{county.code}-" if shape.prefix_ids else ""
        county_list = county_schools(county, rng, id_prefix=prefix, taken_places=taken_places)
        next_id = _counter(f"{prefix}T", width=6)
        for school in county_list:
            teachers.extend(school_teachers(school, year=year, rng=rng, fake=fake, next_id=next_id))
        schools.extend(county_list)

    if shape.backbone_free_senders:
        teachers = without_backbone(schools, teachers, shape.backbone_free_senders, year)
    policy = Policy()
    roster = Dataset.build(schools, teachers)
    eligible = eligible_teachers(roster, year, policy)
    needs = declared_needs(
        roster, eligible, ratio=shape.need_ratio, policy=policy, rng=rng, stages=shape.need_stages
    )
    if not shape.optional_columns:
        return without_optional_columns(Dataset.build(schools, teachers, needs))
    with_needs = Dataset.build(schools, teachers, needs)
    chosen = preferences(with_needs, eligible, share=shape.preference_share, rng=rng)
    teachers = [
        t.model_copy(update={"preferences": chosen[t.teacher_id]}) if t.teacher_id in chosen else t
        for t in teachers
    ]
    teachers = with_leaders(schools, teachers, year=year, seed=seed)  # own stream: nothing else moves
    return with_itinerant(Dataset.build(schools, teachers, needs), seed)


def without_backbone(
    schools: list[School], teachers: list[Teacher], count: int, year: int
) -> list[Teacher]:
    """The first ``count`` sending schools with eligible teachers lose their county-level
    and higher backbone teachers (recorded as 校级 instead): their 20 % backbone share
    cannot be met, for a reason the plan must name."""
    policy = Policy()
    roster = Dataset.build(schools, teachers)
    with_eligible = {t.school_id for t in eligible_teachers(roster, year, policy)}
    chosen = [s.school_id for s in schools if school_role(s).sends and s.school_id in with_eligible]
    stripped = set(chosen[:count])
    return [
        t.model_copy(update={"backbone": BackboneLevel.SCHOOL})
        if t.school_id in stripped and policy.is_backbone(t.backbone)
        else t
        for t in teachers
    ]


def without_optional_columns(dataset: Dataset) -> Dataset:
    """The roster as an office that keeps only the required columns sends it: no
    coordinates (so no distances), no communities, no preferences, no degrees."""
    schools = [
        s.model_copy(update={"lat": None, "lon": None, "community": ""}) for s in dataset.schools
    ]
    teachers = [
        t.model_copy(update={"preferences": (), "degree": None, "position": Position.TEACHER, "post_start_year": None})
        for t in dataset.teachers
    ]
    return Dataset.build(schools, teachers, list(dataset.needs))


def _counter(prefix: str, *, width: int) -> Callable[[], str]:
    count = 0

    def next_id() -> str:
        nonlocal count
        count += 1
        return f"{prefix}{count:0{width}d}"

    return next_id
