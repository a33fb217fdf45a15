"""Counties and publishing: a dataset belongs to a county; an officer publishes one plan per
county and year, which then cannot be stopped, carries 正式方案 on its exports, and is
superseded (not replaced) by the next one published, all in the audit log."""

from __future__ import annotations

import io
from typing import Any

from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, upload_xlsx, wait_for
from openpyxl import load_workbook

from api.publication import county_from_file_name


def done_plan(service: Service, dataset_id: int) -> int:
    response = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(), headers=OFFICER_H
    )
    assert response.status_code == 202, response.text
    plan_id = int(response.json()["id"])
    wait_for(service.client, plan_id, {"done"}, timeout=180)
    return plan_id


def test_the_county_comes_from_the_form_or_else_the_file_name(
    service: Service, tiny_xlsx: bytes
) -> None:
    named = upload_xlsx(service.client, tiny_xlsx, name="龙川县.xlsx").json()
    assert named["county"] == "龙川县"
    given = service.client.post(
        "/datasets",
        files=[("files", ("roster.xlsx", tiny_xlsx, "application/octet-stream"))],
        data={"year": "2026", "county": "441622"},
        headers=OFFICER_H,
    ).json()
    assert given["county"] == "441622"
    listed = service.client.get("/datasets", params={"county": "441622"}, headers=OFFICER_H)
    assert [d["id"] for d in listed.json()] == [given["id"]]
    assert county_from_file_name("schools.csv, teachers.csv") == ""


def test_publishing_marks_the_plan_official_and_the_next_one_supersedes_it(
    service: Service, tiny_xlsx: bytes
) -> None:
    dataset = upload_xlsx(service.client, tiny_xlsx, name="publish-county.xlsx").json()
    first, second = done_plan(service, dataset["id"]), done_plan(service, dataset["id"])
    assert service.client.post(f"/plans/{first}/publish", headers=VIEWER_H).status_code == 403
    published = service.client.post(f"/plans/{first}/publish", headers=OFFICER_H)
    assert published.status_code == 200, published.text
    assert published.json()["county"] == "publish-county"
    assert published.json()["status_zh"] == "已发布"
    again = service.client.post(f"/plans/{first}/publish", headers=OFFICER_H)
    assert again.status_code == 409
    assert service.client.delete(f"/plans/{first}", headers=OFFICER_H).status_code == 409

    workbook = service.client.get(f"/plans/{first}/export.xlsx", headers=OFFICER_H)
    notes = load_workbook(io.BytesIO(workbook.content))["方案概况"]
    cells = [str(c.value) for row in notes.iter_rows() for c in row if c.value is not None]
    assert any(c.startswith("正式方案：publish-county 2026 学年") for c in cells)

    assert service.client.post(f"/plans/{second}/publish", headers=OFFICER_H).status_code == 200
    rows: list[dict[str, Any]] = service.client.get(
        "/published", params={"county": "publish-county", "year": 2026}, headers=VIEWER_H
    ).json()
    by_plan = {row["plan_id"]: row for row in rows}
    assert set(by_plan) == {first, second}
    assert by_plan[second]["status_zh"] == "已发布"
    assert by_plan[second]["supersedes_plan_id"] == first
    assert by_plan[first]["status_zh"] == "已被替代"
    assert by_plan[first]["superseded_by_plan_id"] == second
    current = service.client.get(
        "/published",
        params={"county": "publish-county", "year": 2026, "current": True},
        headers=VIEWER_H,
    ).json()
    assert [row["plan_id"] for row in current] == [second]
    (mine,) = service.client.get("/published", params={"plan_id": first}, headers=VIEWER_H).json()
    assert (mine["plan_id"], mine["superseded_by_plan_id"]) == (first, second)
    unpublished = done_plan(service, dataset["id"])
    never = service.client.get("/published", params={"plan_id": unpublished}, headers=VIEWER_H)
    assert never.json() == []

    log = service.client.get(
        "/audit", params={"object_kind": "plan", "object_id": str(first)}, headers=OFFICER_H
    ).json()
    assert [item["action"] for item in log["items"]][:3] == ["superseded", "exported", "published"]
