"""Apply the adopted plan in the service: next school year's roster as a new snapshot of the
same county (the API's ``rotation apply``). A thin route over ``workflows.apply.apply_plan``:
the stored plan is checked and applied exactly as its downloaded plan.csv would be."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, HTTPException, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from api.audit import Action, record
from api.auth import OfficerDep
from api.dataset_store import load_dataset, store_dataset
from api.deps import SessionDep
from api.jobs.plan_rows import load_plan, run_locks, run_policy
from api.queries import dataset_or_404, plan_with_result
from api.schemas import DatasetDetail
from api.tables import DatasetRecord, PlanRun, PublicationRecord
from api.uploads import problem_dicts
from rotation.apply_plan import AppliedYear
from rotation.io.plausibility import plausibility_problems
from workflows.apply import apply_plan

router = APIRouter(tags=["datasets"])
UNPROCESSABLE = 422


class ApplyRequest(BaseModel):
    plan_id: int | None = Field(
        None,
        ge=1,
        description="要落实的方案；缺省为本数据集已发布（未被替代）的方案 / the plan to apply; "
        "by default this dataset's published plan in force",
    )


class ApplyResult(BaseModel):
    plan_id: int
    published: bool = Field(description="方案是否为已发布的正式方案 / whether it is published")
    applied: AppliedYear = Field(description="开始交流、期满返回、继续交流、扣除的岗位需求")
    dataset: DatasetDetail = Field(description="下一学年名单（新的数据快照）/ next year's snapshot")


def published_plan_id(session: Session, dataset_id: int) -> int:
    """The plan of this dataset published and in force (the latest year's); else 409."""
    plan_id = session.exec(
        select(PublicationRecord.plan_id)
        .join(PlanRun, col(PlanRun.id) == col(PublicationRecord.plan_id))
        .where(PlanRun.dataset_id == dataset_id, col(PublicationRecord.superseded_at).is_(None))
        .order_by(col(PublicationRecord.year).desc(), col(PublicationRecord.id).desc())
    ).first()
    if plan_id is None:
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            detail="该数据集没有已发布的方案，请指定 plan_id / the dataset has no published plan "
            "in force: give plan_id",
        )
    return int(plan_id)


@router.post(
    "/datasets/{dataset_id}/apply",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplyResult,
    summary="落实方案，生成下一学年名单 / apply the adopted plan: next year's roster",
    description=(
        "与 `rotation apply` 相同：先按全部规则校验方案，有违规则返回 422 并列出违规，不保存；"
        "通过后交流教师记入交流所在学校与期满学年，期满教师返回原校，已填补的岗位需求扣除，"
        "保存为同一县区的新数据快照（下一学年），并记入操作记录。缺省落实本数据集已发布的方案。"
        " / As `rotation apply`: the plan is checked first (422 with its violations, nothing "
        "stored); next year's roster is stored as a new snapshot of the same county and audited."
    ),
    responses={
        409: {"description": "没有已发布的方案或方案没有结果 / no published plan, or no result"},
        422: {"description": "方案有违规或不属于该数据集 / the plan breaks a rule or is another's"},
    },
)
def apply_adopted_plan(
    dataset_id: int,
    caller: OfficerDep,
    session: SessionDep,
    body: ApplyRequest | None = Body(None),  # noqa: B008
) -> Any:
    from api.routes.datasets import summarize

    source = dataset_or_404(session, dataset_id)
    wanted = body.plan_id if body is not None else None
    plan_id = wanted if wanted is not None else published_plan_id(session, dataset_id)
    run = plan_with_result(session, plan_id)
    if run.dataset_id != dataset_id:
        raise HTTPException(
            UNPROCESSABLE,
            detail=f"方案 {plan_id} 属于数据集 {run.dataset_id}，不是 {dataset_id} / plan "
            f"{plan_id} belongs to dataset {run.dataset_id}",
        )
    done = apply_plan(
        load_dataset(session, dataset_id),
        load_plan(session, run),
        run_policy(session, run),
        locks=run_locks(session, plan_id),
    )
    verdict = done.outcome.verdict
    if done.roster is None or done.outcome.applied is None:
        return JSONResponse(
            {
                "detail": f"方案有 {len(verdict.findings)} 处违规，未落实 / the plan breaks "
                f"{len(verdict.findings)} rule(s): not applied",
                "findings": [f.model_dump(mode="json") for f in verdict.findings],
            },
            status_code=UNPROCESSABLE,
        )
    applied, roster = done.outcome.applied, done.roster
    summary = summarize(roster, applied.next_year)
    summary["warnings"] = problem_dicts(plausibility_problems(roster, applied.next_year))
    summary["absent_columns"] = list(roster.absent_columns)
    published = session.exec(
        select(PublicationRecord.id).where(PublicationRecord.plan_id == plan_id)
    ).first()
    new = store_dataset(
        session,
        roster,
        file_name=f"plan-{plan_id}-applied-{applied.next_year}",
        checksum=done.checksum,
        year=applied.next_year,
        summary=summary,
        county=source.county,
    )
    session.flush()
    assert new.id is not None
    record(
        session,
        caller,
        Action.APPLIED,
        "plan",
        plan_id,
        dataset_id=dataset_id,
        new_dataset_id=new.id,
        county=source.county,
        next_year=applied.next_year,
        official=published is not None,
        started=applied.started,
        returned=applied.returned,
        still_away=applied.still_away,
        needs_filled=applied.needs_filled,
    )
    session.commit()
    stored = session.get(DatasetRecord, new.id)
    assert stored is not None
    return ApplyResult(
        plan_id=plan_id,
        published=published is not None,
        applied=applied,
        dataset=DatasetDetail.model_validate(stored),
    )
