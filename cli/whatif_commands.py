"""``rotation whatif``, ``rotation diff`` and ``rotation outlook``: scenario sweeps, plan
comparison and the multi-year outlook, on a local process pool or a Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from cli.charts import chart_labels
from cli.inputs import load_inputs, load_policy
from cli.main import app
from rotation.io import (
    DatasetError,
    write_compliance_csv,
    write_plan_csv,
    write_plan_xlsx,
)
from rotation.io.writing import csv_value, write_csv
from rotation.models import Dataset
from rotation.outlook import OutlookAssumptions
from rotation.plan_diff import format_plan_diff, plan_diff_files
from rotation.plan_report import plan_summary
from rotation.policy import Policy, PolicyError
from rotation.scenarios import Scenario, format_comparison, scenario_grid, write_comparison_csv
from solver.options import BACKENDS, SolveOptions
from solver.sweep import EXECUTORS, SweepProgress, SweepResult, run_outlook_sweep, run_sweep

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
def _grid(varies: list[str], sets: list[str], policy: Policy) -> list[Scenario]:
    try:
        return scenario_grid(varies, sets, policy)
    except PolicyError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc


def _options(backend: str, time_limit: float, executor: str, scheduler: str | None) -> SolveOptions:
    if backend not in BACKENDS:
        typer.echo(f"--backend 应为 {'/'.join(BACKENDS)} / unknown backend {backend!r}", err=True)
        raise typer.Exit(2)
    if executor not in EXECUTORS:
        typer.echo(
            f"--executor 应为 {'/'.join(EXECUTORS)} / unknown executor {executor!r}", err=True
        )
        raise typer.Exit(2)
    if scheduler and executor != "dask":
        typer.echo(
            "--scheduler 仅用于 --executor dask / --scheduler needs --executor dask", err=True
        )
        raise typer.Exit(2)
    try:
        return SolveOptions(backend=backend, time_limit=time_limit)  # type: ignore[arg-type]
    except ValueError as exc:
        typer.echo(f"求解参数无效 / invalid solve options: {exc}", err=True)
        raise typer.Exit(2) from exc


def _reporter(quiet: bool) -> Any:
    def show(p: SweepProgress) -> None:
        if quiet:
            return
        state = "完成 / done" if p.ok else f"失败 / failed ({p.message})"
        retry = f"，第 {p.attempts} 次 / attempt {p.attempts}" if p.attempts > 1 else ""
        typer.echo(f"[{p.done}/{p.total}] {p.scenario_id} {p.label}: {state}{retry}", err=True)

    return show


def _write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
        encoding="utf-8",
    )


# ------------------------------------------------------------------ whatif
def write_whatif(
    result: SweepResult, dataset: Dataset, base: Policy, out: Path, plan_files: bool = True
) -> None:
    """comparison.csv, comparison.json, comparison.png and each scenario's plan files."""
    out.mkdir(parents=True, exist_ok=True)
    write_comparison_csv(result.rows, out / "comparison.csv")
    _write_json(
        out / "comparison.json",
        result.model_dump(mode="json", exclude={"outcomes": {"__all__": {"plan"}}}),
    )
    comparison_chart(result.rows, out / "comparison.png")
    if not plan_files:
        return
    for o in result.outcomes:
        if o.plan is None:
            continue
        folder = out / "scenarios" / o.scenario.scenario_id
        folder.mkdir(parents=True, exist_ok=True)
        policy = o.scenario.policy(base)
        write_plan_csv(o.plan, folder / "plan.csv")
        write_compliance_csv(o.plan, folder / "compliance.csv")
        write_plan_xlsx(o.plan, dataset, folder / "plan.xlsx", policy=policy)
        summary = plan_summary(o.plan, policy) | {"scenario": o.scenario.model_dump(mode="json")}
        _write_json(folder / "summary.json", summary)


STAGE_ZH = {"primary": "小学", "junior": "初中"}
INDICATOR_ZH = {"degree": "学历", "backbone": "骨干", "arts_pe": "体艺"}


def _cv_label_zh(key: str) -> str:
    """``primary_backbone`` → 小学骨干."""
    stage, _, indicator = key.partition("_")
    return STAGE_ZH.get(stage, stage) + INDICATOR_ZH.get(indicator, indicator)


