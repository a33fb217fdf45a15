"""Personal data for officers only: viewers see no ages and no evaluation scores, and no
response that carries personal data may be stored by a cache (issue 14)."""

from __future__ import annotations

import re

import pytest
from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, poll_status, upload_xlsx

from api.personal import public_reason

# An age (54岁) or a retirement month (2031年3月退休), which tells the birth month.
AGE = re.compile(r"\d+\s*岁|\d{4}年\d{1,2}月")


@pytest.fixture(scope="module")
def dataset_id(service: Service, tiny_xlsx: bytes) -> int:
    response = upload_xlsx(service.client, tiny_xlsx)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def teachers(service: Service, dataset_id: int, headers: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    response = service.client.get(f"/datasets/{dataset_id}/teachers?limit=1000", headers=headers)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    return list(response.json()["items"])


def test_a_viewer_sees_the_retirement_reason_without_the_age(
    service: Service, dataset_id: int
) -> None:
    as_officer = teachers(service, dataset_id, OFFICER_H)
    near = [t for t in as_officer if any("距退休" in r for r in t["ineligible_reasons"])]
    assert near, "the tiny county has teachers near retirement"
    assert all(AGE.search(r) for t in near for r in t["ineligible_reasons"] if "距退休" in r)
    as_viewer = {t["teacher_id"]: t for t in teachers(service, dataset_id, VIEWER_H)}
    for t in near:
        seen = as_viewer[t["teacher_id"]]
        assert any(r.startswith("距退休不足5年") for r in seen["ineligible_reasons"])
        assert not any(AGE.search(r) for r in seen["ineligible_reasons"])
        assert seen["birth_date"] is None
    assert not any(AGE.search(r) for t in as_viewer.values() for r in t["ineligible_reasons"])


def test_public_reason_drops_an_age_or_date_and_nothing_else() -> None:
    assert public_reason("距退休不足5年（54岁）") == "距退休不足5年"
    assert public_reason("距退休不足5年（法定退休 2031-03）") == "距退休不足5年"
    assert public_reason("距退休不足5年（2031年3月退休）") == "距退休不足5年"
    assert public_reason("在本校任教未满6年（3年）") == "在本校任教未满6年（3年）"


def test_a_viewer_does_not_see_evaluation_scores(service: Service, dataset_id: int) -> None:
    ids = [t["teacher_id"] for t in teachers(service, dataset_id, OFFICER_H)[:3]]
    scores = {tid: 90.5 - i for i, tid in enumerate(ids)}
    started = service.client.post(
        f"/datasets/{dataset_id}/allocation",
        json={"year": 2026, "scores": scores, "time_limit": 10},
        headers=OFFICER_H,
    )
    assert started.status_code == 202, started.text
    url = started.json()["url"]
    poll_status(service.client, url, {"done", "failed"})
    officer = service.client.get(url, headers=OFFICER_H).json()
    assert officer["params"]["scores"] == scores
    viewer = service.client.get(url, headers=VIEWER_H)
    assert viewer.headers["cache-control"] == "no-store"
    assert "scores" not in viewer.json()["params"]
    assert viewer.json()["params"]["scores_count"] == 3
    assert "90.5" not in viewer.text
    listed = service.client.get("/allocation", headers=VIEWER_H).text
    assert "90.5" not in listed


def test_every_personal_response_is_no_store(service: Service, dataset_id: int) -> None:
    started = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(backend="greedy"), headers=OFFICER_H
    )
    plan = poll_status(service.client, started.json()["url"], {"done", "failed"})
    assert plan["status"] == "done"
    paths = [
        f"/datasets/{dataset_id}",
        f"/datasets/{dataset_id}/teachers",
        f"/datasets/{dataset_id}/schools",
        f"/plans/{plan['id']}",
        f"/plans/{plan['id']}/assignments",
        f"/plans/{plan['id']}/export.csv",
        f"/plans/{plan['id']}/export.xlsx",
        "/plans",
        "/datasets",
    ]
    for path in paths:
        response = service.client.get(path, headers=VIEWER_H)
        assert response.status_code == 200, path
        assert response.headers.get("cache-control") == "no-store", path


def test_the_consoles_county_view_hides_retirement_months_from_viewers(
    service: Service, dataset_id: int
) -> None:
    path = f"/datasets/{dataset_id}/county/teachers?eligible=false&limit=1000"
    officer = service.client.get(path, headers=OFFICER_H).json()["items"]
    assert any(AGE.search(r) for t in officer for r in t["ineligible_reasons"])
    viewer = service.client.get(path, headers=VIEWER_H)
    assert viewer.headers["cache-control"] == "no-store"
    reasons = [r for t in viewer.json()["items"] for r in t["ineligible_reasons"]]
    assert any(r.startswith("距退休不足5年") for r in reasons)
    assert not any(AGE.search(r) for r in reasons)
