"""The README's promises: two quick-start commands, and a Python example that runs (issue 2)."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_quick_start_is_the_first_section_with_exactly_two_commands() -> None:
    first_section = re.search(r"^## (.+)$", README, flags=re.M)
    assert first_section and first_section.group(1) == "Quick start"
    lines = [ln for ln in _blocks("sh")[0].splitlines() if ln.strip()]
    assert len(lines) == 2
    assert "rasd ingest examples" in lines[0] and "rasd serve" in lines[0]
    assert lines[1] == "./scripts/test.sh"


def test_ci_runs_the_readme_test_command() -> None:
    assert "./scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert os.access(ROOT / ".ci" / "run", os.X_OK) and os.access(ROOT / "scripts" / "test.sh", os.X_OK)


@pytest.mark.parametrize("block", [b for b in _blocks("python") if "rasd.read(" in b])
def test_python_examples_run(block: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    assert "Armed clash" in out.getvalue()
