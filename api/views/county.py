"""The county as the console shows it: schools with their quota and indicators, teachers
with their eligibility and why not; computed by the domain, cached per snapshot and year
(a snapshot never changes)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from rotation.eligibility import Eligibility, eligibility_table
from rotation.enums import Role, Stage
from rotation.indicators import (
    INDICATORS,
    CountyIndicators,
    county_indicators,
    target,
)
from rotation.models import Dataset, School, Teacher
from rotation.policy import Policy
from rotation.quotas import COUNTY, Quota, quotas
from rotation.roles import school_role


class IndicatorValue(BaseModel):
    indicator: str
    value: float = Field(description="每百名学生 / per 100 students")
    target: float
    met: bool


class SchoolPart(BaseModel):
    """One evaluated part of a school (a 九年一贯制 school has a primary and a junior part)."""

    stage: str
    students: float
    teachers: int
    values: list[IndicatorValue]


class SchoolRow(BaseModel):
    school_id: str
    name: str
    town: str
    area: str
    stage: str
    role: str
    quality: bool
    weak: bool
    priority: str | None
    students: int
    teachers: int
    eligible: int
    quota_required: int | None = Field(None, description="应交流人数（按校考核时）")
    quota_maximum: int | None = None
    quota_backbone_required: int | None = None
    has_coordinates: bool
    indicators: list[SchoolPart] = Field(default_factory=list)


class TeacherRow(BaseModel):
    teacher_id: str
    name: str
    gender: str
    birth_date: str | None = Field(None, description="仅经办人可见 / officers only")
    school_id: str
    school_name: str
    town: str
    school_role: str
    stage: str
    subject: str
    title: str
    backbone: str
    degree: str | None
    school_start_year: int
    eligible: bool
    ineligible_reasons: list[str]


class FilterOptions(BaseModel):
    towns: list[str]
    stages: list[str]
    subjects: list[str]
    roles: list[str]


@dataclass(frozen=True, slots=True)
class CountyView:
    """Everything the county page reads, for one snapshot, year and policy."""

    dataset: Dataset
    year: int
    roles: dict[str, Role]
    eligibility: dict[str, Eligibility]
    quotas: dict[str, Quota]
    indicators: CountyIndicators
    # each school's row, made the first time a page shows it (the view never changes)
    school_rows: dict[str, SchoolRow] = field(default_factory=dict)
    filters: list[FilterOptions] = field(default_factory=list)


_CACHE_SIZE = 8
_cache: OrderedDict[tuple[str, int, int], CountyView] = OrderedDict()
_lock = threading.Lock()


def county_view(key: str, dataset: Dataset, year: int) -> CountyView:
    """The county's view under the default policy; ``key`` names the snapshot (db + id)."""
    cache_key = (key, id(dataset), year)
    with _lock:
        if cache_key in _cache:
            _cache.move_to_end(cache_key)
            return _cache[cache_key]
    policy = Policy()
    table = eligibility_table(dataset, year, policy)
    eligible = [t for t in dataset.teachers if table[t.teacher_id].eligible]
    view = CountyView(
        dataset=dataset,
        year=year,
        roles={s.school_id: school_role(s) for s in dataset.schools},
        eligibility=table,
        quotas=quotas(dataset, eligible, policy),
        indicators=county_indicators(dataset, policy),
    )
    with _lock:
        _cache[cache_key] = view
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return view


def school_parts(view: CountyView, school_id: str) -> list[SchoolPart]:
    policy = Policy()
    return [
        SchoolPart(
            stage=r.stage.value,
            students=round(r.students, 1),
            teachers=r.teachers,
            values=[
                IndicatorValue(
                    indicator=k,
                    value=round(r.values[k], 3),
                    target=target(policy, r.stage, k),
                    met=r.met[k],
                )
                for k in INDICATORS
            ],
        )
        for r in view.indicators.for_school(school_id)
    ]


def school_row(view: CountyView, s: School) -> SchoolRow:
    """The school's row, computed once per view."""
    row = view.school_rows.get(s.school_id)
    if row is None:
        row = view.school_rows[s.school_id] = _school_row(view, s)
    return row


def _school_row(view: CountyView, s: School) -> SchoolRow:
    staff = view.dataset.teachers_by_school[s.school_id]
    quota = view.quotas.get(s.school_id)
    return SchoolRow(
        school_id=s.school_id,
        name=s.name,
        town=s.town,
        area=s.area.value,
        stage=s.stage.value,
        role=view.roles[s.school_id].value,
        quality=s.quality,
        weak=s.weak,
        priority=s.priority.value if s.priority else None,
        students=s.students,
        teachers=len(staff),
        eligible=sum(view.eligibility[t.teacher_id].eligible for t in staff),
        quota_required=quota.required if quota else None,
        quota_maximum=quota.maximum if quota else None,
        quota_backbone_required=quota.backbone_required if quota else None,
        has_coordinates=s.lat is not None and s.lon is not None,
        indicators=school_parts(view, s.school_id),
    )


def teacher_row(view: CountyView, t: Teacher, *, with_birth_date: bool) -> TeacherRow:
    school = view.dataset.school[t.school_id]
    e = view.eligibility[t.teacher_id]
    return TeacherRow(
        teacher_id=t.teacher_id,
        name=t.name,
        gender=t.gender.value,
        birth_date=t.birth_date.isoformat() if with_birth_date else None,
        school_id=t.school_id,
        school_name=school.name,
        town=school.town,
        school_role=view.roles[t.school_id].value,
        stage=t.stage.value,
        subject=t.subject.value,
        title=t.title.value,
        backbone=t.backbone.value,
        degree=t.degree.value if t.degree else None,
        school_start_year=t.school_start_year,
        eligible=e.eligible,
        ineligible_reasons=list(e.reasons),
    )


def filter_options(view: CountyView) -> FilterOptions:
    """The filter choices of the view, computed once."""
    if not view.filters:
        view.filters.append(_filter_options(view))
    return view.filters[0]


def _filter_options(view: CountyView) -> FilterOptions:
    d = view.dataset
    return FilterOptions(
        towns=sorted({s.town for s in d.schools if s.town}),
        stages=[st.value for st in Stage if any(t.stage is st for t in d.teachers)],
        subjects=sorted({t.subject.value for t in d.teachers}),
        roles=[r.value for r in Role if any(v is r for v in view.roles.values())],
    )


def county_unit(view: CountyView) -> Quota | None:
    return view.quotas.get(COUNTY)
