"""The teachers of one synthetic school, drawn from documented distributions.

A school draws its teachers from the *urban* profile when it is a sender (城区/镇区
or quality, neither weak nor one of the 三所学校) and from the *rural* profile when
it receives. All the numbers:

Staffing (students per teacher, by teaching stage):
  kindergarten 9-11 urban / 11-14 rural (at least 4); primary 16-19 (village
  schools 13-17, at least 4; a 教学点 has 1-3); junior 12-14; senior 12-13.5;
  special 3-4 (at least 8). A 九年一贯制 school is 2/3 primary and 1/3 junior.

Subjects (weights): primary 语文30 数学24 英语9 科学6 音乐6 体育8 美术6 信息技术3
  道德与法治5 心理健康2; junior 语文15 数学15 英语14 物理7 化学5 生物5 政治7 历史6
  地理5 音乐3 体育7 美术3 信息技术3 心理健康2; senior 语文14 数学14 英语14 物理9
  化学8 生物8 政治7 历史7 地理7 音乐2 体育6 美术2 信息技术2; kindergarten 学前教育;
  special 特殊教育. Rural schools weigh the shortage subjects (英语 音乐 体育 美术
  信息技术 科学) at 0.4 of that, so they lack them. Counts are allotted by largest
  remainder, so a 教学点 gets 语文 and 数学 first.

Gender (share female): kindergarten 97%, primary 72%, junior 55%, senior 50%,
  special 75%.

Age: 22 up to retirement - 1 (60 M / 55 F), Beta(1.8, 1.6) urban and Beta(1.3, 1.6)
  rural over that range (rural staff are younger).

Tenure at the school: exponential, mean 7.5 years urban and 5 rural, never starting
  before age 21 nor more than 35 years back. Together with age, exemptions and
  cooldowns this makes about a third of urban teachers eligible (25-45 %).

Last exchange: 10 % of urban and 4 % of rural teachers came back from one, ended
  1-12 years before the plan year (those within the 6-year cooldown are not eligible);
  their tenure then starts at least 3 years before the exchange ended.

Titles by age (urban; rural in brackets):
  < 25: 未定级 50, 三级 30, 二级 20;
  25-29: 三级 15, 二级 70, 一级 15;
  30-39: 二级 35 (50), 一级 55 (45), 高级 10 (5);
  40-49: 二级 15 (25), 一级 55 (60), 高级 30 (15);
  50+: 二级 10 (20), 一级 50 (60), 高级 38 (20), 正高级 2 (0).

Backbone, from age 28 (urban; rural): 校级 15 % (10 %), 县级 15 % (5 %), 市级 6 % (1 %),
  省级 2 % (0 %); so about 23 % of urban teachers from 28 are county-level or above.

Degree by age (urban; rural):
  < 35: 本科 82 (60), 硕士 10 (2), 专科 8 (38);
  35-49: 本科 70 (45), 硕士 5 (0), 专科 25 (50), 中专 0 (5);
  50+: 本科 50 (25), 专科 40 (50), 中专 10 (25).

Exemptions: 2 % (孕期哺乳期 only for women under 40; 重病, 军属, 身体残疾,
  赡养重病父母). Promotion seekers: 8 % of the teachers titled 一级.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from faker import Faker

from rotation.enums import BackboneLevel, Degree, Gender, SchoolStage, Stage, Subject, Title
from rotation.models import School, Teacher
from rotation.policy import DEFAULT_SHORTAGE_SUBJECTS
from rotation.roles import school_role

T = TypeVar("T")

RURAL_SHORTAGE_FACTOR = 0.4

SUBJECT_WEIGHTS: dict[Stage, dict[Subject, float]] = {
    Stage.PRIMARY: {
        Subject.CHINESE: 30,
        Subject.MATH: 24,
        Subject.ENGLISH: 9,
        Subject.SCIENCE: 6,
        Subject.MUSIC: 6,
        Subject.PE: 8,
        Subject.ART: 6,
        Subject.IT: 3,
        Subject.POLITICS: 5,
        Subject.MENTAL_HEALTH: 2,
    },
    Stage.JUNIOR: {
        Subject.CHINESE: 15,
        Subject.MATH: 15,
        Subject.ENGLISH: 14,
        Subject.PHYSICS: 7,
        Subject.CHEMISTRY: 5,
        Subject.BIOLOGY: 5,
        Subject.POLITICS: 7,
        Subject.HISTORY: 6,
        Subject.GEOGRAPHY: 5,
        Subject.MUSIC: 3,
        Subject.PE: 7,
        Subject.ART: 3,
        Subject.IT: 3,
        Subject.MENTAL_HEALTH: 2,
    },
    Stage.SENIOR: {
        Subject.CHINESE: 14,
        Subject.MATH: 14,
        Subject.ENGLISH: 14,
        Subject.PHYSICS: 9,
        Subject.CHEMISTRY: 8,
        Subject.BIOLOGY: 8,
        Subject.POLITICS: 7,
        Subject.HISTORY: 7,
        Subject.GEOGRAPHY: 7,
        Subject.MUSIC: 2,
        Subject.PE: 6,
        Subject.ART: 2,
        Subject.IT: 2,
    },
    Stage.KINDERGARTEN: {Subject.PRESCHOOL: 1},
    Stage.SPECIAL: {Subject.SPECIAL_ED: 1},
}

FEMALE_SHARE: dict[Stage, float] = {
    Stage.KINDERGARTEN: 0.97,
    Stage.PRIMARY: 0.72,
    Stage.JUNIOR: 0.55,
    Stage.SENIOR: 0.50,
    Stage.SPECIAL: 0.75,
}

# (lowest age of the band, {title: weight}) for the urban and the rural profile
_TITLES: dict[bool, tuple[tuple[int, dict[Title, float]], ...]] = {
    True: (
        (50, {Title.SECOND: 10, Title.FIRST: 50, Title.SENIOR: 38, Title.SENIOR_PLUS: 2}),
        (40, {Title.SECOND: 15, Title.FIRST: 55, Title.SENIOR: 30}),
        (30, {Title.SECOND: 35, Title.FIRST: 55, Title.SENIOR: 10}),
        (25, {Title.THIRD: 15, Title.SECOND: 70, Title.FIRST: 15}),
        (0, {Title.NONE: 50, Title.THIRD: 30, Title.SECOND: 20}),
    ),
    False: (
        (50, {Title.SECOND: 20, Title.FIRST: 60, Title.SENIOR: 20}),
        (40, {Title.SECOND: 25, Title.FIRST: 60, Title.SENIOR: 15}),
        (30, {Title.SECOND: 50, Title.FIRST: 45, Title.SENIOR: 5}),
        (25, {Title.THIRD: 15, Title.SECOND: 70, Title.FIRST: 15}),
        (0, {Title.NONE: 50, Title.THIRD: 30, Title.SECOND: 20}),
    ),
}

BACKBONE_FROM_AGE = 28
_BACKBONE: dict[bool, dict[BackboneLevel, float]] = {
    True: {
        BackboneLevel.NONE: 62,
        BackboneLevel.SCHOOL: 15,
        BackboneLevel.COUNTY: 15,
        BackboneLevel.CITY: 6,
        BackboneLevel.PROVINCE: 2,
    },
    False: {
        BackboneLevel.NONE: 84,
        BackboneLevel.SCHOOL: 10,
        BackboneLevel.COUNTY: 5,
        BackboneLevel.CITY: 1,
    },
}

_DEGREES: dict[bool, tuple[tuple[int, dict[Degree, float]], ...]] = {
    True: (
        (50, {Degree.BACHELOR: 50, Degree.ASSOCIATE: 40, Degree.SECONDARY: 10}),
        (35, {Degree.BACHELOR: 70, Degree.MASTER: 5, Degree.ASSOCIATE: 25}),
        (0, {Degree.BACHELOR: 82, Degree.MASTER: 10, Degree.ASSOCIATE: 8}),
    ),
    False: (
        (50, {Degree.BACHELOR: 25, Degree.ASSOCIATE: 50, Degree.SECONDARY: 25}),
        (35, {Degree.BACHELOR: 45, Degree.ASSOCIATE: 50, Degree.SECONDARY: 5}),
        (0, {Degree.BACHELOR: 60, Degree.MASTER: 2, Degree.ASSOCIATE: 38}),
    ),
}

EXEMPT_SHARE = 0.02
EXEMPT_REASONS: tuple[str, ...] = ("孕期哺乳期", "重病", "军属", "身体残疾", "赡养重病父母")
PROMOTION_SEEKER_SHARE = 0.08  # of the teachers titled 一级
LAST_EXCHANGE_SHARE = {True: 0.10, False: 0.04}
MEAN_TENURE = {True: 7.5, False: 5.0}
AGE_BETA = {True: (1.8, 1.6), False: (1.3, 1.6)}
_RETIREMENT = {Gender.MALE: 60, Gender.FEMALE: 55}


# ------------------------------------------------------------------ staffing
def staffing(school: School, rng: random.Random) -> list[tuple[Stage, int]]:
    """How many teachers each teaching stage of ``school`` has, from its enrolment."""
    rural = not school_role(school).sends
    n = school.students
    if school.stage is SchoolStage.KINDERGARTEN:
        ratio = rng.uniform(11, 14) if rural else rng.uniform(9, 11)
        return [(Stage.KINDERGARTEN, max(4, round(n / ratio)))]
    if school.stage is SchoolStage.SPECIAL:
        return [(Stage.SPECIAL, max(8, round(n / rng.uniform(3, 4))))]
    if school.stage is SchoolStage.SENIOR:
        return [(Stage.SENIOR, max(6, round(n / rng.uniform(12, 13.5))))]
    if school.stage is SchoolStage.JUNIOR:
        return [(Stage.JUNIOR, max(6, round(n / rng.uniform(12, 14))))]
    if school.stage is SchoolStage.PRIMARY:
        if n < 40:  # 教学点
            return [(Stage.PRIMARY, max(1, min(3, math.ceil(n / 12))))]
        if n < 300:
            return [(Stage.PRIMARY, max(4, round(n / rng.uniform(13, 17))))]
        return [(Stage.PRIMARY, max(4, round(n / rng.uniform(16, 19))))]
    # 九年一贯制 / 十二年一贯制: 2/3 primary, 1/3 junior (and senior, if any, like junior)
    parts = [(Stage.PRIMARY, 2 / 3 * n / rng.uniform(16, 19))]
    later = [s for s in (Stage.JUNIOR, Stage.SENIOR) if school.offers(s)]
    parts += [(s, n / 3 / len(later) / rng.uniform(12, 14)) for s in later]
    return [(s, max(4, round(x))) for s, x in parts]


def allot_subjects(stage: Stage, count: int, *, rural: bool, rng: random.Random) -> list[Subject]:
    """``count`` subjects by largest remainder of the stage's weights (ties at random)."""
    weights = dict(SUBJECT_WEIGHTS[stage])
    if rural:
        for subject in DEFAULT_SHORTAGE_SUBJECTS:
            if subject in weights:
                weights[subject] *= RURAL_SHORTAGE_FACTOR
    return largest_remainder(weights, count, rng)


