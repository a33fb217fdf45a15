"""The CLI at the edges: bad arguments refused before any work, in words; no traceback;
a stop (SIGINT/SIGTERM) keeps the best plan, or says that none existed."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import cli.plan_commands
from cli.main import app, main
from rotation.io import write_dataset
from rotation.plan import Plan
from rotation.plan_report import format_plan_summary
from rotation.plan_results import SolveStats
from sample_data import generate
from solver.progress import Progress

YEAR = 2026
runner = CliRunner()


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_dataset(
        generate("small", seed=1, year=YEAR), tmp_path_factory.mktemp("small") / "data"
    )


@pytest.fixture
def no_solving(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arguments must be refused before any solving starts."""

    def refuse_to_solve(*args: Any, **kwargs: Any) -> Plan:
        raise AssertionError("solving started before the arguments were checked")

    monkeypatch.setattr(cli.plan_commands, "run_plan", refuse_to_solve)


def plan_args(data: Path, out: Path, *extra: str) -> list[str]:
    return ["plan", "--data", str(data), "--year", str(YEAR), "--out", str(out), "--quiet", *extra]


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--time-limit", "0", "--time-limit 须大于 0"),
        ("--gap", "-1", "--gap 须在 0 到 1 之间"),
        ("--workers", "0", "--workers 须为 1 到 64 之间的整数"),
        ("--backend", "gurobi", "--backend 应为"),
    ],
)
def test_an_unusable_solve_option_is_refused_in_both_languages_before_solving(
    small_folder: Path, tmp_path: Path, no_solving: None, option: str, value: str, words: str
) -> None:
    result = runner.invoke(app, plan_args(small_folder, tmp_path / "out", option, value))
    assert result.exit_code == 2
    assert words in result.output and " / " + option in result.output
    assert "pydantic" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_out_naming_an_existing_file_is_refused_before_solving(
    small_folder: Path, tmp_path: Path, no_solving: None
) -> None:
    existing = tmp_path / "plan.txt"
    existing.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, plan_args(small_folder, existing))
    assert result.exit_code == 2
    assert "已存在且不是文件夹" in result.output and "exists and is not a folder" in result.output
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_the_summary_states_the_status_in_words_and_no_objective_value() -> None:
    plan = Plan(
        year=YEAR,
        assignments=(),
        solve=SolveStats(
            status="feasible", objective=120.0, bound=None, gap=0.25, solver_status="feasible"
        ),
    )
    text = format_plan_summary(plan, generate("tiny", seed=1, year=YEAR))
    assert "状态：可行（间隙 25.0%）" in text
    assert "目标值" not in text and "120.0" not in text and "feasible" not in text
    english = format_plan_summary(plan, generate("tiny", seed=1, year=YEAR), "en")
    assert "status: feasible (gap 25.0%)" in english and "objective" not in english
    greedy = plan.model_copy(update={"status": "greedy"})
    assert "状态：办公室初始方案" in format_plan_summary(
        greedy, generate("tiny", seed=1, year=YEAR)
    )


