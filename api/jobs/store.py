"""Every state change of a job, in one place: claim, heartbeat, progress, finish, fail,
cancel, and the recovery of jobs whose lease ran out.

Each change is one conditional UPDATE that names the state it leaves, so two servers,
a late worker and a cancel never overwrite each other's decision. A claim is fenced
by its ``attempts`` number: a worker's writes (heartbeat, progress, finish) apply only
while the job is still ``running`` under that attempt, so a worker whose job was
recovered and claimed again elsewhere can no longer touch it.

Claims: ``UPDATE job_run SET … WHERE id = (SELECT id … WHERE status = 'queued' ORDER BY id
LIMIT 1 FOR UPDATE SKIP LOCKED) AND status = 'queued' RETURNING …``. On PostgreSQL the
row lock lets N servers claim at once without waiting on each other; SQLite ignores
``FOR UPDATE`` and runs the statement under its single write lock, so the same
statement is atomic there as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import Engine, update
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import col

from api.jsonable import jsonable
from api.tables import CANCELLED, DONE, FAILED, QUEUED, RUNNING, JobRun, utcnow

T = TypeVar("T")

STOPPED_SERVER = "服务停止 / the server stopped"
LEASE_LOST = (
    "租约过期：运行它的服务或工作进程已失联 / the lease expired: its server or worker vanished"
)


@dataclass(frozen=True)
class Claim:
    """A job this server now runs: its id, kind and attempt number (the fence)."""

    job_id: int
    kind: str
    attempt: int


def aware(moment: datetime | None) -> datetime | None:
    """SQLite keeps no time zone; every stored moment is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def with_retry(action: Callable[[], T], tries: int = 4, first_wait: float = 0.2) -> T:
    """Run ``action``; on a lost or refused database connection wait and try again."""
    wait = first_wait
    for attempt in range(tries):
        try:
            return action()
        except (OperationalError, DBAPIError) as exc:
            if attempt == tries - 1 or not is_connection_error(exc):
                raise
            time.sleep(wait)
            wait *= 2
    raise AssertionError("unreachable")


def is_connection_error(exc: BaseException) -> bool:
    """Is this a lost or refused connection (worth a retry), not a bad statement?"""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError) and "no such" not in str(exc).lower()


def _running(job_id: int, attempt: int) -> Any:
    return sa.and_(
        col(JobRun.id) == job_id, col(JobRun.status) == RUNNING, col(JobRun.attempts) == attempt
    )


def claim_next(engine: Engine, owner: str, worker: str, lease_seconds: float) -> Claim | None:
    """The first queued job (in id order: the queue's order) becomes ``running`` here."""
    now = utcnow()
    first = (
        sa.select(col(JobRun.id))
        .where(col(JobRun.status) == QUEUED, col(JobRun.cancel_requested).is_(False))
        .order_by(col(JobRun.id))
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(JobRun)
        .where(col(JobRun.id) == first, col(JobRun.status) == QUEUED)
        .values(
            status=RUNNING,
            attempts=col(JobRun.attempts) + 1,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            heartbeat_at=now,
            worker=worker,
            started_at=now,
            error=None,
            progress={"phase": "start", "elapsed": 0},
        )
        .returning(col(JobRun.id), col(JobRun.kind), col(JobRun.attempts))
    )
    with engine.begin() as conn:
        row = conn.execute(statement).first()
    if row is None:
        return None
    return Claim(int(row[0] or 0), str(row[1]), int(row[2]))


def set_worker(engine: Engine, claim: Claim, worker: str) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(JobRun).where(_running(claim.job_id, claim.attempt)).values(worker=worker)
        )


def heartbeat(engine: Engine, job_id: int, attempt: int, lease_seconds: float) -> bool:
    """Extend the lease of one running claim; False when the claim is no longer ours."""
    now = utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            update(JobRun)
            .where(_running(job_id, attempt))
            .values(heartbeat_at=now, lease_expires_at=now + timedelta(seconds=lease_seconds))
        )
    return result.rowcount == 1


def heartbeat_owned(engine: Engine, owner: str, claims: list[Claim], lease_seconds: float) -> None:
    """The server's heartbeat for the claims whose worker it still sees alive."""
    if not claims:
        return
    now = utcnow()
    fence = sa.or_(*(_running(c.job_id, c.attempt) for c in claims))
    with engine.begin() as conn:
        conn.execute(
            update(JobRun)
            .where(col(JobRun.lease_owner) == owner, fence)
            .values(heartbeat_at=now, lease_expires_at=now + timedelta(seconds=lease_seconds))
        )


def write_progress(engine: Engine, job_id: int, attempt: int, progress: dict[str, Any]) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(JobRun).where(_running(job_id, attempt)).values(progress=jsonable(progress))
        )
    return result.rowcount == 1


def stop_asked(engine: Engine, job_id: int, attempt: int) -> bool:
    """Should this claim stop: a cancel was asked, or the job is no longer ours to run."""
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(col(JobRun.cancel_requested), col(JobRun.status), col(JobRun.attempts)).where(
                col(JobRun.id) == job_id
            )
        ).first()
    return row is None or bool(row[0]) or row[1] != RUNNING or row[2] != attempt


