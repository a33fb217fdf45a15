"""Who is calling (the token's role) and the vocabularies: what the console needs first."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import CallerDep
from api.views.vocabulary import vocabulary

router = APIRouter(tags=["console"])

ROLE_ZH = {"officer": "人事股经办人", "viewer": "查看者"}


class SessionInfo(BaseModel):
    role: str = Field(description="officer / viewer")
    role_zh: str
    can_edit: bool = Field(
        description="可导入、生成方案、保存政策 / may import, plan, save policies"
    )
    sees_birth_dates: bool


@router.get("/session", response_model=SessionInfo, summary="当前令牌的角色 / the token's role")
def session_info(caller: CallerDep) -> SessionInfo:
    return SessionInfo(
        role=caller.role.value,
        role_zh=ROLE_ZH.get(caller.role.value, caller.role.value),
        can_edit=caller.is_officer,
        sees_birth_dates=caller.is_officer,
    )


@router.get(
    "/vocabulary",
    response_model=dict[str, dict[str, str]],
    summary="代码及其中文名（学段、学科、职称……）/ codes and their Chinese labels",
)
def get_vocabulary(_caller: CallerDep) -> dict[str, dict[str, str]]:
    return vocabulary()
