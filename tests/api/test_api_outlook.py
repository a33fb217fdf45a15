"""The outlook through HTTP: a two-year roll to done with its trajectory and files, the same
figures as the CLI's writer gives, and refusals that store nothing."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from api_test_support import OFFICER_H, VIEWER_H, Service, poll_status, upload_xlsx

FINAL = {"done", "failed", "cancelled", "interrupted"}


def outlook_request(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "from_year": 2026,
        "to_year": 2027,
        "assume": {"seed": 3},
        "time_limit": 5,
        "backend": "highs",
    }
    body.update(overrides)
    return body


def test_a_two_year_outlook_runs_to_done_with_its_trajectory_and_files(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    started = client.post(
        f"/datasets/{dataset_id}/outlook", json=outlook_request(), headers=OFFICER_H
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    assert started.json()["kind"] == "outlook"
    assert started.headers["location"].endswith(f"/outlook/{job_id}")

    body = poll_status(client, f"/outlook/{job_id}", FINAL, timeout=120)
    assert body["status"] == "done", body
    assert body["progress"]["done"] == body["progress"]["total"] == 1
    outcome = body["outlook"]["outcomes"][0]
    assert outcome["ok"] is True
    years = outcome["outlook"]["years"]
    assert [y["year"] for y in years] == [2026, 2027]
    assert body["outlook"]["kind"] == "outlook"
    assert set(body["files"]) == {
        "trajectory.csv", "schools.csv", "quotas.csv", "outlook.png", "outlook.json"
    }  # fmt: skip

    quotas = client.get(f"/outlook/{job_id}/files/quotas.csv", headers=VIEWER_H)
    assert quotas.status_code == 200 and quotas.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(quotas.content.decode("utf-8-sig"))))
    assert [int(r["year"]) for r in rows] == [2026, 2027]
    assert [int(r["moved"]) for r in rows] == [y["figures"]["moved"] for y in years]
    kept = outcome["outlook"]["itinerant"]  # 走教 each year (issue 18)
    assert [y["year"] for y in kept] == [2026, 2027]
    assert [int(r["itinerant_hours_covered"]) for r in rows] == [
        y["figures"]["hours_covered"] for y in kept
    ]
    trajectory = client.get(f"/outlook/{job_id}/files/trajectory.csv", headers=VIEWER_H)
    assert trajectory.status_code == 200 and b"cv_after" in trajectory.content
    chart = client.get(f"/outlook/{job_id}/files/outlook.png", headers=VIEWER_H)
    assert chart.status_code == 200 and chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    stored = json.loads(client.get(f"/outlook/{job_id}/files/outlook.json", headers=VIEWER_H).text)
    assert stored["outcomes"][0]["outlook"]["years"][1]["year"] == 2027
    assert client.get(f"/outlook/{job_id}/files/secret.txt", headers=VIEWER_H).status_code == 404
    listed = client.get("/jobs", params={"kind": "outlook"}, headers=VIEWER_H).json()
    assert job_id in [j["id"] for j in listed]


def test_bad_outlook_requests_are_refused_and_store_nothing(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    before = len(client.get("/outlook", headers=OFFICER_H).json())
    url = f"/datasets/{dataset_id}/outlook"
    backwards = client.post(url, json=outlook_request(to_year=2025), headers=OFFICER_H)
    assert backwards.status_code == 422 and "to_year" in backwards.json()["detail"]
    unknown = client.post(url, json=outlook_request(assume={"rain": 1}), headers=OFFICER_H)
    assert unknown.status_code == 422 and "rain" in unknown.json()["detail"]
    bad_vary = client.post(
        url, json=outlook_request(vary={"rotation_rate": [1.5]}), headers=OFFICER_H
    )
    assert bad_vary.status_code == 422 and "rotation_rate" in bad_vary.json()["detail"]
    assert client.post(url, json=outlook_request(), headers=VIEWER_H).status_code == 403
    assert (
        client.post("/datasets/999999/outlook", json=outlook_request(), headers=OFFICER_H)
    ).status_code == 404
    assert len(client.get("/outlook", headers=OFFICER_H).json()) == before
