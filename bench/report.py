"""The benchmark's report: a Markdown table of every (instance, solver) row, the ratios
between solvers, plots (PNG, matplotlib Agg), stamped with date, machine and versions."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

Row = dict[str, Any]

PRIORITY_SHORT: tuple[tuple[str, str], ...] = (
    ("三所学校", "三所"),
    ("薄弱学校", "薄弱"),
    ("其他农村学校", "农村"),
    ("其他学校", "其他"),
)
VERSIONED: tuple[str, ...] = ("highspy", "ortools", "pulp", "numpy", "matplotlib")
README_START = "<!-- bench:results:start -->"
README_END = "<!-- bench:results:end -->"


def _num(value: Any, digits: int = 2) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def _needs(row: Row) -> str:
    filled = row.get("needs_by_priority")
    opened = row.get("needs_open_by_priority")
    if not filled or not opened:
        return "—"
    return " / ".join(f"{filled.get(k, 0)}/{opened.get(k, 0)}" for k, _ in PRIORITY_SHORT)


def _ratio(a: Any, b: Any) -> str:
    if a is None or b is None:
        return ""
    return f"{a}/{b}"


# (header, how to render a row); every row gets every column ("—" when not applicable)
COLUMNS: tuple[tuple[str, Callable[[Row], str]], ...] = (
    ("实例 instance", lambda r: str(r.get("instance", ""))),
    ("教师 teachers", lambda r: _num(r.get("teachers"), 0)),
    ("求解器 solver", lambda r: str(r.get("solver", ""))),
    ("状态 status", lambda r: str(r.get("status", ""))),
    ("建模 build s", lambda r: _num(r.get("build_s"))),
    ("首个可行 first feasible s", lambda r: _num(r.get("first_feasible_s"))),
    ("达到间隙 to gap s", lambda r: _num(r.get("time_to_gap_s"))),
    ("总计 total s", lambda r: _num(r.get("total_s"))),
    ("目标值 objective", lambda r: _num(r.get("objective"), 1)),
    ("上界 bound", lambda r: _num(r.get("bound"), 1)),
    ("间隙 gap %", lambda r: _num(None if r.get("gap") is None else 100 * r["gap"], 3)),
    ("峰值内存 peak MB", lambda r: _num(r.get("peak_rss_mb"), 0)),
    ("配额达标 quotas met", lambda r: _ratio(r.get("quota_units_met"), r.get("quota_units"))),
    ("填补岗位 needs (三所/薄弱/乡村/其他)", _needs),
    (
        "指标未达校次 below std after",
        lambda r: _ratio(r.get("schools_below_after"), r.get("schools_below_before")),
    ),
    ("CV达标 cv met", lambda r: _ratio(r.get("cv_met_after"), r.get("cv_total"))),
    (
        "农村高级占比 rural senior share (target)",
        lambda r: (
            "—"
            if r.get("senior_share_to_rural") is None
            else f"{r['senior_share_to_rural']:.3f} ({r.get('senior_target_share', 0):.3f})"
        ),
    ),
    (
        "志愿命中 pref hits",
        lambda r: _ratio(r.get("preference_hits"), r.get("moved_with_preferences")),
    ),
    ("平均距离 mean km", lambda r: _num(r.get("distance_mean_km"))),
    ("校验 check", lambda r: _num(r.get("check_ok")) if "check_ok" in r else "—"),
)


def markdown_table(headers: Sequence[str], body: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in cells) + " |" for cells in body]
    return "\n".join(lines)


def results_table(rows: Sequence[Row]) -> str:
    return markdown_table([h for h, _ in COLUMNS], ([fn(r) for _, fn in COLUMNS] for r in rows))


def by_instance(rows: Sequence[Row]) -> dict[str, dict[str, Row]]:
    out: dict[str, dict[str, Row]] = {}
    for r in rows:
        out.setdefault(str(r.get("instance")), {})[str(r.get("solver"))] = r
    return out


def _time_ratio(slow: Row | None, fast: Row | None) -> str:
    """slow's time to the gap ÷ fast's; '>' when slow never reached it within the limit."""
    if slow is None or fast is None or fast.get("time_to_gap_s") is None:
        return "—"
    f = max(float(fast["time_to_gap_s"]), 1e-3)
    if slow.get("time_to_gap_s") is None:
        total = slow.get("total_s")
        if slow.get("status") not in ("optimal", "feasible", "stopped") or total is None:
            return f"✗ {slow.get('status')}"  # no plan of its own (fallback, crash, hang)
        return f"> {float(total) / f:.1f}×"
    return f"{float(slow['time_to_gap_s']) / f:.2f}×"


def ratio_table(rows: Sequence[Row], default: str = "highs") -> str:
    """Per instance: time to the gap against the default backend and the PuLP peer, and
    plan quality against the greedy baseline. '1.8×' under 'pulp ÷ x' means x is 1.8 times
    faster than the PuLP peer."""
    engines = ("highs", "cpsat", "scip")
    headers = ["实例 instance", "教师 teachers"]
    headers += [f"{e} ÷ {default}" for e in engines if e != default]
    headers += [f"pulp ÷ {e}" for e in engines]
    headers += [f"{default} vs greedy: needs filled", "quotas met", "objective gain"]
    body = []
    for name, solvers in by_instance(rows).items():
        d = solvers.get(default)
        pulp = solvers.get("pulp_cbc")
        greedy = solvers.get("greedy")
        cells = [name, _num(next(iter(solvers.values())).get("teachers"), 0)]
        cells += [_time_ratio(solvers.get(e), d) for e in engines if e != default]
        cells += [_time_ratio(pulp, solvers.get(e)) for e in engines]
        if d is not None and greedy is not None:
            cells.append(f"{d.get('needs_filled', '—')} vs {greedy.get('needs_filled', '—')}")
            cells.append(f"{d.get('quota_units_met', '—')} vs {greedy.get('quota_units_met', '—')}")
            if d.get("objective") is not None and greedy.get("objective") is not None:
                cells.append(_num(float(d["objective"]) - float(greedy["objective"]), 1))
            else:
                cells.append("—")
        else:
            cells += ["—", "—", "—"]
        body.append(cells)
    return markdown_table(headers, body)


SHAPE_TARGET = 3.0  # time to the gap per 1,000 teachers, at most this × the reference's
# the reference of each size (teachers below the bound): fixed costs weigh most on the
# smallest instances, so test-sized variants are judged against the test-sized preset
SHAPE_REFERENCES: tuple[tuple[str, float], ...] = (
    ("small", 3_000),
    ("longchuan", 15_000),
    ("city", float("inf")),
)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _per_thousand(rows: Sequence[Row]) -> float | None:
    """Median time to the gap per 1,000 teachers over repeats; None if any repeat missed it."""
    times = _times_to_gap(rows)
    if times is None:
        return None
    return _median([t / (float(r["teachers"]) / 1000) for t, r in zip(times, rows, strict=True)])


def _times_to_gap(rows: Sequence[Row]) -> list[float] | None:
    """Each repeat's time to the gap; None if any repeat missed it (or no rows)."""
    times: list[float] = []
    for r in rows:
        t = r.get("time_to_gap_s")
        if t is None:
            return None
        times.append(float(t))
    return times or None


