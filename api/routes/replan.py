"""Re-plan: a new plan run with a stored plan's dataset, year, policy and options, its locks
plus the new ones, started from the stored plan (warm start)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select

from api.audit import record_planned
from api.auth import OfficerDep
from api.deps import RunnerDep, SessionDep, SettingsDep
from api.jobs.kinds import HINT_KEY
from api.jobs.plan_rows import run_policy
from api.links import public_url
from api.queries import add_plan, plan_with_result
from api.request_checks import check_locks, check_time_limit
from api.schemas import LockIn, PlanAccepted
from api.tables import QUEUED, PlanLock, PlanRun

router = APIRouter(tags=["plans"])


class ReplanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    locks: list[LockIn] = Field(
        default_factory=list,
        description="新增的锁定（原方案的锁定保留）/ locks added to the plan's",
    )
    time_limit: float | None = Field(None, gt=0, description="求解时间上限（秒），默认沿用")


@router.post(
    "/plans/{plan_id}/replan",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PlanAccepted,
    summary="调整后重新求解（以原方案为起点）/ re-plan with more locks, warm-started",
)
def replan(
    plan_id: int,
    body: ReplanIn,
    request: Request,
    response: Response,
    caller: OfficerDep,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Any:
    base = plan_with_result(session, plan_id)
    old = session.exec(
        select(PlanLock).where(PlanLock.plan_id == plan_id).order_by(col(PlanLock.id))
    ).all()
    locks = [
        LockIn(kind=r.kind, teacher_id=r.teacher_id, school_id=r.school_id, note=r.note)  # type: ignore[arg-type]
        for r in old
    ]
    seen = {(lock.kind, lock.teacher_id, lock.school_id) for lock in locks}
    for lock in body.locks:
        if (lock.kind, lock.teacher_id, lock.school_id) not in seen:
            locks.append(lock)
            seen.add((lock.kind, lock.teacher_id, lock.school_id))
    time_limit = body.time_limit or float(base.options.get("time_limit", 30.0))
    check_time_limit(settings, time_limit)
    check_locks(session, base.dataset_id, locks, year=base.year, policy=run_policy(session, base))
    run = PlanRun(
        dataset_id=base.dataset_id,
        year=base.year,
        policy_name=base.policy_name,
        policy_overrides=dict(base.policy_overrides),
        options={**base.options, "time_limit": time_limit, HINT_KEY: plan_id},
    )
    run, _job = add_plan(session, run, [lock.model_dump(mode="json") for lock in locks])
    record_planned(session, caller, run, [lock.model_dump(mode="json") for lock in body.locks])
    session.commit()
    assert run.id is not None
    runner.wake()
    url = public_url(request, "get_plan", plan_id=run.id)
    response.headers["Location"] = url
    return PlanAccepted(id=run.id, status=QUEUED, url=url)
