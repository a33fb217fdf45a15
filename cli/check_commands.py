"""``rotation check-plan``: re-check a plan file (plan.csv or the exported plan.xlsx) as an
officer edited it, against the roster, the policy and the locks, with the forms beside it
(跟岗学习, 校长交流, 走教安排: the CSVs next to plan.csv, the sheets of plan.xlsx)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.arguments import EXIT_BAD_DATA, EXIT_VIOLATIONS, existing_path, refuse, words
from cli.inputs import load_inputs, load_policy
from cli.main import app
from cli.options import DataOpt, LangOpt, LocksOpt, PlanFileOpt, PolicyOpt, SetOpt
from rotation.io import DatasetError
from workflows.check import check_plan_file


@app.command("check-plan")
def check_plan_command(
    data: DataOpt,
    plan_file: PlanFileOpt,
    locks_file: LocksOpt = None,
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
    """校验方案文件（可为人工调整后的方案）/ check a plan file, also one edited by hand.

    列出每处违规（方案文件的行号、规则名称、可据以修改的说明），并按调整后的方案重新计算
    达标情况。方案旁的跟岗学习.csv、principal_exchanges.csv、itinerant_schedule.csv（或
    plan.xlsx 的跟岗学习、校长交流、走教安排工作表）一并校验。

    Every violation with the plan file's row, the rule and what to change;
    compliance recomputed from the plan as edited. The forms beside the plan (the
    CSVs next to plan.csv, the sheets of plan.xlsx) are checked too.
    """
    existing_path("--plan", plan_file)
    existing_path("--locks", locks_file)
    policy = load_policy(policy_file, overrides, lang)
    dataset, locks = load_inputs(data, locks_file, lang)
    try:
        result = check_plan_file(dataset, plan_file, policy, locks, year)
    except DatasetError as exc:
        refuse(exc.report(lang), EXIT_BAD_DATA)
    except ValueError as exc:
        refuse(str(exc))
    met = sum(1 for r in result.compliance if r.met)
    units = len(result.compliance)
    if lang == "en":
        typer.echo(
            f"{result.file}: the {result.year} plan moves {result.moves}; "
            f"recomputed from it, quota units met {met}/{units}"
        )
        for r in result.compliance:
            if not r.met:
                typer.echo(
                    f"  short: {r.school_id} sends {r.rotated} of {r.required} required"
                    f" (backbone {r.backbone_rotated} of {r.backbone_required})"
                )
    else:
        typer.echo(
            f"{result.file}：{result.year}学年方案，交流 {result.moves} 人；按此方案重新计算，"
            f"达标单位 {met}/{units} / {result.moves} moves; quota units met {met}/{units}"
        )
        for w in result.warnings:
            typer.echo(f"  未达标 / short: {w}")
    for note in result.notes:
        typer.echo(
            "  " + (f"note: {note.partition(' / ')[2]}" if lang == "en" else f"注意 / note: {note}")
        )
    typer.echo(result.forms_line(lang))
    if result.ok:
        typer.echo(
            words(
                lang,
                f"独立校验：通过，{len(result.checked_rules)} 项规则均满足",
                f"checker: all {len(result.checked_rules)} rules hold",
            )
        )
        return
    n = len(result.findings)
    typer.echo(words(lang, f"独立校验：发现 {n} 处违规", f"checker: {n} violation(s)"))
    for f in result.findings:
        typer.echo("  " + f.line(result.file, lang))
    raise typer.Exit(EXIT_VIOLATIONS)
