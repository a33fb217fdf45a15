"""Apply the adopted plan in the service: next school year's roster as a new snapshot of the
same county (the API's ``rotation apply``), run as a job of kind ``apply`` like every other
long task. The route checks what it can at once (the dataset, the plan, no apply of that
plan already under way) and queues the job; the job (``api.jobs.kinds.apply_job``) checks
the stored plan and applies it exactly as its downloaded plan.csv would be, and stores the
new snapshot with its audit entry (``api.jobs.applied``).

``?wait=N`` keeps a synchronous answer for callers that want one: the request waits up to N
seconds for the job and answers as the route did before it was a job (201 with the new
snapshot, 422 with the findings), else 202 with the job as without ``wait``.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.audit import Action, actor_of, record
from api.auth import CallerDep, OfficerDep
from api.deps import EngineDep, RunnerDep, SessionDep
from api.job_views import job_fields
from api.jobs.applied import ACTOR_KEY, PLAN_KEY, ApplyJobResult
from api.links import public_url
from api.personal import job_for
from api.queries import (
    add_job,
    cancel_or_409,
    dataset_or_404,
    job_or_404,
    list_jobs,
    plan_with_result,
)
from api.schemas import DatasetDetail, DatasetFilter, JobAccepted, JobPublic
from api.tables import APPLY, DONE, FINISHED, QUEUED, RUNNING, DatasetRecord, JobRun, PlanRun
from api.tables import PublicationRecord as Publication
from rotation.apply_plan import AppliedYear
from workflows.check import PlanFinding

router = APIRouter(tags=["datasets"])
UNPROCESSABLE = 422
MAX_WAIT_SECONDS = 120.0
POLL_SECONDS = 0.2


class ApplyRequest(BaseModel):
    plan_id: int | None = Field(
        None,
        ge=1,
        description="要落实的方案；缺省为本数据集已发布（未被替代）的方案 / the plan to apply; "
        "by default this dataset's published plan in force",
    )


class ApplyResult(BaseModel):
    """The synchronous answer (``?wait=``): what the route answered before it was a job."""

    plan_id: int
    published: bool = Field(description="方案是否为已发布的正式方案 / whether it is published")
    applied: AppliedYear = Field(description="开始交流、期满返回、继续交流、扣除的岗位需求")
    dataset: DatasetDetail = Field(description="下一学年名单（新的数据快照）/ next year's snapshot")
    job_id: int = Field(description="落实任务编号 / the apply job")


class ApplyJobPublic(JobPublic):
    """An apply job: its state and progress (phase check → build → read_back → store, with
    ``step`` of ``steps``) and, once done, the new snapshot or the plan's violations."""

    plan_id: int = Field(description="要落实的方案 / the plan applied")
    published: bool = Field(False, description="方案是否为已发布的正式方案 / whether published")
    applied: AppliedYear | None = Field(
        None, description="开始交流、期满返回、继续交流、扣除的岗位需求（完成后）/ what it did"
    )
    dataset: DatasetDetail | None = Field(
        None,
        description="下一学年名单的新快照，含数据检查摘要（完成后）/ next year's snapshot with "
        "its check-data summary, when done",
    )
    findings: list[PlanFinding] = Field(
        default_factory=list,
        description="方案的违规：有违规则未落实，不保存 / the plan's violations: not applied",
    )


def published_plan_id(session: Session, dataset_id: int) -> int:
    """The plan of this dataset published and in force (the latest year's); else 409."""
    plan_id = session.exec(
        select(Publication.plan_id)
        .join(PlanRun, col(PlanRun.id) == col(Publication.plan_id))
        .where(PlanRun.dataset_id == dataset_id, col(Publication.superseded_at).is_(None))
        .order_by(col(Publication.year).desc(), col(Publication.id).desc())
    ).first()
    if plan_id is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="该数据集没有已发布的方案，请指定 plan_id / the dataset has no published plan "
            "in force: give plan_id",
        )
    return int(plan_id)


