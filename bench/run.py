"""The benchmark runner: ``python -m bench.run --quick`` (make bench) or ``--full``.

Every solver runs on every instance in its own subprocess, with the same time limit
and the same target gap; rows are appended to ``results/<run>/rows.jsonl`` as they
come, so a run cut short still leaves its rows, and ``--from`` re-renders a report
from saved rows (several files may be merged).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.instances import (
    CITY_SIZED,
    Instance,
    full_instances,
    instances_named,
    quick_instances,
)
from bench.measure import SOLVERS, run_isolated
from bench.report import machine_info, render, update_readme, write_report

RESULTS = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parent / "README.md"
QUICK_LIMIT = 20.0  # seconds: the longchuan target
LARGE_LIMIT = 120.0  # seconds: the city target
LARGE_FROM = 15_000  # teachers (about): instances from here get the large limit in --full


def time_limit_for(instance: Instance, full: bool, override: float | None) -> float:
    if override is not None:
        return override
    if not full:
        return QUICK_LIMIT
    large = instance.preset in CITY_SIZED or instance.target_teachers >= LARGE_FROM
    return LARGE_LIMIT if large else QUICK_LIMIT


def run(
    instances: Sequence[Instance],
    solvers: Sequence[str],
    *,
    outdir: Path,
    full: bool,
    time_limit: float | None = None,
    gap: float = 0.01,
    workers: int = 2,
    echo: bool = True,
    repeat: int = 1,
) -> list[dict[str, Any]]:
    """Measure every (instance, solver), ``repeat`` times in turn (so a burst of load on
    the machine spreads over instances); write rows.jsonl, results.md/json and plots."""
    outdir.mkdir(parents=True, exist_ok=True)
    log = outdir / "rows.jsonl"
    rows: list[dict[str, Any]] = []
    plan = [(k, inst) for k in range(repeat) for inst in instances]
    for k, inst in plan:
        limit = time_limit_for(inst, full, time_limit)
        for solver in solvers:
            t = time.perf_counter()
            row = run_isolated(inst, solver, time_limit=limit, gap=gap, workers=workers)
            row["repeat"] = k
            rows.append(row)
            with log.open("a", encoding="utf-8") as f:
                f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            if echo:
                print(
                    f"{inst.name:>14} {solver:>9}: {row.get('status')}, "
                    f"to gap {row.get('time_to_gap_s')}, obj {row.get('objective')}, "
                    f"{time.perf_counter() - t:.1f} s wall",
                    flush=True,
                )
    return rows


def read_rows(paths: Sequence[Path]) -> list[dict[str, Any]]:
    rows = []
    for p in paths:
        rows += [
            json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="求解器基准测试 / solver benchmarks"
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--quick", action="store_true", help="small + longchuan 种子1 / a few minutes"
    )
    mode.add_argument(
        "--full", action="store_true", help="全部实例 / every instance (about an hour)"
    )
    parser.add_argument(
        "--instances", nargs="*", help="如 longchuan-s2 series-20k / instance names"
    )
    parser.add_argument("--solvers", nargs="*", default=list(SOLVERS), choices=SOLVERS)
    parser.add_argument(
        "--time-limit", type=float, default=None, help="秒 / seconds (same for all)"
    )
    parser.add_argument(
        "--gap", type=float, default=0.01, help="目标相对间隙 / target relative gap"
    )
    parser.add_argument("--workers", type=int, default=2, help="线程 / threads per solver")
    parser.add_argument("--out", type=Path, default=None, help="输出目录 / output folder")
    parser.add_argument(
        "--repeat", type=int, default=1, help="每组重复次数，取中位数 / repeats (medians taken)"
    )
    parser.add_argument(
        "--from", dest="from_rows", nargs="*", type=Path, help="由已存 rows.jsonl 生成报告"
    )
    parser.add_argument(
        "--readme", action="store_true", help="写入 bench/README.md / update the README"
    )
    args = parser.parse_args(argv)

    full = bool(args.full)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    outdir = args.out or RESULTS / f"{'full' if full else 'quick'}-{stamp}"
    if args.from_rows:
        rows = read_rows(args.from_rows)
    else:
        if args.instances:
            instances = instances_named(args.instances)
        else:
            instances = full_instances() if full else quick_instances()
        rows = run(
            instances,
            args.solvers,
            outdir=outdir,
            full=full,
            time_limit=args.time_limit,
            gap=args.gap,
            workers=args.workers,
            repeat=max(1, args.repeat),
        )
    info = machine_info()
    title = f"基准测试 Benchmark ({'full' if full else 'quick'}, {info['date'][:10]})"
    md = write_report(rows, outdir, title=title, info=info)
    if args.readme:
        update_readme(README, render(rows, info, title=title))
    print(f"报告 / report: {md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