def shape_table(rows: Sequence[Row], solver: str = "highs") -> str:
    """Every instance's time to the gap per 1,000 teachers (median of its repeats) against
    small's (test sizes), longchuan's (county sizes) or city's (city sizes) in the same run,
    for ``solver``; the target is at most 3× and the gap reached within the time limit in
    every repeat."""
    mine = [r for r in rows if r.get("solver") == solver]
    groups: dict[str, list[Row]] = {}
    for r in mine:
        groups.setdefault(str(r.get("instance")), []).append(r)

    def reference(prefix: str) -> float | None:
        values = [
            v
            for name, g in groups.items()
            if name.startswith(prefix + "-s")
            if (v := _per_thousand(g)) is not None
        ]
        return _median(values) if values else None

    refs = {name: reference(name) for name, _ in SHAPE_REFERENCES}
    headers = [
        "实例 instance",
        "教师 teachers",
        "岗位 posts",
        "重复 repeats",
        "达到间隙 to gap s (median)",
        "每千名教师 s per 1,000",
        "对照 reference",
        "倍数 ratio",
        f"目标 ≤ {SHAPE_TARGET:g}×",
    ]
    body = []
    for name, g in groups.items():
        teachers = float(g[0].get("teachers") or 0)
        ref_name = next(name for name, below in SHAPE_REFERENCES if teachers < below)
        ref = refs[ref_name]
        per = _per_thousand(g)
        times = _times_to_gap(g)
        median_time = None if times is None else _median(times)
        ratio = None if per is None or ref is None else per / max(ref, 1e-9)
        ok = per is not None and ratio is not None and ratio <= SHAPE_TARGET
        body.append(
            [
                name,
                _num(teachers, 0),
                _num(g[0].get("needs_open"), 0),
                str(len(g)),
                _num(median_time),
                _num(per, 3),
                ref_name if ref is not None else "—",
                "—" if ratio is None else f"{ratio:.2f}×",
                "✓" if ok else ("✗ 未达间隙 / gap not reached" if per is None else "✗"),
            ]
        )
    return markdown_table(headers, body)


