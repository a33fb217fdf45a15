"""Backup and restore of the service's database, each one command.

- SQLite: SQLite's own online backup (``sqlite3.Connection.backup``) copies a consistent
  snapshot even while the service writes (WAL); the copy is checked with
  ``PRAGMA integrity_check`` before it replaces anything.
- PostgreSQL: PostgreSQL's own tools, ``pg_dump --format=custom`` and ``pg_restore``
  (the client programs of the server's major version must be on PATH; Debian:
  ``postgresql-client``). The dump is checked with ``pg_restore --list``.

A backup is written to a temporary file beside the target and renamed into place, so a
failed backup leaves no half-written file. A restore goes only into an empty database
unless forced, then upgrades the schema to this version (a backup made by an older
version is migrated), and reports the rows per table so the officer can compare them
with the backup's report.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url

from api.db import make_engine, upgrade
from api.settings import DEFAULT_DATABASE_URL

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, in Chinese and English."""


class BackupReport(BaseModel):
    """What a backup holds or a restore produced: rows per table and the schema revision."""

    model_config = ConfigDict(frozen=True)

    kind: str  # "sqlite" or "postgresql"
    path: str
    revision: str | None
    rows: dict[str, int]

    def describe(self, lang: str = "zh") -> str:
        lines = [
            f"database: {self.kind}; schema revision: {self.revision or 'none'}"
            if lang == "en"
            else f"数据库 / database: {self.kind}；结构版本 / schema revision: {self.revision or '无 / none'}"
        ]
        lines += [f"  {name}: {count}" for name, count in sorted(self.rows.items())]
        return "\n".join(lines)


def database_url_from_env() -> str:
    """The service's database URL as the service reads it (``DATABASE_URL`` first)."""
    for name in ("DATABASE_URL", "ROTATION_DATABASE_URL"):
        if os.environ.get(name):
            return os.environ[name]
    return DEFAULT_DATABASE_URL


def table_rows(engine: Engine) -> tuple[str | None, dict[str, int]]:
    """The Alembic revision and the number of rows of every table."""
    names = inspect(engine).get_table_names()
    rows: dict[str, int] = {}
    revision = None
    with engine.connect() as conn:
        for name in names:
            if name == "alembic_version":
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                continue
            rows[name] = int(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one())
    return revision, rows


def _report(kind: str, path: Path, engine: Engine) -> BackupReport:
    revision, rows = table_rows(engine)
    return BackupReport(kind=kind, path=str(path), revision=revision, rows=rows)


# ------------------------------------------------------------------ SQLite
def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("内存数据库无法备份 / an in-memory database cannot be backed up")
    return Path(url.database)


def _check_sqlite_file(path: Path) -> None:
    with path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"不是 SQLite 备份文件 / not a SQLite backup: {path}")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件已损坏 / the backup is damaged: {path}: {exc}") from exc
    finally:
        conn.close()
    if verdict != "ok":
        raise BackupError(f"备份文件已损坏 / the backup is damaged: {path}: {verdict}")


def _sqlite_backup(url: URL, out: Path) -> None:
    source = _sqlite_path(url)
    if not source.is_file():
        raise BackupError(f"数据库文件不存在 / database file not found: {source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".db", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
        finally:
            dst.close()
        _check_sqlite_file(tmp)
        os.replace(tmp, out)
    finally:
        src.close()
        tmp.unlink(missing_ok=True)


def _sqlite_restore(url: URL, source: Path) -> None:
    _check_sqlite_file(source)
    target = _sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# ------------------------------------------------------------------ PostgreSQL
def _pg_command(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise BackupError(
            f"找不到 PostgreSQL 工具 {tool}，请安装 postgresql-client / {tool} not found: "
            "install the PostgreSQL client programs"
        )
    return path


def _pg_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what}失败 / {what} failed: {' | '.join(detail[-3:])}")


def _pg_backup(url: URL, out: Path) -> None:
    uri, env = _pg_target(url)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".dump", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _run(
            [_pg_command("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             f"--file={tmp}", f"--dbname={uri}"],
            env,
            "pg_dump 备份",
        )  # fmt: skip
        _run([_pg_command("pg_restore"), "--list", str(tmp)], env, "备份文件校验")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def _pg_restore(url: URL, source: Path) -> None:
    with source.open("rb") as fh:
        if fh.read(len(PG_DUMP_MAGIC)) != PG_DUMP_MAGIC:
            raise BackupError(
                f"不是 pg_dump 备份文件（custom 格式）/ not a pg_dump custom-format backup: {source}"
            )
    uri, env = _pg_target(url)
    _run(
        [_pg_command("pg_restore"), "--no-owner", "--no-privileges", "--clean", "--if-exists",
         "--exit-on-error", "--single-transaction", f"--dbname={uri}", str(source)],
        env,
        "pg_restore 恢复",
    )  # fmt: skip


# ------------------------------------------------------------------ the two commands
def backup_database(database_url: str, out: str | Path) -> BackupReport:
    """Copy the database to ``out`` (a .db file for SQLite, a pg_dump file for PostgreSQL)."""
    url = make_url(database_url)
    target = Path(out)
    if target.is_dir():
        raise BackupError(f"--out 应为文件而不是文件夹 / --out must be a file: {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    backend = url.get_backend_name()
    if backend == "sqlite":
        _sqlite_backup(url, target)
        engine = make_engine(f"sqlite:///{target}")
    elif backend == "postgresql":
        _pg_backup(url, target)
        engine = make_engine(database_url)
    else:
        raise BackupError(f"不支持的数据库 / unsupported database: {backend}")
    try:
        return _report(backend, target, engine)
    finally:
        engine.dispose()


def restore_database(database_url: str, source: str | Path, *, force: bool = False) -> BackupReport:
    """Load a backup into the database (empty unless ``force``), then upgrade its schema."""
    url = make_url(database_url)
    path = Path(source)
    if not path.is_file():
        raise BackupError(f"备份文件不存在 / backup file not found: {path}")
    engine = make_engine(database_url)
    try:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        if tables and not force:
            raise BackupError(
                f"目标数据库不是空的（已有 {len(tables)} 张表），恢复会覆盖现有数据；确认后加 --force "
                f"/ the target database is not empty ({len(tables)} tables): add --force to overwrite"
            )
        engine.dispose()
        backend = url.get_backend_name()
        if backend == "sqlite":
            _sqlite_restore(url, path)
        elif backend == "postgresql":
            _pg_restore(url, path)
        else:
            raise BackupError(f"不支持的数据库 / unsupported database: {backend}")
        engine = make_engine(database_url)
        upgrade(engine)
        return _report(backend, path, engine)
    finally:
        engine.dispose()
