"""One plan job, run in a worker process: claim the run, solve, store the result.

Progress and cancellation go through the database, so they work across processes
and across server restarts: the worker writes the run's ``progress`` field as the
solver reports, and its ``should_stop`` polls the run's ``cancel_requested`` flag
(and stops as well when the run is no longer ``running``, e.g. marked
``interrupted`` by a restarted server). Every final write is conditional on the run
still being ``running``, so a late worker never overwrites another decision.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from api.dataset_store import load_dataset
from api.db import make_engine
from api.plan_store import run_locks, run_policy, store_plan_result
from api.tables import CANCELLED, DONE, FAILED, QUEUED, RUNNING, PlanRun, utcnow

log = logging.getLogger(__name__)
_engines: dict[str, Engine] = {}


def worker_engine(database_url: str) -> Engine:
    if database_url not in _engines:
        _engines[database_url] = make_engine(database_url)
    return _engines[database_url]


def jsonable(value: Any) -> Any:
    """A JSON-safe copy: NaN/inf become None, unknown objects their str()."""
    return json.loads(json.dumps(_clean(value), default=str, ensure_ascii=False))


def _clean(value: Any) -> Any:
    """NaN and infinities become None (JSON has no such numbers)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def watch_parent(interval: float = 1.0) -> None:
    """Pool initializer: a worker whose server has died exits instead of solving on.

    Its run stays `running` in the database until the next server start marks it
    `interrupted`.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


class RunGate:
    """Progress writes and stop checks for one run, throttled to ``interval`` seconds."""

    def __init__(self, engine: Engine, plan_id: int, interval: float) -> None:
        self.engine = engine
        self.plan_id = plan_id
        self.interval = interval
        self._last_write = 0.0
        self._last_check = 0.0
        self._stop = False

    def progress(self, p: Any) -> None:
        now = time.monotonic()
        final = getattr(p, "phase", "") == "done"
        if not final and now - self._last_write < self.interval:
            return
        self._last_write = now
        data = p.to_dict() if hasattr(p, "to_dict") else dict(p)
        with self.engine.begin() as conn:
            conn.execute(
                update(PlanRun)
                .where(col(PlanRun.id) == self.plan_id, col(PlanRun.status) == RUNNING)
                .values(progress=jsonable(data))
            )

    def should_stop(self) -> bool:
        if self._stop:
            return True
        now = time.monotonic()
        if now - self._last_check < self.interval:
            return False
        self._last_check = now
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(PlanRun.cancel_requested, PlanRun.status).where(
                    col(PlanRun.id) == self.plan_id
                )
            ).first()
        self._stop = row is None or bool(row[0]) or row[1] != RUNNING
        return self._stop


def claim(engine: Engine, plan_id: int) -> bool:
    """queued → running, atomically; False when the run was cancelled or taken already."""
    with engine.begin() as conn:
        result = conn.execute(
            update(PlanRun)
            .where(
                col(PlanRun.id) == plan_id,
                col(PlanRun.status) == QUEUED,
                col(PlanRun.cancel_requested).is_(False),
            )
            .values(status=RUNNING, started_at=utcnow(), progress={"phase": "start", "elapsed": 0})
        )
        return result.rowcount == 1


def resolve_entry(entry: str) -> Callable[..., Any]:
    """``"module:function"`` → the function."""
    module, _, name = entry.partition(":")
    return getattr(importlib.import_module(module), name or "run_plan")  # type: ignore[no-any-return]


def run_plan_job(
    database_url: str,
    plan_id: int,
    progress_interval: float = 0.5,
    solver_threads: int = 1,
    solve_entry: str = "workflows.plan:run_plan",
) -> str:
    """Solve one plan run; returns the run's final status (or "skipped")."""
    engine = worker_engine(database_url)
    if not claim(engine, plan_id):
        return "skipped"
    gate = RunGate(engine, plan_id, progress_interval)
    started = time.monotonic()
    try:
        from solver.options import SolveOptions

        plan_year = resolve_entry(solve_entry)

        with Session(engine) as session:
            run = session.get(PlanRun, plan_id)
            assert run is not None
            dataset = load_dataset(session, run.dataset_id)
            policy = run_policy(session, run)
            locks = run_locks(session, plan_id)
            options = SolveOptions.model_validate({**run.options, "workers": solver_threads})
            year = run.year
        plan = plan_year(
            dataset,
            year,
            policy,
            locks=locks,
            options=options,
            progress=gate.progress,
            should_stop=gate.should_stop,
        )
        elapsed = time.monotonic() - started
        return _finish(engine, plan_id, plan, elapsed)
    except Exception as exc:  # the run fails; the worker lives on
        log.exception("plan %s failed", plan_id)
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        with engine.begin() as conn:
            conn.execute(
                update(PlanRun)
                .where(col(PlanRun.id) == plan_id, col(PlanRun.status) == RUNNING)
                .values(
                    status=FAILED,
                    error=f"求解失败 / the solve failed: {detail}"[:4000],
                    finished_at=utcnow(),
                    solve_seconds=time.monotonic() - started,
                )
            )
        return FAILED


def _finish(engine: Engine, plan_id: int, plan: Any, elapsed: float) -> str:
    """running → done (or cancelled when a stop was asked) and the result, in one transaction."""
    metrics = jsonable(plan.figures())
    with Session(engine) as session:
        claimed = session.execute(
            update(PlanRun)
            .where(col(PlanRun.id) == plan_id, col(PlanRun.status) == RUNNING)
            .values(
                status=sa.case((col(PlanRun.cancel_requested), CANCELLED), else_=DONE),
                finished_at=utcnow(),
            )
        )
        if claimed.rowcount != 1:  # interrupted or taken over meanwhile: leave it
            session.rollback()
            run = session.get(PlanRun, plan_id)
            return run.status if run is not None else "missing"
        run = session.exec(select(PlanRun).where(PlanRun.id == plan_id)).one()
        store_plan_result(session, plan_id, plan)
        last = dict(run.progress or {})
        last.update({"phase": "done", "elapsed": round(elapsed, 3)})
        for key in ("objective", "bound", "gap"):
            if metrics.get(key) is not None:
                last[key] = metrics[key]
        run.metrics = metrics
        run.progress = jsonable(last)
        run.solver_status = str(plan.status)
        run.backend = str(plan.backend)
        run.notes = [str(n) for n in plan.notes]
        run.solve_seconds = elapsed
        status = run.status
        session.add(run)
        session.commit()
        return status
