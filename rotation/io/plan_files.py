"""Plan outputs: plan.csv and compliance.csv as the contract reads, and a printable workbook.

The CSV files carry canonical English codes in the contract's exact columns and are
byte-identical for equal plans. The workbook is written by ``plan_workbook``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rotation.io.cell_safety import restore_csv_cell
from rotation.io.encoding import UndecodableError, decode_text
from rotation.io.errors import DatasetError, Problem, missing_file, undecodable_csv
from rotation.io.writing import csv_value, write_csv
from rotation.plan import Assignment, ComplianceRow, Plan, in_file_order

PLAN_COLUMNS: tuple[str, ...] = (
    "teacher_id", "name", "from_school_id", "to_school_id", "stage", "subject", "title",
    "backbone", "start_year", "end_year", "reasons", "form",
)  # fmt: skip
# optional at the end (issue 18): a plan.csv without them reads as before (form: transfer)
OPTIONAL_PLAN_COLUMNS: tuple[str, ...] = ("form",)
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
        raise missing_file(p, "一个 plan.csv 文件", "a plan.csv file", kind="bad_path")
    try:
        text, _ = decode_text(p.read_bytes())
    except UndecodableError as exc:
        raise undecodable_csv(p, exc) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in PLAN_COLUMNS if c not in header and c not in OPTIONAL_PLAN_COLUMNS]
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


# the workbook lives in plan_workbook; these names stay importable from here
from rotation.io.plan_workbook import write_plan_xlsx  # noqa: E402
from rotation.status_words import interrupted_lines  # noqa: E402

__all__ = [
    "COMPLIANCE_COLUMNS", "PLAN_COLUMNS", "interrupted_lines", "read_plan_csv",
    "write_compliance_csv", "write_plan_csv", "write_plan_xlsx",
]  # fmt: skip
