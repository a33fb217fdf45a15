"""What-if sweeps as the bureau uses them: a grid of policies planned side by side, each plan
checked, the figures moving the way the policy says, failures reported, and two plans diffed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from rotation.checker import check_plan
from rotation.io import write_dataset
from rotation.models import Dataset
from rotation.plan_diff import (
    PlanDiff,
    diff_figures,
    format_plan_diff,
    plan_diff,
    plan_diff_files,
    policy_changes,
)
from rotation.policy import Policy, PolicyError
from rotation.scenarios import Scenario, plan_figures, scenario_grid
from sample_data import generate
from solver.options import SolveOptions
from solver.sweep import SweepResult
from workflows.sweep import run_sweep

YEAR = 2026
OPTIONS = SolveOptions(backend="highs", time_limit=5)
# "exactly 10 %" against "exactly 20 %": the rate is a floor, the ceiling moves with it so
# that the rate alone decides how many go (with the default 30 % ceiling the small county's
# 19 declared posts are filled under every rate).
GRID = ["rotation_rate+max_rotation_rate=0.10,0.20", "backbone_share=0.2,0.4"]


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate("small", seed=1, year=YEAR)


@pytest.fixture(scope="module")
def sweep(small: Dataset) -> SweepResult:
    grid = scenario_grid(GRID)
    return run_sweep(small, YEAR, Policy(), grid, options=OPTIONS, executor="local", workers=2)


# ------------------------------------------------------------------ the grid
def test_grid_lists_every_combination_each_one_step_from_the_last() -> None:
    grid = scenario_grid(
        ["rotation_rate=0.10,0.15,0.20", "backbone_share=0.2,0.3"], ["term_years=1"]
    )
    combos = {(s.overrides["rotation_rate"], s.overrides["backbone_share"]) for s in grid}
    assert combos == {(r, b) for r in (0.10, 0.15, 0.20) for b in (0.2, 0.3)}
    assert all(s.overrides["term_years"] == 1 for s in grid)
    assert [s.scenario_id for s in grid] == ["S01", "S02", "S03", "S04", "S05", "S06"]
    for prev, cur in zip(grid, grid[1:], strict=False):
        changed = [k for k in cur.varied if cur.varied[k] != prev.varied[k]]
        assert len(changed) == 1, (prev.label, cur.label)


def test_linked_parameters_take_the_same_value() -> None:
    grid = scenario_grid(["rotation_rate+max_rotation_rate=0.1,0.2"])
    assert [(s.overrides["rotation_rate"], s.overrides["max_rotation_rate"]) for s in grid] == [
        (0.1, 0.1),
        (0.2, 0.2),
    ]
    assert (
        scenario_grid(["quota_stages=primary;primary,junior"])[1]
        .policy(Policy())
        .quota_stages[1]
        .value
        == "junior"
    )


@pytest.mark.parametrize(
    ("vary", "words"),
    [
        ("rotaton_rate=0.1,0.2", "未知的政策参数"),
        ("rotation_rate", "key=v1,v2"),
        ("rotation_rate=0.1,0.1", "取值重复"),
        ("rotation_rate=0.5", "max_rotation_rate"),  # 0.5 above the default 0.30 ceiling
    ],
)
def test_bad_grids_are_refused_in_words(vary: str, words: str) -> None:
    with pytest.raises(PolicyError, match=words):
        scenario_grid([vary])


# ------------------------------------------------------------------ the 2×2 sweep
def test_two_by_two_sweep_plans_four_checked_scenarios(sweep: SweepResult, small: Dataset) -> None:
    assert len(sweep.outcomes) == 4
    assert [o.scenario.scenario_id for o in sweep.outcomes] == ["S01", "S02", "S03", "S04"]
    for o in sweep.outcomes:
        assert o.ok, o.error
        assert o.plan is not None
        policy = o.scenario.policy(Policy())
        assert policy.rotation_rate == o.scenario.overrides["rotation_rate"]
        report = check_plan(small, o.plan, policy)
        assert report.ok, report.summary_zh()
        assert o.row == {**o.row, **plan_figures(o.plan)}
    # neighbouring scenarios in a chain start from the previous plan
    assert any(o.hinted for o in sweep.outcomes)
    json.loads(sweep.model_dump_json())  # the API can return it as is


def test_higher_rate_moves_more_and_backbone_share_raises_backbone(sweep: SweepResult) -> None:
    rows = {
        (o.scenario.overrides["rotation_rate"], o.scenario.overrides["backbone_share"]): o.row
        for o in sweep.outcomes
    }
    for share in (0.2, 0.4):
        low, high = rows[(0.10, share)], rows[(0.20, share)]
        assert high["required"] > low["required"]
        assert high["moved"] > low["moved"]
        assert high["needs_filled"] >= low["needs_filled"]
    for rate in (0.10, 0.20):
        low, high = rows[(rate, 0.2)], rows[(rate, 0.4)]
        assert high["backbone_required"] > low["backbone_required"]
        assert high["backbone_moved"] >= low["backbone_moved"]
    for r in rows.values():
        assert r["quota_units_met"] + r["shortfalls"] == r["quota_units"]
        assert r["moved"] <= r["needs_open"]


def test_a_failing_scenario_is_retried_then_reported_without_losing_the_others(
    small: Dataset,
) -> None:
    good = scenario_grid(["rotation_rate=0.10,0.15"])
    bad = Scenario(
        index=2, scenario_id="S03", label="rotation_rate=2", overrides={"rotation_rate": 2.0}
    )
    result = run_sweep(
        small, YEAR, Policy(), [*good, bad], options=OPTIONS, executor="serial", retries=1
    )
    assert [o.ok for o in result.outcomes] == [True, True, False]
    failed = result.outcomes[2]
    assert failed.attempts == 2
    assert "rotation_rate" in failed.error
    assert failed.row["status"].startswith("failed")
    assert result.failed == [failed]


# ------------------------------------------------------------------ diff
def test_plan_diff_accounts_for_every_teacher(sweep: SweepResult) -> None:
    a, b = sweep.outcomes[0].plan, sweep.outcomes[2].plan
    assert a is not None and b is not None
    d = plan_diff(a, b)
    ma, mb = a.moves, b.moves
    assert {c.teacher_id for c in d.only_a} == set(ma) - set(mb)
    assert {c.teacher_id for c in d.only_b} == set(mb) - set(ma)
    assert {c.teacher_id for c in d.elsewhere} == {t for t in set(ma) & set(mb) if ma[t] != mb[t]}
    assert d.same + len(d.elsewhere) == len(set(ma) & set(mb))
    moved = next(f for f in d.figures if f.key == "moved")
    assert (moved.a, moved.b, moved.delta) == (len(ma), len(mb), len(mb) - len(ma))
    assert plan_diff(a, a).identical_moves


def test_diff_names_figures_in_words_and_the_policies_that_differ() -> None:
    a = {"moved": 10, "objective": 3956.3, "cv_junior_arts_pe": 0.4}
    b = {"moved": 12, "objective": -8613.8, "cv_junior_arts_pe": 0.3}
    diff = PlanDiff(
        figures=diff_figures(a, b),
        policy_changes=policy_changes({"rotation_rate": 0.1}, {"rotation_rate": 0.15}),
    )
    zh = format_plan_diff(diff)
    assert "初中体育、艺术专任教师数差异系数: 0.4 → 0.3" in zh and "arts_pe" not in zh
    assert "目标值" not in zh and "3956.3" not in zh
    assert "政策参数不同" in zh and "rotation_rate: 0.1 → 0.15" in zh
    en = format_plan_diff(diff, "en")
    assert "junior CV of PE and arts teachers: 0.4 → 0.3" in en and "teachers moved: 10 → 12" in en
    same = PlanDiff(figures=diff_figures(a, b), policy_changes=policy_changes({"x": 1}, {"x": 1}))
    assert "政策参数不同" not in format_plan_diff(same)


# ------------------------------------------------------------------ the commands
def test_whatif_and_diff_commands_write_the_comparison(small: Dataset, tmp_path: Path) -> None:
    data = tmp_path / "small"
    write_dataset(small, data)
    out = tmp_path / "whatif"
    runner = CliRunner()
    argv = [
        "whatif",
        "--data",
        str(data),
        "--year",
        str(YEAR),
        "--out",
        str(out),
        "--quiet",
        "--time-limit",
        "5",
        "--executor",
        "serial",
    ]
    for v in GRID:
        argv += ["--vary", v]
    result = runner.invoke(app, argv)
    assert result.exit_code == 0, result.output
    with (out / "comparison.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert "交流教师人数 / moved" in rows[0]
    assert [r[0] for r in rows[1:]] == ["S01", "S02", "S03", "S04"]
    assert (out / "comparison.png").stat().st_size > 0
    for sid in ("S01", "S02", "S03", "S04"):
        assert (out / "scenarios" / sid / "plan.csv").is_file()
        assert (out / "scenarios" / sid / "compliance.csv").is_file()
    summary = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    assert len(summary["outcomes"]) == 4

    d = plan_diff_files(out / "scenarios" / "S01", out / "scenarios" / "S04")
    shown = runner.invoke(
        app, ["diff", str(out / "scenarios" / "S01"), str(out / "scenarios" / "S04")]
    )
    assert shown.exit_code == 0, shown.output
    assert f"仅 B 交流 {len(d.only_b)} 人" in shown.output
    assert "交流教师人数" in shown.output
    # the scenarios differ in policy: said so, and no objective compared across them
    assert d.policy_changes and "政策参数不同" in shown.output
    assert "目标值" not in shown.output and "县级及以上骨干教师数差异系数" in shown.output

    bad = runner.invoke(
        app,
        [
            "whatif",
            "--data",
            str(data),
            "--year",
            str(YEAR),
            "--out",
            str(out),
            "--vary",
            "rotaton_rate=0.1",
        ],
    )
    assert bad.exit_code == 2
    assert "未知的政策参数" in bad.output


def test_a_comparison_chart_tick_names_the_scenario_by_its_parameters() -> None:
    from workflows.exports.charts import _scenario_tick

    tick = _scenario_tick({"scenario_id": "S02", "label": "rotation_rate=0.1, backbone_share=0.3"})
    assert tick.splitlines() == ["S02", "rotation_rate=0.1", "backbone_share=0.3"]
