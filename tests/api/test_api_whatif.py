"""What-if sweeps through HTTP: a 2×2 grid to done with a checked comparison, refusals that
store nothing, cancelling a queued sweep, roles, and the 0002 migration of job_run."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from api_test_support import (
    OFFICER_H,
    VIEWER_H,
    Service,
    plan_request,
    poll_status,
    upload_xlsx,
    wait_for,
)
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel, select

from api.dataset_store import load_dataset, store_dataset, store_rows, teacher_row
from api.db import alembic_config, make_engine, upgrade
from api.jobs.store import claim_next
from api.jobs.task import TaskConfig, run_claimed_job
from api.tables import JobRun, PlanRun

FINAL = {"done", "failed", "cancelled", "interrupted"}
GRID = {"rotation_rate": [0.10, 0.15], "backbone_share": [0.2, 0.3]}


def whatif_request(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"year": 2026, "vary": GRID, "time_limit": 5, "seed": 1}
    body.update(overrides)
    return body


def start_whatif(client: Any, dataset_id: int, **overrides: Any) -> int:
    response = client.post(
        f"/datasets/{dataset_id}/whatif", json=whatif_request(**overrides), headers=OFFICER_H
    )
    assert response.status_code == 202, response.text
    job_id = int(response.json()["id"])
    assert response.headers["location"].endswith(f"/whatif/{job_id}")
    return job_id


def wait_whatif(client: Any, job_id: int, statuses: set[str], timeout: float = 60) -> Any:
    return poll_status(client, f"/whatif/{job_id}", statuses, timeout)


def test_a_2x2_sweep_runs_to_done_with_one_checked_row_per_scenario(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    job_id = start_whatif(client, dataset_id)
    body = wait_whatif(client, job_id, FINAL)
    assert body["status"] == "done", body
    assert body["kind"] == "whatif" and body["scenarios"] == 4
    assert body["progress"]["done"] == body["progress"]["total"] == 4
    assert body["progress"]["phase"] == "done"

    rows = body["comparison"]
    assert len(rows) == 4
    expected = {
        f"rotation_rate={r}, backbone_share={b}"
        for r in GRID["rotation_rate"]
        for b in GRID["backbone_share"]
    }
    assert {row["label"] for row in rows} == expected
    assert all(row["check_ok"] is True for row in rows), rows
    assert all(o["ok"] and o["check_ok"] for o in body["outcomes"])
    assert all(row["moved"] is not None and row["quota_units"] > 0 for row in rows)
    # the roster states hour needs: each scenario scheduled 走教 after its plan (issue 18)
    for o, row in zip(body["outcomes"], rows, strict=True):
        assert o["itinerant"]["hours_covered"] == row["itinerant_hours_covered"] > 0
        assert row["arts_pe_below_with_itinerant"] <= row["arts_pe_below_before_itinerant"]
    assert {"code": "itinerant_hours_covered", "zh": "走教安排课时"} in body["columns"]
    # A higher rotation rate never asks fewer teachers to move.
    required = {(o["varied"]["rotation_rate"], o["varied"]["backbone_share"]): row["required"]
                for o, row in zip(body["outcomes"], rows, strict=True)}  # fmt: skip
    for share in GRID["backbone_share"]:
        assert required[(0.15, share)] >= required[(0.10, share)]
    assert "birth" not in client.get(f"/whatif/{job_id}", headers=VIEWER_H).text

    download = client.get(f"/whatif/{job_id}/comparison.csv", headers=VIEWER_H)
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert table[0][0] == "方案编号 / scenario_id"
    assert [r[0] for r in table[1:]] == [row["scenario_id"] for row in rows]

    listed = client.get(f"/whatif?dataset_id={dataset_id}", headers=VIEWER_H).json()
    assert [j["id"] for j in listed] == [job_id]


def test_the_cli_form_of_vary_and_set_is_accepted(service: Service, tiny_xlsx: bytes) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    job_id = start_whatif(
        client,
        dataset_id,
        vary=["rotation_rate+max_rotation_rate=0.10,0.15"],
        set=["backbone_share=0.3"],
    )
    body = wait_whatif(client, job_id, FINAL)
    assert body["status"] == "done", body
    assert [r["label"] for r in body["comparison"]] == [
        "rotation_rate=0.1, max_rotation_rate=0.1",
        "rotation_rate=0.15, max_rotation_rate=0.15",
    ]
    assert all(o["overrides"]["backbone_share"] == 0.3 for o in body["outcomes"])


def test_bad_whatif_requests_are_refused_and_store_nothing(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    before = len(client.get("/whatif", headers=OFFICER_H).json())
    url = f"/datasets/{dataset_id}/whatif"

    def post(**overrides: Any) -> Any:
        return client.post(url, json=whatif_request(**overrides), headers=OFFICER_H)

    unknown = post(vary={"no_such_rule": [1, 2]})
    assert unknown.status_code == 422 and "no_such_rule" in unknown.text
    out_of_range = post(vary={"rotation_rate": [0.1, 1.5]})
    assert out_of_range.status_code == 422 and "rotation_rate" in out_of_range.text
    repeated = post(vary={"rotation_rate": [0.1, 0.1]})
    assert repeated.status_code == 422 and "重复" in repeated.text
    bad_string = post(vary=["rotation_rate"])
    assert bad_string.status_code == 422 and "key=v1,v2" in bad_string.text
    too_many = post(vary={"rotation_rate": [i / 100 for i in range(1, 10)],
                          "backbone_share": [i / 100 for i in range(1, 10)]})  # fmt: skip
    assert too_many.status_code == 422 and "81" in too_many.text
    bad_lock = post(locks=[{"kind": "stay", "teacher_id": "NOBODY"}])
    assert bad_lock.status_code == 422 and "NOBODY" in bad_lock.text
    no_policy = post(policy_name="no-such-policy")
    assert no_policy.status_code == 422
    no_dataset = client.post("/datasets/999999/whatif", json=whatif_request(), headers=OFFICER_H)
    assert no_dataset.status_code == 404
    assert len(client.get("/whatif", headers=OFFICER_H).json()) == before
    assert client.get("/whatif/999999", headers=OFFICER_H).status_code == 404


def test_a_queued_sweep_is_cancelled_and_never_runs(
    held_service: Service, tiny_xlsx: bytes
) -> None:
    client = held_service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    plans = []
    for _ in range(held_service.settings.workers):  # every worker busy with a held solve
        response = client.post(
            f"/datasets/{dataset_id}/plans", json=plan_request(), headers=OFFICER_H
        )
        plans.append(response.json()["id"])
    for plan_id in plans:
        wait_for(client, plan_id, {"running"})
    job_id = start_whatif(client, dataset_id)
    waiting = client.get(f"/whatif/{job_id}", headers=OFFICER_H).json()
    assert waiting["status"] == "queued" and waiting["queue_position"] >= 1
    assert client.delete(f"/whatif/{job_id}", headers=VIEWER_H).status_code == 403

    stopped = client.delete(f"/whatif/{job_id}", headers=OFFICER_H)
    assert stopped.status_code == 202
    assert stopped.json()["status"] == "cancelled" and stopped.json()["cancel_requested"]
    assert client.get(f"/whatif/{job_id}/comparison.csv", headers=OFFICER_H).status_code == 409
    assert client.delete(f"/whatif/{job_id}", headers=OFFICER_H).status_code == 409

    for plan_id in plans:
        client.delete(f"/plans/{plan_id}", headers=OFFICER_H)
    for plan_id in plans:
        wait_for(client, plan_id, FINAL, timeout=30)
    time.sleep(0.5)  # the freed workers reach the cancelled job in the queue and skip it
    after = client.get(f"/whatif/{job_id}", headers=OFFICER_H).json()
    assert after["status"] == "cancelled" and after["started_at"] is None
    assert after["comparison"] is None


def test_viewers_read_but_cannot_start_or_stop_and_strangers_are_refused(
    service: Service, tiny_xlsx: bytes
) -> None:
    client = service.client
    dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
    url = f"/datasets/{dataset_id}/whatif"
    assert client.post(url, json=whatif_request(), headers=VIEWER_H).status_code == 403
    assert client.post(url, json=whatif_request()).status_code == 401
    job_id = start_whatif(client, dataset_id, vary={"rotation_rate": [0.1]})
    assert client.get(f"/whatif/{job_id}", headers=VIEWER_H).status_code == 200
    assert client.get(f"/whatif/{job_id}").status_code == 401
    assert client.delete(f"/whatif/{job_id}", headers=VIEWER_H).status_code == 403
    assert client.get(f"/whatif/{job_id}/comparison.csv").status_code == 401
    assert wait_whatif(client, job_id, FINAL)["status"] == "done"


def test_a_running_sweep_stops_before_its_next_scenario_when_cancelled(
    new_database: Callable[[], str], tiny_dataset: Any
) -> None:
    """The worker's side of DELETE /whatif/{id}: the flag in the database stops the sweep."""
    engine = make_engine(new_database())
    upgrade(engine)
    with Session(engine) as session:
        record = store_dataset(
            session, tiny_dataset, file_name="tiny.xlsx", checksum="0" * 64, year=2026, summary={}
        )
        session.flush()
        assert record.id is not None
        job = JobRun(
            kind="whatif",
            dataset_id=record.id,
            year=2026,
            params={
                "vary": [{"keys": ["rotation_rate"], "values": [0.1, 0.15, 0.2]}],
                "set": {},
                "options": {"backend": "highs", "time_limit": 5, "seed": 1},
                "scenarios": 3,
            },
        )
        session.add(job)
        session.commit()
        job_id = job.id
        assert job_id is not None
    claim = claim_next(engine, "test-server", "test", lease_seconds=30)
    assert claim is not None and claim.job_id == job_id
    with Session(engine) as session:  # an officer asks to stop while it runs
        running = session.get(JobRun, job_id)
        assert running is not None
        running.cancel_requested = True
        session.commit()
    config = TaskConfig(database_url=str(engine.url), progress_interval=0.01)
    assert run_claimed_job(config, claim) == "cancelled"
    with Session(engine) as session:
        stored = session.get(JobRun, job_id)
        assert stored is not None and stored.status == "cancelled"
        assert stored.result is not None and len(stored.result["rows"]) == 3
        result = stored.result
    assert result["planned"] == 1 and result["scenarios"] == 3
    assert result["rows"][0]["check_ok"] is True
    assert all("cancelled" in row["status"] for row in result["rows"][1:])
    engine.dispose()


