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

from api.dataset_store import load_dataset
from api.tables import SchoolRecord, TeacherRecord
from api.views.county import CountyView, county_view
from rotation.enums import Area, LabelledEnum, SchoolStage, Stage, Subject
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
    town: str | None = None,
    role: str | None = None,
    q: str | None = None,
) -> tuple[int, list[Teacher]]:
    """The total of matching teachers and one page of them (the snapshot's own records,
    cached), by teacher id. ``q`` is a
    teacher's id or part of a name; ``town`` and ``role`` are those of the school."""
    in_town = (
        select(SchoolRecord.school_id).where(
            SchoolRecord.dataset_id == dataset_id, SchoolRecord.town == town
        )
        if town
        else None
    )
    conditions = [
        c
        for c in (
            TeacherRecord.dataset_id == dataset_id,
            TeacherRecord.school_id == school_id if school_id else None,
            _spelled(TeacherRecord.subject, Subject, subject),
            _spelled(TeacherRecord.stage, Stage, stage),
            col(TeacherRecord.school_id).in_(in_town) if in_town is not None else None,
            sa.or_(
                col(TeacherRecord.teacher_id) == q,
                col(TeacherRecord.name).contains(q, autoescape=True),
            )
            if q
            else None,
        )
        if c is not None
    ]
    ids = select(TeacherRecord.teacher_id).where(*conditions)
    if role:  # the school's role in force: a few hundred schools, from the cached view
        roles = [sid for sid, r in view.roles.items() if r.value == role]
        ids = ids.where(col(TeacherRecord.school_id).in_(roles))
    table = view.eligibility
    keep = None if eligible is None else (lambda t: table[t].eligible == eligible)
    total, page = _page_ids(session, col(TeacherRecord.teacher_id), ids, keep, offset, limit)
    return total, [view.dataset.teacher[t] for t in page]


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
    town: str | None = None,
    offers: str | None = None,
    q: str | None = None,
) -> tuple[int, list[str]]:
    """The total of matching schools and one page of their ids, by school id. ``stage`` is
    the school's own stage, ``offers`` a section it teaches (a 九年一贯制 school offers
    primary and junior), ``q`` its id or part of its name."""
    teaching = (
        [st.value for st in SchoolStage if any(o.value == offers for o in st.offers)]
        if offers
        else None
    )
    conditions = [
        c
        for c in (
            SchoolRecord.dataset_id == dataset_id,
            SchoolRecord.school_id == school_id if school_id is not None else None,
            _spelled(SchoolRecord.stage, SchoolStage, stage),
            _spelled(SchoolRecord.area, Area, area),
            SchoolRecord.town == town if town else None,
            col(SchoolRecord.stage).in_(teaching) if teaching is not None else None,
            sa.or_(
                col(SchoolRecord.school_id) == q,
                col(SchoolRecord.name).contains(q, autoescape=True),
            )
            if q
            else None,
        )
        if c is not None
    ]
    ids = select(SchoolRecord.school_id).where(*conditions)
    if role:  # the role in force, from the cached view
        ids = ids.where(
            col(SchoolRecord.school_id).in_(
                [sid for sid, r in view.roles.items() if r.value == role]
            )
        )
    return _page_ids(session, col(SchoolRecord.school_id), ids, None, offset, limit)
