"""Limits enforced while a request is read: bodies counted as their bytes arrive, numbers that
must be finite, ids the database can hold; every refusal a 4xx that says why (issue 14)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from api_test_support import OFFICER_H, Service, plan_request, upload_xlsx
from fastapi import Request
from fastapi.exceptions import RequestValidationError

from api.errors import validation_error

MB = 1024 * 1024
BIG_ID = 2**63
PG_INTEGER_PAST = 2**31


@pytest.fixture(scope="module")
def dataset_id(service: Service, tiny_xlsx: bytes) -> int:
    response = upload_xlsx(service.client, tiny_xlsx)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def dataset_count(service: Service) -> int:
    return len(service.client.get("/datasets", headers=OFFICER_H).json())


def test_a_chunked_upload_is_cut_off_at_the_limit_not_read_in_full(service: Service) -> None:
    """40 MB sent in chunks without Content-Length against a 2 MB limit: 413, and the server
    stops reading just past the limit instead of taking in the whole body."""
    limit = service.settings.max_upload_bytes
    chunk = b"x" * (64 * 1024)
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        boundary = b"--b0undary\r\n"
        yield boundary + b'Content-Disposition: form-data; name="files"; filename="r.xlsx"\r\n\r\n'
        while sent < 40 * MB:
            sent += len(chunk)
            yield chunk
        yield b"\r\n--b0undary--\r\n"

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=service.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(
                "/datasets",
                content=body(),
                headers={**OFFICER_H, "Content-Type": "multipart/form-data; boundary=b0undary"},
            )

    before = dataset_count(service)
    response = asyncio.run(post())
    assert response.status_code == 413
    assert "上限" in response.json()["detail"] and "limit" in response.json()["detail"]
    assert sent <= limit + 256 * 1024, f"read {sent:,} bytes of a {limit:,}-byte limit"
    assert dataset_count(service) == before


def test_a_json_body_past_the_limit_is_413(service: Service, dataset_id: int) -> None:
    locks = [{"kind": "stay", "teacher_id": f"T{i:06d}", "note": "x" * 80} for i in range(100_000)]
    response = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(locks=locks), headers=OFFICER_H
    )
    assert response.status_code == 413
    assert "字节" in response.json()["detail"] and "bytes" in response.json()["detail"]
    plans = service.client.get(f"/plans?dataset_id={dataset_id}", headers=OFFICER_H).json()
    assert all(p["locks"] < 100_000 for p in plans)


def test_too_many_locks_within_the_byte_limit_are_refused(
    service: Service, dataset_id: int
) -> None:
    locks = [{"kind": "stay", "teacher_id": "T"} for _ in range(20_001)]
    response = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(locks=locks), headers=OFFICER_H
    )
    assert response.status_code == 422
    assert "locks" in response.json()["message"]


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_non_finite_relative_gap_is_refused_with_a_reason(
    service: Service, dataset_id: int, raw: str
) -> None:
    body = '{"year": 2026, "relative_gap": ' + raw + "}"
    response = service.client.post(
        f"/datasets/{dataset_id}/plans",
        content=body,
        headers={**OFFICER_H, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert "NaN" in response.json()["detail"] and "数值" in response.json()["detail"]


def test_a_nan_evaluation_score_is_refused(service: Service, dataset_id: int) -> None:
    teacher = service.client.get(
        f"/datasets/{dataset_id}/teachers?limit=1", headers=OFFICER_H
    ).json()["items"][0]["teacher_id"]
    before = len(service.client.get("/allocation", headers=OFFICER_H).json())
    response = service.client.post(
        f"/datasets/{dataset_id}/allocation",
        content='{"year": 2026, "scores": {"' + teacher + '": NaN}}',
        headers={**OFFICER_H, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert len(service.client.get("/allocation", headers=OFFICER_H).json()) == before


def test_numbers_past_their_bounds_are_refused_with_a_bilingual_reason(
    service: Service, dataset_id: int
) -> None:
    response = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(seed=2**70), headers=OFFICER_H
    )
    assert response.status_code == 422
    message = response.json()["message"]
    assert "seed" in message and "数值过大" in message and "invalid request" in message


@pytest.mark.parametrize(
    "path", ["/datasets/{}", "/plans/{}", "/whatif/{}", "/allocation/{}", "/datasets/{}/teachers"]
)
def test_an_id_outside_the_database_range_is_404(service: Service, path: str) -> None:
    for bad in (BIG_ID, PG_INTEGER_PAST, 2**64 + 5, 0, -1):
        response = service.client.get(path.format(bad), headers=OFFICER_H)
        assert response.status_code == 404, (path, bad, response.text)
        assert "不存在" in response.json()["detail"]


def test_an_id_filter_outside_the_database_range_is_422(service: Service) -> None:
    for path in ("/plans", "/whatif", "/allocation"):
        response = service.client.get(f"{path}?dataset_id={BIG_ID}", headers=OFFICER_H)
        assert response.status_code == 422, path
    response = service.client.get(f"/datasets/1/teachers?offset={BIG_ID}", headers=OFFICER_H)
    assert response.status_code == 422


def test_a_year_far_outside_the_policy_range_is_422(service: Service, dataset_id: int) -> None:
    response = service.client.get(f"/datasets/{dataset_id}?year=99999999", headers=OFFICER_H)
    assert response.status_code == 422


def test_starlettes_own_refusals_say_why_in_both_languages(service: Service) -> None:
    unknown = service.client.get("/no-such-path", headers=OFFICER_H)
    assert unknown.status_code == 404 and "没有这个地址" in unknown.json()["detail"]
    wrong_method = service.client.patch("/datasets", headers=OFFICER_H)
    assert wrong_method.status_code == 405 and "请求方法" in wrong_method.json()["detail"]
    garbled = service.client.put(
        "/policies/x",
        content=b"\xff\xfe{",
        headers={**OFFICER_H, "Content-Type": "application/json"},
    )
    assert garbled.status_code in (400, 422) and "/" in str(garbled.json())


def test_a_refusal_that_names_a_nan_input_is_still_valid_json() -> None:
    exc = RequestValidationError(
        [{"type": "finite_number", "loc": ("body", "seed"), "msg": "x", "input": float("nan")}]
    )
    response = validation_error(Request({"type": "http", "headers": []}), exc)
    body = json.loads(bytes(response.body))
    assert response.status_code == 422 and body["detail"][0]["input"] == "nan"
    assert "seed" in body["message"] and "应为有限的数" in body["message"]
