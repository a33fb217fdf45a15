"""The annual plan as an officer uses it: the CLI's files, determinism, policy levers
that move the plan the way they should, progress and early stop, and the real-sized
county against the greedy office baseline."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from rotation.checker import check_plan
from rotation.io import COMPLIANCE_COLUMNS, PLAN_COLUMNS, write_dataset
from rotation.metrics import PRIORITY_CLASSES
from rotation.policy import Policy
from sample_data import generate
from solver.options import SolveOptions
from solver.plan_year import plan_year
from workflows.plan import run_plan as plan_and_check

YEAR = 2026
runner = CliRunner()


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    write_dataset(generate("small", seed=3, year=YEAR), folder)
    return folder


def run_plan(folder: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(
        app,
        ["plan", "--data", str(folder), "--year", str(YEAR), "--out", str(out), "--quiet", *extra],
    )
    assert result.exit_code == 0, result.output
    assert "独立校验：通过" in result.output


def test_cli_writes_the_contract_files(small_folder: Path, tmp_path: Path) -> None:
    run_plan(small_folder, tmp_path)
    with (tmp_path / "plan.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(PLAN_COLUMNS)
    assert all(r["reasons"] for r in rows)
    with (tmp_path / "compliance.csv").open(encoding="utf-8") as f:
        assert list(next(csv.DictReader(f))) == list(COMPLIANCE_COLUMNS)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["metrics"]["check"]["ok"] and summary["metrics"]["moved"] == len(rows)
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "plan.xlsx").sheetnames == [
        "方案概况",
        "交流名单",
        "学校达标情况",
        "指标对比",
        "未填补岗位",
        "校长交流",  # the sample has principals (issue 18)
        "走教安排",  # and 走教 hour needs (issue 18)
        "支教",  # every plan has the forms' sheets, empty or not
        "跟岗学习",
    ]


@pytest.mark.parametrize("backend", ["highs", "cpsat"])
def test_same_input_gives_a_byte_identical_plan(
    small_folder: Path, tmp_path: Path, backend: str
) -> None:
    run_plan(small_folder, tmp_path / "a", "--backend", backend, "--seed", "7", "--workers", "1")
    run_plan(small_folder, tmp_path / "b", "--backend", backend, "--seed", "7", "--workers", "1")
    assert (tmp_path / "a" / "plan.csv").read_bytes() == (tmp_path / "b" / "plan.csv").read_bytes()
    assert (tmp_path / "a" / "compliance.csv").read_bytes() == (
        tmp_path / "b" / "compliance.csv"
    ).read_bytes()


def test_locks_file_is_read_and_honoured(small_folder: Path, tmp_path: Path) -> None:
    dataset = generate("small", seed=3, year=YEAR)
    first = plan_year(dataset, YEAR, Policy())
    moved = first.assignments[0]
    locks = tmp_path / "locks.csv"
    locks.write_text(
        f"类型,教师编号,学校编号,备注\n留任,{moved.teacher_id},,家庭原因\n", encoding="gb18030"
    )
    run_plan(small_folder, tmp_path / "out", "--locks", str(locks))
    ids = {
        r["teacher_id"]
        for r in csv.DictReader((tmp_path / "out" / "plan.csv").open(encoding="utf-8"))
    }
    assert moved.teacher_id not in ids


def test_bad_locks_file_names_row_and_column(small_folder: Path, tmp_path: Path) -> None:
    locks = tmp_path / "locks.csv"
    locks.write_text(
        "kind,teacher_id,school_id\nstay,NOBODY,\nmove,T000001,S001\n", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "plan",
            "--data",
            str(small_folder),
            "--year",
            "2026",
            "--out",
            str(tmp_path / "o"),
            "--locks",
            str(locks),
        ],
    )
    assert result.exit_code == 1
    assert "第2行" in result.output and "NOBODY" in result.output and "第3行" in result.output
    assert not (tmp_path / "o").exists()


def test_bad_policy_override_is_refused(small_folder: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "plan",
            "--data",
            str(small_folder),
            "--year",
            "2026",
            "--out",
            str(tmp_path),
            "--set",
            "rotation_rate=1.5",
        ],
    )
    assert result.exit_code == 2 and "rotation_rate" in result.output


def test_higher_rate_moves_more_teachers() -> None:
    dataset = generate("small", seed=5, year=YEAR)
    low = plan_year(dataset, YEAR, Policy(rotation_rate=0.10, max_rotation_rate=0.10))
    high = plan_year(dataset, YEAR, Policy(rotation_rate=0.20, max_rotation_rate=0.20))
    assert sum(r.required for r in high.compliance) > sum(r.required for r in low.compliance)
    assert high.metrics.moved > low.metrics.moved


def test_progress_is_reported_and_a_stop_keeps_a_plan() -> None:
    dataset = generate("small", seed=2, year=YEAR)
    seen = []
    plan = plan_and_check(dataset, YEAR, Policy(), progress=seen.append, should_stop=lambda: True)
    phases = [p.phase for p in seen]
    assert phases[0] == "candidates" and phases[-1] == "done" and "solve" in phases
    assert check_plan(dataset, plan, Policy()).ok


@pytest.fixture(scope="module")
def longchuan():
    return generate("longchuan", seed=1, year=YEAR)


def test_longchuan_meets_every_quota_and_beats_greedy(longchuan) -> None:
    policy = Policy()
    plan = plan_and_check(
        longchuan, YEAR, policy, options=SolveOptions(time_limit=120, relative_gap=0.01)
    )
    greedy = plan_year(longchuan, YEAR, policy, options=SolveOptions(backend="greedy"))
    assert plan.check is not None and plan.check.ok
    # every shortfall that remains is one the greedy office plan has too (the data's, not the solver's)
    short = {r.school_id for r in plan.compliance if not r.met}
    assert short <= {r.school_id for r in greedy.compliance if not r.met}
    assert plan.metrics.quota_units_met >= greedy.metrics.quota_units_met
    by_class, greedy_class = plan.metrics.needs_by_priority, greedy.metrics.needs_by_priority
    assert by_class["三所学校"].filled > greedy_class["三所学校"].filled
    assert plan.metrics.needs_filled > greedy.metrics.needs_filled
    assert set(by_class) == set(PRIORITY_CLASSES)

    # the balanced-development indicators: fewer schools below the PE/arts and backbone standards
    def below(p, key):
        return sum(r.schools_below_after for r in p.metrics.indicators if r.indicator == key)

    assert below(plan, "backbone") <= below(greedy, "backbone")
    assert below(plan, "arts_pe") <= below(greedy, "arts_pe")


def test_higher_backbone_share_moves_more_backbone_teachers() -> None:
    # small shows the lever as well as longchuan did (9 backbone moves against 5), in a second
    small = generate("small", seed=1, year=YEAR)
    options = SolveOptions(time_limit=60, relative_gap=0.01)
    base = plan_year(small, YEAR, Policy(backbone_share=0.2), options=options)
    more = plan_year(small, YEAR, Policy(backbone_share=0.5), options=options)
    assert more.metrics.backbone_moved > base.metrics.backbone_moved
    for row in more.compliance:  # the share is judged county-wide (backbone_scope county)
        assert row.role != "county" or not row.met or 2 * row.backbone_rotated >= row.rotated
    assert any(row.role == "county" for row in more.compliance)
