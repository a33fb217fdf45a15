"""Uploading rosters through HTTP: the good path, every kind of bad upload, reading back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from api_test_support import OFFICER_H, VIEWER_H, Service, upload_csv, upload_xlsx

from api.uploads import UploadedFile, UploadRejected, read_upload
from rotation.policy import Policy


def dataset_count(service: Service) -> int:
    return len(service.client.get("/datasets", headers=OFFICER_H).json())


def test_upload_workbook_gives_the_check_data_summary(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    response = upload_xlsx(service.client, tiny_xlsx)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["file_name"] == "tiny.xlsx"
    assert body["teachers"] == len(tiny_dataset.teachers)
    assert body["schools"] == len(tiny_dataset.schools)
    assert body["summary"]["teachers"]["total"] == len(tiny_dataset.teachers)
    assert "quotas" in body["summary"] and "indicators" in body["summary"]
    listed = service.client.get("/datasets", headers=OFFICER_H).json()
    assert body["id"] in [d["id"] for d in listed]
    detail = service.client.get(f"/datasets/{body['id']}", headers=OFFICER_H).json()
    assert detail["summary"] == body["summary"]
    later = service.client.get(f"/datasets/{body['id']}?year=2030", headers=OFFICER_H).json()
    assert later["year"] == 2030 and later["summary"]["year"] == 2030


def test_upload_csv_files_including_gb18030(service: Service, tiny_csv: dict[str, bytes]) -> None:
    files = dict(tiny_csv)
    files["teachers.csv"] = files["teachers.csv"].decode("utf-8-sig").encode("gb18030")
    response = upload_csv(service.client, files)
    assert response.status_code == 201, response.text
    assert response.json()["teachers"] > 0


def test_every_upload_is_a_new_numbered_snapshot(service: Service, tiny_xlsx: bytes) -> None:
    first = upload_xlsx(service.client, tiny_xlsx).json()
    second = upload_xlsx(service.client, tiny_xlsx).json()
    assert second["id"] > first["id"]
    assert first["checksum"] == second["checksum"]


def test_malformed_rows_are_listed_and_nothing_is_stored(
    service: Service, tiny_csv: dict[str, bytes]
) -> None:
    before = dataset_count(service)
    text = tiny_csv["teachers.csv"].decode("utf-8-sig")
    lines = text.splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("title")] = "高极"
    cells2 = lines[2].split(",")
    cells2[header.index("birth_date")] = "1980-13-45"
    bad = "\n".join([lines[0], ",".join(cells), ",".join(cells2), *lines[3:]]) + "\n"
    response = upload_csv(service.client, {**tiny_csv, "teachers.csv": bad.encode("utf-8")})
    assert response.status_code == 422
    body = response.json()
    problems = body["problems"]
    assert len(problems) >= 2
    title = next(p for p in problems if p["column"] == "title")
    assert title["row"] == 2 and title["value"] == "高极" and title["suggestion"] == "高级"
    assert "高级" in title["message"]
    assert any(p["column"] == "birth_date" and p["row"] == 3 for p in problems)
    assert "未导入" in body["detail"] or "nothing" in body["detail"]
    assert dataset_count(service) == before


def test_wrong_file_type_is_415(service: Service) -> None:
    before = dataset_count(service)
    response = upload_xlsx(service.client, b"old excel", name="roster.xls")
    assert response.status_code == 415
    assert ".xlsx" in response.json()["detail"]
    response = upload_xlsx(service.client, b"hello", name="notes.txt")
    assert response.status_code == 415
    assert dataset_count(service) == before


def test_wrong_encoding_is_422_and_says_which_encodings(
    service: Service, tiny_csv: dict[str, bytes]
) -> None:
    before = dataset_count(service)
    utf16 = tiny_csv["teachers.csv"].decode("utf-8-sig").encode("utf-16")
    response = upload_csv(service.client, {**tiny_csv, "teachers.csv": utf16})
    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["file"] == "teachers.csv"
    assert "GB18030" in problem["message"]
    assert dataset_count(service) == before


def test_a_workbook_that_is_not_one_is_422(service: Service) -> None:
    before = dataset_count(service)
    response = upload_xlsx(service.client, b"this is not a zip file", name="fake.xlsx")
    assert response.status_code == 422
    assert response.json()["problems"]
    assert "/tmp" not in response.text  # no server paths in answers
    assert dataset_count(service) == before


def test_missing_table_is_422(service: Service, tiny_csv: dict[str, bytes]) -> None:
    response = upload_csv(service.client, {"schools.csv": tiny_csv["schools.csv"]})
    assert response.status_code == 422
    assert any("teachers" in p["file"] for p in response.json()["problems"])


def test_oversize_upload_is_413_and_nothing_stored(service: Service) -> None:
    before = dataset_count(service)
    big = b"0" * (service.settings.max_upload_bytes + 200 * 1024)
    response = upload_xlsx(service.client, big, name="big.xlsx")
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]
    assert dataset_count(service) == before


def test_size_and_row_limits_while_reading(tiny_xlsx: bytes) -> None:
    with pytest.raises(UploadRejected) as too_big:
        read_upload([UploadedFile("t.xlsx", io.BytesIO(tiny_xlsx))], max_bytes=1000, max_rows=10**6)
    assert too_big.value.status_code == 413
    with pytest.raises(UploadRejected) as too_many:
        read_upload([UploadedFile("t.xlsx", io.BytesIO(tiny_xlsx))], max_bytes=10**8, max_rows=10)
    assert too_many.value.status_code == 413
    assert "10" in too_many.value.message


def test_teachers_are_paged_and_filtered(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    url = f"/datasets/{dataset_id}/teachers"
    page = service.client.get(f"{url}?limit=5&offset=0", headers=OFFICER_H).json()
    assert page["total"] == len(tiny_dataset.teachers) and len(page["items"]) == 5
    school = tiny_dataset.teachers[0].school_id
    at_school = service.client.get(f"{url}?school_id={school}&limit=1000", headers=OFFICER_H).json()
    assert at_school["total"] == len(tiny_dataset.teachers_by_school[school])
    assert {t["school_id"] for t in at_school["items"]} == {school}
    eligible = service.client.get(f"{url}?eligible=true&limit=1000", headers=OFFICER_H).json()
    ineligible = service.client.get(f"{url}?eligible=false&limit=1000", headers=OFFICER_H).json()
    assert eligible["total"] + ineligible["total"] == page["total"]
    assert all(t["eligible"] for t in eligible["items"])
    assert all(t["ineligible_reasons"] for t in ineligible["items"])
    math = service.client.get(f"{url}?subject=数学&limit=1000", headers=OFFICER_H).json()
    assert math["total"] == sum(t.subject.value == "math" for t in tiny_dataset.teachers)
    schools = service.client.get(f"/datasets/{dataset_id}/schools?role=sender", headers=OFFICER_H)
    assert schools.status_code == 200
    assert all(s["role"] == "sender" for s in schools.json()["items"])


def test_birth_dates_are_for_officers_only(service: Service, tiny_xlsx: bytes) -> None:
    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    url = f"/datasets/{dataset_id}/teachers?limit=3"
    as_officer = service.client.get(url, headers=OFFICER_H).json()["items"]
    as_viewer = service.client.get(url, headers=VIEWER_H).json()["items"]
    assert all(t["birth_date"] for t in as_officer)
    assert all(t["birth_date"] is None for t in as_viewer)
    assert [t["name"] for t in as_viewer] == [t["name"] for t in as_officer]


def test_viewer_cannot_upload(service: Service, tiny_xlsx: bytes) -> None:
    before = dataset_count(service)
    response = upload_xlsx(service.client, tiny_xlsx, headers=VIEWER_H)
    assert response.status_code == 403
    assert dataset_count(service) == before


def test_unknown_dataset_is_404(service: Service) -> None:
    response = service.client.get("/datasets/999999", headers=OFFICER_H)
    assert response.status_code == 404


@pytest.fixture(scope="module")
def tiny_plan(tiny_dataset: Any) -> Any:
    """The tiny county's plan, made once for the plan-check tests of both databases."""
    from workflows.plan import run_plan

    return run_plan(tiny_dataset, 2026, Policy())


