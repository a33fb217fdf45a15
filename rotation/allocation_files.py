"""Files of the 县管校聘 allocation: allocation.csv / .xlsx, staffing.csv, title_posts.csv, and
the optional evaluation scores a county may supply.

CSV files follow the project's convention (UTF-8, ``\\n``, English headers and codes); the
workbook has Chinese headers and labels and a per-school summary.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from rotation.hiring import AllocationResult
from rotation.io.cell_safety import save_workbook
from rotation.io.encoding import UndecodableError
from rotation.io.errors import DatasetError, Problem, missing_file, undecodable_csv
from rotation.io.sources import read_csv_rows
from rotation.io.suggest import close_match
from rotation.io.writing import csv_value, write_csv
from rotation.io.xlsx_style import style_sheet
from rotation.models import Dataset
from rotation.staffing import SchoolStaffing
from rotation.title_posts import GROUP_ZH, TitlePostResult

ALLOCATION_COLUMNS: tuple[str, ...] = (
    "teacher_id",
    "from_school_id",
    "round",
    "to_school_id",
    "reason",
)
ALLOCATION_ZH: tuple[tuple[str, str], ...] = (
    ("teacher_id", "教师编号"),
    ("name", "姓名"),
    ("from_school_id", "原学校编号"),
    ("from_school", "原学校"),
    ("stage", "学段"),
    ("subject", "学科"),
    ("round", "聘用轮次"),
    ("to_school_id", "聘用学校编号"),
    ("to_school", "聘用学校"),
    ("post_subject", "聘用岗位学科"),
    ("preference_rank", "志愿序号"),
    ("distance_km", "距离（公里）"),
    ("reason", "原因"),
)
SUMMARY_ZH: tuple[tuple[str, str], ...] = (
    ("school_id", "学校编号"),
    ("name", "学校名称"),
    ("posts", "核定编制岗位"),
    ("holders", "现有教师"),
    ("kept", "校内竞聘留任"),
    ("released", "未获留任"),
    ("joined_cross", "跨校竞聘聘入"),
    ("joined_assigned", "组织调剂调入"),
    ("vacancies_left", "剩余空岗"),
)
STAFFING_COLUMNS: tuple[str, ...] = (
    "school_id",
    "stage",
    "subject",
    "posts",
    "holders",
    "surplus",
    "shortage",
)
TITLE_POST_COLUMNS: tuple[str, ...] = (
    "school_id",
    "name",
    "group",
    "staffing_posts",
    "senior_holders",
    "intermediate_holders",
    "senior_posts",
    "intermediate_posts",
    "explanation",
)
SCORE_HEADERS = (
    "score",
    "evaluation_score",
    "评价分数",
    "考核分数",
    "考核得分",
    "竞聘得分",
    "得分",
)
ID_HEADERS = ("teacher_id", "教师编号", "工号")


def write_allocation_csv(result: AllocationResult, path: str | Path) -> Path:
    """allocation.csv: teacher_id, from_school_id, round, to_school_id (blank if unplaced), reason."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = (
        [csv_value(getattr(r, c)) for c in ALLOCATION_COLUMNS]
        for r in sorted(result.rows, key=lambda r: r.teacher_id)
    )
    write_csv(out, ALLOCATION_COLUMNS, rows)
    return out


