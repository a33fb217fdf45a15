"""What-if sweeps (政策模拟): plan the year under every combination of policy values, as a job."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from sqlmodel import Session

from api.auth import CallerDep, OfficerDep
from api.deps import EngineDep, RunnerDep, SessionDep, SettingsDep
from api.downloads import attachment
from api.job_views import job_fields
from api.links import public_url
from api.queries import (
    add_job,
    cancel_or_409,
    dataset_or_404,
    job_or_404,
    job_with_result,
    list_jobs,
)
from api.scenario_requests import sweep_params
from api.schemas import DatasetFilter, JobAccepted, JobPublic, WhatifCreate, WhatifPublic
from api.tables import QUEUED, WHATIF, JobRun
from rotation.scenarios import (
    COMPARISON_COLUMNS,
    write_comparison_csv,
)

router = APIRouter(tags=["whatif"])


@router.post(
    "/datasets/{dataset_id}/whatif",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    summary="政策模拟：多组政策参数对比（后台运行）/ start a what-if sweep",
    description=(
        "对 vary 中各参数取值的每一种组合（在 set 的共同参数之上）分别生成该年度方案，"
        "逐个在工作进程中求解，并给出比较表（每个情景一行：达标单位、交流人数、骨干、填补岗位、"
        "高级职称占比、差异系数、距离、校验结论）。用 GET /whatif/{id} 查询进度和结果，"
        "DELETE /whatif/{id} 在当前情景完成后停止。"
        " / Plans the year under every combination of the varied values, one scenario after "
        "another in a worker process; poll GET /whatif/{id}."
    ),
)
def create_whatif(
    dataset_id: int,
    body: WhatifCreate,
    request: Request,
    response: Response,
    _caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Any:
    dataset_or_404(session, dataset_id)
    params = sweep_params(session, settings, dataset_id, body, body.year)
    job = add_job(session, WHATIF, dataset_id, body.year, params)
    session.commit()
    assert job.id is not None
    runner.wake()
    url = public_url(request, "get_whatif", job_id=job.id)
    response.headers["Location"] = url
    return JobAccepted(id=job.id, kind=WHATIF, status=QUEUED, url=url)


def whatif_public(session: Session, job: JobRun) -> WhatifPublic:
    result = job.result or {}
    return WhatifPublic(
        **job_fields(session, job),
        scenarios=int(job.params.get("scenarios", 0)),
        comparison=result.get("rows"),
        outcomes=result.get("outcomes"),
        columns=[{"code": code, "zh": zh} for code, zh in COMPARISON_COLUMNS],
    )


@router.get("/whatif", response_model=list[JobPublic], summary="政策模拟任务列表 / what-if jobs")
def list_whatif(_caller: CallerDep, session: SessionDep, dataset_id: DatasetFilter = None) -> Any:
    return [JobPublic(**job_fields(session, j)) for j in list_jobs(session, WHATIF, dataset_id)]


@router.get(
    "/whatif/{job_id}",
    response_model=WhatifPublic,
    summary="政策模拟的状态、进度与比较表 / status, progress and comparison",
    description=(
        "运行中 progress 给出已完成情景数 done/total 与当前情景 current；完成后 comparison "
        "为比较表（每个情景一行），outcomes 为每个情景的成败、用时与独立校验结论。"
        " / While running: done/total and the current scenario; when done: the comparison."
    ),
)
def get_whatif(job_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    return whatif_public(session, job_or_404(session, job_id, WHATIF))


@router.delete(
    "/whatif/{job_id}",
    response_model=WhatifPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="停止政策模拟（当前情景完成后）/ stop a sweep before its next scenario",
)
def cancel_whatif(job_id: int, _caller: OfficerDep, session: SessionDep, engine: EngineDep) -> Any:
    job = cancel_or_409(session, engine, job_or_404(session, job_id, WHATIF))
    return whatif_public(session, job)


@router.get(
    "/whatif/{job_id}/comparison.csv",
    summary="下载比较表 comparison.csv / the comparison as CSV",
    response_class=Response,
)
def comparison_csv(job_id: int, _caller: CallerDep, session: SessionDep) -> Response:
    job = job_with_result(session, job_id, WHATIF)
    rows = (job.result or {}).get("rows") or []
    return attachment(
        f"whatif-{job_id}-comparison.csv", lambda path: write_comparison_csv(rows, path)
    )
