"""Tiny hand-made counties for rule tests: every field defaults to an eligible,
unremarkable teacher in plan year 2026, so a test states only what matters to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from rotation.enums import Area, Gender, SchoolStage, Stage, Subject
from rotation.models import Dataset, Need, School, Teacher

YEAR = 2026


def school(school_id: str, area: Area = Area.URBAN, **kw: Any) -> School:
    base: dict[str, Any] = {
        "name": f"学校{school_id}",
        "town": "城关镇" if area is not Area.RURAL else "乡镇",
        "area": area,
        "stage": SchoolStage.PRIMARY,
        "students": 1000,
        "classes": 20,
        "lat": 24.0,
        "lon": 115.0,
    }
    base.update(kw)
    return School(school_id=school_id, **base)


def rural(school_id: str, **kw: Any) -> School:
    kw.setdefault("lat", 24.05)
    return school(school_id, Area.RURAL, **kw)


def teacher(teacher_id: str, school_id: str = "U1", **kw: Any) -> Teacher:
    base: dict[str, Any] = {
        "name": f"教师{teacher_id}",
        "gender": Gender.MALE,
        "birth_date": date(1980, 5, 1),
        "stage": Stage.PRIMARY,
        "subject": Subject.MATH,
        "school_start_year": 2010,
    }
    base.update(kw)
    return Teacher(teacher_id=teacher_id, school_id=school_id, **base)


def need(school_id: str, count: int = 1, subject: Subject = Subject.MATH, stage: Stage = Stage.PRIMARY) -> Need:
    return Need(school_id=school_id, stage=stage, subject=subject, count=count)


def county(schools: list[School], teachers: list[Teacher], needs: list[Need]) -> Dataset:
    return Dataset.build(schools, teachers, needs)


def math_teachers(n: int, school_id: str = "U1", prefix: str = "T", start: int = 0, **kw: Any) -> list[Teacher]:
    return [teacher(f"{prefix}{start + k:03d}", school_id, **kw) for k in range(n)]
