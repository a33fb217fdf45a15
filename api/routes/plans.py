"""Plan jobs: queue a solve, watch its progress, stop it, read and export its result."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from api.auth import CallerDep, OfficerDep
from api.dataset_store import load_dataset
from api.deps import UNPROCESSABLE, RunnerDep, SessionDep, SettingsDep
from api.downloads import attachment
from api.links import public_url
from api.plan_store import load_plan, run_locks, run_policy
from api.routes.datasets import get_record
from api.routes.policy import validate_overrides
from api.schemas import (
    MAX_OFFSET,
    STATUS_ZH,
    AssignmentPublic,
    CompliancePublic,
    DatasetFilter,
    Page,
    PlanAccepted,
    PlanCreate,
    PlanPublic,
    in_id_range,
)
from api.tables import (
    CANCELLED,
    DONE,
    FINISHED,
    QUEUED,
    RUNNING,
    AssignmentRecord,
    ComplianceRecord,
    PlanLock,
    PlanRun,
    PolicyRecord,
    utcnow,
)

router = APIRouter(tags=["plans"])

NOT_FOUND = "方案不存在 / no such plan"
HAS_RESULT = frozenset({DONE, CANCELLED})


def get_run(session: Session, plan_id: int) -> PlanRun:
    run = session.get(PlanRun, plan_id) if in_id_range(plan_id) else None
    if run is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NOT_FOUND)
    return run


def with_result(session: Session, plan_id: int) -> PlanRun:
    """The run, when it has a plan (done, or stopped early after it started); else 409."""
    run = get_run(session, plan_id)
    if run.status not in HAS_RESULT or run.metrics is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"方案没有结果（状态：{STATUS_ZH[run.status]}）/ the plan has no result "
            f"(status: {run.status})",
        )
    return run


def plan_public(session: Session, run: PlanRun) -> PlanPublic:
    assert run.id is not None
    position = None
    if run.status == QUEUED:
        position = session.exec(
            select(func.count())
            .select_from(PlanRun)
            .where(PlanRun.status == QUEUED, col(PlanRun.id) <= run.id)
        ).one()
    locks = session.exec(
        select(func.count()).select_from(PlanLock).where(PlanLock.plan_id == run.id)
    ).one()
    moves = session.exec(
        select(func.count()).select_from(AssignmentRecord).where(AssignmentRecord.plan_id == run.id)
    ).one()
    running_seconds = None
    if run.status == RUNNING and run.started_at is not None:
        started = run.started_at
        if started.tzinfo is None:  # SQLite keeps no zone; the value is UTC
            started = started.replace(tzinfo=UTC)
        running_seconds = round((utcnow() - started).total_seconds(), 3)
    return PlanPublic(
        **run.model_dump(exclude={"status"}),
        running_seconds=running_seconds,
        status=run.status,  # type: ignore[arg-type]
        status_zh=STATUS_ZH.get(run.status, run.status),
        queue_position=position,
        locks=locks,
        assignments=moves,
    )


@router.post(
    "/datasets/{dataset_id}/plans",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PlanAccepted,
    summary="生成交流方案（后台求解）/ start a plan",
    description=(
        "按年度、政策参数覆盖、锁定、时间上限和随机种子排队求解；在独立的工作进程中运行，"
        "同时运行的数量固定，其余按顺序等待。返回方案编号，用 GET /plans/{id} 查询进度。"
        " / Queues a solve in a worker process; poll GET /plans/{id}."
    ),
)
def create_plan(
    dataset_id: int,
    body: PlanCreate,
    request: Request,
    response: Response,
    _caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Any:
    get_record(session, dataset_id)
    if body.policy_name is not None:
        named = session.exec(
            select(PolicyRecord).where(PolicyRecord.name == body.policy_name)
        ).first()
        if named is None:
            raise HTTPException(
                UNPROCESSABLE,
                detail=f"没有名为 {body.policy_name!r} 的政策 / no saved policy of that name",
            )
        validate_overrides({**named.overrides, **body.policy})
    else:
        validate_overrides(body.policy)
    if body.time_limit > settings.max_time_limit:
        raise HTTPException(
            UNPROCESSABLE,
            detail=f"time_limit 超过上限 {settings.max_time_limit} 秒 / exceeds the limit",
        )
    check_locks(session, dataset_id, body)
    run = PlanRun(
        dataset_id=dataset_id,
        year=body.year,
        policy_name=body.policy_name,
        policy_overrides=body.policy,
        options={
            "backend": body.backend,
            "time_limit": body.time_limit,
            "relative_gap": body.relative_gap,
            "seed": body.seed,
        },
    )
    session.add(run)
    session.flush()
    assert run.id is not None
    for lock in body.locks:
        session.add(PlanLock(plan_id=run.id, **lock.model_dump(mode="json")))
    session.commit()
    runner.submit(run.id)
    url = public_url(request, "get_plan", plan_id=run.id)
    response.headers["Location"] = url
    return PlanAccepted(id=run.id, status=QUEUED, url=url)


def check_locks(session: Session, dataset_id: int, body: PlanCreate) -> None:
    if not body.locks:
        return
    dataset = load_dataset(session, dataset_id)
    problems = []
    for i, lock in enumerate(body.locks, start=1):
        if lock.teacher_id and lock.teacher_id not in dataset.teacher:
            problems.append(
                f"锁定第{i}条：教师 {lock.teacher_id} 不存在 / lock {i}: unknown teacher"
            )
        if lock.school_id and lock.school_id not in dataset.school:
            problems.append(f"锁定第{i}条：学校 {lock.school_id} 不存在 / lock {i}: unknown school")
        if lock.kind.value in ("assign", "stay") and not lock.teacher_id:
            problems.append(f"锁定第{i}条：缺少教师编号 / lock {i}: teacher_id required")
        if lock.kind.value in ("assign", "block_school") and not lock.school_id:
            problems.append(f"锁定第{i}条：缺少学校编号 / lock {i}: school_id required")
    if problems:
        raise HTTPException(UNPROCESSABLE, detail=problems)


@router.get("/plans", response_model=list[PlanPublic], summary="方案列表 / plans")
def list_plans(_caller: CallerDep, session: SessionDep, dataset_id: DatasetFilter = None) -> Any:
    query = select(PlanRun).order_by(col(PlanRun.id).desc())
    if dataset_id is not None:
        query = query.where(PlanRun.dataset_id == dataset_id)
    return [plan_public(session, r) for r in session.exec(query).all()]


@router.get(
    "/plans/{plan_id}",
    response_model=PlanPublic,
    summary="方案状态、进度与指标 / status, progress, metrics",
    description=(
        "状态：queued 排队中、running 求解中、done 已完成、failed 失败、cancelled 已停止、"
        "interrupted 已中断。求解中给出 objective、bound、gap、elapsed。"
    ),
)
def get_plan(plan_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    return plan_public(session, get_run(session, plan_id))


@router.delete(
    "/plans/{plan_id}",
    response_model=PlanPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="停止求解（保留当前最优方案）/ stop a solve early, keeping its best plan",
)
def cancel_plan(plan_id: int, _caller: OfficerDep, session: SessionDep) -> Any:
    run = get_run(session, plan_id)
    if run.status in FINISHED:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"方案已结束（{STATUS_ZH[run.status]}）/ the plan has already ended ({run.status})",
        )
    session.execute(update(PlanRun).where(col(PlanRun.id) == plan_id).values(cancel_requested=True))
    # A run still waiting in the queue never starts: it ends here.
    session.execute(
        update(PlanRun)
        .where(col(PlanRun.id) == plan_id, col(PlanRun.status) == QUEUED)
        .values(status=CANCELLED, finished_at=utcnow())
    )
    session.commit()
    session.refresh(run)
    return plan_public(session, run)


@router.get(
    "/plans/{plan_id}/assignments",
    response_model=Page[AssignmentPublic],
    summary="交流名单（分页）/ the plan's moves",
)
def list_assignments(
    plan_id: int,
    _caller: CallerDep,
    session: SessionDep,
    from_school_id: str | None = None,
    to_school_id: str | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Any:
    with_result(session, plan_id)
    query = select(AssignmentRecord).where(AssignmentRecord.plan_id == plan_id)
    if from_school_id:
        query = query.where(AssignmentRecord.from_school_id == from_school_id)
    if to_school_id:
        query = query.where(AssignmentRecord.to_school_id == to_school_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(AssignmentRecord.id)).offset(offset).limit(limit)).all()
    return Page[AssignmentPublic](
        total=total,
        offset=offset,
        limit=limit,
        items=[AssignmentPublic.model_validate(r) for r in rows],
    )


@router.get(
    "/plans/{plan_id}/compliance",
    response_model=list[CompliancePublic],
    summary="名额达标情况 / quota compliance",
)
def list_compliance(plan_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    with_result(session, plan_id)
    return session.exec(
        select(ComplianceRecord)
        .where(ComplianceRecord.plan_id == plan_id)
        .order_by(col(ComplianceRecord.id))
    ).all()


def _export(session: Session, plan_id: int, kind: str) -> Response:
    from rotation.io.plan_files import write_plan_csv, write_plan_xlsx

    run = with_result(session, plan_id)
    plan = load_plan(session, run)
    if kind == "xlsx":
        dataset, policy = load_dataset(session, run.dataset_id), run_policy(session, run)
        return attachment(
            f"plan-{plan_id}.xlsx", lambda path: write_plan_xlsx(plan, dataset, path, policy=policy)
        )
    return attachment(f"plan-{plan_id}.csv", lambda path: write_plan_csv(plan, path))


@router.get(
    "/plans/{plan_id}/export.xlsx",
    summary="导出方案工作簿 / the plan as an Excel workbook",
    response_class=Response,
)
def export_xlsx(plan_id: int, _caller: CallerDep, session: SessionDep) -> Response:
    return _export(session, plan_id, "xlsx")


@router.get(
    "/plans/{plan_id}/export.csv",
    summary="导出方案 plan.csv / the plan as plan.csv",
    response_class=Response,
)
def export_csv(plan_id: int, _caller: CallerDep, session: SessionDep) -> Response:
    return _export(session, plan_id, "csv")


@router.post(
    "/plans/{plan_id}/check",
    summary="独立校验方案 / re-run the independent plan checker",
)
def check(plan_id: int, _caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    from rotation.checker import check_plan

    run = with_result(session, plan_id)
    plan = load_plan(session, run)
    report = check_plan(
        load_dataset(session, run.dataset_id),
        plan,
        run_policy(session, run),
        run_locks(session, plan_id),
    )
    return {"plan_id": plan_id, **report.to_dict()}