def write_staffing_csv(table: Sequence[SchoolStaffing], path: str | Path) -> Path:
    """staffing.csv: per school, section and subject: posts, holders, surplus, shortage."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = (
        [csv_value(getattr(s, c)) for c in STAFFING_COLUMNS] for row in table for s in row.subjects
    )
    write_csv(out, STAFFING_COLUMNS, rows)
    return out


def write_title_posts_csv(result: TitlePostResult, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = ([csv_value(getattr(s, c)) for c in TITLE_POST_COLUMNS] for s in result.schools)
    write_csv(out, TITLE_POST_COLUMNS, rows)
    return out


def _label(value: Any) -> Any:
    zh = getattr(value, "label_zh", None)
    return zh if zh is not None else value


def write_allocation_xlsx(result: AllocationResult, dataset: Dataset, path: str | Path) -> Path:
    """allocation.xlsx: 聘用结果 (every teacher), 学校汇总 (per school), 待岗培训 (the list)."""
    from openpyxl import Workbook

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "聘用结果"

    def name_of(sid: str | None) -> str:
        return dataset.school[sid].name if sid and sid in dataset.school else ""

    def row_values(r: Any) -> list[Any]:
        extra = {"from_school": name_of(r.from_school_id), "to_school": name_of(r.to_school_id)}
        return [
            _label(extra[k] if k in extra else getattr(r, k)) if k != "distance_km" else
            (round(r.distance_km, 1) if r.distance_km is not None else None)
            for k, _ in ALLOCATION_ZH
        ]  # fmt: skip

    rows = sorted(result.rows, key=lambda r: r.teacher_id)
    ws.append([zh for _, zh in ALLOCATION_ZH])
    for r in rows:
        ws.append(row_values(r))
    style_sheet(ws)

    ws2 = wb.create_sheet("学校汇总")
    ws2.append([zh for _, zh in SUMMARY_ZH])
    for s in result.schools:
        ws2.append([getattr(s, k) for k, _ in SUMMARY_ZH])
    style_sheet(ws2)

    ws3 = wb.create_sheet("待岗培训")
    ws3.append([zh for _, zh in ALLOCATION_ZH])
    for r in rows:
        if r.round.value == "unplaced":
            ws3.append(row_values(r))
    style_sheet(ws3)

    ws4 = wb.create_sheet("说明")
    ws4.append(["项目", "数值"])
    labels = {
        "teachers": "教师总数",
        "posts": "核定编制岗位",
        "kept": "校内竞聘留任",
        "cross": "跨校竞聘聘用",
        "assigned": "组织调剂安置",
        "unplaced": "待岗培训",
        "subject_changes": "其中转岗",
        "structural_surplus": "全县结构性超编（各学段教师多于编制之和）",
        "surplus_kindergarten": "幼儿园超编",
        "surplus_primary": "小学超编",
        "surplus_junior": "初中超编",
        "surplus_senior": "高中超编",
        "surplus_special": "特殊教育超编",
        "round3_groups": "组织调剂教师组数",
        "round3_arcs": "组织调剂可选安置数",
        "round3_backend": "组织调剂求解器",
        "round3_solve_seconds": "组织调剂求解秒数",
        "round3_status": "组织调剂求解状态",
        "round3_objective": "组织调剂目标值",
    }
    ws4.append(["年度", result.year])
    for k, v in result.metrics.items():
        ws4.append([labels.get(k, k), v])
    style_sheet(ws4)
    save_workbook(wb, out)
    return out


def write_title_posts_xlsx(result: TitlePostResult, path: str | Path) -> Path:
    from openpyxl import Workbook

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "中高级岗位分配"
    ws.append(
        [
            "学校编号",
            "学校名称",
            "城乡",
            "编制岗位",
            "现有高级职称",
            "现有一级职称",
            "高级岗位",
            "中级岗位",
            "说明",
        ]
    )
    for s in result.schools:
        ws.append(
            [
                s.school_id,
                s.name,
                GROUP_ZH[s.group],
                s.staffing_posts,
                s.senior_holders,
                s.intermediate_holders,
                s.senior_posts,
                s.intermediate_posts,
                s.explanation,
            ]
        )
    style_sheet(ws)
    notes = wb.create_sheet("说明")
    notes.append(["说明 / notes"])
    for n in result.notes:
        notes.append([n])
    style_sheet(notes)
    save_workbook(wb, out)
    return out


class ScoresError(ValueError):
    """A scores file without the two columns it needs, explained in Chinese and English."""


SCORE_RANGE: tuple[float, float] = (0.0, 100.0)


def read_scores(
    path: str | Path,
    known_ids: Collection[str] | None = None,
    score_range: tuple[float, float] = SCORE_RANGE,
) -> dict[str, float]:
    """teacher_id → evaluation score from a CSV with a teacher-id and a score column
    (English or Chinese headers, UTF-8 / GB18030). Blank scores are skipped.

    Validated like a roster, every problem at once (``DatasetError``): a missing file,
    missing columns, a score that is not a number or outside ``score_range``, a teacher
    listed twice, a teacher id not in the roster (``known_ids``).
    """
    p = Path(path)
    if not p.is_file():
        raise missing_file(p, "已有的评价分数 CSV 文件", "an existing scores CSV file")
    try:
        rows = read_csv_rows(p) or [[]]
    except UndecodableError as exc:
        raise undecodable_csv(p, exc) from exc
    header = [h.strip().lower() for h in rows[0]]
    id_col = next((header.index(h) for h in ID_HEADERS if h in header), None)
    score_col = next((header.index(h) for h in SCORE_HEADERS if h in header), None)
    if id_col is None or score_col is None:
        raise ScoresError(
            f"{p.name}: 需要“教师编号(teacher_id)”和“评价分数(score)”两列 / needs teacher_id and "
            "score columns"
        )
    lo, hi = score_range
    known = sorted(known_ids) if known_ids is not None else None
    known_set = set(known or ())
    problems: list[Problem] = []
    scores: dict[str, float] = {}
    first_row: dict[str, int] = {}

    def problem(n: int, column: str, value: str, zh: str, en: str, kind: str = "invalid",
                suggestion: str | None = None) -> None:  # fmt: skip
        problems.append(
            Problem(
                file=p.name,
                row=n,
                column=column,
                value=value,
                expected=zh,
                expected_en=en,
                kind=kind,
                suggestion=suggestion,
                table="scores",
            )  # fmt: skip
        )

    for n, row in enumerate(rows[1:], start=2):
        cell = row[score_col].strip() if score_col < len(row) else ""
        ident = row[id_col].strip() if id_col < len(row) else ""
        if not cell and not ident:
            continue
        if not ident:
            problem(n, "teacher_id", "", "教师编号", "a teacher_id", kind="blank")
            continue
        if known is not None and ident not in known_set:
            problem(n, "teacher_id", ident, "名册中已有的教师编号", "a teacher_id in the roster",
                    kind="unknown_teacher", suggestion=close_match(ident, known))  # fmt: skip
        if ident in first_row:
            problem(n, "teacher_id", ident, f"每位教师一行（第{first_row[ident]}行已有此教师）",
                    f"one row per teacher (already in row {first_row[ident]})", kind="duplicate")  # fmt: skip
            continue
        first_row[ident] = n
        if not cell:
            continue
        try:
            value = float(cell)
        except ValueError:
            problem(n, "score", cell, "数字", "a number")
            continue
        if not (math.isfinite(value) and lo <= value <= hi):
            problem(n, "score", cell, f"{lo:g} 到 {hi:g} 之间的分数", f"a score between {lo:g} and {hi:g}",
                    kind="out_of_range")  # fmt: skip
            continue
        scores[ident] = value
    if problems:
        raise DatasetError(problems)
    return scores


def scores_from_dataset_folder(
    folder: str | Path, known_ids: Collection[str] | None = None
) -> dict[str, float]:
    """The optional score column of a dataset folder's teachers.csv ({} when absent)."""
    p = Path(folder) / "teachers.csv"
    if not p.is_file():
        return {}
    try:
        return read_scores(p, known_ids)
    except ScoresError:
        return {}
