"""Token authentication: every request names its token; the token names a person and a role.

Failed authentications are counted per client (``api/throttle.py``): past the limit the
client is answered 429 with ``Retry-After``. In development mode a caller without a token
acts as an officer — never more than an officer token gives — and every response says so
in the ``X-Rotation-Dev-Mode`` header. Every route that names a caller answers personal data,
so its responses carry ``Cache-Control: no-store`` (set by the app's middleware).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.settings import Role, Settings
from api.throttle import FailureThrottle
from api.tokens import TokenRegistry

_bearer = HTTPBearer(auto_error=False, description="访问令牌 / access token (Bearer)")

DEV_MODE_CALLER = "开发模式匿名用户 / anonymous (development mode)"


@dataclass(frozen=True, slots=True)
class Caller:
    role: Role
    name: str = ""

    @property
    def is_officer(self) -> bool:
        return self.role is Role.OFFICER


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def client_key(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def too_many_failures(retry_after: int) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        detail=f"认证失败次数过多，请 {retry_after} 秒后再试 / too many failed authentications, "
        f"try again in {retry_after} s",
        headers={"Retry-After": str(retry_after)},
    )


def current_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    settings = _settings(request)
    request.state.personal = True  # the middleware marks the response no-store
    if credentials is None:
        if settings.dev_mode:
            return Caller(Role.OFFICER, DEV_MODE_CALLER)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="需要访问令牌 / an access token is required (Authorization: Bearer <token>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle: FailureThrottle = request.app.state.auth_throttle
    client = client_key(request)
    wait = throttle.retry_after(client)
    if wait is not None:
        raise too_many_failures(wait)
    registry: TokenRegistry = request.app.state.tokens
    entry = registry.find(credentials.credentials)
    if entry is None:
        throttle.failed(client)
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="访问令牌无效 / the access token is not valid",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Caller(entry.role, entry.name)


def officer(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
    if not caller.is_officer:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="此操作需要人事股经办人（officer）权限 / this needs an officer token",
        )
    return caller


CallerDep = Annotated[Caller, Depends(current_caller)]
OfficerDep = Annotated[Caller, Depends(officer)]
