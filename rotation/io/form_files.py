"""The forms beside the transfer in a plan's files (issue 18): 跟岗学习.csv and the workbook's
支教 and 跟岗学习 sheets, and reading 跟岗学习.csv back.

plan.csv carries 支教 as moves whose optional last column ``form`` is ``support``; a
plan.csv without that column reads as transfers. 跟岗学习 are not moves of a post, so they
stand in a file of their own next to plan.csv, one row per placement, in the plan's order
(the checker names rows by it).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from rotation.enums import ExchangeForm, ShadowingTerm, Stage, Subject
from rotation.exchange_forms import ShadowingPlacement
from rotation.io.cell_safety import restore_csv_cell
from rotation.io.encoding import UndecodableError, decode_text
from rotation.io.errors import DatasetError, Problem
from rotation.io.writing import csv_value, write_csv
from rotation.io.xlsx_style import style_sheet, wrap_columns
from rotation.models import Dataset
from rotation.plan import Plan

SHADOWING_FILE = "跟岗学习.csv"
SHADOWING_COLUMNS: tuple[str, ...] = (
    "teacher_id", "name", "from_school_id", "host_school_id", "stage", "subject", "year",
    "term", "reasons",
)  # fmt: skip
SHEETS: dict[str, tuple[str, str]] = {
    "support": ("支教", "Support (one year)"),
    "shadowing": ("跟岗学习", "Shadowing"),
}
SUPPORT_HEADER: tuple[tuple[str, str], ...] = (
    ("序号", "No."), ("教师编号", "teacher_id"), ("姓名", "name"), ("原学校编号", "from_school_id"),
    ("原学校", "from school"), ("支教学校编号", "to_school_id"), ("支教学校", "to school"),
    ("学段", "stage"), ("学科", "subject"), ("职称", "title"), ("开始学年", "start year"),
    ("结束学年", "end year"), ("返回原校学年", "back in"), ("安排理由", "reasons"),
)  # fmt: skip
SHADOWING_HEADER: tuple[tuple[str, str], ...] = (
    ("序号", "No."), ("教师编号", "teacher_id"), ("姓名", "name"), ("原学校编号", "from_school_id"),
    ("原学校", "from school"), ("跟岗学校编号", "host_school_id"), ("跟岗学校", "host school"),
    ("学段", "stage"), ("学科", "subject"), ("学年", "year"), ("时长", "term"),
    ("距离（公里）", "distance (km)"), ("安排理由", "reasons"),
)  # fmt: skip


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _name(dataset: Dataset, school_id: str) -> str:
    s = dataset.school.get(school_id)
    return s.name if s is not None else ""


def write_shadowing_csv(plan: Plan, path: str | Path) -> Path:
    """跟岗学习.csv: one row per placement (a header only when there is none)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = ([csv_value(getattr(p, c)) for c in SHADOWING_COLUMNS] for p in plan.shadowing)
    write_csv(out, SHADOWING_COLUMNS, rows)
    return out


def support_sheet(wb: Any, plan: Plan, dataset: Dataset, lang: str) -> None:
    """支教: the one-year moves, each with the year the teacher is back."""
    ws = wb.create_sheet(_pick(SHEETS["support"], lang))
    ws.append([_pick(h, lang) for h in SUPPORT_HEADER])
    rows = [a for a in plan.assignments if a.form is ExchangeForm.SUPPORT]
    for i, a in enumerate(sorted(rows, key=lambda a: (a.from_school_id, a.teacher_id)), start=1):
        ws.append(
            [
                i, a.teacher_id, a.name, a.from_school_id, _name(dataset, a.from_school_id),
                a.to_school_id, _name(dataset, a.to_school_id), a.stage.label(lang),
                a.subject.label(lang), a.title.label(lang), a.start_year, a.end_year,
                a.end_year + 1, a.reasons,
            ]
        )  # fmt: skip
    style_sheet(ws, filters=True)
    wrap_columns(ws, {"N": 60})


def shadowing_sheet(wb: Any, plan: Plan, dataset: Dataset, lang: str) -> None:
    """跟岗学习: each rural teacher's host school and who covers the post meanwhile."""
    ws = wb.create_sheet(_pick(SHEETS["shadowing"], lang))
    ws.append([_pick(h, lang) for h in SHADOWING_HEADER])
    for i, p in enumerate(plan.shadowing, start=1):
        ws.append(
            [
                i, p.teacher_id, p.name, p.from_school_id, _name(dataset, p.from_school_id),
                p.host_school_id, _name(dataset, p.host_school_id), p.stage.label(lang),
                p.subject.label(lang), p.year, p.term.label(lang),
                None if p.distance_km is None else round(p.distance_km, 1), p.reasons,
            ]
        )  # fmt: skip
    style_sheet(ws, filters=True)
    wrap_columns(ws, {"M": 60})


def _problem(
    file: str, row: int | None, column: str | None, value: str, zh: str, en: str
) -> Problem:
    return Problem(file=file, row=row, column=column, value=value, expected=zh, expected_en=en)


def read_shadowing_csv(path: str | Path) -> list[ShadowingPlacement]:
    """The placements of a 跟岗学习.csv, in its order; ``DatasetError`` names the file, row
    and column of every cell that cannot be read."""
    p = Path(path)
    try:
        text, _ = decode_text(p.read_bytes())
    except UndecodableError as exc:
        raise DatasetError(
            [
                _problem(
                    p.name,
                    None,
                    None,
                    str(exc),
                    "UTF-8 或 GB18030 编码的 CSV",
                    "a UTF-8 or GB18030 CSV",
                )
            ]
        ) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in SHADOWING_COLUMNS if c not in header and c != "reasons"]
    if missing:
        raise DatasetError(
            [_problem(p.name, 1, c, "", f"表头中有 {c} 列", f"a column {c}") for c in missing]
        )
    out: list[ShadowingPlacement] = []
    problems: list[Problem] = []
    for number, raw in enumerate(reader, start=2):
        rec = {
            k.strip(): restore_csv_cell(v or "").strip() for k, v in raw.items() if k is not None
        }
        if not any(rec.values()):
            continue
        try:
            out.append(
                ShadowingPlacement(
                    teacher_id=rec["teacher_id"],
                    name=rec.get("name", ""),
                    from_school_id=rec["from_school_id"],
                    host_school_id=rec["host_school_id"],
                    stage=Stage.parse(rec["stage"]),
                    subject=Subject.parse(rec["subject"]),
                    year=int(rec["year"]),
                    term=ShadowingTerm.parse(rec["term"])
                    if rec.get("term")
                    else ShadowingTerm.SEMESTER,
                    reasons=rec.get("reasons", ""),
                )
            )
        except (ValueError, KeyError) as exc:
            problems.append(
                _problem(
                    p.name, number, None, str(exc),
                    "教师编号、原学校、跟岗学校、学段、学科、学年（如 2026）与时长（一学期/一学年）",
                    "teacher id, schools, stage, subject, a year such as 2026 and a term",
                )
            )  # fmt: skip
    if problems:
        raise DatasetError(problems)
    return out
