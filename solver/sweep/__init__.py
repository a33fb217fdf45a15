"""What-if sweeps and outlooks: plan many scenarios on a local process pool or a Dask cluster.

``run_sweep`` plans one year under every scenario of a grid (``rotation.scenarios``);
``run_outlook_sweep`` rolls the county forward over several years under each scenario.

- Each scenario is one task. The grid's scenarios are split into ``workers`` contiguous
  chains; within a chain a scenario starts when the one before it is done, from that
  plan as its hint (neighbouring scenarios differ in one parameter, so the previous plan
  is a good start). Chains run in parallel.
- Executors: ``serial`` (in this process), ``local`` (a process pool, the default) and
  ``dask`` (a Dask distributed cluster: ``scheduler`` address, a ``client``, or a local
  cluster started for the run). The datasets are shipped to the workers once.
- A task that fails is retried ``retries`` times, then reported (``ok`` False, with the
  error) without losing the other scenarios; results come back in grid order.

Modules: ``models`` (the results), ``tasks`` (what one task runs), ``executors`` (serial,
process pool, Dask), ``driver`` (chains, hints, retries) and ``run`` (the entry points).
Everything public is re-exported here.
"""

from __future__ import annotations

from solver.sweep.driver import chains_of
from solver.sweep.executors import EXECUTORS, Executor, dask_workers, start_local_cluster
from solver.sweep.models import OutlookResult, ScenarioOutcome, SweepProgress, SweepResult
from solver.sweep.run import run_outlook_sweep, run_scenarios, run_sweep
from solver.sweep.tasks import outlook_scenario, run_outlook, solve_scenario

__all__ = [
    "EXECUTORS",
    "Executor",
    "OutlookResult",
    "ScenarioOutcome",
    "SweepProgress",
    "SweepResult",
    "chains_of",
    "dask_workers",
    "outlook_scenario",
    "run_outlook",
    "run_outlook_sweep",
    "run_scenarios",
    "run_sweep",
    "solve_scenario",
    "start_local_cluster",
]
