"""Token authentication: every request names its token; the token carries a role."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.settings import Role, Settings

_bearer = HTTPBearer(auto_error=False, description="访问令牌 / access token (Bearer)")


@dataclass(frozen=True, slots=True)
class Caller:
    role: Role

    @property
    def is_officer(self) -> bool:
        return self.role is Role.OFFICER


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def role_of(token: str, settings: Settings) -> Role | None:
    """The role of ``token``, compared in constant time; None when unknown."""
    found: Role | None = None
    for known, role in settings.token_roles.items():
        if hmac.compare_digest(known.encode(), token.encode()):
            found = role
    return found


def current_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    settings = _settings(request)
    if credentials is None:
        if settings.dev_mode:
            return Caller(Role.OFFICER)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="需要访问令牌 / an access token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    role = role_of(credentials.credentials, settings)
    if role is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="访问令牌无效 / the access token is not valid",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Caller(role)


def officer(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    if not caller.is_officer:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="此操作需要人事股经办人（officer）权限 / this needs an officer token",
        )
    return caller


CallerDep = Annotated[Caller, Depends(current_caller)]
OfficerDep = Annotated[Caller, Depends(officer)]
