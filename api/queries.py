"""The queries the routes share: find a record (404 otherwise), page through results,
count, and add jobs. Routes call these and never write SQL of their own."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from api.tables import (
    CANCELLED,
    DONE,
    PLAN,
    QUEUED,
    AssignmentRecord,
    ComplianceRecord,
    DatasetRecord,
    JobRun,
    PlanLock,
    PlanRun,
    PolicyRecord,
)

KIND_ZH = {
    "plan": "方案 / plan",
    "whatif": "政策模拟任务 / what-if job",
    "allocation": "县管校聘任务 / allocation job",
    "outlook": "逐年推演任务 / outlook job",
    "apply": "生成下一年名册任务 / apply job",
}
HAS_RESULT = frozenset({DONE, CANCELLED})
# Ids as the database stores them (an INTEGER key: signed 32 bits on PostgreSQL); any other
# number names no record and is answered 404 without asking the database.
MAX_ID = 2**31 - 1


def in_id_range(value: int) -> bool:
    return 1 <= value <= MAX_ID


def dataset_or_404(session: Session, dataset_id: int) -> DatasetRecord:
    record = session.get(DatasetRecord, dataset_id) if in_id_range(dataset_id) else None
    if record is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="数据集不存在 / no such dataset")
    return record


def dataset_year_or_404(session: Session, dataset_id: int) -> int:
    """The snapshot's year, read alone (its stored summary is large): 404 when none."""
    year = (
        session.exec(select(DatasetRecord.year).where(DatasetRecord.id == dataset_id)).first()
        if in_id_range(dataset_id)
        else None
    )
    if year is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="数据集不存在 / no such dataset")
    return int(year)


def named_policy(session: Session, name: str) -> PolicyRecord | None:
    return session.exec(select(PolicyRecord).where(PolicyRecord.name == name)).first()


# ------------------------------------------------------------------ jobs
def add_job(
    session: Session, kind: str, dataset_id: int, year: int, params: dict[str, Any]
) -> JobRun:
    """A new queued job (flushed, not committed: the caller commits with its own rows)."""
    job = JobRun(kind=kind, dataset_id=dataset_id, year=year, params=params)
    session.add(job)
    session.flush()
    return job


def job_or_404(session: Session, job_id: int, kind: str | None = None) -> JobRun:
    job = session.get(JobRun, job_id) if in_id_range(job_id) else None
    if job is None or (kind is not None and job.kind != kind):
        what = KIND_ZH.get(kind or "", "任务 / job")
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{what}不存在 / no such job")
    return job


def job_with_result(session: Session, job_id: int, kind: str) -> JobRun:
    """The job, when it has a result (done, or stopped after it started); else 409."""
    from api.schemas import JOB_STATUS_ZH

    job = job_or_404(session, job_id, kind)
    if job.status not in HAS_RESULT or job.result is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"任务没有结果（状态：{JOB_STATUS_ZH[job.status]}）/ the job has no result "
            f"(status: {job.status})",
        )
    return job


def cancel_or_409(session: Session, engine: Engine, job: JobRun) -> JobRun:
    """Ask a job to stop (409 when it has ended); a queued one ends at once, a running one
    at its next check or, failing that, by its server after the grace period."""
    from api.jobs.store import request_cancel
    from api.schemas import JOB_STATUS_ZH

    assert job.id is not None
    if request_cancel(engine, job.id) is None:
        session.refresh(job)
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"任务已结束（{JOB_STATUS_ZH[job.status]}）/ the job has already ended "
            f"({job.status})",
        )
    session.refresh(job)
    return job


def queue_position(session: Session, job: JobRun) -> int | None:
    """1 = the next to start. Jobs start in id order, so this is the order they will start."""
    if job.status != QUEUED or job.id is None:
        return None
    return int(
        session.exec(
            select(func.count())
            .select_from(JobRun)
            .where(
                JobRun.status == QUEUED,
                col(JobRun.cancel_requested).is_(False),
                col(JobRun.id) <= job.id,
            )
        ).one()
    )


