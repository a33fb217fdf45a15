"""Worker processes on this machine: one job at a time each, each on its own pipe.

Each worker is a spawned process that announces itself ready, then runs the claims it
is sent (``api.jobs.task.run_claimed_job``) one after another. A worker that dies (a
crash, ``kill -9``, running out of memory) takes down only the job it held: the runner
sees the process gone, fails that job with the reason and starts a new worker. A
worker whose server has died exits by itself (``watch_parent``).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from api.jobs.store import Claim
from api.jobs.task import TaskConfig, run_claimed_job

log = logging.getLogger(__name__)


def watch_parent(interval: float = 0.5) -> None:
    """A worker whose server has died exits instead of working on (its lease then runs out)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


SOLVE_NICENESS = 10  # added to a worker's niceness: the server's pages stay quick under load


def worker_main(conn: Connection, config_json: str) -> None:
    """The worker process: ready, then one claim after another until told to stop. It runs
    at a lower CPU priority than the server."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(SOLVE_NICENESS)
    watch_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    config = TaskConfig.model_validate_json(config_json)
    # Import the heavy modules before saying ready: a claim then starts at once.
    import api.jobs.kinds  # noqa: F401

    importlib.import_module(config.solve_entry.partition(":")[0])
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        claim = Claim(*message)
        status = run_claimed_job(config, claim)
        conn.send(("done", claim.job_id, status))


def exit_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"工作进程被信号 {name} 终止 / the worker process was killed by {name}"
    return f"工作进程意外退出（退出码 {exitcode}）/ the worker process exited (code {exitcode})"


@dataclass
class LocalWorker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    claim: Claim | None = None
    started: float = field(default_factory=time.monotonic)
    failed_starts: int = 0  # workers before this one in this slot that died before ready
    ended: bool = False
    respawn_at: float = 0.0


def respawn_delay(failed_starts: int) -> float:
    """A worker that cannot start (a broken install, a bad ROTATION_SOLVE_ENTRY) is retried
    at growing intervals, not in a tight loop."""
    return 0.0 if failed_starts == 0 else min(30.0, 0.5 * 2**failed_starts)


class LocalBackend:
    """``size`` worker processes; the runner hands each idle one a claim."""

    @property
    def label(self) -> str:
        return "local"

    def __init__(self, config: TaskConfig, size: int) -> None:
        self.config = config
        self.size = size
        self.workers: list[LocalWorker] = []
        self._context = multiprocessing.get_context("spawn")

    def start(self) -> None:
        while len(self.workers) < self.size:
            self.workers.append(self._spawn())

    def _spawn(self, failed_starts: int = 0) -> LocalWorker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=worker_main,
            args=(child, self.config.model_dump_json()),
            name="rotation-job-worker",
            daemon=True,
        )
        process.start()
        child.close()
        return LocalWorker(process=process, conn=parent, failed_starts=failed_starts)

    def free_slots(self) -> int:
        return sum(1 for w in self.workers if w.ready and w.claim is None and not w.ended)

    def run(self, claim: Claim) -> None:
        worker = next(w for w in self.workers if w.ready and w.claim is None and not w.ended)
        worker.claim = claim
        worker.conn.send((claim.job_id, claim.kind, claim.attempt))

    def live_claims(self) -> list[Claim]:
        return [w.claim for w in self.workers if w.claim is not None and w.process.is_alive()]

    def poll(self) -> list[tuple[Claim, str]]:
        """Messages from the workers; returns the claims whose worker died, with the reason.

        A dead worker is replaced at once, or after a growing delay when it died before
        it was ready (``respawn_delay``)."""
        dead: list[tuple[Claim, str]] = []
        for i, worker in enumerate(list(self.workers)):
            try:
                while not worker.ended and worker.conn.poll():
                    message = worker.conn.recv()
                    if message[0] == "ready":
                        worker.ready = True
                    elif message[0] == "done":
                        worker.claim = None
            except (EOFError, OSError):
                pass
            if worker.process.is_alive():
                continue
            if not worker.ended:
                worker.process.join(timeout=1)
                reason = exit_reason(worker.process.exitcode)
                if worker.claim is not None:
                    dead.append((worker.claim, reason))
                    worker.claim = None
                worker.failed_starts = 0 if worker.ready else worker.failed_starts + 1
                worker.respawn_at = time.monotonic() + respawn_delay(worker.failed_starts)
                worker.ended = True
                worker.conn.close()
                log.warning("worker %s ended: %s; starting another", worker.process.pid, reason)
            if time.monotonic() >= worker.respawn_at:
                self.workers[i] = self._spawn(worker.failed_starts)
        return dead

    def kill(self, claim: Claim) -> None:
        """End the worker holding ``claim`` (a cancel it did not honour); it is replaced."""
        for worker in self.workers:
            if worker.claim == claim and worker.process.is_alive():
                worker.process.kill()

    def pids(self) -> list[int]:
        return [w.process.pid for w in self.workers if w.process.pid is not None]

    def shutdown(self) -> None:
        for worker in self.workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self.workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=2)
            if not worker.ended:
                worker.conn.close()
        self.workers = []
