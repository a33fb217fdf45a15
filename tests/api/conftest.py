"""Fixtures of the service tests, run on SQLite and on PostgreSQL.

``db_kind`` parametrizes every API and persistence test over ``sqlite`` and
``postgres``. PostgreSQL comes from ``TEST_POSTGRES_URL`` (default the local server
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each database the tests make
there is a fresh schema, dropped at the end. When the server cannot be reached the
PostgreSQL tests are skipped, unless ``REQUIRE_POSTGRES=1`` (CI): then they fail.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The worker processes (spawn) inherit sys.path: they import api_test_solver from here.
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from api_test_support import (  # noqa: E402
    HELD_ENTRY,
    Databases,
    Service,
    make_settings,
    running_service,
)


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def new_database(db_kind: str, databases: Databases) -> Callable[[], str]:
    """A function giving the URL of a new empty database of the current kind."""
    return lambda: databases.new(db_kind)


@pytest.fixture(scope="session")
def service(new_database: Callable[[], str]) -> Iterator[Service]:
    """The service with the real solver, on its own database."""
    with running_service(make_settings(new_database())) as svc:
        yield svc


@pytest.fixture(scope="session")
def held_service(new_database: Callable[[], str]) -> Iterator[Service]:
    """The service whose solves last until stopped (see api_test_solver)."""
    with running_service(make_settings(new_database(), solve_entry=HELD_ENTRY)) as svc:
        yield svc


@pytest.fixture(scope="session")
def tiny_dataset() -> Any:
    from sample_data import generate

    return generate("tiny", seed=1, year=2026)


@pytest.fixture(scope="session")
def tiny_xlsx(tiny_dataset: Any, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from rotation.io.writing import write_dataset_xlsx

    path = tmp_path_factory.mktemp("xlsx") / "tiny.xlsx"
    write_dataset_xlsx(tiny_dataset, path)
    return path.read_bytes()


@pytest.fixture(scope="session")
def tiny_csv(tiny_dataset: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from rotation.io.writing import write_dataset

    folder = tmp_path_factory.mktemp("csv")
    write_dataset(tiny_dataset, folder)
    return {f.name: f.read_bytes() for f in sorted(folder.glob("*.csv"))}
