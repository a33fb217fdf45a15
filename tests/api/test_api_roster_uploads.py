"""Rosters through HTTP as offices send them (issue 12): hostile files are 4xx never 500,
warnings and missing columns are kept with the snapshot, absent needs are derived."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from api_test_support import OFFICER_H, Service, upload_csv, upload_xlsx


def with_sheet(xlsx: bytes, change: Any) -> bytes:
    """The workbook with its teachers sheet's XML changed."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = change(data)
            dst.writestr(info, data)
    return out.getvalue()


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
    b'&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("broken_xml", lambda xml: xml[: len(xml) // 2]),
        ("entity_bomb", lambda xml: BOMB + xml.replace(b"<t>", b"<t>&c;", 1)),
    ],
)
def test_a_broken_or_hostile_workbook_is_422_not_500(
    name: str, change: Any, service: Service, tiny_xlsx: bytes
) -> None:
    response = upload_xlsx(service.client, with_sheet(tiny_xlsx, change))
    assert response.status_code == 422, (name, response.text)
    assert response.json()["problems"][0]["kind"] == "bad_file"


def test_a_corrupt_deflate_stream_is_422(service: Service, tiny_xlsx: bytes) -> None:
    data = bytearray(tiny_xlsx)
    info = zipfile.ZipFile(io.BytesIO(tiny_xlsx)).getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + info.compress_size - 4):
        data[i] ^= 0x5A
    response = upload_xlsx(service.client, bytes(data))
    assert response.status_code == 422, response.text


def test_a_200000_character_csv_field_is_413(service: Service, tiny_csv: dict[str, bytes]) -> None:
    text = tiny_csv["teachers.csv"].decode("utf-8-sig")
    header, first, *rest = text.splitlines()
    cells = first.split(",")
    cells[header.split(",").index("exempt")] = "长" * 200_000
    body = "\n".join([header, ",".join(cells), *rest]) + "\n"
    response = upload_csv(service.client, {**tiny_csv, "teachers.csv": body.encode("utf-8")})
    assert response.status_code == 413, response.text
    assert "字符上限" in response.json()["detail"]


@pytest.mark.parametrize("students", ["9223372036854775808", "1000000000000000000000000000000"])
def test_enormous_enrolment_is_422(
    students: str, service: Service, tiny_csv: dict[str, bytes]
) -> None:
    text = tiny_csv["schools.csv"].decode("utf-8-sig")
    header, first, *rest = text.splitlines()
    cells = first.split(",")
    cells[header.split(",").index("students")] = students
    body = "\n".join([header, ",".join(cells), *rest]) + "\n"
    response = upload_csv(service.client, {**tiny_csv, "schools.csv": body.encode("utf-8")})
    assert response.status_code == 422, response.text
    (problem,) = response.json()["problems"]
    assert problem["value"] == students and problem["kind"] == "out_of_range"


def test_warnings_and_missing_columns_are_kept_with_the_snapshot(
    service: Service, tiny_csv: dict[str, bytes]
) -> None:
    rows = [line.split(",") for line in tiny_csv["teachers.csv"].decode("utf-8-sig").splitlines()]
    drop = rows[0].index("degree")
    renamed = [[c for i, c in enumerate(r) if i != drop] + ["x"] for r in rows]
    renamed[0][-1] = "备注"
    body = "\n".join(",".join(r) for r in renamed) + "\n"
    files = {k: v for k, v in tiny_csv.items() if k != "needs.csv"}
    response = upload_csv(service.client, {**files, "teachers.csv": body.encode("utf-8")})
    assert response.status_code == 201, response.text
    summary = response.json()["summary"]
    kinds = {(w["kind"], w["column"]) for w in summary["warnings"]}
    assert ("unknown_column", None) in kinds and ("absent_column", "degree") in kinds
    assert summary["absent_columns"] == ["teachers.degree"]
    assert not summary["needs"]["declared"] and summary["needs"]["total"] > 0
    degree = [i for i in summary["indicators"] if i["indicator"] == "degree"]
    assert degree and all(i["no_data"] for i in degree)
    dataset_id = response.json()["id"]
    later = service.client.get(f"/datasets/{dataset_id}?year=2027", headers=OFFICER_H).json()
    assert all(i["no_data"] for i in later["summary"]["indicators"] if i["indicator"] == "degree")
    assert ("unknown_column", None) in {
        (w["kind"], w["column"]) for w in later["summary"]["warnings"]
    }