def finish(
    conn: sa.Connection,
    claim: Claim,
    result: dict[str, Any] | None,
    progress: dict[str, Any],
    seconds: float,
) -> bool:
    """running → done (cancelled when a stop was asked), in the caller's transaction."""
    done = conn.execute(
        update(JobRun)
        .where(_running(claim.job_id, claim.attempt))
        .values(
            status=sa.case((col(JobRun.cancel_requested), CANCELLED), else_=DONE),
            result=jsonable(result) if result is not None else None,
            progress=jsonable(progress),
            finished_at=utcnow(),
            run_seconds=seconds,
            lease_expires_at=None,
        )
    )
    return done.rowcount == 1


def fail(engine: Engine, job_id: int, attempt: int, message: str, seconds: float | None) -> bool:
    """running → failed with the reason (cancelled instead when a cancel was asked)."""
    with engine.begin() as conn:
        result = conn.execute(
            update(JobRun)
            .where(_running(job_id, attempt))
            .values(
                status=sa.case((col(JobRun.cancel_requested), CANCELLED), else_=FAILED),
                error=message[:4000],
                finished_at=utcnow(),
                run_seconds=seconds,
                lease_expires_at=None,
            )
        )
    return result.rowcount == 1


def request_cancel(engine: Engine, job_id: int) -> str | None:
    """Ask a job to stop. A queued one ends here; a running one stops at its next check
    (and is ended by its server after the grace period). Returns the status after, or
    None when the job had already ended."""
    now = utcnow()
    with engine.begin() as conn:
        asked = conn.execute(
            update(JobRun)
            .where(col(JobRun.id) == job_id, col(JobRun.status).in_((QUEUED, RUNNING)))
            .values(cancel_requested=True, cancel_requested_at=now)
        )
        if asked.rowcount != 1:
            return None
        conn.execute(
            update(JobRun)
            .where(col(JobRun.id) == job_id, col(JobRun.status) == QUEUED)
            .values(status=CANCELLED, finished_at=now, lease_expires_at=None)
        )
        return str(
            conn.execute(sa.select(col(JobRun.status)).where(col(JobRun.id) == job_id)).scalar()
        )


def overdue_cancels(engine: Engine, owner: str, grace_seconds: float) -> list[Claim]:
    """This server's running claims whose cancel is older than the grace period."""
    limit = utcnow() - timedelta(seconds=grace_seconds)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(col(JobRun.id), col(JobRun.kind), col(JobRun.attempts)).where(
                col(JobRun.lease_owner) == owner,
                col(JobRun.status) == RUNNING,
                col(JobRun.cancel_requested).is_(True),
                col(JobRun.cancel_requested_at) < limit,
            )
        ).all()
    return [Claim(int(r[0] or 0), str(r[1]), int(r[2])) for r in rows]


def force_cancel(engine: Engine, claim: Claim, grace_seconds: float) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(JobRun)
            .where(_running(claim.job_id, claim.attempt))
            .values(
                status=CANCELLED,
                error=f"未在 {grace_seconds:g} 秒内自行停止，已强制结束 / it did not stop within "
                f"{grace_seconds:g} s of the cancel and was ended",
                finished_at=utcnow(),
                lease_expires_at=None,
            )
        )
    return result.rowcount == 1


def release(engine: Engine, claim: Claim, reason: str, max_attempts: int) -> str | None:
    """A claim whose runner is gone (server stopped, lease expired) ends or waits again:
    cancelled when a cancel was asked, failed after ``max_attempts`` claims, else queued
    again at its old place (its id) to be claimed anew. Returns the new status."""
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(col(JobRun.cancel_requested)).where(_running(claim.job_id, claim.attempt))
        ).first()
        if row is None:
            return None
        now = utcnow()
        if row[0]:
            values: dict[str, Any] = {"status": CANCELLED, "error": reason, "finished_at": now}
        elif claim.attempt >= max_attempts:
            values = {
                "status": FAILED,
                "finished_at": now,
                "error": f"{reason}；已尝试 {claim.attempt} 次，不再重试 / tried {claim.attempt} "
                "times, not retried",
            }
        else:
            values = {
                "status": QUEUED,
                "started_at": None,
                "worker": None,
                "progress": {
                    "phase": "requeued",
                    "message": f"{reason}；已重新排队 / queued again",
                },
            }
        result = conn.execute(
            update(JobRun)
            .where(_running(claim.job_id, claim.attempt))
            .values(lease_owner=None, lease_expires_at=None, **values)
        )
    return str(values["status"]) if result.rowcount == 1 else None


def expired_claims(engine: Engine) -> list[Claim]:
    """Running jobs of any server whose lease ran out."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(col(JobRun.id), col(JobRun.kind), col(JobRun.attempts)).where(
                col(JobRun.status) == RUNNING,
                sa.or_(
                    col(JobRun.lease_expires_at).is_(None),
                    col(JobRun.lease_expires_at) < utcnow(),
                ),
            )
        ).all()
    return [Claim(int(r[0] or 0), str(r[1]), int(r[2])) for r in rows]


def owned_claims(engine: Engine, owner: str) -> list[Claim]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(col(JobRun.id), col(JobRun.kind), col(JobRun.attempts)).where(
                col(JobRun.status) == RUNNING, col(JobRun.lease_owner) == owner
            )
        ).all()
    return [Claim(int(r[0] or 0), str(r[1]), int(r[2])) for r in rows]