def test_an_uploaded_plan_file_is_checked_row_by_row_against_the_dataset(
    service: Any, tiny_xlsx: bytes, tiny_plan: Any, tmp_path: Any
) -> None:
    from rotation.io import write_plan_csv

    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    plan = tiny_plan
    assert plan.assignments, "the tiny county moves somebody"
    clean = write_plan_csv(plan, tmp_path / "plan.csv").read_bytes()
    url = f"/datasets/{dataset_id}/plan-check"
    ok = service.client.post(url, files={"file": ("plan.csv", clean, "text/csv")}, headers=VIEWER_H)
    assert ok.status_code == 200, ok.text
    assert ok.json()["ok"] is True and ok.json()["moves"] == len(plan.assignments)
    lines = clean.decode("utf-8").splitlines()
    first = lines[1].split(",")
    first[3] = first[2]  # to_school_id := from_school_id: a move to the teacher's own school
    spoiled = "\n".join([lines[0], ",".join(first), *lines[2:]]).encode("utf-8")
    bad = service.client.post(
        url, files={"file": ("plan.csv", spoiled, "text/csv")}, headers=VIEWER_H
    )
    assert bad.status_code == 200
    findings = bad.json()["findings"]
    assert bad.json()["ok"] is False
    assert any(
        f["rows"] == [2] and f["rule"] == "destination" and "本校" in f["message"] for f in findings
    )