def largest_remainder(weights: dict[T, float], count: int, rng: random.Random) -> list[T]:
    """``count`` items shared out in proportion to ``weights`` (insertion order kept)."""
    total = sum(weights.values())
    quotas = {k: count * w / total for k, w in weights.items()}
    out = {k: int(q) for k, q in quotas.items()}
    left = count - sum(out.values())
    ranked = sorted(weights, key=lambda k: (quotas[k] - out[k], rng.random()), reverse=True)
    for k in ranked[:left]:
        out[k] += 1
    return [k for k in weights for _ in range(out[k])]


# ------------------------------------------------------------------ one teacher
def school_teachers(
    school: School,
    *,
    year: int,
    rng: random.Random,
    fake: Faker,
    next_id: Callable[[], str],
) -> list[Teacher]:
    """The staff of ``school`` in plan year ``year`` (no preferences yet)."""
    urban = school_role(school).sends
    teachers: list[Teacher] = []
    for stage, count in staffing(school, rng):
        for subject in allot_subjects(stage, count, rural=not urban, rng=rng):
            teachers.append(
                _teacher(
                    next_id(), school, stage, subject, urban=urban, year=year, rng=rng, fake=fake
                )
            )
    return teachers


def _teacher(
    teacher_id: str,
    school: School,
    stage: Stage,
    subject: Subject,
    *,
    urban: bool,
    year: int,
    rng: random.Random,
    fake: Faker,
) -> Teacher:
    gender = Gender.FEMALE if rng.random() < FEMALE_SHARE[stage] else Gender.MALE
    name = fake.name_female() if gender is Gender.FEMALE else fake.name_male()
    retire = _RETIREMENT[gender]
    a, b = AGE_BETA[urban]
    age = 22 + min(retire - 23, int(rng.betavariate(a, b) * (retire - 22)))
    birth_year = year - age
    tenure = min(int(rng.expovariate(1 / MEAN_TENURE[urban])), age - 21, 35)
    start = year - tenure
    last_exchange: int | None = None
    if rng.random() < LAST_EXCHANGE_SHARE[urban]:
        ended = year - rng.randint(1, 12)
        if ended - 3 >= birth_year + 21:
            last_exchange = ended
            start = min(start, ended - 3)
    title = _pick(_banded(_TITLES[urban], age), rng)
    backbone = _pick(_BACKBONE[urban], rng) if age >= BACKBONE_FROM_AGE else BackboneLevel.NONE
    degree = _pick(_banded(_DEGREES[urban], age), rng)
    exempt = ""
    if rng.random() < EXEMPT_SHARE:
        reasons = EXEMPT_REASONS if gender is Gender.FEMALE and age < 40 else EXEMPT_REASONS[1:]
        exempt = rng.choice(reasons)
    seeks = title is Title.FIRST and rng.random() < PROMOTION_SEEKER_SHARE
    return Teacher(
        teacher_id=teacher_id,
        name=name,
        gender=gender,
        birth_date=date(birth_year, rng.randint(1, 12), rng.randint(1, 28)),
        school_id=school.school_id,
        stage=stage,
        subject=subject,
        title=title,
        backbone=backbone,
        school_start_year=start,
        last_exchange_year=last_exchange,
        exempt=exempt,
        seeks_promotion=seeks,
        degree=degree,
    )


def _banded(bands: Sequence[tuple[int, dict[T, float]]], age: int) -> dict[T, float]:
    return next(table for lowest, table in bands if age >= lowest)


def _pick(weights: dict[T, float], rng: random.Random) -> T:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]
