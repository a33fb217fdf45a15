"""What every backend returns."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from solver.progress import Progress, ProgressFn, relative_gap


@dataclass
class SolveResult:
    values: npt.NDArray[np.float64] | None  # one value per model column; None = no solution
    objective: float | None  # in the model's integer units
    bound: float | None
    status: str  # optimal / feasible / infeasible / no_solution / stopped
    solve_seconds: float
    first_solution_seconds: float | None = None
    history: list[Progress] = field(default_factory=list)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


class ProgressRecorder:
    """Keeps the trajectory of a solve and forwards it to the caller's callback."""

    def __init__(self, progress: ProgressFn | None, scale: float) -> None:
        self.progress = progress
        self.scale = scale
        self.start = time.perf_counter()
        self.history: list[Progress] = []
        self.first_solution: float | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def report(self, objective: float | None, bound: float | None, message: str = "") -> None:
        now = self.elapsed()
        if objective is not None and self.first_solution is None:
            self.first_solution = now
        obj = None if objective is None else objective / self.scale
        bnd = None if bound is None else bound / self.scale
        p = Progress(now, obj, bnd, relative_gap(obj, bnd), "solve", message)
        self.history.append(p)
        if self.progress is not None:
            self.progress(p)


def finish(
    recorder: ProgressRecorder,
    values: npt.NDArray[np.float64] | None,
    status: str,
    objective: float | None,
    bound: float | None,
) -> SolveResult:
    """The last progress report and the result, the same for every backend."""
    recorder.report(objective, bound, "结束 / finished")
    return SolveResult(
        values=values,
        objective=objective,
        bound=bound,
        status=status,
        solve_seconds=recorder.elapsed(),
        first_solution_seconds=recorder.first_solution,
        history=recorder.history,
    )
