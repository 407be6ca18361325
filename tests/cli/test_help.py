"""Every command answers --help and exits 0 (issue 2: `--help` on every command)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from rasd.cli import main


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    res = CliRunner().invoke(main, [command, "--help"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"Usage: main {command}") or res.output.startswith(f"Usage: rasd {command}")
    assert len(res.output.splitlines()) > 3


def test_the_main_command_lists_the_pipeline_commands() -> None:
    out = CliRunner().invoke(main, ["--help"]).output
    for command in ("extract", "ingest", "query", "export", "serve", "geocode", "eval", "train"):
        assert command in out
