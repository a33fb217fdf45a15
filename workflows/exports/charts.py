"""The charts: scenarios compared (comparison.png) and the outlook's CVs (outlook.png).

Labels are Chinese when the machine has a Chinese font, else English (``chart_fonts``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from solver.sweep.models import SweepResult
from workflows.exports.chart_fonts import chart_labels

STAGE_ZH = {"primary": "小学", "junior": "初中"}
INDICATOR_ZH = {"degree": "学历", "backbone": "骨干", "arts_pe": "体艺"}


def _cv_label_zh(key: str) -> str:
    """``primary_backbone`` → 小学骨干."""
    stage, _, indicator = key.partition("_")
    return STAGE_ZH.get(stage, stage) + INDICATOR_ZH.get(indicator, indicator)


def _scenario_tick(row: dict[str, Any]) -> str:
    """A scenario's tick: its id over its parameters (``S01`` alone says nothing)."""
    label = str(row.get("label") or "").replace(", ", "\n")
    return f"{row['scenario_id']}\n{label}" if label else str(row["scenario_id"])


def comparison_chart(
    rows: list[dict[str, Any]], path: Path, limits: tuple[float, float] = (0.50, 0.45)
) -> Path:
    """Four panels comparing the scenarios (Chinese labels where a Chinese font exists)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = chart_labels()

    ids = [_scenario_tick(r) for r in rows]
    x = list(range(len(ids)))

    def val(r: dict[str, Any], k: str) -> float:
        v = r.get(k)
        return float(v) if isinstance(v, int | float) else 0.0

    fig, axes = plt.subplots(2, 2, figsize=(max(9, 2.2 * len(ids) + 4), 8))
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
        [val(r, "senior_share_to_rural") for r in rows],
        label=t("派往农村教师中高级职称占比", "senior share of those sent into rural schools"),
    )
    ax.plot(
        x,
        [val(r, "senior_target_share") for r in rows],
        "r_",
        markersize=20,
        label=t("职称倾斜目标", "tilt target"),
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
    primary, junior = limits  # the base policy's CV limits (a scenario may vary them)
    for limit, style, words in (
        (primary, "--", t(f"小学上限 {primary:.2f}", f"primary limit {primary:.2f}")),
        (junior, ":", t(f"初中上限 {junior:.2f}", f"junior limit {junior:.2f}")),
    ):
        ax.axhline(limit, color="red", linestyle=style, linewidth=1, label=words)
    ax.set_title(t("交流后优质均衡指标差异系数", "Indicator CVs after the plan"))
    ax.legend(fontsize=7)
    for row_axes in axes:
        for a in row_axes:
            a.set_xticks(x)
            a.set_xticklabels(ids, fontsize=7)
            # headroom over the tallest bar: the legend sits in it and never covers data
            bottom, top = a.get_ylim()
            a.set_ylim(bottom, top * 1.45)
            a.legend(loc="upper center", ncol=3, fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def outlook_chart(result: SweepResult, path: Path) -> Path:
    """County CVs year by year, one panel per stage and indicator, one line per scenario."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

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
            name = f"{o.scenario.scenario_id} {o.scenario.label}".strip()
            ax.plot(xs, ys, marker="o", label=name)
        if limit is not None:
            ax.axhline(limit, color="red", linestyle="--", linewidth=1, label=t("上限", "limit"))
        ax.set_title(t(f"{STAGE_ZH[st]}{INDICATOR_ZH[k]}差异系数", f"{st} {k} CV"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, never 2025.5
    handles, labels = axes[0][0].get_legend_handles_labels()
    if handles:  # one legend below the panels: it never covers a line
        fig.legend(handles, labels, loc="lower center", ncol=min(4, len(handles)), fontsize=8)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
