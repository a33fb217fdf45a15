"""A CP-SAT solve that a stop request ends (Ctrl-C, SIGTERM, a cancelled job)."""

from __future__ import annotations

import threading
from typing import Any

from ortools.sat.python import cp_model

from solver.progress import StopFn


def solve_stoppable(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    should_stop: StopFn | None,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> Any:
    """``solver.solve`` that ends its search within 0.2 s of ``should_stop`` answering True
    (CP-SAT's own Ctrl-C catcher is off: the stop is the CLI's and the service's)."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.2):
            if should_stop is not None and should_stop():
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return solver.solve(model, callback)
    finally:
        done.set()
        watcher.join()
