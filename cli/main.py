"""The `rotation` command: a thin shell over the domain, the solver and the service.

Each group of commands lives in its own module and registers itself on ``app``.
"""

from __future__ import annotations

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

if __name__ == "__main__":
    app()
