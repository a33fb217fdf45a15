"""Plan outputs: plan.csv and compliance.csv as the contract reads, and a printable workbook.

The CSV files carry canonical English codes in the contract's exact columns and are
byte-identical for equal plans. The workbook (交流名单, 学校达标情况, 指标对比, 说明)
is for the bureau's meeting: Chinese headers and labels, school names next to ids.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rotation.enums import LabelledEnum, Role, Stage
from rotation.io.cell_safety import restore_csv_cell, save_workbook
from rotation.io.encoding import UndecodableError, decode_text
from rotation.io.errors import DatasetError, Problem
from rotation.io.writing import csv_value, write_csv
from rotation.io.xlsx_style import style_sheet
from rotation.models import Dataset
from rotation.plan import Assignment, ComplianceRow, Plan, in_file_order
from rotation.policy import Policy

PLAN_COLUMNS: tuple[str, ...] = (
    "teacher_id", "name", "from_school_id", "to_school_id", "stage", "subject", "title",
    "backbone", "start_year", "end_year", "reasons",
)  # fmt: skip
COMPLIANCE_COLUMNS: tuple[str, ...] = (
    "school_id", "name", "role", "eligible", "required", "rotated", "backbone_required",
    "backbone_rotated", "met", "shortfall_reason",
)  # fmt: skip
COMPLIANCE_ZH: dict[str, str] = {
    "school_id": "学校编号",
    "name": "学校名称",
    "role": "角色",
    "eligible": "符合交流条件人数",
    "required": "应交流人数",
    "rotated": "已安排交流人数",
    "backbone_required": "应交流骨干人数",
    "backbone_rotated": "已安排骨干人数",
    "met": "是否达标",
    "shortfall_reason": "未达标原因",
}
INDICATOR_ZH: dict[str, str] = {
    "stage": "学段",
    "indicator": "指标",
    "label": "指标名称",
    "cv_before": "交流前差异系数",
    "cv_after": "交流后差异系数",
    "no_data": "无数据",
    "limit": "差异系数上限",
    "mean_before": "交流前均值（每百名学生）",
    "mean_after": "交流后均值（每百名学生）",
    "target": "标准值",
    "met_before": "交流前达标",
    "met_after": "交流后达标",
    "cv_met_after": "交流后差异系数达标",
    "schools_below_before": "交流前低于标准的学校数",
    "schools_below_after": "交流后低于标准的学校数",
}


def _sorted_assignments(plan: Plan) -> list[Assignment]:
    return in_file_order(plan.assignments)


def write_plan_csv(plan: Plan, path: str | Path) -> Path:
    """plan.csv: one row per move, by teacher_id, in the contract's columns."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = ([csv_value(getattr(a, c)) for c in PLAN_COLUMNS] for a in _sorted_assignments(plan))
    write_csv(out, PLAN_COLUMNS, rows)
    return out


def _compliance_value(row: ComplianceRow, column: str) -> str:
    value = getattr(row, column)
    if column == "met":
        return "1" if value else "0"
    return csv_value(value)


def write_compliance_csv(plan: Plan, path: str | Path) -> Path:
    """compliance.csv: one row per quota unit, ``met`` as 0/1."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = ([_compliance_value(r, c) for c in COMPLIANCE_COLUMNS] for r in plan.compliance)
    write_csv(out, COMPLIANCE_COLUMNS, rows)
    return out


def read_plan_csv(path: str | Path) -> list[dict[str, str]]:
    """The rows of a plan.csv (any accepted encoding), as text keyed by the contract's columns."""
    p = Path(path)
    label = p.name
    if not p.is_file():
        raise DatasetError(
            [
                Problem(
                    file=str(p),
                    row=None,
                    column=None,
                    value=str(p),
                    expected="一个 plan.csv 文件",
                    expected_en="a plan.csv file",
                    kind="bad_path",
                )  # fmt: skip
            ]
        )
    try:
        text, _ = decode_text(p.read_bytes())
    except UndecodableError as exc:
        raise DatasetError(
            [
                Problem(
                    file=label,
                    row=None,
                    column=None,
                    value=str(exc),
                    expected="UTF-8 或 GB18030 编码的 CSV",
                    expected_en="a UTF-8 or GB18030 CSV",
                    kind="undecodable",
                )  # fmt: skip
            ]
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in PLAN_COLUMNS if c not in header]
    if missing:
        raise DatasetError(
            [
                Problem(
                    file=label,
                    row=1,
                    column=c,
                    value="",
                    expected=f"表头中有 {c} 列",
                    expected_en=f"a column {c}",
                    kind="missing_column",
                )  # fmt: skip
                for c in missing
            ]
        )
    return [
        {k.strip(): restore_csv_cell(v or "").strip() for k, v in row.items() if k is not None}
        for row in reader
        if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]


