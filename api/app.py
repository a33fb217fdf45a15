"""The FastAPI application: ``create_app(settings)``.

At start the app upgrades the database schema (Alembic) and starts its job runner
(``api.jobs.runner``), which claims queued jobs and recovers those whose lease ran out.
At stop it ends its workers and queues its own running jobs again; other servers' jobs
are never touched.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.console import mount_console
from api.db import make_engine, upgrade
from api.deps import DATABASE_UNAVAILABLE
from api.errors import document_errors, http_error, validation_error
from api.jobs.runner import JobRunner
from api.jobs.store import is_connection_error
from api.limits import BodyLimits
from api.routes import (
    allocation,
    audit,
    console_routes,
    datasets,
    health,
    jobs,
    notices,
    outlook,
    plan_check,
    plans,
    policy,
    publication,
    whatif,
)
from api.settings import Settings
from api.throttle import FailureThrottle
from api.tokens import TokenRegistry

log = logging.getLogger("api")

DEV_MODE_NOTICE = (
    "警告：开发模式已开启，访问无需令牌，任何人都可读取教师个人信息 / WARNING: development mode "
    "is on: no tokens are needed and anyone can read teachers' personal data"
)
DEV_MODE_HEADER = "X-Rotation-Dev-Mode"
DEV_MODE_HEADER_VALUE = "on; a caller without a token acts as an officer"

DESCRIPTION = """
县管校聘 教师交流轮岗方案服务 / the teacher rotation planning service.

流程 / flow: `POST /datasets` 上传花名册 → `POST /datasets/{id}/plans` 生成方案 →
`GET /plans/{id}` 查询进度 → `GET /plans/{id}/export.xlsx` 下载方案。

政策模拟 / what-if: `POST /datasets/{id}/whatif` → `GET /whatif/{id}`（比较表）。
逐年推演 / outlook: `POST /datasets/{id}/outlook` → `GET /outlook/{id}`（文件 files）。
所有任务 / every job: `GET /jobs`（队列 the queue）, `DELETE /jobs/{id}`。
县管校聘 / hiring rounds: `POST /datasets/{id}/allocation` → `GET /allocation/{id}`；
中高级岗位分配 / title posts: `POST /datasets/{id}/title-posts`。

访问需要令牌（`Authorization: Bearer <token>`）：经办人 officer 可导入和生成方案，
查看者 viewer 只读且看不到出生日期。
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.dev_mode:
            log.warning(DEV_MODE_NOTICE)
            print(DEV_MODE_NOTICE, flush=True)
        engine = make_engine(settings.database_url)
        upgrade(engine)
        runner = JobRunner(settings, engine)
        app.state.engine = engine
        app.state.runner = runner
        runner.start()
        try:
            yield
        finally:
            runner.shutdown()
            engine.dispose()

    app = FastAPI(
        title="教师交流轮岗方案服务 / Teacher rotation service",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.tokens = TokenRegistry(settings.token_entries, settings.tokens_file)
    app.state.auth_throttle = FailureThrottle(
        settings.auth_failure_limit, settings.auth_failure_window
    )

    @app.middleware("http")
    async def personal_data_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if getattr(request.state, "personal", False):
            response.headers["Cache-Control"] = "no-store"
        if settings.dev_mode:
            response.headers[DEV_MODE_HEADER] = DEV_MODE_HEADER_VALUE
        return response

    app.add_middleware(
        BodyLimits,
        max_upload_bytes=settings.max_upload_bytes,
        max_body_bytes=settings.max_body_bytes,
    )
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        if is_connection_error(exc):
            log.warning("database connection lost during %s: %s", request.url.path, exc)
            detail = f"{DATABASE_UNAVAILABLE} ({type(exc.orig).__name__})"
            return JSONResponse({"detail": detail}, status_code=503)
        log.exception("database error during %s", request.url.path)
        return JSONResponse({"detail": "服务器内部错误 / internal server error"}, status_code=500)

    app.include_router(health.router)
    app.include_router(datasets.router)
    app.include_router(policy.router)
    app.include_router(plans.router)
    app.include_router(whatif.router)
    app.include_router(allocation.router)
    app.include_router(outlook.router)
    app.include_router(jobs.router)
    app.include_router(plan_check.router)
    app.include_router(audit.router)
    app.include_router(publication.router)
    app.include_router(notices.router)
    for router in console_routes.ROUTERS:
        app.include_router(router)
    mount_console(app)
    document_errors(app)
    return app
