"""The service's configuration, read from the environment (pydantic-settings).

- ``DATABASE_URL``: the database; default a SQLite file ``data/rotation.db``.
  PostgreSQL: ``postgresql+psycopg://user:password@host:5432/dbname``.
- ``ROTATION_TOKENS``: access tokens with their role, ``token:officer,token2:viewer``
  (or a JSON object ``{"token": "officer"}``). Tokens come from configuration only.
- ``ROTATION_DEV_MODE=1``: run without tokens (every caller is an officer). It must be
  switched on explicitly and the server says so at start.
- ``ROTATION_WORKERS``: how many solves run at once (worker processes), default 2.
- ``ROTATION_MAX_UPLOAD_BYTES`` / ``ROTATION_MAX_ROWS``: upload limits.
- ``ROTATION_SCHEDULER``: a Dask scheduler address; jobs then run on that cluster.
- ``ROTATION_LEASE_SECONDS``, ``ROTATION_HEARTBEAT_SECONDS``, ``ROTATION_POLL_SECONDS``,
  ``ROTATION_CANCEL_GRACE_SECONDS``, ``ROTATION_MAX_ATTEMPTS``: the job system's clocks.
"""

from __future__ import annotations

import json
from enum import StrEnum
from functools import cached_property

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/rotation.db"


class Role(StrEnum):
    """What a token may do: an officer imports and plans, a viewer reads."""

    OFFICER = "officer"
    VIEWER = "viewer"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROTATION_", extra="ignore", frozen=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "ROTATION_DATABASE_URL", "database_url"),
        description="SQLAlchemy URL of the database",
    )
    tokens: str = Field("", description="token:role pairs separated by commas, or a JSON object")
    dev_mode: bool = Field(False, description="no tokens needed; every caller is an officer")
    workers: int = Field(2, ge=1, le=64, description="solves running at once")
    solver_threads: int = Field(1, ge=1, le=64, description="threads per solve (CP-SAT workers)")
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1, description="largest upload in bytes")
    max_rows: int = Field(
        200_000, ge=1, description="most rows (schools+teachers+needs) per upload"
    )
    max_time_limit: float = Field(3600.0, gt=0, description="longest time limit a plan may ask for")
    solve_entry: str = Field(
        "workflows.plan:run_plan",
        description="the plan function the workers call, as module:function",
    )
    progress_interval: float = Field(
        0.5, gt=0, description="seconds between progress writes / cancel checks in a worker"
    )
    scheduler: str | None = Field(
        None, description="a Dask scheduler (tcp://host:8786): run the jobs on that cluster"
    )
    lease_seconds: float = Field(
        30.0, gt=0, description="a claim lasts this long without a heartbeat"
    )
    heartbeat_seconds: float = Field(5.0, gt=0, description="seconds between heartbeats")
    poll_seconds: float = Field(1.0, gt=0, description="seconds between looks at the queue")
    cancel_grace_seconds: float = Field(
        15.0, gt=0, description="a running job not stopped this long after a cancel is ended"
    )
    max_attempts: int = Field(
        3, ge=1, description="claims of one job before a lost lease fails it instead"
    )

    @model_validator(mode="after")
    def _heartbeat_within_lease(self) -> Settings:
        if self.heartbeat_seconds * 2 > self.lease_seconds:
            raise ValueError(
                "ROTATION_HEARTBEAT_SECONDS 应不超过 ROTATION_LEASE_SECONDS 的一半 / the heartbeat "
                "must be at most half the lease"
            )
        return self

    @model_validator(mode="after")
    def _tokens_or_dev_mode(self) -> Settings:
        table = self.token_roles  # validates the format
        if not table and not self.dev_mode:
            raise ValueError(
                "未配置访问令牌：请设置 ROTATION_TOKENS，或显式开启开发模式 ROTATION_DEV_MODE=1 / "
                "no access tokens configured: set ROTATION_TOKENS, or switch on development "
                "mode explicitly with ROTATION_DEV_MODE=1"
            )
        return self

    @cached_property
    def token_roles(self) -> dict[str, Role]:
        """The configured tokens and their roles."""
        return parse_tokens(self.tokens)


def parse_tokens(text: str) -> dict[str, Role]:
    """``"abc:officer,def:viewer"`` or ``'{"abc": "officer"}'`` → {token: Role}."""
    text = text.strip()
    if not text:
        return {}
    pairs: list[tuple[str, str]]
    if text.startswith("{"):
        raw = json.loads(text)
        pairs = [(str(k), str(v)) for k, v in raw.items()]
    else:
        pairs = []
        for item in text.split(","):
            if not item.strip():
                continue
            if ":" not in item:
                raise ValueError(
                    f"令牌格式应为 token:role / a token must be written token:role: {item[:4]}…"
                )
            token, role = item.rsplit(":", 1)
            pairs.append((token.strip(), role.strip()))
    out: dict[str, Role] = {}
    for token, role in pairs:
        if len(token) < 8:
            raise ValueError("令牌至少 8 个字符 / a token needs at least 8 characters")
        try:
            out[token] = Role(role.lower())
        except ValueError as exc:
            raise ValueError(
                f"未知角色 {role!r}，应为 officer 或 viewer / unknown role {role!r}, "
                "expected officer or viewer"
            ) from exc
    return out
