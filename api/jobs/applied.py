"""An applied plan's rows: next school year's roster stored as a new snapshot of the same
county, with its check-data summary, and the audit entry, written in the transaction that
marks the apply job done (a worker that dies before that commit leaves nothing behind, so a
re-run stores the snapshot once).

``ApplyJobResult`` is the JSON kept on the job: the plan applied, and either the new
snapshot's id with what applying did, or the findings that kept the plan from being applied.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from api.auth import Caller
from api.dataset_store import store_dataset
from api.settings import Role
from api.tables import DONE, DatasetRecord, JobRun, PublicationRecord
from api.uploads import problem_dicts
from rotation.apply_plan import AppliedYear
from rotation.io.plausibility import plausibility_problems
from rotation.models import Dataset
from rotation.policy import Policy
from workflows.apply import AppliedRoster
from workflows.check import PlanFinding

PLAN_KEY = "plan_id"  # the job's parameters: the plan applied …
ACTOR_KEY = "requested_by"  # … and who asked (for the audit entry; hidden from viewers)


class ApplyJobResult(BaseModel):
    """What an apply job ended with."""

    plan_id: int
    published: bool = Field(False, description="方案是否为已发布的正式方案 / whether published")
    applied: AppliedYear | None = Field(
        None, description="开始交流、期满返回、继续交流、扣除的岗位需求 / what applying did"
    )
    dataset_id: int | None = Field(None, description="下一学年名单的快照编号 / the new snapshot")
    findings: list[PlanFinding] = Field(
        default_factory=list, description="方案的违规（有违规则未落实）/ the plan's violations"
    )

    @property
    def refused(self) -> bool:
        return bool(self.findings)

    def refusal(self) -> str:
        n = len(self.findings)
        return f"方案有 {n} 处违规，未落实 / the plan breaks {n} rule(s): not applied"


def snapshot_summary(roster: Dataset, year: int) -> dict[str, Any]:
    """The check-data summary of next year's roster, as an import stores it."""
    from rotation.summary import dataset_summary

    summary = dataset_summary(roster, year, Policy())
    summary["warnings"] = problem_dicts(plausibility_problems(roster, year))
    summary["absent_columns"] = list(roster.absent_columns)
    return summary


def is_published(session: Session, plan_id: int) -> bool:
    return (
        session.exec(
            select(PublicationRecord.id).where(PublicationRecord.plan_id == plan_id)
        ).first()
        is not None
    )


def store_applied(
    session: Session,
    job_id: int,
    params: dict[str, Any],
    done: AppliedRoster,
    summary: dict[str, Any],
) -> None:
    """Store next year's snapshot and audit it, once the job is marked done in this
    transaction (a job cancelled at the last moment stores nothing)."""
    from api.audit import Action, record

    job = session.get(JobRun, job_id)
    applied, roster = done.outcome.applied, done.roster
    if job is None or job.status != DONE or applied is None or roster is None:
        return
    plan_id = int(params[PLAN_KEY])
    source = session.get(DatasetRecord, job.dataset_id)
    assert source is not None
    published = is_published(session, plan_id)
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
    result = ApplyJobResult(
        plan_id=plan_id, published=published, applied=applied, dataset_id=new.id
    )
    session.execute(
        sa.update(JobRun)
        .where(col(JobRun.id) == job_id)
        .values(result=result.model_dump(mode="json"))
    )
    by = Caller(role=Role.OFFICER, name=str(params.get(ACTOR_KEY) or ""))
    record(
        session,
        by,
        Action.APPLIED,
        "plan",
        plan_id,
        dataset_id=source.id,
        new_dataset_id=new.id,
        county=source.county,
        official=published,
        **applied.model_dump(exclude={"plan_year"}),  # every count, the leaders' too
        job_id=job_id,
    )
