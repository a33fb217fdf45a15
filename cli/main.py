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

from cli.entry import INTERRUPTED
from cli.help import BilingualCommand, BilingualGroup

try:  # typer ≥ 0.20 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

app = typer.Typer(
    name="rotation",
    help="教师交流轮岗方案引擎 / teacher rotation planning engine (县管校聘).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help: flags show as flags (``--xlsx``), not ``--xlsx <bool>`` as typer's
    # rich panels print them
    rich_markup_mode=None,
    cls=BilingualGroup,
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
        "cli.apply_commands",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    for command in app.registered_commands:  # every command's help: both languages, exit codes
        command.cls = BilingualCommand


_register()

EXIT_BAD_PARAMETERS = 2
EXIT_INTERNAL = 4
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> None:
    """Run the command; every failure ends as one bilingual line and an exit status."""
    try:
        status = app(args=argv, prog_name="rotation", standalone_mode=False)
    except click_errors.UsageError as exc:  # a bad option or value, before any work
        if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
            typer.echo(exc.ctx.get_help())
            sys.exit(0)
        hint = f"rotation {exc.ctx.info_name} --help" if exc.ctx is not None else "rotation --help"
        typer.echo(
            f"参数有误 / invalid arguments: {exc.format_message()}（用法见 / usage: {hint}）",
            err=True,
        )
        sys.exit(EXIT_BAD_PARAMETERS)
    except click_errors.ClickException as exc:
        typer.echo(f"无法完成 / cannot complete: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo(INTERRUPTED, err=True)
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
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
