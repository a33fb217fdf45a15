"""Jobs run as tasks on a Dask distributed cluster (``ROTATION_SCHEDULER=tcp://…``).

The same engine ``rotation whatif --executor dask`` uses. A claim becomes one task,
``run_claimed_job(config, claim)``, which does exactly what a local worker process does:
it reads the job from the database, heartbeats the lease, writes progress, checks the
cancel flag (between phases and through the solver's stop callback) and stores the
result, fenced by the claim's attempt. The workers need this package and the database.

Faults: a Dask worker that dies mid-task makes the scheduler run the task again on
another worker (the same claim, so the job restarts there); after the scheduler's
allowed failures the task errs and the job fails with that reason. When this server
(the Dask client) vanishes, a task already running finishes on its own; one that had
not started stops heartbeating, and another server recovers the job once its lease
has run out.
"""

from __future__ import annotations

import logging
from typing import Any

from api.jobs.store import Claim
from api.jobs.task import TaskConfig, run_claimed_job

log = logging.getLogger(__name__)


class DaskBackend:
    """At most ``size`` of this server's jobs on the cluster at once."""

    def __init__(self, config: TaskConfig, address: str, size: int, client: Any = None) -> None:
        self.config = config
        self.address = address
        self.size = size
        self.client = client
        self._owns_client = client is None
        self.futures: dict[Claim, Any] = {}

    @property
    def label(self) -> str:
        return f"dask:{self.address}"

    def start(self) -> None:
        if self.client is None:
            from distributed import Client

            self.client = Client(self.address, set_as_default=False, timeout="10s")

    def free_slots(self) -> int:
        return self.size - len(self.futures)

    def run(self, claim: Claim) -> None:
        assert self.client is not None
        self.futures[claim] = self.client.submit(
            run_claimed_job,
            self.config,
            claim,
            key=f"rotation-job-{claim.job_id}-{claim.attempt}",
            pure=False,
        )

    def live_claims(self) -> list[Claim]:
        return [c for c, f in self.futures.items() if not f.done()]

    def poll(self) -> list[tuple[Claim, str]]:
        """Finished tasks leave; a task that erred or was lost is reported with the reason."""
        lost: list[tuple[Claim, str]] = []
        for claim, future in list(self.futures.items()):
            if not future.done():
                continue
            del self.futures[claim]
            if future.status == "finished":
                continue
            if future.status == "cancelled":
                lost.append((claim, "Dask 任务被取消或丢失 / the Dask task was cancelled or lost"))
                continue
            try:
                exc = future.exception(timeout=5)
            except Exception as err:  # the scheduler cannot say
                exc = err
            lost.append(
                (claim, f"Dask 任务失败 / the Dask task failed: {type(exc).__name__}: {exc}")
            )
        return lost

    def kill(self, claim: Claim) -> None:
        """Drop the task of a cancel it did not honour (a running thread ends on its own)."""
        future = self.futures.pop(claim, None)
        if future is not None and self.client is not None:
            self.client.cancel(future)

    def pids(self) -> list[int]:
        return []

    def shutdown(self) -> None:
        if self.client is not None:
            for future in self.futures.values():
                self.client.cancel(future)
            self.futures = {}
            if self._owns_client:
                self.client.close()
                self.client = None
