"""``rotation apply``: the adopted plan turned into next school year's roster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.arguments import (
    EXIT_BAD_DATA,
    EXIT_VIOLATIONS,
    existing_path,
    language,
    output_folder,
    refuse,
)
from cli.inputs import load_inputs, load_policy
from cli.main import app
from rotation.io import DatasetError
from workflows.apply import apply_plan_file


@app.command("apply")
def apply_command(
    data: Annotated[
        Path, typer.Option("--data", help="本学年名单：文件夹或 .xlsx / this year's roster")
    ],
    plan_file: Annotated[
        Path, typer.Option("--plan", help="通过的方案 plan.csv 或 plan.xlsx / the adopted plan")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="下一学年名单的输出文件夹 / folder for next year's roster")
    ],
    year: Annotated[
        int | None, typer.Option("--year", help="方案年度（缺省取方案的开始年份）/ plan year")
    ] = None,
    policy_file: Annotated[Path | None, typer.Option("--policy", help="政策文件 (TOML)")] = None,
    overrides: Annotated[list[str], typer.Option("--set", help="覆盖政策参数 key=value")] = [],
    lang: Annotated[str, typer.Option("--lang", help="zh 或 en")] = "zh",
) -> None:
    """把通过的方案落实到下一学年名单 / apply the adopted plan: next year's roster.

    交流教师记入交流所在学校与期满学年（人事关系仍在原校），期满教师返回原校并记上次交流
    结束年份，已填补的岗位需求扣除。先按全部规则校验方案，有违规则不落实；写出后经导入器
    读回核对。退出码：0 完成，1 数据或方案文件无法读取，2 参数无法使用，3 方案有违规。
    Moved teachers serve at the destination until the term ends (the post stays at the home
    school); ended terms return home; filled needs are taken off. Exit codes: 0 done, 1 bad
    data or plan file, 2 unusable argument, 3 the plan breaks a rule (nothing written).
    """
    language(lang)
    existing_path("--plan", plan_file)
    output_folder(out)
    if out.exists() and any(out.iterdir()):
        refuse(f"--out {out} 不是空文件夹 / --out {out} is not an empty folder")
    policy = load_policy(policy_file, overrides)
    dataset, _ = load_inputs(data, None, lang)
    try:
        outcome = apply_plan_file(dataset, plan_file, policy, out, year=year)
    except DatasetError as exc:
        refuse(exc.report(lang), EXIT_BAD_DATA)
    except ValueError as exc:
        refuse(str(exc))
    verdict = outcome.verdict
    if outcome.applied is None:
        typer.echo(
            f"方案有 {len(verdict.findings)} 处违规，未落实，未写出任何文件 / the plan breaks "
            f"{len(verdict.findings)} rule(s): not applied, nothing written"
        )
        for f in verdict.findings:
            typer.echo("  " + f.line(verdict.file))
        raise typer.Exit(EXIT_VIOLATIONS)
    a = outcome.applied
    typer.echo(
        f"{a.plan_year}学年方案已落实为 {a.next_year} 学年名单 / the {a.plan_year} plan applied "
        f"for {a.next_year}: {out}\n"
        f"  开始交流 started: {a.started} 人；期满返回原校 returned: {a.returned} 人；"
        f"继续交流 still away: {a.still_away} 人\n"
        f"  已填补并扣除的岗位需求 needs filled and taken off: {a.needs_filled}\n"
        f"  下一步 / next: rotation check-data {out} --year {a.next_year}"
    )
