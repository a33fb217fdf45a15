"""Persistence: migrations from empty, models equal to the migrated schema, snapshots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect
from sqlmodel import Session, SQLModel, select

from api.dataset_store import load_dataset, store_dataset
from api.db import make_engine, upgrade
from api.tables import DatasetRecord, SchoolRecord, TeacherRecord

TABLES = {
    "dataset",
    "school",
    "teacher",
    "need",
    "policy",
    "plan_run",
    "plan_lock",
    "assignment",
    "compliance",
    "audit_log",
    "publication",
}


def test_upgrade_from_empty_creates_every_table(new_database: Callable[[], str]) -> None:
    engine = make_engine(new_database())
    assert set(inspect(engine).get_table_names()) == set()
    upgrade(engine)
    assert TABLES | {"alembic_version"} <= set(inspect(engine).get_table_names())
    upgrade(engine)  # a second upgrade is a no-op, not an error
    engine.dispose()


def test_models_match_the_migrated_schema(new_database: Callable[[], str]) -> None:
    engine = make_engine(new_database())
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_a_snapshot_reads_back_as_the_same_dataset(
    new_database: Callable[[], str], tiny_dataset: Any
) -> None:
    engine = make_engine(new_database())
    upgrade(engine)
    with Session(engine) as session:
        record = store_dataset(
            session, tiny_dataset, file_name="tiny.xlsx", checksum="0" * 64, year=2026, summary={}
        )
        session.commit()
        dataset_id = record.id
    assert dataset_id is not None
    with Session(engine) as session:
        loaded = load_dataset(session, dataset_id)
        teachers = session.exec(
            select(func.count())
            .select_from(TeacherRecord)
            .where(TeacherRecord.dataset_id == dataset_id)
        ).one()
    assert loaded == tiny_dataset
    assert teachers == len(tiny_dataset.teachers)
    engine.dispose()


def test_a_failed_store_leaves_nothing_behind(
    new_database: Callable[[], str], tiny_dataset: Any
) -> None:
    engine = make_engine(new_database())
    upgrade(engine)
    twice = tiny_dataset.model_copy(update={"schools": tiny_dataset.schools * 2})
    with Session(engine) as session:
        try:
            store_dataset(session, twice, file_name="x", checksum="1" * 64, year=2026, summary={})
            session.commit()
            raise AssertionError("duplicate school ids must be refused by the database")
        except Exception as exc:  # the unique constraint
            assert "uq_school_key" in str(exc) or "UNIQUE" in str(exc).upper()
            session.rollback()
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(DatasetRecord)).one() == 0
        assert session.exec(select(func.count()).select_from(SchoolRecord)).one() == 0
    engine.dispose()


def test_a_snapshot_keeps_the_rosters_optional_teacher_columns(
    new_database: Callable[[], str],
) -> None:
    """Post type, protection and a current exchange are stored and read back, so the service
    plans with what the importer read (a teacher on exchange is not eligible there either)."""
    from datetime import date as _date

    from sqlmodel import Session

    from api.dataset_store import load_dataset, store_dataset
    from api.db import make_engine, upgrade
    from rotation.enums import PostType
    from sample_data import generate

    base = generate("tiny", seed=4, year=2026)
    schools = [s.school_id for s in base.schools]
    first, second, *rest = base.teachers
    teachers = [
        first.model_copy(
            update={
                "post_type": PostType.WORKER,
                "protected": "哺乳期",
                "birth_date": _date(1980, 3, 1),
            }
        ),
        second.model_copy(update={"exchange_school_id": schools[-1], "exchange_end_year": 2027}),
        *rest,
    ]
    dataset = base.model_copy(update={"teachers": tuple(teachers)})
    engine = make_engine(new_database())
    upgrade(engine)
    with Session(engine) as session:
        record = store_dataset(
            session, dataset, file_name="x.xlsx", checksum="c", year=2026, summary={}
        )
        session.commit()
        assert record.id is not None
        back = load_dataset(session, record.id)
    engine.dispose()
    assert back.teacher[first.teacher_id] == teachers[0]
    assert back.teacher[second.teacher_id] == teachers[1]
    assert back.teachers == dataset.teachers
