"""Jobs on a Dask cluster (``ROTATION_SCHEDULER``): the same progress, cancel and results as
on local workers, on a LocalCluster and on ``dask scheduler`` + ``dask worker`` processes on
loopback, where a killed Dask worker's job runs again on the next worker.

The database side of the job system is the same whatever runs the jobs, and is tested on
both SQLite and PostgreSQL by test_api_faults; these tests run on SQLite only, to keep the
suite quick (they pass on PostgreSQL as well)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api_fault_support import HERE, ROOT, free_port, pid_alive, wait_until
from api_test_support import (
    HELD_ENTRY,
    OFFICER_H,
    Databases,
    make_settings,
    plan_request,
    poll_status,
    running_service,
    upload_xlsx,
    wait_for,
)

FINAL = {"done", "failed", "cancelled", "interrupted"}


def start_plan(client: Any, dataset_id: int, **overrides: Any) -> int:
    response = client.post(
        f"/datasets/{dataset_id}/plans", json=plan_request(**overrides), headers=OFFICER_H
    )
    assert response.status_code == 202, response.text
    return int(response.json()["id"])


def plan(client: Any, plan_id: int) -> dict[str, Any]:
    return dict(client.get(f"/plans/{plan_id}", headers=OFFICER_H).json())


def progressing(client: Any, plan_id: int) -> float:
    return float((plan(client, plan_id).get("progress") or {}).get("objective") or 0)


@pytest.fixture
def new_database(databases: Databases) -> Callable[[], str]:
    return lambda: databases.new("sqlite")


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[str]:
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    )
    yield str(cluster.scheduler_address)
    cluster.close()


def test_on_a_local_cluster_plans_report_progress_stop_when_asked_and_finish(
    local_cluster: str, new_database: Callable[[], str], tiny_xlsx: bytes
) -> None:
    settings = make_settings(new_database(), solve_entry=HELD_ENTRY, scheduler=local_cluster)
    with running_service(settings) as svc:
        client = svc.client
        dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
        held = start_plan(client, dataset_id)
        running = wait_for(client, held, {"running"}, timeout=30)
        job = client.get(f"/jobs/{running['job_id']}", headers=OFFICER_H).json()
        assert job["lease_owner"] == svc.app.state.runner.owner
        before = progressing(client, held)
        wait_until(lambda: progressing(client, held) > before, 10, "progress from the cluster")
        assert client.delete(f"/plans/{held}", headers=OFFICER_H).status_code == 202
        stopped = wait_for(client, held, FINAL, timeout=30)
        assert stopped["status"] == "cancelled" and stopped["assignments"] > 0

        allocation = client.post(
            f"/datasets/{dataset_id}/allocation", json={"year": 2026}, headers=OFFICER_H
        ).json()
        body = poll_status(client, f"/allocation/{allocation['id']}", FINAL, timeout=60)
        assert body["status"] == "done" and body["check"]["ok"] is True


class DaskProcesses:
    """``dask scheduler`` and ``dask worker`` processes on loopback."""

    def __init__(self, log_dir: Path) -> None:
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)])}
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        self.scheduler = self._start(
            "scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"
        )

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"dask-{len(self.processes)}.log").open("w")
        dask = str(Path(sys.executable).with_name("dask"))
        process = subprocess.Popen(
            [dask, *args], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def worker(self) -> subprocess.Popen[bytes]:
        return self._start(
            "worker", self.address, "--host", "127.0.0.1", "--nthreads", "2",
            "--no-nanny", "--no-dashboard",
        )  # fmt: skip

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def test_on_dask_processes_a_killed_workers_job_runs_again_on_the_next_worker(
    new_database: Callable[[], str], tiny_xlsx: bytes, tmp_path: Path
) -> None:
    cluster = DaskProcesses(tmp_path)
    try:
        first = cluster.worker()
        settings = make_settings(
            new_database(), solve_entry=HELD_ENTRY, scheduler=cluster.address, workers=2
        )
        with running_service(settings) as svc:
            client = svc.client
            dataset_id = upload_xlsx(client, tiny_xlsx).json()["id"]
            held = start_plan(client, dataset_id)
            wait_for(client, held, {"running"}, timeout=60)
            where = wait_until(
                lambda: (w := plan(client, held)["worker"] or "").endswith(f":{first.pid}") and w,
                30,
                "the held plan runs in the Dask worker process",
            )
            assert where

            # The Dask worker is killed: the job keeps its claim while no worker is there, and
            # runs again from the start when a new worker joins.
            os.kill(first.pid, signal.SIGKILL)
            wait_until(lambda: not pid_alive(first.pid), 10, "the Dask worker is gone")
            second = cluster.worker()
            moved = wait_until(
                lambda: (
                    (b := plan(client, held))["worker"]
                    == where.replace(f":{first.pid}", f":{second.pid}")
                    and b
                ),
                60,
                "the held plan runs on the new Dask worker",
            )
            assert moved["status"] == "running" and moved["attempts"] == 1
            before = progressing(client, held)
            wait_until(lambda: progressing(client, held) > before, 10, "progress again")

            assert client.delete(f"/plans/{held}", headers=OFFICER_H).status_code == 202
            stopped = wait_for(client, held, FINAL, timeout=30)
            assert stopped["status"] == "cancelled" and stopped["assignments"] > 0
    finally:
        cluster.close()


def test_on_dask_a_job_whose_server_died_runs_on_and_another_server_can_stop_it(
    new_database: Callable[[], str], tiny_xlsx: bytes, tmp_path: Path
) -> None:
    from api_fault_support import ServerProcess

    cluster = DaskProcesses(tmp_path)
    servers: list[ServerProcess] = []
    try:
        cluster.worker()
        url = new_database()
        a = ServerProcess(url, tmp_path, scheduler=cluster.address)
        servers.append(a)
        dataset_id = upload_xlsx(a.client, tiny_xlsx).json()["id"]
        held = start_plan(a.client, dataset_id)
        wait_for(a.client, held, {"running"}, timeout=60)

        # The server (the Dask client) dies; the task on the cluster keeps its lease alive.
        a.kill()
        b = ServerProcess(url, tmp_path, scheduler=cluster.address)
        servers.append(b)
        before = progressing(b.client, held)
        wait_until(lambda: progressing(b.client, held) > before, 15, "the task runs on")
        body = plan(b.client, held)
        assert body["status"] == "running" and body["attempts"] == 1

        # Another server's cancel reaches the task through the database.
        assert b.client.delete(f"/plans/{held}").status_code == 202
        stopped = wait_for(b.client, held, FINAL, timeout=30)
        assert stopped["status"] == "cancelled" and stopped["assignments"] > 0
    finally:
        for server in servers:
            server.kill()
        cluster.close()
