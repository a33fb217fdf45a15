"""The audit log: who did what to which object, and when. Routes call ``record``; nothing
else writes ``audit_log``, and nothing (no route, no helper) updates or deletes a row.

The entry joins the caller's transaction: it is committed with the change it records, and
rolled back with it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.auth import Caller
from api.jobs.kinds import HINT_KEY
from api.tables import AuditEntry, PlanRun


class Action(StrEnum):
    IMPORTED = "imported"
    PLANNED = "planned"
    LOCKED = "locked"
    CANCELLED = "cancelled"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    APPLIED = "applied"
    EXPORTED = "exported"


ACTION_LABELS: dict[str, str] = {
    Action.IMPORTED: "导入",
    Action.PLANNED: "生成方案",
    Action.LOCKED: "锁定",
    Action.CANCELLED: "停止",
    Action.PUBLISHED: "发布",
    Action.SUPERSEDED: "被替代",
    Action.APPLIED: "生成下一年度花名册",
    Action.EXPORTED: "导出",
}

OBJECT_LABELS: dict[str, str] = {"dataset": "花名册快照", "plan": "方案", "job": "任务"}


def actor_of(caller: Caller) -> str:
    """The name an entry records: the token's name (e.g. ``王老师:officer``), else the role."""
    return caller.name or caller.role.value


def record(
    session: Session,
    caller: Caller,
    action: Action,
    object_kind: str,
    object_id: int | str,
    **detail: Any,
) -> AuditEntry:
    """Add one entry to the caller's transaction (committed by the caller with its change)."""
    entry = AuditEntry(
        actor=actor_of(caller),
        action=action.value,
        object_kind=object_kind,
        object_id=str(object_id),
        detail=detail,
    )
    session.add(entry)
    return entry


def record_planned(
    session: Session, caller: Caller, run: PlanRun, locks: list[dict[str, Any]]
) -> None:
    """Audit a queued plan, and its locks when it has any."""
    assert run.id is not None
    record(
        session,
        caller,
        Action.PLANNED,
        "plan",
        run.id,
        dataset_id=run.dataset_id,
        year=run.year,
        policy_name=run.policy_name,
        warm_start_from=run.options.get(HINT_KEY),
    )
    if locks:
        record(session, caller, Action.LOCKED, "plan", run.id, locks=locks)


def audit_page(
    session: Session,
    *,
    action: str | None = None,
    object_kind: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 100,
) -> tuple[int, list[AuditEntry]]:
    """Entries matching every filter given, newest first, one page read by the database."""
    conditions: list[Any] = []
    if action:
        conditions.append(col(AuditEntry.action) == action)
    if object_kind:
        conditions.append(col(AuditEntry.object_kind) == object_kind)
    if object_id:
        conditions.append(col(AuditEntry.object_id) == object_id)
    if actor:
        conditions.append(col(AuditEntry.actor) == actor)
    if since is not None:
        conditions.append(col(AuditEntry.at) >= since)
    if until is not None:
        conditions.append(col(AuditEntry.at) < until)
    total = session.exec(select(func.count()).select_from(AuditEntry).where(*conditions)).one()
    rows = session.exec(
        select(AuditEntry)
        .where(*conditions)
        .order_by(col(AuditEntry.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return int(total), list(rows)
