"""Helpers of the service tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.app import create_app
from api.settings import Settings

OFFICER = "officer-token-for-tests"
VIEWER = "viewer-token-for-tests"
OFFICER_H = {"Authorization": f"Bearer {OFFICER}"}
VIEWER_H = {"Authorization": f"Bearer {VIEWER}"}
HELD_ENTRY = "api_test_solver:plan_year"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("TEST_POSTGRES_URL") or DEFAULT_PG


def postgres_problem(url: str) -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class Databases:
    """Makes fresh, empty databases (a SQLite file, or a PostgreSQL schema) and drops them."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.schemas: list[str] = []
        self._pg_checked = False

    def new(self, kind: str) -> str:
        name = f"rotation_test_{uuid.uuid4().hex[:10]}"
        if kind == "sqlite":
            return f"sqlite:///{self.tmp / name}.db"
        base = postgres_url()
        if not self._pg_checked:
            problem = postgres_problem(base)
            if problem is not None:
                message = f"PostgreSQL unreachable at {base}: {problem}"
                if os.environ.get("REQUIRE_POSTGRES") == "1":
                    pytest.fail(message)
                pytest.skip(message)
            self._pg_checked = True
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        engine.dispose()
        self.schemas.append(name)
        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options={quote(f'-csearch_path={name}')}"

    def drop_all(self) -> None:
        if not self.schemas:
            return
        engine = create_engine(postgres_url())
        with engine.begin() as conn:
            for name in self.schemas:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        engine.dispose()


def make_settings(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url,
        "tokens": f"{OFFICER}:officer,{VIEWER}:viewer",
        "workers": 2,
        "progress_interval": 0.1,
        "lease_seconds": 2.0,
        "heartbeat_seconds": 0.5,
        "poll_seconds": 0.1,
        "cancel_grace_seconds": 3.0,
        "max_upload_bytes": 2 * 1024 * 1024,
        "max_rows": 20_000,
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Service:
    client: TestClient
    settings: Settings

    @property
    def app(self) -> Any:
        return self.client.app


@contextmanager
def running_service(settings: Settings) -> Iterator[Service]:
    with TestClient(create_app(settings)) as client:
        yield Service(client, settings)


def upload_xlsx(
    client: TestClient,
    content: bytes,
    name: str = "tiny.xlsx",
    headers: dict[str, str] | None = None,
) -> Any:
    return client.post(
        "/datasets",
        files=[("files", (name, content, "application/octet-stream"))],
        data={"year": "2026"},
        headers=OFFICER_H if headers is None else headers,
    )


def upload_csv(client: TestClient, files: dict[str, bytes]) -> Any:
    return client.post(
        "/datasets",
        files=[("files", (name, body, "text/csv")) for name, body in files.items()],
        data={"year": "2026"},
        headers=OFFICER_H,
    )


def plan_request(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"year": 2026, "backend": "highs", "time_limit": 5, "seed": 1}
    body.update(overrides)
    return body


def poll_status(
    client: TestClient, url: str, statuses: set[str], timeout: float = 60.0
) -> dict[str, Any]:
    """Poll GET ``url`` (a plan, what-if or allocation job) until its status is in ``statuses``."""
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = client.get(url, headers=OFFICER_H).json()
        if body["status"] in statuses:
            return body
        time.sleep(0.1)
    raise AssertionError(f"{url} not in {statuses} after {timeout}s: {body}")


def wait_for(
    client: TestClient, plan_id: int, statuses: set[str], timeout: float = 60.0
) -> dict[str, Any]:
    """Poll GET /plans/{id} until its status is one of ``statuses``."""
    return poll_status(client, f"/plans/{plan_id}", statuses, timeout)
