"""plan.xlsx, the workbook an office prints: 方案概况 first (verdict, headline figures, the
policy in words), then 交流名单, 学校达标情况, 指标对比, 未填补岗位. Every sheet and header in Chinese
(English with ``lang="en"``), codes shown as labels, numbers as numbers, never JSON; each
sheet prints landscape, fit to width, with its header row repeated."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rotation.enums import LabelledEnum, Role
from rotation.indicators import INDICATOR_LABELS_ZH
from rotation.io.cell_safety import save_workbook
from rotation.io.principal_files import principal_sheet
from rotation.io.xlsx_style import style_sheet, wrap_columns
from rotation.metrics import tilt_of
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.plan_results import IndicatorChange
from rotation.policy import ObjectiveWeights, Policy
from rotation.status_words import interrupted_lines, plan_status_words

SHEETS: dict[str, tuple[str, str]] = {
    "overview": ("方案概况", "Overview"),
    "moves": ("交流名单", "Moves"),
    "compliance": ("学校达标情况", "Quotas by school"),
    "indicators": ("指标对比", "Indicators"),
    "unfilled": ("未填补岗位", "Unfilled posts"),
}
UNFILLED_HEADER: tuple[tuple[str, str], ...] = (
    ("学校编号", "school_id"), ("学校名称", "school"), ("学段", "stage"), ("学科", "subject"),
    ("需求数", "posts"), ("已填补", "filled"), ("缺口", "open"), ("原因类别", "cause"),
    ("原因", "reason"),
)  # fmt: skip
MOVES_HEADER: tuple[tuple[str, str], ...] = (
    ("序号", "No."), ("教师编号", "teacher_id"), ("姓名", "name"),
    ("原学校编号", "from_school_id"), ("原学校", "from school"),
    ("交流学校编号", "to_school_id"), ("交流学校", "to school"), ("学段", "stage"),
    ("学科", "subject"), ("职称", "title"), ("骨干级别", "backbone"),
    ("距离（公里）", "distance (km)"), ("志愿顺序", "preference rank"),
    ("开始年份", "start year"), ("结束年份", "end year"), ("安排理由", "reasons"),
)  # fmt: skip
COMPLIANCE_HEADER: tuple[tuple[str, str], ...] = (
    ("学校编号", "school_id"), ("学校名称", "school"), ("角色", "role"),
    ("符合交流条件人数", "eligible"), ("应交流人数", "required"), ("已安排交流人数", "moved"),
    ("应交流骨干人数", "backbone required"), ("已安排骨干人数", "backbone moved"),
    ("是否达标", "met"), ("未达标原因", "reason not met"),
)  # fmt: skip
INDICATOR_HEADER: tuple[tuple[str, str], ...] = (
    ("学段", "stage"), ("指标", "indicator"),
    ("交流前均值（每百名学生）", "mean before (per 100 students)"),
    ("交流后均值（每百名学生）", "mean after (per 100 students)"),
    ("交流前差异系数", "CV before"), ("交流后差异系数", "CV after"),
    ("差异系数上限", "CV limit"), ("交流后差异系数达标", "CV met after"),
    ("交流前低于标准的学校数", "schools below standard before"),
    ("交流后低于标准的学校数", "schools below standard after"),
)  # fmt: skip
INDICATOR_EN: dict[str, str] = {
    "degree": "teachers above the required degree",
    "backbone": "county-level or higher backbone teachers",
    "arts_pe": "PE and arts teachers",
}
ROLE_EN: dict[Role, str] = {
    Role.SENDER: "sending school",
    Role.RECEIVER: "receiving school",
    Role.BOTH: "sending and receiving",
    Role.NONE: "not taking part",
}
PRIORITY_EN: dict[str, str] = {
    "三所学校": "township 'three schools'",
    "薄弱学校": "weak schools",
    "其他农村学校": "other rural schools",
    "其他学校": "other schools",
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return "无数据" if lang != "en" else "no data"
    if lang == "en":
        return "yes" if value else "no"
    return "是" if value else "否"


def _enum(value: LabelledEnum, lang: str) -> str:
    return value.label(lang)


def _school_name(dataset: Dataset, school_id: str) -> str:
    school = dataset.school.get(school_id)
    return school.name if school is not None else ""


def _moves_sheet(wb: Any, plan: Plan, dataset: Dataset, lang: str) -> None:
    ws = wb.create_sheet(_pick(SHEETS["moves"], lang))
    ws.append([_pick(h, lang) for h in MOVES_HEADER])
    moves = sorted(plan.assignments, key=lambda a: (a.from_school_id, a.teacher_id))
    for i, a in enumerate(moves, start=1):
        distance = a.distance_km
        if (
            distance is None
            and a.from_school_id in dataset.school
            and a.to_school_id in dataset.school
        ):
            distance = dataset.distance_km(a.from_school_id, a.to_school_id)
        ws.append(
            [
                i, a.teacher_id, a.name, a.from_school_id, _school_name(dataset, a.from_school_id),
                a.to_school_id, _school_name(dataset, a.to_school_id), _enum(a.stage, lang),
                _enum(a.subject, lang), _enum(a.title, lang), _enum(a.backbone, lang),
                None if distance is None else round(distance, 1), a.preference_rank,
                a.start_year, a.end_year, a.reasons,
            ]
        )  # fmt: skip
    style_sheet(ws, filters=True)
    wrap_columns(ws, {"P": 60})


def _role(role: Role | str, lang: str) -> str:
    try:
        parsed = role if isinstance(role, Role) else Role.parse(role)
    except ValueError:
        return role
    return ROLE_EN[parsed] if lang == "en" else parsed.label_zh


def _compliance_sheet(wb: Any, plan: Plan, lang: str) -> None:
    ws = wb.create_sheet(_pick(SHEETS["compliance"], lang))
    ws.append([_pick(h, lang) for h in COMPLIANCE_HEADER])
    for r in plan.compliance:
        ws.append(
            [
                r.school_id, r.name, _role(r.role, lang), r.eligible, r.required, r.rotated,
                r.backbone_required, r.backbone_rotated, _yes_no(r.met, lang), r.shortfall_reason,
            ]
        )  # fmt: skip
    style_sheet(ws, filters=True)


def _unfilled_sheet(wb: Any, plan: Plan, lang: str) -> None:
    """未填补岗位: every need the plan leaves open, with its cause in the reader's language."""
    ws = wb.create_sheet(_pick(SHEETS["unfilled"], lang))
    ws.append([_pick(h, lang) for h in UNFILLED_HEADER])
    for u in plan.unfilled:
        ws.append(
            [
                u.school_id, u.school_name, _enum(u.stage, lang), _enum(u.subject, lang), u.count,
                u.filled, u.count - u.filled, _enum(u.cause, lang),
                u.reason_en if lang == "en" else u.reason_zh,
            ]
        )  # fmt: skip
    style_sheet(ws, filters=True)


