"""Reading a plan in the console: moves with school names (filter, sort, page), indicators per
school before and after, the moves as a picture, the difference between two plans, and the
forms of exchange besides the transfer (校长交流, 走教, 跟岗学习) with school names."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import func, or_
from sqlmodel import col, select

from api.auth import CallerDep
from api.dataset_store import load_dataset
from api.deps import SessionDep
from api.jobs.plan_rows import load_plan, run_policy
from api.queries import plan_with_result
from api.schemas import MAX_OFFSET, Page
from api.tables import AssignmentRecord, PlanRun
from api.views.plan_forms import (
    ItinerantStore,
    PlanItinerant,
    PlanLeaders,
    PlanShadowing,
    itinerant_store,
    plan_itinerant,
    plan_leaders,
    plan_shadowing,
)
from api.views.plan_views import (
    SORTABLE,
    MoveRow,
    PlanIndicators,
    PlanMap,
    plan_indicators,
    plan_map,
)
from api.views.result_cache import cached
from rotation.enums import ExchangeForm
from rotation.indicator_watch import cv_warnings
from rotation.plan import Plan
from rotation.plan_diff import PlanDiff, plan_diff

router = APIRouter(tags=["plans"])

SortKey = Literal[SORTABLE]  # type: ignore[valid-type]


@router.get(
    "/plans/{plan_id}/moves",
    response_model=Page[MoveRow],
    summary="交流名单（含学校名称；筛选、排序、分页）/ moves with school names",
)
def plan_moves(
    plan_id: int,
    _caller: CallerDep,
    session: SessionDep,
    q: Annotated[str | None, Query(description="教师姓名或编号 / teacher name or id")] = None,
    school_id: Annotated[str | None, Query(description="派出或接收学校 / either school")] = None,
    stage: str | None = None,
    subject: str | None = None,
    form: Annotated[
        ExchangeForm | None, Query(description="transfer 交流 · support 支教 / the move's form")
    ] = None,
    sort: SortKey = "teacher_id",  # type: ignore[valid-type]
    descending: bool = False,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Page[MoveRow]:
    run = plan_with_result(session, plan_id)
    dataset = load_dataset(session, run.dataset_id)
    query = select(AssignmentRecord).where(AssignmentRecord.plan_id == plan_id)
    if q:
        query = query.where(
            or_(col(AssignmentRecord.teacher_id) == q, col(AssignmentRecord.name).contains(q))
        )
    if school_id:
        query = query.where(
            or_(
                col(AssignmentRecord.from_school_id) == school_id,
                col(AssignmentRecord.to_school_id) == school_id,
            )
        )
    if stage:
        query = query.where(AssignmentRecord.stage == stage)
    if subject:
        query = query.where(AssignmentRecord.subject == subject)
    if form is not None:
        query = query.where(AssignmentRecord.form == form.value)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    column = col(getattr(AssignmentRecord, sort))
    order = column.desc() if descending else column.asc()
    rows = session.exec(
        query.order_by(order, col(AssignmentRecord.teacher_id)).offset(offset).limit(limit)
    ).all()
    school = dataset.school
    items = [
        MoveRow(
            **r.model_dump(exclude={"id", "plan_id"}),
            from_school=school[r.from_school_id].name if r.from_school_id in school else "",
            to_school=school[r.to_school_id].name if r.to_school_id in school else "",
            to_town=school[r.to_school_id].town if r.to_school_id in school else "",
        )
        for r in rows
    ]
    return Page[MoveRow](total=total, offset=offset, limit=limit, items=items)


def _moves(session: Any, plan_id: int) -> list[tuple[str, str, str]]:
    return [
        (t, f, to)
        for t, f, to in session.exec(
            select(
                AssignmentRecord.teacher_id,
                AssignmentRecord.from_school_id,
                AssignmentRecord.to_school_id,
            ).where(AssignmentRecord.plan_id == plan_id)
        ).all()
    ]


@router.get(
    "/plans/{plan_id}/indicators",
    response_model=PlanIndicators,
    summary="2017 指标：各校与全县差异系数，交流前后 / indicators before and after",
)
def plan_indicators_route(plan_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    run = plan_with_result(session, plan_id)

    def compute() -> PlanIndicators:
        dataset = load_dataset(session, run.dataset_id)
        moves = {t: to for t, _, to in _moves(session, plan_id)}
        county = list((run.metrics or {}).get("indicators") or [])
        # the solver's own sentences, with what its improvement pass did about each rise
        warnings = cv_warnings(run.notes or [])
        return plan_indicators(dataset, run_policy(session, run), moves, county, warnings)

    return cached(_key(session, "indicators", run), compute)


@router.get(
    "/plans/{plan_id}/map",
    response_model=PlanMap,
    summary="交流示意图数据：学校坐标与两校间人数 / schools' coordinates and flows",
)
def plan_map_route(plan_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    run = plan_with_result(session, plan_id)
    dataset = load_dataset(session, run.dataset_id)
    return plan_map(dataset, [(f, to) for _, f, to in _moves(session, plan_id)])


@router.get(
    "/plans/{plan_id}/diff/{other_id}",
    response_model=PlanDiff,
    summary="两个方案的差异：仅一方交流、去向不同、指标对比 / what changed between two plans",
)
def plan_diff_route(plan_id: int, other_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    a = plan_with_result(session, plan_id)
    b = plan_with_result(session, other_id)
    return cached(
        (_key(session, "diff", a), _key(session, "diff", b)),
        lambda: plan_diff(
            load_plan(session, a),
            load_plan(session, b),
            label_a=f"#{plan_id}",
            label_b=f"#{other_id}",
        ),
    )


@router.get(
    "/plans/{plan_id}/itinerant",
    response_model=PlanItinerant | None,
    summary="走教安排：每位教师的每周课表与各校课时需求的落实 / the 走教 schedule",
    description=(
        "每位走教教师一行（分页，按编号），列出星期几、到哪所学校、几节课；另列每所学校每个学科"
        "的周课时需求：交流教师承担、走教承担、仍缺。q 按教师姓名或编号、学校名称或编号筛选。"
        "名册没有课时需求（hours_needs）时为 null。 / One row per teacher (paged) with the "
        "week's visits; every hour need with what transfers and 走教 cover and what is left; "
        "null when the roster states no hour needs."
    ),
)
def plan_itinerant_route(
    plan_id: int,
    _caller: CallerDep,
    session: SessionDep,
    q: Annotated[str | None, Query(description="教师或学校 / a teacher or a school")] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Any:
    run = plan_with_result(session, plan_id)

    def store() -> ItinerantStore | None:
        found = Plan.itinerant_from_figures(run.metrics or {})
        return (
            None if found is None else itinerant_store(found, load_dataset(session, run.dataset_id))
        )

    stored = cached(_key(session, "itinerant", run), store)
    if stored is None:
        return None
    return plan_itinerant(stored, q=(q or "").strip(), offset=offset, limit=limit)


@router.get(
    "/plans/{plan_id}/leaders",
    response_model=PlanLeaders | None,
    summary="校长交流（含学校名称）：交流、本校提任、每位未交流的校长副校长及原因 / leaders",
    description=(
        "GET /plans/{id}/principals 的阅读版：学校名称、每位未交流的校长和副校长（期满未交流的"
        "在前，未到期的说明原因；查看者看不到退休年月）。名册无职务列时为 null。 / The principal "
        "exchange with school names and every leader not moved, with the reason (no retirement "
        "month for a viewer); null when the roster has no position column."
    ),
)
def plan_leaders_route(plan_id: int, caller: CallerDep, session: SessionDep) -> Any:
    run = plan_with_result(session, plan_id)

    def compute() -> PlanLeaders | None:
        exchange = Plan.principals_from_figures(run.metrics or {})
        if exchange is None:
            return None
        dataset = load_dataset(session, run.dataset_id)
        policy = run_policy(session, run)
        return plan_leaders(exchange, dataset, run.year, policy, personal=caller.is_officer)

    return cached((_key(session, "leaders", run), caller.is_officer), compute)


@router.get(
    "/plans/{plan_id}/shadowing/covers",
    response_model=PlanShadowing,
    summary="跟岗学习：跟岗学校与补位的交流教师 / 跟岗学习 with the move covering each",
)
def plan_shadowing_route(plan_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    run = plan_with_result(session, plan_id)

    def compute() -> PlanShadowing:
        plan = load_plan(session, run)
        dataset = load_dataset(session, run.dataset_id)
        return plan_shadowing(plan.shadowing, list(plan.assignments), dataset)

    return cached(_key(session, "shadowing", run), compute)


def _key(session: Any, what: str, run: PlanRun) -> tuple[str, str, int | None, str]:
    """A finished plan's results never change: its database, id and job name them."""
    return (str(session.get_bind().engine.url), what, run.id, str(run.job_id))
