"""``rotation apply``: the adopted plan turned into next school year's roster."""

from __future__ import annotations

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
from cli.options import LangOpt, PolicyOpt, SetOpt
from rotation.apply_plan import AppliedYear
from rotation.io import DatasetError
from rotation.models import Dataset
from workflows.apply import ApplyOutcome, apply_plan_file


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
        int | None,
        typer.Option(
            "--year",
            help="方案年度（缺省取方案的开始年份）/ plan year (default: the plan's start year)",
        ),
    ] = None,
    policy_file: PolicyOpt = None,
    overrides: SetOpt = [],
    lang: LangOpt = "zh",
) -> None:
    """把通过的方案落实到下一学年名单 / apply the adopted plan: next year's roster.

    交流教师记入交流所在学校与期满学年（人事关系仍在原校），期满教师返回原校并记上次交流
    结束年份，已填补的岗位需求扣除。先按全部规则校验方案，有违规则不落实；写出后经导入器
    读回核对。

    Moved teachers serve at the destination until the term ends (the post stays at
    the home school); ended terms return home; filled needs are taken off.
    """
    existing_path("--plan", plan_file)
    output_folder(out)
    if out.exists() and any(out.iterdir()):
        refuse(words(lang, f"--out {out} 不是空文件夹", f"--out {out} is not an empty folder"))
    policy = load_policy(policy_file, overrides, lang)
    dataset, _ = load_inputs(data, None, lang)
    try:
        outcome = apply_plan_file(dataset, plan_file, policy, out, year=year)
    except DatasetError as exc:
        refuse(exc.report(lang), EXIT_BAD_DATA)
    except ValueError as exc:
        refuse(str(exc))
    verdict = outcome.verdict
    if outcome.applied is None:
        n = len(verdict.findings)
        typer.echo(
            words(
                lang,
                f"方案有 {n} 处违规，未落实，未写出任何文件",
                f"the plan breaks {n} rule(s): not applied, nothing written",
            )
        )
        for f in verdict.findings:
            typer.echo("  " + f.line(verdict.file, lang))
        raise typer.Exit(EXIT_VIOLATIONS)
    a = outcome.applied
    leaders = _leaders_line(outcome, any(t.position.leads for t in dataset.teachers), lang)
    leaders += _posts_line(a, dataset, lang)
    if lang == "en":
        typer.echo(
            f"the {a.plan_year} plan applied as the roster for {a.next_year}: {out}\n"
            f"  started: {a.started}; returned home at term end: {a.returned}; "
            f"still away: {a.still_away}\n"
            f"  needs filled and taken off: {a.needs_filled}\n"
            + leaders
            + f"  next: rotation check-data {out} --year {a.next_year} --lang en"
        )
        return
    typer.echo(
        f"{a.plan_year}学年方案已落实为 {a.next_year} 学年名单 / the {a.plan_year} plan applied "
        f"for {a.next_year}: {out}\n"
        f"  开始交流 started: {a.started} 人；期满返回原校 returned: {a.returned} 人；"
        f"继续交流 still away: {a.still_away} 人\n"
        f"  已填补并扣除的岗位需求 needs filled and taken off: {a.needs_filled}\n"
        + leaders
        + f"  下一步 / next: rotation check-data {out} --year {a.next_year}"
    )


def _posts_line(a: AppliedYear, dataset: Dataset, lang: str) -> str:
    """What is left of the declared posts and the 走教 hours for next year; a warning when no
    declared post is left, since next year's plan would then move nobody."""
    out = ""
    if a.shadowing_done:
        out += (
            "  "
            + words(
                lang,
                f"跟岗学习 {a.shadowing_done} 人：申请已落实，下一学年不再视为申请人",
                f"shadowing: {a.shadowing_done} applications fulfilled, not applicants next year",
            )
            + "\n"
        )
    if dataset.needs_declared:
        if a.needs_left:
            out += (
                "  "
                + words(
                    lang,
                    f"留到 {a.next_year} 学年的岗位需求 {a.needs_left} 个（needs.csv）",
                    f"declared posts still open in {a.next_year}: {a.needs_left} (needs.csv)",
                )
                + "\n"
            )
        else:
            out += (
                "  "
                + words(
                    lang,
                    f"注意：已申报的岗位需求都已填补，{a.next_year} 学年的 needs.csv 为空，按此名单规划"
                    "将无人交流；请填报新学年的岗位需求，或删除 needs.csv 以按编制标准推算",
                    f"note: every declared post is filled, so needs.csv for {a.next_year} is empty "
                    "and a plan on this roster would move nobody: declare the new year's posts, or "
                    "delete needs.csv to derive them from the staffing norms",
                )
                + "\n"
            )
    if dataset.hour_needs:
        out += (
            "  "
            + words(
                lang,
                f"留到 {a.next_year} 学年的走教课时需求 {a.hours_left} 节/周（hours_needs.csv）",
                f"itinerant hours still needed in {a.next_year}: {a.hours_left} a week (hours_needs.csv)",
            )
            + "\n"
        )
    return out


def _leaders_line(outcome: ApplyOutcome, has_leaders: bool, lang: str) -> str:
    """The principal exchange applied, or why the leaders stayed as they were."""
    a = outcome.applied
    if a is None or (outcome.principals_from is None and not has_leaders):
        return ""
    if outcome.principals_from is None:
        note = words(
            lang,
            "方案旁没有 principal_exchanges.csv，校长、副校长未调整",
            "no principal_exchanges.csv beside the plan: principals and vice-principals unchanged",
        )
        return f"  {note}\n"
    if lang == "en":
        return (
            f"  principal exchange: {a.leaders_due} due, {a.leaders_moved} now at another "
            f"school, {a.leaders_promoted} promoted to principal in place\n"
        )
    return (
        f"  校长交流 principal exchange：任职期满 {a.leaders_due} 人，到新学校任职 "
        f"{a.leaders_moved} 人，本校提任校长 {a.leaders_promoted} 人\n"
    )
