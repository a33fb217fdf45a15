"""The installed ``rotation`` command's first frame: a Ctrl-C or SIGTERM that comes while the
command is still loading (importing the solvers takes about a second) ends it with the same
words and status as one that comes later, never a traceback."""

from __future__ import annotations

import signal
import sys
from types import FrameType

INTERRUPTED = "已中断，未写出任何文件 / interrupted; nothing was written"


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # SIGTERM as Ctrl-C until a command installs its own handler


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    try:
        from cli.main import main as run
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED + "\n")
        sys.exit(130)
    run()
