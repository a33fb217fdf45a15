"""``rotation plan``: the year's exchange plan, written as the data contract says."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cli.arguments import (
    EXIT_INTERRUPTED,
    EXIT_VIOLATIONS,
    existing_path,
    output_folder,
    refuse,
    solve_options,
    words,
)
from cli.inputs import check_locks, load_inputs, load_policy
from cli.interrupt import INTERRUPTED_KEPT, INTERRUPTED_NOTHING, Interrupted, StopOnSignal
from cli.main import app
from cli.options import DataOpt, LangOpt, LocksOpt, OutFolderOpt, PolicyOpt, SetOpt, YearOpt
from rotation.plan_report import format_plan_summary
from solver.budget import RunBudget
from solver.progress import Progress as SolveProgress
from workflows.exports import write_plan_outputs
from workflows.plan import run_plan


@app.command("plan")
def plan_command(
    data: DataOpt,
    year: YearOpt,
    out: OutFolderOpt,
    policy_file: PolicyOpt = None,
    overrides: SetOpt = [],
    locks_file: LocksOpt = None,
    time_limit: Annotated[
        float,
        typer.Option("--time-limit", help="整次运行的时限（秒，含读入名册）/ time limit of the whole run (s)"),
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed")] = 0,
    workers: Annotated[int, typer.Option("--workers", help="求解线程数 / solver threads")] = 1,
    backend: Annotated[
        str, typer.Option("--backend", help="求解器 / solver: highs / cpsat / scip / greedy")
    ] = "highs",
    gap: Annotated[float, typer.Option("--gap", help="相对间隙 / relative gap")] = 0.001,
    lang: LangOpt = "zh",
    quiet: Annotated[bool, typer.Option("--quiet", help="不显示进度 / no progress display")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="数值可疑视为错误 / implausible values are errors")
    ] = False,
) -> None:
    """生成年度交流轮岗方案 / make the year's exchange plan.

    写出 plan.csv、compliance.csv、plan.xlsx、summary.json，并由独立校验复核。

    Writes plan.csv, compliance.csv, plan.xlsx and summary.json; the plan is checked by the
    solver-free checker.
    """
    budget = RunBudget(time_limit)  # the whole run counts, reading included
    options = solve_options(
        backend=backend, time_limit=time_limit, gap=gap, workers=workers, seed=seed
    )
    output_folder(out)
    existing_path("--locks", locks_file)
    policy = load_policy(policy_file, overrides, lang)

    console = Console(stderr=True)
    with (
        StopOnSignal() as stop,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[figures]}"),
            TimeElapsedColumn(),
            console=console,
            disable=quiet or not console.is_terminal,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("准备 / preparing", total=time_limit, figures="")

        def show(p: SolveProgress) -> None:
            if p.phase in ("solve", "explain"):
                stop.a_plan_exists()  # the greedy start plan exists from here on
            figures = ""
            if p.objective is not None:
                figures = f"目标 {p.objective:.1f} 上界 {p.bound if p.bound is None else round(p.bound, 1)}"
                if p.gap is not None:
                    figures += f" 间隙 {p.gap:.2%}"
            bar.update(
                task,
                description=p.message or p.phase,
                completed=min(p.elapsed, time_limit),
                figures=figures,
            )
            if not console.is_terminal and not quiet and p.phase != "solve":
                typer.echo(f"[{p.elapsed:6.1f}s] {p.message}", err=True)

        try:
            dataset, locks = load_inputs(data, locks_file, lang, year=year, strict=strict)
            check_locks(dataset, year, policy, locks, lang)
            result = run_plan(
                dataset, year, policy, locks, options,
                progress=show, should_stop=stop.should_stop, budget=budget,
            )  # fmt: skip
        except Interrupted:
            refuse(INTERRUPTED_NOTHING, EXIT_INTERRUPTED)
        write_plan_outputs(result, dataset, policy, out, lang=lang)  # a stop now lets the files finish

    typer.echo(format_plan_summary(result, dataset, lang))
    if result.itinerant is not None:
        s = result.itinerant
        typer.echo(s.summary_en() if lang == "en" else s.summary_zh())
    typer.echo(words(lang, "已写出", "written") + f": {out}/plan.csv, compliance.csv, plan.xlsx, summary.json")
    if result.itinerant is not None:
        typer.echo(
            f"written: {out}/itinerant_schedule.csv (itinerant teaching)"
            if lang == "en"
            else f"已写出 / written: {out}/itinerant_schedule.csv（走教安排）"
        )
    if result.principals is not None:
        typer.echo(
            f"written: {out}/principal_exchanges.csv (principal exchange)"
            if lang == "en"
            else f"已写出 / written: {out}/principal_exchanges.csv（校长交流）"
        )
    if result.interrupted or stop.requested:
        refuse(INTERRUPTED_KEPT, EXIT_INTERRUPTED)
    if result.check is None or not result.check.ok:
        raise typer.Exit(EXIT_VIOLATIONS)
