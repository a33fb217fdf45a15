"""``rotation check-data``: validate a roster and print what it holds for the plan year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from rotation.io import DatasetError, read_dataset
from rotation.policy import Policy, PolicyError
from rotation.summary import dataset_summary, format_summary


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


# Imported after ``load_policy`` is defined: cli.main imports the other command modules,
# which use it, so this module may be imported first without a circular-import error.
from cli.main import app  # noqa: E402


@app.command("check-data")
def check_data(
    path: Annotated[
        Path, typer.Argument(help="数据文件夹或 .xlsx 工作簿 / dataset folder or .xlsx")
    ],
    year: Annotated[int, typer.Option("--year", help="方案年度 / plan year")],
    policy_file: Annotated[
        Path | None, typer.Option("--policy", help="政策文件 (TOML) / policy file")
    ] = None,
    overrides: Annotated[
        list[str], typer.Option("--set", help="覆盖政策参数 key=value / override a parameter")
    ] = [],
    lang: Annotated[str, typer.Option("--lang", help="zh 或 en / zh or en")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """校验名册数据并显示概况 / validate a roster and summarise it.

    退出码 / exit status: 0 有效 valid, 1 数据有误 invalid data, 2 路径或政策无法使用
    path or policy unusable.
    """
    if lang not in ("zh", "en"):
        typer.echo(f"--lang 只能是 zh 或 en / --lang must be zh or en: {lang!r}", err=True)
        raise typer.Exit(2)
    if not path.exists():
        typer.echo(f"路径不存在 / path does not exist: {path}", err=True)
        raise typer.Exit(2)
    policy = load_policy(policy_file, overrides)
    try:
        dataset = read_dataset(path)
    except DatasetError as exc:
        typer.echo(exc.report(lang), err=True)
        raise typer.Exit(1) from exc
    summary = dataset_summary(dataset, year, policy)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_summary(summary, lang))
