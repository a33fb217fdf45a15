"""Datasets in the database: store an import as a snapshot, load it back as a Dataset."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session, col, select

from api.tables import DatasetRecord, NeedRecord, SchoolRecord, TeacherRecord
from rotation.models import Dataset, HourNeed, Need, School, Teacher

_CACHE_SIZE = 4
_cache: OrderedDict[tuple[str, int], Dataset] = OrderedDict()
_cache_lock = threading.Lock()


def _code(value: Any) -> Any:
    """An enum's code (its value), anything else unchanged."""
    return getattr(value, "value", value)


def school_row(dataset_id: int, s: School) -> dict[str, Any]:
    return {
        "dataset_id": dataset_id,
        "school_id": s.school_id,
        "name": s.name,
        "town": s.town,
        "area": _code(s.area),
        "stage": _code(s.stage),
        "quality": s.quality,
        "weak": s.weak,
        "priority": _code(s.priority),
        "community": s.community,
        "students": s.students,
        "classes": s.classes,
        "lat": s.lat,
        "lon": s.lon,
        "role": _code(s.role),
    }


def teacher_row(dataset_id: int, t: Teacher) -> dict[str, Any]:
    return {
        "dataset_id": dataset_id,
        "teacher_id": t.teacher_id,
        "name": t.name,
        "gender": _code(t.gender),
        "birth_date": t.birth_date,
        "school_id": t.school_id,
        "stage": _code(t.stage),
        "subject": _code(t.subject),
        "title": _code(t.title),
        "backbone": _code(t.backbone),
        "school_start_year": t.school_start_year,
        "last_exchange_year": t.last_exchange_year,
        "exempt": t.exempt,
        "seeks_promotion": t.seeks_promotion,
        "preferences": ";".join(t.preferences),
        "degree": _code(t.degree),
        "post_type": _code(t.post_type),
        "protected": t.protected,
        "exchange_school_id": t.exchange_school_id,
        "exchange_end_year": t.exchange_end_year,
        "position": _code(t.position),
        "post_start_year": t.post_start_year,
    }


def store_dataset(
    session: Session,
    dataset: Dataset,
    *,
    file_name: str,
    checksum: str,
    year: int,
    summary: dict[str, Any],
    county: str = "",
) -> DatasetRecord:
    """Write one import as a new snapshot (the caller commits, or rolls back on failure)."""
    record = DatasetRecord(
        file_name=file_name,
        county=county,
        checksum=checksum,
        year=year,
        schools=len(dataset.schools),
        teachers=len(dataset.teachers),
        needs=len(dataset.needs),
        needs_declared=dataset.needs_declared,
        summary=summary,
    )
    session.add(record)
    session.flush()
    assert record.id is not None
    store_rows(session, record.id, dataset)
    return record


def store_rows(session: Session, did: int, dataset: Dataset) -> None:
    """Write the schools, teachers and needs of snapshot ``did``."""
    if dataset.schools:
        session.execute(insert(SchoolRecord), [school_row(did, s) for s in dataset.schools])
    if dataset.teachers:
        session.execute(insert(TeacherRecord), [teacher_row(did, t) for t in dataset.teachers])
    if dataset.needs:
        session.execute(
            insert(NeedRecord),
            [
                {
                    "dataset_id": did,
                    "school_id": n.school_id,
                    "stage": _code(n.stage),
                    "subject": _code(n.subject),
                    "count": n.count,
                }
                for n in dataset.needs
            ],
        )


def school_from_record(r: SchoolRecord) -> School:
    return School.model_validate(
        r.model_dump(exclude={"id", "dataset_id"}),
    )


def teacher_from_record(r: TeacherRecord) -> Teacher:
    data = r.model_dump(exclude={"id", "dataset_id"})
    data["preferences"] = tuple(p for p in r.preferences.split(";") if p)
    return Teacher.model_validate(data)


def itinerant_snapshot(dataset: Dataset) -> dict[str, Any]:
    """The roster's 走教 input (hours_needs.csv and the teachers' itinerant_hours), kept in
    the snapshot's summary: {} for a roster without it, so old snapshots read as before."""
    spare = {
        t.teacher_id: t.itinerant_hours for t in dataset.teachers if t.itinerant_hours is not None
    }
    if not dataset.hour_needs and not spare:
        return {}
    return {
        "itinerant_input": {
            "hour_needs": [h.model_dump(mode="json") for h in dataset.hour_needs],
            "itinerant_hours": spare,
        }
    }


def _with_itinerant_input(dataset: Dataset, summary: dict[str, Any]) -> Dataset:
    kept = summary.get("itinerant_input")
    if not isinstance(kept, dict):
        return dataset
    spare: dict[str, int] = kept.get("itinerant_hours") or {}
    teachers = [
        t.model_copy(update={"itinerant_hours": spare[t.teacher_id]})
        if t.teacher_id in spare
        else t
        for t in dataset.teachers
    ]
    return Dataset.build(
        dataset.schools,
        teachers,
        dataset.needs,
        needs_declared=dataset.needs_declared,
        absent_columns=dataset.absent_columns,
        hour_needs=[HourNeed.model_validate(h) for h in kept.get("hour_needs") or ()],
    )


def load_dataset(session: Session, dataset_id: int) -> Dataset:
    """The snapshot as a Dataset. Snapshots never change, so recent ones are cached."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    key = (str(engine.url), dataset_id)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    record = session.get(DatasetRecord, dataset_id)
    if record is None:
        raise LookupError(dataset_id)
    schools = session.exec(select(SchoolRecord).where(SchoolRecord.dataset_id == dataset_id)).all()
    teachers = session.exec(
        select(TeacherRecord).where(TeacherRecord.dataset_id == dataset_id)
    ).all()
    needs = session.exec(
        select(NeedRecord).where(NeedRecord.dataset_id == dataset_id).order_by(col(NeedRecord.id))
    ).all()
    dataset = Dataset.build(
        [school_from_record(s) for s in schools],
        [teacher_from_record(t) for t in teachers],
        [
            Need(school_id=n.school_id, stage=n.stage, subject=n.subject, count=n.count)  # type: ignore[arg-type]
            for n in needs
        ],
        needs_declared=record.needs_declared,
        absent_columns=tuple((record.summary or {}).get("absent_columns", ())),
    )
    dataset = _with_itinerant_input(dataset, record.summary or {})
    with _cache_lock:
        _cache[key] = dataset
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return dataset
