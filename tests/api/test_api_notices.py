"""The plan's papers from the service: the 交流通知书 (one PDF, a page per moved teacher, or a
zip of one PDF each) and the 公示名单, printed by the function `rotation notices` uses; officers
read both, viewers the public list only; every download is audited."""

from __future__ import annotations

import io
import re
import zipfile

from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, upload_xlsx, wait_for
from pypdf import PdfReader


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def _done_plan(service: Service, tiny_xlsx: bytes, county: str) -> tuple[int, list[dict]]:
    dataset = upload_xlsx(service.client, tiny_xlsx, name=f"{county}.xlsx").json()
    response = service.client.post(
        f"/datasets/{dataset['id']}/plans", json=plan_request(), headers=OFFICER_H
    )
    assert response.status_code == 202, response.text
    plan_id = int(response.json()["id"])
    wait_for(service.client, plan_id, {"done"}, timeout=180)
    moves = service.client.get(f"/plans/{plan_id}/assignments", headers=OFFICER_H).json()
    assert moves["total"] > 0, "the tiny county moves somebody"
    return plan_id, moves["items"]


def test_an_officer_gets_a_notice_page_per_moved_teacher_and_each_as_its_own_pdf(
    service: Service, tiny_xlsx: bytes
) -> None:
    plan_id, moves = _done_plan(service, tiny_xlsx, "notices-county")
    params = {"contact": "人事股 0753-1234567", "issued": "2026-06-15"}
    response = service.client.get(f"/plans/{plan_id}/notices.pdf", params=params, headers=OFFICER_H)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="plan-{plan_id}-notices.pdf"' in response.headers["content-disposition"]
    pages = _pages(response.content)
    assert len(pages) == len(moves)
    for move, page in zip(sorted(moves, key=lambda m: m["teacher_id"]), pages, strict=True):
        flat = page.replace("\n", "")
        assert move["name"] in flat
        assert "0753-1234567" in flat and "2026年06月15日" in flat

    one = moves[0]
    single = service.client.get(
        f"/plans/{plan_id}/notices.pdf", params={"teacher_id": one["teacher_id"]}, headers=OFFICER_H
    )
    assert single.status_code == 200, single.text
    assert [one["name"] in p.replace("\n", "") for p in _pages(single.content)] == [True]
    missing = service.client.get(
        f"/plans/{plan_id}/notices.pdf", params={"teacher_id": "T999999"}, headers=OFFICER_H
    )
    assert missing.status_code == 404

    zipped = service.client.get(f"/plans/{plan_id}/notices.zip", headers=OFFICER_H)
    assert zipped.status_code == 200, zipped.text
    assert zipped.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        names = archive.namelist()
        assert sorted(n.split("-")[0].removesuffix(".pdf") for n in names) == sorted(
            m["teacher_id"] for m in moves
        )
        for name in names:
            text = "".join(_pages(archive.read(name))).replace("\n", "")
            teacher = name.split("-")[0].removesuffix(".pdf")
            assert next(m["name"] for m in moves if m["teacher_id"] == teacher) in text


def test_the_public_list_has_every_move_and_no_birth_date_age_or_score_and_viewers_may_read_it(
    service: Service, tiny_xlsx: bytes
) -> None:
    plan_id, moves = _done_plan(service, tiny_xlsx, "public-county")
    teachers = service.client.get(
        "/datasets/{}/teachers".format(
            service.client.get(f"/plans/{plan_id}", headers=OFFICER_H).json()["dataset_id"]
        ),
        params={"limit": 500},
        headers=OFFICER_H,
    ).json()["items"]
    births = {t["teacher_id"]: t.get("birth_date") for t in teachers}
    assert all(births.get(m["teacher_id"]) for m in moves), "officers see the birth dates"
    for headers in (OFFICER_H, VIEWER_H):
        response = service.client.get(f"/plans/{plan_id}/public-list.pdf", headers=headers)
        assert response.status_code == 200, response.text
        text = "".join(_pages(response.content))
        assert f"共 {len(moves)} 人" in text
        for move in moves:
            assert move["name"] in text
            birth = str(births[move["teacher_id"]])
            assert birth not in text and f"{birth[:4]}年{int(birth[5:7])}月" not in text
        assert not re.search(r"\d{2}岁", text)
        assert "评价" not in text and "分数" not in text

    assert service.client.get(f"/plans/{plan_id}/notices.pdf", headers=VIEWER_H).status_code == 403
    assert service.client.get(f"/plans/{plan_id}/notices.zip", headers=VIEWER_H).status_code == 403


def test_every_download_of_the_papers_is_in_the_audit_log(
    service: Service, tiny_xlsx: bytes
) -> None:
    plan_id, moves = _done_plan(service, tiny_xlsx, "audit-papers")
    service.client.get(f"/plans/{plan_id}/public-list.pdf", headers=VIEWER_H)
    service.client.get(
        f"/plans/{plan_id}/notices.pdf",
        params={"teacher_id": moves[0]["teacher_id"]},
        headers=OFFICER_H,
    )
    service.client.get(f"/plans/{plan_id}/notices.zip", headers=OFFICER_H)
    log = service.client.get(
        "/audit",
        params={"object_kind": "plan", "object_id": str(plan_id), "action": "exported"},
        headers=OFFICER_H,
    ).json()
    details = [item["detail"] for item in log["items"]]
    assert [d["format"] for d in details] == ["notices.zip", "notices.pdf", "public_list.pdf"]
    assert details[1]["teacher_id"] == moves[0]["teacher_id"]
    assert all(d["official"] is False for d in details)


def test_a_published_plans_papers_are_named_official(service: Service, tiny_xlsx: bytes) -> None:
    plan_id, _ = _done_plan(service, tiny_xlsx, "official-papers")
    assert service.client.post(f"/plans/{plan_id}/publish", headers=OFFICER_H).status_code == 200
    response = service.client.get(f"/plans/{plan_id}/public-list.pdf", headers=OFFICER_H)
    assert response.status_code == 200
    assert (
        f'filename="plan-{plan_id}-official-public_list.pdf"'
        in response.headers["content-disposition"]
    )
    log = service.client.get(
        "/audit",
        params={"object_kind": "plan", "object_id": str(plan_id), "action": "exported"},
        headers=OFFICER_H,
    ).json()
    assert log["items"][0]["detail"]["official"] is True


def test_a_plan_without_a_result_has_no_papers(service: Service) -> None:
    assert service.client.get("/plans/999999/public-list.pdf", headers=OFFICER_H).status_code == 404
    assert service.client.get("/plans/999999/notices.pdf", headers=OFFICER_H).status_code == 404
