"""The API's ``rotation apply``, a job like every other long task: the published (or a given)
plan becomes next school year's roster, stored as a new snapshot of the same county and
recorded in the audit log; the job reports its steps, can be cancelled queued or running
(nothing stored), runs again when its server vanished (stored once), and ``?wait=`` keeps
the synchronous answer of before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from api_test_support import (
    OFFICER_H,
    VIEWER_H,
    Service,
    plan_request,
    poll_status,
    upload_xlsx,
    wait_for,
)
from sqlalchemy import text
from sqlmodel import Session
from test_api_publication import done_plan

from api.db import make_engine
from api.jobs.store import Claim, request_cancel
from api.jobs.task import TaskConfig, run_claimed_job
from api.tables import RUNNING, JobRun, utcnow

FINAL = {"done", "failed", "cancelled", "interrupted"}


def all_teachers(service: Service, dataset_id: int, year: int) -> dict[str, dict[str, Any]]:
    page = service.client.get(
        f"/datasets/{dataset_id}/teachers",
        params={"limit": 1000, "year": year},
        headers=OFFICER_H,
    ).json()
    assert page["total"] == len(page["items"])
    return {t["teacher_id"]: t for t in page["items"]}


def start_apply(client: Any, dataset_id: int, plan_id: int | None = None) -> int:
    body = {"plan_id": plan_id} if plan_id is not None else None
    response = client.post(f"/datasets/{dataset_id}/apply", json=body, headers=OFFICER_H)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["kind"] == "apply" and accepted["status"] == "queued"
    assert response.headers["location"].endswith(f"/apply/{accepted['id']}")
    return int(accepted["id"])


def wait_apply(client: Any, job_id: int, statuses: set[str] = FINAL) -> dict[str, Any]:
    return poll_status(client, f"/apply/{job_id}", statuses, timeout=60)


def county_snapshots(client: Any, county: str) -> set[int]:
    listed = client.get("/datasets", params={"county": county}, headers=OFFICER_H).json()
    return {d["id"] for d in listed}


def test_publish_then_apply_gives_next_years_roster_with_the_exchanges_recorded(
    service: Service, tiny_xlsx: bytes
) -> None:
    source = upload_xlsx(service.client, tiny_xlsx, name="apply-county.xlsx").json()
    plan_id = done_plan(service, source["id"])
    moves = service.client.get(
        f"/plans/{plan_id}/assignments", params={"limit": 5000}, headers=OFFICER_H
    ).json()["items"]
    assert moves, "the tiny county's plan moves someone"
    assert service.client.post(f"/plans/{plan_id}/publish", headers=OFFICER_H).status_code == 200

    assert (
        service.client.post(f"/datasets/{source['id']}/apply", headers=VIEWER_H).status_code == 403
    )
    job_id = start_apply(service.client, source["id"])
    body = wait_apply(service.client, job_id)
    assert body["status"] == "done", body
    assert body["progress"]["phase"] == "done"
    assert (body["progress"]["step"], body["progress"]["steps"]) == (4, 4)
    assert body["attempts"] == 1 and body["findings"] == []
    new = body["dataset"]
    assert body["plan_id"] == plan_id and body["published"] is True
    assert new["id"] != source["id"]
    assert new["county"] == "apply-county"
    assert new["year"] == 2027
    assert (new["teachers"], new["schools"]) == (source["teachers"], source["schools"])
    away = [m for m in moves if m["end_year"] >= 2027]
    assert body["applied"]["started"] == len(away)
    assert body["applied"]["returned"] == len(moves) - len(away)
    # the one queue lists it; a viewer reads it without the name of who asked
    listed = service.client.get("/jobs", params={"kind": "apply"}, headers=VIEWER_H).json()
    assert job_id in {j["id"] for j in listed}
    seen = service.client.get(f"/apply/{job_id}", headers=VIEWER_H).json()
    assert seen["dataset"]["id"] == new["id"] and "requested_by" not in seen["params"]
    assert service.client.delete(f"/apply/{job_id}", headers=OFFICER_H).status_code == 409

    # the moved teachers serve at their new schools until the term ends, and are not
    # eligible again while they do; the others are as they were
    before = all_teachers(service, source["id"], 2026)
    after = all_teachers(service, new["id"], 2027)
    assert set(after) == set(before)
    for m in away:
        t = after[m["teacher_id"]]
        assert t["school_id"] == m["from_school_id"]
        assert (t["exchange_school_id"], t["exchange_end_year"]) == (
            m["to_school_id"],
            m["end_year"],
        )
        assert t["eligible"] is False
        assert any("正在交流期内" in r for r in t["ineligible_reasons"])
    moved = {m["teacher_id"] for m in moves}
    assert all(after[t]["exchange_school_id"] is None for t in after if t not in moved)

    # the plan's principal exchange too: a leader holds the post at the new school from 2026
    leaders = service.client.get(f"/plans/{plan_id}/principals", headers=OFFICER_H).json()
    leaving = [m for m in leaders["moves"] if m["kind"] != "promoted_in_place"]
    assert leaving, "the tiny county's plan moves a leader"
    assert body["applied"]["leaders_moved"] == len(leaving)
    assert body["applied"]["leaders_due"] == leaders["due"]
    for m in leaving:
        t = after[m["teacher_id"]]
        assert (t["school_id"], t["school_start_year"]) == (m["to_school_id"], 2026)
        assert t["exchange_school_id"] is None

    # the new snapshot's check-data summary counts them as on an exchange
    summary = new["summary"]
    assert summary["year"] == 2027
    assert summary["teachers"]["total"] == source["teachers"]
    on_exchange = sum(
        n
        for reason, n in summary["eligible"]["ineligible_reasons"].items()
        if "正在交流期内" in reason
    )
    assert on_exchange == len(away)
    assert county_snapshots(service.client, "apply-county") == {source["id"], new["id"]}

    entry = service.client.get(
        "/audit", params={"action": "applied", "object_id": str(plan_id)}, headers=OFFICER_H
    ).json()["items"]
    assert len(entry) == 1
    assert entry[0]["object_kind"] == "plan"
    assert entry[0]["actor"] != ""
    assert entry[0]["detail"]["dataset_id"] == source["id"]
    assert entry[0]["detail"]["new_dataset_id"] == new["id"]
    assert entry[0]["detail"]["official"] is True
    assert entry[0]["detail"]["job_id"] == job_id
    # the entry keeps every count of the apply, the principal exchange's too
    assert entry[0]["detail"]["leaders_moved"] == body["applied"]["leaders_moved"]
    assert entry[0]["detail"]["started"] == body["applied"]["started"]


def test_apply_needs_a_published_plan_or_one_of_this_dataset_and_can_still_be_waited_for(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    first = upload_xlsx(client, tiny_xlsx, name="apply-other.xlsx").json()
    second = upload_xlsx(client, tiny_xlsx, name="apply-other.xlsx").json()
    nothing_published = client.post(f"/datasets/{first['id']}/apply", headers=OFFICER_H)
    assert nothing_published.status_code == 409
    assert "plan_id" in nothing_published.json()["detail"]
    plan_id = done_plan(service, first["id"])
    elsewhere = client.post(
        f"/datasets/{second['id']}/apply", json={"plan_id": plan_id}, headers=OFFICER_H
    )
    assert elsewhere.status_code == 422
    assert county_snapshots(client, "apply-other") == {first["id"], second["id"]}, "no job"
    assert client.get("/apply", params={"dataset_id": second["id"]}, headers=OFFICER_H).json() == []

    # ?wait= answers as the route did before it was a job
    given = client.post(
        f"/datasets/{first['id']}/apply",
        params={"wait": 60},
        json={"plan_id": plan_id},
        headers=OFFICER_H,
    )
    assert given.status_code == 201, given.text
    assert given.json()["published"] is False
    assert given.json()["dataset"]["year"] == 2027
    job = client.get(f"/apply/{given.json()['job_id']}", headers=OFFICER_H).json()
    assert job["status"] == "done" and job["dataset"]["id"] == given.json()["dataset"]["id"]
    assert len(county_snapshots(client, "apply-other")) == 3
    too_long = client.post(f"/datasets/{first['id']}/apply", params={"wait": 1000},
                           json={"plan_id": plan_id}, headers=OFFICER_H)  # fmt: skip
    assert too_long.status_code == 422


def test_a_plan_that_breaks_a_rule_is_not_applied_and_its_violations_are_the_result(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    source = upload_xlsx(client, tiny_xlsx, name="apply-spoiled.xlsx").json()
    plan_id = done_plan(service, source["id"])
    engine = make_engine(service.settings.database_url)
    with engine.begin() as conn:  # one move now goes to the school the teacher is at
        conn.execute(
            text(
                "UPDATE assignment SET to_school_id = from_school_id WHERE id = "
                "(SELECT MIN(id) FROM assignment WHERE plan_id = :p)"
            ),
            {"p": plan_id},
        )
    engine.dispose()
    job = wait_apply(client, start_apply(client, source["id"], plan_id))
    assert job["status"] == "done" and job["dataset"] is None and job["applied"] is None
    assert job["findings"] and all(f["rule"] for f in job["findings"])
    assert "未落实" in job["progress"]["message"]
    waited = client.post(f"/datasets/{source['id']}/apply", params={"wait": 60},
                         json={"plan_id": plan_id}, headers=OFFICER_H)  # fmt: skip
    assert waited.status_code == 422, waited.text
    assert "未落实" in waited.json()["detail"]
    assert waited.json()["findings"] == job["findings"]
    assert county_snapshots(client, "apply-spoiled") == {source["id"]}, "nothing stored"


def test_a_queued_apply_is_cancelled_never_runs_and_a_plan_is_applied_once_at_a_time(
    held_service: Service, tiny_xlsx: bytes
) -> None:
    client = held_service.client
    source = upload_xlsx(client, tiny_xlsx, name="apply-queued.xlsx").json()
    # a held solve, stopped, keeps its best plan: a plan with a result to apply
    first = client.post(f"/datasets/{source['id']}/plans", json=plan_request(), headers=OFFICER_H)
    plan_id = first.json()["id"]
    wait_for(client, plan_id, {"running"})
    client.delete(f"/plans/{plan_id}", headers=OFFICER_H)
    assert wait_for(client, plan_id, FINAL, timeout=60)["status"] == "cancelled"
    busy = []
    for _ in range(held_service.settings.workers):  # every worker busy with a held solve
        response = client.post(
            f"/datasets/{source['id']}/plans", json=plan_request(), headers=OFFICER_H
        )
        busy.append(response.json()["id"])
    for held in busy:
        wait_for(client, held, {"running"})

    job_id = start_apply(client, source["id"], plan_id)
    waiting = client.get(f"/apply/{job_id}", headers=OFFICER_H).json()
    assert waiting["status"] == "queued" and waiting["queue_position"] >= 1
    again = client.post(
        f"/datasets/{source['id']}/apply", json={"plan_id": plan_id}, headers=OFFICER_H
    )
    assert again.status_code == 409 and f"任务 {job_id}" in again.json()["detail"]
    assert client.delete(f"/apply/{job_id}", headers=VIEWER_H).status_code == 403
    stopped = client.delete(f"/apply/{job_id}", headers=OFFICER_H)
    assert stopped.status_code == 202
    assert stopped.json()["status"] == "cancelled" and stopped.json()["cancel_requested"]
    # stopped, it no longer holds the plan; the one queue's DELETE stops the next one too
    next_id = start_apply(client, source["id"], plan_id)
    through_jobs = client.delete(f"/jobs/{next_id}", headers=OFFICER_H)
    assert through_jobs.status_code == 202, through_jobs.text
    assert through_jobs.json()["status"] == "cancelled"

    for held in busy:
        client.delete(f"/plans/{held}", headers=OFFICER_H)
    for held in busy:
        wait_for(client, held, FINAL, timeout=30)
    for stopped_id in (job_id, next_id):
        after = client.get(f"/apply/{stopped_id}", headers=OFFICER_H).json()
        assert after["status"] == "cancelled" and after["started_at"] is None
        assert after["dataset"] is None
    assert county_snapshots(client, "apply-queued") == {source["id"]}


def test_a_running_apply_stops_at_its_next_step_and_a_vanished_servers_runs_again_once(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    source = upload_xlsx(client, tiny_xlsx, name="apply-again.xlsx").json()
    plan_id = done_plan(service, source["id"])
    params = {"plan_id": plan_id, "requested_by": "王老师"}
    url = service.settings.database_url
    engine = make_engine(url)

    def running(**claim: Any) -> int:
        """An apply job left running under a claim (attempt 1) of another server."""
        with Session(engine) as session:
            job = JobRun(kind="apply", dataset_id=source["id"], year=2026, status=RUNNING,
                         attempts=1, lease_owner="elsewhere", **claim, params=params)  # fmt: skip
            session.add(job)
            session.commit()
            assert job.id is not None
            return job.id

    # cancelled while it checks the plan: it stops before building the roster
    stopped_id = running(lease_expires_at=utcnow() + timedelta(minutes=5))
    assert request_cancel(engine, stopped_id) == "running"
    claim = Claim(stopped_id, "apply", 1)
    assert run_claimed_job(TaskConfig(database_url=url), claim) == "cancelled"
    stopped = client.get(f"/apply/{stopped_id}", headers=OFFICER_H).json()
    assert stopped["progress"]["phase"] == "stopped" and stopped["dataset"] is None
    assert county_snapshots(client, "apply-again") == {source["id"]}

    # the server that ran it vanished: once the lease has run out it runs again, here
    crashed_id = running(lease_expires_at=None)
    engine.dispose()
    again = wait_apply(client, crashed_id)
    assert again["status"] == "done" and again["attempts"] == 2
    assert county_snapshots(client, "apply-again") == {source["id"], again["dataset"]["id"]}
    entries = client.get(
        "/audit", params={"action": "applied", "object_id": str(plan_id)}, headers=OFFICER_H
    ).json()["items"]
    assert [e["actor"] for e in entries] == ["王老师"]
