"""``rotation allocate`` (县管校聘 three rounds) and ``rotation title-posts`` (中高级岗位分配)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli.arguments import (
    EXIT_INTERRUPTED,
    EXIT_VIOLATIONS,
    existing_path,
    in_lang,
    one_of,
    output_folder,
    refuse,
    words,
)
from cli.inputs import load_inputs
from cli.interrupt import INTERRUPTED_KEPT, INTERRUPTED_NOTHING, Interrupted, StopOnSignal
from cli.main import app
from cli.options import LangOpt
from rotation.allocation_files import ScoresError, read_scores, scores_from_dataset_folder
from rotation.hiring import HiringPolicy
from rotation.io import DatasetError
from rotation.io.posts_file import read_posts
from rotation.title_posts import TitlePostError
from workflows.allocation import run_hiring_rounds
from workflows.exports import write_allocation_outputs, write_title_post_outputs
from workflows.title_posts import share_title_posts


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
        float,
        typer.Option(
            "--time-limit", help="组织调剂求解时限（秒，cpsat）/ round-3 time limit (s, cpsat)"
        ),
    ] = 30.0,
    seed: Annotated[int, typer.Option("--seed", help="求解随机种子 / solver seed")] = 0,
    posts_file: Annotated[
        Path | None,
        typer.Option(
            "--posts",
            help="核定岗位 CSV（学校编号, 学段, 学科, 核定岗位数）；缺省时按编制标准推算 / approved posts",
        ),
    ] = None,
    lottery_seed: Annotated[
        int | None,
        typer.Option(
            "--lottery-seed",
            min=0,
            help="同等条件抽签的种子，默认取学年 / tie-break lottery seed (default: the year)",
        ),
    ] = None,
    lang: LangOpt = "zh",
) -> None:
    """县管校聘：校内竞聘、跨校竞聘、组织调剂 / the three hiring rounds.

    写出 allocation.csv、allocation.xlsx、staffing.csv、allocation.json，并独立校验结果。

    Writes allocation.csv, allocation.xlsx, staffing.csv and allocation.json to --out, and
    checks the result independently.
    """
    one_of("--round3-backend", backend, ("flow", "cpsat"))
    if time_limit <= 0:
        refuse(
            words(
                lang,
                f"--time-limit 须大于 0 秒，收到 {time_limit}",
                f"--time-limit must be more than 0 seconds; got {time_limit}",
            )
        )
    output_folder(out)
    existing_path("--scores", scores_file)
    existing_path("--posts", posts_file)
    dataset = load_inputs(data, None, lang)[0]
    posts = None
    if posts_file is not None:
        try:
            posts = read_posts(posts_file, dataset)
        except DatasetError as exc:
            typer.echo(exc.report(lang), err=True)
            raise typer.Exit(1) from exc
    known = [t.teacher_id for t in dataset.teachers]
    try:
        if scores_file is not None:
            scores = read_scores(scores_file, known)
        elif data.is_dir():
            scores = scores_from_dataset_folder(data, known)
        else:
            scores = {}
    except DatasetError as exc:  # every problem of the scores file, as a roster's
        typer.echo(exc.report(lang), err=True)
        raise typer.Exit(1) from exc
    except (ScoresError, OSError) as exc:
        typer.echo(in_lang(lang, str(exc)), err=True)
        raise typer.Exit(2) from exc
    policy = HiringPolicy(
        level_rule=not no_level_rule,
        allow_subject_change=not no_subject_change,
        lottery_seed=lottery_seed,
    )
    with StopOnSignal() as stop:
        try:
            outcome = run_hiring_rounds(
                dataset,
                year,
                policy,
                scores,
                backend="cpsat" if backend == "cpsat" else "flow",
                time_limit=time_limit,
                seed=seed,
                posts=posts,
            )
        except Interrupted:
            refuse(INTERRUPTED_NOTHING, EXIT_INTERRUPTED)
        stop.a_plan_exists()
        write_allocation_outputs(outcome.allocation, dataset, out, posts)
    problems = outcome.problems
    m = outcome.allocation.metrics
    typer.echo(_allocation_summary(m, len(scores), str(posts_file) if posts else None, lang))
    if stop.requested:
        refuse(INTERRUPTED_KEPT, EXIT_INTERRUPTED)
    if problems:
        n = len(problems)
        typer.echo(words(lang, f"校验发现 {n} 处问题", f"the check found {n} problems:"))
        for p in problems[:20]:
            typer.echo(f"  [{p.rule}] {p.subject}" + ("" if lang == "en" else f": {p.message}"))
        raise typer.Exit(EXIT_VIOLATIONS)
    typer.echo(
        f"check passed; written to: {out}"
        if lang == "en"
        else f"校验通过 / check passed. 输出 / written to: {out}"
    )


def _allocation_summary(m: dict[str, Any], scored: int, posts_file: str | None, lang: str) -> str:
    """The rounds' counts, in Chinese with English alongside, or in English."""
    if lang == "en":
        posts = f"approved posts {posts_file}" if posts_file else "derived from the staffing norms"
        return (
            f"{m['teachers']} teachers, {m['posts']} posts\n"
            f"  kept at their school (round 1): {m['kept']}\n"
            f"  hired across schools (round 2): {m['cross']}\n"
            f"  placed by the bureau (round 3): {m['assigned']}, of them subject changes "
            f"{m['subject_changes']} ({m['round3_status']}, {m['round3_backend']})\n"
            f"  of them final placements: {m['final_placements']}\n"
            f"  unplaced (training): {m['unplaced']}; county's structural surplus "
            f"{m['structural_surplus']}\n"
            f"  protected, kept outside the ranking: {m['protected']}\n"
            f"  posts: {posts}\n"
            f"  evaluation scores: {scored} teachers\n"
            f"  ranking: {m.get('ranking_en') or m['ranking']}"
        )
    posts = f"核定岗位 {posts_file}" if posts_file else "按编制标准推算 derived"
    return (
        f"教师 {m['teachers']} 人，编制岗位 {m['posts']} 个 / {m['teachers']} teachers, "
        f"{m['posts']} posts\n"
        f"  校内竞聘留任 kept: {m['kept']}\n"
        f"  跨校竞聘聘用 cross: {m['cross']}\n"
        f"  组织调剂安置 assigned: {m['assigned']}，其中转岗 subject changes "
        f"{m['subject_changes']} ({m['round3_status']}, {m['round3_backend']})\n"
        f"  其中兜底安置 final placements: {m['final_placements']}\n"
        f"  待岗培训 unplaced: {m['unplaced']}；全县结构性超编 structural surplus "
        f"{m['structural_surplus']}\n"
        f"  受保护直接留任 protected (免交流、临近退休、县定保护): {m['protected']}\n"
        f"  岗位 posts: {posts}\n"
        f"  评价分数 scores: {scored} 人 / teachers\n"
        f"  排序 ranking: {m['ranking']}"
    )


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
        typer.Option(
            "--tilt",
            help="农村比例至少高出城镇的幅度 (0.05 = 5个百分点) / rural share above urban (0.05 = 5 points)",
        ),
    ] = 0.05,
    lang: LangOpt = "zh",
) -> None:
    """中高级岗位按学段分池、按编制分配到校并向农村倾斜 / allocate senior and intermediate title posts.

    写出 title_posts.csv、title_posts.xlsx、title_posts.json。

    Writes title_posts.csv, title_posts.xlsx and title_posts.json to --out.
    """
    if senior < 0 or intermediate < 0:
        refuse(
            words(
                lang,
                "--senior 与 --intermediate 须为不小于 0 的整数",
                "--senior and --intermediate must be 0 or more",
            )
        )
    if not 0 <= tilt <= 1:
        refuse(
            words(
                lang,
                f"--tilt 须在 0 到 1 之间（如 0.05），收到 {tilt}",
                f"--tilt must be from 0 to 1; got {tilt}",
            )
        )
    output_folder(out)
    dataset = load_inputs(data, None, lang)[0]
    try:
        result = share_title_posts(dataset, senior, intermediate, tilt)
    except TitlePostError as exc:
        refuse(in_lang(lang, str(exc)))
    write_title_post_outputs(result, out)
    if lang == "en":
        for pool in result.pools:
            shares = (
                f"rural share {pool.rural_share:.1%}, urban {pool.urban_share:.1%}"
                if pool.rural_share is not None and pool.urban_share is not None
                else "one group of schools only"
            )
            met = "met" if pool.tilt_met else "NOT met"
            typer.echo(
                f"{pool.pool}: {pool.senior} senior and {pool.intermediate} intermediate posts; "
                f"{shares}; tilt {result.rural_tilt:.1%}: {met}"
            )
        typer.echo(f"written to: {out}")
        return
    for note in result.notes:
        typer.echo(note)
    typer.echo(f"输出 / written to: {out}")
