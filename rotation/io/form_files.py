"""The forms beside the transfer in a plan's files (issue 18): 跟岗学习.csv and the workbook's
支教 and 跟岗学习 sheets, and reading 跟岗学习.csv and the 跟岗学习 sheet back.

plan.csv carries 支教 as moves whose optional last column ``form`` is ``support``; a
plan.csv without that column reads as transfers. 跟岗学习 are not moves of a post, so they
stand in a file of their own next to plan.csv, one row per placement, in the plan's order
(the checker names rows by it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rotation.enums import ExchangeForm, ShadowingTerm, Stage, Subject
from rotation.exchange_forms import ShadowingPlacement
from rotation.io.form_reading import FormTable, RowReader, build_rows, read_csv_table
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


SHADOWING_REQUIRED = tuple(c for c in SHADOWING_COLUMNS if c not in ("name", "term", "reasons"))
# the sheet's columns (序号 and the schools' names are not read back)
_SHEET_COLUMNS = (
    "", "teacher_id", "name", "from_school_id", "", "host_school_id", "", "stage", "subject",
    "year", "term", "distance_km", "reasons",
)  # fmt: skip
SHADOWING_SHEET_HEADERS: dict[str, str] = {
    h: c for pair, c in zip(SHADOWING_HEADER, _SHEET_COLUMNS, strict=True) if c for h in pair
}


def _placement(r: RowReader) -> ShadowingPlacement | None:
    tid = r.required("teacher_id", "教师编号", "a teacher id")
    home = r.required("from_school_id", "原学校编号", "the home school's id")
    host = r.required("host_school_id", "跟岗学校编号", "the host school's id")
    stage, subject = r.enum("stage", Stage), r.enum("subject", Subject)
    year = r.integer("year")
    term = r.enum("term", ShadowingTerm, default=ShadowingTerm.SEMESTER)
    distance = r.number("distance_km")
    if r.problems or stage is None or subject is None or year is None or term is None:
        return None
    return ShadowingPlacement(
        teacher_id=tid, name=r.text("name"), from_school_id=home, host_school_id=host,
        stage=stage, subject=subject, year=year, term=term, reasons=r.text("reasons"),
        distance_km=distance,
    )  # fmt: skip


def read_shadowing_rows(table: FormTable) -> list[tuple[int, ShadowingPlacement]]:
    """Every 跟岗学习 placement of a table (跟岗学习.csv or the sheet) with its row number;
    ``DatasetError`` names the file, row and column of every cell that cannot be read."""
    return build_rows(table, _placement)


def read_shadowing_csv(path: str | Path) -> list[ShadowingPlacement]:
    """The placements of a 跟岗学习.csv, in its order (the CSV has no distance column)."""
    return [p for _, p in read_shadowing_rows(read_csv_table(Path(path), SHADOWING_REQUIRED))]
