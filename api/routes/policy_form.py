"""The policy as a form (every parameter with its kind, limits, choices and description) and
a check of typed values that names the parameter at fault."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.auth import CallerDep
from api.views.policy_form import FieldCheck, FormGroup, check_overrides, policy_form

router = APIRouter(tags=["policy"])


class OverridesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overrides: dict[str, Any] = Field(default_factory=dict)


@router.get(
    "/policy/form",
    response_model=list[FormGroup],
    summary="政策参数表单：分组、类型、范围、选项与说明 / the policy as a form",
)
def get_policy_form(_caller: CallerDep) -> list[FormGroup]:
    return policy_form()


@router.post(
    "/policy/check",
    response_model=FieldCheck,
    summary="检查政策参数（逐项指出问题，不保存）/ check overrides, nothing saved",
)
def post_policy_check(body: OverridesIn, _caller: CallerDep) -> FieldCheck:
    return check_overrides(body.overrides)
