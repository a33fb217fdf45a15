"""Plan jobs through HTTP: the whole flow, exports checked by the checker, queueing,
cancellation, and what a restart leaves behind."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from api_test_support import (
    HELD_ENTRY,
    OFFICER_H,
    VIEWER_H,
    Service,
    make_settings,
    plan_request,
    running_service,
    upload_xlsx,
    wait_for,
)

from rotation.checker import check_plan
from rotation.eligibility import eligibility_table
from rotation.enums import Subject
from rotation.io.writing import write_dataset_xlsx
from rotation.models import Dataset, Need
from rotation.plan import Assignment, ComplianceRow, Plan
from rotation.plan_results import Shortfall
from rotation.policy import Policy
from rotation.roles import school_role

FINAL = {"done", "failed", "cancelled", "interrupted"}


def start_plan(service: Service, dataset_id: int, **overrides: Any) -> int:
    response = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(**overrides), headers=OFFICER_H
    )
    assert response.status_code == 202, response.text
    assert response.headers["location"].endswith(f"/plans/{response.json()['id']}")
    return int(response.json()["id"])


def plan_from_downloads(service: Service, plan_id: int) -> Plan:
    """The plan as a user rebuilds it from export.csv, the compliance list, the notes and
    the reported shortfalls."""
    exported = service.client.get(f"/plans/{plan_id}/export.csv", headers=VIEWER_H)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    compliance = service.client.get(f"/plans/{plan_id}/compliance", headers=VIEWER_H).json()
    body = service.client.get(f"/plans/{plan_id}", headers=VIEWER_H).json()
    return Plan(
        year=2026,
        notes=tuple(body["notes"]),
        shortfalls=tuple(Shortfall.model_validate(s) for s in body["metrics"]["shortfalls"]),
        assignments=tuple(Assignment.model_validate(r) for r in rows),
        compliance=tuple(ComplianceRow.model_validate(c) for c in compliance),
    )


def wait_for_progress(client: Any, plan_id: int, timeout: float = 20.0) -> dict[str, Any]:
    """Poll until the running solve has reported an objective."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/plans/{plan_id}", headers=OFFICER_H).json()
        if (body["progress"] or {}).get("objective") is not None:
            return dict(body)
        time.sleep(0.1)
    raise AssertionError(f"plan {plan_id} reported no progress in {timeout}s")


