"""The use-case layer: the solver solves, the workflow judges, and users see no change."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from rotation.io import read_dataset, write_compliance_csv, write_plan_csv
from rotation.policy import Policy
from sample_data import generate
from solver.options import SolveOptions
from solver.plan_year import plan_year
from workflows.plan import run_plan

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "fixtures" / "golden" / "small-s1-2026"
runner = CliRunner()


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_solver_module_imports_the_checker() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.startswith("rotation.checker"))
        for p in sorted((ROOT / "solver").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_solving_a_year_does_not_load_the_checker() -> None:
    code = (
        "import sys, solver.plan_year, solver.sweep, solver.assign_unplaced\n"
        "print('rotation.checker' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "False"


def test_no_lower_layer_imports_the_workflows() -> None:
    for package in ("rotation", "solver"):
        for p in sorted((ROOT / package).rglob("*.py")):
            assert not any(n.startswith("workflows") for n in _imports(p)), p


def test_the_solver_leaves_judging_to_the_workflow() -> None:
    dataset = generate("tiny", seed=1, year=2026)
    options = SolveOptions(time_limit=20)
    solved = plan_year(dataset, 2026, Policy(), options=options)
    checked = run_plan(dataset, 2026, Policy(), options=options)
    assert solved.check is None
    assert checked.check is not None and checked.check.ok
    assert checked.moves == solved.moves


def test_plan_files_are_byte_identical_to_main_before_the_workflows(tmp_path: Path) -> None:
    """The golden files were written by main's CLI before the use-case layer; a change of
    behaviour that is meant (a rule read differently) rewrites them in the same commit.
    The files are also those of the solver alone: the workflow never changes the plan."""
    data, out = tmp_path / "small", tmp_path / "plan"
    sample = runner.invoke(app, ["sample", "--preset", "small", "--seed", "1", "--out", str(data)])
    assert sample.exit_code == 0, sample.output
    result = runner.invoke(
        app, ["plan", "--data", str(data), "--year", "2026", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    direct = plan_year(read_dataset(data), 2026, Policy(), options=SolveOptions())
    write_plan_csv(direct, tmp_path / "direct" / "plan.csv")
    write_compliance_csv(direct, tmp_path / "direct" / "compliance.csv")
    for name in ("plan.csv", "compliance.csv"):
        assert (out / name).read_bytes() == (GOLDEN / name).read_bytes(), name
        assert (out / name).read_bytes() == (tmp_path / "direct" / name).read_bytes(), name


def test_a_shortfall_is_structured_by_rule_unit_and_cause_in_both_languages() -> None:
    from builders import YEAR, county, math_teachers, need, rural, school

    from rotation.plan_report import plan_summary

    teachers = math_teachers(5, "U1") + math_teachers(5, "U2", prefix="V")
    d = county([school("U1"), school("U2"), rural("R1")], teachers, [need("R1", 1)])
    policy = Policy(backbone_share=0)
    plan = run_plan(d, YEAR, policy, options=SolveOptions(time_limit=20, relative_gap=0.0))
    (row,) = [r for r in plan.compliance if not r.met]
    (short,) = [s for s in plan.shortfalls if s.rule == "rotation_quota"]
    assert short.unit == row.school_id
    codes = [c.code for c in short.causes]
    assert codes[0] == "rotation_short" and "conflict:others_keep_posts" in codes
    assert short.zh == row.shortfall_reason  # the compliance row says the same, in Chinese
    assert "taken by other schools" in short.en
    summary = plan_summary(plan, policy)
    (entry,) = summary["shortfalls"]
    assert [c["code"] for c in entry["causes"]] == codes
