"""The FastAPI application: ``create_app(settings)``.

At start the app upgrades the database schema (Alembic), marks runs left `running`
by a stopped server as `interrupted`, queues again the runs still `queued`, and
starts the worker pool. At stop it ends the workers.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.db import make_engine, upgrade
from api.errors import document_errors, http_error, validation_error
from api.jobs import JobRunner
from api.limits import BodyLimits
from api.routes import allocation, datasets, health, plans, policy, whatif
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
        runner.recover()
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

    app.include_router(health.router)
    app.include_router(datasets.router)
    app.include_router(policy.router)
    app.include_router(plans.router)
    app.include_router(whatif.router)
    app.include_router(allocation.router)
    document_errors(app)
    return app
