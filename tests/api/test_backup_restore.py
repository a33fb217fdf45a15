"""Backup and restore: a restore into an empty database gives back every row, on SQLite and
PostgreSQL; bad backups and non-empty targets are refused and change nothing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from api_test_support import postgres_problem, postgres_url
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session
from typer.testing import CliRunner

from api.backup import BackupError, backup_database, restore_database, table_rows
from api.dataset_store import load_dataset, store_dataset
from api.db import make_engine, upgrade
from cli.main import app
from sample_data import generate

runner = CliRunner()


def _fill(url: str) -> int:
    """A service database holding one imported county; returns its dataset id."""
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        record = store_dataset(
            session, generate("tiny", seed=2, year=2026), file_name="tiny.xlsx", checksum="x",
            year=2026, summary={"teachers": 1},
        )  # fmt: skip
        session.commit()
        assert record.id is not None
        did = record.id
    engine.dispose()
    return did


def _rows(url: str) -> tuple[str | None, dict[str, int]]:
    engine = make_engine(url)
    try:
        return table_rows(engine)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes empty databases of one kind: SQLite files, or whole PostgreSQL databases."""
    made: list[str] = []
    admin_url = postgres_url()
    if request.param == "postgres":
        problem = postgres_problem(admin_url)
        if problem is not None:
            if os.environ.get("REQUIRE_POSTGRES") == "1":
                pytest.fail(f"PostgreSQL unreachable: {problem}")
            pytest.skip(f"PostgreSQL unreachable: {problem}")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")

    def make() -> str:
        name = f"rotation_bk_{uuid.uuid4().hex[:10]}"
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / name}.db"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_backup_restored_into_an_empty_database_gives_back_every_row(
    new_db: Callable[[], str], tmp_path: Path
) -> None:
    source, target = new_db(), new_db()
    did = _fill(source)
    backup = tmp_path / "service.backup"
    made = backup_database(source, backup)
    assert made.rows["teacher"] > 0 and made.revision is not None
    restored = restore_database(target, backup)
    assert restored.rows == made.rows
    assert _rows(target) == _rows(source)
    engines = make_engine(source), make_engine(target)
    with Session(engines[0]) as a, Session(engines[1]) as b:
        assert load_dataset(a, did) == load_dataset(b, did)
    for engine in engines:
        engine.dispose()


def test_a_restore_into_a_database_with_data_is_refused_unless_forced(
    new_db: Callable[[], str], tmp_path: Path
) -> None:
    source, target = new_db(), new_db()
    _fill(source)
    _fill(target)
    _fill(target)
    before = _rows(target)
    backup = tmp_path / "service.backup"
    backup_database(source, backup)
    with pytest.raises(BackupError, match="--force"):
        restore_database(target, backup)
    assert _rows(target) == before
    assert restore_database(target, backup, force=True).rows == _rows(source)[1]


def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(
    new_db: Callable[[], str], tmp_path: Path
) -> None:
    target = new_db()
    junk = tmp_path / "not-a-backup.db"
    junk.write_bytes(b"PK\x03\x04 an excel file, not a backup")
    with pytest.raises(BackupError, match="backup"):
        restore_database(target, junk)
    engine = make_engine(target)
    with engine.connect() as conn:
        kind = make_url(target).get_backend_name()
        sql = (
            "SELECT count(*) FROM sqlite_master WHERE type='table'"
            if kind == "sqlite"
            else "SELECT count(*) FROM information_schema.tables WHERE table_schema='public'"
        )
        assert conn.execute(text(sql)).scalar_one() == 0
    engine.dispose()


def test_the_commands_back_up_and_restore_and_a_failed_backup_leaves_no_file(
    tmp_path: Path,
) -> None:
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    _fill(source)
    backup = tmp_path / "backups" / "2026-12-01.db"
    made = runner.invoke(app, ["backup", "--out", str(backup), "--database-url", source])
    assert made.exit_code == 0, made.output
    assert "teacher" in made.output
    done = runner.invoke(app, ["restore", str(backup), "--database-url", target])
    assert done.exit_code == 0, done.output
    assert _rows(target) == _rows(source)
    again = runner.invoke(app, ["restore", str(backup), "--database-url", target])
    assert again.exit_code == 1 and "--force" in again.output
    missing = tmp_path / "missing.db"
    failed = runner.invoke(
        app, ["backup", "--out", str(tmp_path / "x.db"), "--database-url", f"sqlite:///{missing}"]
    )
    assert failed.exit_code == 1 and "不存在" in failed.output
    assert not (tmp_path / "x.db").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".backup-")]
