"""``rotation sample``: write a synthetic county roster (CSV folder or .xlsx workbook)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.arguments import output_folder, refuse, words
from cli.main import app
from cli.options import LangOpt
from rotation.io import write_dataset, write_dataset_xlsx
from rotation.models import Dataset
from sample_data.generator import DEFAULT_YEAR, generate
from sample_data.presets import PRESETS


def sample_summary(dataset: Dataset, lang: str = "zh") -> str:
    """One line: 学校 N 所, 教师 M 人, 岗位需求 K 个 (with English alongside)."""
    schools, teachers = len(dataset.schools), len(dataset.teachers)
    needs = sum(n.count for n in dataset.needs)
    if lang == "en":
        return f"{schools} schools, {teachers} teachers, {needs} posts needed"
    return (
        f"学校 {schools} 所, 教师 {teachers} 人, 岗位需求 {needs} 个 / "
        f"{schools} schools, {teachers} teachers, {needs} posts needed"
    )


@app.command("sample")
def sample(
    out: Annotated[
        Path, typer.Option("--out", help="输出文件夹或 .xlsx 文件 / output folder or .xlsx file")
    ],
    preset: Annotated[
        str, typer.Option("--preset", help=f"样本预设 / preset: {', '.join(PRESETS)}")
    ] = "small",
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed")] = 1,
    year: Annotated[int, typer.Option("--year", help="方案年度 / plan year")] = DEFAULT_YEAR,
    xlsx: Annotated[
        bool, typer.Option("--xlsx", help="写成 Excel 工作簿 / write an Excel workbook")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """生成模拟县域名册 / write a synthetic county roster (same seed, same files)."""
    if preset not in PRESETS:
        refuse(
            words(
                lang,
                f"没有名为 {preset!r} 的样本预设；可选：{'、'.join(PRESETS)}",
                f"no sample preset {preset!r}; choose one of: {', '.join(PRESETS)}",
            )
        )
    workbook = xlsx or out.suffix.lower() == ".xlsx"
    if workbook:
        target = out if out.suffix.lower() == ".xlsx" else out.with_suffix(".xlsx")
        if target.is_dir():
            refuse(f"--out {target} 是文件夹，应为 .xlsx 文件 / --out {target} is a folder, not an .xlsx file")
        output_folder(target.parent)
    else:
        output_folder(out)
    dataset = generate(preset, seed=seed, year=year)
    if workbook:
        target.parent.mkdir(parents=True, exist_ok=True)
        written = write_dataset_xlsx(dataset, target)
    else:
        written = write_dataset(dataset, out)
    typer.echo(f"{sample_summary(dataset, lang)} → {written}")
