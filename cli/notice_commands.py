"""``rotation notices``: the 交流通知书 for each moved teacher and the 公示名单, as PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.inputs import load_inputs
from cli.main import app
from rotation.io import DatasetError
from rotation.io.notices import (
    NoticeHeading,
    assignments_from_plan_rows,
    notice_lines,
    write_notices_pdf,
    write_public_list_pdf,
)
from rotation.io.plan_files import read_plan_csv


@app.command("notices")
def notices_command(
    data: Annotated[
        Path, typer.Option("--data", help="数据文件夹或 .xlsx / dataset folder or .xlsx")
    ],
    plan: Annotated[Path, typer.Option("--plan", help="方案文件 plan.csv / the plan's plan.csv")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
    bureau: Annotated[str, typer.Option("--bureau", help="落款单位 / issuing bureau")] = "县教育局",
    contact: Annotated[
        str, typer.Option("--contact", help="咨询联系方式 / whom teachers may ask")
    ] = "县教育局人事股",
    issued: Annotated[
        str | None, typer.Option("--date", help="落款日期 YYYY-MM-DD，默认今天 / date printed")
    ] = None,
) -> None:
    """打印交流通知书与公示名单（PDF）/ print the exchange notices and the public list (PDF).

    写出 notices.pdf（每位交流教师一页）与 public_list.pdf（不含出生日期、年龄、评价分）。
    退出码：0 完成，1 数据或方案文件有误，2 参数无法使用。
    Exit codes: 0 done, 1 bad data or plan file, 2 unusable argument.
    """
    try:
        when = date.fromisoformat(issued) if issued else date.today()
    except ValueError:
        typer.echo(f"--date 应为 YYYY-MM-DD / --date must be YYYY-MM-DD: {issued!r}", err=True)
        raise typer.Exit(2) from None
    if out.exists() and not out.is_dir():
        typer.echo(f"--out 不是文件夹 / --out is not a folder: {out}", err=True)
        raise typer.Exit(2)
    dataset, _ = load_inputs(data)
    try:
        rows = read_plan_csv(plan)
        moves = assignments_from_plan_rows(rows)
    except DatasetError as exc:
        typer.echo(exc.report("zh"), err=True)
        raise typer.Exit(1) from exc
    except (KeyError, ValueError) as exc:
        typer.echo(f"方案文件的值无法识别 / a plan value is not recognised: {exc}", err=True)
        raise typer.Exit(1) from exc
    unknown = sorted({m.teacher_id for m in moves} - set(dataset.teacher))
    if unknown:
        typer.echo(
            f"方案中的教师不在名单中 / plan teachers not in the roster: {', '.join(unknown[:10])}",
            err=True,
        )
        raise typer.Exit(1)
    year = min((m.start_year for m in moves), default=when.year)
    heading = NoticeHeading(bureau=bureau, contact=contact, issued=when)
    lines = notice_lines(dataset, moves)
    out.mkdir(parents=True, exist_ok=True)
    notices = write_notices_pdf(lines, year, heading, out / "notices.pdf")
    public = write_public_list_pdf(lines, year, heading, out / "public_list.pdf")
    typer.echo(f"交流通知书 {len(lines)} 份：{notices}\n公示名单：{public}")
