"""Regression for #10: `rasd export -o FILE` (and `rasd query -o`) write FILE atomically.

A failure mid-write leaves the previous FILE untouched and no temporary file; partials of killed exports are
cleaned up by the next export of the same target; FIFOs and devices are written directly. The kill -9 case
itself is in tests/robustness/test_interrupt.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from storekit import REPORTS, fake_extract, write_jsonl

import rasd.ingest
import rasd.store
import rasd.store.output as output
from rasd.cli import main
from rasd.errors import OutputError, StoreError
from rasd.store.output import atomic_output, partial_path, remove_stale_partials


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "rasd.db")
    rasd.ingest.ingest(
        [write_jsonl(tmp_path / "c.jsonl", REPORTS)], path, extract=fake_extract, progress=False
    )
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(timeout=30)
    return proc.pid


@pytest.mark.parametrize("fmt", ["jsonl", "acled-csv", "geojson", "table"])
def test_a_failure_mid_export_keeps_the_previous_file_and_no_partial_issue10(
    db: str, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("previous complete export\n", encoding="utf-8")
    real = output.write_records

    def broken(store: Any, records: Any, *args: Any, **kwargs: Any) -> int:
        def some() -> Any:
            for i, rec in enumerate(records):
                if i == 2:
                    raise StoreError("disk went away")
                yield rec

        return real(store, some(), *args, **kwargs)

    monkeypatch.setattr(output, "write_records", broken)
    res = CliRunner().invoke(main, ["export", "--db", db, "-f", fmt, "-o", str(target)])
    assert res.exit_code == StoreError.exit_code
    assert "disk went away" in res.output and "Traceback" not in res.output
    assert target.read_text(encoding="utf-8") == "previous complete export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl", "out.txt", "rasd.db"]


def test_query_to_a_file_is_atomic_too_issue10(db: str, tmp_path: Path) -> None:
    target = tmp_path / "q.jsonl"
    res = CliRunner().invoke(main, ["query", "--db", db, "-f", "jsonl", "-o", str(target)])
    assert res.exit_code == 0, res.output
    assert len(target.read_text(encoding="utf-8").splitlines()) == 6
    assert not list(tmp_path.glob(".q.jsonl.partial-*"))


def test_stale_partials_of_dead_exports_are_removed_live_ones_kept_issue10(tmp_path: Path) -> None:
    target = tmp_path / "events.csv"
    dead = partial_path(target, _dead_pid())
    live = partial_path(target, os.getppid())  # a running process: a concurrent export of the same file
    other = partial_path(tmp_path / "other.csv", _dead_pid())  # another target's partial: not ours to touch
    for p in (dead, live, other):
        p.write_text("half", encoding="utf-8")
    with atomic_output(target, newline="") as fh:
        fh.write("a,b\r\n")
    assert target.read_bytes() == b"a,b\r\n"
    assert not dead.exists() and live.exists() and other.exists()
    assert remove_stale_partials(target) == []


def test_partial_names_are_hidden_and_say_partial(tmp_path: Path) -> None:
    p = partial_path(tmp_path / "x.parquet", 1234)
    assert p.parent == tmp_path and p.name == ".x.parquet.partial-1234"


def test_an_unwritable_directory_is_a_one_line_error_issue10(db: str, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.jsonl"
    res = CliRunner().invoke(main, ["export", "--db", db, "-f", "jsonl", "-o", str(target)])
    assert res.exit_code == OutputError.exit_code
    assert "RASD800" in res.output and "directory exists" in res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1


def test_a_symlinked_target_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with atomic_output(link) as fh:
        fh.write("new\n")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_target_is_written_directly_not_replaced(db: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    res = CliRunner().invoke(main, ["export", "--db", db, "-f", "jsonl", "-o", str(fifo)])
    reader.join(timeout=30)
    assert res.exit_code == 0, res.output
    assert fifo.is_fifo()
    assert len(got[0].decode("utf-8").splitlines()) == 6
