"""The teachers and schools lists are filtered, counted and paged by the database: for each
filter the API's total and ids are those the domain gives on the same roster, and the pages
put together are the whole list in id order."""

from __future__ import annotations

from typing import Any

from api_test_support import OFFICER_H, Service, upload_xlsx

from rotation.eligibility import eligibility_table
from rotation.policy import Policy
from rotation.roles import school_role


def ids(service: Service, path: str, key: str, **params: Any) -> tuple[int, list[str]]:
    page = service.client.get(path, params={"limit": 1000, **params}, headers=OFFICER_H).json()
    return page["total"], [row[key] for row in page["items"]]


def test_every_filter_gives_what_the_domain_gives(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    d = upload_xlsx(service.client, tiny_xlsx, name="paged-lists.xlsx").json()["id"]
    ds = tiny_dataset
    table = eligibility_table(ds, 2026, Policy())
    school = ds.teachers[len(ds.teachers) // 2].school_id
    town = ds.school[school].town
    name_part = ds.teachers[3].name[1:]
    teachers: list[tuple[dict[str, Any], Any]] = [
        ({}, lambda t: True),
        ({"school_id": school}, lambda t: t.school_id == school),
        ({"subject": "math"}, lambda t: t.subject.value == "math"),
        ({"subject": "数学", "eligible": "true"}, lambda t: t.subject.value == "math" and table[t.teacher_id].eligible),
        ({"stage": "小学", "eligible": "false"}, lambda t: t.stage.value == "primary" and not table[t.teacher_id].eligible),
        ({"subject": "astronomy"}, lambda t: False),
    ]  # fmt: skip
    for params, keep in teachers:
        want = [t.teacher_id for t in ds.teachers if keep(t)]
        assert ids(service, f"/datasets/{d}/teachers", "teacher_id", **params) == (len(want), want), params
    county: list[tuple[dict[str, Any], Any]] = [
        ({"town": town}, lambda t: ds.school[t.school_id].town == town),
        ({"role": "sender", "eligible": "true"}, lambda t: school_role(ds.school[t.school_id]).value == "sender" and table[t.teacher_id].eligible),
        ({"q": name_part}, lambda t: name_part in t.name),
        ({"q": ds.teachers[5].teacher_id}, lambda t: t.teacher_id == ds.teachers[5].teacher_id),
    ]  # fmt: skip
    for params, keep in county:
        want = [t.teacher_id for t in ds.teachers if keep(t)]
        got = ids(service, f"/datasets/{d}/county/teachers", "teacher_id", **params)
        assert got == (len(want), want), params
    schools: list[tuple[str, dict[str, Any], Any]] = [
        ("schools", {"role": "receiver"}, lambda s: school_role(s).value == "receiver"),
        ("schools", {"area": "乡村"}, lambda s: s.area.value == "rural"),
        ("county/schools", {"stage": "junior"}, lambda s: any(o.value == "junior" for o in s.stage.offers)),
        ("county/schools", {"town": town, "q": ds.school[school].name[-3:]}, lambda s: s.town == town and ds.school[school].name[-3:] in s.name),
    ]  # fmt: skip
    for path, params, keep in schools:
        want = [s.school_id for s in ds.schools if keep(s)]
        assert ids(service, f"/datasets/{d}/{path}", "school_id", **params) == (len(want), want)
    whole = ids(service, f"/datasets/{d}/teachers", "teacher_id")[1]
    pages = [ids(service, f"/datasets/{d}/teachers", "teacher_id", offset=o, limit=7)[1] for o in range(0, len(whole), 7)]  # fmt: skip
    assert [t for page in pages for t in page] == whole
