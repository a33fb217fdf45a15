"""The CLI's help shows a switch as a switch: ``--xlsx``, not ``--xlsx <bool>``."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def test_boolean_options_are_shown_as_flags_in_every_commands_help() -> None:
    for command in ("sample", "plan", "allocate", "check-data", "policy", "restore"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output
        assert "<bool>" not in result.output, (command, result.output)
    sample = runner.invoke(app, ["sample", "--help"]).output
    assert re.search(r"^\s+--xlsx\s+写成 Excel 工作簿", sample, re.M), sample