def refuse_if_under_way(session: Session, dataset_id: int, plan_id: int) -> None:
    """One apply of a plan at a time: a second click would store a second snapshot."""
    active = session.exec(
        select(JobRun).where(
            JobRun.kind == APPLY,
            JobRun.dataset_id == dataset_id,
            col(JobRun.status).in_((QUEUED, RUNNING)),
        )
    ).all()
    for job in active:
        if job.params.get(PLAN_KEY) == plan_id:
            raise HTTPException(
                status.HTTP_409_CONFLICT,
                detail=f"方案 {plan_id} 正在落实（任务 {job.id}）/ plan {plan_id} is being "
                f"applied already (job {job.id})",
            )


def apply_public(session: Session, job: JobRun) -> ApplyJobPublic:
    fields = job_fields(session, job)
    plan_id = int(job.params.get(PLAN_KEY) or 0)
    if job.result is None:
        return ApplyJobPublic(**fields, plan_id=plan_id)
    result = ApplyJobResult.model_validate(job.result)
    stored = session.get(DatasetRecord, result.dataset_id) if result.dataset_id else None
    return ApplyJobPublic(
        **fields,
        plan_id=result.plan_id,
        published=result.published,
        applied=result.applied,
        dataset=DatasetDetail.model_validate(stored) if stored is not None else None,
        findings=result.findings,
    )


@router.post(
    "/datasets/{dataset_id}/apply",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    summary="落实方案，生成下一学年名单（后台运行）/ apply the adopted plan: next year's roster",
    description=(
        "与 `rotation apply` 相同，作为后台任务运行：先按全部规则校验方案（有违规则不落实、"
        "不保存，任务结果列出违规），通过后交流教师记入交流所在学校与期满学年，期满教师返回原校，"
        "已填补的岗位需求扣除，名单写出后经导入程序读回核对，保存为同一县区的新数据快照（下一学年），"
        "并记入操作记录。缺省落实本数据集已发布的方案。返回任务，用 GET /apply/{id} 查询进度与结果。"
        "加 ?wait=秒数 则在该时间内等待任务完成，按原同步方式答复（201 新快照；422 违规）。"
        " / As `rotation apply`, as a job: poll GET /apply/{id}. The plan is checked first "
        "(violations: nothing stored); next year's roster is read back, stored as a new snapshot "
        "of the same county and audited. With ?wait=N the request waits up to N seconds and "
        "answers as before it was a job (201 with the snapshot, 422 with the violations)."
    ),
    responses={
        201: {"model": ApplyResult, "description": "?wait=：已落实 / applied within the wait"},
        409: {
            "description": "没有已发布的方案、方案没有结果或正在落实 / no published plan, no "
            "result, or already being applied"
        },
        422: {"description": "方案有违规或不属于该数据集 / the plan breaks a rule or is another's"},
        500: {"description": "?wait=：任务失败 / the job failed"},
    },
)
def apply_adopted_plan(
    dataset_id: int,
    request: Request,
    response: Response,
    caller: OfficerDep,
    session: SessionDep,
    engine: EngineDep,
    runner: RunnerDep,
    body: ApplyRequest | None = Body(None),  # noqa: B008
    wait: Annotated[
        float,
        Query(
            ge=0,
            le=MAX_WAIT_SECONDS,
            description="等待任务完成的秒数（0 = 不等待）/ seconds to wait for the job (0: none)",
        ),
    ] = 0,
) -> Any:
    dataset_or_404(session, dataset_id)
    wanted = body.plan_id if body is not None else None
    plan_id = wanted if wanted is not None else published_plan_id(session, dataset_id)
    run = plan_with_result(session, plan_id)
    if run.dataset_id != dataset_id:
        raise HTTPException(
            UNPROCESSABLE,
            detail=f"方案 {plan_id} 属于数据集 {run.dataset_id}，不是 {dataset_id} / plan "
            f"{plan_id} belongs to dataset {run.dataset_id}",
        )
    refuse_if_under_way(session, dataset_id, plan_id)
    params = {PLAN_KEY: plan_id, ACTOR_KEY: actor_of(caller)}
    job = add_job(session, APPLY, dataset_id, run.year, params)
    session.commit()
    assert job.id is not None
    runner.wake()
    url = public_url(request, "get_apply_job", job_id=job.id)
    response.headers["Location"] = url
    accepted = JobAccepted(id=job.id, kind=APPLY, status=QUEUED, url=url)
    if wait > 0:
        return answer_when_done(engine, accepted, wait)
    return accepted


