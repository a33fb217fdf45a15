"""Validated records of the roster (schools, teachers, needs) and the Dataset holding them."""

from __future__ import annotations

import math
from datetime import date
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, model_validator

from rotation.enums import (
    Area,
    BackboneLevel,
    Degree,
    Gender,
    Position,
    PostType,
    Priority,
    Role,
    SchoolStage,
    Stage,
    Subject,
    Title,
    Weekday,
)


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class School(_Record):
    school_id: str = Field(min_length=1, description="the bureau's school code")
    name: str = Field(min_length=1, description="学校名称")
    town: str = Field(default="", description="乡镇")
    area: Area
    stage: SchoolStage
    quality: bool = Field(default=False, description="优质学校")
    weak: bool = Field(default=False, description="薄弱学校")
    priority: Priority | None = Field(default=None, description="三所学校 kind, if any")
    community: str = Field(default="", description="城乡教育共同体 / 教育集团")
    students: int = Field(default=0, ge=0)
    classes: int = Field(default=0, ge=0)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    role: Role | None = Field(default=None, description="explicit override of the derived role")

    def offers(self, stage: Stage) -> bool:
        return stage in self.stage.offers


class Teacher(_Record):
    teacher_id: str = Field(min_length=1)
    name: str = Field(min_length=1, description="姓名 (personal data)")
    gender: Gender
    birth_date: date = Field(description="personal data")
    school_id: str = Field(min_length=1)
    stage: Stage
    subject: Subject
    title: Title = Title.NONE
    backbone: BackboneLevel = BackboneLevel.NONE
    school_start_year: int = Field(ge=1950, le=2100)
    last_exchange_year: int | None = Field(default=None, ge=1950, le=2100)
    exempt: str = Field(default="", description="approved exemption reason; blank if none")
    seeks_promotion: bool = False
    preferences: tuple[str, ...] = Field(default=(), description="school_ids, best first")
    degree: Degree | None = None
    post_type: PostType = Field(
        default=PostType.PROFESSIONAL, description="岗位类别; sets women's retirement age"
    )
    protected: str = Field(
        default="",
        description="县定保护类别（孕期、哺乳期、重病、援派…）: never sent to 待岗; blank if none",
    )
    exchange_school_id: str | None = Field(
        default=None, description="正在交流的学校: where the teacher serves on exchange now"
    )
    exchange_end_year: int | None = Field(
        default=None, ge=1950, le=2100, description="本次交流期满学年: the term's last school year"
    )
    position: Position = Field(
        default=Position.TEACHER, description="职务: 校长、副校长、中层 or 教师"
    )
    post_start_year: int | None = Field(
        default=None, ge=1950, le=2100, description="任现职年份: first school year in the post"
    )
    itinerant_hours: int | None = Field(
        default=None,
        ge=0,
        le=40,
        description="可走教课时/周: weekly hours the teacher can spare for 走教; blank = not stated",
    )

    @property
    def teaching_school_id(self) -> str:
        """The school where the teacher teaches now: the exchange school during a term."""
        return self.exchange_school_id or self.school_id

    def on_exchange_in(self, year: int) -> bool:
        """Whether the teacher is away on an exchange term during school year ``year``."""
        return self.exchange_school_id is not None and (
            self.exchange_end_year is None or year <= self.exchange_end_year
        )

    @property
    def last_exchange_end(self) -> int | None:
        """The latest exchange end year the roster knows (last one, or the current term's)."""
        ends = [y for y in (self.last_exchange_year, self.exchange_end_year) if y is not None]
        return max(ends) if ends else None

    @property
    def birth_year(self) -> int:
        return self.birth_date.year


class ApprovedPost(_Record):
    """核定岗位: the posts the bureau approved for one school's section and subject."""

    school_id: str = Field(min_length=1)
    stage: Stage
    subject: Subject
    posts: int = Field(ge=0)


class Need(_Record):
    school_id: str = Field(min_length=1)
    stage: Stage
    subject: Subject
    count: int = Field(ge=1)

    @property
    def key(self) -> tuple[str, Stage, Subject]:
        return (self.school_id, self.stage, self.subject)


class HourNeed(_Record):
    """课时需求: weekly hours of a subject a (village) school needs taught by 走教."""

    school_id: str = Field(min_length=1)
    stage: Stage
    subject: Subject
    hours: int = Field(ge=1, le=60, description="每周课时 / weekly hours")
    days: tuple[Weekday, ...] = Field(
        default=(), description="可安排走教的日子；空为周一至周五 / days open to visits; blank = any"
    )

    @property
    def key(self) -> tuple[str, Stage, Subject]:
        return (self.school_id, self.stage, self.subject)


