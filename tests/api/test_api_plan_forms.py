"""The plan's forms of exchange besides the transfer as the console reads them: the 走教
schedule per teacher with the hour needs covered and left (officer and viewer), the principal
exchange with every leader not moved and why, the moves filtered by form (支教), and the
跟岗学习 placements with the move covering each."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, upload_xlsx, wait_for

FINAL = {"done", "failed", "cancelled", "interrupted"}


@pytest.fixture(scope="module")
def planned(service: Service, tiny_xlsx: bytes) -> dict[str, Any]:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    plan = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(), headers=OFFICER_H
    ).json()
    body = wait_for(service.client, plan["id"], FINAL)
    assert body["status"] == "done", body
    return body


def get(service: Service, path: str, headers: dict[str, str] = OFFICER_H) -> Any:
    response = service.client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_itinerant_schedule_gives_each_teachers_week_and_every_need_left(
    service: Service, planned: dict[str, Any]
) -> None:
    plan_id = planned["id"]
    stored = planned["metrics"]["itinerant"]
    body = get(service, f"/plans/{plan_id}/itinerant?limit=1000")
    teachers = body["teachers"]["items"]
    assert teachers and body["teachers"]["total"] == len(teachers)
    # every visit of the stored schedule, once, under its teacher, Monday first
    visits = Counter(
        (v["teacher_id"], v["school_id"], v["day"], v["hours"]) for v in stored["visits"]
    )
    shown = Counter(
        (r["teacher_id"], d["school_id"], d["day"], d["hours"]) for r in teachers for d in r["days"]
    )
    assert shown == visits
    for r in teachers:
        assert r["weekly_hours"] == sum(d["hours"] for d in r["days"])
        assert r["schools"] == len({d["school_id"] for d in r["days"]})
        days = [d["day"] for d in r["days"]]
        assert days == sorted(days, key=["mon", "tue", "wed", "thu", "fri"].index)
        assert r["home_school"] and all(d["school"] for d in r["days"])
    figures = body["figures"]
    assert sum(r["weekly_hours"] for r in teachers) == figures["hours_covered"]
    assert sum(n["by_itinerant"] for n in body["needs"]) == figures["hours_covered"]
    assert sum(n["open"] for n in body["needs"]) == figures["hours_open"]
    assert body["needs_open"] == sum(n["open"] > 0 for n in body["needs"])
    for n in body["needs"]:
        assert n["open"] == max(0, n["hours"] - n["by_transfer"] - n["by_itinerant"])
    assert body["summary_zh"].startswith("走教")

    # paged, and found by name
    page = get(service, f"/plans/{plan_id}/itinerant?offset=1&limit=1")["teachers"]
    assert page["total"] == len(teachers) and page["items"] == teachers[1:2]
    one = teachers[0]
    found = get(service, f"/plans/{plan_id}/itinerant?q={one['name']}")["teachers"]["items"]
    assert one in found and all(one["name"] in r["name"] for r in found)

    # a viewer reads the same schedule: names and schools as on the moves list, nothing more
    viewer = get(service, f"/plans/{plan_id}/itinerant?limit=1000", VIEWER_H)
    assert viewer == body
    assert not re.search(r"birth|出生|\d+岁|score", str(viewer))
    assert service.client.get(f"/plans/{plan_id}/itinerant").status_code == 401
    assert service.client.get("/plans/999999/itinerant", headers=OFFICER_H).status_code == 404


def test_the_leaders_view_tells_every_leader_moved_promoted_or_not_and_why(
    service: Service, planned: dict[str, Any], tiny_dataset: Any
) -> None:
    from rotation.principals import is_leader

    plan_id = planned["id"]
    exchange = get(service, f"/plans/{plan_id}/principals")
    body = get(service, f"/plans/{plan_id}/leaders", VIEWER_H)
    assert (body["due"], body["moved"], body["required"]) == (
        exchange["due"],
        exchange["moved"],
        exchange["required"],
    )
    leaving = {m["teacher_id"] for m in body["moves"] if m["kind"] != "promoted_in_place"}
    stays = [r["teacher_id"] for r in body["stays"]]
    leaders = {t.teacher_id for t in tiny_dataset.teachers if is_leader(t)}
    assert len(stays) == len(set(stays)) and leaving.isdisjoint(stays)
    assert leaving | set(stays) == leaders, "every leader is told: moved, or stays and why"
    assert all(r["reason_zh"] and r["reason_en"] for r in body["stays"])
    due_stays = [r for r in body["stays"] if r["due"]]
    assert (
        len(due_stays) == len(exchange["not_moved"])
        and body["stays"][: len(due_stays)] == due_stays
    )
    names = {s.school_id: s.name for s in tiny_dataset.schools}
    for m in body["moves"]:
        assert (m["from_school"], m["to_school"]) == (
            names[m["from_school_id"]],
            names[m["to_school_id"]],
        )


def test_the_moves_filter_by_form_and_carry_it(service: Service, planned: dict[str, Any]) -> None:
    plan_id = planned["id"]
    every = get(service, f"/plans/{plan_id}/moves?limit=1000")
    support = get(service, f"/plans/{plan_id}/moves?form=support&limit=1000")
    transfer = get(service, f"/plans/{plan_id}/moves?form=transfer&limit=1000")
    assert support["total"] == planned["metrics"]["support_moved"]
    assert support["total"] + transfer["total"] == every["total"] == planned["assignments"]
    assert all(r["form"] == "support" for r in support["items"])
    assert all(r["form"] == "transfer" for r in transfer["items"])
    refused = service.client.get(f"/plans/{plan_id}/moves?form=holiday", headers=OFFICER_H)
    assert refused.status_code == 422


def test_the_shadowing_view_counts_the_applicants_and_the_placements(
    service: Service, planned: dict[str, Any], tiny_dataset: Any
) -> None:
    body = get(service, f"/plans/{planned['id']}/shadowing/covers", VIEWER_H)
    assert body["placed"] == planned["metrics"]["shadowing_placed"] == len(body["placements"])
    assert body["applicants"] == sum(t.seeks_shadowing for t in tiny_dataset.teachers)
    assert len(get(service, f"/plans/{planned['id']}/shadowing")) == body["placed"]
