"""What a roster looks like for plan year Y: schools, eligibility, quotas, needs, indicators.

``dataset_summary`` gives a JSON-serialisable dict (for ``rotation check-data --json``
and the API); ``format_summary`` renders it for the terminal, in Chinese.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from rotation.areas import area_reading
from rotation.eligibility import eligibility_table
from rotation.enums import Role, Stage, Subject
from rotation.indicators import (
    EVALUATED_STAGES,
    INDICATOR_LABELS_ZH,
    INDICATORS,
    county_indicators,
    cv_limit,
    target,
)
from rotation.models import Dataset
from rotation.policy import Policy
from rotation.quotas import (
    COUNTY,
    backbone_quotas,
    backbone_separate,
    quota_base_teachers,
    quota_reading,
    quotas,
)
from rotation.roles import school_role


def reason_category(reason: str) -> str:
    """An ineligibility reason without its figures: "在本校任教未满6年（3年）" → "在本校任教未满6年"."""
    return re.split(r"[（：(]", reason, maxsplit=1)[0]


_REASONS_EN: tuple[tuple[str, str], ...] = (
    (r"所在学校不是派出学校", "the school is not a sending school"),
    (r"在本校任教未满(\d+)年", "fewer than {0} years at the school"),
    (r"距退休不足(\d+)年", "within {0} years of retirement"),
    (r"已申请免交流", "exempted on request"),
    (r"正在交流期内", "on an exchange now"),
    (r"上次交流结束未满(\d+)年", "fewer than {0} years since the last exchange"),
    (r"校长按校长交流规则另行安排，不计入教师交流比例", "a principal: exchanged under the principals' rules"),
    (r"副校长按校长交流规则另行安排，不计入教师交流比例", "a vice-principal: exchanged under the principals' rules"),
)


def _english_side(text: str) -> str:
    """The English half of a "中文 / English" text (the whole text when it has none)."""
    parts = re.split(r"\s/\s", text, maxsplit=1)
    return parts[1] if len(parts) > 1 else text


def reason_category_en(category: str) -> str:
    """An ineligibility category (``reason_category``) in English; unchanged when unknown."""
    for pattern, words in _REASONS_EN:
        m = re.fullmatch(pattern, category)
        if m:
            return words.format(*m.groups())
    return category


def dataset_summary(dataset: Dataset, year: int, policy: Policy) -> dict[str, Any]:
    roles = {s.school_id: school_role(s, policy.urban_areas) for s in dataset.schools}
    table = eligibility_table(dataset, year, policy)
    eligible = [t for t in dataset.teachers if table[t.teacher_id].eligible]
    county_reasons: Counter[str] = Counter()
    by_school: list[dict[str, Any]] = []
    for school in dataset.schools:
        staff = dataset.teachers_by_school[school.school_id]
        reasons: Counter[str] = Counter()
        for t in staff:
            reasons.update(reason_category(r) for r in table[t.teacher_id].reasons)
        county_reasons.update(reasons)
        by_school.append(
            {
                "school_id": school.school_id,
                "name": school.name,
                "role": roles[school.school_id].value,
                "teachers": len(staff),
                "eligible": sum(table[t.teacher_id].eligible for t in staff),
                "ineligible_reasons": dict(sorted(reasons.items())),
            }
        )
    return {
        "year": year,
        "schools": {
            "total": len(dataset.schools),
            "by_role": {r.value: sum(v is r for v in roles.values()) for r in Role},
        },
        "teachers": {
            "total": len(dataset.teachers),
            "by_stage": {
                st.value: n for st in Stage if (n := sum(t.stage is st for t in dataset.teachers))
            },
        },
        "eligible": {
            "total": len(eligible),
            "ineligible_reasons": dict(sorted(county_reasons.items())),
            "by_school": by_school,
        },
        "quotas": _quota_summary(dataset, quota_base_teachers(dataset, table, policy), policy),
        "needs": _needs_summary(dataset),
        "indicators": _indicator_summary(dataset, policy),
    } | _hour_needs_summary(dataset)


def _hour_needs_summary(dataset: Dataset) -> dict[str, Any]:
    """hours_needs.csv (走教), only when the roster has it: old summaries stay as they were."""
    if not dataset.hour_needs:
        return {}
    return {
        "hour_needs": {
            "rows": len(dataset.hour_needs),
            "hours": sum(h.hours for h in dataset.hour_needs),
            "schools": len({h.school_id for h in dataset.hour_needs}),
        }
    }


def _quota_summary(dataset: Dataset, eligible: list, policy: Policy) -> dict[str, Any]:
    units = quotas(dataset, eligible, policy)
    rows = [
        {
            "unit": q.unit,
            "name": "全县" if q.unit == COUNTY else dataset.school[q.unit].name,
            "eligible": q.eligible,
            "eligible_backbone": q.eligible_backbone,
            "required": q.required,
            "maximum": q.maximum,
            "backbone_required": 0 if backbone_separate(policy) else q.backbone_required,
        }
        for q in units.values()
    ]
    county = {
        key: sum(getattr(q, key) for q in units.values())
        for key in ("eligible", "eligible_backbone", "required", "maximum")
    }
    county["backbone_required"] = (
        0 if backbone_separate(policy) else sum(q.backbone_required for q in units.values())
    )
    if backbone_separate(policy):  # the 20% of the county's total, not a sum of schools' 20%
        county["backbone_required"] = backbone_quotas(units, policy)[COUNTY].backbone_required
    return {
        "scope": policy.quota_scope.value,
        "backbone_scope": policy.backbone_scope.value,
        "quota_base": policy.quota_base.value,
        "reading": quota_reading(policy),
        "area_reading": area_reading(policy.urban_areas, policy.rural_areas),
        "rotation_rate": policy.rotation_rate,
        "backbone_share": policy.backbone_share,
        "units": rows,
        "county": county,
    }


def _needs_summary(dataset: Dataset) -> dict[str, Any]:
    counts: Counter[Subject] = Counter()
    for n in dataset.needs:
        counts[n.subject] += n.count
    return {
        "declared": dataset.needs_declared,
        "total": sum(counts.values()),
        "by_subject": [
            {"subject": s.value, "label": s.label_zh, "count": counts[s]}
            for s in Subject
            if counts[s]
        ],
    }


def _indicator_summary(dataset: Dataset, policy: Policy) -> list[dict[str, Any]]:
    county = county_indicators(dataset, policy)
    out: list[dict[str, Any]] = []
    for stage in EVALUATED_STAGES:
        part = [r for r in county.schools if r.stage is stage]
        if not part:
            continue
        for k in INDICATORS:
            if k in county.no_data:
                out.append(
                    {
                        "stage": stage.value, "stage_label": stage.label_zh, "indicator": k,
                        "label": INDICATOR_LABELS_ZH[k], "no_data": True, "mean": None,
                        "target": target(policy, stage, k), "cv": None,
                        "limit": cv_limit(policy, stage), "cv_met": None,
                        "schools_evaluated": len(part), "schools_below_target": None,
                    }
                )  # fmt: skip
                continue
            below = sorted({r.school_id for r in part if not r.met[k]})
            out.append(
                {
                    "stage": stage.value,
                    "stage_label": stage.label_zh,
                    "indicator": k,
                    "label": INDICATOR_LABELS_ZH[k],
                    "mean": round(county.mean[(stage, k)], 4),
                    "target": target(policy, stage, k),
                    "cv": round(county.cv[(stage, k)], 4),
                    "limit": cv_limit(policy, stage),
                    "cv_met": county.cv_met[(stage, k)],
                    "schools_evaluated": len(part),
                    "schools_below_target": below,
                }
            )
    return out


# ------------------------------------------------------------------ terminal
_ROLE_ZH = {r.value: r.label_zh for r in Role}
_STAGE_ZH = {s.value: s.label_zh for s in Stage}


def format_summary(summary: dict[str, Any], lang: str = "zh") -> str:
    """The summary as plain text that stays readable when piped."""
    zh = lang != "en"

    def t(cn: str, en: str) -> str:
        return cn if zh else en

    sep = "，" if zh else ", "
    lines: list[str] = [
        t(f"{summary['year']} 年度数据概况", f"Roster summary for {summary['year']}")
    ]
    s = summary["schools"]
    roles = sep.join(f"{_ROLE_ZH[r] if zh else r} {n}" for r, n in s["by_role"].items() if n)
    lines.append(t(f"学校 {s['total']} 所（{roles}）", f"Schools: {s['total']} ({roles})"))
    te = summary["teachers"]
    stages = sep.join(f"{_STAGE_ZH[k] if zh else k} {n}" for k, n in te["by_stage"].items())
    lines.append(t(f"教师 {te['total']} 人（{stages}）", f"Teachers: {te['total']} ({stages})"))
    el = summary["eligible"]
    lines.append(t(f"符合交流条件 {el['total']} 人", f"Eligible: {el['total']}"))
    for reason, n in el["ineligible_reasons"].items():
        lines.append(f"  - {reason if zh else reason_category_en(reason)}: {n}")

    q = summary["quotas"]
    c = q["county"]
    lines.append("")
    lines.append(
        t(
            f"交流指标（比例 {q['rotation_rate']:.0%}，骨干 {q['backbone_share']:.0%}，"
            f"{'按校' if q['scope'] == 'school' else '全县'}考核）：应交流 {c['required']} 人，"
            f"其中骨干至少 {c['backbone_required']} 人",
            f"Quotas (rate {q['rotation_rate']:.0%}, backbone {q['backbone_share']:.0%}, "
            f"scope {q['scope']}): {c['required']} to rotate, {c['backbone_required']} backbone",
        )
    )
    header = [t("学校", "unit"), t("符合条件", "eligible"), t("应交流", "required"),
              t("骨干", "backbone"), t("上限", "max")]  # fmt: skip
    rows = [
        [f"{u['unit']} {u['name']}" if u["unit"] != COUNTY else u["name"], u["eligible"],
         u["required"], u["backbone_required"], u["maximum"]]
        for u in q["units"]
    ]  # fmt: skip
    lines.extend("  " + line for line in _table(header, rows))
    if q.get("reading"):
        lines.append(t(f"  口径：{q['reading']}", f"  reading: {_english_side(q['reading'])}"))
    if q.get("area_reading"):
        lines.append(
            t(f"  城乡口径：{q['area_reading']}", f"  areas: {_english_side(q['area_reading'])}")
        )

    n = summary["needs"]
    lines.append("")
    if not n["declared"]:
        lines.append(
            t(
                f"未提供岗位需求表（needs.csv），已按编制标准推算需求 {n['total']} 个",
                f"No needs.csv: {n['total']} needs derived from the staffing norms",
            )
        )
    if n["by_subject"] or n["declared"]:
        subjects = sep.join(
            f"{x['label'] if zh else x['subject']} {x['count']}" for x in n["by_subject"]
        )
        lines.append(
            t(f"岗位需求 {n['total']} 个：{subjects}", f"Open needs: {n['total']}: {subjects}")
        )
    h = summary.get("hour_needs")
    if h:
        lines.append(
            t(
                f"走教课时需求（hours_needs.csv）{h['schools']} 所学校、{h['rows']} 项、"
                f"共 {h['hours']} 节/周",
                f"Itinerant-teaching hour needs (hours_needs.csv): {h['schools']} schools, "
                f"{h['rows']} rows, "
                f"{h['hours']} weekly hours",
            )
        )

    lines.append("")
    lines.append(
        t("优质均衡教师指标（每百名学生）：", "Balanced-development indicators (per 100 students):")
    )
    header = [t("学段", "stage"), t("指标", "indicator"), t("均值", "mean"), t("标准", "target"),
              t("差异系数", "CV"), t("上限", "limit"), t("差异系数达标", "CV met"), t("未达标学校", "below target")]  # fmt: skip
    none = t("无数据", "no data")
    rows = [
        [_STAGE_ZH[i["stage"]] if zh else i["stage"], i["label"] if zh else i["indicator"],
         none, f"{i['target']:g}", none, f"{i['limit']:g}", none, none]
        if i.get("no_data") else
        [_STAGE_ZH[i["stage"]] if zh else i["stage"], i["label"] if zh else i["indicator"],
         f"{i['mean']:.2f}", f"{i['target']:g}", f"{i['cv']:.3f}", f"{i['limit']:g}",
         t("是", "yes") if i["cv_met"] else t("否", "no"),
         f"{len(i['schools_below_target'])}/{i['schools_evaluated']}"]
        for i in summary["indicators"]
    ]  # fmt: skip
    lines.extend("  " + line for line in _table(header, rows))
    return "\n".join(lines)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[str(x) for x in r] for r in [header, *rows]]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    return [
        "  ".join(c + " " * (widths[i] - _width(c)) for i, c in enumerate(r)).rstrip()
        for r in cells
    ]
