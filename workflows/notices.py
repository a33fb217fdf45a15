"""The papers of a plan: 交流通知书 (a page per moved teacher) and the 公示名单.

One function writes them for the CLI (``rotation notices``) and the service
(``GET /plans/{id}/notices.pdf``, ``notices.zip``, ``public-list.pdf``), through the writers of
``rotation.io.notices``. What the papers say about who issues them, and whether the plan is
the county's published one, travels in ``NoticeHeading`` (its ``official`` line), so a new
mark on the papers is a new field there, not a new argument here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from rotation.io.notices import (
    NoticeHeading,
    NoticeLine,
    notice_lines,
    write_notices_pdf,
    write_public_list_pdf,
)
from rotation.models import Dataset
from rotation.plan import Assignment

NOTICES_FILE = "notices.pdf"
PUBLIC_LIST_FILE = "public_list.pdf"


class Paper(StrEnum):
    NOTICES = "notices"  # every notice in one PDF
    NOTICE_PER_TEACHER = "per_teacher"  # one PDF per moved teacher
    PUBLIC_LIST = "public_list"  # the 公示名单


class NoticePapers(BaseModel):
    """What was written, and for how many moved teachers."""

    model_config = ConfigDict(frozen=True)

    teachers: int
    notices: Path | None = None
    public_list: Path | None = None
    per_teacher: dict[str, Path] = {}


def _file_name(line: NoticeLine) -> str:
    """``T000010-郭丽丽.pdf``: the id first (unique), the name for the clerk; nothing that a
    file system or a zip reader would take for a path."""
    name = re.sub(r"[\\/:*?\"<>|\s]+", "", line.name)[:20]
    return f"{line.teacher_id}-{name}.pdf" if name else f"{line.teacher_id}.pdf"


def write_notice_papers(
    dataset: Dataset,
    moves: Sequence[Assignment],
    year: int,
    heading: NoticeHeading,
    folder: Path,
    papers: Sequence[Paper] = (Paper.NOTICES, Paper.PUBLIC_LIST),
) -> NoticePapers:
    """Write the asked papers of a checked plan's moves into ``folder``."""
    lines = notice_lines(dataset, moves)
    folder.mkdir(parents=True, exist_ok=True)
    notices = public = None
    per_teacher: dict[str, Path] = {}
    if Paper.NOTICES in papers:
        notices = write_notices_pdf(lines, year, heading, folder / NOTICES_FILE)
    if Paper.PUBLIC_LIST in papers:
        public = write_public_list_pdf(lines, year, heading, folder / PUBLIC_LIST_FILE)
    if Paper.NOTICE_PER_TEACHER in papers:
        per_teacher = _per_teacher(lines, year, heading, folder / "teachers")
    return NoticePapers(
        teachers=len(lines), notices=notices, public_list=public, per_teacher=per_teacher
    )


def _per_teacher(
    lines: Sequence[NoticeLine], year: int, heading: NoticeHeading, folder: Path
) -> dict[str, Path]:
    """A PDF per teacher: the pages of one notices PDF split apart when each notice took one
    page (reading the font for each file would cost seconds a teacher), else one by one."""
    from pypdf import PdfReader, PdfWriter

    folder.mkdir(parents=True, exist_ok=True)
    whole = write_notices_pdf(lines, year, heading, folder / NOTICES_FILE)
    pages = PdfReader(whole).pages
    files: dict[str, Path] = {}
    if len(pages) == len(lines):
        for line, page in zip(lines, pages, strict=True):
            writer = PdfWriter()
            writer.add_page(page)
            writer.add_metadata({"/Title": f"{year}学年教师交流轮岗通知书 {line.name}"})
            path = folder / _file_name(line)
            with path.open("wb") as f:
                writer.write(f)
            files[line.teacher_id] = path
    else:  # a notice ran over a page: write each on its own
        for line in lines:
            files[line.teacher_id] = write_notices_pdf(
                [line], year, heading, folder / _file_name(line)
            )
    whole.unlink()
    return files
