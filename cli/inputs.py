"""Reading a command's inputs the same way everywhere: the roster, the locks, the policy.

Bad input prints every problem (Chinese, or English with ``--lang en``) and exits:
2 for a path or policy that cannot be used, 1 for invalid data. Nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import typer

from rotation.io import DatasetError
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.policy import Policy, PolicyError
from workflows.roster import read_roster


def load_policy(policy_file: Path | None, overrides: list[str]) -> Policy:
    """The run's policy; prints the reason and exits 2 when it cannot be used."""
    if policy_file is not None and not policy_file.is_file():
        typer.echo(f"政策文件不存在 / policy file not found: {policy_file}", err=True)
        raise typer.Exit(2)
    try:
        return Policy.load(policy_file, overrides)
    except PolicyError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc


def load_inputs(data: Path, locks_file: Path | None = None, lang: str = "zh") -> tuple[Dataset, Locks]:
    """The roster (and locks, if a file is given), or every problem and an exit."""
    if not data.exists():
        typer.echo(f"路径不存在 / path does not exist: {data}", err=True)
        raise typer.Exit(2)
    try:
        return read_roster(data, locks_file)
    except DatasetError as exc:
        typer.echo(exc.report(lang), err=True)
        raise typer.Exit(1) from exc
