"""Publishing: the plan a county adopts for a school year (状态 已发布).

One plan per county and year is published at a time; publishing another supersedes it and
both stay, with the supersession recorded on the older one and in the audit log. A
published plan is immutable: it cannot be stopped or deleted, and its exports carry the
official stamp (正式方案, when and by whom).
"""

from __future__ import annotations

from pathlib import PurePath

from fastapi import HTTPException, status
from sqlmodel import Session, col, select

from api.audit import Action, actor_of, record
from api.auth import Caller
from api.tables import DatasetRecord, PlanRun, PublicationRecord, utcnow

PUBLISHED_ZH = "已发布"


def county_from_file_name(file_name: str) -> str:
    """The county a roster belongs to when the upload names none: its file's stem
    (``longchuan.xlsx`` → ``longchuan``; the first of several CSV files)."""
    first = file_name.split(",")[0].strip()
    stem = PurePath(first).stem
    if stem in ("schools", "teachers", "needs", ""):
        return ""
    return stem


def publication_of(session: Session, plan_id: int) -> PublicationRecord | None:
    """The plan's publication (current or superseded), if it was ever published."""
    return session.exec(
        select(PublicationRecord)
        .where(PublicationRecord.plan_id == plan_id)
        .order_by(col(PublicationRecord.id).desc())
    ).first()


def current_publication(session: Session, county: str, year: int) -> PublicationRecord | None:
    return session.exec(
        select(PublicationRecord).where(
            PublicationRecord.county == county,
            PublicationRecord.year == year,
            col(PublicationRecord.superseded_at).is_(None),
        )
    ).first()


def refuse_if_published(session: Session, plan_id: int) -> None:
    """409 for any change to a plan that has been published."""
    if publication_of(session, plan_id) is not None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="方案已发布，不能停止、删除或修改 / the plan is published and cannot be changed",
        )


def publish(session: Session, caller: Caller, run: PlanRun) -> PublicationRecord:
    """Publish ``run`` for its dataset's county and its year, superseding the one before
    (both kept); the audit entries join the same transaction."""
    assert run.id is not None
    if publication_of(session, run.id) is not None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="方案已经发布过 / the plan has already been published",
        )
    dataset = session.get(DatasetRecord, run.dataset_id)
    county = dataset.county if dataset is not None else ""
    now = utcnow()
    previous = current_publication(session, county, run.year)
    if previous is not None:
        previous.superseded_at = now
        previous.superseded_by_plan_id = run.id
        session.add(previous)
        session.flush()
        record(
            session,
            caller,
            Action.SUPERSEDED,
            "plan",
            previous.plan_id,
            county=county,
            year=run.year,
            by_plan_id=run.id,
        )
    publication = PublicationRecord(
        plan_id=run.id,
        county=county,
        year=run.year,
        published_at=now,
        published_by=actor_of(caller),
        supersedes_plan_id=previous.plan_id if previous is not None else None,
    )
    session.add(publication)
    record(
        session,
        caller,
        Action.PUBLISHED,
        "plan",
        run.id,
        county=county,
        year=run.year,
        supersedes_plan_id=publication.supersedes_plan_id,
    )
    return publication


def official_stamp(publication: PublicationRecord) -> str:
    """The line an export of a published plan carries."""
    when = publication.published_at.strftime("%Y-%m-%d %H:%M UTC")
    county = publication.county or "（未注明县区）"
    text = f"正式方案：{county} {publication.year} 学年，{when} 由 {publication.published_by} 发布"
    if publication.superseded_at is not None:
        text += f"（已于 {publication.superseded_at:%Y-%m-%d %H:%M} UTC 被方案 "
        text += f"{publication.superseded_by_plan_id} 替代）"
    return text + " / official plan"
