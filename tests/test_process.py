"""rasd.process.pid_alive: how leftovers of a killed run are told from those of a live one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rasd.process import partial_path, pid_alive, remove_dead_partials


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


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize(
    ("target", "gone"),
    [
        (None, {".a.csv.partial-DEAD", ".b.parquet.partial-DEAD"}),
        ("a.csv", {".a.csv.partial-DEAD"}),
        ("a", set()),  # a prefix of another target's name is not that target
    ],
)
def test_remove_dead_partials_takes_only_dead_writers_files(
    tmp_path: Path, target: str | None, gone: set
) -> None:
    dead, live = _dead_pid(), os.getpid()
    names = [
        partial_path(tmp_path / "a.csv", dead).name,
        partial_path(tmp_path / "b.parquet", dead).name,
        partial_path(tmp_path / "a.csv", live).name,  # still being written
        ".a.csv.partial-x",  # not a pid: not ours
        ".hidden",
        "a.csv",
    ]
    for n in names:
        (tmp_path / n).write_text("x", encoding="utf-8")
    removed = remove_dead_partials(tmp_path, target)
    assert {p.name.replace(str(dead), "DEAD") for p in removed} == gone
    left = {p.name for p in tmp_path.iterdir()}
    assert left == set(names) - {p.name for p in removed}
    assert remove_dead_partials(tmp_path / "missing") == []
