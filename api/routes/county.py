"""The county page's reads: schools with quotas and indicators, teachers with eligibility and
the reasons why not, filtered by town, stage, subject and role."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import Session

from api.auth import Caller, CallerDep
from api.dataset_store import load_dataset
from api.deps import SessionDep
from api.personal import reasons_for
from api.queries import dataset_or_404, dataset_year_or_404
from api.roster_pages import school_page, teacher_page
from api.schemas import MAX_OFFSET, Page, YearQuery
from api.views.county import (
    CountyView,
    FilterOptions,
    SchoolRow,
    TeacherRow,
    county_view,
    filter_options,
    school_row,
    teacher_row,
)
from api.views.result_cache import cached

router = APIRouter(prefix="/datasets/{dataset_id}/county", tags=["county"])


class CountyOverview(BaseModel):
    dataset_id: int
    year: int
    filters: FilterOptions
    summary: dict[str, Any]


def _view(session: Session, dataset_id: int, year: int | None) -> tuple[int, CountyView]:
    """The snapshot's own year (its summary's) and its cached view for ``year``."""
    own_year = dataset_year_or_404(session, dataset_id)
    dataset = load_dataset(session, dataset_id)
    key = f"{session.get_bind().engine.url}#{dataset_id}"
    return own_year, county_view(key, dataset, year or own_year)


@router.get(
    "",
    response_model=CountyOverview,
    summary="全县概况与可选筛选项 / the county's summary and filter choices",
)
def county_overview(
    dataset_id: int, _caller: CallerDep, session: SessionDep, year: YearQuery = None
) -> CountyOverview:
    from api.routes.datasets import summarize

    own_year, view = _view(session, dataset_id, year)

    def stored() -> dict[str, Any]:
        return dataset_or_404(session, dataset_id).summary

    # a snapshot's summary never changes: read (or computed for another year) once
    summary = cached(
        (str(session.get_bind().engine.url), "county-summary", dataset_id, view.year),
        stored if view.year == own_year else lambda: summarize(view.dataset, view.year),
    )
    return CountyOverview(
        dataset_id=dataset_id, year=view.year, filters=filter_options(view), summary=summary
    )


@router.get(
    "/schools",
    response_model=Page[SchoolRow],
    summary="学校：角色、资格人数、应交流名额、2017 指标 / schools with quotas and indicators",
)
def county_schools(
    dataset_id: int,
    _caller: CallerDep,
    session: SessionDep,
    year: YearQuery = None,
    town: str | None = None,
    stage: str | None = None,
    role: str | None = None,
    q: Annotated[str | None, Query(description="学校名称或编号 / name or id")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Page[SchoolRow]:
    _, view = _view(session, dataset_id, year)
    total, ids = school_page(
        session, dataset_id, view, school_id=None, stage=None, area=None, role=role,
        offset=offset, limit=limit, town=town, offers=stage, q=q,
    )  # fmt: skip
    return Page[SchoolRow](
        total=total,
        offset=offset,
        limit=limit,
        items=[school_row(view, view.dataset.school[i]) for i in ids],
    )


@router.get(
    "/teachers",
    response_model=Page[TeacherRow],
    summary="教师：是否符合交流条件及原因（分页、筛选）/ teachers with eligibility and reasons",
    description="出生日期与退休年月仅对经办人（officer）可见 / birth dates and retirement months "
    "are shown to officers only.",
)
def county_teachers(
    dataset_id: int,
    caller: CallerDep,
    session: SessionDep,
    year: YearQuery = None,
    town: str | None = None,
    stage: str | None = None,
    subject: str | None = None,
    role: Annotated[str | None, Query(description="学校角色 sender/receiver/both/none")] = None,
    school_id: str | None = None,
    eligible: bool | None = None,
    q: Annotated[str | None, Query(description="姓名或教师编号 / name or id")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Page[TeacherRow]:
    _, view = _view(session, dataset_id, year)
    total, rows = teacher_page(
        session, dataset_id, view, school_id=school_id, subject=subject, stage=stage,
        eligible=eligible, offset=offset, limit=limit, town=town, role=role, q=q,
    )  # fmt: skip
    return Page[TeacherRow](
        total=total,
        offset=offset,
        limit=limit,
        items=[
            row_for(caller, teacher_row(view, t, with_birth_date=caller.is_officer))
            for t in rows
        ],
    )


def row_for(caller: Caller, row: TeacherRow) -> TeacherRow:
    """A viewer sees the reasons without the retirement month or age (api/personal.py)."""
    if caller.is_officer:
        return row
    return row.model_copy(
        update={"ineligible_reasons": reasons_for(caller, row.ineligible_reasons)}
    )