# ------------------------------------------------------------------ the 0002 migration
def _no_diff(engine: Any) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def _head(engine: Any) -> str:
    """The latest revision (later migrations stack on 0003)."""
    return str(ScriptDirectory.from_config(alembic_config(engine)).get_current_head())


def _version(engine: Any) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())


def _store_at_an_old_revision(engine: Any, dataset: Any) -> int:
    """A snapshot as revisions before 0005 stored it (no ``county`` column yet)."""
    with Session(engine) as session:
        did = session.execute(
            text(
                "INSERT INTO dataset (file_name, checksum, created_at, year, schools, teachers, "
                "needs, needs_declared, summary) VALUES ('tiny.xlsx', :c, CURRENT_TIMESTAMP, "
                "2026, :s, :t, :n, :d, '{}') RETURNING id"
            ),
            {
                "c": "0" * 64,
                "s": len(dataset.schools),
                "t": len(dataset.teachers),
                "n": len(dataset.needs),
                "d": dataset.needs_declared,
            },
        ).scalar_one()
        # the teacher table before 0006: without the roster's extension columns
        old = sa.table("teacher", *(sa.column(c) for c in _TEACHER_COLUMNS_BEFORE_0006))
        session.execute(
            sa.insert(old),
            [
                {
                    k: v
                    for k, v in teacher_row(int(did), t).items()
                    if k in _TEACHER_COLUMNS_BEFORE_0006
                }
                for t in dataset.teachers
            ],
        )
        store_rows(session, int(did), dataset.model_copy(update={"teachers": ()}))
        session.commit()
    return int(did)


