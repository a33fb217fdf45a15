"""``rotation check-plan``: re-check a plan file (plan.csv or the exported plan.xlsx) as an
officer edited it, against the roster, the policy and the locks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.arguments import EXIT_BAD_DATA, EXIT_VIOLATIONS, existing_path, language, refuse
from cli.inputs import load_inputs, load_policy
from cli.main import app
from rotation.io import DatasetError
from workflows.check import check_plan_file


@app.command("check-plan")
def check_plan_command(
    data: Annotated[
        Path, typer.Option("--data", help="数据文件夹或 .xlsx / dataset folder or .xlsx")
    ],
    plan_file: Annotated[
        Path, typer.Option("--plan", help="方案文件 plan.csv 或 plan.xlsx / the plan file")
    ],
    locks_file: Annotated[
        Path | None, typer.Option("--locks", help="锁定文件 CSV / locks file")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="方案年度（缺省取方案的开始年份）/ plan year")
    ] = None,
    policy_file: Annotated[Path | None, typer.Option("--policy", help="政策文件 (TOML)")] = None,
    overrides: Annotated[list[str], typer.Option("--set", help="覆盖政策参数 key=value")] = [],
    lang: Annotated[str, typer.Option("--lang", help="zh 或 en")] = "zh",
) -> None:
    """校验方案文件（可为人工调整后的方案）/ check a plan file, also one edited by hand.

    列出每处违规（方案文件的行号、规则名称、可据以修改的说明），并按调整后的方案重新计算
    达标情况。退出码：0 无违规，1 数据或方案文件无法读取，2 参数无法使用，3 有违规。
    """
    language(lang)
    existing_path("--plan", plan_file)
    existing_path("--locks", locks_file)
    policy = load_policy(policy_file, overrides)
    dataset, locks = load_inputs(data, locks_file, lang)
    try:
        result = check_plan_file(dataset, plan_file, policy, locks, year)
    except DatasetError as exc:
        refuse(exc.report(lang), EXIT_BAD_DATA)
    except ValueError as exc:
        refuse(str(exc))
    met = sum(1 for r in result.compliance if r.met)
    typer.echo(
        f"{result.file}：{result.year}学年方案，交流 {result.moves} 人；按此方案重新计算，"
        f"达标单位 {met}/{len(result.compliance)} / {result.moves} moves; "
        f"quota units met {met}/{len(result.compliance)}"
    )
    for w in result.warnings:
        typer.echo(f"  未达标 / short: {w}")
    if result.ok:
        typer.echo(
            f"独立校验：通过，{len(result.checked_rules)} 项规则均满足 / checker: all rules hold"
        )
        return
    typer.echo(
        f"独立校验：发现 {len(result.findings)} 处违规 / checker: {len(result.findings)} violation(s)"
    )
    for f in result.findings:
        typer.echo("  " + f.line(result.file))
    raise typer.Exit(EXIT_VIOLATIONS)
