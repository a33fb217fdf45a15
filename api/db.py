"""Engines, sessions and schema upgrades (Alembic, run programmatically)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

API_DIR = Path(__file__).resolve().parent


def make_engine(database_url: str) -> Engine:
    """An engine for SQLite (file made on demand, WAL, foreign keys) or PostgreSQL."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, pool_pre_ping=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """The Alembic configuration of api/alembic.ini, bound to ``engine``."""
    cfg = Config(str(API_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(API_DIR / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


# Servers starting together on one PostgreSQL database upgrade the schema one at a time.
UPGRADE_LOCK = 0x726F746174  # "rotat"


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` (never drops data).

    On PostgreSQL an advisory lock makes servers that start at the same moment wait for
    each other; the later ones then find the schema up to date. SQLite commits each DDL
    statement on its own, so there a lock file beside the database does the same."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": UPGRADE_LOCK})
            try:
                command.upgrade(alembic_config(engine), revision)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": UPGRADE_LOCK})
                conn.commit()
        return
    database = engine.url.database
    try:
        import fcntl
    except ImportError:  # Windows: one server per SQLite file there
        fcntl = None  # type: ignore[assignment]
    if fcntl is None or not database or database == ":memory:":
        command.upgrade(alembic_config(engine), revision)
        return
    with open(f"{database}.upgrade-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            command.upgrade(alembic_config(engine), revision)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def session_scope(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
