"""Real processes and real broken connections for the fault tests: the service as
uvicorn subprocesses on free loopback ports, and a TCP proxy in front of PostgreSQL
that can drop every connection and refuse new ones."""

from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from api_test_support import OFFICER, OFFICER_H, VIEWER

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(predicate: Any, timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not within {timeout}s: {what} (last: {last!r})")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


class ServerProcess:
    """``uvicorn api.app:create_app --factory`` on a free port, configured by environment."""

    def __init__(
        self, database_url: str, log_dir: Path, *, wait: bool = True, **settings: Any
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ROTATION_TOKENS": f"{OFFICER}:officer,{VIEWER}:viewer",
            "ROTATION_WORKERS": "1",
            "ROTATION_LEASE_SECONDS": "5",  # ten heartbeats: a loaded machine may delay a few
            "ROTATION_HEARTBEAT_SECONDS": "0.5",
            "ROTATION_POLL_SECONDS": "0.2",
            "ROTATION_PROGRESS_INTERVAL": "0.1",
            "ROTATION_CANCEL_GRACE_SECONDS": "3",
            "ROTATION_SOLVE_ENTRY": "api_test_solver:plan_year",
            "ROTATION_TEST_HOLD_SECONDS": "180",
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
        }
        env.update({f"ROTATION_{k.upper()}": str(v) for k, v in settings.items()})
        self.log = (log_dir / f"server-{self.port}.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.client = httpx.Client(base_url=self.url, headers=OFFICER_H, timeout=10)
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        wait_until(self._healthy, 60, f"server on port {self.port} up")

    def _healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"server exited early: {self.process.returncode}")
        try:
            return self.client.get("/health").status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """A graceful stop (SIGTERM), as a service manager does."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.close()

    def kill(self) -> None:
        """kill -9: nothing of the server runs its shutdown."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.close()

    def close(self) -> None:
        self.client.close()
        self.log.close()


class TcpProxy:
    """127.0.0.1:port → target. ``cut()`` drops every connection and refuses new ones
    (a network or database outage); ``restore()`` accepts again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        self._open = True
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if not self._open:  # cut while this connection was being made: refuse it
                    for s in (client, upstream):
                        s.close()
                    return
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1.0)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except OSError:
            return
        finally:
            for s in (a, b):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self) -> None:
        if self._listener is not None:
            # close() alone does not wake a thread blocked in accept() on Linux, which then
            # takes one more connection after the cut: shutdown() wakes it first
            try:
                self._listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._listener.close()
            self._listener = None
        with self._lock:
            self._open = False
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
