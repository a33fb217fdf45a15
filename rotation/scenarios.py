"""What-if scenarios: a grid of policy overrides, and one comparison row per planned scenario.

A scenario is the year's dataset and locks with a set of policy overrides. The grid comes
from ``--vary`` items (``rotation_rate=0.10,0.15,0.20``): every combination of the varied
values, on top of the ``--set`` overrides shared by all scenarios.

- Values are separated by ``,``; a parameter whose value is itself a list (``quota_stages``,
  ``shortage_subjects``) separates its alternatives by ``;`` (``quota_stages=primary;primary,junior``).
- Parameters joined by ``+`` take the same value in each scenario:
  ``rotation_rate+max_rotation_rate=0.10,0.15`` plans "exactly 10 %" against "exactly 15 %".
- The combinations are listed in snake order (the last parameter runs forward, then back),
  so each scenario differs from the one before it in one parameter only: its plan is a good
  starting point (hint) for the next one.

The comparison row (``comparison_row``) carries the figures the bureau compares: quotas met
and shortfalls, teachers moved, needs filled by priority, the senior share of those sent
against the county's, the three balanced-development indicators' CVs, preferences honoured,
distances, and the solve status and gap; with hour needs (走教, issue 18), the weekly hours
needed, covered by transfers and by 走教, the 走教 teachers, and the primary schools below the
PE/arts standard before 走教 (after the transfer plan) and with 走教 counted as hours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rotation.indicator_watch import CV_TOLERANCE, cv_warnings
from rotation.itinerant import ItinerantFigures
from rotation.metrics import PRIORITY_CLASSES
from rotation.plan import Plan
from rotation.policy import Policy, PolicyError, parse_override

LIST_PARAMETERS: frozenset[str] = frozenset(
    {"quota_stages", "shortage_subjects", "itinerant_subjects"}
)


class Variation(BaseModel):
    """One ``--vary`` item: the parameters it sets (together) and the values they take."""

    model_config = ConfigDict(frozen=True)

    keys: tuple[str, ...]
    values: tuple[Any, ...]


class Scenario(BaseModel):
    """One combination of the grid: its id, a readable label and its policy overrides."""

    model_config = ConfigDict(frozen=True)

    index: int = Field(ge=0, description="position in the grid (0-based)")
    scenario_id: str = Field(description="S01, S02, … (folder name of its plan files)")
    label: str = Field(description="e.g. rotation_rate=0.1, backbone_share=0.2")
    overrides: dict[str, Any] = Field(default_factory=dict, description="policy key → value")
    varied: dict[str, Any] = Field(default_factory=dict, description="only the varied keys")
    dataset_key: str = Field("main", description="which dataset of a multi-county run")

    def policy(self, base: Policy) -> Policy:
        return base.with_overrides(self.overrides) if self.overrides else base


def parse_vary(item: str) -> Variation:
    """``key=v1,v2`` or ``key1+key2=v1,v2`` → a Variation; errors in Chinese and English."""
    if "=" not in item:
        raise PolicyError(f"--vary 须为 key=v1,v2 形式 / --vary must read key=v1,v2: {item!r}")
    raw_keys, raw_values = (part.strip() for part in item.split("=", 1))
    keys = tuple(k.strip() for k in raw_keys.split("+") if k.strip())
    if not keys:
        raise PolicyError(f"--vary 缺少参数名 / --vary names no parameter: {item!r}")
    listy = any(k in LIST_PARAMETERS for k in keys)
    sep = ";" if listy or ";" in raw_values else ","
    texts = [v.strip() for v in raw_values.split(sep) if v.strip()]
    if not texts:
        raise PolicyError(f"--vary 缺少取值 / --vary lists no values: {item!r}")
    values = []
    for text in texts:
        parsed = [parse_override(f"{k}={text}")[1] for k in keys]  # validates every key
        values.append(parsed[0])
    if len(set(map(repr, values))) != len(values):
        raise PolicyError(f"--vary 取值重复 / --vary repeats a value: {item!r}")
    return Variation(keys=keys, values=tuple(values))


def parse_sets(items: Sequence[str]) -> dict[str, Any]:
    """``--set`` items → overrides shared by every scenario."""
    return dict(parse_override(item) for item in items)


def _snake(lengths: Sequence[int]) -> list[tuple[int, ...]]:
    """Every index combination, each differing from the previous in one position."""
    combos: list[tuple[int, ...]] = [()]
    for n in lengths:
        nxt: list[tuple[int, ...]] = []
        for i, prefix in enumerate(combos):
            order = range(n) if i % 2 == 0 else range(n - 1, -1, -1)
            nxt.extend((*prefix, j) for j in order)
        combos = nxt
    return combos


def _fmt(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def scenario_grid(
    varies: Sequence[str | Variation],
    sets: Mapping[str, Any] | Sequence[str] = (),
    base: Policy | None = None,
) -> list[Scenario]:
    """Every combination of the varied values (snake order), each validated against ``base``.

    Without any ``--vary`` the grid is the one scenario of the ``--set`` overrides.
    """
    variations = [v if isinstance(v, Variation) else parse_vary(v) for v in varies]
    seen: set[str] = set()
    for v in variations:
        for k in v.keys:
            if k in seen:
                raise PolicyError(f"参数 {k} 被多次 --vary / {k} is varied twice")
            seen.add(k)
    shared = dict(sets) if isinstance(sets, Mapping) else parse_sets(sets)
    base = base or Policy()
    scenarios: list[Scenario] = []
    combos = _snake([len(v.values) for v in variations])
    width = max(2, len(str(len(combos))))
    for index, combo in enumerate(combos):
        varied: dict[str, Any] = {}
        for v, j in zip(variations, combo, strict=True):
            for k in v.keys:
                varied[k] = v.values[j]
        overrides = {**shared, **varied}
        label = ", ".join(f"{k}={_fmt(val)}" for k, val in varied.items()) or "基准 / base"
        base.with_overrides(overrides)  # raises PolicyError with the scenario's problem
        scenarios.append(
            Scenario(
                index=index,
                scenario_id=f"S{index + 1:0{width}d}",
                label=label,
                overrides=overrides,
                varied=varied,
            )
        )
    return scenarios


# ------------------------------------------------------------------ comparison
# 走教 (issue 18): blank when the roster states no hour needs
ITINERANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("itinerant_hours_needed", "走教课时需求(节/周)"),
    ("itinerant_hours_by_transfer", "交流教师承担课时"),
    ("itinerant_hours_covered", "走教安排课时"),
    ("itinerant_hours_open", "仍缺课时"),
    ("itinerant_teachers", "走教教师人数"),
    ("itinerant_schools_served", "走教服务学校数"),
    ("arts_pe_below_before_itinerant", "体艺指标未达标小学(走教前)"),
    ("arts_pe_below_with_itinerant", "体艺指标未达标小学(走教按课时折算)"),
    ("arts_pe_below_counted", "体艺指标未达标小学(本政策口径)"),
    ("itinerant_status", "走教求解状态"),
)

COMPARISON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("scenario_id", "方案编号"),
    ("label", "政策参数"),
    ("status", "求解状态"),
    ("gap", "间隙"),
    ("check_ok", "独立校验通过"),
    ("quota_units", "考核单位数"),
    ("quota_units_met", "达标单位数"),
    ("shortfalls", "未达标单位数"),
    ("required", "应交流人数"),
    ("moved", "交流教师人数"),
    ("backbone_required", "应交流骨干人数"),
    ("backbone_moved", "交流骨干人数"),
    ("needs_open", "岗位需求数"),
    ("needs_filled", "填补岗位数"),
    *((f"needs_filled_{c}", f"填补岗位-{c}") for c in PRIORITY_CLASSES),
    ("senior_moved", "交流高级职称人数"),
    ("senior_share_sent", "交流教师高级职称占比"),
    ("county_senior_share", "全县高级职称占比"),
    ("senior_share_to_rural", "派往农村教师高级职称占比"),
    ("senior_target_share", "职称倾斜目标"),
    *(
        (f"cv_{stage}_{ind}", f"{zh}{label}差异系数")
        for stage, zh in (("primary", "小学"), ("junior", "初中"))
        for ind, label in (("degree", "学历"), ("backbone", "骨干"), ("arts_pe", "体艺"))
    ),
    ("cv_limits_met", "差异系数均达标"),
    ("cv_rises", "差异系数升高（指标:升幅）"),
    ("cv_notes", "差异系数升高说明"),
    ("preference_first_choice", "第一志愿人数"),
    ("preference_any_choice", "志愿内人数"),
    ("distance_mean_km", "平均距离(公里)"),
    ("distance_max_km", "最远距离(公里)"),
    *ITINERANT_COLUMNS,
    ("seconds", "用时(秒)"),
)


def plan_figures(plan: Plan) -> dict[str, Any]:
    """The flat figures of one plan (from its metrics and compliance), as the comparison reads."""
    m = plan.metrics
    rows = plan.compliance
    figures: dict[str, Any] = {
        "status": plan.status,
        "gap": plan.solve.gap if plan.solve is not None else None,
        "check_ok": plan.check.ok if plan.check is not None else None,
        "quota_units": len(rows),
        "quota_units_met": sum(1 for r in rows if r.met),
        "shortfalls": sum(1 for r in rows if not r.met),
        "required": sum(r.required for r in rows),
        "moved": m.moved,
        "backbone_required": sum(r.backbone_required for r in rows),
        "backbone_moved": m.backbone_moved,
        "needs_open": m.needs_open,
        "needs_filled": m.needs_filled,
        "senior_moved": m.senior_moved,
        "senior_share_sent": m.senior_share_sent,
        "county_senior_share": m.county_senior_share,
        "senior_share_to_rural": m.senior_share_to_rural,
        "senior_target_share": m.senior_target_share,
        "preference_first_choice": m.preference_first_choice,
        "preference_any_choice": m.preference_any_choice,
        "distance_mean_km": m.distance_mean_km,
        "distance_max_km": m.distance_max_km,
        "seconds": plan.solve.total_seconds if plan.solve is not None else None,
    }
    by_class = m.needs_by_priority
    for c in PRIORITY_CLASSES:
        figures[f"needs_filled_{c}"] = by_class[c].filled if c in by_class else None
    for r in m.indicators:
        figures[f"cv_{r.stage}_{r.indicator}"] = r.cv_after
    figures["cv_limits_met"] = (
        all(bool(r.cv_met_after) for r in m.indicators) if m.indicators else None
    )
    figures["cv_rises"] = "; ".join(
        f"{r.stage}_{r.indicator}:+{r.cv_after - r.cv_before:.3f}"
        for r in m.indicators
        if r.cv_before is not None and r.cv_after is not None
        and r.cv_after > r.cv_before + CV_TOLERANCE
    )
    figures["cv_notes"] = " | ".join(cv_warnings(plan.notes))
    figures.update(itinerant_figures(plan.itinerant.figures if plan.itinerant else None))
    return figures


def itinerant_figures(f: ItinerantFigures | None) -> dict[str, Any]:
    """The 走教 columns of a comparison row (all blank without hour needs)."""
    if f is None:
        return dict.fromkeys((c for c, _ in ITINERANT_COLUMNS), None)
    return {
        "itinerant_hours_needed": f.hours_needed,
        "itinerant_hours_by_transfer": f.hours_by_transfer,
        "itinerant_hours_covered": f.hours_covered,
        "itinerant_hours_open": f.hours_open,
        "itinerant_teachers": f.teachers,
        "itinerant_schools_served": f.schools_served,
        "arts_pe_below_before_itinerant": f.arts_pe_below_after_plan,
        "arts_pe_below_with_itinerant": f.arts_pe_below_with_itinerant,
        "arts_pe_below_counted": f.arts_pe_below_counted,
        "itinerant_status": f.status,
    }


def comparison_row(scenario: Scenario, plan: Plan | None, error: str = "") -> dict[str, Any]:
    """One row of the comparison: the scenario and its plan's figures (blank when it failed)."""
    row: dict[str, Any] = dict.fromkeys((c for c, _ in COMPARISON_COLUMNS), None)
    row["scenario_id"] = scenario.scenario_id
    row["label"] = scenario.label
    if plan is None:
        row["status"] = f"failed: {error}" if error else "failed"
        return row
    row.update(plan_figures(plan))
    return row


