"""``rotation whatif``, ``rotation diff`` and ``rotation outlook``: scenario sweeps, plan
comparison and the multi-year outlook, on a local process pool or a Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli.arguments import (
    EXIT_INTERRUPTED,
    EXIT_VIOLATIONS,
    in_lang,
    one_of,
    output_folder,
    refuse,
    solve_options,
    words,
)
from cli.inputs import check_locks, load_inputs, load_policy
from cli.interrupt import INTERRUPTED_KEPT, INTERRUPTED_NOTHING, Interrupted, StopOnSignal
from cli.main import app
from cli.options import (
    DataOpt,
    LangOpt,
    LocksOpt,
    OutFolderOpt,
    PolicyOpt,
    YearOpt,
)
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

VaryOpt = Annotated[
    list[str],
    typer.Option(
        "--vary",
        help="变化的政策参数 key=v1,v2（a+b=… 同取一值）/ a varied parameter (a+b=… vary together)",
    ),
]
SetOpt = Annotated[
    list[str],
    typer.Option("--set", help="所有方案共用的政策参数 key=value / a parameter every scenario shares"),
]
ExecutorOpt = Annotated[
    str,
    typer.Option(
        "--executor", help="local（进程池）/ dask / serial：方案在哪里求解 / where scenarios run"
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask 调度器地址 tcp://host:8786（需另一台机器上的调度器）/ Dask scheduler address",
    ),
]
WorkersOpt = Annotated[int | None, typer.Option("--workers", help="并行任务数 / parallel tasks")]
TimeOpt = Annotated[
    float, typer.Option("--time-limit", help="每个方案的求解时限（秒）/ time limit per scenario (s)")
]
BackendOpt = Annotated[
    str, typer.Option("--backend", help="求解器 / solver: highs / cpsat / scip / greedy")
]
RetriesOpt = Annotated[int, typer.Option("--retries", help="失败任务重试次数 / retries of a failed task")]
QuietOpt = Annotated[bool, typer.Option("--quiet", help="不显示进度 / no progress")]
DIFF_FILE_SUFFIXES = (".json",)  # an --out that names a file, as diff took it before


def _assume_epilog() -> str:
    lines = ["假设参数 / --assume keys (key=value):"]
    lines += [
        f"  {key} = {default}: {zh} / {en}" for key, default, zh, en in OutlookAssumptions.describe()
    ]
    return "\n\n".join(lines)


# ------------------------------------------------------------------ shared helpers
def standard_line(s: dict[str, Any], lang: str) -> str:
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
    zh = (
        f"2017年标准教师部分：{verdict}（{cv}；{sch}，"
        f"{s['small_schools_left_out']} 所小规模学校不逐校评判；{exc}）"
    )
    en = (
        f"teacher part of the 2017 standard: {'met' if s['meets'] else 'not met'} (CVs "
        f"{'within limits' if s['cv_met'] else 'over: ' + ', '.join(s['cv_over'])}; "
        f"{s['schools_failing']}/{s['schools_judged']} schools short, "
        f"{s['small_schools_left_out']} small schools not judged one by one; exchange "
        f"{ex['ratio']:.1%}, backbone {ex['backbone_share']:.1%}"
        f"{'' if ex['met'] else ' (short)'})"
    )
    return words(lang, zh, en)


def _grid(varies: list[str], sets: list[str], policy: Policy, lang: str) -> list[Scenario]:
    try:
        return scenario_grid(varies, sets, policy)
    except PolicyError as exc:
        typer.echo(in_lang(lang, str(exc)), err=True)
        raise typer.Exit(2) from exc


def _options(
    backend: str,
    time_limit: float,
    executor: str,
    scheduler: str | None,
    workers: int | None,
    lang: str = "zh",
) -> SolveOptions:
    one_of("--executor", executor, EXECUTORS)
    if scheduler and executor != "dask":
        refuse(words(lang, "--scheduler 仅用于 --executor dask", "--scheduler needs --executor dask"))
    if workers is not None and workers < 1:
        refuse(
            words(
                lang,
                f"--workers 须为不小于 1 的整数，收到 {workers}",
                f"--workers must be 1 or more; got {workers}",
            )
        )
    return solve_options(backend=backend, time_limit=time_limit)


def _reporter(quiet: bool, stop: StopOnSignal, lang: str = "zh") -> Any:
    def show(p: SweepProgress) -> None:
        if p.ok:
            stop.a_plan_exists()  # from now on a stop keeps the scenarios already planned
        if quiet:
            return
        state = words(lang, "完成", "done") if p.ok else words(lang, "失败", "failed") + f" ({p.message})"
        retry = words(lang, f"，第 {p.attempts} 次", f", attempt {p.attempts}") if p.attempts > 1 else ""
        typer.echo(
            f"[{p.done}/{p.total}] {p.scenario_id} {in_lang(lang, p.label)}: {state}{retry}", err=True
        )

    return show


# ------------------------------------------------------------------ whatif
@app.command("whatif")
def whatif_command(
    data: DataOpt,
    year: YearOpt,
    out: OutFolderOpt,
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
    hints: Annotated[
        bool,
        typer.Option(
            "--hints/--no-hints", help="以相邻方案为初始解 / start from the neighbour's plan"
        ),
    ] = True,
    plan_files: Annotated[
        bool,
        typer.Option(
            "--plan-files/--no-plan-files", help="写出各方案文件 / write each scenario's plan files"
        ),
    ] = True,
    lang: LangOpt = "zh",
    quiet: QuietOpt = False,
) -> None:
    """比较多个政策方案 / plan every combination of the varied policy parameters.

    写出 comparison.csv、comparison.json、comparison.png 与 scenarios/<编号>/ 下各方案文件。

    Writes comparison.csv, comparison.json, comparison.png and each scenario's plan files
    under scenarios/<id>/.
    """
    options = _options(backend, time_limit, executor, scheduler, workers, lang)
    output_folder(out)
    policy = load_policy(policy_file, [], lang)
    grid = _grid(vary, overrides, policy, lang)
    dataset, locks = load_inputs(data, locks_file, lang, year=year)
    check_locks(dataset, year, [s.policy(policy) for s in grid], locks, lang)
    typer.echo(words(lang, f"共 {len(grid)} 个方案", f"{len(grid)} scenarios"), err=True)
    with StopOnSignal() as stop:
        try:
            result = run_sweep(
                dataset, year, policy, grid, locks, options, executor, _reporter(quiet, stop, lang),
                scheduler=scheduler, workers=workers, retries=retries, hints=hints,
                should_stop=stop.should_stop,
            )  # fmt: skip
        except Interrupted:
            refuse(INTERRUPTED_NOTHING, EXIT_INTERRUPTED)
        write_whatif(result, dataset, policy, out, plan_files)
    typer.echo(format_comparison(result.rows, lang))
    typer.echo(
        f"wall time {result.wall_seconds:.1f} s; written: {out}/comparison.csv, comparison.png"
        if lang == "en"
        else f"用时 {result.wall_seconds:.1f} 秒 / wall time; 已写出 / written: {out}/comparison.csv, comparison.png"
    )
    bad = [
        o
        for o in result.outcomes
        if not o.ok or o.plan is None or o.plan.check is None or not o.plan.check.ok
    ]
    for o in bad:
        typer.echo(
            words(
                lang,
                f"方案 {o.scenario.scenario_id} 失败或未通过校验",
                f"scenario {o.scenario.scenario_id} failed or broke a rule",
            )
            + f": {o.error}",
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
    plan_b: Annotated[
        Path, typer.Argument(help="方案 B：方案文件夹或 plan.csv / plan folder or plan.csv")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="输出文件夹，写出 diff.json（以 .json 结尾则为文件）/ output folder for diff.json "
            "(a path ending in .json is the file itself)",
        ),
    ] = None,
    lang: LangOpt = "zh",
) -> None:
    """比较两个方案 / who moves in one plan and not the other, and how the figures differ.

    列出只在一个方案中交流的教师、两方案的指标与不同的政策参数；--out 文件夹写出 diff.json。

    Lists who moves in one plan only, the figures side by side and the policy parameters
    that differ; --out FOLDER writes diff.json there.
    """
    target = None
    if out is not None:
        if out.suffix.lower() in DIFF_FILE_SUFFIXES:
            output_folder(out.parent)
            if out.is_dir():
                refuse(words(lang, f"--out {out} 是文件夹", f"--out {out} is a folder"))
            target = out
        else:
            target = output_folder(out) / "diff.json"
    for path in (plan_a, plan_b):
        if not path.exists():
            refuse(words(lang, f"方案路径不存在：{path}", f"plan path does not exist: {path}"))
    try:
        diff = plan_diff_files(plan_a, plan_b)
    except DatasetError as exc:
        typer.echo(exc.report(lang), err=True)
        raise typer.Exit(1) from exc
    typer.echo(format_plan_diff(diff, lang))
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_json(target, diff.model_dump(mode="json"))
        typer.echo(words(lang, "已写出", "written") + f": {target}")


# ------------------------------------------------------------------ outlook
@app.command("outlook", epilog=_assume_epilog())
def outlook_command(
    data: DataOpt,
    from_year: Annotated[int, typer.Option("--from", help="第一年 / first plan year")],
    to_year: Annotated[int, typer.Option("--to", help="最后一年 / last plan year")],
    out: OutFolderOpt = Path("out/outlook"),
    vary: VaryOpt = [],
    overrides: SetOpt = [],
    assume: Annotated[
        list[str],
        typer.Option(
            "--assume",
            help="对未来的假设 key=value（各键见下）/ an assumption about the years ahead (keys below)",
        ),
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

    每年：期满返回、任教年限增长、退休与补充、晋升、招生变化，再按政策制定当年方案；报告指标
    轨迹与首个达标年份。

    Each year: terms end, tenure grows, retirements are replaced,
    promotions, enrolment changes; then the year is planned. Reports the indicators'
    trajectory and the first year the county meets the standard.
    """
    options = _options(backend, time_limit, executor, scheduler, workers, lang)
    output_folder(out)
    if to_year < from_year:
        refuse(
            words(
                lang, f"--to {to_year} 早于 --from {from_year}", f"--to {to_year} is before --from {from_year}"
            )
        )
    try:
        assumptions = OutlookAssumptions.from_items(assume)
    except ValueError as exc:
        refuse(words(lang, "假设参数无效", "invalid --assume") + ": " + in_lang(lang, str(exc)))
    policy = load_policy(policy_file, [], lang)
    grid = _grid(vary, overrides, policy, lang)
    dataset, locks = load_inputs(data, locks_file, lang, year=from_year)
    check_locks(dataset, from_year, [s.policy(policy) for s in grid], locks, lang)
    with StopOnSignal() as stop:
        try:
            result = run_outlook_sweep(
                dataset, from_year, to_year, policy, grid, assumptions, locks, options, executor,
                _reporter(quiet, stop, lang), scheduler=scheduler, workers=workers, retries=retries,
                should_stop=stop.should_stop,
            )  # fmt: skip
        except Interrupted:
            refuse(INTERRUPTED_NOTHING, EXIT_INTERRUPTED)
        write_outlook(result, dataset, out)
    for line in _outlook_lines(result.outcomes, from_year, to_year, lang):
        typer.echo(line)
    written = f"{out}/trajectory.csv, schools.csv, quotas.csv, outlook.png, outlook.json"
    typer.echo(words(lang, "已写出", "written") + f": {written}")
    if stop.requested:
        refuse(INTERRUPTED_KEPT, EXIT_INTERRUPTED)
    if result.failed:
        raise typer.Exit(EXIT_VIOLATIONS)


