"""``rotation notices``: the 交流通知书 for each moved teacher and the 公示名单, as PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.arguments import (
    EXIT_BAD_DATA,
    EXIT_VIOLATIONS,
    existing_path,
    output_folder,
    refuse,
    words,
)
from cli.inputs import load_inputs, load_policy
from cli.main import app
from cli.options import LangOpt
from rotation.io import DatasetError
from rotation.io.notices import NoticeHeading
from rotation.io.plan_reading import official_stamp_of
from workflows.check import read_and_check_plan_file
from workflows.notices import write_notice_papers


@app.command("notices")
def notices_command(
    data: Annotated[
        Path, typer.Option("--data", help="数据文件夹或 .xlsx / dataset folder or .xlsx")
    ],
    plan: Annotated[
        Path, typer.Option("--plan", help="方案文件 plan.csv 或 plan.xlsx / the plan file")
    ],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
    bureau: Annotated[str, typer.Option("--bureau", help="落款单位 / issuing bureau")] = "县教育局",
    contact: Annotated[
        str, typer.Option("--contact", help="咨询联系方式 / whom teachers may ask")
    ] = "县教育局人事股",
    issued: Annotated[
        str | None, typer.Option("--date", help="落款日期 YYYY-MM-DD，默认今天 / date printed")
    ] = None,
    policy_file: Annotated[
        Path | None,
        typer.Option("--policy", help="方案所用政策文件 (TOML) / the plan's policy file (TOML)"),
    ] = None,
    overrides: Annotated[
        list[str],
        typer.Option("--set", help="方案所用政策参数 key=value / the plan's policy parameters"),
    ] = [],
    lang: LangOpt = "zh",
) -> None:
    """打印交流通知书与公示名单（PDF）/ print the exchange notices and the public list (PDF).

    先按全部规则校验方案（与 check-plan 相同），通过后写出 notices.pdf（每位交流教师一页）与
    public_list.pdf（不含出生日期、年龄、评价分）。方案为服务导出的已发布方案工作簿
    （plan-N-official.xlsx）时，每页标注其“正式方案”发布信息。

    The plan is checked first, as check-plan does; then notices.pdf (a page per moved
    teacher) and public_list.pdf (no birth date, age or score). A published plan's workbook
    (plan-N-official.xlsx) puts its 正式方案 stamp on every page. The papers themselves are
    in Chinese.
    """
    try:
        when = date.fromisoformat(issued) if issued else date.today()
    except ValueError:
        refuse(
            words(
                lang,
                f"--date 应为 YYYY-MM-DD：{issued!r}",
                f"--date must be YYYY-MM-DD: {issued!r}",
            )
        )
    output_folder(out)
    existing_path("--plan", plan)
    policy = load_policy(policy_file, overrides, lang)
    dataset, _ = load_inputs(data, None, lang)
    try:
        checked = read_and_check_plan_file(dataset, plan, policy)
    except DatasetError as exc:
        refuse(exc.report(lang), EXIT_BAD_DATA)
    except ValueError as exc:
        refuse(str(exc))
    verdict = checked.verdict
    if not verdict.ok:
        n = len(verdict.findings)
        typer.echo(
            words(
                lang, f"方案有 {n} 处违规，未打印", f"the plan breaks {n} rule(s): nothing printed"
            ),
            err=True,
        )
        for f in verdict.findings:
            typer.echo("  " + f.line(verdict.file, lang), err=True)
        raise typer.Exit(EXIT_VIOLATIONS)
    moves = list(checked.plan.assignments)
    year = verdict.year
    heading = NoticeHeading(
        bureau=bureau, contact=contact, issued=when, official=official_stamp_of(plan)
    )
    papers = write_notice_papers(dataset, moves, year, heading, out)
    typer.echo(
        f"exchange notices: {papers.teachers}: {papers.notices}\npublic list: {papers.public_list}"
        if lang == "en"
        else f"交流通知书 {papers.teachers} 份：{papers.notices}\n公示名单：{papers.public_list}"
    )