def test_an_uploaded_workbook_has_its_forms_checked_sheet_by_sheet(
    service: Any, tiny_xlsx: bytes, tiny_dataset: Any, tiny_plan: Any, tmp_path: Any
) -> None:
    import openpyxl

    from rotation.io import write_plan_xlsx

    dataset_id = upload_xlsx(service.client, tiny_xlsx).json()["id"]
    plan = tiny_plan
    assert plan.principals and plan.itinerant and plan.itinerant.visits, "tiny has both forms"
    path = write_plan_xlsx(plan, tiny_dataset, tmp_path / "plan.xlsx", policy=Policy())
    url = f"/datasets/{dataset_id}/plan-check"
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ok = service.client.post(
        url, files={"file": ("plan.xlsx", path.read_bytes(), xlsx)}, headers=VIEWER_H
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["ok"] is True
    forms = {f["form"]: f["file"] for f in ok.json()["forms"]}
    assert forms["principals"] == "plan.xlsx[校长交流]" and forms["itinerant"] == "plan.xlsx[走教安排]"
    wb = openpyxl.load_workbook(path)
    ws = wb["走教安排"]
    col = {c.value: c.column for c in ws[1]}
    ws.cell(2, col["当天课时"]).value = 99  # a day of 99 hours
    wb.save(path)
    bad = service.client.post(
        url, files={"file": ("plan.xlsx", path.read_bytes(), xlsx)}, headers=VIEWER_H
    )
    assert bad.status_code == 200, bad.text
    assert bad.json()["ok"] is False
    assert any(
        f["file"] == "plan.xlsx[走教安排]" and f["rows"] == [2] and f["rule"] == "itinerant_days"
        for f in bad.json()["findings"]
    ), bad.json()["findings"]
    # a plan.csv comes with the form files beside it, under their own names
    from workflows.exports.plan_outputs import write_plan_outputs

    write_plan_outputs(plan, tiny_dataset, Policy(), tmp_path / "folder")
    lines = (tmp_path / "folder" / "itinerant_schedule.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[9] = "99"  # hours
    schedule = "\n".join([lines[0], ",".join(cells), *lines[2:]]).encode("utf-8")
    plan_csv = (tmp_path / "folder" / "plan.csv").read_bytes()
    files = [
        ("file", ("plan.csv", plan_csv, "text/csv")),
        ("forms", ("itinerant_schedule.csv", schedule, "text/csv")),
    ]
    beside = service.client.post(url, files=files, headers=VIEWER_H)
    assert beside.status_code == 200, beside.text
    assert any(
        f["file"] == "itinerant_schedule.csv" and f["rows"] == [2] and f["rule"] == "itinerant_days"
        for f in beside.json()["findings"]
    ), beside.json()["findings"]
    files[1] = ("forms", ("schedule.csv", schedule, "text/csv"))
    named = service.client.post(url, files=files, headers=VIEWER_H)
    assert named.status_code == 422 and "itinerant_schedule.csv" in named.json()["detail"]
