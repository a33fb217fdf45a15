"""The read endpoints the web console uses: the caller's role, the county by school and by
teacher with eligibility reasons, the policy form and its check, a plan's moves sorted and
filtered, its indicators and picture, a re-plan warm-started from it, and the diff."""

from __future__ import annotations

from typing import Any

import pytest
from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, upload_xlsx, wait_for

FINAL = {"done", "failed", "cancelled", "interrupted"}


@pytest.fixture(scope="module")
def planned(service: Service, tiny_xlsx: bytes) -> dict[str, int]:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    plan = service.client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(), headers=OFFICER_H
    ).json()
    assert wait_for(service.client, plan["id"], FINAL)["status"] == "done"
    return {"dataset": dataset_id, "plan": plan["id"]}


def get(service: Service, path: str, headers: dict[str, str] = OFFICER_H) -> Any:
    response = service.client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_session_names_the_tokens_role(service: Service) -> None:
    assert get(service, "/session")["can_edit"] is True
    viewer = get(service, "/session", VIEWER_H)
    assert (viewer["role"], viewer["can_edit"], viewer["sees_birth_dates"]) == (
        "viewer",
        False,
        False,
    )
    assert service.client.get("/session").status_code == 401


def test_the_console_page_and_its_vendored_chart_library_are_served(service: Service) -> None:
    page = service.client.get("/")
    assert page.status_code == 200 and "/console/static/js/app.js" in page.text
    lib = service.client.get("/console/static/vendor/echarts/echarts.esm.min.js")
    assert lib.status_code == 200 and "javascript" in lib.headers["content-type"]
    assert service.client.get("/console/static/vendor/echarts/LICENSE").status_code == 200


def test_the_console_loads_nothing_from_outside_the_app() -> None:
    from api.console import STATIC

    own = [p for p in STATIC.rglob("*") if p.is_file() and "vendor" not in p.parts]
    assert any(p.suffix == ".js" for p in own)
    for path in own:
        text = path.read_text(encoding="utf-8")
        for scheme in ("http://", "https://", "//cdn", "@import url"):
            assert scheme not in text, f"{path.name} refers to {scheme}"


def test_county_teachers_carry_their_reasons_and_only_officers_see_birth_dates(
    service: Service, planned: dict[str, int]
) -> None:
    path = f"/datasets/{planned['dataset']}/county/teachers?eligible=false&limit=1000"
    officer = get(service, path)
    assert officer["total"] > 0
    assert all(t["ineligible_reasons"] and not t["eligible"] for t in officer["items"])
    assert all(t["birth_date"] for t in officer["items"])
    viewer = get(service, path, VIEWER_H)
    assert [t["teacher_id"] for t in viewer["items"]] == [t["teacher_id"] for t in officer["items"]]
    assert all(t["birth_date"] is None for t in viewer["items"])


def test_county_filters_by_town_and_schools_carry_quota_and_indicators(
    service: Service, planned: dict[str, int]
) -> None:
    base = f"/datasets/{planned['dataset']}/county"
    overview = get(service, base)
    town = overview["filters"]["towns"][0]
    teachers = get(service, f"{base}/teachers?town={town}&limit=1000")
    assert teachers["total"] > 0 and {t["town"] for t in teachers["items"]} == {town}
    schools = get(service, f"{base}/schools?limit=1000")["items"]
    senders = [s for s in schools if s["role"] in ("sender", "both")]
    assert senders and all(s["quota_required"] is not None for s in senders)
    required = sum(s["quota_required"] for s in senders)
    assert required == overview["summary"]["quotas"]["county"]["required"]
    primary = [s for s in schools if s["stage"] == "primary"]
    assert primary and all(len(s["indicators"][0]["values"]) == 3 for s in primary)


def test_the_policy_check_names_the_parameter_and_says_why_in_chinese(service: Service) -> None:
    form = get(service, "/policy/form")
    fields = {f["name"]: f for g in form for f in g["fields"]}
    assert fields["rotation_rate"]["maximum"] == 1 and fields["quota_scope"]["kind"] == "choice"
    assert "weights.fill_need" in fields
    bad = service.client.post(
        "/policy/check",
        json={"overrides": {"rotation_rate": 2, "term_years": "三"}},
        headers=VIEWER_H,
    ).json()
    assert bad["ok"] is False
    assert bad["errors"]["rotation_rate"].startswith("应不大于 1")
    assert bad["errors"]["term_years"].startswith("应为整数")
    good = service.client.post(
        "/policy/check", json={"overrides": {"rotation_rate": 0.2}}, headers=OFFICER_H
    ).json()
    assert good == {"ok": True, "errors": {}, "policy_error": None}