def answer_when_done(engine: Engine, accepted: JobAccepted, wait: float) -> Any:
    """The synchronous answer when the job ends within ``wait`` seconds, else the job."""
    deadline = time.monotonic() + wait
    while True:
        with Session(engine) as session:
            job = session.get(JobRun, accepted.id)
            assert job is not None
            if job.status in FINISHED:
                return synchronous_answer(session, job)
        if time.monotonic() >= deadline:
            return JSONResponse(
                accepted.model_dump(mode="json"),
                status_code=status.HTTP_202_ACCEPTED,
                headers={"Location": accepted.url},
            )
        time.sleep(POLL_SECONDS)


def synchronous_answer(session: Session, job: JobRun) -> JSONResponse:
    public = apply_public(session, job)
    if job.status == DONE and public.findings:
        result = ApplyJobResult.model_validate(job.result)
        content = {
            "detail": result.refusal(),
            "findings": [f.model_dump(mode="json") for f in public.findings],
            "job_id": job.id,
        }
        return JSONResponse(content, status_code=UNPROCESSABLE)
    if job.status == DONE and public.dataset is not None and public.applied is not None:
        answer = ApplyResult(
            plan_id=public.plan_id,
            published=public.published,
            applied=public.applied,
            dataset=public.dataset,
            job_id=public.id,
        )
        return JSONResponse(answer.model_dump(mode="json"), status_code=status.HTTP_201_CREATED)
    code = status.HTTP_409_CONFLICT if job.status != "failed" else 500
    detail = job.error or f"任务{public.status_zh} / the job ended {job.status}"
    return JSONResponse({"detail": detail, "job_id": job.id}, status_code=code)


@router.get(
    "/apply",
    response_model=list[ApplyJobPublic],
    summary="生成下一年名册的任务列表 / apply jobs, newest first",
)
def list_apply_jobs(
    caller: CallerDep, session: SessionDep, dataset_id: DatasetFilter = None
) -> Any:
    return [
        job_for(caller, apply_public(session, j)) for j in list_jobs(session, APPLY, dataset_id)
    ]


@router.get(
    "/apply/{job_id}",
    response_model=ApplyJobPublic,
    summary="生成下一年名册任务的进度与结果 / an apply job's progress and result",
    description=(
        "进度阶段：check 校验方案、build 生成下一学年名单、read_back 读回核对、store 保存新快照"
        "（step/steps）。完成后给出新快照（含数据检查摘要）；方案有违规时给出违规，不保存。"
        " / Phases check, build, read_back, store; when done the new snapshot with its "
        "check-data summary, or the plan's violations (nothing stored)."
    ),
)
def get_apply_job(job_id: int, caller: CallerDep, session: SessionDep) -> Any:
    return job_for(caller, apply_public(session, job_or_404(session, job_id, APPLY)))


@router.delete(
    "/apply/{job_id}",
    response_model=ApplyJobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="停止生成下一年名册（不保存）/ stop an apply job (nothing is stored)",
)
def cancel_apply_job(
    job_id: int, caller: OfficerDep, session: SessionDep, engine: EngineDep
) -> Any:
    job = cancel_or_409(session, engine, job_or_404(session, job_id, APPLY))
    record(session, caller, Action.CANCELLED, "job", job_id, kind=APPLY)
    session.commit()
    session.refresh(job)
    return apply_public(session, job)
