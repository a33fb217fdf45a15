"""``rotation whatif``, ``rotation diff`` and ``rotation outlook``: scenario sweeps, plan
comparison and the multi-year outlook, on a local process pool or a Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli.arguments import (
    EXIT_INTERRUPTED,
    EXIT_VIOLATIONS,
    language,
    one_of,
    output_folder,
    refuse,
    solve_options,
)
from cli.inputs import check_locks, load_inputs, load_policy
from cli.interrupt import INTERRUPTED_KEPT, INTERRUPTED_NOTHING, Interrupted, StopOnSignal
from cli.main import app
from rotation.io import DatasetError
from rotation.outlook import OutlookAssumptions
from rotation.plan_diff import format_plan_diff, plan_diff_files
from rotation.policy import Policy, PolicyError
from rotation.scenarios import Scenario, format_comparison, scenario_grid
from solver.options import SolveOptions
from solver.sweep import EXECUTORS, SweepProgress
from workflows.exports import write_json, write_outlook, write_whatif
from workflows.outlook import run_outlook_sweep
from workflows.sweep import run_sweep

DataOpt = Annotated[
    Path, typer.Option("--data", help="数据文件夹或 .xlsx / dataset folder or .xlsx")
]
VaryOpt = Annotated[
    list[str],
    typer.Option("--vary", help="变化的政策参数 key=v1,v2（a+b=… 同取一值）/ varied parameter"),
]
SetOpt = Annotated[list[str], typer.Option("--set", help="所有方案共用的政策参数 key=value")]
PolicyOpt = Annotated[Path | None, typer.Option("--policy", help="政策文件 (TOML)")]
LocksOpt = Annotated[Path | None, typer.Option("--locks", help="锁定文件 CSV")]
ExecutorOpt = Annotated[str, typer.Option("--executor", help="local（进程池）/ dask / serial")]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask 调度器地址 tcp://host:8786 / scheduler address"),
]
WorkersOpt = Annotated[int | None, typer.Option("--workers", help="并行任务数 / parallel tasks")]
TimeOpt = Annotated[float, typer.Option("--time-limit", help="每个方案的求解时限（秒）")]
BackendOpt = Annotated[str, typer.Option("--backend", help="highs / cpsat / scip / greedy")]
RetriesOpt = Annotated[int, typer.Option("--retries", help="失败任务重试次数 / retries")]
LangOpt = Annotated[str, typer.Option("--lang", help="zh 或 en")]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="不显示进度 / no progress")]


# ------------------------------------------------------------------ shared helpers
def standard_line(s: dict[str, Any]) -> str:
    """One year's verdict on the teacher part of the 2017 standard, item by item."""
    ex = s["exchange"]
    cv = "差异系数达标" if s["cv_met"] else f"差异系数超限（{'、'.join(s['cv_over'])}）"
    sch = (
        f"逐校评判 {s['schools_judged']} 校均达标"
        if s["schools_met"]
        else f"{s['schools_failing']}/{s['schools_judged']} 校教师指标未达标"
    )
    exc = f"交流比例 {ex['ratio']:.1%}、骨干 {ex['backbone_share']:.1%}{'' if ex['met'] else '（未达标）'}"
    verdict = "达标" if s["meets"] else "未达标"
    return (
        f"2017年标准教师部分：{verdict}（{cv}；{sch}，{s['small_schools_left_out']} 所小规模学校不逐校评判；{exc}）"
        f" / teacher part of the 2017 standard: {'met' if s['meets'] else 'not met'} (CVs "
        f"{'within limits' if s['cv_met'] else 'over: ' + ', '.join(s['cv_over'])}; "
        f"{s['schools_failing']}/{s['schools_judged']} schools short; exchange {ex['ratio']:.1%}, "
        f"backbone {ex['backbone_share']:.1%})"
    )


def _grid(varies: list[str], sets: list[str], policy: Policy) -> list[Scenario]:
    try:
        return scenario_grid(varies, sets, policy)
    except PolicyError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc


