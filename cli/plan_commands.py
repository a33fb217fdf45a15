"""``rotation plan``: the year's exchange plan, written as the data contract says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from cli.inputs import load_inputs, load_policy
from cli.main import app
from rotation.io import (
    write_compliance_csv,
    write_plan_csv,
    write_plan_xlsx,
)
from rotation.plan_report import format_plan_summary, plan_summary
from solver.options import BACKENDS, SolveOptions
from solver.plan_year import plan_year
from solver.progress import Progress as SolveProgress


@app.command("plan")
def plan_command(
    data: Annotated[
        Path, typer.Option("--data", help="数据文件夹或 .xlsx / dataset folder or .xlsx")
    ],
    year: Annotated[int, typer.Option("--year", help="方案年度 / plan year")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
    policy_file: Annotated[Path | None, typer.Option("--policy", help="政策文件 (TOML)")] = None,
    overrides: Annotated[list[str], typer.Option("--set", help="覆盖政策参数 key=value")] = [],
    locks_file: Annotated[
        Path | None, typer.Option("--locks", help="锁定文件 CSV: kind,teacher_id,school_id,note")
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="求解时限（秒）")] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="随机种子")] = 0,
    workers: Annotated[int, typer.Option("--workers", help="求解线程数")] = 1,
    backend: Annotated[
        str, typer.Option("--backend", help="highs / cpsat / scip / greedy")
    ] = "highs",
    gap: Annotated[float, typer.Option("--gap", help="相对间隙 / relative gap")] = 0.001,
    lang: Annotated[str, typer.Option("--lang", help="zh 或 en")] = "zh",
    quiet: Annotated[
        bool, typer.Option("--quiet", help="不显示进度 / no progress display")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="数值可疑视为错误 / implausible values are errors")
    ] = False,
) -> None:
    """生成年度交流轮岗方案 / make the year's exchange plan.

    写出 plan.csv、compliance.csv、plan.xlsx、summary.json。退出码：0 完成，1 数据有误，
    2 参数无法使用，3 独立校验未通过。
    """
    if backend not in BACKENDS:
        typer.echo(f"--backend 应为 {'/'.join(BACKENDS)} / unknown backend {backend!r}", err=True)
        raise typer.Exit(2)
    policy = load_policy(policy_file, overrides)
    dataset, locks = load_inputs(data, locks_file, lang, year=year, strict=strict)
    try:
        options = SolveOptions(
            backend=backend, time_limit=time_limit, seed=seed, workers=workers, relative_gap=gap
        )  # type: ignore[arg-type]
    except ValueError as exc:
        typer.echo(f"求解参数无效 / invalid solve options: {exc}", err=True)
        raise typer.Exit(2) from exc

    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[figures]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet or not console.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("准备 / preparing", total=time_limit, figures="")

        def show(p: SolveProgress) -> None:
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

        result = plan_year(dataset, year, policy, locks, options, progress=show)

    out.mkdir(parents=True, exist_ok=True)
    write_plan_csv(result, out / "plan.csv")
    write_compliance_csv(result, out / "compliance.csv")
    write_plan_xlsx(result, dataset, out / "plan.xlsx", policy=policy)
    (out / "summary.json").write_text(
        json.dumps(plan_summary(result, policy), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n",
        encoding="utf-8",
    )
    typer.echo(format_plan_summary(result, dataset, lang))
    typer.echo(f"已写出 / written: {out}/plan.csv, compliance.csv, plan.xlsx, summary.json")
    if not result.metrics.get("check", {}).get("ok", False):
        raise typer.Exit(3)
