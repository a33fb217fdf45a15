"""GET /health: is the service up and its database reachable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import RunnerDep, SessionDep, SettingsDep

router = APIRouter(tags=["health"])


@router.get("/health", summary="服务状态 / service health")
def health(session: SessionDep, settings: SettingsDep, runner: RunnerDep) -> Any:
    try:
        session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # reported, not raised: this is the health check
        database = f"error: {type(exc).__name__}"
    body = {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "dialect": session.get_bind().dialect.name,
        "dev_mode": settings.dev_mode,
        "workers": settings.workers,
        "jobs_run_on": "dask" if runner.backend.label.startswith("dask") else "local",
        "job_runner": "ok" if runner.last_error is None else "retrying",
    }
    return JSONResponse(body, status_code=200 if database == "ok" else 503)