# ------------------------------------------------------------------ workbook
def _label(value: object) -> object:
    if isinstance(value, LabelledEnum):
        return value.label_zh
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _school_name(dataset: Dataset, school_id: str) -> str:
    school = dataset.school.get(school_id)
    return school.name if school is not None else ""


def _moves_sheet(wb: Any, plan: Plan, dataset: Dataset) -> None:
    ws = wb.create_sheet("交流名单")
    ws.append(
        [
            "序号", "教师编号", "姓名", "原学校编号", "原学校", "交流学校编号", "交流学校",
            "学段", "学科", "职称", "骨干级别", "距离（公里）", "志愿顺序", "开始年份",
            "结束年份", "安排理由",
        ]
    )  # fmt: skip
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
                a.to_school_id, _school_name(dataset, a.to_school_id), a.stage.label_zh,
                a.subject.label_zh, a.title.label_zh, a.backbone.label_zh,
                None if distance is None else round(distance, 1), a.preference_rank,
                a.start_year, a.end_year, a.reasons,
            ]
        )  # fmt: skip
    style_sheet(ws)


def _compliance_sheet(wb: Any, plan: Plan) -> None:
    ws = wb.create_sheet("学校达标情况")
    ws.append([COMPLIANCE_ZH[c] for c in COMPLIANCE_COLUMNS])
    for r in plan.compliance:
        role = r.role.label_zh if isinstance(r.role, Role) else r.role
        row = [role if c == "role" else _label(getattr(r, c)) for c in COMPLIANCE_COLUMNS]
        ws.append(row)
    style_sheet(ws)


def _indicator_sheet(wb: Any, plan: Plan) -> None:
    ws = wb.create_sheet("指标对比")
    # the stage is shown by its Chinese label already: no separate stage_zh column
    hidden = {"stage_zh"} | (
        {"no_data"} if not any(r.no_data for r in plan.metrics.indicators) else set()
    )
    rows = [r.model_dump(mode="json", exclude=hidden) for r in plan.metrics.indicators]
    if not rows:
        ws.append(["说明"])
        ws.append(["本方案未提供指标对比数据 / no indicator figures in this plan"])
        style_sheet(ws)
        return
    keys: list[str] = []
    for r in rows:
        keys.extend(k for k in r if k not in keys)
    ws.append([INDICATOR_ZH.get(k, k) for k in keys])
    for r in rows:
        blank = "无数据" if r.get("no_data") else None  # never a figure, never 达标
        ws.append(
            [
                _stage_label(r.get(k)) if k == "stage" else
                (blank if r.get(k) is None else _cell(r.get(k)))
                for k in keys
            ]
        )  # fmt: skip
    style_sheet(ws)


