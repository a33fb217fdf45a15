"""The papers of a plan from the service: the 交流通知书 and the 公示名单, as ``rotation
notices`` prints them (``workflows.notices.write_notice_papers``).

Who reads what: a notice is addressed to one teacher and says why they were chosen (the
reason may name an age or a date), so officers only; the 公示名单 is the list a bureau posts
for public scrutiny and carries no birth date, age or score, so viewers read it too. The
plan is checked first, as the CLI does: a plan that breaks a rule is not printed (409).
Every download is in the audit log (``exported``, with the paper), and a published plan's
papers carry its 正式方案 line (``NoticeHeading.official``).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status
from sqlmodel import Session

from api.audit import Action, record
from api.auth import Caller, CallerDep, OfficerDep
from api.dataset_store import load_dataset
from api.deps import SessionDep
from api.jobs.plan_rows import load_plan, run_locks, run_policy
from api.publication import official_stamp, publication_of
from api.queries import plan_with_result
from rotation.io.notices import NoticeHeading
from workflows.check import check_existing_plan
from workflows.notices import Paper, write_notice_papers

router = APIRouter(tags=["notices"])

PDF = "application/pdf"
ZIP = "application/zip"
_Handler = Callable[..., Response]

Bureau = Annotated[str, Query(min_length=1, max_length=60, description="落款单位 / issuing bureau")]
Contact = Annotated[
    str, Query(min_length=1, max_length=120, description="咨询联系方式 / whom teachers may ask")
]
Issued = Annotated[
    date | None, Query(description="落款日期，默认今天 / date printed (default: today)")
]


def _papers(
    session: Session,
    caller: Caller,
    plan_id: int,
    paper: Paper,
    heading: NoticeHeading,
    teacher_id: str | None = None,
) -> tuple[Path, tempfile.TemporaryDirectory[str], int, bool]:
    """Check the plan, write the paper into a scratch folder and audit the download."""
    run = plan_with_result(session, plan_id)
    dataset = load_dataset(session, run.dataset_id)
    plan = load_plan(session, run)
    report = check_existing_plan(
        dataset, plan, run_policy(session, run), run_locks(session, plan_id)
    )
    if not report.ok:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail={
                "message": f"方案有 {len(report.violations)} 处违规，不打印 / the plan breaks "
                f"{len(report.violations)} rule(s): nothing printed",
                "violations": [v.text() for v in report.violations[:50]],
            },
        )
    moves = list(plan.assignments)
    if teacher_id is not None:
        moves = [a for a in moves if a.teacher_id == teacher_id]
        if not moves:
            raise HTTPException(
                status.HTTP_404_NOT_FOUND,
                detail=f"方案中没有交流教师 {teacher_id} / no move of teacher {teacher_id} in the plan",
            )
    publication = publication_of(session, plan_id)
    stamp = official_stamp(publication) if publication is not None else None
    heading = heading.model_copy(update={"official": stamp})
    scratch = tempfile.TemporaryDirectory(prefix="rotation-notices-")
    papers = write_notice_papers(dataset, moves, plan.year, heading, Path(scratch.name), [paper])
    detail: dict[str, object] = {"format": f"{paper.value}.pdf", "official": bool(stamp)}
    if paper is Paper.NOTICE_PER_TEACHER:
        detail["format"] = "notices.zip"
    if teacher_id is not None:
        detail["teacher_id"] = teacher_id
    record(session, caller, Action.EXPORTED, "plan", plan_id, **detail)
    session.commit()
    return Path(scratch.name), scratch, papers.teachers, bool(stamp)


def _name(plan_id: int, official: bool, what: str) -> str:
    return f"plan-{plan_id}{'-official' if official else ''}-{what}"


def _heading(
    bureau: Bureau = "县教育局", contact: Contact = "县教育局人事股", issued: Issued = None
) -> NoticeHeading:
    """The heading every paper carries, from the request's query (``issued`` defaults to today)."""
    return NoticeHeading(bureau=bureau, contact=contact, issued=issued or date.today())


HeadingDep = Annotated[NoticeHeading, Depends(_heading)]


@dataclass(frozen=True)
class _PaperFile:
    """A paper as a download: which paper is written, its media type, how it is read out."""

    paper: Paper
    media: str
    read: Callable[[Path], bytes]


def _read(name: str) -> Callable[[Path], bytes]:
    return lambda folder: (folder / name).read_bytes()


def _zip_of_teachers(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((folder / "teachers").glob("*.pdf")):
            archive.write(path, path.name)
    return buffer.getvalue()


NOTICES_PDF = _PaperFile(Paper.NOTICES, PDF, _read("notices.pdf"))
NOTICES_ZIP = _PaperFile(Paper.NOTICE_PER_TEACHER, ZIP, _zip_of_teachers)
PUBLIC_LIST_PDF = _PaperFile(Paper.PUBLIC_LIST, PDF, _read("public_list.pdf"))


def _route(path: str, summary: str, kind: _PaperFile) -> Callable[[_Handler], _Handler]:
    return router.get(
        path,
        summary=summary,
        response_class=Response,
        responses={200: {"content": {kind.media: {}}}},
    )


def _download(
    session: Session,
    caller: Caller,
    plan_id: int,
    heading: NoticeHeading,
    kind: _PaperFile,
    what: str,
    teacher_id: str | None = None,
) -> Response:
    """Write the paper (``_papers``), read it out of the scratch folder and send it as a file."""
    folder, scratch, _, official = _papers(
        session, caller, plan_id, kind.paper, heading, teacher_id
    )
    with scratch:
        content = kind.read(folder)
    return Response(
        content,
        media_type=kind.media,
        headers={"Content-Disposition": f'attachment; filename="{_name(plan_id, official, what)}"'},
    )


@_route(
    "/plans/{plan_id}/notices.pdf",
    "交流通知书（每位交流教师一页，PDF）/ the exchange notices, a page per moved teacher",
    NOTICES_PDF,
)
def notices_pdf(
    plan_id: int,
    caller: OfficerDep,
    session: SessionDep,
    heading: HeadingDep,
    teacher_id: Annotated[
        str | None,
        Query(max_length=40, description="只打印这位教师的通知书 / this teacher's notice only"),
    ] = None,
) -> Response:
    what = f"notice-{teacher_id}.pdf" if teacher_id else "notices.pdf"
    return _download(session, caller, plan_id, heading, NOTICES_PDF, what, teacher_id)


@_route(
    "/plans/{plan_id}/notices.zip",
    "交流通知书，每位教师一个 PDF（zip）/ the notices, one PDF per teacher, zipped",
    NOTICES_ZIP,
)
def notices_zip(
    plan_id: int, caller: OfficerDep, session: SessionDep, heading: HeadingDep
) -> Response:
    return _download(session, caller, plan_id, heading, NOTICES_ZIP, "notices.zip")


@_route(
    "/plans/{plan_id}/public-list.pdf",
    "公示名单（不含出生日期、年龄、评价分，PDF）/ the public list (no birth date, age or score)",
    PUBLIC_LIST_PDF,
)
def public_list_pdf(
    plan_id: int, caller: CallerDep, session: SessionDep, heading: HeadingDep
) -> Response:
    return _download(session, caller, plan_id, heading, PUBLIC_LIST_PDF, "public_list.pdf")
