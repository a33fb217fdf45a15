"""Every export of a published plan carries its 正式方案 stamp: the workbook (方案性质 row),
the 交流通知书 and the 公示名单 printed by the service (on every page), each named
``…-official``; the papers of a plan not published carry none."""

from __future__ import annotations

import io

from api_test_support import OFFICER_H, VIEWER_H, Service, upload_xlsx
from openpyxl import load_workbook
from pypdf import PdfReader
from test_api_publication import done_plan


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_every_export_of_a_published_plan_is_stamped_and_a_drafts_papers_are_not(
    service: Service, tiny_xlsx: bytes
) -> None:
    dataset = upload_xlsx(service.client, tiny_xlsx, name="papers-county.xlsx").json()
    plan_id = done_plan(service, dataset["id"])
    moved = service.client.get(f"/plans/{plan_id}/assignments", headers=VIEWER_H).json()["total"]
    assert moved > 0

    draft = service.client.get(f"/plans/{plan_id}/notices.pdf", headers=OFFICER_H)
    assert draft.status_code == 200, draft.text
    assert draft.headers["content-type"] == "application/pdf"
    assert f'filename="plan-{plan_id}-notices.pdf"' in draft.headers["content-disposition"]
    assert len(pages(draft.content)) == moved
    assert not any("正式方案" in p for p in pages(draft.content))

    published = service.client.post(f"/plans/{plan_id}/publish", headers=OFFICER_H).json()
    stamp_start = "正式方案：papers-county 2026 学年"
    assert published["stamp"].startswith(stamp_start)

    for paper, path, caller in (
        ("notices", "notices.pdf", OFFICER_H),
        ("public_list", "public-list.pdf", VIEWER_H),
    ):
        response = service.client.get(
            f"/plans/{plan_id}/{path}", params={"bureau": "样本县教育局"}, headers=caller
        )
        assert response.status_code == 200, response.text
        name = f'filename="plan-{plan_id}-official-{paper}.pdf"'
        assert name in response.headers["content-disposition"]
        text = pages(response.content)
        assert text and all(stamp_start in p for p in text), paper
        assert "样本县教育局" in text[-1]

    workbook = service.client.get(f"/plans/{plan_id}/export.xlsx", headers=VIEWER_H)
    assert f"plan-{plan_id}-official.xlsx" in workbook.headers["content-disposition"]
    overview = load_workbook(io.BytesIO(workbook.content))["方案概况"]
    assert overview["A2"].value == "方案性质"
    assert str(overview["B2"].value).startswith(stamp_start)
    csv = service.client.get(f"/plans/{plan_id}/export.csv", headers=VIEWER_H)
    assert f"plan-{plan_id}-official.csv" in csv.headers["content-disposition"]

    log = service.client.get(
        "/audit",
        params={"action": "exported", "object_id": str(plan_id)},
        headers=OFFICER_H,
    ).json()["items"]
    formats = {(e["detail"]["format"], e["detail"]["official"]) for e in log}
    assert {("notices.pdf", False), ("notices.pdf", True), ("public_list.pdf", True)} <= formats
