"""One claimed job, run where the work happens (a worker process or a Dask worker).

``run_claimed_job`` reads the job, calls its kind's adapter (``api.jobs.kinds``) with a
``JobGate``, and stores the result, all fenced by the claim's attempt number. The gate
writes progress (throttled), answers ``should_stop`` (a cancel, or a claim no longer
ours) and keeps the lease alive from a heartbeat thread while the work runs.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine
from sqlmodel import Session

from api.db import make_engine
from api.jobs import store
from api.jobs.store import Claim, with_retry
from api.tables import FAILED

log = logging.getLogger(__name__)
_engines: dict[str, Engine] = {}


class TaskConfig(BaseModel):
    """What a job needs from the server's settings (sent to the worker with the claim)."""

    model_config = ConfigDict(frozen=True)

    database_url: str
    progress_interval: float = 0.5
    heartbeat_seconds: float = 5.0
    lease_seconds: float = 30.0
    solver_threads: int = 1
    solve_entry: str = "workflows.plan:run_plan"


def worker_engine(database_url: str) -> Engine:
    """One engine per database in each worker process."""
    if database_url not in _engines:
        _engines[database_url] = make_engine(database_url)
    return _engines[database_url]


class JobGate:
    """Progress, stop checks and the heartbeat of one claim."""

    def __init__(self, engine: Engine, claim: Claim, config: TaskConfig) -> None:
        self.engine = engine
        self.claim = claim
        self.config = config
        self.started = time.monotonic()
        self._last_write = 0.0
        self._last_check = 0.0
        self._stop = False
        self.lost = False
        self._closed = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name="job-heartbeat", daemon=True)
        self._beat.start()

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 3)

    def _heartbeat(self) -> None:
        while not self._closed.wait(self.config.heartbeat_seconds):
            try:
                ours = store.heartbeat(
                    self.engine, self.claim.job_id, self.claim.attempt, self.config.lease_seconds
                )
            except Exception as exc:  # the next beat tries again; the lease has slack
                log.warning("job %s: heartbeat failed: %s", self.claim.job_id, exc)
                continue
            if not ours:
                self.lost = self._stop = True
                return

    def progress(self, data: dict[str, Any], *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_write < self.config.progress_interval:
            return
        self._last_write = now
        try:
            store.write_progress(
                self.engine,
                self.claim.job_id,
                self.claim.attempt,
                {**data, "elapsed": self.elapsed()},
            )
        except Exception as exc:  # progress is best effort; the work goes on
            log.warning("job %s: progress not written: %s", self.claim.job_id, exc)

    def should_stop(self) -> bool:
        """True once a cancel was asked or the claim was lost (checked every interval)."""
        if self._stop:
            return True
        now = time.monotonic()
        if now - self._last_check < self.config.progress_interval:
            return False
        self._last_check = now
        try:
            self._stop = store.stop_asked(self.engine, self.claim.job_id, self.claim.attempt)
        except Exception as exc:  # cannot tell: keep working, ask again later
            log.warning("job %s: stop check failed: %s", self.claim.job_id, exc)
        return self._stop

    def close(self) -> None:
        self._closed.set()


def run_claimed_job(config: TaskConfig, claim: Claim) -> str:
    """Run one claimed job to its end; returns its status afterwards."""
    from api.dataset_store import load_dataset
    from api.jobs.kinds import KINDS, JobContext
    from api.tables import JobRun

    engine = worker_engine(config.database_url)
    gate = JobGate(engine, claim, config)
    try:
        here = f"{socket.gethostname()}:{os.getpid()}"
        with_retry(lambda: store.set_worker(engine, claim, here))

        def read() -> tuple[JobRun, Any]:
            with Session(engine) as session:
                job = session.get(JobRun, claim.job_id)
                if job is None:
                    raise LookupError(f"job {claim.job_id} is gone")
                session.expunge(job)
                return job, load_dataset(session, job.dataset_id)

        job, dataset = with_retry(read)
        output = KINDS[claim.kind](JobContext(job=job, dataset=dataset, gate=gate, config=config))
        seconds = gate.elapsed()

        def save() -> str:
            with Session(engine) as session:
                finished = store.finish(
                    session.connection(),
                    claim,
                    output.result,
                    {**output.progress, "elapsed": seconds},
                    seconds,
                )
                if not finished:  # cancelled by force, recovered elsewhere: not ours
                    session.rollback()
                    return "superseded"
                if output.store is not None:
                    output.store(session, seconds)
                session.commit()
                return str(session.get(JobRun, claim.job_id).status)  # type: ignore[union-attr]

        return with_retry(save)
    except Exception as exc:  # the job fails; the worker lives on
        log.exception("job %s failed", claim.job_id)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        try:
            with_retry(
                lambda: store.fail(
                    engine,
                    claim.job_id,
                    claim.attempt,
                    f"任务失败 / the job failed: {detail}",
                    gate.elapsed(),
                )
            )
        except Exception:  # the database is gone: the lease runs out and recovery decides
            log.exception("job %s: failure not recorded", claim.job_id)
        return FAILED
    finally:
        gate.close()
