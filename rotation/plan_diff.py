"""Two plans side by side: who moves in one and not the other, who moves elsewhere, and how
the figures differ.

A plan is read from a plan folder (``plan.csv`` and, when present, ``summary.json`` whose
``metrics`` give the figures) or from a ``plan.csv`` file alone (then only the moves and
the figures recomputable from them are compared).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rotation.indicators import INDICATOR_LABELS_ZH
from rotation.plan import Plan

# What a plan achieves, comparable across policies; the solver's objective and gap are not
# (their scale is the policy's weights), so they stay in summary.json and out of the diff.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("moved", "交流教师人数", "teachers moved"),
    ("backbone_moved", "交流骨干人数", "backbone teachers moved"),
    ("senior_moved", "交流高级职称人数", "senior titles moved"),
    ("quota_units_met", "达标单位数", "quota units met"),
    ("quota_units", "考核单位数", "quota units"),
    ("needs_filled", "填补岗位数", "posts filled"),
    ("needs_open", "空缺岗位数", "open posts"),
    ("senior_share_sent", "交流教师高级职称占比", "senior share of those moved"),
    ("senior_share_to_rural", "派往农村教师高级职称占比", "senior share of those sent into rural schools"),
    ("preference_first_choice", "第一志愿人数", "sent to their first choice"),
    ("preference_any_choice", "志愿内人数", "sent to one of their choices"),
    ("distance_mean_km", "平均距离(公里)", "mean distance (km)"),
    ("distance_max_km", "最远距离(公里)", "longest distance (km)"),
)
INDICATOR_EN: dict[str, str] = {
    "degree": "teachers above the required degree",
    "backbone": "county-level or higher backbone teachers",
    "arts_pe": "PE and arts teachers",
}


class Move(BaseModel):
    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str = ""
    from_school_id: str = ""
    to_school_id: str


class MoveChange(BaseModel):
    """A teacher whose move differs: ``to_a``/``to_b`` blank when not moved in that plan."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    from_school_id: str
    to_a: str | None
    to_b: str | None


class FigureChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    a: Any
    b: Any
    delta: float | None = None


class PlanDiff(BaseModel):
    model_config = ConfigDict(frozen=True)

    label_a: str = "A"
    label_b: str = "B"
    only_a: list[MoveChange] = Field(default_factory=list, description="moves in A only")
    only_b: list[MoveChange] = Field(default_factory=list, description="moves in B only")
    elsewhere: list[MoveChange] = Field(
        default_factory=list, description="moved in both, elsewhere"
    )
    same: int = Field(0, description="the same move in both")
    figures: list[FigureChange] = Field(default_factory=list)
    policy_changes: list[FigureChange] = Field(
        default_factory=list, description="policy parameters that differ between the plans"
    )

    @property
    def identical_moves(self) -> bool:
        return not (self.only_a or self.only_b or self.elsewhere)


def diff_moves(
    a: Mapping[str, Move], b: Mapping[str, Move]
) -> tuple[list[MoveChange], list[MoveChange], list[MoveChange], int]:
    """(only in A, only in B, elsewhere, same count), each list by teacher_id."""
    only_a, only_b, elsewhere, same = [], [], [], 0
    for tid in sorted(set(a) | set(b)):
        ma, mb = a.get(tid), b.get(tid)
        m = ma or mb
        assert m is not None
        change = MoveChange(
            teacher_id=tid,
            name=m.name,
            from_school_id=m.from_school_id,
            to_a=ma.to_school_id if ma else None,
            to_b=mb.to_school_id if mb else None,
        )
        if ma is None:
            only_b.append(change)
        elif mb is None:
            only_a.append(change)
        elif ma.to_school_id != mb.to_school_id:
            elsewhere.append(change)
        else:
            same += 1
    return only_a, only_b, elsewhere, same


