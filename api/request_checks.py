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


def check_locks(session: Session, dataset_id: int, locks: list[LockIn]) -> None:
    """Every lock names a teacher and a school of the dataset, as its kind needs."""
    if not locks:
        return
    dataset = load_dataset(session, dataset_id)
    problems = []
    for i, lock in enumerate(locks, start=1):
        if lock.teacher_id and lock.teacher_id not in dataset.teacher:
            problems.append(
                f"锁定第{i}条：教师 {lock.teacher_id} 不存在 / lock {i}: unknown teacher"
            )
        if lock.school_id and lock.school_id not in dataset.school:
            problems.append(f"锁定第{i}条：学校 {lock.school_id} 不存在 / lock {i}: unknown school")
        if lock.kind.value in ("assign", "stay") and not lock.teacher_id:
            problems.append(f"锁定第{i}条：缺少教师编号 / lock {i}: teacher_id required")
        if lock.kind.value in ("assign", "block_school") and not lock.school_id:
            problems.append(f"锁定第{i}条：缺少学校编号 / lock {i}: school_id required")
    if problems:
        raise unprocessable(problems)