def test_whole_flow_upload_plan_poll_download_check(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    plan_id = start_plan(service, dataset_id)
    body = wait_for(service.client, plan_id, FINAL)
    assert body["status"] == "done", body
    assert body["metrics"]["moved"] == body["assignments"] > 0
    assert body["progress"]["phase"] == "done"
    assert body["finished_at"] is not None and body["solve_seconds"] > 0
    # the status in words, as the console shows it, not the solver's code
    words = {"optimal": ("最优", "optimal"), "feasible": ("可行", "feasible")}
    zh, en = words[body["solver_status"]]
    assert body["solver_status_zh"].startswith(("近似最优", zh)), body["solver_status_zh"]
    assert body["solver_status_en"].startswith(("near-optimal", en)), body["solver_status_en"]

    moves = service.client.get(f"/plans/{plan_id}/assignments", headers=VIEWER_H).json()
    assert moves["total"] == body["assignments"]
    assert all(m["reasons"] for m in moves["items"])

    workbook = service.client.get(f"/plans/{plan_id}/export.xlsx", headers=VIEWER_H)
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["交流名单"]
    exported_ids = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    assert exported_ids == {m["teacher_id"] for m in moves["items"]}

    downloaded = plan_from_downloads(service, plan_id)
    report = check_plan(tiny_dataset, downloaded, Policy())
    assert report.ok, report.to_dict()

    rechecked = service.client.post(f"/plans/{plan_id}/check", headers=VIEWER_H).json()
    assert rechecked["ok"] is True and rechecked["violations"] == []


def test_locks_and_policy_reach_the_solver(service: Service, tiny_xlsx: bytes) -> None:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    first = wait_for(service.client, start_plan(service, dataset_id), FINAL)
    moves = service.client.get(f"/plans/{first['id']}/assignments", headers=OFFICER_H).json()
    kept = moves["items"][0]["teacher_id"]
    blocked = moves["items"][0]["to_school_id"]
    locks = [
        {"kind": "stay", "teacher_id": kept, "note": "留任"},
        {"kind": "block_school", "school_id": blocked},
    ]
    plan_id = start_plan(service, dataset_id, locks=locks, policy={"rotation_rate": 0.15})
    body = wait_for(service.client, plan_id, FINAL)
    assert body["status"] == "done", body
    assert body["locks"] == 2 and body["policy_overrides"] == {"rotation_rate": 0.15}
    again = service.client.get(f"/plans/{plan_id}/assignments", headers=OFFICER_H).json()
    assert kept not in {m["teacher_id"] for m in again["items"]}
    assert blocked not in {m["to_school_id"] for m in again["items"]}
    assert service.client.post(f"/plans/{plan_id}/check", headers=OFFICER_H).json()["ok"]


def test_bad_locks_are_refused_with_every_problem_and_its_number(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    before = len(service.client.get("/plans", headers=OFFICER_H).json())
    table = eligibility_table(tiny_dataset, 2026, Policy())
    first, second = [t for t in tiny_dataset.teachers if table[t.teacher_id].eligible][:2]
    locks = [
        {"kind": "assign", "teacher_id": first.teacher_id, "school_id": first.school_id},
        {"kind": "stay", "teacher_id": second.teacher_id},
        {"kind": "assign", "teacher_id": second.teacher_id, "school_id": "NOWHERE"},
    ]
    refused = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(locks=locks), headers=OFFICER_H
    )
    assert refused.status_code == 422
    problems = refused.json()["detail"]["problems"]
    assert [(p["number"], p["kind"]) for p in problems] == [
        (1, "own_school"),
        (3, "unknown_school"),
    ]
    assert problems[0]["text"].startswith("第1条锁定：")
    assert len(service.client.get("/plans", headers=OFFICER_H).json()) == before


def test_the_plan_result_lists_unfilled_needs_with_their_cause(
    service: Service, tiny_dataset: Any, tmp_path: Path
) -> None:
    receiver = next(s for s in tiny_dataset.schools if school_role(s).receives)
    stage = next(iter(receiver.stage.offers))
    special = Need(school_id=receiver.school_id, stage=stage, subject=Subject.SPECIAL_ED, count=1)
    assert not any(t.subject is Subject.SPECIAL_ED for t in tiny_dataset.teachers)
    roster = Dataset.build(tiny_dataset.schools, tiny_dataset.teachers, (*tiny_dataset.needs, special))
    content = write_dataset_xlsx(roster, tmp_path / "r.xlsx").read_bytes()
    dataset_id = upload_xlsx(service.client, content).json()["id"]
    body = wait_for(service.client, start_plan(service, dataset_id), FINAL)
    assert body["status"] == "done", body
    unfilled = {(u["school_id"], u["subject"]): u for u in body["metrics"]["unfilled_needs"]}
    row = unfilled[(receiver.school_id, "special_ed")]
    assert row["cause"] == "no_eligible_teacher" and "特殊教育" in row["reason_zh"]


def test_bad_plan_requests_are_refused_and_store_nothing(
    service: Service, tiny_xlsx: bytes
) -> None:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    before = len(service.client.get("/plans", headers=OFFICER_H).json())
    url = f"/datasets/{dataset_id}/plans"
    bad_policy = service.client.post(
        url, json=plan_request(policy={"rotation_rate": 1.5}), headers=OFFICER_H
    )
    assert bad_policy.status_code == 422 and "rotation_rate" in bad_policy.json()["detail"]
    unknown = service.client.post(
        url, json=plan_request(policy={"no_such_rule": 1}), headers=OFFICER_H
    )
    assert unknown.status_code == 422
    bad_lock = service.client.post(
        url,
        json=plan_request(locks=[{"kind": "stay", "teacher_id": "NOBODY"}]),
        headers=OFFICER_H,
    )
    assert bad_lock.status_code == 422 and "NOBODY" in bad_lock.text
    no_dataset = service.client.post(
        "/datasets/999999/plans", json=plan_request(), headers=OFFICER_H
    )
    assert no_dataset.status_code == 404
    assert len(service.client.get("/plans", headers=OFFICER_H).json()) == before
    assert service.client.get("/plans/999999", headers=OFFICER_H).status_code == 404


def test_two_plans_at_once_the_rest_wait_in_order_and_cancel_keeps_the_best(
    held_service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    client = held_service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    p1, p2, p3 = (start_plan(held_service, dataset_id) for _ in range(3))
    wait_for(client, p1, {"running"})
    wait_for(client, p2, {"running"})
    running1 = wait_for_progress(client, p1)
    waiting = client.get(f"/plans/{p3}", headers=OFFICER_H).json()
    assert waiting["status"] == "queued" and waiting["queue_position"] == 1
    assert set(running1["progress"]) >= {"objective", "bound", "gap", "elapsed"}
    assert running1["running_seconds"] >= 0
    assert client.get(f"/plans/{p1}/export.csv", headers=OFFICER_H).status_code == 409

    stopped = client.delete(f"/plans/{p1}", headers=OFFICER_H)
    assert stopped.status_code == 202 and stopped.json()["cancel_requested"] is True
    cancelled = wait_for(client, p1, FINAL, timeout=30)
    assert cancelled["status"] == "cancelled"
    assert cancelled["assignments"] > 0  # the best plan so far is kept
    kept = plan_from_downloads(held_service, p1)
    assert check_plan(tiny_dataset, kept, Policy()).ok

    wait_for(client, p3, {"running"})  # the freed worker takes the next in line
    p4 = start_plan(held_service, dataset_id)
    assert client.get(f"/plans/{p4}", headers=OFFICER_H).json()["status"] == "queued"
    never_run = client.delete(f"/plans/{p4}", headers=OFFICER_H).json()
    assert never_run["status"] == "cancelled" and never_run["started_at"] is None
    assert client.get(f"/plans/{p4}/export.xlsx", headers=OFFICER_H).status_code == 409

    for plan_id in (p2, p3):
        assert client.delete(f"/plans/{plan_id}", headers=OFFICER_H).status_code == 202
    for plan_id in (p2, p3):
        assert wait_for(client, plan_id, FINAL, timeout=30)["status"] == "cancelled"
    assert client.delete(f"/plans/{p1}", headers=OFFICER_H).status_code == 409
    assert client.get(f"/plans/{p4}", headers=OFFICER_H).json()["started_at"] is None


def test_a_viewer_cannot_plan_or_stop_plans(held_service: Service, tiny_xlsx: bytes) -> None:
    client = held_service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    url = f"/datasets/{dataset_id}/plans"
    assert client.post(url, json=plan_request(), headers=VIEWER_H).status_code == 403
    plan_id = start_plan(held_service, dataset_id)
    assert client.delete(f"/plans/{plan_id}", headers=VIEWER_H).status_code == 403
    assert client.get(f"/plans/{plan_id}", headers=VIEWER_H).status_code == 200
    assert client.delete(f"/plans/{plan_id}", headers=OFFICER_H).status_code == 202
    wait_for(client, plan_id, FINAL, timeout=30)


def test_a_crashed_servers_plans_run_again_under_the_next_server_once_their_lease_expires(
    new_database: Callable[[], str], tiny_xlsx: bytes
) -> None:
    # A lease long enough that the cancel below surely reaches p1 before it runs out, even
    # when the next server is slow to start on a loaded machine.
    settings = make_settings(new_database(), solve_entry=HELD_ENTRY, lease_seconds=8.0)
    with running_service(settings) as first:
        dataset_id = upload_xlsx(first.client, tiny_xlsx).json()["id"]
        p1, p2, p3 = (start_plan(first, dataset_id) for _ in range(3))
        wait_for(first.client, p1, {"running"})
        wait_for(first.client, p2, {"running"})
        # The server dies: its workers are gone and nothing releases the plans.
        first.app.state.runner.shutdown(release=False)
        assert first.client.get(f"/plans/{p1}", headers=OFFICER_H).json()["status"] == "running"
    with running_service(settings) as second:
        # A cancel reaches a plan whose server is gone: it ends when the lease runs out.
        assert second.client.delete(f"/plans/{p1}", headers=OFFICER_H).status_code == 202
        ended = wait_for(second.client, p1, FINAL, timeout=30)
        assert ended["status"] == "cancelled" and "租约" in (ended["error"] or ""), ended
        # The other plan is claimed again once its lease runs out, ahead of the one waiting.
        deadline = time.monotonic() + 30
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            body = second.client.get(f"/plans/{p2}", headers=OFFICER_H).json()
            if body["status"] == "running" and body["attempts"] == 2:
                break
            time.sleep(0.1)
        assert body["status"] == "running" and body["attempts"] == 2, body
        wait_for(second.client, p3, {"running"})  # two workers: the next in line runs too
        for plan_id in (p2, p3):
            second.client.delete(f"/plans/{plan_id}", headers=OFFICER_H)
        for plan_id in (p2, p3):
            assert wait_for(second.client, plan_id, FINAL, timeout=30)["status"] == "cancelled"


def test_stopping_the_server_queues_its_running_plan_again_for_the_next_server(
    new_database: Callable[[], str], tiny_xlsx: bytes
) -> None:
    settings = make_settings(new_database(), solve_entry=HELD_ENTRY, workers=1)
    with running_service(settings) as first:
        dataset_id = upload_xlsx(first.client, tiny_xlsx).json()["id"]
        plan_id = start_plan(first, dataset_id)
        wait_for(first.client, plan_id, {"running"})
    with running_service(settings) as second:
        body = second.client.get(f"/plans/{plan_id}", headers=OFFICER_H).json()
        assert body["status"] in {"queued", "running"}, body
        assert "服务停止" in body["progress"]["message"] or body["attempts"] == 2
        running = wait_for(second.client, plan_id, {"running"})
        assert running["attempts"] == 2
        second.client.delete(f"/plans/{plan_id}", headers=OFFICER_H)
        assert wait_for(second.client, plan_id, FINAL, timeout=30)["status"] == "cancelled"


def test_the_plan_result_carries_the_principal_exchange_and_the_checker_accepts_it(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    from rotation.principals import PrincipalExchange, leader_table

    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    plan_id = start_plan(service, dataset_id)
    body = wait_for(service.client, plan_id, FINAL)
    assert body["status"] == "done", body
    got = service.client.get(f"/plans/{plan_id}/principals", headers=VIEWER_H)
    assert got.status_code == 200
    ex = PrincipalExchange.model_validate(got.json())
    assert ex == PrincipalExchange.model_validate(body["metrics"]["principal_exchange"])
    due = {tid for tid, st in leader_table(tiny_dataset, 2026, Policy()).items() if st.due}
    assert due and ex.due == len(due)
    moved = {m.teacher_id for m in ex.moves if m.kind.leaves_school}
    assert moved | {n.teacher_id for n in ex.not_moved} == due
    rebuilt = plan_from_downloads(service, plan_id).model_copy(update={"principals": ex})
    report = check_plan(tiny_dataset, rebuilt, Policy())
    assert report.ok, report.summary_zh()
    workbook = service.client.get(f"/plans/{plan_id}/export.xlsx", headers=VIEWER_H)
    assert "校长交流" in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
