"""rasd.process.pid_alive: how leftovers of a killed run are told from those of a live one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rasd.process import pid_alive


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]


def test_this_process_is_alive() -> None:
    assert pid_alive(os.getpid())


@pytest.mark.parametrize("pid", [2**40, 2**31 - 1])
def test_a_pid_that_cannot_exist_is_gone(pid: int) -> None:
    assert not pid_alive(pid)


def test_a_reaped_child_is_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert not pid_alive(child.pid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to see a zombie")
def test_a_zombie_counts_as_gone_issue10() -> None:
    """CI regression (issue 10): a killed run's workers, orphaned in a container whose init never reaps them,
    stayed zombies; kill(pid, 0) still succeeds on a zombie, so their temporary files were kept forever."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.time() + 30
        while _state(child.pid) != "Z" and time.time() < deadline:  # exited, not yet reaped
            time.sleep(0.01)
        assert _state(child.pid) == "Z"
        assert not pid_alive(child.pid)
    finally:
        child.wait()
