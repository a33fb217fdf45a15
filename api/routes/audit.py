"""The audit log, read-only: officers page through who did what, filtered by the database.

There is no route that writes, edits or deletes an entry: ``api.audit.record`` is called by
the routes that change something, in the same transaction as the change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.audit import ACTION_LABELS, Action, audit_page
from api.auth import OfficerDep
from api.deps import SessionDep
from api.schemas import AuditPublic, Page

router = APIRouter(tags=["audit"])


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment.astimezone(UTC) if moment is not None else None
    return moment.replace(tzinfo=UTC)


@router.get(
    "/audit",
    response_model=Page[AuditPublic],
    summary="操作记录（仅人事股）/ the audit log (officers only)",
    description=(
        "按操作、对象、操作人和时间段筛选，最新的在前，分页。记录只增不改：没有修改或删除的接口。"
        " / Filter by action, object, actor and time range; newest first; append-only."
    ),
)
def list_audit(
    _caller: OfficerDep,
    session: SessionDep,
    action: Action | None = None,
    object_kind: str | None = None,
    object_id: str | None = None,
    actor: str | None = None,
    since: Annotated[datetime | None, Query(description="起（含）/ from, inclusive")] = None,
    until: Annotated[datetime | None, Query(description="止（不含）/ to, exclusive")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    total, rows = audit_page(
        session,
        action=action.value if action else None,
        object_kind=object_kind,
        object_id=object_id,
        actor=actor,
        since=_utc(since),
        until=_utc(until),
        offset=offset,
        limit=limit,
    )
    items = [
        AuditPublic.model_validate(row).model_copy(
            update={"action_label": ACTION_LABELS.get(row.action, row.action)}
        )
        for row in rows
    ]
    return Page[AuditPublic](total=total, offset=offset, limit=limit, items=items)
