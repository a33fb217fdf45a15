"""Every job, whatever its kind: the queue in one list, one job's state, cancel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from api.audit import Action, record
from api.auth import CallerDep, OfficerDep
from api.deps import EngineDep, SessionDep
from api.job_views import job_fields
from api.personal import job_for
from api.queries import cancel_or_409, job_or_404, list_jobs
from api.schemas import DatasetFilter, JobKind, JobPublic

router = APIRouter(tags=["jobs"])


@router.get(
    "/jobs",
    response_model=list[JobPublic],
    summary="所有任务（方案、政策模拟、县管校聘、逐年推演）/ every job, newest first",
)
def jobs(
    caller: CallerDep,
    session: SessionDep,
    kind: JobKind | None = None,
    dataset_id: DatasetFilter = None,
) -> Any:
    found = list_jobs(session, kind, dataset_id)
    return [job_for(caller, JobPublic(**job_fields(session, j))) for j in found]


@router.get("/jobs/{job_id}", response_model=JobPublic, summary="任务状态 / a job's state")
def get_job(job_id: int, caller: CallerDep, session: SessionDep) -> Any:
    return job_for(caller, JobPublic(**job_fields(session, job_or_404(session, job_id))))


@router.delete(
    "/jobs/{job_id}",
    response_model=JobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="停止任务 / stop a job (queued: at once; running: at its next check)",
)
def cancel_job(job_id: int, caller: OfficerDep, session: SessionDep, engine: EngineDep) -> Any:
    job = cancel_or_409(session, engine, job_or_404(session, job_id))
    record(session, caller, Action.CANCELLED, "job", job_id, kind=job.kind)
    session.commit()
    session.refresh(job)  # the commit expired it: its fields would read as missing
    return JobPublic(**job_fields(session, job))
