"""县管校聘 through HTTP: the allocation job to done, its downloads checked by the independent
checker, refusals that store nothing, title posts (200 and 422), roles, and restarts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
from api_test_support import (
    OFFICER_H,
    VIEWER_H,
    Service,
    make_settings,
    poll_status,
    running_service,
    upload_xlsx,
)
from sqlmodel import Session

from api.db import make_engine
from api.tables import QUEUED, RUNNING, JobRun
from rotation.enums import Title
from rotation.hiring import AllocationResult, AllocationRow, HiringPolicy, check_allocation

FINAL = {"done", "failed", "cancelled", "interrupted"}


def start_allocation(client: Any, dataset_id: int, **overrides: Any) -> int:
    body: dict[str, Any] = {"year": 2026, "time_limit": 5, "seed": 1}
    body.update(overrides)
    response = client.post(f"/datasets/{dataset_id}/allocation", json=body, headers=OFFICER_H)
    assert response.status_code == 202, response.text
    job_id = int(response.json()["id"])
    assert response.headers["location"].endswith(f"/allocation/{job_id}")
    return job_id


def wait_allocation(client: Any, job_id: int, statuses: set[str], timeout: float = 60) -> Any:
    return poll_status(client, f"/allocation/{job_id}", statuses, timeout)


def downloaded_rows(client: Any, job_id: int) -> list[AllocationRow]:
    """Every teacher's outcome as a user pages through it, consistent with allocation.csv."""
    rows: list[AllocationRow] = []
    while True:
        page = client.get(
            f"/allocation/{job_id}/rows?offset={len(rows)}&limit=10", headers=VIEWER_H
        ).json()
        rows.extend(AllocationRow.model_validate(r) for r in page["items"])
        if len(rows) >= page["total"]:
            break
    download = client.get(f"/allocation/{job_id}/allocation.csv", headers=VIEWER_H)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [(r["teacher_id"], r["round"], r["to_school_id"]) for r in table] == [
        (r.teacher_id, r.round.value, r.to_school_id or "") for r in rows
    ]
    return rows


