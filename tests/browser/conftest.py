"""Fixtures of the browser tests: one server and one headless Chromium for the module."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
for extra in (HERE, HERE.parent / "fixtures"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from browser_support import (  # noqa: E402
    OFFICER,
    REVOKED,
    VIEWER,
    Server,
    chromium_problem,
    make_driver,
    running_server,
)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    tmp = tmp_path_factory.mktemp("console")
    tokens = f"{OFFICER}:officer,{VIEWER}:viewer"
    with running_server(tmp, tokens) as srv:
        yield srv


@pytest.fixture(scope="session")
def held_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The service whose solves last until stopped (tests/api/api_test_solver.py)."""
    problem = chromium_problem()
    if problem:
        pytest.fail(problem, pytrace=False)
    tmp = tmp_path_factory.mktemp("console-held")
    api_tests = str(HERE.parent / "api")
    path = os.pathsep.join(p for p in (api_tests, os.environ.get("PYTHONPATH", "")) if p)
    with running_server(
        tmp,
        f"{OFFICER}:officer,{VIEWER}:viewer",
        ROTATION_SOLVE_ENTRY="api_test_solver:plan_year",
        PYTHONPATH=path,
    ) as srv:
        yield srv


@pytest.fixture(scope="session")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="session")
def driver(server: Server, downloads: Path) -> Iterator[Any]:
    d = make_driver(downloads)
    try:
        yield d
    finally:
        d.quit()


@pytest.fixture(scope="session")
def small_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from rotation.io.writing import write_dataset_xlsx
    from sample_data import generate

    path = tmp_path_factory.mktemp("roster") / "small.xlsx"
    write_dataset_xlsx(generate("small", seed=1, year=2026), path)
    return path


@pytest.fixture(scope="session")
def bad_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from io_roster import write_roster

    return write_roster("xlsx", tmp_path_factory.mktemp("bad"), [("teachers", 3, "title", "高极")])


@pytest.fixture(scope="session")
def revoked_token() -> str:
    return REVOKED