def _cell(value: object) -> object:
    """A metric value Excel can hold: labels for codes, 4-decimal floats, JSON for the rest."""
    if isinstance(value, bool):
        return _label(value)
    if isinstance(value, float):
        return round(value, 4)
    if value is None or isinstance(value, int | str):
        return _label(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _stage_label(value: object) -> object:
    try:
        return Stage.parse(str(value)).label_zh
    except ValueError:
        return _cell(value)


_METRIC_ZH: dict[str, str] = {
    "moved": "交流人数",
    "needs_filled": "填补岗位数",
    "objective": "目标值",
    "bound": "目标上界",
    "gap": "与最优的相对差距",
    "status": "求解状态",
    "build_seconds": "建模用时（秒）",
    "solve_seconds": "求解用时（秒）",
}


def _unfilled_sheet(wb: Any, plan: Plan) -> None:
    """未填补岗位: every need the plan leaves open, with its cause."""
    ws = wb.create_sheet("未填补岗位")
    ws.append(["学校编号", "学校名称", "学段", "学科", "需求数", "已填补", "缺口", "原因类别", "原因", "reason"])
    for u in plan.unfilled:
        ws.append(
            [u.school_id, u.school_name, u.stage.label_zh, u.subject.label_zh, u.count, u.filled,
             u.count - u.filled, u.cause.label_zh, u.reason_zh, u.reason_en]
        )  # fmt: skip
    style_sheet(ws, max_width=60)


def _notes_sheet(wb: Any, plan: Plan, policy: Policy | None) -> None:
    ws = wb.create_sheet("说明")
    ws.append(["项目", "内容"])
    ws.append(["方案年度", plan.year])
    ws.append(["方案状态", plan.status])
    if plan.backend:
        ws.append(["求解方法", plan.backend])
    ws.append(["交流人数", len(plan.assignments)])
    met = sum(1 for r in plan.compliance if r.met)
    ws.append(["达标单位", f"{met}/{len(plan.compliance)}"])
    for key, value in plan.figures().items():
        if key in ("indicators", "check", "policy", "shortfalls", "unfilled_needs"):
            continue
        ws.append([_METRIC_ZH.get(key, key), _cell(value)])
    check = plan.check
    if check is not None:
        verdict = "通过 / passed" if check.ok else "未通过 / failed"
        ws.append(["方案核验", verdict])
        for v in check.violations:
            ws.append(["违反规则", v.text()])
    for note in plan.notes:
        ws.append(["备注", note])
    params = _policy_params(policy)
    for name, value in params:
        ws.append([f"政策参数 {name}", value])
    style_sheet(ws, max_width=90)


def interrupted_lines(plan: Plan) -> list[str]:
    """What an interrupted plan is, in words: the best plan when the stop came, with its
    true bound and gap (shared by the workbook and the terminal summary)."""
    s = plan.solve
    bound = "未知 / unknown" if s is None or s.bound is None else f"{s.bound:.1f}"
    gap = "未知 / unknown" if s is None or s.gap is None else f"{s.gap:.2%}"
    head = (
        "已中断：中断前本方案已在间隙内证明为最优 / interrupted: the plan was proven optimal "
        "(within the gap) before the stop"
        if plan.status == "optimal"
        else "已中断：本方案为求解被中断时的最优方案，尚未证明最优 / interrupted: the best plan found "
        "before the stop, not proven optimal"
    )
    return [
        head,
        f"求解状态 / status: {plan.status}；目标上界 / bound: {bound}；与最优的相对差距 / gap: {gap}",
    ]


def _interrupted_sheet(wb: Any, plan: Plan) -> None:
    ws = wb.create_sheet("已中断")
    for line in interrupted_lines(plan):
        ws.append([line])
    style_sheet(ws, max_width=120)


def _policy_params(policy: Policy | None) -> list[tuple[str, object]]:
    if policy is None:
        return []
    data = policy.model_dump(mode="json")
    out: list[tuple[str, object]] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            out.extend((f"{key}.{k}", _cell(v)) for k, v in value.items())
        else:
            out.append((str(key), _cell(value)))
    return out


def write_plan_xlsx(
    plan: Plan, dataset: Dataset, path: str | Path, *, policy: Policy | None = None
) -> Path:
    """The printable workbook: 交流名单, 学校达标情况, 指标对比, 说明, 未填补岗位 (and first
    of all 已中断 when the plan was stopped before the end).

    ``policy`` (a ``rotation.policy.Policy``) is listed on 说明 when given.
    """
    from openpyxl import Workbook

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    if plan.interrupted:
        _interrupted_sheet(wb, plan)
    _moves_sheet(wb, plan, dataset)
    _compliance_sheet(wb, plan)
    _indicator_sheet(wb, plan)
    _notes_sheet(wb, plan, policy)
    _unfilled_sheet(wb, plan)
    save_workbook(wb, out)
    return out