def comparison_chart(rows: list[dict[str, Any]], path: Path) -> Path:
    """Four panels comparing the scenarios (Chinese labels where a Chinese font exists)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = chart_labels()

    ids = [r["scenario_id"] for r in rows]
    x = list(range(len(ids)))

    def val(r: dict[str, Any], k: str) -> float:
        v = r.get(k)
        return float(v) if isinstance(v, int | float) else 0.0

    fig, axes = plt.subplots(2, 2, figsize=(max(8, 1.2 * len(ids) + 4), 8))
    ax = axes[0][0]
    ax.bar(
        [i - 0.2 for i in x],
        [val(r, "moved") for r in rows],
        0.4,
        label=t("交流人数", "teachers moved"),
    )
    ax.bar(
        [i + 0.2 for i in x],
        [val(r, "needs_filled") for r in rows],
        0.4,
        label=t("填补岗位", "needs filled"),
    )
    ax.set_title(t("交流人数与填补岗位", "Moves and needs filled"))
    ax.legend()
    ax = axes[0][1]
    ax.bar(x, [val(r, "quota_units_met") for r in rows], label=t("达标单位", "quota units met"))
    ax.plot(
        x,
        [val(r, "quota_units") for r in rows],
        "k_",
        markersize=20,
        label=t("考核单位", "quota units"),
    )
    ax.set_title(t("比例达标情况", "Quota units met"))
    ax.legend()
    ax = axes[1][0]
    ax.bar(
        x,
        [val(r, "senior_share_sent") for r in rows],
        label=t("交流教师中高级职称占比", "senior share of those sent"),
    )
    ax.plot(
        x,
        [val(r, "county_senior_share") for r in rows],
        "r_",
        markersize=20,
        label=t("全县高级职称占比", "county senior share"),
    )
    ax.set_title(t("高级职称倾斜", "Senior titles"))
    ax.legend()
    ax = axes[1][1]
    keys = [k for k in rows[0] if k.startswith("cv_") and k != "cv_limits_met"] if rows else []
    width = 0.8 / max(1, len(keys))
    for j, k in enumerate(keys):
        ax.bar(
            [i - 0.4 + (j + 0.5) * width for i in x],
            [val(r, k) for r in rows],
            width,
            label=t(_cv_label_zh(k[3:]), k[3:]),
        )
    ax.set_title(t("交流后优质均衡指标差异系数", "Indicator CVs after the plan"))
    ax.legend(fontsize=7)
    for row_axes in axes:
        for a in row_axes:
            a.set_xticks(x)
            a.set_xticklabels(ids)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


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
    退出码：0 完成，1 数据有误，2 参数无法使用，3 有方案失败或未通过独立校验。
    """
    options = _options(backend, time_limit, executor, scheduler)
    policy = load_policy(policy_file, [])
    grid = _grid(vary, overrides, policy)
    dataset, locks = load_inputs(data, locks_file, lang, year=year)
    typer.echo(f"共 {len(grid)} 个方案 / {len(grid)} scenarios", err=True)
    result = run_sweep(
        dataset, year, policy, grid, locks, options, executor, _reporter(quiet),
        scheduler=scheduler, workers=workers, retries=retries, hints=hints,
    )  # fmt: skip
    write_whatif(result, dataset, policy, out, plan_files)
    typer.echo(format_comparison(result.rows, lang))
    typer.echo(
        f"用时 {result.wall_seconds:.1f} 秒 / wall time; 已写出 / written: {out}/comparison.csv, comparison.png"
    )
    bad = [
        o
        for o in result.outcomes
        if not o.ok or not (o.plan and o.plan.metrics.get("check", {}).get("ok"))
    ]
    for o in bad:
        typer.echo(
            f"方案 {o.scenario.scenario_id} 失败或未通过校验 / failed or not checked: {o.error}",
            err=True,
        )
    if bad:
        raise typer.Exit(3)


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
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_json(out, diff.model_dump(mode="json"))


# ------------------------------------------------------------------ outlook
TRAJECTORY_COLUMNS = (
    "scenario_id", "label", "year", "stage", "indicator", "mean_before", "cv_before", "mean_after",
    "cv_after", "limit", "cv_met_after", "schools_below_after",
)  # fmt: skip
SCHOOL_COLUMNS = (
    "scenario_id",
    "year",
    "school_id",
    "name",
    "stage",
    "indicator",
    "value_after",
    "target",
    "met_after",
)
QUOTA_COLUMNS = (
    "scenario_id", "label", "year", "teachers", "on_exchange_at_start", "moved", "quota_units",
    "quota_units_met", "needs_open", "needs_filled", "started", "returned", "stayed", "promoted",
    "retired", "hired", "meets_standard_after",
)  # fmt: skip


