"""The 走教 schedule's files: itinerant_schedule.csv and the 走教安排 sheet of plan.xlsx.

One row per visit day, in ``rotation.itinerant.in_file_order`` (teacher, day, school), so
that the checker's row numbers are the file's. ``weekly_hours`` repeats the teacher's total
at that school and subject on each of its days.

Both read back (``read_itinerant_rows``) to the visits they were written from, so that
``check-plan`` checks a schedule an officer edited: the checks add up the day rows' ``hours``;
a ``weekly_hours`` that is not their sum is read only to warn (``weekly_hours_warnings``) that
the day rows are what counts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from rotation.enums import Stage, Subject, Weekday
from rotation.io.form_reading import FormTable, RowReader, build_rows
from rotation.io.writing import csv_value, write_csv
from rotation.io.xlsx_style import style_sheet
from rotation.itinerant import ItinerantSchedule, ItinerantVisit, in_file_order
from rotation.models import Dataset

ITINERANT_FILE = "itinerant_schedule.csv"

ITINERANT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("teacher_id", "教师编号", "teacher_id"),
    ("name", "姓名", "name"),
    ("home_school_id", "本校编号", "home school_id"),
    ("home_school", "本校", "home school"),
    ("school_id", "走教学校编号", "school_id"),
    ("school", "走教学校", "school"),
    ("stage", "学段", "stage"),
    ("subject", "学科", "subject"),
    ("day", "星期", "day"),
    ("hours", "当天课时", "hours that day"),
    ("weekly_hours", "每周课时", "weekly hours"),
    ("distance_km", "距离（公里）", "distance (km)"),
)
SHEET = ("走教安排", "Itinerant teaching")
OPEN_HEADER: tuple[tuple[str, str], ...] = (
    ("学校编号", "school_id"), ("学校名称", "school"), ("学段", "stage"), ("学科", "subject"),
    ("课时需求", "hours needed"), ("交流教师承担", "by transfers"), ("走教承担", "by itinerant teachers"),
    ("仍缺课时", "open"),
)  # fmt: skip


def _name(dataset: Dataset, school_id: str) -> str:
    s = dataset.school.get(school_id)
    return s.name if s is not None else ""


def _rows(schedule: ItinerantSchedule, dataset: Dataset) -> list[list[Any]]:
    weekly = schedule.weekly_hours()
    return [
        [
            v.teacher_id, v.name, v.home_school_id, _name(dataset, v.home_school_id),
            v.school_id, _name(dataset, v.school_id), v.stage, v.subject, v.day, v.hours,
            weekly[(v.teacher_id, v.school_id, v.subject)], v.distance_km,
        ]
        for v in in_file_order(schedule.visits)
    ]  # fmt: skip


def write_itinerant_csv(schedule: ItinerantSchedule, dataset: Dataset, path: Path) -> Path:
    """itinerant_schedule.csv: English headers and codes, like plan.csv."""
    write_csv(
        path,
        [c[0] for c in ITINERANT_COLUMNS],
        ([csv_value(x) for x in row] for row in _rows(schedule, dataset)),
    )
    return path


def itinerant_sheet(wb: Any, schedule: ItinerantSchedule, dataset: Dataset, lang: str) -> None:
    """走教安排: the figures, every visit day, then every hour need's standing."""
    en = lang == "en"
    ws = wb.create_sheet(SHEET[1] if en else SHEET[0])
    ws.append([c[2] if en else c[1] for c in ITINERANT_COLUMNS])
    for row in _rows(schedule, dataset):
        ws.append([x.label(lang) if hasattr(x, "label") else x for x in row])
    ws.append([])
    ws.append([schedule.summary_en() if en else schedule.summary_zh()])
    ws.append([])
    ws.append([h[1] if en else h[0] for h in OPEN_HEADER])
    for n in schedule.needs:
        ws.append(
            [
                n.school_id, n.school_name, n.stage.label(lang), n.subject.label(lang), n.hours,
                n.by_transfer, n.by_itinerant, n.open,
            ]
        )  # fmt: skip
    style_sheet(ws, filters=False)


# ------------------------------------------------------------------ reading back
SHEET_HEADERS: dict[str, str] = {h: c[0] for c in ITINERANT_COLUMNS for h in c}
REQUIRED = ("teacher_id", "home_school_id", "school_id", "stage", "subject", "day", "hours")


def _visit(r: RowReader) -> ItinerantVisit | None:
    tid = r.required("teacher_id", "教师编号", "a teacher id")
    home = r.required("home_school_id", "本校编号", "the home school's id")
    school = r.required("school_id", "走教学校编号", "the school visited")
    stage, subject = r.enum("stage", Stage), r.enum("subject", Subject)
    day = r.enum("day", Weekday)
    hours = r.integer("hours")
    if hours is not None and hours < 1:
        r.bad("hours", "当天课时，至少 1 节", "the day's hours, at least 1")
    distance = r.number("distance_km")
    weekly = r.integer("weekly_hours", optional=True)
    if r.problems or stage is None or subject is None or day is None or hours is None:
        return None
    return ItinerantVisit(
        teacher_id=tid, name=r.text("name"), home_school_id=home, school_id=school,
        stage=stage, subject=subject, day=day, hours=hours, distance_km=distance,
        stated_weekly_hours=weekly,
    )  # fmt: skip


def read_itinerant_rows(table: FormTable) -> list[tuple[int, ItinerantVisit]]:
    """Every visit day of a 走教 table with its row number; ``DatasetError`` names every
    cell not read."""
    return build_rows(table, _visit)


def weekly_hours_warnings(label: str, rows: list[tuple[int, ItinerantVisit]]) -> list[str]:
    """A warning for each row whose ``weekly_hours`` is not the sum of the day rows' hours of
    its teacher, school and subject: an officer who edits the weekly figure alone changes
    nothing the checks read."""
    total: Counter[tuple[str, str, Subject]] = Counter()
    for _, v in rows:
        total[(v.teacher_id, v.school_id, v.subject)] += v.hours
    out = []
    for number, v in rows:
        days = total[(v.teacher_id, v.school_id, v.subject)]
        if v.stated_weekly_hours is not None and v.stated_weekly_hours != days:
            out.append(
                f"{label} 第{number}行：每周课时 {v.stated_weekly_hours} 与当天课时之和 {days} 不符，"
                f"按当天课时校验（改课时请改当天课时） / {label} row {number}: weekly_hours "
                f"{v.stated_weekly_hours} is not the day hours' sum {days}; the day rows are "
                "checked (change the day hours instead)"
            )
    return out