def test_the_allocation_runs_to_done_and_its_csv_passes_the_check(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    job_id = start_allocation(client, dataset_id)
    body = wait_allocation(client, job_id, FINAL)
    assert body["status"] == "done", body
    assert body["check"] == {"ok": True, "violations": []}
    rounds = {r["round"]: r for r in body["summary"]["rounds"]}
    assert set(rounds) == {"kept", "cross", "assigned", "unplaced"}
    assert rounds["kept"]["name"] == "校内竞聘"
    assert sum(r["teachers"] for r in rounds.values()) == len(tiny_dataset.teachers)
    schools = body["summary"]["schools"]
    assert {s["school_id"] for s in schools} == set(tiny_dataset.school)
    assert sum(s["kept"] for s in schools) == rounds["kept"]["teachers"]
    assert body["progress"]["phase"] == "done" and body["run_seconds"] >= 0

    viewer_text = client.get(f"/allocation/{job_id}", headers=VIEWER_H).text
    assert "birth" not in viewer_text
    assert all(t.birth_date.isoformat() not in viewer_text for t in tiny_dataset.teachers)

    rows = downloaded_rows(client, job_id)
    assert sorted(r.teacher_id for r in rows) == sorted(tiny_dataset.teacher)
    assert all(r.reason for r in rows if r.round.value == "unplaced")
    unplaced = client.get(f"/allocation/{job_id}/rows?round=unplaced", headers=VIEWER_H).json()
    assert unplaced["total"] == rounds["unplaced"]["teachers"]
    rebuilt = AllocationResult(year=2026, rows=tuple(rows), schools=())
    assert check_allocation(tiny_dataset, rebuilt) == []

    workbook = client.get(f"/allocation/{job_id}/allocation.xlsx", headers=VIEWER_H)
    assert workbook.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert "聘用结果" in sheets


def test_the_level_rule_and_scores_reach_the_rounds(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    # The best-scored teacher of each post is kept in round 1 (校内竞聘 by evaluation).
    teacher = tiny_dataset.teachers[0]
    job_id = start_allocation(
        client, dataset_id, level_rule=False, scores={teacher.teacher_id: 100.0}
    )
    body = wait_allocation(client, job_id, FINAL)
    assert body["status"] == "done", body
    assert body["params"]["level_rule"] is False
    assert body["check"]["ok"] is True
    rows = {r.teacher_id: r for r in downloaded_rows(client, job_id)}
    assert rows[teacher.teacher_id].round.value == "kept"
    rebuilt = AllocationResult(year=2026, rows=tuple(rows.values()), schools=())
    scores = {teacher.teacher_id: 100.0}
    policy = HiringPolicy(level_rule=False)
    assert check_allocation(tiny_dataset, rebuilt, policy=policy, scores=scores) == []


def test_bad_allocation_requests_are_refused_and_store_nothing(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    before = len(client.get("/allocation", headers=OFFICER_H).json())
    url = f"/datasets/{dataset_id}/allocation"
    unknown = client.post(url, json={"year": 2026, "scores": {"NOBODY": 1.0}}, headers=OFFICER_H)
    assert unknown.status_code == 422 and "NOBODY" in unknown.text
    too_long = client.post(url, json={"year": 2026, "time_limit": 1e6}, headers=OFFICER_H)
    assert too_long.status_code == 422
    extra = client.post(url, json={"year": 2026, "no_such": 1}, headers=OFFICER_H)
    assert extra.status_code == 422
    missing = client.post("/datasets/999999/allocation", json={"year": 2026}, headers=OFFICER_H)
    assert missing.status_code == 404
    assert len(client.get("/allocation", headers=OFFICER_H).json()) == before
    assert client.get("/allocation/999999", headers=OFFICER_H).status_code == 404
    # a what-if id is not an allocation id
    whatif = client.post(
        f"/datasets/{dataset_id}/whatif",
        json={"year": 2026, "vary": {"rotation_rate": [0.1]}, "time_limit": 5},
        headers=OFFICER_H,
    ).json()["id"]
    assert client.get(f"/allocation/{whatif}", headers=OFFICER_H).status_code == 404


def test_title_posts_are_allocated_or_refused_with_a_clear_message(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    url = f"/datasets/{dataset_id}/title-posts"
    seniors = sum(t.title.is_senior for t in tiny_dataset.teachers)
    firsts = sum(t.title is Title.FIRST for t in tiny_dataset.teachers)
    ok = client.post(
        url,
        json={"senior": seniors + 3, "intermediate": firsts + 5, "tilt": 0.05},
        headers=VIEWER_H,
    )
    assert ok.status_code == 200, ok.text
    result = ok.json()
    schools = result["schools"]
    assert sum(s["senior_posts"] for s in schools) == seniors + 3
    assert sum(s["intermediate_posts"] for s in schools) == firsts + 5
    assert all(s["senior_posts"] >= s["senior_holders"] for s in schools)
    assert all(s["intermediate_posts"] >= s["intermediate_holders"] for s in schools)
    assert {s["school_id"] for s in schools} == set(tiny_dataset.school)
    assert all(s["explanation"] for s in schools)
    if (
        result["tilt_met"]
        and result["rural_share"] is not None
        and result["urban_share"] is not None
    ):
        assert result["rural_share"] >= result["urban_share"] + 0.05 - 1e-9

    assert seniors > 0
    short = client.post(
        url, json={"senior": seniors - 1, "intermediate": firsts}, headers=OFFICER_H
    )
    assert short.status_code == 422
    detail = short.json()["detail"]
    assert "高级" in detail and "below the current title holders" in detail
    negative = client.post(url, json={"senior": -1, "intermediate": 0}, headers=OFFICER_H)
    assert negative.status_code == 422
    assert client.post(url, json={"senior": 1, "intermediate": 1}).status_code == 401
    assert (
        client.post(
            "/datasets/999999/title-posts", json={"senior": 1, "intermediate": 1}, headers=OFFICER_H
        ).status_code
        == 404
    )


def test_viewers_cannot_start_or_cancel_allocations(service: Service, tiny_xlsx: bytes) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    url = f"/datasets/{dataset_id}/allocation"
    assert client.post(url, json={"year": 2026}, headers=VIEWER_H).status_code == 403
    assert client.post(url, json={"year": 2026}).status_code == 401
    job_id = start_allocation(client, dataset_id)
    assert client.delete(f"/allocation/{job_id}", headers=VIEWER_H).status_code == 403
    assert client.get(f"/allocation/{job_id}").status_code == 401
    assert wait_allocation(client, job_id, FINAL)["status"] == "done"
    assert client.delete(f"/allocation/{job_id}", headers=OFFICER_H).status_code == 409


def test_a_job_left_running_by_a_vanished_server_runs_again_and_the_queued_one_runs_too(
    new_database: Callable[[], str], tiny_xlsx: bytes
) -> None:
    settings = make_settings(new_database())
    with running_service(settings) as first:
        dataset_id = upload_xlsx(first.client, tiny_xlsx).json()["id"]
    # What a server that died leaves behind: one job mid-run, one still waiting.
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        crashed = JobRun(
            kind="allocation", dataset_id=dataset_id, year=2026, status=RUNNING, attempts=1,
            params={"level_rule": True, "scores": {}, "time_limit": 5, "seed": 0},
        )  # fmt: skip
        waiting = JobRun(
            kind="allocation", dataset_id=dataset_id, year=2026, status=QUEUED,
            params={"level_rule": True, "scores": {}, "time_limit": 5, "seed": 0},
        )  # fmt: skip
        session.add_all([crashed, waiting])
        session.commit()
        crashed_id, waiting_id = crashed.id, waiting.id
    engine.dispose()
    with running_service(settings) as second:
        again = wait_allocation(second.client, crashed_id, FINAL)  # type: ignore[arg-type]
        assert again["status"] == "done" and again["attempts"] == 2
        done = wait_allocation(second.client, waiting_id, FINAL)  # type: ignore[arg-type]
        assert done["status"] == "done" and done["check"]["ok"] is True


def posts_csv(dataset: Any) -> bytes:
    """One approved post per teacher at their own school: every teacher can be kept."""
    counts: dict[tuple[str, str, str], int] = {}
    for t in dataset.teachers:
        key = (t.school_id, t.stage.value, t.subject.value)
        counts[key] = counts.get(key, 0) + 1
    lines = ["school_id,stage,subject,posts"]
    lines += [f"{s},{st},{su},{n}" for (s, st, su), n in sorted(counts.items())]
    return ("\n".join(lines) + "\n").encode("utf-8")


def start_with_posts(client: Any, dataset_id: int, content: bytes, name: str = "posts.csv") -> Any:
    return client.post(
        f"/datasets/{dataset_id}/allocation/with-posts",
        files=[("posts", (name, content, "text/csv"))],
        data={"request": '{"year": 2026, "time_limit": 5, "seed": 1}'},
        headers=OFFICER_H,
    )


def test_an_uploaded_posts_file_drives_the_rounds(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    content = posts_csv(tiny_dataset)
    response = start_with_posts(client, dataset_id, content)
    assert response.status_code == 202, response.text
    body = wait_allocation(client, int(response.json()["id"]), FINAL)
    assert body["status"] == "done", body
    assert body["check"] == {"ok": True, "violations": []}
    metrics = body["summary"]["metrics"]
    assert metrics["approved_posts"] is True
    assert metrics["posts"] == len(tiny_dataset.teachers)  # the file's posts, not derived ones
    kept = {r["round"]: r["teachers"] for r in body["summary"]["rounds"]}["kept"]
    assert kept == len(tiny_dataset.teachers)  # a post for everyone at their own school
    rows = content.decode().count("\n") - 1
    assert body["params"]["posts_file"] == "posts.csv" and body["params"]["posts_rows"] == rows
    assert "posts" not in body["params"]  # the rows stay stored, not shown in every listing

    derived = wait_allocation(client, start_allocation(client, dataset_id), FINAL)
    assert derived["summary"]["metrics"]["approved_posts"] is False


def test_a_bad_posts_file_is_refused_row_by_row_and_starts_nothing(
    service: Service, tiny_xlsx: bytes, tiny_dataset: Any
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    before = len(client.get("/allocation", headers=OFFICER_H).json())
    school = tiny_dataset.schools[0]
    bad = (
        "school_id,stage,subject,posts\n"
        "NOWHERE,primary,math,1\n"
        f"{school.school_id},primary,math,-1\n"
    ).encode()
    response = start_with_posts(client, dataset_id, bad, name="my posts.csv")
    assert response.status_code == 422, response.text
    body = response.json()
    assert "核定岗位表有 2 处问题" in body["detail"] and "problem(s)" in body["detail"]
    where = sorted((p["file"], p["row"], p["column"]) for p in body["problems"])
    assert where == [("my posts.csv", 2, "school_id"), ("my posts.csv", 3, "posts")]
    assert all(p["message"] and p["message_en"] for p in body["problems"])
    assert any("NOWHERE" in p["message_en"] for p in body["problems"])

    not_csv = start_with_posts(client, dataset_id, posts_csv(tiny_dataset), name="posts.xlsx")
    assert not_csv.status_code == 415
    bad_request = client.post(
        f"/datasets/{dataset_id}/allocation/with-posts",
        files=[("posts", ("posts.csv", posts_csv(tiny_dataset), "text/csv"))],
        data={"request": '{"year": 2026, "no_such": 1}'},
        headers=OFFICER_H,
    )
    assert bad_request.status_code == 422 and "no_such" in bad_request.text
    viewer = client.post(
        f"/datasets/{dataset_id}/allocation/with-posts",
        files=[("posts", ("posts.csv", posts_csv(tiny_dataset), "text/csv"))],
        data={"request": '{"year": 2026}'},
        headers=VIEWER_H,
    )
    assert viewer.status_code == 403
    assert len(client.get("/allocation", headers=OFFICER_H).json()) == before
