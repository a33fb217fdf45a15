"""The `rotation` command: argument parsing over the use-case layer (``workflows``).

Each group of commands lives in its own module and registers itself on ``app``. ``main``
is the installed entry point: whatever happens, the user sees words, not a traceback
(exit status 4 for an unexpected failure, 130 for Ctrl-C; ``ROTATION_DEBUG=1`` shows the
traceback for a developer).
"""

from __future__ import annotations

import os
import sys

import typer

app = typer.Typer(
    name="rotation",
    help="教师交流轮岗方案引擎 / teacher rotation planning engine (县管校聘).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported for their side effect: each module adds its commands to `app`.
    import importlib

    for name in (
        "cli.data_commands",
        "cli.sample_commands",
        "cli.plan_commands",
        "cli.check_commands",
        "cli.allocate_commands",
        "cli.serve_commands",
        "cli.whatif_commands",
        "cli.notice_commands",
        "cli.policy_commands",
        "cli.backup_commands",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


_register()

EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> None:
    """Run the command; every failure ends as one bilingual line and an exit status."""
    try:
        app(args=argv, prog_name="rotation")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("已中断，未写出任何文件 / interrupted; nothing was written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("ROTATION_DEBUG") == "1":
            raise
        what = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        typer.echo(
            f"内部错误，未能完成 / internal error, not completed: {what} "
            f"（设置 ROTATION_DEBUG=1 可查看详情 / set ROTATION_DEBUG=1 for details）",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
