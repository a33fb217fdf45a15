"""``rotation policy``: every policy parameter with its default, range and meaning."""

from __future__ import annotations

import json
import re
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli.main import app
from cli.options import LangOpt
from rotation.policy import Policy

_BOTH = re.compile(r"（([^（）/]*?)\s*/\s*([^（）]*?)）")


def _zh_en(description: str | None, lang: str) -> str:
    """The Chinese or the English half of a ``中文 / English`` description; a bracketed
    ``（中文 / English）`` inside it (as the ranges have) keeps its own half."""
    text = description or ""
    text = _BOTH.sub((lambda m: f" ({m.group(2)})") if lang == "en" else (lambda m: f"（{m.group(1)}）"), text)
    head = re.search(r"\s*/\s+", text)
    if head is None:
        return text
    zh, en = text[: head.start()], text[head.end() :]
    return (en or zh) if lang == "en" else zh


def _toml_line(key: str, value: object, lang: str = "zh") -> str:
    """``key = value``; a blank default (TOML has no null) is left commented out."""
    if value is None:
        blank = "(blank by default: none)" if lang == "en" else "（默认为空，即不限 / blank by default: none）"
        return f"# {key} =   {blank}"
    return f"{key} = {json.dumps(value, ensure_ascii=False)}"


@app.command("policy")
def policy_command(
    lang: LangOpt = "zh",
    toml: Annotated[
        bool,
        typer.Option("--toml", help="输出带注释的政策文件模板 / print a commented policy.toml"),
    ] = False,
) -> None:
    """列出全部政策参数：默认值、取值范围、含义 / list every policy parameter.

    这些键可用于 --set key=value 与 --policy 文件（TOML）。

    The keys work in --set key=value and in a --policy TOML file.
    """
    rows = Policy.describe()
    if toml:
        lines = [
            "# rotation policy (rotation plan --policy policy.toml)"
            if lang == "en"
            else "# 交流轮岗政策 / rotation policy (rotation plan --policy policy.toml)"
        ]
        section = ""
        for row in rows:
            key = row["name"]
            if key.startswith("weights.") and section != "weights":
                section = "weights"
                lines += ["", "[weights]"]
                key = key.removeprefix("weights.")
            elif section == "weights":
                key = key.removeprefix("weights.")
            sep = "; " if lang == "en" else "；"
            lines.append(f"# {_zh_en(row['description'], lang)}{sep}{_zh_en(row['range'], lang) if lang == 'en' else row['range']}")
            lines.append(_toml_line(key, row["default"], lang))
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
        table.add_row(
            row["name"],
            shown,
            _zh_en(row["range"], lang) if lang == "en" else row["range"],
            _zh_en(row["description"], lang),
        )
    Console().print(table)
