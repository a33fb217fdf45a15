"""What a job and a plan look like to a caller: status in Chinese, queue position,
seconds running, lease and worker."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from api.jobs.store import aware
from api.posts_upload import public_params
from api.queries import plan_counts, queue_position
from api.schemas import JOB_STATUS_ZH, STATUS_ZH, PlanPublic
from api.tables import RUNNING, JobRun, PlanRun, utcnow
from rotation.status_words import status_words


def running_seconds(job: JobRun) -> float | None:
    started = aware(job.started_at)
    if job.status != RUNNING or started is None:
        return None
    return round((utcnow() - started).total_seconds(), 3)


def job_fields(session: Session, job: JobRun) -> dict[str, Any]:
    """The JobPublic fields of a job (the kinds' public models add their result)."""
    return {
        **job.model_dump(exclude={"result"}),
        "params": public_params(job.params),
        "status_zh": JOB_STATUS_ZH.get(job.status, job.status),
        "queue_position": queue_position(session, job),
        "running_seconds": running_seconds(job),
    }


def plan_public(session: Session, run: PlanRun, job: JobRun) -> PlanPublic:
    assert run.id is not None and job.id is not None
    locks, moves = plan_counts(session, run.id)
    words: dict[str, str | None] = {"zh": None, "en": None}
    if run.solver_status:
        gap = (run.metrics or {}).get("gap")
        stopped = bool((run.metrics or {}).get("interrupted"))
        for lang in words:
            words[lang] = status_words(
                run.solver_status,
                gap if isinstance(gap, int | float) else None,
                interrupted=stopped,
                lang=lang,
            )
    return PlanPublic(
        **run.model_dump(),
        solver_status_zh=words["zh"],
        solver_status_en=words["en"],
        status=job.status,  # type: ignore[arg-type]
        status_zh=STATUS_ZH.get(job.status, job.status),
        queue_position=queue_position(session, job),
        progress=job.progress,
        error=job.error,
        cancel_requested=job.cancel_requested,
        started_at=job.started_at,
        finished_at=job.finished_at,
        running_seconds=running_seconds(job),
        attempts=job.attempts,
        worker=job.worker,
        locks=locks,
        assignments=moves,
    )
