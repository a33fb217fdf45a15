"""Policy: every parameter with its default and description; named policies."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlmodel import col, select

from api.auth import CallerDep, OfficerDep
from api.deps import SessionDep
from api.request_checks import validate_overrides
from api.schemas import PolicyIn, PolicyParameter, PolicyPublic
from api.tables import PolicyRecord, utcnow
from rotation.policy import Policy

router = APIRouter(tags=["policy"])


@router.get(
    "/policy/defaults",
    response_model=list[PolicyParameter],
    summary="政策参数及默认值 / every policy parameter with its default",
)
def policy_defaults(_caller: CallerDep) -> Any:
    return Policy.describe()


@router.get("/policies", response_model=list[PolicyPublic], summary="已保存的政策 / saved policies")
def list_policies(_caller: CallerDep, session: SessionDep) -> Any:
    return session.exec(select(PolicyRecord).order_by(col(PolicyRecord.name))).all()


@router.put(
    "/policies/{name}",
    response_model=PolicyPublic,
    summary="保存命名政策（参数覆盖）/ save a named policy",
)
def put_policy(name: str, body: PolicyIn, _caller: OfficerDep, session: SessionDep) -> Any:
    validate_overrides(body.overrides)
    record = session.exec(select(PolicyRecord).where(PolicyRecord.name == name)).first()
    if record is None:
        record = PolicyRecord(name=name)
    record.description = body.description
    record.overrides = body.overrides
    record.created_at = utcnow()
    session.add(record)
    session.commit()
    session.refresh(record)
    return record
