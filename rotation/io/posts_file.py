"""The county's approved posts (核定岗位), an optional file for the hiring rounds.

``posts.csv`` (or a sheet of a workbook is not read here: one CSV, any accepted encoding):
school_id, stage, subject, posts (学校编号, 学段, 学科, 核定岗位数). When given, round 1 keeps
teachers against these posts; a (school, stage, subject) the file does not list has no
post. Every problem is reported at once with file, row and column, and nothing is used.
"""

from __future__ import annotations

from pathlib import Path

from rotation.io.errors import DatasetError, Problem, file_error
from rotation.io.limits import DEFAULT_LIMITS
from rotation.io.reading import _parse_table, _unknown_school
from rotation.io.sources import _csv_table
from rotation.models import ApprovedPost, Dataset

_PostKey = tuple[str, str, str]  # school, stage, subject: one row each


def read_posts(path: str | Path, dataset: Dataset) -> tuple[ApprovedPost, ...]:
    """The approved posts at ``path``, checked against the roster's schools."""
    f = Path(path)
    if not f.is_file():
        raise file_error(
            str(f), "not_found", "核定岗位表（CSV）", "the approved posts file (CSV)", table="posts"
        )
    raw = _csv_table("posts", f, DEFAULT_LIMITS)
    if raw is None:
        raise file_error(
            f.name, "empty_table", "至少一行核定岗位", "at least one data row", table="posts"
        )
    problems: list[Problem] = []
    parsed = _parse_table(raw, DEFAULT_LIMITS, problems, [])
    known = set(dataset.school)
    seen: dict[_PostKey, int] = {}
    posts: list[ApprovedPost] = []
    for number, rec in parsed.records:
        assert isinstance(rec, ApprovedPost)
        problem = _row_problem(f.name, number, rec, dataset, known, seen)
        if problem is not None:
            problems.append(problem)
            continue
        seen[_key(rec)] = number
        posts.append(rec)
    if problems:
        raise DatasetError(problems)
    return tuple(posts)


def _key(rec: ApprovedPost) -> _PostKey:
    return (rec.school_id, rec.stage.value, rec.subject.value)


def _row_problem(
    file: str,
    number: int,
    rec: ApprovedPost,
    dataset: Dataset,
    known: set[str],
    seen: dict[_PostKey, int],
) -> Problem | None:
    """What is wrong with one row of the posts file (the first thing found), or None."""
    if rec.school_id not in known:
        return _unknown_school(file, number, "school_id", rec.school_id, known, "posts")

    def at(column: str, value: str, kind: str, expected: str, expected_en: str) -> Problem:
        return Problem(
            file=file,
            row=number,
            column=column,
            value=value,
            expected=expected,
            expected_en=expected_en,
            kind=kind,
            table="posts",
        )

    school = dataset.school[rec.school_id]
    if not school.offers(rec.stage):
        return at(
            "stage",
            rec.stage.label_zh,
            "stage_not_offered",
            f"学校 {school.school_id}（{school.stage.label_zh}）开设的学段",
            f"a stage school {school.school_id} offers",
        )
    key = _key(rec)
    if key in seen:
        return at(
            "subject",
            rec.subject.label_zh,
            "duplicate",
            f"每校每学段每学科一行（第{seen[key]}行已列出）",
            f"one row per school, stage and subject (row {seen[key]} has it)",
        )
    return None
