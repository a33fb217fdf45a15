"""Options several commands share, named and explained the same way everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.arguments import language


def _checked_language(value: str) -> str:
    return language(value)  # refused at once, before any other option is looked at


LangOpt = Annotated[
    str,
    typer.Option(
        "--lang",
        help="输出语言 zh（中文）或 en（英文）/ output language: zh or en",
        callback=_checked_language,
        is_eager=True,
    ),
]
DataOpt = Annotated[
    Path, typer.Option("--data", help="数据文件夹或 .xlsx 工作簿 / dataset folder or .xlsx")
]
OutFolderOpt = Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")]
PolicyOpt = Annotated[
    Path | None, typer.Option("--policy", help="政策文件 (TOML) / policy file (TOML)")
]
SetOpt = Annotated[
    list[str],
    typer.Option(
        "--set", help="覆盖政策参数 key=value（见 rotation policy）/ override a policy parameter"
    ),
]
LocksOpt = Annotated[
    Path | None,
    typer.Option("--locks", help="锁定文件 CSV：kind,teacher_id,school_id,note / locks file (CSV)"),
]
PlanFileOpt = Annotated[
    Path, typer.Option("--plan", help="方案文件 plan.csv 或 plan.xlsx / the plan file")
]
YearOpt = Annotated[int, typer.Option("--year", help="方案年度 / plan year")]
