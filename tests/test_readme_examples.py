"""Every example of the README's "A season from the command line" block runs as it stands,
on the county `make demo` creates (longchuan, seed 1, planned for 2026)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROTATION = Path(sys.executable).with_name("rotation")


def walkthrough() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### A season from the command line", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the README lost its walkthrough block"
    return [
        line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")
    ]


def run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    args = shlex.split(line)
    assert args[0] == "rotation", line
    return subprocess.run(
        [str(ROTATION), *args[1:]],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `make demo` leaves behind: out/longchuan and out/plan."""
    here = tmp_path_factory.mktemp("readme")
    for line in (
        "rotation sample --preset longchuan --seed 1 --out out/longchuan",
        "rotation plan --data out/longchuan --year 2026 --out out/plan",
    ):
        done = run(line, here)
        assert done.returncode == 0, (line, done.stdout, done.stderr)
    return here


def test_the_makefile_demo_makes_the_county_the_walkthrough_uses() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "rotation sample --preset $(PRESET) --seed $(SEED) --out $(OUT)/$(PRESET)" in makefile
    assert "--out $(OUT)/plan" in makefile
    assert re.search(r"^PRESET \?= longchuan$", makefile, re.M)


def test_every_walkthrough_line_runs_as_it_stands(demo: Path) -> None:
    lines = walkthrough()
    assert len(lines) >= 10
    for line in lines:
        done = run(line, demo)
        assert done.returncode == 0, (line, done.stdout[-2000:], done.stderr[-2000:])
    assert (demo / "out" / "next" / "teachers.csv").is_file()
    assert (demo / "out" / "papers" / "public_list.pdf").is_file()
