"""The API's ``rotation apply``: the published (or a given) plan becomes next school year's
roster, stored as a new snapshot of the same county and recorded in the audit log."""

from __future__ import annotations

from typing import Any

from api_test_support import OFFICER_H, VIEWER_H, Service, upload_xlsx
from test_api_publication import done_plan


def all_teachers(service: Service, dataset_id: int, year: int) -> dict[str, dict[str, Any]]:
    page = service.client.get(
        f"/datasets/{dataset_id}/teachers",
        params={"limit": 1000, "year": year},
        headers=OFFICER_H,
    ).json()
    assert page["total"] == len(page["items"])
    return {t["teacher_id"]: t for t in page["items"]}


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
    response = service.client.post(f"/datasets/{source['id']}/apply", headers=OFFICER_H)
    assert response.status_code == 201, response.text
    body = response.json()
    new = body["dataset"]
    assert body["plan_id"] == plan_id and body["published"] is True
    assert new["id"] != source["id"]
    assert new["county"] == "apply-county"
    assert new["year"] == 2027
    assert (new["teachers"], new["schools"]) == (source["teachers"], source["schools"])
    away = [m for m in moves if m["end_year"] >= 2027]
    assert body["applied"]["started"] == len(away)
    assert body["applied"]["returned"] == len(moves) - len(away)

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
    listed = service.client.get(
        "/datasets", params={"county": "apply-county"}, headers=VIEWER_H
    ).json()
    assert {d["id"] for d in listed} == {source["id"], new["id"]}

    entry = service.client.get(
        "/audit", params={"action": "applied", "object_id": str(plan_id)}, headers=OFFICER_H
    ).json()["items"]
    assert len(entry) == 1
    assert entry[0]["object_kind"] == "plan"
    assert entry[0]["detail"]["dataset_id"] == source["id"]
    assert entry[0]["detail"]["new_dataset_id"] == new["id"]
    assert entry[0]["detail"]["official"] is True


def test_apply_needs_a_published_plan_or_one_of_this_dataset(
    service: Service, tiny_xlsx: bytes
) -> None:
    first = upload_xlsx(service.client, tiny_xlsx, name="apply-other.xlsx").json()
    second = upload_xlsx(service.client, tiny_xlsx, name="apply-other.xlsx").json()
    nothing_published = service.client.post(f"/datasets/{first['id']}/apply", headers=OFFICER_H)
    assert nothing_published.status_code == 409
    assert "plan_id" in nothing_published.json()["detail"]
    plan_id = done_plan(service, first["id"])
    elsewhere = service.client.post(
        f"/datasets/{second['id']}/apply", json={"plan_id": plan_id}, headers=OFFICER_H
    )
    assert elsewhere.status_code == 422
    county = {"county": "apply-other"}
    listed = service.client.get("/datasets", params=county, headers=OFFICER_H).json()
    assert {d["id"] for d in listed} == {first["id"], second["id"]}, "nothing stored"

    given = service.client.post(
        f"/datasets/{first['id']}/apply", json={"plan_id": plan_id}, headers=OFFICER_H
    )
    assert given.status_code == 201, given.text
    assert given.json()["published"] is False
    assert given.json()["dataset"]["year"] == 2027
    listed = service.client.get("/datasets", params=county, headers=OFFICER_H).json()
    assert len(listed) == 3