_TEACHER_COLUMNS_BEFORE_0006 = (
    "dataset_id", "teacher_id", "name", "gender", "birth_date", "school_id", "stage", "subject",
    "title", "backbone", "school_start_year", "last_exchange_year", "exempt", "seeks_promotion",
    "preferences", "degree",
)  # fmt: skip


def _as_stored_before_0007(dataset: Any) -> Any:
    """An old snapshot reads with the later columns at their defaults (an ordinary teacher
    with no post start year, no rural service recorded, no 跟岗学习 wish, no 走教 hours), as
    a roster without those columns does."""
    from rotation.enums import Position

    teachers = [
        t.model_copy(
            update={
                "rural_service_years": 0,
                "seeks_shadowing": False,
                "position": Position.TEACHER,
                "post_start_year": None,
                "itinerant_hours": None,  # kept in the snapshot's summary, which 0001 lacks
            }
        )
        for t in dataset.teachers
    ]
    return type(dataset).build(
        dataset.schools, teachers, dataset.needs, needs_declared=dataset.needs_declared,
        absent_columns=dataset.absent_columns,
    )  # fmt: skip


def _count(engine: Any, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_upgrade_from_empty_makes_job_run_and_matches_the_models(
    new_database: Callable[[], str],
) -> None:
    engine = make_engine(new_database())
    upgrade(engine)
    assert "job_run" in inspect(engine).get_table_names()
    assert _version(engine) == _head(engine)
    _no_diff(engine)
    engine.dispose()


def test_upgrade_from_0001_keeps_the_data_and_downgrade_drops_only_job_run(
    new_database: Callable[[], str], tiny_dataset: Any
) -> None:
    engine = make_engine(new_database())
    upgrade(engine, "0001")
    assert "job_run" not in inspect(engine).get_table_names()
    dataset_id = _store_at_an_old_revision(engine, tiny_dataset)
    with engine.begin() as conn:  # a plan as revision 0001 stored it
        conn.execute(
            text(
                "INSERT INTO plan_run (dataset_id, year, status, policy_overrides, options, "
                "cancel_requested, created_at) VALUES (:d, 2026, 'done', '{}', '{}', false, "
                "CURRENT_TIMESTAMP)"
            ),
            {"d": dataset_id},
        )

    upgrade(engine)
    assert _version(engine) == _head(engine)
    _no_diff(engine)
    with Session(engine) as session:
        assert load_dataset(session, dataset_id) == _as_stored_before_0007(tiny_dataset)
        plans = session.exec(select(PlanRun)).all()
        assert len(plans) == 1 and plans[0].job_id is not None
        job = session.get(JobRun, plans[0].job_id)
        assert job is not None and job.kind == "plan" and job.status == "done"
        session.add(JobRun(kind="whatif", dataset_id=dataset_id, year=2026))
        session.commit()
        assert len(session.exec(select(JobRun)).all()) == 2

    command.downgrade(alembic_config(engine), "0001")
    assert "job_run" not in inspect(engine).get_table_names()
    assert _version(engine) == "0001"
    assert _count(engine, "plan_run") == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM plan_run")).scalar_one() == "done"
    upgrade(engine)  # and back up again
    assert _version(engine) == _head(engine)
    engine.dispose()


def test_upgrade_from_0002_moves_each_plans_state_to_its_job(
    new_database: Callable[[], str], tiny_dataset: Any
) -> None:
    engine = make_engine(new_database())
    upgrade(engine, "0002")
    dataset_id = _store_at_an_old_revision(engine, tiny_dataset)
    insert_plan = text(
        "INSERT INTO plan_run (dataset_id, year, status, policy_overrides, options, "
        "cancel_requested, error, created_at, started_at) VALUES (:d, 2026, :s, '{}', '{}', "
        ":c, :e, CURRENT_TIMESTAMP, :t)"
    )
    with engine.begin() as conn:
        for status, cancel, error, started in (
            ("done", False, None, "2026-11-30 10:00:00"),
            ("queued", False, None, None),
            ("failed", False, "求解失败 / the solve failed: boom", "2026-11-30 10:00:00"),
            ("cancelled", True, None, None),
        ):
            conn.execute(
                insert_plan, {"d": dataset_id, "s": status, "c": cancel, "e": error, "t": started}
            )
        conn.execute(
            text(
                "INSERT INTO job_run (kind, dataset_id, year, status, params, cancel_requested, "
                "created_at) VALUES ('whatif', :d, 2026, 'queued', '{}', false, CURRENT_TIMESTAMP)"
            ),
            {"d": dataset_id},
        )

    upgrade(engine)
    _no_diff(engine)
    with Session(engine) as session:
        plans = session.exec(select(PlanRun).order_by(PlanRun.id)).all()  # type: ignore[arg-type]
        jobs = [session.get(JobRun, p.job_id) for p in plans]
        assert [j.status for j in jobs if j] == ["done", "queued", "failed", "cancelled"]
        assert all(j is not None and j.kind == "plan" for j in jobs)
        assert jobs[2] is not None and jobs[2].error == "求解失败 / the solve failed: boom"
        assert jobs[3] is not None and jobs[3].cancel_requested is True
        assert jobs[0] is not None and jobs[0].attempts == 1 and jobs[1].attempts == 0  # type: ignore[union-attr]
        whatif = session.exec(select(JobRun).where(JobRun.kind == "whatif")).one()
        assert whatif.status == "queued" and whatif.attempts == 0
    command.downgrade(alembic_config(engine), "0002")
    with engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM plan_run ORDER BY id")).scalars().all()
    assert statuses == ["done", "queued", "failed", "cancelled"]
    assert _count(engine, "job_run") == 1  # the what-if job stays; the plans' jobs are gone
    engine.dispose()
