"""What a viewer downloads cannot run code: a roster whose names start formulas, planned through
the service, exports as text in the workbook and with OWASP's leading quote in the CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from api_test_support import OFFICER_H, VIEWER_H, Service, plan_request, poll_status, upload_xlsx

from rotation.io.writing import write_dataset_xlsx
from rotation.models import Dataset
from sample_data import generate

HOSTILE = ('=HYPERLINK("http://evil.example","x")', "-2+3+cmd|' /C calc'!A0", "@SUM(1)")


def hostile_roster(tmp_path: Path) -> bytes:
    d = generate("tiny", seed=1, year=2026)
    teachers = [
        t.model_copy(update={"name": HOSTILE[i % len(HOSTILE)] + t.name})
        for i, t in enumerate(d.teachers)
    ]
    schools = [s.model_copy(update={"name": "=" + s.name}) for s in d.schools]
    path = write_dataset_xlsx(
        Dataset(schools=schools, teachers=teachers, needs=d.needs), tmp_path / "hostile.xlsx"
    )
    return path.read_bytes()


def test_plan_downloads_carry_no_formula_from_data(service: Service, tmp_path: Path) -> None:
    uploaded = upload_xlsx(service.client, hostile_roster(tmp_path), name="hostile.xlsx")
    assert uploaded.status_code == 201, uploaded.text
    started = service.client.post(
        f"/datasets/{uploaded.json()['id']}/plans",
        json=plan_request(backend="greedy"),
        headers=OFFICER_H,
    )
    plan = poll_status(service.client, started.json()["url"], {"done", "failed"})
    assert plan["status"] == "done" and plan["assignments"] > 0

    exported = service.client.get(f"/plans/{plan['id']}/export.csv", headers=VIEWER_H)
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    names = [r["name"] for r in rows]
    assert names and all(n.startswith("'") for n in names)  # every name here starts a formula

    workbook = service.client.get(f"/plans/{plan['id']}/export.xlsx", headers=VIEWER_H)
    wb = openpyxl.load_workbook(io.BytesIO(workbook.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert any(v.startswith("=") for v in texts)  # school names, unchanged, as text
