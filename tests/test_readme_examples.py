"""Every example of the README's "A season from the command line" block runs as it stands,
on the folders `make demo` leaves (out/longchuan, planned for 2026 into out/plan); and the
README's session with `curl` runs against `rotation serve` on a free port, on the `small`
county the session itself uploads.

Both run on the `small` county (seed 1): the lines are what is tested (their commands,
options, paths and files), and on longchuan the walkthrough's solves (plan, plan again,
two what-if scenarios, two outlook years, the allocation; each with its 走教 schedule and
principal exchange) were the largest share of the suite's time: 7½ of 17½ minutes in a
loaded run, 36 s on small. The real-sized county is planned and checked end to end in
tests/test_plan_behaviour.py (against the greedy office plan) and in the bench."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
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


# `make demo`'s county is longchuan; the walkthrough runs on the small one in its folder
DEMO_PRESET = "small"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `make demo` leaves behind: out/longchuan and out/plan (a small county there)."""
    here = tmp_path_factory.mktemp("readme")
    for line in (
        f"rotation sample --preset {DEMO_PRESET} --seed 1 --out out/longchuan",
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


# ---------------------------------------------------------------- the service's curl session
def curl_session() -> list[tuple[str, list[str]]]:
    """The README's session with `curl`: each command (continuation lines joined) with the
    answer the README shows under it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("A session with `curl`:", 1)[1]
    block = re.search(r"```console\n(.*?)```", section, re.S)
    assert block is not None, "the README lost its curl session"
    steps: list[tuple[str, list[str]]] = []
    pending = ""
    for line in block.group(1).splitlines():
        if pending:
            pending += "\n" + line
        elif line.startswith("$ "):
            pending = line[2:]
        elif line.strip() and not line.startswith("#") and steps:
            steps[-1][1].append(line)
            continue
        else:
            continue
        try:
            complete = not pending.endswith("\\") and bool(shlex.split(pending))
        except ValueError:  # a quote still open: the command goes on
            complete = False
        if complete:
            steps.append((pending, []))
            pending = ""
    assert not pending, pending
    return steps


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_readme_curl_session_runs_against_the_service(tmp_path: Path) -> None:
    steps = curl_session()
    assert sum(command.startswith("curl") for command, _ in steps) >= 10
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROTATION_")}
    env.pop("DATABASE_URL", None)  # the README's default database, in the session's folder
    env["PATH"] = f"{ROTATION.parent}{os.pathsep}{env.get('PATH', '')}"
    server: subprocess.Popen[str] | None = None
    try:
        for command, answer in steps:
            command = command.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
            if command.startswith("export "):
                name, _, value = command.removeprefix("export ").partition("=")
                env[name] = shlex.split(value)[0]
                continue
            if re.fullmatch(r"[A-Z]+=.*", command):
                name, _, value = command.partition("=")
                env[name] = shlex.split(value)[0]
                continue
            if command.startswith("rotation serve"):
                assert command.endswith("&"), command
                args = shlex.split(command.rstrip("&").replace("8000", str(port)))
                server = subprocess.Popen(
                    [str(ROTATION), *args[1:]], cwd=tmp_path, env=env, text=True,
                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                )  # fmt: skip
                wait_until_up(port, server)
                continue
            if command.startswith("curl"):
                # every request must succeed: a 4xx or 5xx answer makes curl exit 22
                command = command.replace("curl -s ", "curl -sS --fail-with-body ", 1)
            polls = re.search(r'"status":"(\w+)"', " ".join(answer))
            deadline = time.monotonic() + 240
            while True:
                done = subprocess.run(
                    ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
                    text=True, timeout=120, check=False,
                )  # fmt: skip
                assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
                # a poll of a plan is repeated until it shows the status the README shows
                wanted = polls.group(1) if polls and re.search(r"/plans/\d+$", command) else None
                if wanted is None or f'"status":"{wanted}"' in done.stdout:
                    break
                if wanted == "running" and '"status":"done"' in done.stdout:
                    break  # finished before we looked: running was passed
                assert time.monotonic() < deadline, (command, done.stdout[-500:])
                time.sleep(1)
            target = re.search(r"-o (\S+)", command)
            if target:
                assert (tmp_path / target.group(1)).stat().st_size > 0, command
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    assert (tmp_path / "plan-1.xlsx").is_file() and (tmp_path / "public-list-1.pdf").is_file()


def wait_until_up(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stdout.read() if server.stdout else "server exited"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("rotation serve did not answer within 90 s")
