"""The three teacher indicators of the 2017 balanced-development evaluation.

《县域义务教育优质均衡发展督导评估办法》(2017) measures, for every primary and
junior school, per 100 students:

- ``degree``:   teachers above the required degree (primary: above 中专, target 4.2;
  junior: above 专科, target 5.3);
- ``backbone``: county-level-or-higher backbone teachers (target 1.0);
- ``arts_pe``:  PE, music and art teachers (target 0.9);

and, across the county's schools of each stage, the coefficient of variation of each
(limits 0.50 primary, 0.45 junior). The evaluation weighs the CV by enrolment:
mean = Σ Pᵢ·Xᵢ / Σ Pᵢ and σ = √(Σ Pᵢ·(Xᵢ − mean)² / Σ Pᵢ), Pᵢ a school's students.

A 九年一贯制 or 十二年一贯制 school is evaluated as its primary and its junior part;
its students are split between the parts in proportion to the teachers each part has
(the roster carries one enrolment per school). Every threshold is a policy parameter.

An indicator whose data the roster lacks (no ``degree`` column, or no enrolment) is
listed in ``CountyIndicators.no_data``: it is never reported as met, and reports
print 无数据 / no data for it instead of figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rotation.enums import Stage, Subject
from rotation.models import Dataset, School, Teacher
from rotation.policy import Policy

INDICATORS: tuple[str, ...] = ("degree", "backbone", "arts_pe")
INDICATOR_LABELS_ZH: dict[str, str] = {
    "degree": "高于规定学历教师数",
    "backbone": "县级及以上骨干教师数",
    "arts_pe": "体育、艺术专任教师数",
}
EVALUATED_STAGES: tuple[Stage, ...] = (Stage.PRIMARY, Stage.JUNIOR)
ARTS_PE_SUBJECTS = frozenset({Subject.PE, Subject.MUSIC, Subject.ART})


@dataclass(frozen=True, slots=True)
class SchoolIndicators:
    school_id: str
    stage: Stage
    students: float
    teachers: int
    values: dict[str, float]  # per 100 students
    met: dict[str, bool]


@dataclass(frozen=True, slots=True)
class CountyIndicators:
    schools: tuple[SchoolIndicators, ...]
    cv: dict[tuple[Stage, str], float]  # (stage, indicator) -> weighted CV
    cv_met: dict[tuple[Stage, str], bool]
    mean: dict[tuple[Stage, str], float]
    no_data: frozenset[str] = frozenset()  # indicators the roster holds no data for

    def for_school(self, school_id: str) -> list[SchoolIndicators]:
        return [s for s in self.schools if s.school_id == school_id]


def target(policy: Policy, stage: Stage, indicator: str) -> float:
    if indicator == "degree":
        return (
            policy.degree_target_primary if stage is Stage.PRIMARY else policy.degree_target_junior
        )
    if indicator == "backbone":
        return policy.backbone_target
    return policy.arts_pe_target


def cv_limit(policy: Policy, stage: Stage) -> float:
    return policy.cv_limit_primary if stage is Stage.PRIMARY else policy.cv_limit_junior


def counts_for(teacher: Teacher, stage: Stage, policy: Policy) -> dict[str, int]:
    """What one teacher adds to each indicator's numerator of a stage part."""
    required = (
        policy.degree_required_primary if stage is Stage.PRIMARY else policy.degree_required_junior
    )
    return {
        "degree": int(teacher.degree is not None and teacher.degree.rank > required.rank),
        "backbone": int(policy.is_backbone(teacher.backbone)),
        "arts_pe": int(teacher.subject in ARTS_PE_SUBJECTS),
    }


def staff_by_school(
    dataset: Dataset, moves: Mapping[str, str] | None = None
) -> dict[str, list[Teacher]]:
    """Teachers at each school, after applying ``moves`` (teacher_id → destination)."""
    moves = moves or {}
    out: dict[str, list[Teacher]] = {s.school_id: [] for s in dataset.schools}
    for t in dataset.teachers:
        out[moves.get(t.teacher_id, t.teaching_school_id)].append(t)
    return out


def school_parts(
    school: School, staff: Iterable[Teacher]
) -> list[tuple[Stage, float, list[Teacher]]]:
    """(stage, students, teachers) for each evaluated part of a school."""
    stages = [st for st in EVALUATED_STAGES if school.offers(st)]
    if not stages:
        return []
    by_stage = {st: [t for t in staff if t.stage is st] for st in stages}
    total = sum(len(v) for v in by_stage.values())
    parts = []
    for st in stages:
        share = (len(by_stage[st]) / total) if total else 1 / len(stages)
        parts.append((st, school.students * share, by_stage[st]))
    return parts


def indicators_without_data(dataset: Dataset) -> frozenset[str]:
    """The indicators whose input columns were missing or blank in the roster."""
    if not dataset.has_data("schools.students"):
        return frozenset(INDICATORS)
    return frozenset({"degree"}) if not dataset.has_data("teachers.degree") else frozenset()


def county_indicators(
    dataset: Dataset, policy: Policy, moves: Mapping[str, str] | None = None
) -> CountyIndicators:
    no_data = indicators_without_data(dataset)
    staff = staff_by_school(dataset, moves)
    rows: list[SchoolIndicators] = []
    for school in dataset.schools:
        for stage, students, teachers in school_parts(school, staff[school.school_id]):
            if students <= 0:
                continue
            sums = dict.fromkeys(INDICATORS, 0)
            for t in teachers:
                for k, v in counts_for(t, stage, policy).items():
                    sums[k] += v
            values = {k: 100.0 * sums[k] / students for k in INDICATORS}
            rows.append(
                SchoolIndicators(
                    school_id=school.school_id,
                    stage=stage,
                    students=students,
                    teachers=len(teachers),
                    values=values,
                    met={
                        k: k not in no_data and values[k] >= target(policy, stage, k) - 1e-9
                        for k in INDICATORS
                    },
                )
            )
    cv: dict[tuple[Stage, str], float] = {}
    mean: dict[tuple[Stage, str], float] = {}
    for stage in EVALUATED_STAGES:
        part = [r for r in rows if r.stage is stage]
        for k in INDICATORS:
            m, c = weighted_cv([r.values[k] for r in part], [r.students for r in part])
            cv[(stage, k)], mean[(stage, k)] = c, m
    return CountyIndicators(
        schools=tuple(rows),
        cv=cv,
        cv_met={
            key: key[1] not in no_data and val <= cv_limit(policy, key[0]) + 1e-12
            for key, val in cv.items()
        },
        mean=mean,
        no_data=no_data,
    )


def weighted_cv(values: list[float], weights: list[float]) -> tuple[float, float]:
    """(weighted mean, weighted coefficient of variation); CV 0 when the mean is 0."""
    total = sum(weights)
    if total <= 0 or not values:
        return 0.0, 0.0
    mean = sum(w * x for w, x in zip(weights, values, strict=True)) / total
    if mean <= 0:
        return mean, 0.0
    var = sum(w * (x - mean) ** 2 for w, x in zip(weights, values, strict=True)) / total
    return mean, math.sqrt(var) / mean