def test_an_unexpected_failure_is_one_bilingual_line_and_status_4(
    small_folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Plan:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cli.plan_commands, "run_plan", broken)
    monkeypatch.delenv("ROTATION_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(plan_args(small_folder, tmp_path / "out"))
    assert exit_info.value.code == 4
    err = capsys.readouterr().err
    assert "内部错误" in err and "internal error" in err and "disk on fire" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def signal_at(monkeypatch: pytest.MonkeyPatch, phase: str, sig: int = signal.SIGINT) -> None:
    """Send ``sig`` to this process the first time the plan reports ``phase``."""
    real = cli.plan_commands.run_plan
    sent: list[bool] = []

    def run_plan(*args: Any, progress: Any = None, **kwargs: Any) -> Plan:
        def report(p: Progress) -> None:
            progress(p)
            if p.phase == phase and not sent:
                sent.append(True)
                os.kill(os.getpid(), sig)

        return real(*args, progress=report, **kwargs)

    monkeypatch.setattr(cli.plan_commands, "run_plan", run_plan)


def test_a_stop_before_any_plan_exists_writes_nothing_and_says_so(
    small_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signal_at(monkeypatch, "candidates")
    result = runner.invoke(app, plan_args(small_folder, tmp_path / "out"))
    assert result.exit_code == 130
    assert "已中断" in result.output and "nothing was written" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_while_solving_writes_the_best_plan_marked_interrupted(
    small_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sig: int
) -> None:
    signal_at(monkeypatch, "solve", sig)
    out = tmp_path / "out"
    result = runner.invoke(app, plan_args(small_folder, out))
    assert result.exit_code == 130, result.output
    assert "已中断" in result.output and "interrupted" in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True and summary["metrics"]["interrupted"] is True
    assert summary["metrics"]["check"]["ok"]
    assert (out / "plan.csv").read_text(encoding="utf-8").count("\n") - 1 == summary["metrics"][
        "moved"
    ]
    wb = openpyxl.load_workbook(out / "plan.xlsx")
    assert wb.sheetnames[0] == "方案概况"
    overview = {r[0]: r[1] for r in wb["方案概况"].iter_rows(values_only=True)}
    assert str(overview["方案状态"]).startswith("已中断")
    # the handlers are restored afterwards
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def whatif_args(data: Path, out: Path) -> list[str]:
    return [
        "whatif", "--data", str(data), "--year", str(YEAR), "--out", str(out), "--quiet",
        "--vary", "rotation_rate=0.10,0.15", "--executor", "serial", "--time-limit", "20",
    ]  # fmt: skip


def test_a_stopped_sweep_keeps_the_scenarios_already_planned(
    small_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cli.whatif_commands

    real = cli.whatif_commands.run_sweep

    def run_sweep(*args: Any, **kwargs: Any) -> Any:
        report = args[7]

        def then_stop(p: Any) -> None:
            report(p)
            if p.done == 1:
                os.kill(os.getpid(), signal.SIGINT)  # after the first scenario is planned

        return real(*args[:7], then_stop, **kwargs)

    monkeypatch.setattr(cli.whatif_commands, "run_sweep", run_sweep)
    out = tmp_path / "whatif"
    result = runner.invoke(app, whatif_args(small_folder, out))
    assert result.exit_code == 130, result.output
    assert "已中断" in result.output
    assert (out / "scenarios" / "S01" / "plan.csv").exists()
    assert not (out / "scenarios" / "S02").exists()
    rows = (out / "comparison.csv").read_text(encoding="utf-8")
    assert "已取消" in rows


def test_a_sweep_stopped_before_its_first_plan_writes_nothing(
    small_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cli.whatif_commands

    real = cli.whatif_commands.run_sweep

    def run_sweep(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)  # before any scenario is planned
        return real(*args, **kwargs)

    monkeypatch.setattr(cli.whatif_commands, "run_sweep", run_sweep)
    out = tmp_path / "whatif"
    result = runner.invoke(app, whatif_args(small_folder, out))
    assert result.exit_code == 130
    assert "nothing was written" in result.output and not out.exists()


@pytest.mark.parametrize(
    "extra", [["--time-limit", "abc"], ["--bogus"]], ids=["not-a-number", "unknown-option"]
)
def test_a_malformed_command_line_is_one_bilingual_line_and_status_2(
    small_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(plan_args(small_folder, tmp_path / "out", *extra))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("参数有误 / invalid arguments:") and "rotation plan --help" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_sample_refuses_an_out_that_is_a_file_before_generating(tmp_path: Path) -> None:
    existing = tmp_path / "roster"
    existing.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["sample", "--preset", "small", "--out", str(existing)])
    assert result.exit_code == 2 and "exists and is not a folder" in result.output
    assert existing.read_text(encoding="utf-8") == "keep me"


_LOADING_INTERRUPTED = """
import sys

class Interrupt:  # Ctrl-C while the command's modules are still loading
    def find_spec(self, name, path=None, target=None):
        if name == "cli.main":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
from cli.entry import main
main()
"""


def test_a_stop_while_the_command_is_still_loading_ends_in_words_not_a_traceback() -> None:
    """Ctrl-C in the first second of `rotation plan` (while the solvers are imported) printed
    a KeyboardInterrupt traceback and SIGTERM killed it without a word."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _LOADING_INTERRUPTED], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 130, done.stderr
    assert "已中断" in done.stderr and "Traceback" not in done.stderr
    from cli.entry import _terminate

    with pytest.raises(KeyboardInterrupt):  # SIGTERM reads as Ctrl-C until a command's own
        _terminate(signal.SIGTERM, None)
