"""Plan jobs: queue a solve, watch its progress, stop it, read and export its result."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from sqlmodel import Session

from api.audit import Action, record, record_planned
from api.auth import Caller, CallerDep, OfficerDep
from api.dataset_store import load_dataset
from api.deps import EngineDep, RunnerDep, SessionDep, SettingsDep
from api.downloads import attachment
from api.job_views import plan_public
from api.jobs.plan_rows import load_plan, run_locks, run_policy
from api.links import public_url
from api.publication import official_stamp, publication_of, refuse_if_published
from api.queries import (
    add_plan,
    assignments_page,
    cancel_or_409,
    compliance_rows,
    dataset_or_404,
    plan_or_404,
    plan_with_result,
)
from api.queries import (
    list_plans as plans_of,
)
from api.request_checks import base_overrides, check_locks, check_time_limit, validate_overrides
from api.schemas import (
    MAX_OFFSET,
    AssignmentPublic,
    CompliancePublic,
    DatasetFilter,
    Page,
    PlanAccepted,
    PlanCreate,
    PlanPublic,
)
from api.tables import QUEUED, PlanRun
from rotation.plan import Plan
from rotation.principals import PrincipalExchange

router = APIRouter(tags=["plans"])


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
    caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Any:
    dataset_or_404(session, dataset_id)
    policy = validate_overrides({**base_overrides(session, body.policy_name), **body.policy})
    check_time_limit(settings, body.time_limit)
    check_locks(session, dataset_id, body.locks, year=body.year, policy=policy)
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
    run, _job = add_plan(session, run, [lock.model_dump(mode="json") for lock in body.locks])
    assert run.id is not None
    record_planned(session, caller, run, [lock.model_dump(mode="json") for lock in body.locks])
    session.commit()
    assert run.id is not None
    runner.wake()
    url = public_url(request, "get_plan", plan_id=run.id)
    response.headers["Location"] = url
    return PlanAccepted(id=run.id, status=QUEUED, url=url)


@router.get("/plans", response_model=list[PlanPublic], summary="方案列表 / plans")
def list_plans(_caller: CallerDep, session: SessionDep, dataset_id: DatasetFilter = None) -> Any:
    return [plan_public(session, run, job) for run, job in plans_of(session, dataset_id)]


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
    return plan_public(session, *plan_or_404(session, plan_id))


@router.delete(
    "/plans/{plan_id}",
    response_model=PlanPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="停止求解（保留当前最优方案）/ stop a solve early, keeping its best plan",
)
def cancel_plan(plan_id: int, caller: OfficerDep, session: SessionDep, engine: EngineDep) -> Any:
    run, job = plan_or_404(session, plan_id)
    refuse_if_published(session, plan_id)
    stopped = cancel_or_409(session, engine, job)
    record(session, caller, Action.CANCELLED, "plan", plan_id)
    session.commit()
    return plan_public(session, run, stopped)


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
    plan_with_result(session, plan_id)
    total, rows = assignments_page(session, plan_id, from_school_id, to_school_id, offset, limit)
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
    plan_with_result(session, plan_id)
    return compliance_rows(session, plan_id)


@router.get(
    "/plans/{plan_id}/principals",
    response_model=PrincipalExchange | None,
    summary="校长交流（任职期满的校长、副校长，逐一说明未交流者）/ the principal exchange",
    description="名册无职务列时为 null / null when the roster has no position column",
)
def get_principals(plan_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    run = plan_with_result(session, plan_id)
    return Plan.principals_from_figures(run.metrics or {})


def _export(session: Session, caller: Caller, plan_id: int, kind: str) -> Response:
    from rotation.io.plan_files import write_plan_csv, write_plan_xlsx

    run = plan_with_result(session, plan_id)
    publication = publication_of(session, plan_id)
    stamp = official_stamp(publication) if publication is not None else None
    record(session, caller, Action.EXPORTED, "plan", plan_id, format=kind, official=bool(stamp))
    session.commit()
    plan = load_plan(session, run)
    name = f"plan-{plan_id}-official" if stamp else f"plan-{plan_id}"
    if kind == "xlsx":
        dataset, policy = load_dataset(session, run.dataset_id), run_policy(session, run)
        return attachment(
            f"{name}.xlsx",
            lambda path: write_plan_xlsx(plan, dataset, path, policy=policy, official=stamp),
        )
    return attachment(f"{name}.csv", lambda path: write_plan_csv(plan, path))


@router.get(
    "/plans/{plan_id}/export.xlsx",
    summary="导出方案工作簿 / the plan as an Excel workbook",
    response_class=Response,
)
def export_xlsx(plan_id: int, caller: CallerDep, session: SessionDep) -> Response:
    return _export(session, caller, plan_id, "xlsx")


@router.get(
    "/plans/{plan_id}/export.csv",
    summary="导出方案 plan.csv / the plan as plan.csv",
    response_class=Response,
)
def export_csv(plan_id: int, caller: CallerDep, session: SessionDep) -> Response:
    return _export(session, caller, plan_id, "csv")


@router.post(
    "/plans/{plan_id}/check",
    summary="独立校验方案 / re-run the independent plan checker",
)
def check(plan_id: int, _caller: CallerDep, session: SessionDep) -> dict[str, Any]:
    from workflows.check import check_existing_plan

    run = plan_with_result(session, plan_id)
    plan = load_plan(session, run)
    report = check_existing_plan(
        load_dataset(session, run.dataset_id),
        plan,
        run_policy(session, run),
        run_locks(session, plan_id),
    )
    return {"plan_id": plan_id, **report.to_dict()}
