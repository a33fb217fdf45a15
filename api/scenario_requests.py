"""A request's scenario grid (what-if and outlook): the varied and shared policy values,
validated into scenarios, or 422 naming the parameter that is wrong."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from api.request_checks import (
    base_overrides,
    check_locks,
    check_time_limit,
    unprocessable,
    validate_overrides,
)
from api.schemas import OutlookCreate, WhatifCreate
from api.settings import Settings
from rotation.policy import Policy, PolicyError
from rotation.scenarios import Scenario, Variation, parse_sets, parse_vary, scenario_grid

MAX_SCENARIOS = 64


def variations(vary: dict[str, list[Any]] | list[str]) -> list[Variation]:
    """The request's ``vary`` as Variations: a mapping {"a+b": [values]} or CLI strings."""
    if isinstance(vary, list):
        return [parse_vary(item) for item in vary]
    out = []
    for key, values in vary.items():
        keys = tuple(k.strip() for k in key.split("+") if k.strip())
        if not keys:
            raise PolicyError(f"vary 缺少参数名 / vary names no parameter: {key!r}")
        if not values:
            raise PolicyError(f"vary 参数 {key} 缺少取值 / {key} lists no values")
        if len(set(map(repr, values))) != len(values):
            raise PolicyError(f"vary 参数 {key} 取值重复 / {key} repeats a value")
        out.append(Variation(keys=keys, values=tuple(values)))
    return out


def build_grid(
    body: WhatifCreate | OutlookCreate, base: dict[str, Any]
) -> tuple[list[Variation], dict[str, Any], list[Scenario]]:
    """The validated grid of a request (422 with the parameter's problem otherwise)."""
    policy: Policy = validate_overrides(base)
    try:
        varies = variations(body.vary)
        sets = body.sets if isinstance(body.sets, dict) else parse_sets(body.sets)
        grid = scenario_grid(varies, sets, policy)
    except PolicyError as exc:
        raise unprocessable(str(exc)) from exc
    except (TypeError, AttributeError, ValueError) as exc:
        raise unprocessable(f"政策参数无效 / invalid policy values: {exc}") from exc
    if len(grid) > MAX_SCENARIOS:
        raise unprocessable(
            f"情景过多：{len(grid)} 个，上限 {MAX_SCENARIOS} 个 / too many scenarios: "
            f"{len(grid)}, at most {MAX_SCENARIOS}"
        )
    return varies, sets, grid


def sweep_params(
    session: Session,
    settings: Settings,
    dataset_id: int,
    body: WhatifCreate | OutlookCreate,
    year: int,
) -> dict[str, Any]:
    """A what-if or outlook request checked (grid, time limit, policy, locks: 422 otherwise)
    and turned into the job's parameters, the same for both kinds."""
    base = base_overrides(session, body.policy_name)
    varies, sets, grid = build_grid(body, base)
    check_time_limit(settings, body.time_limit)
    policy = validate_overrides(base)
    check_locks(session, dataset_id, body.locks, year=year, policy=policy)
    return {
        "policy_name": body.policy_name,
        "base_overrides": base,
        "vary": [v.model_dump(mode="json") for v in varies],
        "set": sets,
        "locks": [lock.model_dump(mode="json") for lock in body.locks],
        "options": {
            "backend": body.backend,
            "time_limit": body.time_limit,
            "relative_gap": body.relative_gap,
            "seed": body.seed,
        },
        "scenarios": len(grid),
        "labels": [s.label for s in grid],
    }