def machine_info() -> dict[str, Any]:
    """Date, machine (cores, memory, CPU) and library versions of this run."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        mem_gb = round(pages * size / 2**30, 1)
    except (ValueError, OSError):
        pass
    versions = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "—"
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "affinity_cores": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else None,
        "memory_gb": mem_gb,
        "os": platform.platform(),
        "versions": versions,
    }


def machine_text(info: dict[str, Any]) -> str:
    v = ", ".join(f"{k} {val}" for k, val in info["versions"].items())
    return (
        f"- 日期 date: {info['date']}\n"
        f"- 机器 machine: {info['cpu']}, {info['affinity_cores'] or info['cores']} cores, "
        f"{info['memory_gb']} GB RAM, {info['os']}\n"
        f"- 版本 versions: {v}"
    )


def plot(rows: Sequence[Row], outdir: Path) -> list[Path]:
    """Time to the gap and peak memory against the number of teachers, per solver."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outdir.mkdir(parents=True, exist_ok=True)
    made = []
    for key, label, name in (
        (
            "time_to_gap_s",
            "seconds to target gap (solid) / total when not reached (hollow)",
            "time_to_gap.png",
        ),
        ("peak_rss_mb", "peak resident memory, MB", "peak_memory.png"),
    ):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for solver in sorted({str(r.get("solver")) for r in rows}):
            pts = sorted(
                (r["teachers"], r.get(key), r.get("total_s"))
                for r in rows
                if r.get("solver") == solver and r.get("teachers")
            )
            reached = [(t, v) for t, v, _ in pts if v is not None]
            if reached:
                ax.plot(*zip(*reached, strict=True), marker="o", label=solver)
            if key == "time_to_gap_s":
                missed = [
                    (t, tot)
                    for t, v, tot in pts
                    if v is None and tot is not None and solver != "greedy"
                ]
                if missed:
                    ax.scatter(
                        *zip(*missed, strict=True), marker="o", facecolors="none", edgecolors="grey"
                    )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("teachers")
        ax.set_ylabel(label)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        path = outdir / name
        fig.savefig(path, dpi=110)
        plt.close(fig)
        made.append(path)
    return made


def render(rows: Sequence[Row], info: dict[str, Any], *, title: str, notes: str = "") -> str:
    """The report in Markdown: stamp, results table, ratios."""
    settings = sorted(
        {(r.get("time_limit"), r.get("target_gap"), r.get("workers")) for r in rows}, key=str
    )
    limits = "; ".join(f"time limit {t} s, target gap {g}, workers {w}" for t, g, w in settings)
    parts = [
        f"## {title}",
        machine_text(info),
        f"- 设置 settings: {limits}",
        "",
        "### 结果 Results",
        results_table(rows),
        "",
        "### 比值 Ratios (time to the target gap; quality against greedy)",
        ratio_table(rows),
        "",
        "### 县域形态 County shapes (highs: time to the gap per 1,000 teachers against "
        "small / longchuan / city in this run)",
        shape_table(rows),
    ]
    if notes:
        parts += ["", notes]
    return "\n".join(parts) + "\n"


def write_report(
    rows: Sequence[Row], outdir: Path, *, title: str, info: dict[str, Any] | None = None
) -> Path:
    """Write results.md, results.json and the plots into ``outdir``; return results.md."""
    info = info or machine_info()
    outdir.mkdir(parents=True, exist_ok=True)
    (outdir / "results.json").write_text(
        json.dumps(
            {"machine": info, "rows": list(rows)}, ensure_ascii=False, indent=1, default=str
        ),
        encoding="utf-8",
    )
    plot(rows, outdir)
    md = outdir / "results.md"
    md.write_text(render(rows, info, title=title), encoding="utf-8")
    return md


def update_readme(readme: Path, section: str) -> None:
    """Replace the results section of ``readme`` (between the markers) with ``section``."""
    block = f"{README_START}\n{section}{README_END}"
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        text = head + block + tail
    else:
        text = text + ("\n" if text else "") + block + "\n"
    readme.write_text(text, encoding="utf-8")
