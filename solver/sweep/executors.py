"""Where a sweep's tasks run.

Executors: ``serial`` (in this process), ``local`` (a process pool, the default) and
``dask`` (a Dask distributed cluster: ``scheduler`` address, a ``client``, or a local
cluster started for the run). The datasets are shipped to the workers once.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import wait as futures_wait
from typing import Any, Literal

from rotation.models import Dataset

Executor = Literal["serial", "local", "dask"]
EXECUTORS: tuple[str, ...] = ("serial", "local", "dask")


_WORKER_DATASETS: dict[str, Dataset] = {}


def _init_pool_worker(datasets: dict[str, Dataset]) -> None:
    # Ctrl-C and a stop of the process group reach the workers too: the parent decides what
    # to stop and keep, so a worker finishes its scenario instead of dying with the parent's
    # Interrupted (a SIGTERM printed its traceback and the lost scenarios were run again)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _WORKER_DATASETS.clear()
    _WORKER_DATASETS.update(datasets)


def _pool_call(fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Any:
    return fn(_WORKER_DATASETS[key], *args)


class _Runner:
    """Submits ``fn(dataset, *args)`` where the dataset is named by key."""

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def wait_any(self, pending: set[Any]) -> set[Any]:
        raise NotImplementedError

    def close(self) -> None:
        return None


class _SerialRunner(_Runner):
    def __init__(self, datasets: Mapping[str, Dataset]) -> None:
        self.datasets = datasets

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Future[Any]:
        fut: Future[Any] = Future()
        try:
            fut.set_result(fn(self.datasets[key], *args))
        except Exception as exc:  # reported by the driver
            fut.set_exception(exc)
        return fut

    def wait_any(self, pending: set[Any]) -> set[Any]:
        return set(pending)


class _PoolRunner(_Runner):
    def __init__(self, datasets: Mapping[str, Dataset], workers: int) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=workers, initializer=_init_pool_worker, initargs=(dict(datasets),)
        )

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Future[Any]:
        return self.pool.submit(_pool_call, fn, key, args)

    def wait_any(self, pending: set[Any]) -> set[Any]:
        done, _ = futures_wait(pending, return_when="FIRST_COMPLETED")
        return set(done)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _DaskRunner(_Runner):
    def __init__(self, datasets: Mapping[str, Dataset], client: Any, owned: list[Any]) -> None:
        self.client = client
        self.owned = owned  # things this run started and must close (client, cluster)
        self.refs = {k: client.scatter(v, broadcast=False, hash=False) for k, v in datasets.items()}

    def submit(self, fn: Callable[..., Any], key: str, args: tuple[Any, ...]) -> Any:
        return self.client.submit(fn, self.refs[key], *args, pure=False)

    def wait_any(self, pending: set[Any]) -> set[Any]:
        from distributed import wait

        done, _ = wait(list(pending), return_when="FIRST_COMPLETED")
        return set(done)

    def close(self) -> None:
        for thing in self.owned:
            thing.close()


def start_local_cluster(workers: int) -> tuple[Any, Any]:
    """A Dask LocalCluster on 127.0.0.1 (one thread per worker process) and its client."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    return cluster, Client(cluster)


def _make_runner(
    executor: str,
    datasets: Mapping[str, Dataset],
    workers: int,
    scheduler: str | None,
    client: Any,
) -> _Runner:
    if executor == "serial":
        return _SerialRunner(datasets)
    if executor == "local":
        return _PoolRunner(datasets, workers)
    if executor == "dask":
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - the "dist" extra is missing
            raise RuntimeError(
                "需要安装 dask 与 distributed（pip install 'rotation[dist]'）/ "
                "the dask executor needs the 'dist' extra"
            ) from exc
        if client is not None:
            return _DaskRunner(datasets, client, [])
        if scheduler:
            own = Client(scheduler)
            return _DaskRunner(datasets, own, [own])
        cluster, own = start_local_cluster(workers)
        return _DaskRunner(datasets, own, [own, cluster])
    raise ValueError(f"--executor 应为 {'/'.join(EXECUTORS)} / unknown executor {executor!r}")


def dask_workers(client: Any) -> int:
    """The number of worker threads of a Dask cluster."""
    return max(1, sum(client.nthreads().values()))


def _resolve_workers(executor: str, workers: int | None, client: Any) -> int:
    if workers is not None:
        return max(1, workers)
    if executor == "dask" and client is not None:
        return dask_workers(client)
    if executor == "serial":
        return 1
    return max(1, min(os.cpu_count() or 1, 8))
