"""The worker pool: plan jobs run in separate processes, a fixed number at once, in order.

The web server never solves in its own process. ``JobRunner.submit`` hands a plan id
to a ``ProcessPoolExecutor`` (spawn context, ``settings.workers`` processes); jobs
beyond that wait in the executor's queue in the order they came. Everything a job
needs is read from the database by the worker (``api.worker.run_plan_job``).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.job_store import mark_jobs_interrupted, queued_jobs
from api.job_worker import run_job
from api.plan_store import mark_interrupted
from api.settings import Settings
from api.tables import QUEUED, PlanRun
from api.worker import run_plan_job, watch_parent

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.futures: dict[int, Future[str]] = {}
        self.job_futures: dict[int, Future[str]] = {}
        self._stopping = False

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.settings.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=watch_parent,
            )
        return self._executor

    def submit(self, plan_id: int) -> None:
        """Queue a plan run for solving (the run row must already be committed)."""
        args = (
            self.settings.database_url,
            plan_id,
            self.settings.progress_interval,
            self.settings.solver_threads,
            self.settings.solve_entry,
        )
        with self._lock:
            try:
                future = self._pool().submit(run_plan_job, *args)
            except BrokenProcessPool:
                log.warning("worker pool broken; starting a new one")
                self._executor = None
                future = self._pool().submit(run_plan_job, *args)
            self.futures[plan_id] = future
            future.add_done_callback(lambda f, pid=plan_id: self._done(pid, f))

    def submit_job(self, job_id: int) -> None:
        """Queue a what-if or allocation job (its ``job_run`` row must be committed).

        Jobs share the worker pool and its queue with the plan runs, in the order they came.
        """
        args = (
            self.settings.database_url,
            job_id,
            self.settings.progress_interval,
            self.settings.solver_threads,
        )
        with self._lock:
            try:
                future = self._pool().submit(run_job, *args)
            except BrokenProcessPool:
                log.warning("worker pool broken; starting a new one")
                self._executor = None
                future = self._pool().submit(run_job, *args)
            self.job_futures[job_id] = future
            future.add_done_callback(lambda f, jid=job_id: self._job_done(jid, f))

    def _job_done(self, job_id: int, future: Future[str]) -> None:
        self.job_futures.pop(job_id, None)
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None and not self._stopping:
            log.error("job %s: worker error: %s", job_id, exc)

    def _done(self, plan_id: int, future: Future[str]) -> None:
        self.futures.pop(plan_id, None)
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None and not self._stopping:
            log.error("plan %s: worker error: %s", plan_id, exc)

    def recover(self) -> list[int]:
        """At start: runs left `running` become `interrupted`; `queued` ones are queued again.

        The same for the what-if and allocation jobs; returns the interrupted plan ids.
        """
        with Session(self.engine) as session:
            interrupted = mark_interrupted(session)
            queued = session.exec(
                select(PlanRun.id).where(PlanRun.status == QUEUED).order_by(col(PlanRun.id))
            ).all()
            jobs_interrupted = mark_jobs_interrupted(session)
            jobs_queued = queued_jobs(session)
        for plan_id in queued:
            if plan_id is not None:
                self.submit(plan_id)
        for job_id in jobs_queued:
            self.submit_job(job_id)
        if interrupted:
            log.warning("plans marked interrupted at start: %s", interrupted)
        if jobs_interrupted:
            log.warning("jobs marked interrupted at start: %s", jobs_interrupted)
        return interrupted

    def shutdown(self, *, mark: bool = True) -> None:
        """Stop the workers now; runs they held are marked `interrupted` (when ``mark``)."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._stopping = True
        if executor is None:
            return
        # ProcessPoolExecutor cannot stop a task that has started; end its processes.
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
        if mark:
            with Session(self.engine) as session:
                mark_interrupted(session)
                mark_jobs_interrupted(session)