def test_moves_sort_by_distance_and_filter_by_school(
    service: Service, planned: dict[str, int]
) -> None:
    base = f"/plans/{planned['plan']}/moves"
    rows = get(service, f"{base}?sort=distance_km&descending=true&limit=1000")["items"]
    distances = [r["distance_km"] for r in rows if r["distance_km"] is not None]
    assert rows and distances == sorted(distances, reverse=True)
    assert all(r["from_school"] and r["to_school"] for r in rows)
    school = rows[0]["to_school_id"]
    one = get(service, f"{base}?school_id={school}&limit=1000")["items"]
    assert one and all(school in (r["from_school_id"], r["to_school_id"]) for r in one)
    assert service.client.get(f"{base}?sort=birth_date", headers=OFFICER_H).status_code == 422


def test_the_plan_picture_counts_every_move_once(service: Service, planned: dict[str, int]) -> None:
    moves = get(service, f"/plans/{planned['plan']}/moves?limit=1000")["total"]
    picture = get(service, f"/plans/{planned['plan']}/map")
    drawn = sum(f["teachers"] for f in picture["flows"])
    assert drawn == moves
    assert (
        sum(s["sent"] for s in picture["schools"])
        + sum(s["sent"] for s in picture["without_coordinates"])
        == moves
    )


def test_indicators_after_the_plan_follow_the_moves(
    service: Service, planned: dict[str, int]
) -> None:
    data = get(service, f"/plans/{planned['plan']}/indicators")
    assert {r["stage"] for r in data["county"]} <= {"primary", "junior"}
    moved_to = {r["to_school_id"] for r in get(service, f"/plans/{planned['plan']}/moves")["items"]}
    changed = {
        s["school_id"]
        for s in data["schools"]
        if any(v["before"] != v["after"] for v in s["values"])
    }
    assert changed, "a plan that moves teachers changes some school's figures"
    assert changed <= moved_to | {
        r["from_school_id"] for r in get(service, f"/plans/{planned['plan']}/moves")["items"]
    }


def test_a_replan_keeps_a_teacher_home_starts_from_the_plan_and_the_diff_shows_it(
    service: Service, planned: dict[str, int]
) -> None:
    first = planned["plan"]
    moved = get(service, f"/plans/{first}/moves?limit=1")["items"][0]
    refused = service.client.post(
        f"/plans/{first}/replan",
        json={"locks": [{"kind": "stay", "teacher_id": moved["teacher_id"]}]},
        headers=VIEWER_H,
    )
    assert refused.status_code == 403
    accepted = service.client.post(
        f"/plans/{first}/replan",
        json={"locks": [{"kind": "stay", "teacher_id": moved["teacher_id"], "note": "留任"}]},
        headers=OFFICER_H,
    )
    assert accepted.status_code == 202, accepted.text
    second = accepted.json()["id"]
    run = wait_for(service.client, second, FINAL)
    assert run["status"] == "done" and run["options"]["hint_plan_id"] == first
    assert run["locks"] == 1
    diff = get(service, f"/plans/{first}/diff/{second}")
    assert moved["teacher_id"] in {m["teacher_id"] for m in diff["only_a"]}
    assert moved["teacher_id"] not in {m["teacher_id"] for m in diff["only_b"]}


def test_a_replan_with_an_unknown_teacher_is_refused(
    service: Service, planned: dict[str, int]
) -> None:
    response = service.client.post(
        f"/plans/{planned['plan']}/replan",
        json={"locks": [{"kind": "stay", "teacher_id": "NOBODY"}]},
        headers=OFFICER_H,
    )
    assert response.status_code == 422
    assert "NOBODY" in str(response.json()["detail"])


def test_the_indicators_name_each_county_cv_the_plan_raises(
    service: Service, planned: dict[str, int]
) -> None:
    data = get(service, f"/plans/{planned['plan']}/indicators")
    risen = [
        r
        for r in data["county"]
        if r["cv_before"] is not None and r["cv_after"] > r["cv_before"] + 0.0005
    ]
    assert risen, "the tiny county's plan spreads some indicator further"
    assert len(data["warnings"]) == len(risen)
    for row, warning in zip(risen, data["warnings"], strict=True):
        assert f"{row['cv_before']:.3f} 升至 {row['cv_after']:.3f}" in warning
        assert f"the {row['stage']} {row['indicator']} CV rises" in warning


def test_the_vocabulary_names_the_audit_actions_objects_and_unfilled_causes(
    service: Service,
) -> None:
    words = get(service, "/vocabulary", VIEWER_H)
    assert words["audit_action"]["published"] == "发布"
    assert words["audit_object"]["plan"] == "方案"
    assert words["unfilled_cause"]["distance_limit"] == "距离上限"