def _indicator_name(row: IndicatorChange, lang: str) -> str:
    if lang == "en":
        return INDICATOR_EN.get(row.indicator, row.indicator)
    return INDICATOR_LABELS_ZH.get(row.indicator, row.label or row.indicator)


def _figure(value: float | int | None, row: IndicatorChange, lang: str) -> object:
    if row.no_data or value is None:
        return "无数据" if lang != "en" else "no data"
    return round(value, 4) if isinstance(value, float) else value


def _indicator_sheet(wb: Any, plan: Plan, lang: str) -> None:
    ws = wb.create_sheet(_pick(SHEETS["indicators"], lang))
    ws.append([_pick(h, lang) for h in INDICATOR_HEADER])
    if not plan.metrics.indicators:
        ws.append([_pick(("本方案未提供指标对比数据", "no indicator figures in this plan"), lang)])
        style_sheet(ws)
        return
    for r in plan.metrics.indicators:
        stage = r.stage if lang == "en" else r.stage_zh
        ws.append(
            [
                stage, _indicator_name(r, lang), _figure(r.mean_before, r, lang),
                _figure(r.mean_after, r, lang), _figure(r.cv_before, r, lang),
                _figure(r.cv_after, r, lang), r.limit,
                _yes_no(None if r.no_data else r.cv_met_after, lang),
                _figure(r.schools_below_before, r, lang), _figure(r.schools_below_after, r, lang),
            ]
        )  # fmt: skip
    style_sheet(ws, filters=True)


def _both(description: str | None, lang: str) -> str:
    """One side of a "中文 / English" text (the Chinese alone when there is no English)."""
    parts = _SLASH.split(description or "", maxsplit=1)
    zh, en = parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""
    return (en or zh) if lang == "en" else zh


_SLASH = re.compile(r"\s?/\s")


def headline_rows(plan: Plan, lang: str = "zh") -> list[tuple[str, object]]:
    """The figures an officer reads first, as (label, number or words) pairs."""
    m, zh = plan.metrics, lang != "en"
    rows: list[tuple[str, object]] = [
        ("方案年度" if zh else "year", plan.year),
        (
            "方案状态" if zh else "status",
            plan_status_words(plan, lang),
        ),
    ]
    if plan.check is not None:
        verdict = (
            ("通过" if plan.check.ok else f"未通过（{len(plan.check.violations)} 项违反规则）")
            if zh
            else (
                "passed" if plan.check.ok else f"failed ({len(plan.check.violations)} violations)"
            )
        )
        rows.append(("独立核验" if zh else "checker's verdict", verdict))
    met = sum(1 for r in plan.compliance if r.met)
    rows += [
        ("交流人数" if zh else "teachers moved", len(plan.assignments)),
        ("其中骨干教师" if zh else "of them backbone teachers", m.backbone_moved),
        ("其中高级职称" if zh else "of them senior titles", m.senior_moved),
        ("职称倾斜" if zh else "title tilt", tilt_of(m).words(zh=zh)),
        ("达标学校（单位）数" if zh else "quota units met", met),
        ("未达标学校（单位）数" if zh else "quota units not met", len(plan.compliance) - met),
        ("空缺岗位数" if zh else "open posts", m.needs_open),
        ("已填补岗位数" if zh else "posts filled", m.needs_filled),
    ]
    for cls, need in m.needs_by_priority.items():
        label = f"已填补岗位：{cls}" if zh else f"posts filled: {PRIORITY_EN.get(cls, cls)}"
        rows.append((label, f"{need.filled}/{need.open}"))
    rows += [
        (
            "填报志愿的交流教师" if zh else "moved teachers with preferences",
            m.moved_with_preferences,
        ),
        ("去往第一志愿" if zh else "sent to their first choice", m.preference_first_choice),
        ("去往所填志愿之一" if zh else "sent to one of their choices", m.preference_any_choice),
    ]
    if m.distance_mean_km is not None:
        rows.append(("平均交流距离（公里）" if zh else "mean distance (km)", m.distance_mean_km))
    if m.distance_max_km is not None:
        rows.append(("最远交流距离（公里）" if zh else "longest distance (km)", m.distance_max_km))
    rows.append(("交流到农村学校的教师" if zh else "moved into rural schools", m.moved_to_rural))
    if m.quota_reading:
        rows.append(("比例口径" if zh else "quota reading", _both(m.quota_reading, lang)))
    if m.area_reading:
        rows.append(("城乡口径" if zh else "urban/rural reading", _both(m.area_reading, lang)))
    if plan.principals is not None:
        ex = plan.principals
        rows.append(("校长交流" if zh else "principal exchange", ex.headline_zh() if zh else ex.headline_en()))
    return rows


