"""Faults touch only what failed: a killed worker, a cancel a solve does not honour, jobs
submitted at the same moment, servers started, stopped and killed on one database, and
lost database connections. Real processes are killed and real connections dropped; the
leases and heartbeats are short (``make_settings``) so that each test takes seconds."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from api_fault_support import ServerProcess, TcpProxy, pid_alive, wait_until
from api_test_support import (
    HELD_ENTRY,
    OFFICER_H,
    Databases,
    make_settings,
    plan_request,
    postgres_url,
    running_service,
    upload_xlsx,
    wait_for,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

FINAL = {"done", "failed", "cancelled", "interrupted"}
STUBBORN_ENTRY = "api_test_solver:stubborn_plan_year"


def start_plan(client: Any, dataset_id: int) -> int:
    response = client.post(f"/datasets/{dataset_id}/plans", json=plan_request(), headers=OFFICER_H)
    assert response.status_code == 202, response.text
    return int(response.json()["id"])


def plan(client: Any, plan_id: int) -> dict[str, Any]:
    response = client.get(f"/plans/{plan_id}", headers=OFFICER_H)
    assert response.status_code == 200, response.text
    return dict(response.json())


def worker_pid(client: Any, plan_id: int) -> int:
    """The pid of the process solving the plan (its ``worker`` is host:pid once it runs)."""
    worker = wait_until(
        lambda: (
            (plan(client, plan_id).get("worker") or "").rpartition(":")[2].isdigit()
            and plan(client, plan_id)["worker"]
        ),
        10,
        f"plan {plan_id} reports its worker",
    )
    return int(worker.rpartition(":")[2])


def objective(client: Any, plan_id: int) -> float:
    return float((plan(client, plan_id).get("progress") or {}).get("objective") or 0)


def cancel_all(client: Any, plan_ids: list[int]) -> list[dict[str, Any]]:
    for plan_id in plan_ids:
        assert client.delete(f"/plans/{plan_id}", headers=OFFICER_H).status_code in (202, 409)
    return [wait_for(client, p, FINAL, timeout=30) for p in plan_ids]


# ------------------------------------------------------------------ a worker dies
def test_a_killed_worker_fails_only_its_own_plan_and_a_new_worker_takes_the_next(
    new_database: Callable[[], str], tiny_xlsx: bytes
) -> None:
    settings = make_settings(new_database(), solve_entry=HELD_ENTRY, workers=2)
    with running_service(settings) as svc:
        client = svc.client
        dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
        p1, p2, p3 = (start_plan(client, dataset_id) for _ in range(3))
        wait_for(client, p1, {"running"})
        wait_for(client, p2, {"running"})
        victim = worker_pid(client, p1)
        survivor = worker_pid(client, p2)
        assert plan(client, p3)["queue_position"] == 1

        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        failed = wait_for(client, p1, FINAL, timeout=10)
        assert failed["status"] == "failed"
        assert "SIGKILL" in failed["error"] and "工作进程" in failed["error"]
        assert time.monotonic() - killed_at < 5  # within seconds, not after a timeout

        # The other plan goes on in its own process, still making progress.
        before = objective(client, p2)
        wait_until(lambda: objective(client, p2) > before, 10, "plan 2 progresses")
        assert plan(client, p2)["status"] == "running" and pid_alive(survivor)
        # A new worker replaces the dead one and takes the plan that was waiting.
        running3 = wait_for(client, p3, {"running"}, timeout=30)
        assert worker_pid(client, p3) not in (victim, survivor)
        assert running3["attempts"] == 1
        assert len(svc.app.state.runner.backend.pids()) == 2

        ended = cancel_all(client, [p2, p3])
        assert [e["status"] for e in ended] == ["cancelled", "cancelled"]
        assert all(e["assignments"] > 0 for e in ended)  # each kept its best plan


# ------------------------------------------------------------------ cancel always ends a job
def test_cancel_ends_a_solve_that_never_checks_for_it_and_a_queued_one_at_once(
    new_database: Callable[[], str], tiny_xlsx: bytes
) -> None:
    settings = make_settings(
        new_database(), solve_entry=STUBBORN_ENTRY, workers=1, cancel_grace_seconds=1.0
    )
    with running_service(settings) as svc:
        client = svc.client
        dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
        p1, p2, p3 = (start_plan(client, dataset_id) for _ in range(3))
        wait_for(client, p1, {"running"})
        stuck = worker_pid(client, p1)

        queued = client.delete(f"/plans/{p3}", headers=OFFICER_H).json()
        assert queued["status"] == "cancelled" and queued["started_at"] is None

        asked = time.monotonic()
        assert client.delete(f"/plans/{p1}", headers=OFFICER_H).status_code == 202
        ended = wait_for(client, p1, FINAL, timeout=15)
        assert ended["status"] == "cancelled" and "强制结束" in ended["error"]
        assert time.monotonic() - asked < 10
        wait_until(lambda: not pid_alive(stuck), 10, "the stuck worker is ended")

        # The next plan in line runs on a fresh worker; it is ended the same way.
        wait_for(client, p2, {"running"}, timeout=30)
        assert cancel_all(client, [p2])[0]["status"] == "cancelled"
        assert plan(client, p3)["started_at"] is None


# ------------------------------------------------------------------ queue truth
def test_jobs_submitted_at_the_same_moment_start_in_the_order_their_positions_say(
    new_database: Callable[[], str], tiny_xlsx: bytes
) -> None:
    settings = make_settings(new_database(), solve_entry=HELD_ENTRY, workers=1)
    with running_service(settings) as svc:
        client = svc.client
        dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
        first = start_plan(client, dataset_id)
        wait_for(client, first, {"running"})

        ids: list[int] = []
        barrier = threading.Barrier(5)

        def submit() -> None:
            barrier.wait()
            ids.append(start_plan(client, dataset_id))

        threads = [threading.Thread(target=submit) for _ in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        positions = {p: plan(client, p)["queue_position"] for p in ids}
        assert sorted(positions.values()) == [1, 2, 3, 4, 5]
        queue = [j["id"] for j in client.get("/jobs", headers=OFFICER_H).json()]
        assert len(queue) == 6

        started: list[int] = []
        current = first
        for _ in ids:
            assert client.delete(f"/plans/{current}", headers=OFFICER_H).status_code == 202
            wait_for(client, current, FINAL, timeout=30)
            current = wait_until(
                lambda: next((p for p in ids if plan(client, p)["status"] == "running"), None),
                30,
                "the next plan starts",
            )
            started.append(current)
            remaining = sorted((p for p in ids if p not in started), key=positions.__getitem__)
            for rank, p in enumerate(remaining, start=1):
                assert plan(client, p)["queue_position"] == rank
        assert started == sorted(ids, key=positions.__getitem__)
        cancel_all(client, [current])


# ------------------------------------------------------------------ servers on one database
def test_servers_start_stop_and_die_on_one_database_touching_only_their_own_jobs(
    new_database: Callable[[], str], tiny_xlsx: bytes, tmp_path: Path
) -> None:
    url = new_database()
    servers: list[ServerProcess] = []
    try:
        # Two servers start at the same moment on an empty database: one makes the schema.
        a = ServerProcess(url, tmp_path, wait=False)
        b = ServerProcess(url, tmp_path, wait=False)
        servers += [a, b]
        a.wait_ready()
        b.wait_ready()
        dataset_id = upload_xlsx(a.client, tiny_xlsx).json()["id"]
        p1, p2, p3 = (start_plan(a.client, dataset_id) for _ in range(3))
        wait_for(a.client, p1, {"running"})
        wait_for(a.client, p2, {"running"})
        owners = {p: a.client.get(f"/jobs/{plan(a.client, p)['job_id']}").json() for p in (p1, p2)}
        assert owners[p1]["lease_owner"] != owners[p2]["lease_owner"]  # one job per server
        on_a = next(p for p in (p1, p2) if f":{a.process.pid}:" in owners[p]["lease_owner"])
        on_b = p2 if on_a == p1 else p1
        pid_on_a = worker_pid(a.client, on_a)

        # A third server starts: nothing running changes hands.
        c = ServerProcess(url, tmp_path)
        servers.append(c)
        for p in (p1, p2):
            now = plan(c.client, p)
            assert now["status"] == "running" and now["attempts"] == 1
        # B stops gracefully: only its own plan waits again and C takes it; A's runs on.
        b.stop()
        moved = wait_until(
            lambda: (
                (body := plan(c.client, on_b))["status"] == "running"
                and body["attempts"] == 2
                and body
            ),
            45,
            "B's plan claimed again",
        )
        owner = c.client.get(f"/jobs/{moved['job_id']}").json()["lease_owner"]
        assert f":{c.process.pid}:" in owner, (owner, a.process.pid, b.process.pid)
        still = plan(c.client, on_a)
        assert still["status"] == "running" and still["attempts"] == 1
        assert worker_pid(c.client, on_a) == pid_on_a

        # A dies (kill -9): its worker follows it; once the lease runs out A's plan waits
        # again at its old place, ahead of p3, and C runs it when C has room.
        a.kill()
        wait_until(lambda: not pid_alive(pid_on_a), 20, "A's worker exits with its server")
        requeued = wait_until(
            lambda: (body := plan(c.client, on_a))["status"] == "queued" and body,
            45,
            "A's plan queued again after its lease",
        )
        assert "租约" in requeued["progress"]["message"] and requeued["queue_position"] == 1
        assert plan(c.client, p3)["queue_position"] == 2
        assert c.client.delete(f"/plans/{on_b}").status_code == 202
        recovered = wait_for(c.client, on_a, {"running"}, timeout=45)
        assert recovered["attempts"] == 2 and recovered["error"] is None
        job = c.client.get(f"/jobs/{recovered['job_id']}").json()
        assert f":{c.process.pid}:" in job["lease_owner"]
        assert plan(c.client, p3)["status"] == "queued"

        ended = cancel_all(c.client, [p1, p2, p3])
        assert [e["status"] for e in ended] == ["cancelled"] * 3
        assert all(e["status"] in FINAL for e in c.client.get("/jobs").json())
    finally:
        for server in servers:
            server.kill()


# ------------------------------------------------------------------ lost database connections
@pytest.fixture
def pg_database(databases: Databases) -> str:
    return databases.new("postgres")


def _with(url: str, **params: str) -> str:
    extra = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    return f"{url}{'&' if '?' in url else '?'}{extra}"


@pytest.mark.postgres
def test_terminated_database_connections_are_reopened_and_an_outage_answers_503(
    pg_database: str, tiny_xlsx: bytes
) -> None:
    app_name = f"rotation_faults_{os.getpid()}_{time.monotonic_ns()}"
    target = make_url(pg_database)
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432)
    try:
        proxied = target.set(port=proxy.port).render_as_string(hide_password=False)
        url = _with(proxied, application_name=app_name)
        settings = make_settings(url, solve_entry=HELD_ENTRY, workers=1)
        admin = create_engine(postgres_url())
        with running_service(settings) as svc:
            client: Any = svc.client
            dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
            plan_id = start_plan(client, dataset_id)
            wait_for(client, plan_id, {"running"})

            # 1. The server's and the worker's connections are terminated by PostgreSQL.
            with admin.begin() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = :name"
                    ),
                    {"name": app_name},
                ).scalar_one()
            assert killed >= 2
            reopened = client.get(f"/plans/{plan_id}", headers=OFFICER_H)
            assert reopened.status_code == 200  # the pool opened new connections
            before = objective(client, plan_id)
            wait_until(lambda: objective(client, plan_id) > before, 10, "the solve goes on")
            assert plan(client, plan_id)["attempts"] == 1

            # 2. The database cannot be reached at all: 503 with the reason, no traceback.
            proxy.cut()
            down = client.get(f"/plans/{plan_id}", headers=OFFICER_H)
            assert down.status_code == 503
            assert "数据库" in down.json()["detail"] and "database" in down.json()["detail"]
            # 3. It comes back: the same plan, still running under its first claim.
            time.sleep(0.5)
            proxy.restore()
            back = wait_until(
                lambda: client.get(f"/plans/{plan_id}", headers=OFFICER_H).status_code == 200,
                10,
                "the service answers again",
            )
            assert back
            body = plan(client, plan_id)
            assert body["status"] == "running" and body["attempts"] == 1
            assert cancel_all(client, [plan_id])[0]["status"] == "cancelled"
        admin.dispose()
    finally:
        proxy.cut()


def test_a_worker_that_cannot_start_is_retried_at_growing_intervals_not_in_a_loop() -> None:
    from api.jobs.local import respawn_delay

    delays = [respawn_delay(n) for n in range(8)]
    assert delays[0] == 0.0  # a worker that died while working is replaced at once
    assert all(a < b for a, b in zip(delays[1:5], delays[2:6], strict=True))
    assert max(delays) == 30.0
