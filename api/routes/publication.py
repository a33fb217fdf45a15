"""Publishing a plan (已发布) and reading what each county has published."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from api.auth import CallerDep, OfficerDep
from api.deps import SessionDep
from api.publication import PUBLISHED_ZH, official_stamp, publish
from api.queries import plan_with_result
from api.schemas import Timestamp
from api.tables import PublicationRecord

router = APIRouter(tags=["publication"])


class PublicationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    plan_id: int
    county: str = Field(description="县区 / county")
    year: int = Field(description="学年 / school year")
    status_zh: str = Field(PUBLISHED_ZH, description="已发布 / 已被替代")
    published_at: Timestamp
    published_by: str
    supersedes_plan_id: int | None = None
    superseded_at: Timestamp | None = None
    superseded_by_plan_id: int | None = None
    stamp: str = Field("", description="导出文件上的正式方案标注 / the exports' official stamp")


def _public(row: PublicationRecord) -> PublicationPublic:
    return PublicationPublic.model_validate(row).model_copy(
        update={
            "status_zh": PUBLISHED_ZH if row.superseded_at is None else "已被替代",
            "stamp": official_stamp(row),
        }
    )


@router.post(
    "/plans/{plan_id}/publish",
    response_model=PublicationPublic,
    summary="发布为本县本学年的正式方案 / publish as the county's plan for its year",
    description=(
        "每个县区每个学年只有一个已发布方案；再发布另一个时，前一个被替代（两者都保留并记录）。"
        "已发布的方案不能停止或删除，导出文件标注“正式方案”。"
        " / One published plan per county and year; publishing another supersedes it."
    ),
)
def publish_plan(plan_id: int, caller: OfficerDep, session: SessionDep) -> Any:
    run = plan_with_result(session, plan_id)
    publication = publish(session, caller, run)
    session.commit()
    session.refresh(publication)
    return _public(publication)


@router.get(
    "/published",
    response_model=list[PublicationPublic],
    summary="已发布的方案（含被替代的）/ published plans, superseded ones included",
)
def list_published(
    _caller: CallerDep,
    session: SessionDep,
    county: Annotated[str | None, Query(max_length=100, description="县区 / county")] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="学年 / school year")] = None,
    current: bool = False,
    plan_id: Annotated[int | None, Query(ge=1, description="方案编号 / one plan's record")] = None,
) -> Any:
    query = select(PublicationRecord)
    if plan_id is not None:
        query = query.where(PublicationRecord.plan_id == plan_id)
    if county is not None:
        query = query.where(PublicationRecord.county == county)
    if year is not None:
        query = query.where(PublicationRecord.year == year)
    if current:
        query = query.where(col(PublicationRecord.superseded_at).is_(None))
    rows = session.exec(query.order_by(col(PublicationRecord.id).desc())).all()
    return [_public(row) for row in rows]
