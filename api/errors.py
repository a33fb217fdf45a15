"""Refusals that say why, in Chinese and English, and an OpenAPI document that lists them.

``validation_error`` answers a request the schemas refuse: 422 with FastAPI's list of
errors under ``detail`` and one sentence under ``message`` (中文 / English) naming each
field and what it expects. ``document_errors`` adds to every operation of the OpenAPI
document the refusals it can give (400, 401, 403, 404, 409, 413, 415, 422, 429, 503), so that
the document is the truth about every status code the service answers.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

# Chinese for the commonest pydantic error types; the English message is pydantic's own.
ERROR_ZH: dict[str, str] = {
    "missing": "缺少此项",
    "extra_forbidden": "不接受此字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than": "数值过大",
    "less_than_equal": "数值过大",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
    "too_long": "项数或长度超过上限",
    "too_short": "项数或长度不足",
    "string_too_long": "文本过长",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为对象",
}


def _where(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(x) for x in loc) or "request"


def _finite(value: Any) -> Any:
    """The value with NaN and ±Infinity written as text, so that the answer is valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = _finite(jsonable_encoder(exc.errors()))
    parts = [
        f"{_where(e.get('loc', ()))}：{ERROR_ZH.get(str(e.get('type')), '取值无效')}"
        f"（{e.get('msg', '')}）"
        for e in errors[:10]
    ]
    more = f"；另有 {len(errors) - 10} 处 / and {len(errors) - 10} more" if len(errors) > 10 else ""
    message = f"请求参数无效 / invalid request: {'；'.join(parts)}{more}"
    return JSONResponse({"detail": errors, "message": message}, status_code=422)


# FastAPI's own refusal of a body it cannot parse, said in both languages.
UNPARSABLE_BODY = "There was an error parsing the body"
UNPARSABLE_BODY_ZH = (
    "请求体无法解析（应为 JSON 或 multipart/form-data）/ the request body cannot be parsed "
    "(expected JSON or multipart/form-data)"
)


# Starlette's own refusals (an unknown path, a method a path does not take), in both languages.
BILINGUAL: dict[tuple[int, str], str] = {
    (400, UNPARSABLE_BODY): UNPARSABLE_BODY_ZH,
    (404, "Not Found"): "没有这个地址 / no such path",
    (405, "Method Not Allowed"): "此地址不接受该请求方法 / this path does not take that method",
}


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    said = BILINGUAL.get((exc.status_code, str(exc.detail)))
    if said is not None:
        exc = StarletteHTTPException(exc.status_code, said, headers=exc.headers)
    return await http_exception_handler(request, exc)


ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "拒绝的原因（中文 / English）/ why the request was refused",
    "properties": {
        "detail": {
            "description": "原因：一句话，或逐项列出 / the reason: a sentence or a list",
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {}},
                {"type": "object"},
            ],
        },
        "message": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["detail"],
}
REFUSALS: dict[str, str] = {
    "400": "请求体无法解析 / the request body cannot be parsed",
    "401": "缺少或无效的访问令牌 / no valid access token",
    "403": "需要经办人（officer）权限 / needs an officer token",
    "404": "对象不存在 / not found",
    "409": "当前状态下不能这样做 / not possible in the current state",
    "413": "请求体或上传文件过大 / body or upload too large",
    "415": "文件类型不支持 / unsupported file type",
    "422": "请求无效，附原因 / invalid request, with the reason",
    "429": "认证失败次数过多，稍后再试（Retry-After）/ too many failed authentications",
    "503": "数据库不可用 / the database cannot be reached",
}


def _refusals(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["422", "503"]  # 503: the database cannot be reached (api/app.py)
    if operation.get("security"):
        codes += ["401", "403", "429"]
    if "{" in path:
        codes += ["404", "409"]
    if method in ("post", "put", "patch"):
        codes += ["400", "413", "415"]
    if path == "/health":
        codes = ["503"]
    return codes


def document_errors(app: FastAPI) -> None:
    """Make ``app.openapi()`` list every refusal of every operation, with one Error schema."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                for code in _refusals(path, method, operation):
                    entry = responses.setdefault(code, {"description": REFUSALS[code]})
                    entry["content"] = ref
                if "200" in responses and path == "/health":
                    responses["503"]["content"] = responses["200"].get("content", ref)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