def figures_from_metrics(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """The compared figures of a plan's metrics, with the indicators' CVs after the plan."""
    out = {k: metrics.get(k) for k, _, _ in FIGURES}
    for r in metrics.get("indicators") or []:
        out[f"cv_{r['stage']}_{r['indicator']}"] = r.get("cv_after")
    return out


def _label(key: str, lang: str = "zh") -> str:
    for k, zh, en in FIGURES:
        if k == key:
            return en if lang == "en" else zh
    if key.startswith("cv_"):
        stage, ind = key[3:].split("_", 1)
        if lang == "en":
            return f"{stage} CV of {INDICATOR_EN.get(ind, ind)}"
        stage_zh = "小学" if stage == "primary" else "初中"
        return f"{stage_zh}{INDICATOR_LABELS_ZH.get(ind, ind)}差异系数"
    return key


def policy_changes(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> list[FigureChange]:
    """The parameters (``weights.x`` for weights) whose values differ; none when unknown."""
    if not a or not b:
        return []

    def flat(d: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in d.items():
            if isinstance(v, Mapping):
                out.update({f"{k}.{kk}": vv for kk, vv in v.items()})
            else:
                out[k] = v
        return out

    fa, fb = flat(a), flat(b)
    return [
        FigureChange(key=k, label=k, a=fa.get(k), b=fb.get(k))
        for k in sorted(set(fa) | set(fb))
        if fa.get(k) != fb.get(k)
    ]


def diff_figures(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[FigureChange]:
    keys = [k for k, _, _ in FIGURES] + sorted(k for k in set(a) | set(b) if k.startswith("cv_"))
    out = []
    for k in keys:
        va, vb = a.get(k), b.get(k)
        if va is None and vb is None:
            continue
        delta = (
            round(vb - va, 4)
            if isinstance(va, int | float) and isinstance(vb, int | float)
            else None
        )
        out.append(FigureChange(key=k, label=_label(k), a=va, b=vb, delta=delta))
    return out


def moves_of(plan: Plan) -> dict[str, Move]:
    return {
        a.teacher_id: Move(
            teacher_id=a.teacher_id,
            name=a.name,
            from_school_id=a.from_school_id,
            to_school_id=a.to_school_id,
        )
        for a in plan.assignments
    }


def plan_diff(a: Plan, b: Plan, label_a: str = "A", label_b: str = "B") -> PlanDiff:
    only_a, only_b, elsewhere, same = diff_moves(moves_of(a), moves_of(b))
    return PlanDiff(
        label_a=label_a,
        label_b=label_b,
        only_a=only_a,
        only_b=only_b,
        elsewhere=elsewhere,
        same=same,
        figures=diff_figures(figures_from_metrics(a.figures()), figures_from_metrics(b.figures())),
    )


def read_plan_policy(path: str | Path) -> dict[str, Any] | None:
    """The policy a plan folder's summary.json records, or None."""
    p = Path(path)
    summary = (p if p.is_dir() else p.parent) / "summary.json"
    if not summary.is_file():
        return None
    policy = json.loads(summary.read_text(encoding="utf-8")).get("policy")
    return policy if isinstance(policy, dict) else None


def read_plan_moves(path: str | Path) -> tuple[dict[str, Move], dict[str, Any]]:
    """A plan folder or plan.csv → (moves, figures); figures from summary.json when present."""
    from rotation.io.plan_files import read_plan_csv

    p = Path(path)
    folder = p if p.is_dir() else p.parent
    csv_path = p / "plan.csv" if p.is_dir() else p
    rows = read_plan_csv(csv_path)
    moves = {
        r["teacher_id"]: Move(
            teacher_id=r["teacher_id"],
            name=r.get("name", ""),
            from_school_id=r.get("from_school_id", ""),
            to_school_id=r["to_school_id"],
        )
        for r in rows
    }
    figures: dict[str, Any] = {"moved": len(moves)}
    summary = folder / "summary.json"
    if summary.is_file():
        data = json.loads(summary.read_text(encoding="utf-8"))
        figures = figures_from_metrics(data.get("metrics") or {})
    return moves, figures


def plan_diff_files(path_a: str | Path, path_b: str | Path) -> PlanDiff:
    moves_a, fig_a = read_plan_moves(path_a)
    moves_b, fig_b = read_plan_moves(path_b)
    only_a, only_b, elsewhere, same = diff_moves(moves_a, moves_b)
    return PlanDiff(
        label_a=str(path_a),
        label_b=str(path_b),
        only_a=only_a,
        only_b=only_b,
        elsewhere=elsewhere,
        same=same,
        figures=diff_figures(fig_a, fig_b),
        policy_changes=policy_changes(read_plan_policy(path_a), read_plan_policy(path_b)),
    )


def format_plan_diff(diff: PlanDiff, lang: str = "zh", limit: int = 50) -> str:
    zh = lang != "en"
    lines = [
        f"方案 A：{diff.label_a}\n方案 B：{diff.label_b}"
        if zh
        else f"plan A: {diff.label_a}\nplan B: {diff.label_b}",
        (
            f"相同安排 {diff.same} 人；仅 A 交流 {len(diff.only_a)} 人；仅 B 交流 {len(diff.only_b)} 人；"
            f"去向不同 {len(diff.elsewhere)} 人"
            if zh
            else f"same move {diff.same}; only in A {len(diff.only_a)}; only in B {len(diff.only_b)}; "
            f"elsewhere {len(diff.elsewhere)}"
        ),
    ]
    sections = (
        ("仅在 A 中交流 / moves in A only" if zh else "moves in A only", diff.only_a),
        ("仅在 B 中交流 / moves in B only" if zh else "moves in B only", diff.only_b),
        ("去向不同 / moved elsewhere" if zh else "moved elsewhere", diff.elsewhere),
    )
    for title, items in sections:
        if not items:
            continue
        lines.append(title)
        for c in items[:limit]:
            lines.append(
                f"  {c.teacher_id} {c.name} {c.from_school_id}: A→{c.to_a or '-'}  B→{c.to_b or '-'}"
            )
        if len(items) > limit:
            more = len(items) - limit
            lines.append(f"  …… 另有 {more} 人 / {more} more" if zh else f"  … {more} more")
    if diff.policy_changes:
        lines.append(
            ("两个方案的政策参数不同，以下数字的差异部分来自政策 / " if zh else "")
            + "the plans were made under different policies; the figures differ partly because of them"
        )
        for f in diff.policy_changes:
            lines.append(f"  {f.key}: {f.a} → {f.b}")
    if diff.figures:
        lines.append("指标对比 / figures (A → B)" if zh else "figures (A → B)")
        for f in diff.figures:
            delta = "" if f.delta is None else f"  ({f.delta:+g})"
            lines.append(f"  {_label(f.key, lang)}: {f.a} → {f.b}{delta}")
    return "\n".join(lines)
