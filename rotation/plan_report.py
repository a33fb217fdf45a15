"""A plan told in words for the terminal and summary.json: what moved, what is met,
what fell short and why, and the checker's verdict."""

from __future__ import annotations

from typing import Any

from rotation.enums import Stage
from rotation.metrics import tilt_of
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from rotation.status_words import interrupted_lines, plan_status_words


def plan_summary(plan: Plan, policy: Policy) -> dict[str, Any]:
    """The JSON-serialisable summary written to summary.json."""
    return {
        "year": plan.year,
        "status": plan.status,
        "status_words": plan_status_words(plan),
        "backend": plan.backend,
        "metrics": plan.figures(),
        "interrupted": plan.interrupted,
        "notes": list(plan.notes),
        "shortfalls": [
            {
                "school_id": r.school_id,
                "name": r.name,
                "reason": r.shortfall_reason,
                "causes": _causes(plan, r.school_id),
            }
            for r in plan.compliance
            if not r.met
        ],
        "county_shortfalls": [
            s.model_dump(mode="json") for s in plan.shortfalls if s.rule == "senior_title_tilt"
        ],
        "unfilled_needs": [u.model_dump(mode="json") for u in plan.unfilled],
        "principal_exchange": principal_lines(plan, zh=True, limit=0),
        "policy": policy.model_dump(mode="json"),
    }


def _causes(plan: Plan, unit: str) -> list[dict[str, str]]:
    """A unit's shortfalls as structured causes: rule, code, Chinese and English words."""
    return [
        {"rule": s.rule, "code": c.code, "zh": c.zh, "en": c.en}
        for s in plan.shortfalls
        if s.unit == unit and s.rule != "senior_title_tilt"
        for c in s.causes
    ]


def _num(value: float | None, fmt: str, missing: str = "—") -> str:
    """A figure formatted, or a dash when it is not known (never a crash on ``None``)."""
    return missing if value is None else format(value, fmt)


def format_plan_summary(plan: Plan, dataset: Dataset, lang: str = "zh") -> str:
    m = plan.metrics
    s = plan.solve
    zh = lang != "en"
    lines: list[str] = []
    units, met = m.quota_units, m.quota_units_met
    if plan.interrupted:
        lines.extend(interrupted_lines(plan))
    if zh:
        lines.append(f"{plan.year}学年交流轮岗方案（状态：{plan_status_words(plan)}）")
        lines.append(
            f"  交流教师 {m.moved} 人（骨干 {m.backbone_moved} 人，"
            f"高级职称 {m.senior_moved} 人）；可交流教师 {m.eligible} 人；"
            f"比例基数 {m.eligible_quota_base} 人（与达标情况表一致）"
        )
        if m.quota_reading:
            lines.append(f"  比例口径：{m.quota_reading}")
        if m.area_reading:
            lines.append(f"  城乡口径：{m.area_reading}")
        lines.append(f"  达标单位 {met}/{units}；岗位需求填补 {m.needs_filled}/{m.needs_open}")
        if m.non_quota_moved:
            stages: dict[str, int] = {}
            for row in m.non_quota_moves:
                for st, n in row.by_stage.items():
                    stages[st] = stages.get(st, 0) + n
            text = "、".join(f"{Stage.parse(st).label_zh} {n}" for st, n in sorted(stages.items()))
            lines.append(
                f"  不计入比例的交流 {m.non_quota_moved} 人（{text}），"
                f"来自 {len(m.non_quota_moves)} 所学校，不计入达标单位"
            )
        for k, v in m.needs_by_priority.items():
            lines.append(f"    {k}：{v.filled}/{v.open}")
        lines.append(f"  职称倾斜：{tilt_of(m).words()}")
        if m.moved_with_preferences:
            lines.append(
                f"  有志愿者 {m.moved_with_preferences} 人：第一志愿 {m.preference_first_choice} 人，"
                f"志愿内 {m.preference_any_choice} 人"
            )
        if m.distance_mean_km is not None:
            lines.append(f"  平均距离 {m.distance_mean_km} 公里，最远 {m.distance_max_km} 公里")
        if (
            s is not None
        ):  # the objective's meaning is the lines above; its value is in summary.json
            lines.append(
                f"  求解：{plan.backend or '—'}，建模 {s.build_seconds:.2f} 秒，合计 {s.total_seconds:.2f} 秒"
            )
        for r in m.indicators:
            if r.no_data:
                lines.append(f"  {r.stage_zh}{r.label}：无数据（名册缺少相应的列）")
                continue
            lines.append(
                f"  {r.stage_zh}{r.label}：差异系数 {r.cv_before:.3f} → {r.cv_after:.3f}"
                f"（上限 {r.limit:.2f}），低于标准的学校 {r.schools_below_before} → {r.schools_below_after}"
            )
        short = [r for r in plan.compliance if not r.met]
        if short:
            lines.append(f"  未达标 {len(short)} 个：")
            lines.extend(f"    {r.school_id} {r.name}：{r.shortfall_reason}" for r in short)
        lines.extend(f"  注意：{n}" for n in plan.notes)
        lines.extend(unfilled_lines(plan, zh=True))
        lines.extend(principal_lines(plan, zh=True))
    else:
        lines.append(f"Exchange plan {plan.year} (status: {plan_status_words(plan, 'en')})")
        lines.append(
            f"  moved {m.moved}; quota units met {met}/{units}; needs filled {m.needs_filled}/{m.needs_open}"
        )
        if m.non_quota_moved:
            lines.append(f"  moves outside the quota stages (not counted): {m.non_quota_moved}")
        lines.append(f"  title tilt: {tilt_of(m).words(zh=False)}")
        if m.moved_with_preferences:
            lines.append(
                f"  with preferences {m.moved_with_preferences}: first choice"
                f" {m.preference_first_choice}, any choice {m.preference_any_choice}"
            )
        if m.distance_mean_km is not None:
            lines.append(f"  distance mean {m.distance_mean_km} km, longest {m.distance_max_km} km")
        if s is not None:
            lines.append(
                f"  solved by {plan.backend or '—'}: model {s.build_seconds:.2f} s, total {s.total_seconds:.2f} s"
            )
        for r in m.indicators:
            if r.no_data:
                lines.append(f"  {r.stage} {r.indicator}: no data (the roster lacks its column)")
                continue
            lines.append(
                f"  {r.stage} {r.indicator}: CV {r.cv_before:.3f} → {r.cv_after:.3f} (limit "
                f"{r.limit:.2f}), schools below the target {r.schools_below_before} → {r.schools_below_after}"
            )
        short = [r for r in plan.compliance if not r.met]
        lines.extend(f"  short: {r.school_id} {r.name}: {r.shortfall_reason}" for r in short)
        lines.extend(f"  note: {n.split(' / ', 1)[-1]}" for n in plan.notes if "差异系数" in n)
        lines.extend(unfilled_lines(plan, zh=False))
        lines.extend(principal_lines(plan, zh=False))
    check = plan.check
    if check is not None:
        if check.ok:
            lines.append("独立校验：通过 / checker: OK" if zh else "checker: OK")
        else:
            lines.append(f"独立校验：发现 {len(check.violations)} 处违规 / checker: FAILED")
            lines.extend(f"    {v.text()}" for v in check.violations[:20])
    _ = dataset
    return "\n".join(lines)


