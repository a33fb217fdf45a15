"""``--lang en`` is English: every command run on the tiny county prints no Chinese on stdout
but the names the roster holds (people, schools, towns), which are data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.db import make_engine, upgrade
from cli.main import app
from rotation.io import read_dataset

runner = CliRunner()
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("english")
    done = runner.invoke(app, ["sample", "--preset", "tiny", "--out", str(here / "tiny")])
    assert done.exit_code == 0, done.output
    return here


def english(stdout: str, names: list[str]) -> str:
    """What is left of stdout once the roster's names are taken out: it must be English."""
    for name in sorted(names, key=len, reverse=True):
        stdout = stdout.replace(name, "")
    return stdout


def test_every_command_speaks_english_with_lang_en(county: Path) -> None:
    data = county / "tiny"
    dataset = read_dataset(data)
    names = [s.name for s in dataset.schools] + [t.name for t in dataset.teachers]
    names += [s.town for s in dataset.schools if getattr(s, "town", None)]
    engine = make_engine(f"sqlite:///{county / 'service.db'}")
    upgrade(engine)
    engine.dispose()
    d, o = str(data), county
    commands: list[list[str]] = [
        ["sample", "--preset", "tiny", "--out", str(o / "again")],
        ["check-data", d, "--year", "2026"],
        ["check-data", "--data", d, "--year", "2026", "--strict"],
        ["plan", "--data", d, "--year", "2026", "--out", str(o / "plan"), "--quiet"],
        ["check-plan", "--data", d, "--plan", str(o / "plan" / "plan.xlsx")],
        ["allocate", "--data", d, "--year", "2026", "--out", str(o / "alloc")],
        ["title-posts", "--data", d, "--senior", "10", "--intermediate", "20", "--out", str(o / "titles")],
        ["whatif", "--data", d, "--year", "2026", "--vary", "rotation_rate=0.10,0.15",
         "--out", str(o / "whatif"), "--executor", "serial", "--quiet"],
        ["diff", str(o / "whatif" / "scenarios" / "S01"), str(o / "whatif" / "scenarios" / "S02"),
         "--out", str(o / "diff")],
        ["outlook", "--data", d, "--from", "2026", "--to", "2027", "--out", str(o / "outlook"),
         "--executor", "serial", "--quiet"],
        ["apply", "--data", d, "--plan", str(o / "plan" / "plan.csv"), "--out", str(o / "next")],
        ["notices", "--data", d, "--plan", str(o / "plan" / "plan.csv"), "--out", str(o / "papers")],
        ["policy"],
        ["policy", "--toml"],
        ["backup", "--out", str(o / "backup.db"), "--database-url", f"sqlite:///{o / 'service.db'}"],
        ["restore", str(o / "backup.db"), "--database-url", f"sqlite:///{o / 'restored.db'}"],
    ]  # fmt: skip
    for args in commands:
        result = runner.invoke(app, [*args, "--lang", "en"])
        assert result.exit_code == 0, (args, result.output)
        assert result.stdout.strip(), args
        left = english(result.stdout, names)
        leaks = [line for line in left.splitlines() if CJK.search(line)]
        assert not leaks, (args[0], leaks[:5])