def _options(
    backend: str, time_limit: float, executor: str, scheduler: str | None, workers: int | None
) -> SolveOptions:
    one_of("--executor", executor, EXECUTORS)
    if scheduler and executor != "dask":
        refuse("--scheduler 仅用于 --executor dask / --scheduler needs --executor dask")
    if workers is not None and workers < 1:
        refuse(f"--workers 须为不小于 1 的整数，收到 {workers} / --workers must be 1 or more; got {workers}")
    return solve_options(backend=backend, time_limit=time_limit)


def _reporter(quiet: bool, stop: StopOnSignal) -> Any:
    def show(p: SweepProgress) -> None:
        if p.ok:
            stop.a_plan_exists()  # from now on a stop keeps the scenarios already planned
        if quiet:
            return
        state = "完成 / done" if p.ok else f"失败 / failed ({p.message})"
        retry = f"，第 {p.attempts} 次 / attempt {p.attempts}" if p.attempts > 1 else ""
        typer.echo(f"[{p.done}/{p.total}] {p.scenario_id} {p.label}: {state}{retry}", err=True)

    return show


# ------------------------------------------------------------------ whatif
@app.command("whatif")
def whatif_command(
    data: DataOpt,
    year: Annotated[int, typer.Option("--year", help="方案年度 / plan year")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
    vary: VaryOpt = [],
    overrides: SetOpt = [],
    policy_file: PolicyOpt = None,
    locks_file: LocksOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    time_limit: TimeOpt = 30.0,
    backend: BackendOpt = "highs",
    retries: RetriesOpt = 1,
    hints: Annotated[bool, typer.Option("--hints/--no-hints", help="以相邻方案为初始解")] = True,
    plan_files: Annotated[
        bool, typer.Option("--plan-files/--no-plan-files", help="写出各方案文件")
    ] = True,
    lang: LangOpt = "zh",
    quiet: QuietOpt = False,
) -> None:
    """比较多个政策方案 / plan every combination of the varied policy parameters.

    写出 comparison.csv、comparison.json、comparison.png 与 scenarios/<编号>/ 下各方案文件。
    退出码：0 完成，1 数据或锁定有误，2 参数无法使用，3 有方案失败或未通过独立校验。
    """
    language(lang)
    options = _options(backend, time_limit, executor, scheduler, workers)
    output_folder(out)
    policy = load_policy(policy_file, [])
    grid = _grid(vary, overrides, policy)
    dataset, locks = load_inputs(data, locks_file, lang, year=year)
    check_locks(dataset, year, [s.policy(policy) for s in grid], locks, lang)
    typer.echo(f"共 {len(grid)} 个方案 / {len(grid)} scenarios", err=True)
    with StopOnSignal() as stop:
        try:
            result = run_sweep(
                dataset, year, policy, grid, locks, options, executor, _reporter(quiet, stop),
                scheduler=scheduler, workers=workers, retries=retries, hints=hints,
                should_stop=stop.should_stop,
            )  # fmt: skip
        except Interrupted:
            refuse(INTERRUPTED_NOTHING, EXIT_INTERRUPTED)
        write_whatif(result, dataset, policy, out, plan_files)
    typer.echo(format_comparison(result.rows, lang))
    typer.echo(
        f"用时 {result.wall_seconds:.1f} 秒 / wall time; 已写出 / written: {out}/comparison.csv, comparison.png"
    )
    bad = [
        o
        for o in result.outcomes
        if not o.ok or o.plan is None or o.plan.check is None or not o.plan.check.ok
    ]
    for o in bad:
        typer.echo(
            f"方案 {o.scenario.scenario_id} 失败或未通过校验 / failed or not checked: {o.error}",
            err=True,
        )
    if stop.requested:
        refuse(INTERRUPTED_KEPT, EXIT_INTERRUPTED)
    if bad:
        raise typer.Exit(EXIT_VIOLATIONS)


# ------------------------------------------------------------------ diff
@app.command("diff")
def diff_command(
    plan_a: Annotated[
        Path, typer.Argument(help="方案 A：方案文件夹或 plan.csv / plan folder or plan.csv")
    ],
    plan_b: Annotated[Path, typer.Argument(help="方案 B")],
    out: Annotated[Path | None, typer.Option("--out", help="写出 diff.json")] = None,
    lang: LangOpt = "zh",
) -> None:
    """比较两个方案 / who moves in one plan and not the other, and how the figures differ."""
    try:
        diff = plan_diff_files(plan_a, plan_b)
    except DatasetError as exc:
        typer.echo(exc.report(lang), err=True)
        raise typer.Exit(1) from exc
    typer.echo(format_plan_diff(diff, lang))
    if out is not None:
        write_json(out, diff.model_dump(mode="json"))


# ------------------------------------------------------------------ outlook
@app.command("outlook")
def outlook_command(
    data: DataOpt,
    from_year: Annotated[int, typer.Option("--from", help="第一年 / first plan year")],
    to_year: Annotated[int, typer.Option("--to", help="最后一年 / last plan year")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")] = Path(
        "out/outlook"
    ),
    vary: VaryOpt = [],
    overrides: SetOpt = [],
    assume: Annotated[
        list[str],
        typer.Option("--assume", help="对未来的假设 key=value（见 rotation.outlook）/ assumption"),
    ] = [],
    policy_file: PolicyOpt = None,
    locks_file: LocksOpt = None,
    executor: ExecutorOpt = "local",
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    time_limit: TimeOpt = 30.0,
    backend: BackendOpt = "highs",
    retries: RetriesOpt = 1,
    lang: LangOpt = "zh",
    quiet: QuietOpt = False,
) -> None:
    """逐年推演全县 / roll the county forward a school year at a time under each policy.

    假设参数 (--assume)：stay_after_term_share、promotion_share、replace_leavers、hire_age、
    hire_degree、urban_enrolment_growth、rural_enrolment_growth、needs (declared/derived)、seed。
    """
    language(lang)
    options = _options(backend, time_limit, executor, scheduler, workers)
    output_folder(out)
    if to_year < from_year:
        refuse(f"--to {to_year} 早于 --from {from_year} / --to is before --from")
    try:
        assumptions = OutlookAssumptions.from_items(assume)
    except ValueError as exc:
        typer.echo(f"假设参数无效 / invalid assumption: {exc}", err=True)
        raise typer.Exit(2) from exc
    policy = load_policy(policy_file, [])
    grid = _grid(vary, overrides, policy)
    dataset, locks = load_inputs(data, locks_file, lang, year=from_year)
    check_locks(dataset, from_year, [s.policy(policy) for s in grid], locks, lang)
    with StopOnSignal() as stop:
        try:
            result = run_outlook_sweep(
                dataset, from_year, to_year, policy, grid, assumptions, locks, options, executor,
                _reporter(quiet, stop), scheduler=scheduler, workers=workers, retries=retries,
                should_stop=stop.should_stop,
            )  # fmt: skip
        except Interrupted:
            refuse(INTERRUPTED_NOTHING, EXIT_INTERRUPTED)
        write_outlook(result, dataset, out)
    for o in result.outcomes:
        if o.outlook is None:
            typer.echo(f"{o.scenario.scenario_id} {o.scenario.label}: 失败 / failed: {o.error}")
            continue
        first = o.outlook.first_year_meeting_standard
        verdict = (
            f"{first} 年起持续达到2017年标准教师部分 / meets the teacher part of the 2017 standard "
            f"from {first} on"
            if first is not None
            else f"至 {to_year} 年未能持续达到2017年标准教师部分 / does not hold the teacher part of "
            f"the 2017 standard by {to_year}"
        )
        typer.echo(f"{o.scenario.scenario_id} {o.scenario.label}: {verdict}")
        for y in o.outlook.years:
            f = y["figures"]
            typer.echo(
                f"  {y['year']}: 交流 {f['moved']} 人，达标单位 {f['quota_units_met']}/{f['quota_units']}，"
                f"交流期内 {y['on_exchange_at_start']} 人，退休 {y['events']['retired']} 人 / moved, units met, on exchange, retired"
            )
            typer.echo(f"    {standard_line(y['standard'])}")
    for text in sorted({o.outlook.standard_reading for o in result.outcomes if o.outlook}):
        typer.echo(f"  {text}")
    typer.echo(
        f"已写出 / written: {out}/trajectory.csv, schools.csv, quotas.csv, outlook.png, outlook.json"
    )
    if stop.requested:
        refuse(INTERRUPTED_KEPT, EXIT_INTERRUPTED)
    if result.failed:
        raise typer.Exit(EXIT_VIOLATIONS)
