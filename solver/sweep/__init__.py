"""Running many scenarios on a local process pool or a Dask cluster: the machinery under
the what-if sweep and the outlook (``workflows.sweep``, ``workflows.outlook``), which
give the tasks to run.

- Each scenario is one task. The grid's scenarios are split into ``workers`` contiguous
  chains; within a chain a scenario starts when the one before it is done, from that
  plan as its hint (neighbouring scenarios differ in one parameter, so the previous plan
  is a good start). Chains run in parallel.
- Executors: ``serial`` (in this process), ``local`` (a process pool, the default) and
  ``dask`` (a Dask distributed cluster: ``scheduler`` address, a ``client``, or a local
  cluster started for the run). The datasets are shipped to the workers once.
- A task that fails is retried ``retries`` times, then reported (``ok`` False, with the
  error) without losing the other scenarios; results come back in grid order.

Modules: ``models`` (the results), ``executors`` (serial, process pool, Dask) and
``driver`` (chains, hints, retries).
Everything public is re-exported here.
"""

from __future__ import annotations

from solver.sweep.driver import chains_of
from solver.sweep.executors import EXECUTORS, Executor, dask_workers, start_local_cluster
from solver.sweep.models import (
    ItinerantYear,
    OutlookResult,
    ScenarioOutcome,
    SweepProgress,
    SweepResult,
)

__all__ = [
    "EXECUTORS",
    "Executor",
    "ItinerantYear",
    "OutlookResult",
    "ScenarioOutcome",
    "SweepProgress",
    "SweepResult",
    "chains_of",
    "dask_workers",
    "start_local_cluster",
]
