"""A plan's rows: its policy and locks in, its moves and compliance out, the Plan rebuilt."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from api.tables import AssignmentRecord, ComplianceRecord, PlanLock, PlanRun, PolicyRecord
from rotation.locks import Lock, Locks
from rotation.plan import Assignment, ComplianceRow, Plan
from rotation.policy import Policy


def _code(value: Any) -> Any:
    return getattr(value, "value", value)


def run_policy(session: Session, run: PlanRun) -> Policy:
    """The policy of a run: defaults, then the named policy, then the run's overrides."""
    policy = Policy()
    if run.policy_name:
        named = session.exec(
            select(PolicyRecord).where(PolicyRecord.name == run.policy_name)
        ).first()
        if named is not None:
            policy = policy.with_overrides(named.overrides)
    return policy.with_overrides(run.policy_overrides) if run.policy_overrides else policy


def run_locks(session: Session, plan_id: int) -> Locks:
    rows = session.exec(
        select(PlanLock).where(PlanLock.plan_id == plan_id).order_by(col(PlanLock.id))
    ).all()
    return Locks(
        items=tuple(
            Lock(kind=r.kind, teacher_id=r.teacher_id, school_id=r.school_id, note=r.note)  # type: ignore[arg-type]
            for r in rows
        )
    )


def store_plan_result(session: Session, plan_id: int, plan: Plan) -> None:
    """Replace the run's assignments and compliance rows by those of ``plan``."""
    session.execute(delete(AssignmentRecord).where(col(AssignmentRecord.plan_id) == plan_id))
    session.execute(delete(ComplianceRecord).where(col(ComplianceRecord.plan_id) == plan_id))
    if plan.assignments:
        session.execute(
            insert(AssignmentRecord),
            [
                {
                    "plan_id": plan_id,
                    "teacher_id": a.teacher_id,
                    "name": a.name,
                    "from_school_id": a.from_school_id,
                    "to_school_id": a.to_school_id,
                    "stage": _code(a.stage),
                    "subject": _code(a.subject),
                    "title": _code(a.title),
                    "backbone": _code(a.backbone),
                    "start_year": a.start_year,
                    "end_year": a.end_year,
                    "reasons": a.reasons,
                    "distance_km": a.distance_km,
                    "preference_rank": a.preference_rank,
                }
                for a in plan.assignments
            ],
        )
    if plan.compliance:
        session.execute(
            insert(ComplianceRecord),
            [
                {
                    "plan_id": plan_id,
                    "school_id": c.school_id,
                    "name": c.name,
                    "role": str(_code(c.role)),
                    "eligible": c.eligible,
                    "required": c.required,
                    "rotated": c.rotated,
                    "backbone_required": c.backbone_required,
                    "backbone_rotated": c.backbone_rotated,
                    "met": c.met,
                    "shortfall_reason": c.shortfall_reason,
                }
                for c in plan.compliance
            ],
        )


def load_plan(session: Session, run: PlanRun) -> Plan:
    """The stored result of a run as a Plan (for exports and the checker)."""
    assert run.id is not None
    assignments = session.exec(
        select(AssignmentRecord)
        .where(AssignmentRecord.plan_id == run.id)
        .order_by(col(AssignmentRecord.id))
    ).all()
    compliance = session.exec(
        select(ComplianceRecord)
        .where(ComplianceRecord.plan_id == run.id)
        .order_by(col(ComplianceRecord.id))
    ).all()
    metrics, solve, check = Plan.results_from_figures(run.metrics or {})
    shortfalls, unfilled = Plan.reported_from_figures(run.metrics or {})
    return Plan(
        year=run.year,
        assignments=tuple(
            Assignment.model_validate(a.model_dump(exclude={"id", "plan_id"})) for a in assignments
        ),
        compliance=tuple(
            ComplianceRow.model_validate(c.model_dump(exclude={"id", "plan_id"}))
            for c in compliance
        ),
        metrics=metrics,
        solve=solve,
        check=check,
        status=run.solver_status or "unknown",
        backend=run.backend or "",
        notes=tuple(run.notes or ()),
        shortfalls=shortfalls,
        unfilled=unfilled,
        principals=Plan.principals_from_figures(run.metrics or {}),
        itinerant=Plan.itinerant_from_figures(run.metrics or {}),
    )
