"""Province-scale what-if: many generated counties × a policy grid, on a local process pool
and on a local Dask cluster of several workers; prints the wall times (not part of the tests).

    .venv/bin/python bench/province.py --counties 12 --preset small --workers 2
    .venv/bin/python bench/province.py --counties 4 --preset longchuan --workers 4 --time-limit 20

Every county is a different seed of the preset; every scenario of every county is one task.
"""

from __future__ import annotations

import argparse
import json
import time

from rotation.policy import Policy
from rotation.scenarios import scenario_grid
from sample_data import generate
from solver.options import SolveOptions
from solver.sweep import start_local_cluster
from workflows.sweep import run_scenarios


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--counties", type=int, default=12)
    ap.add_argument("--preset", default="small")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--year", type=int, default=2026)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--vary", action="append", default=None)
    args = ap.parse_args()
    varies = args.vary or ["rotation_rate+max_rotation_rate=0.10,0.15", "backbone_share=0.2,0.3"]

    t0 = time.perf_counter()
    datasets = {
        f"C{i + 1:03d}": generate(args.preset, seed=i + 1, year=args.year)
        for i in range(args.counties)
    }
    gen_s = time.perf_counter() - t0
    grid = scenario_grid(varies)
    scenarios = [
        s.model_copy(
            update={"index": n, "scenario_id": f"{key}-{s.scenario_id}", "dataset_key": key}
        )
        for n, (key, s) in enumerate((k, s) for k in datasets for s in grid)
    ]
    options = SolveOptions(backend="highs", time_limit=args.time_limit)
    teachers = sum(len(d.teachers) for d in datasets.values())
    print(
        f"{args.counties} × {args.preset} counties ({teachers} teachers, generated in {gen_s:.1f}s), "
        f"{len(scenarios)} tasks, {args.workers} workers"
    )

    timings: dict[str, float] = {}
    results = {}
    for name in ("serial", "local"):
        t = time.perf_counter()
        results[name] = run_scenarios(
            datasets,
            args.year,
            Policy(),
            scenarios,
            options=options,
            executor=name,
            workers=args.workers,
        )
        timings[name] = time.perf_counter() - t
    t = time.perf_counter()
    cluster, client = start_local_cluster(args.workers)
    startup = time.perf_counter() - t
    try:
        t = time.perf_counter()
        results["dask"] = run_scenarios(
            datasets,
            args.year,
            Policy(),
            scenarios,
            options=options,
            executor="dask",
            client=client,
            workers=args.workers,
        )
        timings["dask"] = time.perf_counter() - t
    finally:
        client.close()
        cluster.close()
    same = all(
        a.plan is not None and b.plan is not None and a.plan.moves == b.plan.moves
        for a, b in zip(results["local"].outcomes, results["dask"].outcomes, strict=True)
    )
    failed = {k: len(r.failed) for k, r in results.items()}
    print(
        json.dumps(
            {
                "wall_seconds": {k: round(v, 2) for k, v in timings.items()},
                "dask_cluster_startup_seconds": round(startup, 2),
                "dask_equals_local": same,
                "failed": failed,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
