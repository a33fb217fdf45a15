"""Reading a command's inputs the same way everywhere: the roster, the locks, the policy.

Bad input prints every problem (Chinese, or English with ``--lang en``) and exits:
2 for a path or policy that cannot be used, 1 for invalid data. Nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import typer

from cli.arguments import in_lang
from rotation.io import DatasetError, Problem
from rotation.locks import LockProblem, Locks, lock_errors, validate_locks
from rotation.models import Dataset
from rotation.policy import Policy, PolicyError
from workflows.roster import CheckedRoster, read_checked_roster


def load_policy(policy_file: Path | None, overrides: list[str], lang: str = "zh") -> Policy:
    """The run's policy; prints the reason and exits 2 when it cannot be used."""
    if policy_file is not None and not policy_file.is_file():
        typer.echo(in_lang(lang, f"政策文件不存在 / policy file not found: {policy_file}"), err=True)
        raise typer.Exit(2)
    try:
        return Policy.load(policy_file, overrides)
    except PolicyError as exc:
        typer.echo(in_lang(lang, str(exc)), err=True)
        raise typer.Exit(2) from exc


PLAN_YEARS = (1990, 2100)  # a school year the roster's years (1950–2100) can describe


def read_checked(
    data: Path,
    year: int | None = None,
    *,
    strict: bool = False,
    lang: str = "zh",
    locks_file: Path | None = None,
) -> CheckedRoster:
    """The roster, its locks and warnings (import notes, and implausible values for ``year``).

    With ``strict`` the implausible values are errors: every one printed, exit 1.
    """
    if not data.exists():
        typer.echo(in_lang(lang, f"路径不存在 / path does not exist: {data}"), err=True)
        raise typer.Exit(2)
    if year is not None and not PLAN_YEARS[0] <= year <= PLAN_YEARS[1]:
        typer.echo(
            in_lang(
                lang,
                f"方案年度 {year} 不在 {PLAN_YEARS[0]}–{PLAN_YEARS[1]} 之间 / "
                f"plan year {year} is outside {PLAN_YEARS[0]}–{PLAN_YEARS[1]}",
            ),
            err=True,
        )
        raise typer.Exit(2)
    try:
        return read_checked_roster(data, locks_file, year=year, strict=strict)
    except DatasetError as exc:
        typer.echo(exc.report(lang), err=True)
        raise typer.Exit(1) from exc


def check_locks(
    dataset: Dataset, year: int, policies: Policy | list[Policy], locks: Locks, lang: str = "zh"
) -> None:
    """Every problem of the locks at once (under each policy of a sweep), before anything
    is solved: exit 1 on an error (nothing is written); warnings are printed and the run
    goes on."""
    problems: list[LockProblem] = []
    for policy in policies if isinstance(policies, list) else [policies]:
        problems += [p for p in validate_locks(dataset, year, policy, locks) if p not in problems]
    errors = lock_errors(problems)
    if errors:
        head = (
            f"Locks have {len(errors)} problem(s); nothing was planned or written"
            if lang == "en"
            else f"锁定有 {len(errors)} 处问题，未生成方案，未写出任何文件 / "
            f"locks have {len(errors)} problem(s); nothing was planned or written"
        )
        typer.echo(head, err=True)
    for p in problems:
        label = ("错误" if p.severity == "error" else "注意") if lang != "en" else p.severity
        typer.echo(f"  [{label}] {p.message(lang)}", err=True)
    if errors:
        raise typer.Exit(1)


def format_warnings(
    dataset: Dataset, warnings: list[Problem], lang: str = "zh", *, needs_line: bool = True
) -> list[str]:
    """The lines a command prints before its work: derived needs, then each warning."""
    lines: list[str] = []
    if needs_line and not dataset.needs_declared:
        total = sum(n.count for n in dataset.needs)
        lines.append(
            f"未提供岗位需求表（needs.csv），已按编制标准推算需求 {total} 个 / "
            f"no needs table: {total} needs derived from the staffing norms"
            if lang != "en"
            else f"no needs table: {total} needs derived from the staffing norms"
        )
    if warnings:
        lines.append(
            f"提醒 {len(warnings)} 条（--strict 时数值可疑视为错误） / {len(warnings)} warning(s):"
            if lang != "en"
            else f"{len(warnings)} warning(s) (implausible values are errors with --strict):"
        )
        lines.extend(f"  - {w.message(lang)}" for w in warnings)
    return lines


def load_inputs(
    data: Path,
    locks_file: Path | None = None,
    lang: str = "zh",
    *,
    year: int | None = None,
    strict: bool = False,
) -> tuple[Dataset, Locks]:
    """The roster (and locks, if a file is given), or every problem and an exit.

    The roster's warnings (and with ``year`` its implausible values) are printed on
    stderr; ``strict`` makes implausible values errors.
    """
    roster = read_checked(data, year, strict=strict, lang=lang, locks_file=locks_file)
    for line in format_warnings(roster.dataset, list(roster.warnings), lang):
        typer.echo(line, err=True)
    return roster.dataset, roster.locks
