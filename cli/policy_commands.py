"""``rotation policy``: every policy parameter with its default, range and meaning."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.main import app
from rotation.policy import Policy


def _zh_en(description: str | None, lang: str) -> str:
    """The Chinese or the English half of a ``中文 / English`` description."""
    text = description or ""
    zh, _, en = text.partition(" / ")
    return (en or zh) if lang == "en" else zh


def _toml_line(key: str, value: object) -> str:
    """``key = value``; a blank default (TOML has no null) is left commented out."""
    if value is None:
        return f"# {key} =   （默认为空，即不限 / blank by default: none）"
    return f"{key} = {json.dumps(value, ensure_ascii=False)}"


@app.command("policy")
def policy_command(
    lang: Annotated[str, typer.Option("--lang", help="zh 或 en / zh or en")] = "zh",
    toml: Annotated[
        bool,
        typer.Option("--toml", help="输出带注释的政策文件模板 / print a commented policy.toml"),
    ] = False,
) -> None:
    """列出全部政策参数：默认值、取值范围、含义 / list every policy parameter.

    这些键可用于 --set key=value 与 --policy 文件（TOML）。退出码：0 完成，2 参数无法使用。
    The keys work in --set key=value and in a --policy TOML file. Exit codes: 0 done, 2 bad argument.
    """
    if lang not in ("zh", "en"):
        typer.echo(f"--lang 应为 zh 或 en / --lang must be zh or en: {lang!r}", err=True)
        raise typer.Exit(2)
    rows = Policy.describe()
    if toml:
        lines = ["# 交流轮岗政策 / rotation policy (rotation plan --policy policy.toml)"]
        section = ""
        for row in rows:
            key = row["name"]
            if key.startswith("weights.") and section != "weights":
                section = "weights"
                lines += ["", "[weights]"]
                key = key.removeprefix("weights.")
            elif section == "weights":
                key = key.removeprefix("weights.")
            lines.append(f"# {_zh_en(row['description'], lang)}；{row['range']}")
            lines.append(_toml_line(key, row["default"]))
        typer.echo("\n".join(lines))
        return
    heads = (
        ("参数", "默认值", "取值范围", "含义")
        if lang == "zh"
        else ("key", "default", "range", "meaning")
    )
    table = Table(show_lines=False)
    table.add_column(heads[0], no_wrap=True)
    table.add_column(heads[1], overflow="fold")
    table.add_column(heads[2], overflow="fold")
    table.add_column(heads[3], overflow="fold")
    for row in rows:
        default = row["default"]
        shown = ",".join(map(str, default)) if isinstance(default, list) else str(default)
        table.add_row(row["name"], shown, row["range"], _zh_en(row["description"], lang))
    Console().print(table)
