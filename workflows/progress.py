"""The callbacks every long workflow takes: progress reports and a stop request."""

from __future__ import annotations

from solver.progress import Progress, ProgressFn, StopFn

__all__ = ["Progress", "ProgressFn", "StopFn"]