def list_jobs(session: Session, kind: str | None, dataset_id: int | None) -> list[JobRun]:
    query = select(JobRun).order_by(col(JobRun.id).desc())
    if kind is not None:
        query = query.where(JobRun.kind == kind)
    if dataset_id is not None:
        query = query.where(JobRun.dataset_id == dataset_id)
    return list(session.exec(query).all())


# ------------------------------------------------------------------ plans
def add_plan(session: Session, run: PlanRun, locks: list[dict[str, Any]]) -> tuple[PlanRun, JobRun]:
    """A plan, its locks and its queued job, flushed together (the caller commits)."""
    job = add_job(session, PLAN, run.dataset_id, run.year, {})
    run.job_id = job.id
    session.add(run)
    session.flush()
    assert run.id is not None
    job.params = {"plan_id": run.id}
    session.add(job)
    for lock in locks:
        session.add(PlanLock(plan_id=run.id, **lock))
    return run, job


def plan_or_404(session: Session, plan_id: int) -> tuple[PlanRun, JobRun]:
    """A plan and its job, read in one statement: one snapshot, so a plan is never seen
    ``done`` by its job while its results are not yet there."""
    row = (
        session.exec(
            select(PlanRun, JobRun)
            .join(JobRun, col(JobRun.id) == col(PlanRun.job_id))
            .where(PlanRun.id == plan_id)
        ).first()
        if in_id_range(plan_id)
        else None
    )
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="方案不存在 / no such plan")
    return row[0], row[1]


def plan_with_result(session: Session, plan_id: int) -> PlanRun:
    """The plan, when it has a result (done, or stopped early after it started); else 409."""
    from api.schemas import STATUS_ZH

    run, job = plan_or_404(session, plan_id)
    if job.status not in HAS_RESULT or run.metrics is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail=f"方案没有结果（状态：{STATUS_ZH[job.status]}）/ the plan has no result "
            f"(status: {job.status})",
        )
    return run


def list_plans(session: Session, dataset_id: int | None) -> list[tuple[PlanRun, JobRun]]:
    query = (
        select(PlanRun, JobRun)
        .join(JobRun, col(JobRun.id) == col(PlanRun.job_id))
        .order_by(col(PlanRun.id).desc())
    )
    if dataset_id is not None:
        query = query.where(PlanRun.dataset_id == dataset_id)
    return [(p, j) for p, j in session.exec(query).all()]


def plan_counts(session: Session, plan_id: int) -> tuple[int, int]:
    """(locks, moves) of a plan."""
    locks = session.exec(
        select(func.count()).select_from(PlanLock).where(PlanLock.plan_id == plan_id)
    ).one()
    moves = session.exec(
        select(func.count())
        .select_from(AssignmentRecord)
        .where(AssignmentRecord.plan_id == plan_id)
    ).one()
    return int(locks), int(moves)


def assignments_page(
    session: Session,
    plan_id: int,
    from_school_id: str | None,
    to_school_id: str | None,
    offset: int,
    limit: int,
) -> tuple[int, list[AssignmentRecord]]:
    query = select(AssignmentRecord).where(AssignmentRecord.plan_id == plan_id)
    if from_school_id:
        query = query.where(AssignmentRecord.from_school_id == from_school_id)
    if to_school_id:
        query = query.where(AssignmentRecord.to_school_id == to_school_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(AssignmentRecord.id)).offset(offset).limit(limit)).all()
    return int(total), list(rows)


def compliance_rows(session: Session, plan_id: int) -> list[ComplianceRecord]:
    return list(
        session.exec(
            select(ComplianceRecord)
            .where(ComplianceRecord.plan_id == plan_id)
            .order_by(col(ComplianceRecord.id))
        ).all()
    )
