"""Console page timings: ``python -m bench.console_pages`` (make bench-console).

Starts the service (uvicorn, SQLite in a temporary folder, two solve workers), imports the
``longchuan`` county, makes a plan and a re-plan of it, publishes the plan, fills the audit
log with a bureau's years of entries (``--audit-entries``, written straight into the
database: the log only grows), then starts two long solves that keep both workers busy,
and while they run opens every page many times: a console page is the set of API
requests the console's JavaScript makes to show it (the same URLs as
``api/console/static/js/pages/*.js``), sent one after another as a conservative stand-in
for the browser's parallel fetches (``cpu ms``: the server's CPU time per opening, which
the machine's other load hardly changes); the ``API:`` pages are the four paged lists of issue
15 (teachers, schools, a plan's assignments, the audit log) as a script reads them, with
their filters. Prints p50/p95/max per page and writes ``bench/results/console-pages.json``
(``--out`` for another file). Timing, not a test: nothing here asserts.
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
    # the tabs of the forms of exchange besides the transfer: 校长交流, 支教, 走教 (first page of
    # 20 teachers), 跟岗学习
    "plan: forms": [
        "/plans/{p}/leaders",
        "/plans/{p}/moves?form=support&limit=50",
        "/plans/{p}/itinerant?limit=20",
        "/plans/{p}/shadowing/covers",
    ],
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
    # the four paged lists of issue 15, with their filters, as a script reads them
    "API: teachers, page 3": ["/datasets/{d}/teachers?offset=100&limit=50"],
    "API: teachers of one school": ["/datasets/{d}/teachers?school_id={school}&limit=50"],
    "API: eligible math teachers": ["/datasets/{d}/teachers?eligible=true&subject=math&limit=50"],
    "API: schools, page 2": ["/datasets/{d}/schools?offset=50&limit=50"],
    "API: receiving schools": ["/datasets/{d}/schools?role=receiver&limit=50"],
    "API: assignments, page 5": ["/plans/{p}/assignments?offset=200&limit=50"],
    "API: assignments to one school": ["/plans/{p}/assignments?to_school_id={school}&limit=50"],
    "API: audit, page 20": ["/audit?offset=950&limit=50"],
    "API: audit, one action of one officer in a year": [
        "/audit?action=exported&actor=王老师&since=2025-01-01T00:00:00Z"
        "&until=2026-01-01T00:00:00Z&limit=50"
    ],
    "API: audit of one plan": ["/audit?object_kind=plan&object_id={p}&limit=50"],
}

ACTORS = ("王老师", "李老师", "张老师", "刘老师", "陈老师")
ACTIONS = ("imported", "planned", "locked", "cancelled", "exported", "published")


def fill_audit(database_url: str, entries: int, seed: int) -> None:
    """``entries`` made-up audit entries over 2021–2026, straight into the database."""
    import random
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    rng = random.Random(seed)
    start = datetime(2021, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(entries))
    table = sa.table(
        "audit_log",
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor"),
        sa.column("action"),
        sa.column("object_kind"),
        sa.column("object_id"),
        sa.column("detail", sa.JSON()),
    )
    rows = []
    for at in moments:
        action = rng.choice(ACTIONS)
        kind = "dataset" if action == "imported" else "plan"
        rows.append(
            {
                "at": at,
                "actor": rng.choice(ACTORS),
                "action": action,
                "object_kind": kind,
                "object_id": str(1000 + rng.randrange(2000)),
                "detail": {"format": "xlsx"} if action == "exported" else {},
            }
        )
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(table), rows)
    engine.dispose()


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


def cpu_ms(pid: int) -> float:
    """CPU time the server process has used (user + system, its solve workers excluded)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return 1000 * (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
    parser.add_argument("--audit-entries", type=int, default=20000, help="audit log size")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the figures go")
    args = parser.parse_args(argv)

    from rotation.io.writing import write_dataset_xlsx
    from sample_data import generate

    tmp = Path(tempfile.mkdtemp(prefix="console-bench-"))
    roster = tmp / f"{args.preset}.xlsx"
    write_dataset_xlsx(generate(args.preset, seed=args.seed, year=2026), roster)
    port = free_port()
    database_url = f"sqlite:///{tmp / 'bench.db'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ROTATION_TOKENS": f"王老师:officer:{TOKEN}",
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
            api.post(f"/plans/{p}/publish").raise_for_status()
            fill_audit(database_url, args.audit_entries, args.seed)
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
            load_at_start = [round(x, 2) for x in os.getloadavg()]
            first_open: dict[str, float] = {}
            for page, urls in PAGES.items():  # the first opening fills the caches
                start = time.perf_counter()
                for u in urls:
                    api.get(u.format(**values)).raise_for_status()
                first_open[page] = 1000 * (time.perf_counter() - start)
            timings: dict[str, list[float]] = {page: [] for page in PAGES}
            cpu: dict[str, float] = dict.fromkeys(PAGES, 0.0)
            for _ in range(args.rounds):
                for page, urls in PAGES.items():
                    used = cpu_ms(server.pid)
                    start = time.perf_counter()
                    for u in urls:
                        api.get(u.format(**values)).raise_for_status()
                    timings[page].append(1000 * (time.perf_counter() - start))
                    cpu[page] += cpu_ms(server.pid) - used
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
            "server_cpu_ms": round(cpu[page] / len(ms), 1),
        }
        for page, ms in timings.items()
    ]
    report = {
        "preset": args.preset,
        "seed": args.seed,
        "rounds": args.rounds,
        "teachers": ds.json()["teachers"],
        "audit_entries": args.audit_entries,
        "load_average_at_start": load_at_start,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "upload_seconds": round(upload_seconds, 2),
        "busy_solves_running_at_end": still,
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "date": time.strftime("%Y-%m-%d"),
        "pages": rows,
    }
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{args.preset}: {report['teachers']} teachers, {args.rounds} rounds per page, "
          f"two solves running throughout: {still}")  # fmt: skip
    print(
        f"{'page':50} {'req':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'first ms':>9} "
        f"{'cpu ms':>7}"
    )
    for r in rows:
        print(
            f"{r['page']:50} {r['requests']:>3} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['max_ms']:>8} {r['first_ms']:>9} {r['server_cpu_ms']:>7}"
        )
    print(f"→ {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
