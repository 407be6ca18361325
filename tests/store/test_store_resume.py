"""Idempotent and resumable ingest: kill -9 in the middle, run again, get exactly the data of one clean run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import REPORTS, dump, pg_schema_url, write_jsonl

import rasd.store

WORKER = Path(__file__).with_name("ingest_worker.py")


def _corpus(tmp_path: Path, n: int = 60) -> Path:
    """n documents: the real reports, re-issued under new ids by other 'outlets' on later days."""
    records = []
    for i in range(n):
        base = REPORTS[i % len(REPORTS)]
        records.append(
            dict(
                base, id=f"{base['id']}-{i}", source=f"{base['source']}{i % 4}", text=base["text"] + f" ({i})"
            )
        )
    return write_jsonl(tmp_path / "corpus.jsonl", records)


def _run(corpus: Path, db: str, delay: float = 0.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WORKER), str(corpus), db, str(delay)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _count(db: str) -> int:
    if db.startswith("postgresql://"):
        import psycopg

        try:
            with psycopg.connect(db, autocommit=True) as conn:
                row = conn.execute("SELECT COUNT(*) FROM documents").fetchone()
                return int(row[0]) if row else 0
        except psycopg.Error:
            return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def _kill_mid_run(corpus: Path, db: str, total: int) -> int:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(corpus), str(db), "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        stored = _count(db)
        if stored >= total // 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return _count(db)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_dbs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        yield str(tmp_path / "clean.db"), str(tmp_path / "killed.db")
        return
    first = pg_schema_url()
    second = pg_schema_url()
    try:
        yield next(first), next(second)
    finally:
        for gen in (first, second):
            gen.close()


@pytest.mark.slow
def test_kill_9_then_rerun_gives_the_data_of_a_clean_run(tmp_path: Path, two_dbs: tuple[str, str]) -> None:
    corpus = _corpus(tmp_path)
    clean, killed = two_dbs
    out = _run(corpus, clean)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["60", "0", "0"]

    stored = _kill_mid_run(corpus, killed, 60)
    assert 0 < stored < 60
    out = _run(corpus, killed)
    assert out.returncode == 0, out.stderr
    new, skipped, failed = (int(x) for x in out.stdout.split())
    assert (new + skipped, failed) == (60, 0) and skipped == stored

    with rasd.store.open(clean) as a, rasd.store.open(killed) as b:
        da, db_ = dump(a), dump(b)
        assert da == db_
        assert len(da["documents"]) == 60 and len(da["events"]) == 60
        assert a.counts()["incidents"] == b.counts()["incidents"]
        runs = b.runs()
        assert [r["status"] for r in runs] == ["running", "done"]  # the killed run never finished

    # idempotent: a third run stores nothing new and changes nothing
    out = _run(corpus, killed)
    assert out.stdout.split() == ["0", "60", "0"]
    with rasd.store.open(killed) as b:
        assert dump(b) == da
