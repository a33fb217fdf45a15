"""``rotation allocate`` (县管校聘 three rounds) and ``rotation title-posts`` (中高级岗位分配)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.inputs import load_inputs
from cli.main import app
from rotation.allocation_files import (
    ScoresError,
    read_scores,
    scores_from_dataset_folder,
    write_allocation_csv,
    write_allocation_xlsx,
    write_staffing_csv,
    write_title_posts_csv,
    write_title_posts_xlsx,
)
from rotation.hiring import HiringPolicy, check_allocation
from rotation.staffing import staffing_table
from rotation.title_posts import TitlePostError, TitlePostPolicy, allocate_title_posts
from solver.assign_unplaced import run_allocation


@app.command("allocate")
def allocate(
    data: Annotated[
        Path, typer.Option("--data", help="数据文件夹或 .xlsx / dataset folder or .xlsx")
    ],
    year: Annotated[int, typer.Option("--year", help="年度 / school year")],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
    scores_file: Annotated[
        Path | None,
        typer.Option(
            "--scores",
            help="评价分数 CSV（教师编号, 评价分数）；缺省时读 teachers.csv 的 score 列 / scores CSV",
        ),
    ] = None,
    no_level_rule: Annotated[
        bool,
        typer.Option(
            "--no-level-rule", help="不限制向更高层级学校流动 / allow moves to higher-level schools"
        ),
    ] = False,
    backend: Annotated[
        str,
        typer.Option(
            "--round3-backend",
            help="组织调剂求解器：flow（最小费用流，精确）或 cpsat / round-3 solver: flow or cpsat",
        ),
    ] = "flow",
    no_subject_change: Annotated[
        bool,
        typer.Option("--no-subject-change", help="组织调剂不转岗 / no 转岗 in round 3"),
    ] = False,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="组织调剂求解时限（秒，cpsat）")
    ] = 30.0,
    seed: Annotated[int, typer.Option("--seed", help="求解随机种子 / solver seed")] = 0,
    lottery_seed: Annotated[
        int | None,
        typer.Option(
            "--lottery-seed",
            min=0,
            help="同等条件抽签的种子，默认取学年 / tie-break lottery seed (default: the year)",
        ),
    ] = None,
) -> None:
    """县管校聘：校内竞聘、跨校竞聘、组织调剂 / the three hiring rounds.

    Writes allocation.csv, allocation.xlsx, staffing.csv and allocation.json to --out.
    Exit status: 0 done, 1 invalid data, 2 unusable path or option.
    """
    dataset = load_inputs(data)[0]
    try:
        if scores_file is not None:
            scores = read_scores(scores_file)
        elif data.is_dir():
            scores = scores_from_dataset_folder(data)
        else:
            scores = {}
    except (ScoresError, OSError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    if backend not in ("flow", "cpsat"):
        typer.echo(
            f"--round3-backend 只能是 flow 或 cpsat / must be flow or cpsat: {backend}", err=True
        )
        raise typer.Exit(2)
    policy = HiringPolicy(
        level_rule=not no_level_rule,
        allow_subject_change=not no_subject_change,
        lottery_seed=lottery_seed,
    )
    result = run_allocation(
        dataset,
        year,
        policy=policy,
        scores=scores,
        backend="cpsat" if backend == "cpsat" else "flow",
        time_limit=time_limit,
        seed=seed,
    )
    problems = check_allocation(dataset, result, policy=policy, scores=scores)
    out.mkdir(parents=True, exist_ok=True)
    write_allocation_csv(result, out / "allocation.csv")
    write_allocation_xlsx(result, dataset, out / "allocation.xlsx")
    write_staffing_csv(staffing_table(dataset), out / "staffing.csv")
    (out / "allocation.json").write_text(
        json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    m = result.metrics
    typer.echo(
        f"教师 {m['teachers']} 人，编制岗位 {m['posts']} 个 / {m['teachers']} teachers, "
        f"{m['posts']} posts\n"
        f"  校内竞聘留任 kept: {m['kept']}\n"
        f"  跨校竞聘聘用 cross: {m['cross']}\n"
        f"  组织调剂安置 assigned: {m['assigned']}，其中转岗 subject changes "
        f"{m['subject_changes']} ({m['round3_status']}, {m['round3_backend']})\n"
        f"  待岗培训 unplaced: {m['unplaced']}；全县结构性超编 structural surplus "
        f"{m['structural_surplus']}\n"
        f"  评价分数 scores: {len(scores)} 人 / teachers\n"
        f"  排序 ranking: {m['ranking']}"
    )
    if problems:
        typer.echo(f"校验发现 {len(problems)} 处问题 / the check found {len(problems)} problems:")
        for p in problems[:20]:
            typer.echo(f"  [{p.rule}] {p.subject}: {p.message}")
        raise typer.Exit(3)
    typer.echo(f"校验通过 / check passed. 输出 / written to: {out}")


@app.command("title-posts")
def title_posts(
    data: Annotated[
        Path, typer.Option("--data", help="数据文件夹或 .xlsx / dataset folder or .xlsx")
    ],
    senior: Annotated[int, typer.Option("--senior", help="全县高级岗位总数 / senior posts")],
    intermediate: Annotated[
        int, typer.Option("--intermediate", help="全县中级岗位总数 / intermediate posts")
    ],
    out: Annotated[Path, typer.Option("--out", help="输出文件夹 / output folder")],
    tilt: Annotated[
        float,
        typer.Option("--tilt", help="乡村比例至少高出城镇的幅度 (0.05 = 5个百分点) / rural tilt"),
    ] = 0.05,
) -> None:
    """中高级岗位按编制分配到校并向乡村倾斜 / allocate senior and intermediate title posts.

    Writes title_posts.csv, title_posts.xlsx and title_posts.json to --out.
    """
    dataset = load_inputs(data)[0]
    try:
        policy = TitlePostPolicy(rural_tilt=tilt)
        result = allocate_title_posts(dataset, senior, intermediate, policy)
    except (TitlePostError, ValueError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    out.mkdir(parents=True, exist_ok=True)
    write_title_posts_csv(result, out / "title_posts.csv")
    write_title_posts_xlsx(result, out / "title_posts.xlsx")
    (out / "title_posts.json").write_text(
        json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for note in result.notes:
        typer.echo(note)
    typer.echo(f"输出 / written to: {out}")