def write_comparison_csv(rows: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """comparison.csv: a Chinese header row over the English codes, one row per scenario."""
    from rotation.io.writing import csv_value, write_csv

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = [f"{zh} / {code}" for code, zh in COMPARISON_COLUMNS]
    write_csv(out, header, ([csv_value(r.get(c)) for c, _ in COMPARISON_COLUMNS] for r in rows))
    return out


def format_comparison(rows: Sequence[Mapping[str, Any]], lang: str = "zh") -> str:
    """A compact text table of the main figures, for the terminal."""
    zh = lang != "en"
    head = (
        "方案  达标单位  交流人数  骨干  填补岗位  农村高级占比  平均距离  状态  差异系数升高  "
        "走教课时  体艺未达标(走教前→后)  政策参数"
        if zh
        else "id  units_met  moved  backbone  needs_filled  rural_senior_share  mean_km  status  "
        "cv_rises  itinerant_hours  pe_arts_below(before→with)  policy"
    )
    lines = [head]
    for r in rows:
        share = r.get("senior_share_to_rural")
        lines.append(
            "  ".join(
                [
                    str(r["scenario_id"]),
                    f"{r.get('quota_units_met')}/{r.get('quota_units')}",
                    str(r.get("moved")),
                    str(r.get("backbone_moved")),
                    f"{r.get('needs_filled')}/{r.get('needs_open')}",
                    "-" if share is None else f"{share:.1%}",
                    str(r.get("distance_mean_km")),
                    str(r.get("status")),
                    str(r.get("cv_rises") or "-"),
                    *_itinerant_cells(r),
                    str(r["label"]),
                ]
            )
        )
    return "\n".join(lines)


def _itinerant_cells(r: Mapping[str, Any]) -> tuple[str, str]:
    """走教 hours covered/needed and the PE/arts schools below before → with 走教 ("-" without)."""
    if r.get("itinerant_hours_needed") is None:
        return "-", "-"
    return (
        f"{r.get('itinerant_hours_covered')}/{r.get('itinerant_hours_needed')}",
        f"{r.get('arts_pe_below_before_itinerant')}→{r.get('arts_pe_below_with_itinerant')}",
    )
