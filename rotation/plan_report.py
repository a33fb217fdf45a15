"""A plan told in words for the terminal and summary.json: what moved, what is met,
what fell short and why, and the checker's verdict."""

from __future__ import annotations

from typing import Any

from rotation.enums import Stage
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy


def plan_summary(plan: Plan, policy: Policy) -> dict[str, Any]:
    """The JSON-serialisable summary written to summary.json."""
    return {
        "year": plan.year,
        "status": plan.status,
        "backend": plan.backend,
        "metrics": plan.metrics,
        "notes": list(plan.notes),
        "quota_reading": plan.metrics.get("quota_reading", ""),
        "area_reading": plan.metrics.get("area_reading", ""),
        "shortfalls": [
            {"school_id": r.school_id, "name": r.name, "reason": r.shortfall_reason}
            for r in plan.compliance
            if not r.met
        ],
        "policy": policy.model_dump(mode="json"),
    }


def format_plan_summary(plan: Plan, dataset: Dataset, lang: str = "zh") -> str:
    m = plan.metrics
    zh = lang != "en"
    lines: list[str] = []
    units, met = m.get("quota_units", 0), m.get("quota_units_met", 0)
    if zh:
        lines.append(f"{plan.year}学年交流轮岗方案（{plan.backend}，状态：{plan.status}）")
        lines.append(
            f"  交流教师 {m.get('moved', 0)} 人（骨干 {m.get('backbone_moved', 0)} 人，"
            f"高级职称 {m.get('senior_moved', 0)} 人）；可交流教师 {m.get('eligible', 0)} 人，"
            f"其中计入比例 {m.get('eligible_quota_base', 0)} 人（与达标情况表一致）"
        )
        if m.get("quota_reading"):
            lines.append(f"  比例口径：{m['quota_reading']}")
        if m.get("area_reading"):
            lines.append(f"  城乡口径：{m['area_reading']}")
        lines.append(f"  达标单位 {met}/{units}；岗位需求填补 {m.get('needs_filled', 0)}/{m.get('needs_open', 0)}")
        if m.get("non_quota_moved"):
            apart = m.get("non_quota_moves", [])
            stages: dict[str, int] = {}
            for row in apart:
                for st, n in row["by_stage"].items():
                    stages[st] = stages.get(st, 0) + n
            text = "、".join(f"{Stage(st).label_zh} {n}" for st, n in sorted(stages.items()))
            lines.append(
                f"  不计入比例的交流 {m['non_quota_moved']} 人（{text}），来自 {len(apart)} 所学校，不计入达标单位"
            )
        for k, v in m.get("needs_by_priority", {}).items():
            lines.append(f"    {k}：{v['filled']}/{v['open']}")
        lines.append(
            f"  高级职称占交流教师 {m.get('senior_share_sent', 0):.1%}（要求不低于 {m.get('senior_target_share', 0):.1%}，"
            f"全县 {m.get('county_senior_share', 0):.1%}）"
        )
        if m.get("moved_with_preferences"):
            lines.append(
                f"  有志愿者 {m['moved_with_preferences']} 人：第一志愿 {m['preference_first_choice']} 人，"
                f"志愿内 {m['preference_any_choice']} 人"
            )
        if m.get("distance_mean_km") is not None:
            lines.append(f"  平均距离 {m['distance_mean_km']} 公里，最远 {m['distance_max_km']} 公里")
        if m.get("objective") is not None:
            gap = m.get("gap")
            lines.append(
                f"  目标值 {m['objective']:.1f}，上界 {m['bound']:.1f}，间隙 {gap:.2%}；"
                f"建模 {m['build_seconds']:.2f} 秒，合计 {m['total_seconds']:.2f} 秒"
                if gap is not None
                else f"  目标值 {m['objective']:.1f}"
            )
        for r in m.get("indicators", []):
            lines.append(
                f"  {r['stage_zh']}{r['label']}：差异系数 {r['cv_before']:.3f} → {r['cv_after']:.3f}"
                f"（上限 {r['limit']:.2f}），低于标准的学校 {r['schools_below_before']} → {r['schools_below_after']}"
            )
        short = [r for r in plan.compliance if not r.met]
        if short:
            lines.append(f"  未达标 {len(short)} 个：")
            lines.extend(f"    {r.school_id} {r.name}：{r.shortfall_reason}" for r in short)
        lines.extend(f"  注意：{n}" for n in plan.notes)
    else:
        lines.append(f"Exchange plan {plan.year} ({plan.backend}, status {plan.status})")
        lines.append(f"  moved {m.get('moved', 0)}; quota units met {met}/{units}; needs filled {m.get('needs_filled', 0)}/{m.get('needs_open', 0)}")
        if m.get("non_quota_moved"):
            lines.append(f"  moves outside the quota stages (not counted): {m['non_quota_moved']}")
        lines.append(f"  senior share sent {m.get('senior_share_sent', 0):.1%} (target {m.get('senior_target_share', 0):.1%})")
        if m.get("gap") is not None:
            lines.append(f"  objective {m['objective']:.1f}, bound {m['bound']:.1f}, gap {m['gap']:.2%}")
        short = [r for r in plan.compliance if not r.met]
        lines.extend(f"  short: {r.school_id} {r.name}: {r.shortfall_reason}" for r in short)
    check = m.get("check")
    if check is not None:
        if check["ok"]:
            lines.append("独立校验：通过 / checker: OK" if zh else "checker: OK")
        else:
            lines.append(f"独立校验：发现 {len(check['violations'])} 处违规 / checker: FAILED")
            lines.extend(f"    [{v['rule']}] {v['subject']}: {v['message']}" for v in check["violations"][:20])
    _ = dataset
    return "\n".join(lines)