def unfilled_lines(plan: Plan, *, zh: bool, limit: int = 20) -> list[str]:
    """The needs left open, one line each with its cause (the first ``limit``)."""
    if not plan.unfilled:
        return []
    posts = sum(u.count - u.filled for u in plan.unfilled)
    if zh:
        lines = [f"  未填补岗位 {posts} 个（{len(plan.unfilled)} 项需求）："]
        lines += [
            f"    {u.school_id} {u.school_name} {u.stage.label_zh}{u.subject.label_zh} "
            f"缺{u.count - u.filled}人：{u.reason_zh}"
            for u in plan.unfilled[:limit]
        ]
        more = f"    …另有 {len(plan.unfilled) - limit} 项，见 summary.json 与 plan.xlsx"
    else:
        lines = [f"  unfilled posts {posts} ({len(plan.unfilled)} needs):"]
        lines += [
            f"    {u.school_id} {u.stage.value} {u.subject.value} short {u.count - u.filled}: {u.reason_en}"
            for u in plan.unfilled[:limit]
        ]
        more = f"    … {len(plan.unfilled) - limit} more in summary.json and plan.xlsx"
    return lines + ([more] if len(plan.unfilled) > limit else [])


def principal_lines(plan: Plan, *, zh: bool, limit: int = 20) -> list[str]:
    """校长交流: the headline, then each due leader not moved and each vacancy with its
    reason (the first ``limit``; all of them in principal_exchanges.csv and plan.xlsx)."""
    ex = plan.principals
    if ex is None:
        return []
    lines = ["  " + (ex.headline_zh() if zh else ex.headline_en())]
    if limit <= 0:
        return lines
    for n in ex.not_moved[:limit]:
        if zh:
            lines.append(f"    {n.school_id} {n.name}（{n.position.label_zh}）：{n.reason_zh}")
        else:
            lines.append(f"    {n.school_id} {n.name} ({n.position.value}): {n.reason_en}")
    if len(ex.not_moved) > limit:
        more = len(ex.not_moved) - limit
        lines.append(
            f"    …另有 {more} 人，见 principal_exchanges.csv"
            if zh
            else f"    … {more} more in principal_exchanges.csv"
        )
    lines.extend(
        f"    {v.school_id} {v.name}：{'校长空缺，' + v.reason_zh if zh else 'no principal: ' + v.reason_en}"
        for v in ex.vacancies
    )
    return lines
