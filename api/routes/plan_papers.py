"""The papers of a plan, printed by the service as ``rotation notices`` prints them: the
交流通知书 (one page per moved teacher) and the 公示名单, as PDF. A published plan's papers
carry its 正式方案 stamp on every page and are named ``…-official.pdf``; every download
is in the audit log."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api.audit import Action, record
from api.auth import CallerDep
from api.dataset_store import load_dataset
from api.deps import SessionDep
from api.downloads import attachment
from api.jobs.plan_rows import load_plan
from api.publication import official_stamp, publication_of
from api.queries import plan_with_result
from rotation.io.notices import (
    NoticeHeading,
    notice_lines,
    write_notices_pdf,
    write_public_list_pdf,
)

router = APIRouter(tags=["plans"])

Paper = Literal["notices", "public_list"]
WRITERS = {"notices": write_notices_pdf, "public_list": write_public_list_pdf}
BureauQuery = Annotated[str, Query(max_length=100, description="落款单位 / issuing bureau")]
ContactQuery = Annotated[
    str, Query(max_length=200, description="咨询联系方式 / whom teachers may ask")
]


def _paper(
    plan_id: int, paper: Paper, caller: CallerDep, session: SessionDep, bureau: str, contact: str
) -> Response:
    run = plan_with_result(session, plan_id)
    publication = publication_of(session, plan_id)
    stamp = official_stamp(publication) if publication is not None else None
    record(
        session, caller, Action.EXPORTED, "plan", plan_id, format=f"{paper}.pdf",
        official=bool(stamp),
    )  # fmt: skip
    session.commit()
    plan = load_plan(session, run)
    lines = notice_lines(load_dataset(session, run.dataset_id), plan.assignments)
    heading = NoticeHeading(bureau=bureau, contact=contact, issued=date.today(), official=stamp)
    name = f"plan-{plan_id}-{paper}{'-official' if stamp else ''}.pdf"
    return attachment(name, lambda path: WRITERS[paper](lines, run.year, heading, path))


@router.get(
    "/plans/{plan_id}/notices.pdf",
    summary="交流通知书（每位交流教师一页，PDF）/ the exchange notices, one page a teacher",
    response_class=Response,
)
def notices_pdf(
    plan_id: int,
    caller: CallerDep,
    session: SessionDep,
    bureau: BureauQuery = "县教育局",
    contact: ContactQuery = "县教育局人事股",
) -> Response:
    return _paper(plan_id, "notices", caller, session, bureau, contact)


@router.get(
    "/plans/{plan_id}/public_list.pdf",
    summary="公示名单（PDF，不含出生日期、年龄、评价分）/ the public list",
    response_class=Response,
)
def public_list_pdf(
    plan_id: int,
    caller: CallerDep,
    session: SessionDep,
    bureau: BureauQuery = "县教育局",
    contact: ContactQuery = "县教育局人事股",
) -> Response:
    return _paper(plan_id, "public_list", caller, session, bureau, contact)
