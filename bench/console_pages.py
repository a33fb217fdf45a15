"""Console page timings: ``python -m bench.console_pages`` (make bench-console).

Starts the service (uvicorn, SQLite in a temporary folder, two solve workers), imports the
``longchuan`` county, makes a plan and a re-plan of it, then starts two long solves that
keep both workers busy, and while they run opens every console page many times: a page
is the set of API requests the console's JavaScript makes to show it (listed in PAGES,
the same URLs as ``api/console/static/js/pages/*.js``), sent one after another as a
conservative stand-in for the browser's parallel fetches. Prints p50/p95/max per page and
writes ``bench/results/console-pages.json``. Timing, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "console-pages.json"
TOKEN = "bench-officer-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}

# page -> the requests it makes ({d} dataset, {p} plan, {q} re-plan, {t} a teacher's name)
PAGES: dict[str, list[str]] = {
    "shell (/, session, vocabulary, datasets)": ["/", "/session", "/vocabulary", "/datasets"],
    "county: schools": ["/datasets/{d}/county", "/datasets/{d}/county/schools?limit=50"],
    "county: schools of a town": ["/datasets/{d}/county/schools?town={town}&limit=50"],
    "county: teachers": ["/datasets/{d}/county/teachers?limit=50"],
    "county: ineligible teachers by subject": [
        "/datasets/{d}/county/teachers?eligible=false&subject=math&limit=50"
    ],
    "policy": ["/policy/form", "/policies"],
    "plan list": ["/plans?dataset_id={d}", "/policies"],
    "audit log": ["/audit?limit=50"],
    "audit of one plan": ["/audit?object_kind=plan&object_id={p}&limit=50"],
    "published plans": ["/published?year=2026"],
    "plan: moves": ["/plans/{p}", "/plans/{p}/moves?limit=50"],
    "plan: moves sorted by distance, page 5": [
        "/plans/{p}/moves?sort=distance_km&descending=true&offset=200&limit=50"
    ],
    "plan: moves of one school": ["/plans/{p}/moves?school_id={school}&limit=50"],
    "plan: compliance": ["/plans/{p}/compliance"],
    "plan: indicators": ["/plans/{p}/indicators"],
    "plan: picture of moves": ["/plans/{p}/map"],
    "diff of plan and re-plan": ["/plans/{p}/diff/{q}"],
    "compare": ["/policy/form", "/whatif?dataset_id={d}", "/plans?dataset_id={d}"],
    "outlook": ["/policy/form", "/outlook?dataset_id={d}"],
    "hiring": ["/allocation?dataset_id={d}"],
    "downloads": [
        "/plans?dataset_id={d}",
        "/whatif?dataset_id={d}",
        "/outlook?dataset_id={d}",
        "/allocation?dataset_id={d}",
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(client: httpx.Client, path: str, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(path).json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.5)
    raise RuntimeError(f"{path} did not finish")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="longchuan")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=30, help="times each page is opened")
    parser.add_argument("--busy-seconds", type=float, default=300, help="the two solves' limit")
    args = parser.parse_args(argv)

    from rotation.io.writing import write_dataset_xlsx
    from sample_data import generate

    tmp = Path(tempfile.mkdtemp(prefix="console-bench-"))
    roster = tmp / f"{args.preset}.xlsx"
    write_dataset_xlsx(generate(args.preset, seed=args.seed, year=2026), roster)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "ROTATION_TOKENS": f"{TOKEN}:officer",
        "ROTATION_WORKERS": "2",
    }
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, headers=HEADERS, timeout=600) as api:
            for _ in range(120):
                try:
                    if api.get("/health").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            t0 = time.perf_counter()
            with roster.open("rb") as fh:
                ds = api.post(
                    "/datasets", files={"files": (roster.name, fh)}, data={"year": "2026"}
                )
            upload_seconds = time.perf_counter() - t0
            ds.raise_for_status()
            d = ds.json()["id"]
            p = api.post(f"/datasets/{d}/plans", json={"year": 2026, "time_limit": 60}).json()["id"]
            assert wait(api, f"/plans/{p}")["status"] == "done"
            first = api.get(f"/plans/{p}/moves?limit=1").json()["items"][0]
            q = api.post(
                f"/plans/{p}/replan",
                json={"locks": [{"kind": "stay", "teacher_id": first["teacher_id"]}]},
            ).json()["id"]
            assert wait(api, f"/plans/{q}")["status"] == "done"
            town = api.get(f"/datasets/{d}/county").json()["filters"]["towns"][0]
            values = {"d": d, "p": p, "q": q, "town": town, "school": first["to_school_id"]}
            busy = [
                api.post(
                    f"/datasets/{d}/plans",
                    json={"year": 2026, "backend": "cpsat", "relative_gap": 0,
                          "time_limit": args.busy_seconds, "seed": s},
                ).json()["id"]
                for s in (1, 2)
            ]  # fmt: skip
            while any(api.get(f"/plans/{b}").json()["status"] != "running" for b in busy):
                time.sleep(0.3)
            first_open: dict[str, float] = {}
            for page, urls in PAGES.items():  # the first opening fills the caches
                start = time.perf_counter()
                for u in urls:
                    api.get(u.format(**values)).raise_for_status()
                first_open[page] = 1000 * (time.perf_counter() - start)
            timings: dict[str, list[float]] = {page: [] for page in PAGES}
            for _ in range(args.rounds):
                for page, urls in PAGES.items():
                    start = time.perf_counter()
                    for u in urls:
                        api.get(u.format(**values)).raise_for_status()
                    timings[page].append(1000 * (time.perf_counter() - start))
            still = [api.get(f"/plans/{b}").json()["status"] for b in busy]
            for b in busy:
                api.delete(f"/plans/{b}")
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)
    rows = [
        {
            "page": page,
            "requests": len(PAGES[page]),
            "p50_ms": round(statistics.median(ms), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "max_ms": round(max(ms), 1),
            "first_ms": round(first_open[page], 1),
        }
        for page, ms in timings.items()
    ]
    report = {
        "preset": args.preset,
        "seed": args.seed,
        "rounds": args.rounds,
        "teachers": ds.json()["teachers"],
        "upload_seconds": round(upload_seconds, 2),
        "busy_solves_running_at_end": still,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d"),
        "pages": rows,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{args.preset}: {report['teachers']} teachers, {args.rounds} rounds per page, "
          f"two solves running throughout: {still}")  # fmt: skip
    print(f"{'page':48} {'req':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'first ms':>9}")
    for r in rows:
        print(
            f"{r['page']:48} {r['requests']:>3} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['max_ms']:>8} {r['first_ms']:>9}"
        )
    print(f"→ {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
