"""principal_exchanges.csv and the workbook's 校长交流 sheet (issue 18).

One row per leadership move (校长交流, 副校长交流, 交流提任校长, 本校提任校长), in the order
the plan holds them (by sending school, then teacher), then one row per due principal or
vice-principal not moved (``kind`` ``not_moved``, ``to_school_id`` blank, the reason in
``reasons``), then one row per school the plan leaves without a principal (``kind``
``vacancy``, the school in ``from_school_id``, ``teacher_id`` blank, the reason in
``reasons``). English codes in the CSV, Chinese labels in the workbook.

Both read back to the rows they were written from (``read_principal_rows``; the CSV alone:
``read_principal_csv``; where they stand beside a plan: ``rotation.io.plan_forms``), so that
``check-plan`` checks, and ``rotation apply`` carries out, an exchange an officer edited.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rotation.enums import Position, SchoolStage
from rotation.io.form_reading import FormTable, RowReader, build_rows, read_csv_table
from rotation.io.writing import csv_value, write_csv
from rotation.io.xlsx_style import style_sheet, wrap_columns
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.principals import (
    LeaderMove,
    PrincipalExchange,
    PrincipalMove,
    PrincipalNotMoved,
    PrincipalVacancy,
)

NOT_MOVED = ("not_moved", "任职期满未交流", "not moved")
VACANCY = ("vacancy", "校长空缺", "vacancy")
PRINCIPAL_FILE = "principal_exchanges.csv"

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
HEADER_EN: tuple[str, ...] = (
    "teacher_id", "name", "position", "new position", "kind", "from school", "to school",
    "school type", "years in post", "start year", "term ends", "distance (km)", "reasons",
)  # fmt: skip
# the sheet names the schools (原学校, 交流学校) where the CSV has their ids
SHEET_SCHOOL_ZH = {"from_school_id": "原学校", "to_school_id": "交流学校"}


def _sheet_header(lang: str) -> list[str]:
    if lang == "en":
        return list(HEADER_EN)
    return [SHEET_SCHOOL_ZH.get(c, PRINCIPAL_ZH[c]) for c in PRINCIPAL_COLUMNS]


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
    rows = [[csv_value(r[c]) for c in PRINCIPAL_COLUMNS] for r in principal_rows(plan.principals)]
    for v in plan.principals.vacancies:
        row = dict.fromkeys(PRINCIPAL_COLUMNS, "")
        row |= {"name": v.name, "kind": VACANCY[0], "from_school_id": v.school_id}
        rows.append([row[c] for c in PRINCIPAL_COLUMNS[:-1]] + [v.reason_zh])
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
    ws.append(_sheet_header(lang))
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


# ------------------------------------------------------------------ reading back
PrincipalRow = PrincipalMove | PrincipalNotMoved | PrincipalVacancy
SHEET_HEADERS: dict[str, str] = {
    h: c
    for lang in ("zh", "en")
    for h, c in zip(_sheet_header(lang), PRINCIPAL_COLUMNS, strict=True)
}
REQUIRED = ("teacher_id", "kind", "from_school_id", "to_school_id")
_KINDS_ZH = "、".join(
    [*(f"{k.label_zh}({k.value})" for k in LeaderMove), f"{NOT_MOVED[1]}({NOT_MOVED[0]})",
     f"{VACANCY[1]}({VACANCY[0]})"]
)  # fmt: skip
_KINDS_EN = ", ".join([*(k.value for k in LeaderMove), NOT_MOVED[0], VACANCY[0]])


def _fold(text: str) -> str:
    return text.strip().lower().replace(" ", "").replace("_", "")


def _row(r: RowReader, schools: Mapping[str, str]) -> PrincipalRow | None:
    def school(column: str) -> str:
        text = r.text(column)
        return schools.get(text, text)

    kind = _fold(r.text("kind"))
    if kind in {_fold(k) for k in VACANCY}:
        sid = school("from_school_id")
        if not r.required(
            "from_school_id", "空缺校长的学校", "the school left without a principal"
        ):
            return None
        return PrincipalVacancy(
            school_id=sid, name=r.text("name") or r.text("from_school_id"),
            reason_zh=r.text("reasons"), reason_en="",
        )  # fmt: skip
    tid = r.required("teacher_id", "教师编号", "a teacher id")
    position = r.enum("position", Position)
    if kind in {_fold(k) for k in NOT_MOVED}:
        if position is None:
            return None
        return PrincipalNotMoved(
            teacher_id=tid, name=r.text("name"), position=position,
            school_id=school("from_school_id"), years_in_post=r.integer("years_in_post", optional=True),
            reason_zh=r.text("reasons"), reason_en="",
        )  # fmt: skip
    try:
        move = LeaderMove.parse(r.text("kind"))
    except ValueError:
        r.bad("kind", _KINDS_ZH, _KINDS_EN)
        return None
    new_position = r.enum("new_position", Position)
    stage = r.enum("school_stage", SchoolStage)
    start, end = r.integer("start_year"), r.integer("end_year")
    to = school("to_school_id")
    r.required("to_school_id", "交流学校", "the school the leader goes to")
    if position is None or new_position is None or stage is None or start is None or end is None:
        return None
    return PrincipalMove(
        teacher_id=tid, name=r.text("name"), position=position, new_position=new_position,
        kind=move, from_school_id=school("from_school_id"), to_school_id=to, school_stage=stage,
        years_in_post=r.integer("years_in_post", optional=True), start_year=start, end_year=end,
        distance_km=r.number("distance_km"), reasons=r.text("reasons"),
    )  # fmt: skip


def read_principal_rows(
    table: FormTable, schools: Mapping[str, str] | None = None
) -> list[tuple[int, PrincipalRow]]:
    """Every row of a principal exchange table with its row number; ``schools`` maps the
    names the sheet gives to school ids. ``DatasetError`` names every cell not read."""
    return build_rows(table, lambda r: _row(r, schools or {}))


def exchange_of(rows: list[tuple[int, PrincipalRow]]) -> PrincipalExchange:
    """The rows as a principal exchange (moves in the file's order, with their rows); the
    figures (due, required, moved) are not in the file: ``rotation.principals.recounted``
    counts them."""
    moves = [(k, x) for k, x in rows if isinstance(x, PrincipalMove)]
    return PrincipalExchange(
        moves=tuple(m for _, m in moves),
        move_rows=tuple(k for k, _ in moves),
        not_moved=tuple(x for _, x in rows if isinstance(x, PrincipalNotMoved)),
        vacancies=tuple(x for _, x in rows if isinstance(x, PrincipalVacancy)),
    )


def read_principal_csv(path: str | Path) -> PrincipalExchange:
    """The exchange of a principal_exchanges.csv (moves with their rows, the due not moved,
    the vacancies); its figures are the caller's to recount (``rotation.principals.recounted``).
    ``DatasetError`` names the file, row and column of every cell that cannot be read."""
    return exchange_of(read_principal_rows(read_csv_table(Path(path), REQUIRED)))


def school_lookup(dataset: Dataset) -> dict[str, str]:
    """School name or id → id, for a sheet that names its schools."""
    return {s.name: s.school_id for s in dataset.schools} | {
        s.school_id: s.school_id for s in dataset.schools
    }
