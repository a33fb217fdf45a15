"""``rotation check-data``: validate a roster and print what it holds for the plan year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.inputs import load_inputs, load_policy
from cli.main import app
from rotation.summary import format_summary
from workflows.roster import summarize_roster


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
    policy = load_policy(policy_file, overrides)
    dataset, _ = load_inputs(path, lang=lang)
    summary = summarize_roster(dataset, year, policy)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_summary(summary, lang))
