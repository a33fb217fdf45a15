"""Dependencies shared by the routes: settings, database sessions, the job runner.

A request's session starts with a ping, retried while the database connection is being
re-established (a restarted server, a terminated connection); when it cannot be had the
caller gets 503 with the reason (``api.app`` answers any later connection loss alike).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from api.jobs.runner import JobRunner
from api.jobs.store import is_connection_error, with_retry
from api.settings import Settings

# 422 by number: Starlette renamed its constant (…_ENTITY → …_CONTENT) and warns on the old one.
UNPROCESSABLE = 422
DATABASE_UNAVAILABLE = (
    "数据库暂时无法连接，请稍后重试 / the database cannot be reached at the moment; please retry"
)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_engine(request: Request) -> Engine:
    return request.app.state.engine  # type: ignore[no-any-return]


def get_session(request: Request) -> Iterator[Session]:
    engine = get_engine(request)

    def ping() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        with_retry(ping, tries=3, first_wait=0.2)
    except DBAPIError as exc:
        if not is_connection_error(exc):
            raise
        raise HTTPException(
            503, detail=f"{DATABASE_UNAVAILABLE} ({type(exc.orig).__name__})"
        ) from exc
    with Session(engine) as session:
        yield session


def get_runner(request: Request) -> JobRunner:
    return request.app.state.runner  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]
