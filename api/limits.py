"""Request bodies bounded while they arrive, and JSON numbers that must be finite.

``BodyLimits`` is an ASGI middleware. A body is counted as its bytes arrive, whether the
request declares a Content-Length or is sent in chunks: past the limit the server stops
reading and answers 413; nothing beyond the limit is ever read or written anywhere. The
limit is the upload limit (plus the multipart framing) for a multipart upload and
``max_body_bytes`` for every other body. A JSON body is read whole (it is bounded) and
refused with 422 when it holds ``NaN``, ``Infinity`` or a number too large for a float,
which Python's JSON reader would otherwise accept.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.uploads import too_large_message

MULTIPART_SLACK = 64 * 1024


def body_too_large_message(limit: int) -> str:
    return f"请求体超过 {limit:,} 字节上限 / the request body exceeds the limit of {limit:,} bytes"


NOT_FINITE = (
    "请求中的数值无效：不接受 NaN、Infinity 或超出范围的数 / invalid number in the request: "
    "NaN, Infinity and numbers out of range are not accepted"
)


class _NotFinite(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NotFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text)
    return value


def has_non_finite_number(body: bytes) -> bool:
    """True when the JSON holds NaN, ±Infinity or a float that overflows; False otherwise
    (also when it is not JSON at all: the route then says what is wrong with it)."""
    try:
        json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _NotFinite:
        return True
    except ValueError:
        return False
    return False


class _TooLarge(Exception):
    pass


class BodyLimits:
    def __init__(self, app: ASGIApp, *, max_upload_bytes: int, max_body_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_body_bytes = max_body_bytes

    def _limit(self, scope: Scope, content_type: bytes) -> tuple[int, str]:
        """Files (multipart uploads: rosters, edited plans) get the upload limit, and the
        multipart framing; every other body the JSON limit."""
        if content_type == b"multipart/form-data":
            return (
                self.max_upload_bytes + MULTIPART_SLACK,
                too_large_message(self.max_upload_bytes),
            )
        return self.max_body_bytes, body_too_large_message(self.max_body_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        limit, message = self._limit(scope, content_type)
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > limit:
            await JSONResponse({"detail": message}, status_code=413)(scope, receive, send)
            return
        if content_type == b"application/json":
            await self._json(scope, receive, send, limit, message)
            return
        await self._streamed(scope, receive, send, limit, message)

    async def _json(
        self, scope: Scope, receive: Receive, send: Send, limit: int, message: str
    ) -> None:
        chunks: list[bytes] = []
        size = 0
        while True:
            msg = await receive()
            if msg["type"] != "http.request":
                return  # the client went away
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > limit:
                await JSONResponse({"detail": message}, status_code=413)(scope, receive, send)
                return
            chunks.append(chunk)
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        if has_non_finite_number(body):
            await JSONResponse({"detail": NOT_FINITE}, status_code=422)(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _streamed(
        self, scope: Scope, receive: Receive, send: Send, limit: int, message: str
    ) -> None:
        size = 0
        over = False
        answered = False

        async def counted() -> Message:
            nonlocal size, over
            if over:
                raise _TooLarge
            msg = await receive()
            if msg["type"] == "http.request":
                size += len(msg.get("body", b""))
                if size > limit:
                    over = True
                    raise _TooLarge
            return msg

        async def guarded(msg: Message) -> None:
            nonlocal answered
            if over:
                return  # the app's answer to a body cut short is replaced by the 413
            answered = True
            await send(msg)

        try:
            await self.app(scope, counted, guarded)
        except _TooLarge:
            pass
        if over and not answered:
            await JSONResponse({"detail": message}, status_code=413)(scope, receive, send)
