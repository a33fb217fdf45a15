"""Solver backends: each solves a LinearModel and returns a SolveResult."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from solver.backends.base import SolveResult
from solver.linear_model import LinearModel
from solver.options import SolveOptions
from solver.progress import ProgressFn, StopFn

BackendFn = Callable[
    [LinearModel, SolveOptions, np.ndarray | None, ProgressFn | None, StopFn | None], SolveResult
]


def get_backend(name: str) -> BackendFn:
    if name == "highs":
        from solver.backends.highs import solve_highs

        return solve_highs
    if name == "cpsat":
        from solver.backends.cpsat import solve_cpsat

        return solve_cpsat
    if name == "scip":
        from solver.backends.scip import solve_scip

        return solve_scip
    raise ValueError(f"未知求解器 / unknown backend: {name!r}")


__all__ = ["SolveResult", "get_backend"]