def _itinerant_line(f: dict[str, Any], lang: str) -> str:
    """An outlook year's 走教: hours covered of those needed, teachers, PE/arts schools below."""
    covered, needed, n = f["itinerant_hours_covered"], f["itinerant_hours_needed"], f["itinerant_teachers"]
    before, after = f["arts_pe_below_before_itinerant"], f["arts_pe_below_with_itinerant"]
    return words(
        lang,
        f"走教 {covered}/{needed} 节/周（{n} 名教师），体艺指标未达标小学 {before} 所，"
        f"按课时折算计入走教 {after} 所",
        f"itinerant teaching {covered}/{needed} weekly hours ({n} teachers), primary schools "
        f"below the PE/arts standard {before}, {after} counting itinerant hours",
    )


def _outlook_lines(outcomes: Any, from_year: int, to_year: int, lang: str) -> list[str]:
    """Each scenario's verdict and its years, in Chinese with English alongside, or English."""
    en = lang == "en"
    lines: list[str] = []
    for o in outcomes:
        head = f"{o.scenario.scenario_id} {in_lang(lang, o.scenario.label)}"
        if o.outlook is None:
            lines.append(f"{head}: " + words(lang, "失败", "failed") + f": {o.error}")
            continue
        first = o.outlook.first_year_meeting_standard
        if first is not None:
            verdict = words(
                lang,
                f"{first} 年起持续达到2017年标准教师部分",
                f"meets the teacher part of the 2017 standard from {first} on",
            )
        else:
            verdict = words(
                lang,
                f"至 {to_year} 年未能持续达到2017年标准教师部分",
                f"does not hold the teacher part of the 2017 standard by {to_year}",
            )
        lines.append(f"{head}: {verdict}")
        for y in o.outlook.years:
            f = y["figures"]
            if en:
                lines.append(
                    f"  {y['year']}: moved {f['moved']}, quota units met "
                    f"{f['quota_units_met']}/{f['quota_units']}, on exchange "
                    f"{y['on_exchange_at_start']}, retired {y['events']['retired']}, "
                    f"leaders due {y['events'].get('leaders_due', 0)}, "
                    f"moved {y['events'].get('leaders_moved', 0)}"
                )
            else:
                lines.append(
                    f"  {y['year']}: 交流 {f['moved']} 人，达标单位 {f['quota_units_met']}/{f['quota_units']}，"
                    f"交流期内 {y['on_exchange_at_start']} 人，退休 {y['events']['retired']} 人，"
                    f"校长副校长期满 {y['events'].get('leaders_due', 0)} 人、交流 "
                    f"{y['events'].get('leaders_moved', 0)} 人 / moved, units met, on exchange, "
                    "retired, leaders due and moved"
                )
            lines.append(f"    {standard_line(y['standard'], lang)}")
            if f.get("itinerant_hours_needed") is not None:  # 走教 (issue 18)
                lines.append(f"    {_itinerant_line(f, lang)}")
    for text in sorted({o.outlook.standard_reading for o in outcomes if o.outlook}):
        lines.append(f"  {in_lang(lang, text)}")
    return lines
