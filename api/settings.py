"""The service's configuration, read from the environment (pydantic-settings).

- ``DATABASE_URL``: the database; default a SQLite file ``data/rotation.db``.
  PostgreSQL: ``postgresql+psycopg://user:password@host:5432/dbname``.
- ``ROTATION_TOKENS``: access tokens of named people, ``王老师:officer:<token>`` (or
  ``王老师:officer:sha256:<hex>``), separated by commas; the older ``token:officer`` and a
  JSON object ``{"token": "officer"}`` still work (``api/tokens.py``).
- ``ROTATION_TOKENS_FILE``: a file of such entries, one a line, re-read when it changes.
- ``ROTATION_DEV_MODE=1``: run without tokens (an anonymous caller acts as an officer). It
  must be switched on explicitly; the server says so at start and in every response.
- ``ROTATION_BASE_URL``: the service's public address, used for the URLs it returns
  (never the request's ``Host``); without it those URLs are paths.
- ``ROTATION_WORKERS``: how many solves run at once (worker processes), default 2.
- ``ROTATION_MAX_UPLOAD_BYTES`` / ``ROTATION_MAX_ROWS`` / ``ROTATION_MAX_BODY_BYTES``: limits.
- ``ROTATION_AUTH_FAILURE_LIMIT`` / ``ROTATION_AUTH_FAILURE_WINDOW``: failed authentications
  a client may make in a window of seconds before it is answered 429.
- ``ROTATION_SCHEDULER``: a Dask scheduler address; jobs then run on that cluster.
- ``ROTATION_LEASE_SECONDS``, ``ROTATION_HEARTBEAT_SECONDS``, ``ROTATION_POLL_SECONDS``,
  ``ROTATION_CANCEL_GRACE_SECONDS``, ``ROTATION_MAX_ATTEMPTS``: the job system's clocks.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.tokens import Role, TokenEntry, parse_tokens

DEFAULT_DATABASE_URL = "sqlite:///data/rotation.db"


__all__ = ["Role", "Settings", "TokenEntry", "parse_tokens"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROTATION_", extra="ignore", frozen=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "ROTATION_DATABASE_URL", "database_url"),
        description="SQLAlchemy URL of the database",
    )
    tokens: str = Field(
        "", repr=False, description="name:role:token entries separated by commas (api/tokens.py)"
    )
    tokens_file: Path | None = Field(
        None, description="a file of name:role:token entries, re-read when it changes"
    )
    dev_mode: bool = Field(False, description="no tokens needed; an anonymous caller is an officer")
    base_url: str = Field(
        "", description="public address of the service for returned URLs, e.g. https://host/"
    )
    auth_failure_limit: int = Field(
        10, ge=1, description="failed authentications a client may make in the window"
    )
    auth_failure_window: float = Field(
        60.0, gt=0, le=86_400, description="seconds over which failed authentications count"
    )
    max_body_bytes: int = Field(
        4 * 1024 * 1024, ge=1024, description="largest JSON request body in bytes"
    )
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
        entries = self.token_entries  # validates the format
        if self.tokens_file is not None and not self.tokens_file.is_file():
            raise ValueError(
                f"令牌文件不存在：{self.tokens_file} / the tokens file does not exist: "
                f"{self.tokens_file}"
            )
        if not entries and self.tokens_file is None and not self.dev_mode:
            raise ValueError(
                "未配置访问令牌：请设置 ROTATION_TOKENS 或 ROTATION_TOKENS_FILE，或显式开启开发模式 "
                "ROTATION_DEV_MODE=1 / no access tokens configured: set ROTATION_TOKENS or "
                "ROTATION_TOKENS_FILE, or switch on development mode explicitly with "
                "ROTATION_DEV_MODE=1"
            )
        if self.base_url and not self.base_url.startswith(("http://", "https://")):
            raise ValueError(
                "ROTATION_BASE_URL 应以 http:// 或 https:// 开头 / ROTATION_BASE_URL must start "
                "with http:// or https://"
            )
        return self

    @cached_property
    def token_entries(self) -> list[TokenEntry]:
        """The people given in ROTATION_TOKENS (the tokens file is read by the app)."""
        return parse_tokens(self.tokens)
