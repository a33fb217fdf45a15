"""走教 through the service: a roster with hours_needs.csv keeps it in its snapshot, and
the plan's metrics, and its workbook, carry the 走教 schedule."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, upload_csv, wait_for


def test_a_roster_with_hour_needs_plans_with_a_checked_itinerant_schedule(
    service: Service, tiny_csv: dict[str, bytes], tiny_dataset: Any
) -> None:
    assert "hours_needs.csv" in tiny_csv and tiny_dataset.hour_needs
    uploaded = upload_csv(service.client, tiny_csv)
    assert uploaded.status_code == 201, uploaded.text
    started = service.client.post(
        f"/datasets/{uploaded.json()['id']}/plans", json=plan_request(), headers=OFFICER_H
    )
    assert started.status_code == 202, started.text
    body = wait_for(service.client, int(started.json()["id"]), {"done", "failed"})
    assert body["status"] == "done", body
    itinerant = body["metrics"]["itinerant"]
    assert itinerant["figures"]["hours_needed"] == sum(h.hours for h in tiny_dataset.hour_needs)
    assert itinerant["visits"] and itinerant["figures"]["hours_covered"] > 0
    assert body["metrics"]["check"]["ok"]
    assert "itinerant_days" in body["metrics"]["check"]["checked_rules"]
    xlsx = service.client.get(f"/plans/{started.json()['id']}/export.xlsx", headers=VIEWER_H)
    assert xlsx.status_code == 200
    assert "走教安排" in openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames


def test_a_roster_without_hour_needs_plans_without_itinerant(
    service: Service, tiny_csv: dict[str, bytes]
) -> None:
    files = {k: v for k, v in tiny_csv.items() if k != "hours_needs.csv"}
    uploaded = upload_csv(service.client, files)
    assert uploaded.status_code == 201, uploaded.text
    assert "itinerant_input" in uploaded.json()["summary"]  # the teachers' spare hours
    started = service.client.post(
        f"/datasets/{uploaded.json()['id']}/plans", json=plan_request(), headers=OFFICER_H
    )
    body = wait_for(service.client, int(started.json()["id"]), {"done", "failed"})
    assert body["status"] == "done" and "itinerant" not in body["metrics"]
    reading = service.client.get(f"/plans/{body['id']}/itinerant", headers=VIEWER_H)
    assert reading.status_code == 200 and reading.json() is None  # the console says so
