"""Job runs (what-if sweeps, allocations) in the database: claim, progress, stop, finish.

The same discipline as plan runs (``api.worker``): progress and cancellation go through
the ``job_run`` row, so they work across processes and restarts; every state change is
a single conditional UPDATE on the run still being in the state it left, so a late
worker never overwrites another decision (a cancel, an ``interrupted`` mark).
"""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from api.tables import CANCELLED, DONE, FAILED, INTERRUPTED, QUEUED, RUNNING, JobRun, utcnow
from api.worker import jsonable


def claim_job(engine: Engine, job_id: int) -> bool:
    """queued → running, atomically; False when the job was cancelled or taken already."""
    with engine.begin() as conn:
        result = conn.execute(
            update(JobRun)
            .where(
                col(JobRun.id) == job_id,
                col(JobRun.status) == QUEUED,
                col(JobRun.cancel_requested).is_(False),
            )
            .values(status=RUNNING, started_at=utcnow(), progress={"phase": "start", "elapsed": 0})
        )
        return result.rowcount == 1


class JobGate:
    """Progress writes and stop checks of one running job.

    ``progress`` writes at most every ``interval`` seconds (always when ``force``);
    ``should_stop`` reads the row on every call: jobs call it between steps (a sweep
    between scenarios), seconds apart, so a cancel is never missed for a throttle.
    """

    def __init__(self, engine: Engine, job_id: int, interval: float) -> None:
        self.engine = engine
        self.job_id = job_id
        self.interval = interval
        self.started = time.monotonic()
        self._last_write = 0.0
        self._stop = False

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 3)

    def progress(self, data: dict[str, Any], *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < self.interval:
            return
        self._last_write = now
        values = jsonable({**data, "elapsed": self.elapsed()})
        with self.engine.begin() as conn:
            conn.execute(
                update(JobRun)
                .where(col(JobRun.id) == self.job_id, col(JobRun.status) == RUNNING)
                .values(progress=values)
            )

    def should_stop(self) -> bool:
        if self._stop:
            return True
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(JobRun.cancel_requested, JobRun.status).where(
                    col(JobRun.id) == self.job_id
                )
            ).first()
        self._stop = row is None or bool(row[0]) or row[1] != RUNNING
        return self._stop


def finish_job(
    engine: Engine, job_id: int, result: dict[str, Any], progress: dict[str, Any], seconds: float
) -> str:
    """running → done (cancelled when a stop was asked) with the result, in one UPDATE.

    Returns the job's status afterwards (unchanged when it was no longer running).
    """
    with engine.begin() as conn:
        done = conn.execute(
            update(JobRun)
            .where(col(JobRun.id) == job_id, col(JobRun.status) == RUNNING)
            .values(
                status=sa.case((col(JobRun.cancel_requested), CANCELLED), else_=DONE),
                result=jsonable(result),
                progress=jsonable(progress),
                finished_at=utcnow(),
                run_seconds=seconds,
            )
        )
        status = conn.execute(sa.select(JobRun.status).where(col(JobRun.id) == job_id)).scalar()
    if done.rowcount != 1:
        return str(status) if status is not None else "missing"
    return str(status)


def fail_job(engine: Engine, job_id: int, message: str, seconds: float) -> None:
    """running → failed with the error (nothing else of the job changes)."""
    with engine.begin() as conn:
        conn.execute(
            update(JobRun)
            .where(col(JobRun.id) == job_id, col(JobRun.status) == RUNNING)
            .values(status=FAILED, error=message[:4000], finished_at=utcnow(), run_seconds=seconds)
        )


def mark_jobs_interrupted(session: Session) -> list[int]:
    """Jobs left `running` by a server that stopped: now `interrupted`. Returns their ids."""
    ids = list(session.exec(select(JobRun.id).where(JobRun.status == RUNNING)).all())
    if ids:
        session.execute(
            update(JobRun)
            .where(col(JobRun.status) == RUNNING)
            .values(
                status=INTERRUPTED,
                finished_at=utcnow(),
                error="服务在任务运行过程中停止 / the server stopped while this job was running",
            )
        )
        session.commit()
    return [i for i in ids if i is not None]


def queued_jobs(session: Session) -> list[int]:
    """The jobs still waiting, oldest first."""
    ids = session.exec(
        select(JobRun.id).where(JobRun.status == QUEUED).order_by(col(JobRun.id))
    ).all()
    return [i for i in ids if i is not None]
