"""Checks of a request before anything is stored: policy overrides, locks, time limits.
Each refuses with 422 and says, in Chinese and English, what is wrong."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from sqlmodel import Session

from api.dataset_store import load_dataset
from api.queries import named_policy
from api.schemas import LockIn
from api.settings import Settings
from rotation.locks import Lock, Locks, lock_errors, validate_locks
from rotation.policy import Policy, PolicyError

# 422 by number: Starlette renamed its constant (…_ENTITY → …_CONTENT) and warns on the old one.
UNPROCESSABLE = 422


def unprocessable(detail: Any) -> HTTPException:
    return HTTPException(UNPROCESSABLE, detail=detail)


def validate_overrides(overrides: dict[str, Any]) -> Policy:
    """The policy these overrides give, or 422 saying which parameter is wrong."""
    try:
        return Policy().with_overrides(overrides)
    except PolicyError as exc:
        raise unprocessable(str(exc)) from exc
    except (TypeError, AttributeError) as exc:
        raise unprocessable(f"政策参数无效 / invalid policy overrides: {exc}") from exc


def base_overrides(session: Session, policy_name: str | None) -> dict[str, Any]:
    """The overrides of a saved policy (none when no name is given; 422 when unknown)."""
    if policy_name is None:
        return {}
    named = named_policy(session, policy_name)
    if named is None:
        raise unprocessable(f"没有名为 {policy_name!r} 的政策 / no saved policy of that name")
    return dict(named.overrides)


def check_time_limit(settings: Settings, time_limit: float) -> None:
    if time_limit > settings.max_time_limit:
        raise unprocessable(f"time_limit 超过上限 {settings.max_time_limit} 秒 / exceeds the limit")


def check_locks(
    session: Session, dataset_id: int, locks: list[LockIn], *, year: int, policy: Policy
) -> None:
    """Every problem of the locks at once (``rotation.locks.validate_locks``: unknown ids,
    not eligible, blocked or non-receiving school, stage, own school, no matching need,
    two destinations, stay with assign, more than a need's count); 422 on any error."""
    if not locks:
        return
    given = Locks(items=tuple(Lock(**lock.model_dump()) for lock in locks))
    problems = validate_locks(load_dataset(session, dataset_id), year, policy, given)
    errors = lock_errors(problems)
    if errors:
        raise unprocessable(
            {
                "message": f"锁定有 {len(errors)} 处问题，未生成方案 / "
                f"locks have {len(errors)} problem(s); nothing was planned",
                "problems": [p.model_dump(mode="json") | {"text": p.message()} for p in problems],
            }
        )
