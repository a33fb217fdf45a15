"""The county's approved posts (核定岗位), an optional file for the hiring rounds.

``posts.csv`` (or a sheet of a workbook is not read here: one CSV, any accepted encoding):
school_id, stage, subject, posts (学校编号, 学段, 学科, 核定岗位数). When given, round 1 keeps
teachers against these posts; a (school, stage, subject) the file does not list has no
post. Every problem is reported at once with file, row and column, and nothing is used.
"""

from __future__ import annotations

from pathlib import Path

from rotation.io.errors import DatasetError, Problem
from rotation.io.limits import DEFAULT_LIMITS
from rotation.io.reading import _parse_table, _unknown_school
from rotation.io.sources import _csv_table
from rotation.models import ApprovedPost, Dataset


def read_posts(path: str | Path, dataset: Dataset) -> tuple[ApprovedPost, ...]:
    """The approved posts at ``path``, checked against the roster's schools."""
    f = Path(path)
    if not f.is_file():
        raise DatasetError(
            [
                Problem(
                    file=str(f),
                    row=None,
                    column=None,
                    value="",
                    expected="核定岗位表（CSV）",
                    expected_en="the approved posts file (CSV)",
                    kind="not_found",
                    table="posts",
                )
            ]
        )
    raw = _csv_table("posts", f, DEFAULT_LIMITS)
    if raw is None:
        raise DatasetError(
            [
                Problem(
                    file=f.name,
                    row=None,
                    column=None,
                    value="",
                    expected="至少一行核定岗位",
                    expected_en="at least one data row",
                    kind="empty_table",
                    table="posts",
                )
            ]
        )
    problems: list[Problem] = []
    parsed = _parse_table(raw, DEFAULT_LIMITS, problems, [])
    known = set(dataset.school)
    seen: dict[tuple[str, str, str], int] = {}
    posts: list[ApprovedPost] = []
    for number, rec in parsed.records:
        assert isinstance(rec, ApprovedPost)
        if rec.school_id not in known:
            problems.append(
                _unknown_school(f.name, number, "school_id", rec.school_id, known, "posts")
            )
            continue
        school = dataset.school[rec.school_id]
        if not school.offers(rec.stage):
            problems.append(
                Problem(
                    file=f.name,
                    row=number,
                    column="stage",
                    value=rec.stage.label_zh,
                    expected=f"学校 {school.school_id}（{school.stage.label_zh}）开设的学段",
                    expected_en=f"a stage school {school.school_id} offers",
                    kind="stage_not_offered",
                    table="posts",
                )
            )
            continue
        key = (rec.school_id, rec.stage.value, rec.subject.value)
        if key in seen:
            problems.append(
                Problem(
                    file=f.name,
                    row=number,
                    column="subject",
                    value=rec.subject.label_zh,
                    expected=f"每校每学段每学科一行（第{seen[key]}行已列出）",
                    expected_en=f"one row per school, stage and subject (row {seen[key]} has it)",
                    kind="duplicate",
                    table="posts",
                )
            )
            continue
        seen[key] = number
        posts.append(rec)
    if problems:
        raise DatasetError(problems)
    return tuple(posts)