def write_outlook(result: SweepResult, dataset: Dataset, out: Path) -> None:
    """outlook.json, trajectory.csv (county), schools.csv, quotas.csv, outlook.png, plans."""
    out.mkdir(parents=True, exist_ok=True)
    traj: list[list[str]] = []
    schools: list[list[str]] = []
    quotas: list[list[str]] = []
    names = {s.school_id: s.name for s in dataset.schools}
    for o in result.outcomes:
        if o.outlook is None:
            continue
        sid, label = o.scenario.scenario_id, o.scenario.label
        for y in o.outlook.years:
            before = {(r["stage"], r["indicator"]): r for r in y["before"]["county"]}
            for r in y["after"]["county"]:
                b = before[(r["stage"], r["indicator"])]
                traj.append(
                    [
                        csv_value(v)
                        for v in (
                            sid,
                            label,
                            y["year"],
                            r["stage"],
                            r["indicator"],
                            b["mean"],
                            b["cv"],
                            r["mean"],
                            r["cv"],
                            r["limit"],
                            r["cv_met"],
                            r["schools_below"],
                        )
                    ]
                )
            for r in y["after"]["schools"]:
                schools.append(
                    [
                        csv_value(v)
                        for v in (
                            sid,
                            y["year"],
                            r["school_id"],
                            names.get(r["school_id"], ""),
                            r["stage"],
                            r["indicator"],
                            r["value"],
                            r["target"],
                            r["met"],
                        )
                    ]
                )
            f, e = y["figures"], y["events"]
            quotas.append(
                [
                    csv_value(v)
                    for v in (
                        sid,
                        label,
                        y["year"],
                        y["teachers"],
                        y["on_exchange_at_start"],
                        f["moved"],
                        f["quota_units"],
                        f["quota_units_met"],
                        f["needs_open"],
                        f["needs_filled"],
                        e["started"],
                        e["returned"],
                        e["stayed"],
                        e["promoted"],
                        e["retired"],
                        e["hired"],
                        y["after"]["meets_standard"],
                    )
                ]
            )
        for plan in o.outlook.plans:
            folder = out / "scenarios" / sid / str(plan.year)
            write_plan_csv(plan, folder / "plan.csv")
            write_compliance_csv(plan, folder / "compliance.csv")
    write_csv(out / "trajectory.csv", TRAJECTORY_COLUMNS, traj)
    write_csv(out / "schools.csv", SCHOOL_COLUMNS, schools)
    write_csv(out / "quotas.csv", QUOTA_COLUMNS, quotas)
    _write_json(
        out / "outlook.json",
        result.model_dump(
            mode="json", exclude={"outcomes": {"__all__": {"plan": True, "outlook": {"plans"}}}}
        ),
    )
    outlook_chart(result, out / "outlook.png")


def outlook_chart(result: SweepResult, path: Path) -> Path:
    """County CVs year by year, one panel per stage and indicator, one line per scenario."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = chart_labels()

    fig, axes = plt.subplots(2, 3, figsize=(13, 7), squeeze=False)
    panels = [(st, k) for st in ("primary", "junior") for k in ("degree", "backbone", "arts_pe")]
    for (st, k), ax in zip(panels, [a for row in axes for a in row], strict=True):
        limit = None
        for o in result.outcomes:
            if o.outlook is None:
                continue
            xs, ys = [], []
            for y in o.outlook.years:
                r = next(
                    r for r in y["after"]["county"] if r["stage"] == st and r["indicator"] == k
                )
                xs.append(y["year"])
                ys.append(r["cv"])
                limit = r["limit"]
            ax.plot(xs, ys, marker="o", label=o.scenario.scenario_id)
        if limit is not None:
            ax.axhline(limit, color="red", linestyle="--", linewidth=1, label=t("上限", "limit"))
        ax.set_title(t(f"{STAGE_ZH[st]}{INDICATOR_ZH[k]}差异系数", f"{st} {k} CV"))
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


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
    options = _options(backend, time_limit, executor, scheduler)
    if to_year < from_year:
        typer.echo(f"--to {to_year} 早于 --from {from_year} / --to is before --from", err=True)
        raise typer.Exit(2)
    try:
        assumptions = OutlookAssumptions.from_items(assume)
    except ValueError as exc:
        typer.echo(f"假设参数无效 / invalid assumption: {exc}", err=True)
        raise typer.Exit(2) from exc
    policy = load_policy(policy_file, [])
    grid = _grid(vary, overrides, policy)
    dataset, locks = load_inputs(data, locks_file, lang, year=from_year)
    result = run_outlook_sweep(
        dataset, from_year, to_year, policy, grid, assumptions, locks, options, executor, _reporter(quiet),
        scheduler=scheduler, workers=workers, retries=retries,
    )  # fmt: skip
    write_outlook(result, dataset, out)
    for o in result.outcomes:
        if o.outlook is None:
            typer.echo(f"{o.scenario.scenario_id} {o.scenario.label}: 失败 / failed: {o.error}")
            continue
        first = o.outlook.first_year_meeting_standard
        verdict = (
            f"{first} 年起差异系数全部达标 / meets the CV standard from {first}"
            if first is not None
            else f"{from_year}–{to_year} 年间未达标 / does not meet the standard by {to_year}"
        )
        typer.echo(f"{o.scenario.scenario_id} {o.scenario.label}: {verdict}")
        for y in o.outlook.years:
            f = y["figures"]
            typer.echo(
                f"  {y['year']}: 交流 {f['moved']} 人，达标单位 {f['quota_units_met']}/{f['quota_units']}，"
                f"交流期内 {y['on_exchange_at_start']} 人，退休 {y['events']['retired']} 人 / moved, units met, on exchange, retired"
            )
    typer.echo(
        f"已写出 / written: {out}/trajectory.csv, schools.csv, quotas.csv, outlook.png, outlook.json"
    )
    if result.failed:
        raise typer.Exit(3)
