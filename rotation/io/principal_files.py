"""principal_exchanges.csv and the workbook's 校长交流 sheet (issue 18).

One row per leadership move (校长交流, 副校长交流, 交流提任校长, 本校提任校长), in the order
the plan holds them (by sending school, then teacher), then one row per due principal or
vice-principal not moved (``kind`` ``not_moved``, ``to_school_id`` blank, the reason in
``reasons``). English codes in the CSV, Chinese labels in the workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rotation.io.writing import csv_value, write_csv
from rotation.io.xlsx_style import style_sheet, wrap_columns
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.principals import PrincipalExchange

NOT_MOVED = ("not_moved", "任职期满未交流", "not moved")

PRINCIPAL_COLUMNS: tuple[str, ...] = (
    "teacher_id", "name", "position", "new_position", "kind", "from_school_id",
    "to_school_id", "school_stage", "years_in_post", "start_year", "end_year",
    "distance_km", "reasons",
)  # fmt: skip
PRINCIPAL_ZH: dict[str, str] = {
    "teacher_id": "教师编号",
    "name": "姓名",
    "position": "原职务",
    "new_position": "交流后职务",
    "kind": "类别",
    "from_school_id": "原学校编号",
    "to_school_id": "交流学校编号",
    "school_stage": "学校类型",
    "years_in_post": "在本校任现职年数",
    "start_year": "开始年份",
    "end_year": "本届结束年份",
    "distance_km": "距离（公里）",
    "reasons": "安排理由或未交流原因",
}
SHEET = ("校长交流", "Principals")


def principal_rows(ex: PrincipalExchange) -> list[dict[str, object]]:
    """The CSV's rows as values (codes), moves first, then the due not moved."""
    rows: list[dict[str, object]] = [m.model_dump() for m in ex.moves]
    for n in ex.not_moved:
        rows.append(
            {
                "teacher_id": n.teacher_id,
                "name": n.name,
                "position": n.position,
                "new_position": n.position,
                "kind": NOT_MOVED[0],
                "from_school_id": n.school_id,
                "to_school_id": "",
                "school_stage": None,
                "years_in_post": n.years_in_post,
                "start_year": None,
                "end_year": None,
                "distance_km": None,
                "reasons": n.reason_zh,
            }
        )
    return rows


def write_principal_csv(plan: Plan, path: str | Path) -> Path | None:
    """principal_exchanges.csv; None (nothing written) when the plan has no principal exchange."""
    if plan.principals is None:
        return None
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = ([csv_value(r[c]) for c in PRINCIPAL_COLUMNS] for r in principal_rows(plan.principals))
    write_csv(out, PRINCIPAL_COLUMNS, rows)
    return out


def _label(value: object, lang: str) -> object:
    label = getattr(value, "label", None)
    if callable(label):
        return label(lang)
    if value == NOT_MOVED[0]:
        return NOT_MOVED[2] if lang == "en" else NOT_MOVED[1]
    return value


def _name(dataset: Dataset, school_id: object) -> str:
    s = dataset.school.get(str(school_id))
    return s.name if s is not None else ""


def principal_sheet(wb: Any, plan: Plan, dataset: Dataset, lang: str = "zh") -> None:
    """校长交流: the headline, then every move and every due leader not moved, then vacancies."""
    ex = plan.principals
    if ex is None:
        return
    en = lang == "en"
    ws = wb.create_sheet(SHEET[1] if en else SHEET[0])
    header = [
        "teacher_id", "name", "position", "new position", "kind", "from school", "to school",
        "school type", "years in post", "start year", "term ends", "distance (km)", "reasons",
    ] if en else [
        PRINCIPAL_ZH[c] if c not in ("from_school_id", "to_school_id") else
        ("原学校" if c == "from_school_id" else "交流学校")
        for c in PRINCIPAL_COLUMNS
    ]  # fmt: skip
    ws.append(header)
    for r in principal_rows(ex):
        reasons = r["reasons"]
        ws.append(
            [
                r["teacher_id"], r["name"], _label(r["position"], lang),
                _label(r["new_position"], lang), _label(r["kind"], lang),
                _name(dataset, r["from_school_id"]), _name(dataset, r["to_school_id"]),
                _label(r["school_stage"], lang), r["years_in_post"], r["start_year"],
                r["end_year"], r["distance_km"], reasons,
            ]
        )  # fmt: skip
    for v in ex.vacancies:
        ws.append(["", "", "", "", "vacancy" if en else "校长空缺", v.name, "", "", None, None,
                   None, None, v.reason_en if en else v.reason_zh])  # fmt: skip
    ws.append([])
    ws.append([ex.headline_en() if en else ex.headline_zh()])
    style_sheet(ws, filters=True)
    wrap_columns(ws, {"M": 60})