def _policy_rows(policy: Policy, lang: str) -> list[tuple[str, object, str]]:
    """(meaning, value in words, --set key) for every parameter."""
    rows: list[tuple[str, object, str]] = []
    for name, field in type(policy).model_fields.items():
        if name == "weights":
            continue
        rows.append(
            (_both(field.description, lang) or name, _plain(getattr(policy, name), lang), name)
        )
    for name, field in ObjectiveWeights.model_fields.items():
        key = f"weights.{name}"
        value = _plain(getattr(policy.weights, name), lang)
        rows.append((_both(field.description, lang) or key, value, key))
    return rows


def _plain(value: object, lang: str) -> object:
    """A parameter's value as an officer reads it: labels for codes, lists joined, no JSON."""
    zh = lang != "en"
    if isinstance(value, LabelledEnum):
        return value.label(lang)
    if isinstance(value, bool):
        return _yes_no(value, lang)
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else list(value)
        words = [str(_plain(v, lang)) for v in items]
        return ("、" if zh else ", ").join(words) if words else ("（无）" if zh else "(none)")
    if isinstance(value, dict):
        pairs = [f"{k}：{_plain(v, lang)}" for k, v in value.items()]
        return "；".join(pairs) if pairs else ("（无）" if zh else "(none)")
    if value is None:
        return "（未设定）" if zh else "(not set)"
    return value


def _overview_sheet(
    wb: Any, plan: Plan, policy: Policy | None, lang: str, official: str | None = None
) -> None:
    from openpyxl.styles import Font

    zh = lang != "en"
    ws = wb.create_sheet(_pick(SHEETS["overview"], lang))
    ws.append(["项目", "内容", "参数名（--set）"] if zh else ["item", "value", "key (--set)"])
    if official:
        ws.append(["方案性质" if zh else "standing", official])
    if plan.interrupted:
        for line in interrupted_lines(plan)[:1]:  # the words; bound and gap stay in summary.json
            ws.append([_pick(("说明", "note"), lang), _both(line, lang)])
    for label, value in headline_rows(plan, lang):
        ws.append([label, value])
    if plan.check is not None:
        for v in plan.check.violations:
            ws.append(["违反规则" if zh else "violation", f"{v.subject}：{v.message}"])
    for note in plan.notes:
        ws.append(["备注" if zh else "note", _both(note, lang)])
    if policy is not None:
        ws.append([])
        ws.append(["政策参数" if zh else "policy parameters"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for meaning, value, key in _policy_rows(policy, lang):
            ws.append([meaning, value, key])
    style_sheet(ws, max_width=70)
    wrap_columns(ws, {"A": 44, "B": 56, "C": 30})


def write_plan_xlsx(
    plan: Plan,
    dataset: Dataset,
    path: str | Path,
    *,
    policy: Policy | None = None,
    lang: str = "zh",
    official: str | None = None,
) -> Path:
    """The printable workbook: 方案概况, 交流名单, 学校达标情况, 指标对比, 未填补岗位 and,
    when the plan has one, 校长交流.

    ``official`` (the publication's stamp, 正式方案 …) heads 方案概况 when the plan is published.
    """
    from openpyxl import Workbook

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    _overview_sheet(wb, plan, policy, lang, official)
    _moves_sheet(wb, plan, dataset, lang)
    _compliance_sheet(wb, plan, lang)
    _indicator_sheet(wb, plan, lang)
    _unfilled_sheet(wb, plan, lang)
    principal_sheet(wb, plan, dataset, lang)  # 校长交流 (rotation/io/principal_files.py)
    if plan.itinerant is not None:
        from rotation.io.itinerant_files import itinerant_sheet

        itinerant_sheet(wb, plan.itinerant, dataset, lang)
    save_workbook(wb, out)
    return out
