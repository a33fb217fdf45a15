"""What the what-if and allocation routes share: find a job, describe it, cancel it."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import func, update
from sqlmodel import Session, col, select

from api.schemas import JOB_STATUS_ZH, in_id_range
from api.tables import CANCELLED, DONE, FINISHED, QUEUED, RUNNING, JobRun, PlanRun, utcnow

KIND_ZH = {"whatif": "政策模拟任务 / what-if job", "allocation": "县管校聘任务 / allocation job"}


def get_job(session: Session, job_id: int, kind: str) -> JobRun:
    job = session.get(JobRun, job_id) if in_id_range(job_id) else None
    if job is None or job.kind != kind:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, detail=f"{KIND_ZH[kind]}不存在 / no such {kind} job"
        )
    return job


def with_result(session: Session, job_id: int, kind: str) -> JobRun:
    """The job, when it has a result (done, or stopped after it started); else 409."""
    job = get_job(session, job_id, kind)
    if job.status not in (DONE, CANCELLED) or job.result is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"任务没有结果（状态：{JOB_STATUS_ZH[job.status]}）/ the job has no result "
            f"(status: {job.status})",
        )
    return job


def job_fields(session: Session, job: JobRun) -> dict[str, Any]:
    """The JobPublic fields of a job (subclasses add their result)."""
    assert job.id is not None
    position = None
    if job.status == QUEUED:  # plans and jobs share the worker queue, first come first served
        position = (
            session.exec(
                select(func.count())
                .select_from(JobRun)
                .where(JobRun.status == QUEUED, col(JobRun.id) <= job.id)
            ).one()
            + session.exec(
                select(func.count())
                .select_from(PlanRun)
                .where(PlanRun.status == QUEUED, col(PlanRun.created_at) < job.created_at)
            ).one()
        )
    running_seconds = None
    if job.status == RUNNING and job.started_at is not None:
        started = job.started_at
        if started.tzinfo is None:  # SQLite keeps no zone; the value is UTC
            started = started.replace(tzinfo=UTC)
        running_seconds = round((utcnow() - started).total_seconds(), 3)
    return {
        **job.model_dump(exclude={"result"}),
        "status_zh": JOB_STATUS_ZH.get(job.status, job.status),
        "queue_position": position,
        "running_seconds": running_seconds,
    }


def cancel_job(session: Session, job: JobRun) -> JobRun:
    """Ask a job to stop; one still waiting in the queue ends here and never starts."""
    if job.status in FINISHED:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"任务已结束（{JOB_STATUS_ZH[job.status]}）/ the job has already ended "
            f"({job.status})",
        )
    session.execute(update(JobRun).where(col(JobRun.id) == job.id).values(cancel_requested=True))
    session.execute(
        update(JobRun)
        .where(col(JobRun.id) == job.id, col(JobRun.status) == QUEUED)
        .values(status=CANCELLED, finished_at=utcnow())
    )
    session.commit()
    session.refresh(job)
    return job


def list_jobs(session: Session, kind: str, dataset_id: int | None) -> list[JobRun]:
    query = select(JobRun).where(JobRun.kind == kind).order_by(col(JobRun.id).desc())
    if dataset_id is not None:
        query = query.where(JobRun.dataset_id == dataset_id)
    return list(session.exec(query).all())
