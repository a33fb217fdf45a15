"""The outlook (逐年推演) as a job: the county rolled forward a school year at a time under
each policy, the indicators' trajectory and the first year it meets the standard."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlmodel import Session

from api.auth import CallerDep, OfficerDep
from api.dataset_store import load_dataset
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
from api.request_checks import (
    unprocessable,
)
from api.scenario_requests import sweep_params
from api.schemas import DatasetFilter, JobAccepted, JobPublic, OutlookCreate, OutlookPublic
from api.tables import OUTLOOK, QUEUED, JobRun

router = APIRouter(tags=["outlook"])

FILES = ("trajectory.csv", "schools.csv", "quotas.csv", "outlook.png", "outlook.json")
MAX_YEARS = 10


def assumptions(body: OutlookCreate) -> dict[str, Any]:
    """The request's assumptions, validated (422 naming the bad one)."""
    from rotation.outlook import OutlookAssumptions

    items = (
        body.assume
        if isinstance(body.assume, list)
        else [f"{key}={value}" for key, value in body.assume.items()]
    )
    try:
        return OutlookAssumptions.from_items(items).model_dump(mode="json")
    except ValueError as exc:
        raise unprocessable(f"假设参数无效 / invalid assumption: {exc}") from exc


@router.post(
    "/datasets/{dataset_id}/outlook",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=JobAccepted,
    summary="逐年推演（后台运行）/ start the multi-year outlook",
    description=(
        "从 from_year 到 to_year 逐年生成方案并推演全县（任期开始与结束、返回、任职年限增长、"
        "退休与补充、晋升、学生数变化，假设见 assume），给出三项指标差异系数的逐年轨迹与首个"
        "达标年份；vary 中各参数取值的每种组合为一个情景。用 GET /outlook/{id} 查询，"
        "GET /outlook/{id}/files/{name} 下载 trajectory.csv、schools.csv、quotas.csv、"
        "outlook.png、outlook.json。 / Rolls the county forward year by year in a worker."
    ),
)
def create_outlook(
    dataset_id: int,
    body: OutlookCreate,
    request: Request,
    response: Response,
    _caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Any:
    dataset_or_404(session, dataset_id)
    if not body.from_year <= body.to_year < body.from_year + MAX_YEARS:
        raise unprocessable(
            f"to_year 应在 from_year 与 from_year+{MAX_YEARS - 1} 之间 / to_year must be from "
            f"from_year to from_year+{MAX_YEARS - 1}"
        )
    params = sweep_params(session, settings, dataset_id, body, body.from_year)
    params.update({"to_year": body.to_year, "assumptions": assumptions(body)})
    job = add_job(session, OUTLOOK, dataset_id, body.from_year, params)
    session.commit()
    assert job.id is not None
    runner.wake()
    url = public_url(request, "get_outlook", job_id=job.id)
    response.headers["Location"] = url
    return JobAccepted(id=job.id, kind=OUTLOOK, status=QUEUED, url=url)


def outlook_public(session: Session, job: JobRun) -> OutlookPublic:
    return OutlookPublic(
        **job_fields(session, job),
        scenarios=int(job.params.get("scenarios", 0)),
        outlook=job.result,
        files=list(FILES) if job.result is not None else [],
    )


@router.get("/outlook", response_model=list[JobPublic], summary="逐年推演任务列表 / outlook jobs")
def list_outlooks(_caller: CallerDep, session: SessionDep, dataset_id: DatasetFilter = None) -> Any:
    return [JobPublic(**job_fields(session, j)) for j in list_jobs(session, OUTLOOK, dataset_id)]


@router.get(
    "/outlook/{job_id}",
    response_model=OutlookPublic,
    summary="逐年推演的状态、进度与结果 / status, progress and the trajectory",
)
def get_outlook(job_id: int, _caller: CallerDep, session: SessionDep) -> Any:
    return outlook_public(session, job_or_404(session, job_id, OUTLOOK))


@router.delete(
    "/outlook/{job_id}",
    response_model=OutlookPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="停止逐年推演（当前情景完成后）/ stop the outlook before its next scenario",
)
def cancel_outlook(job_id: int, _caller: OfficerDep, session: SessionDep, engine: EngineDep) -> Any:
    job = cancel_or_409(session, engine, job_or_404(session, job_id, OUTLOOK))
    return outlook_public(session, job)


@router.get(
    "/outlook/{job_id}/files/{name}",
    summary="下载推演文件 / download trajectory.csv, schools.csv, quotas.csv, outlook.png, "
    "outlook.json",
    response_class=Response,
)
def outlook_file(job_id: int, name: str, _caller: CallerDep, session: SessionDep) -> Response:
    from solver.sweep import SweepResult
    from workflows.exports import write_outlook  # the CLI's writer: the same files

    if name not in FILES:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND,
            detail=f"没有文件 {name!r}；可下载 {', '.join(FILES)} / no such file",
        )
    job = job_with_result(session, job_id, OUTLOOK)
    result = SweepResult.model_validate(job.result)
    dataset = load_dataset(session, job.dataset_id)

    def write(path: Any) -> None:
        write_outlook(result, dataset, path.parent)

    return attachment(name, write)
