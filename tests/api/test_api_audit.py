"""The audit log: every import, plan, lock, cancel and export leaves one entry naming who,
what and which object; officers read it filtered and paged; nobody can change it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, upload_xlsx
from sqlalchemy.exc import DBAPIError

from api.audit import actor_of
from api.auth import Caller
from api.settings import Role


def audit(service: Service, **params: Any) -> dict[str, Any]:
    response = service.client.get("/audit", params=params, headers=OFFICER_H)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_an_import_is_recorded_with_the_dataset_id_and_the_caller(
    held_service: Service, tiny_xlsx: bytes
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    dataset = upload_xlsx(held_service.client, tiny_xlsx).json()
    page = audit(held_service, action="imported", object_id=str(dataset["id"]))
    assert page["total"] == 1
    entry = page["items"][0]
    assert entry["object_kind"] == "dataset"
    assert entry["actor"].startswith("officer")  # a token without a name: role and a tag
    assert entry["action_label"] == "导入"
    assert entry["detail"]["file_name"] == "tiny.xlsx"
    assert datetime.fromisoformat(entry["at"]).astimezone(UTC) >= before


def test_planning_with_locks_cancelling_and_exporting_each_leave_an_entry(
    held_service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    dataset = upload_xlsx(held_service.client, tiny_xlsx).json()
    teacher = tiny_dataset.teachers[0].teacher_id
    body = plan_request(locks=[{"kind": "stay", "teacher_id": teacher}])
    plan = held_service.client.post(
        f"/datasets/{dataset['id']}/plans", json=body, headers=OFFICER_H
    ).json()
    stopped = held_service.client.delete(f"/plans/{plan['id']}", headers=OFFICER_H)
    assert stopped.status_code == 202, stopped.text
    page = audit(held_service, object_kind="plan", object_id=str(plan["id"]))
    actions = [item["action"] for item in page["items"]]
    assert actions == ["cancelled", "locked", "planned"]  # newest first
    planned = page["items"][-1]["detail"]
    assert planned["dataset_id"] == dataset["id"]
    locked = page["items"][1]["detail"]["locks"]
    assert locked[0]["teacher_id"] == teacher


def test_the_log_is_filtered_by_time_and_paged(held_service: Service, tiny_xlsx: bytes) -> None:
    for _ in range(3):
        upload_xlsx(held_service.client, tiny_xlsx)
    everything = audit(held_service, action="imported")
    assert everything["total"] >= 3
    first = audit(held_service, action="imported", limit=2)
    second = audit(held_service, action="imported", limit=2, offset=2)
    assert len(first["items"]) == 2
    assert first["items"][0]["id"] > first["items"][1]["id"] > second["items"][0]["id"]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert audit(held_service, since=future)["total"] == 0
    assert audit(held_service, until=future, action="imported")["total"] == everything["total"]
    assert audit(held_service, actor="someone else")["total"] == 0


def test_viewers_cannot_read_the_log_and_nobody_can_change_it(held_service: Service) -> None:
    assert held_service.client.get("/audit", headers=VIEWER_H).status_code == 403
    entry_id = audit(held_service)["items"][0]["id"]
    for method in ("PUT", "PATCH", "DELETE"):
        response = held_service.client.request(method, f"/audit/{entry_id}", headers=OFFICER_H)
        assert response.status_code in (404, 405), (method, response.status_code)
        response = held_service.client.request(method, "/audit", headers=OFFICER_H)
        assert response.status_code == 405, (method, response.status_code)


def test_the_database_refuses_to_update_or_delete_an_entry(held_service: Service) -> None:
    engine = held_service.app.state.engine
    entry_id = audit(held_service)["items"][0]["id"]
    for statement in (
        "UPDATE audit_log SET actor = 'x' WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(statement), {"id": entry_id})
    assert audit(held_service)["items"][0]["id"] == entry_id


def test_the_actor_is_the_callers_name_when_it_has_one_else_its_role() -> None:
    assert actor_of(Caller(Role.OFFICER)) == "officer"
    assert actor_of(Caller(Role.OFFICER, "王老师:officer")) == "王老师:officer"
