"""Ctrl-C (SIGINT) and SIGTERM while a command works: stop, and keep what exists.

Before the first plan exists, a signal ends the command at once: nothing is written and
the message says so. Once a plan exists (the greedy start plan is one), a signal asks
the solver to stop; the command writes the best plan so far, marked interrupted, and
exits with status 130.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType
from typing import Any

INTERRUPTED_NOTHING = (
    "已中断：尚无方案，未写出任何文件 / interrupted before any plan existed; nothing was written"
)
INTERRUPTED_KEPT = "已中断：已写出中断时的最优方案 / interrupted: the best plan so far was written"


class Interrupted(Exception):
    """A stop asked before any plan existed."""


class StopOnSignal:
    """Installs SIGINT/SIGTERM handlers for the duration of a ``with`` block."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.requested = False
        self.plan_exists = False
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> StopOnSignal:
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        _ = signum, frame
        self.requested = True
        if not self.plan_exists:
            raise Interrupted

    def should_stop(self) -> bool:
        return self.requested

    def a_plan_exists(self) -> None:
        """From now on a signal stops the search instead of ending the command."""
        self.plan_exists = True
