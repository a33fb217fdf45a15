"""The benchmark runner works end to end on the small preset, and its table has every
column for every solver."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.instances import SERIES_SIZES, instances_named, load_instance, series_instance
from bench.measure import SOLVERS, first_at_gap
from bench.pulp_peer import parse_cbc_log
from bench.report import COLUMNS, README_END, README_START, update_readme
from bench.run import main


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    code = main(["--quick", "--instances", "small-s1", "--time-limit", "5", "--out", str(out)])
    assert code == 0
    return out


def test_runner_writes_table_plots_and_rows(quick_run: Path) -> None:
    md = (quick_run / "results.md").read_text(encoding="utf-8")
    assert "cores" in md and "GB RAM" in md and "highspy" in md and "ortools" in md and "pulp" in md
    assert (quick_run / "time_to_gap.png").stat().st_size > 1000
    assert (quick_run / "peak_memory.png").stat().st_size > 1000
    lines = [line for line in md.splitlines() if line.startswith("| small-s1 |")]
    solvers = {line.split("|")[3].strip() for line in lines}
    assert solvers >= set(SOLVERS)
    header = next(line for line in md.splitlines() if line.startswith("| 实例 instance | 教师"))
    assert len(header.split("|")) - 2 == len(COLUMNS)
    table_rows = lines[: len(SOLVERS)]
    for line in table_rows:
        cells = [c.strip() for c in line.split("|")[1:-1]]
        assert len(cells) == len(COLUMNS)
        assert all(cells), line


def test_every_solver_gives_a_checked_plan_meeting_quotas(quick_run: Path) -> None:
    rows = [json.loads(line) for line in (quick_run / "rows.jsonl").read_text().splitlines()]
    by_solver = {r["solver"]: r for r in rows}
    assert set(by_solver) == set(SOLVERS)
    for solver, r in by_solver.items():
        assert r["check_ok"], (solver, r)
        assert r["peak_rss_mb"] > 10
        assert r["total_s"] < 60
        assert r["teachers"] > 300
    for solver in ("highs", "cpsat", "scip", "pulp_cbc"):
        r = by_solver[solver]
        assert r["time_to_gap_s"] is not None and r["gap"] <= 0.01 + 1e-9
        assert r["first_feasible_s"] <= r["time_to_gap_s"] + 1e-9
        assert r["quota_units_met"] == r["quota_units"]
        # the optimiser never does worse than the office's greedy plan on the same objective
        assert r["objective"] >= by_solver["greedy"]["objective"]
        assert r["needs_filled"] >= by_solver["greedy"]["needs_filled"]
    # the ratio table compares against the default backend, the peer and greedy
    md = (quick_run / "results.md").read_text(encoding="utf-8")
    assert "pulp ÷ highs" in md and "vs greedy" in md


def test_first_at_gap_picks_the_first_point_within_the_gap() -> None:
    points = [(0.5, 100.0, 0.2), (1.0, 110.0, 0.05), (2.0, 111.0, 0.009), (3.0, 112.0, 0.0)]
    assert first_at_gap(points, 0.01) == 2.0
    assert first_at_gap(points, 0.0) == 3.0
    assert first_at_gap(points[:2], 0.01) is None


def test_cbc_log_is_read_back_as_a_maximisation() -> None:
    log = (
        "Cbc0012I Integer solution of -1234.5 found by DiveCoefficient after 10 iterations "
        "and 0 nodes (0.52 seconds)\n"
        "Cbc0004I Integer solution of -1300 found after 50 iterations and 3 nodes (1.10 seconds)\n"
        "Result - Stopped on time limit\n\n"
        "Objective value:                -1300.00000000\n"
        "Lower bound:                    -1310.000\n"
    )
    solutions, objective, bound = parse_cbc_log(log)
    assert solutions == [(0.52, 1234.5), (1.10, 1300.0)]
    assert objective == 1300.0 and bound == 1310.0


def test_scaling_series_spans_1k_to_50k_and_names_round_trip() -> None:
    assert SERIES_SIZES[0] == 1_000 and SERIES_SIZES[-1] == 50_000
    smallest = load_instance(series_instance(1_000))
    assert 700 <= len(smallest.teachers) <= 1_500
    names = ["longchuan-s2", "series-20k", "small-s1"]
    assert [i.name for i in instances_named(names)] == names
    with pytest.raises(ValueError):
        instances_named(["nonsense"])


def test_readme_section_is_replaced_not_appended(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Bench\n\nintro\n", encoding="utf-8")
    update_readme(readme, "first\n")
    update_readme(readme, "second\n")
    text = readme.read_text(encoding="utf-8")
    assert text.count(README_START) == 1 and text.count(README_END) == 1
    assert "second" in text and "first" not in text and text.startswith("# Bench")


def test_shape_table_judges_each_instance_against_its_size_reference_by_median() -> None:
    from bench.report import shape_table

    def row(instance: str, teachers: int, to_gap: float | None, repeat: int) -> dict[str, object]:
        return {
            "instance": instance,
            "teachers": teachers,
            "solver": "highs",
            "time_to_gap_s": to_gap,
            "needs_open": 100,
            "repeat": repeat,
        }

    rows = [row("longchuan-s1", 10_000, t, k) for k, t in enumerate((1.0, 9.0, 1.0))]
    rows += [row("many_posts-s1", 10_000, t, k) for k, t in enumerate((2.0, 3.5, 2.0))]
    rows += [row("small_schools-s1", 5_000, t, k) for k, t in enumerate((2.0, 2.0, 2.0))]
    rows += [row("bare-s1", 10_000, t, k) for k, t in enumerate((0.5, None, 0.5))]
    rows += [row("city-s1", 40_000, 8.0, 0), row("big_county-s1", 30_000, 3.0, 0)]
    rows += [row("small-s1", 400, 0.2, 0), row("bare_small-s1", 400, 0.3, 0)]
    lines = {line.split("|")[1].strip(): line for line in shape_table(rows).splitlines()[2:]}
    assert "| 2.00× | ✓" in lines["many_posts-s1"]  # median 2.0 s against longchuan's 1.0 s
    assert "| 4.00× | ✗" in lines["small_schools-s1"]  # 0.4 s per 1,000 against 0.1 s
    assert "未达间隙" in lines["bare-s1"]  # one repeat missed the gap
    assert "city | 0.50× | ✓" in lines["big_county-s1"]
    assert "small | 1.50× | ✓" in lines["bare_small-s1"]  # test-sized: against small
