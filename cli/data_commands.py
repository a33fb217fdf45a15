"""``rotation check-data``: validate a roster and print what it holds for the plan year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.inputs import format_warnings, load_policy, read_checked
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
    strict: Annotated[
        bool, typer.Option("--strict", help="数值可疑视为错误 / implausible values are errors")
    ] = False,
) -> None:
    """校验名册数据并显示概况 / validate a roster and summarise it.

    退出码 / exit status: 0 有效 valid（提醒照常列出 / warnings listed), 1 数据有误 invalid data
    (with --strict also implausible values), 2 路径或政策无法使用 path or policy unusable.
    """
    if lang not in ("zh", "en"):
        typer.echo(f"--lang 只能是 zh 或 en / --lang must be zh or en: {lang!r}", err=True)
        raise typer.Exit(2)
    policy = load_policy(policy_file, overrides)
    roster = read_checked(path, year, strict=strict, lang=lang)
    dataset, warnings = roster.dataset, list(roster.warnings)
    summary = summarize_roster(dataset, year, policy)
    if as_json:
        summary["warnings"] = [
            {"kind": w.kind, "file": w.file, "row": w.row, "column": w.column, "value": w.value,
             "message": w.message(lang)}
            for w in warnings
        ]  # fmt: skip
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_summary(summary, lang))
        lines = format_warnings(dataset, warnings, lang, needs_line=False)
        if lines:
            typer.echo("")
            typer.echo("\n".join(lines))
