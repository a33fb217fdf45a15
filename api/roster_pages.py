"""A snapshot's teachers and schools a page at a time, filtered, counted and paged by the
database (issue 15: pages stay quick on a county of 10,000 teachers).

What the rows hold is filtered in SQL (school, stage, subject, area; a code or its Chinese
label). Eligibility and a school's role in force are computed by the domain, not stored:
they come from the snapshot's county view, computed once per snapshot and year and cached
(a snapshot never changes), and only narrow the ids the database selected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from api.dataset_store import load_dataset, teacher_from_record
from api.tables import SchoolRecord, TeacherRecord
from api.views.county import CountyView, county_view
from rotation.enums import Area, LabelledEnum, Stage, Subject
from rotation.models import Teacher


def snapshot_view(session: Session, dataset_id: int, year: int) -> CountyView:
    """The snapshot's eligibility, roles and quotas for ``year`` (cached)."""
    key = f"{session.get_bind().engine.url}#{dataset_id}"
    return county_view(key, load_dataset(session, dataset_id), year)


def _spelled(column: Any, kind: type[LabelledEnum], text: str | None) -> Any:
    """``column`` holds the code that ``text`` spells (the code or its Chinese label)."""
    if text is None:
        return None
    codes = [m.value for m in kind if text in (m.value, m.label_zh)]
    return col(column).in_(codes) if codes else sa.false()


def _page_ids(
    session: Session, id_column: Any, query: Any, keep: Callable[[str], bool] | None,
    offset: int, limit: int,
) -> tuple[int, list[str]]:  # fmt: skip
    """The total and one page of ids of ``query`` (ordered by id), narrowed by ``keep``."""
    if keep is None:
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        ids = session.exec(query.order_by(id_column).offset(offset).limit(limit)).all()
        return int(total), list(ids)
    kept = [i for i in session.exec(query.order_by(id_column)).all() if keep(i)]
    return len(kept), kept[offset : offset + limit]


def teacher_page(
    session: Session,
    dataset_id: int,
    view: CountyView,
    *,
    school_id: str | None,
    subject: str | None,
    stage: str | None,
    eligible: bool | None,
    offset: int,
    limit: int,
) -> tuple[int, list[Teacher]]:
    """The total of matching teachers and one page of them, by teacher id."""
    conditions = [
        c
        for c in (
            TeacherRecord.dataset_id == dataset_id,
            TeacherRecord.school_id == school_id if school_id is not None else None,
            _spelled(TeacherRecord.subject, Subject, subject),
            _spelled(TeacherRecord.stage, Stage, stage),
        )
        if c is not None
    ]
    ids = select(TeacherRecord.teacher_id).where(*conditions)
    table = view.eligibility
    keep = None if eligible is None else (lambda t: table[t].eligible == eligible)
    total, page = _page_ids(session, col(TeacherRecord.teacher_id), ids, keep, offset, limit)
    if not page:
        return total, []
    rows = session.exec(
        select(TeacherRecord)
        .where(TeacherRecord.dataset_id == dataset_id, col(TeacherRecord.teacher_id).in_(page))
        .order_by(col(TeacherRecord.teacher_id))
    ).all()
    return total, [teacher_from_record(r) for r in rows]


def school_page(
    session: Session,
    dataset_id: int,
    view: CountyView,
    *,
    school_id: str | None,
    stage: str | None,
    area: str | None,
    role: str | None,
    offset: int,
    limit: int,
) -> tuple[int, list[str]]:
    """The total of matching schools and one page of their ids, by school id."""
    conditions = [
        c
        for c in (
            SchoolRecord.dataset_id == dataset_id,
            SchoolRecord.school_id == school_id if school_id is not None else None,
            _spelled(SchoolRecord.stage, Stage, stage),
            _spelled(SchoolRecord.area, Area, area),
        )
        if c is not None
    ]
    ids = select(SchoolRecord.school_id).where(*conditions)
    roles = view.roles
    keep = None if role is None else (lambda s: roles[s].value == role)
    return _page_ids(session, col(SchoolRecord.school_id), ids, keep, offset, limit)