class Dataset(BaseModel):
    """A county's roster: schools, teachers and declared needs, with lookups.

    Records are kept in canonical order (by id) so that everything computed from a
    dataset is deterministic, whatever order the files listed them in.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schools: tuple[School, ...]
    teachers: tuple[Teacher, ...]
    needs: tuple[Need, ...] = ()
    needs_declared: bool = Field(
        default=True, description="False when needs.csv was absent and needs must be derived"
    )
    hour_needs: tuple[HourNeed, ...] = Field(
        default=(), description="hours_needs.csv (课时需求, optional): weekly hours for 走教"
    )
    absent_columns: tuple[str, ...] = Field(
        default=(),
        description="optional columns missing or blank in the input, as table.column "
        "(e.g. teachers.degree): what is computed from them has no data",
    )

    @model_validator(mode="after")
    def _check_references(self) -> Dataset:
        problems: list[str] = []
        ids = [s.school_id for s in self.schools]
        if len(set(ids)) != len(ids):
            problems.append("duplicate school_id")
        tids = [t.teacher_id for t in self.teachers]
        if len(set(tids)) != len(tids):
            problems.append("duplicate teacher_id")
        known = set(ids)
        for t in self.teachers:
            if t.school_id not in known:
                problems.append(f"teacher {t.teacher_id}: unknown school {t.school_id}")
            problems.extend(
                f"teacher {t.teacher_id}: unknown preferred school {p}"
                for p in t.preferences
                if p not in known
            )
            if t.exchange_school_id is not None and t.exchange_school_id not in known:
                problems.append(
                    f"teacher {t.teacher_id}: unknown exchange school {t.exchange_school_id}"
                )
        for n in self.needs:
            if n.school_id not in known:
                problems.append(f"need at unknown school {n.school_id}")
        problems.extend(
            f"hour need at unknown school {h.school_id}"
            for h in self.hour_needs
            if h.school_id not in known
        )
        if problems:
            raise ValueError("; ".join(problems[:20]))
        return self

    @classmethod
    def build(
        cls,
        schools: list[School] | tuple[School, ...],
        teachers: list[Teacher] | tuple[Teacher, ...],
        needs: list[Need] | tuple[Need, ...] = (),
        *,
        needs_declared: bool = True,
        absent_columns: tuple[str, ...] = (),
        hour_needs: list[HourNeed] | tuple[HourNeed, ...] = (),
    ) -> Dataset:
        """A dataset with its records sorted canonically and equal needs merged."""
        merged: dict[tuple[str, Stage, Subject], int] = {}
        for n in needs:
            merged[n.key] = merged.get(n.key, 0) + n.count
        return cls(
            schools=tuple(sorted(schools, key=lambda s: s.school_id)),
            teachers=tuple(sorted(teachers, key=lambda t: t.teacher_id)),
            needs=tuple(
                Need(school_id=k[0], stage=k[1], subject=k[2], count=c)
                for k, c in sorted(merged.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
            ),
            needs_declared=needs_declared,
            absent_columns=tuple(sorted(set(absent_columns))),
            hour_needs=tuple(sorted(hour_needs, key=lambda h: (h.school_id, h.stage, h.subject))),
        )

    def has_data(self, column: str) -> bool:
        """False when the optional ``table.column`` was missing or blank in the input."""
        return column not in self.absent_columns

    @cached_property
    def school(self) -> dict[str, School]:
        return {s.school_id: s for s in self.schools}

    @cached_property
    def teacher(self) -> dict[str, Teacher]:
        return {t.teacher_id: t for t in self.teachers}

    @cached_property
    def teachers_by_school(self) -> dict[str, tuple[Teacher, ...]]:
        out: dict[str, list[Teacher]] = {s.school_id: [] for s in self.schools}
        for t in self.teachers:
            out[t.school_id].append(t)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def needs_by_school(self) -> dict[str, tuple[Need, ...]]:
        out: dict[str, list[Need]] = {s.school_id: [] for s in self.schools}
        for n in self.needs:
            out[n.school_id].append(n)
        return {k: tuple(v) for k, v in out.items()}

    def with_needs(self, needs: list[Need] | tuple[Need, ...]) -> Dataset:
        """The same roster with other needs (e.g. derived from staffing norms)."""
        return Dataset.build(
            self.schools, self.teachers, needs, needs_declared=False,
            absent_columns=self.absent_columns, hour_needs=self.hour_needs,
        )  # fmt: skip

    def distance_km(self, a: str, b: str) -> float | None:
        """Great-circle distance between two schools, None when either lacks a location."""
        sa, sb = self.school[a], self.school[b]
        if sa.lat is None or sa.lon is None or sb.lat is None or sb.lon is None:
            return None
        return haversine_km(sa.lat, sa.lon, sb.lat, sb.lon)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))
