"""The job runner of one server: claims queued jobs while it has room, runs them on its
backend (worker processes here, or a Dask cluster), and keeps every claim honest.

One loop, every ``poll_seconds`` (or at once when a route adds a job):

1. workers that died: their job fails with the reason, the worker is replaced;
2. heartbeat: this server's live claims get a fresh lease;
3. cancels not honoured within ``cancel_grace_seconds``: the job ends as cancelled and
   its worker is ended;
4. recovery: running jobs of *any* server whose lease ran out (that server died) are
   queued again at their place, or failed after ``max_attempts`` claims;
5. claims: while a worker is free, the first queued job (the queue's order) is claimed.

A server touches only its own jobs when it starts or stops: starting claims nothing
that is running; a graceful stop ends its workers and queues its own running jobs
again for whichever server claims them next.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from typing import Protocol

from sqlalchemy import Engine

from api.jobs import store
from api.jobs.store import STOPPED_SERVER, Claim
from api.jobs.task import TaskConfig
from api.settings import Settings

log = logging.getLogger(__name__)


class Backend(Protocol):
    @property
    def label(self) -> str: ...

    def start(self) -> None: ...
    def free_slots(self) -> int: ...
    def run(self, claim: Claim) -> None: ...
    def live_claims(self) -> list[Claim]: ...
    def poll(self) -> list[tuple[Claim, str]]: ...
    def kill(self, claim: Claim) -> None: ...
    def pids(self) -> list[int]: ...
    def shutdown(self) -> None: ...


def task_config(settings: Settings) -> TaskConfig:
    return TaskConfig(
        database_url=settings.database_url,
        progress_interval=settings.progress_interval,
        heartbeat_seconds=settings.heartbeat_seconds,
        lease_seconds=settings.lease_seconds,
        solver_threads=settings.solver_threads,
        solve_entry=settings.solve_entry,
    )


def make_backend(settings: Settings) -> Backend:
    """Worker processes here, or tasks on the Dask cluster of ``ROTATION_SCHEDULER``."""
    config = task_config(settings)
    if settings.scheduler:
        from api.jobs.dask_backend import DaskBackend

        return DaskBackend(config, settings.scheduler, settings.workers)
    from api.jobs.local import LocalBackend

    return LocalBackend(config, settings.workers)


class JobRunner:
    def __init__(self, settings: Settings, engine: Engine, backend: Backend | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.backend: Backend = backend or make_backend(settings)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="job-runner", daemon=True)
        self._last_beat = 0.0
        self.last_error: str | None = None

    def start(self) -> None:
        self.backend.start()
        self._thread.start()

    def wake(self) -> None:
        """A job was added: look at the queue now rather than at the next tick."""
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                with self._lock:
                    if self._stop.is_set():
                        return
                    self.tick()
                self.last_error = None
            except Exception as exc:  # the database is away: try again next tick
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("job runner: %s", self.last_error)
            self._wake.wait(self.settings.poll_seconds)
            self._wake.clear()

    def tick(self) -> None:
        s, engine = self.settings, self.engine
        for claim, reason in self.backend.poll():
            log.warning("job %s: %s", claim.job_id, reason)
            self._fail(claim, reason)
        live = self.backend.live_claims()
        now = time.monotonic()
        if now - self._last_beat >= s.heartbeat_seconds:
            store.heartbeat_owned(engine, self.owner, live, s.lease_seconds)
            self._last_beat = now
        for claim in store.overdue_cancels(engine, self.owner, s.cancel_grace_seconds):
            if store.force_cancel(engine, claim, s.cancel_grace_seconds):
                log.warning("job %s: cancel not honoured; its worker is ended", claim.job_id)
            self.backend.kill(claim)
        for claim in store.expired_claims(engine):
            if claim in live:  # ours and alive: the next heartbeat renews it
                continue
            status = store.release(engine, claim, store.LEASE_LOST, s.max_attempts)
            if status is not None:
                log.warning("job %s: lease expired; now %s", claim.job_id, status)
        while self.backend.free_slots() > 0:
            claimed = store.claim_next(engine, self.owner, self.backend.label, s.lease_seconds)
            if claimed is None:
                break
            self.backend.run(claimed)

    def _fail(self, claim: Claim, reason: str) -> None:
        def fail() -> bool:
            return store.fail(self.engine, claim.job_id, claim.attempt, reason, None)

        store.with_retry(fail)

    def shutdown(self, *, release: bool = True) -> None:
        """Stop claiming, end the workers; this server's running jobs wait again (when
        ``release``; a crash leaves them to the lease's expiry instead). Once only."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._wake.set()
        with self._lock:
            self.backend.shutdown()
        self._thread.join(timeout=10)
        if not release:
            return
        try:
            for claim in store.owned_claims(self.engine, self.owner):
                store.release(self.engine, claim, STOPPED_SERVER, self.settings.max_attempts)
        except Exception as exc:  # the database is away: the leases run out instead
            log.warning("jobs not released at stop: %s", exc)
