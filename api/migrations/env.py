"""Alembic environment: runs against the engine the app hands over, or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import api.tables  # noqa: F401  (registers the tables on the metadata)
from api.db import make_engine
from api.settings import DEFAULT_DATABASE_URL

target_metadata = SQLModel.metadata
config = context.config


def _engine():  # type: ignore[no-untyped-def]
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    import os

    url = os.environ.get("DATABASE_URL") or os.environ.get("ROTATION_DATABASE_URL")
    return make_engine(url or DEFAULT_DATABASE_URL)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run against a database")
run_migrations_online()
