"""``rotation check-data``: validate a roster and print what it holds for the plan year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.arguments import refuse, words
from cli.inputs import format_warnings, load_policy, read_checked
from cli.main import app
from cli.options import LangOpt, PolicyOpt, SetOpt
from rotation.summary import format_summary
from workflows.roster import summarize_roster


@app.command("check-data")
def check_data(
    path: Annotated[
        Path | None,
        typer.Argument(help="数据文件夹或 .xlsx 工作簿（或用 --data）/ dataset folder or .xlsx (or --data)"),
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="方案年度 / plan year")] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="同 PATH，与其他命令一致 / the same as PATH, as other commands name it"),
    ] = None,
    policy_file: PolicyOpt = None,
    overrides: SetOpt = [],
    lang: LangOpt = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="数值可疑视为错误 / implausible values are errors")
    ] = False,
) -> None:
    """校验名册数据并显示概况 / validate a roster and summarise it.

    名册可写作 check-data PATH 或 check-data --data PATH。

    The roster is given as check-data PATH or check-data --data PATH.
    """
    if path is not None and data is not None and path != data:
        refuse(
            words(lang, f"PATH {path} 与 --data {data} 不一致，请只给一个", f"PATH {path} and --data {data} differ: give one")
        )
    roster_path = path or data
    if roster_path is None:
        refuse(words(lang, "缺少名册：check-data PATH 或 --data PATH", "no roster: check-data PATH or --data PATH"))
    if not roster_path.exists():
        refuse(words(lang, f"路径不存在：{roster_path}", f"path does not exist: {roster_path}"))
    if year is None:
        refuse(words(lang, "缺少 --year（方案年度）", "missing --year (the plan year)"))
    policy = load_policy(policy_file, overrides, lang)
    roster = read_checked(roster_path, year, strict=strict, lang=lang)
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
