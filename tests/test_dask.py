"""The Dask executor against a LocalCluster started here on 127.0.0.1: the same results as the
local process pool, in grid order, and a failing task retried then reported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rotation.models import Dataset
from rotation.policy import Policy
from rotation.scenarios import Scenario, scenario_grid
from sample_data import generate
from solver.options import SolveOptions
from solver.sweep import start_local_cluster
from workflows.outlook import run_outlook_sweep
from workflows.sweep import run_sweep

YEAR = 2026
OPTIONS = SolveOptions(backend="highs", time_limit=5)
VOLATILE = {"seconds"}


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster, client = start_local_cluster(2)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate("small", seed=2, year=YEAR)


def _stable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in VOLATILE}


def test_dask_gives_the_same_results_as_the_process_pool(client: Any, small: Dataset) -> None:
    assert all(addr.startswith("tcp://127.0.0.1") for addr in client.scheduler_info()["workers"])
    grid = scenario_grid(
        ["rotation_rate+max_rotation_rate=0.10,0.15,0.20", "backbone_share=0.2,0.3"]
    )
    local = run_sweep(small, YEAR, Policy(), grid, options=OPTIONS, executor="local", workers=2)
    dask = run_sweep(
        small, YEAR, Policy(), grid, options=OPTIONS, executor="dask", client=client, workers=2
    )
    assert dask.executor == "dask"
    assert [o.scenario.scenario_id for o in dask.outcomes] == [s.scenario_id for s in grid]
    assert all(o.ok for o in dask.outcomes)
    for a, b in zip(local.outcomes, dask.outcomes, strict=True):
        assert a.plan is not None and b.plan is not None
        assert a.plan.moves == b.plan.moves, a.scenario.label
        assert _stable(a.row) == _stable(b.row)
        assert a.hinted == b.hinted


def test_a_failed_dask_task_is_retried_and_reported(client: Any, small: Dataset) -> None:
    good = scenario_grid(["backbone_share=0.2,0.3"])
    bad = Scenario(index=2, scenario_id="S03", label="term_years=99", overrides={"term_years": 99})
    result = run_sweep(
        small,
        YEAR,
        Policy(),
        [good[0], bad, good[1]],
        options=OPTIONS,
        executor="dask",
        client=client,
        retries=2,
    )
    assert [o.scenario.scenario_id for o in result.outcomes] == ["S01", "S03", "S02"]
    assert [o.ok for o in result.outcomes] == [True, False, True]
    assert result.outcomes[1].attempts == 3
    assert "term_years" in result.outcomes[1].error


def test_outlooks_run_as_dask_tasks(client: Any, small: Dataset) -> None:
    grid = scenario_grid(["term_years=1,2"])
    local = run_outlook_sweep(small, 2026, 2027, Policy(), grid, options=OPTIONS, executor="serial")
    dask = run_outlook_sweep(
        small, 2026, 2027, Policy(), grid, options=OPTIONS, executor="dask", client=client
    )
    for a, b in zip(local.outcomes, dask.outcomes, strict=True):
        assert a.outlook is not None and b.outlook is not None
        assert [p.moves for p in a.outlook.plans] == [p.moves for p in b.outlook.plans]
        assert a.outlook.first_year_meeting_standard == b.outlook.first_year_meeting_standard
