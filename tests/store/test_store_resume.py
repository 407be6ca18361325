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


def _run(corpus: Path, db: str, delay: float = 0.0, mode: str = "fake") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WORKER), str(corpus), db, str(delay), mode],
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


def _kill_mid_run(corpus: Path, db: str, total: int, mode: str = "fake") -> int:
    """Ingest slowly in a subprocess and kill -9 it once a third of the documents are committed (mode
    ``grouping``: also only while a document's transaction is open, inside the incident grouping)."""
    flag = Path(str(corpus) + ".grouping")
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(corpus), str(db), "0.05", mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None:
            if _count(db) >= total // 3 and (mode != "grouping" or flag.exists()):
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    if mode == "grouping":
        assert flag.exists(), "the kill did not land inside the incident grouping"
        flag.unlink()
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
@pytest.mark.parametrize(
    "mode",
    [
        "fake",  # the stand-in coder: known counts
        "real",  # the real pipeline: mentions and real evidence are stored and compared too
        "grouping",  # killed inside a document's transaction, while its incident is being grouped
    ],
)
def test_kill_9_then_rerun_gives_the_data_of_a_clean_run(
    tmp_path: Path, two_dbs: tuple[str, str], mode: str
) -> None:
    """Also the regression for #10: every table (documents, mentions, events, evidence, incidents, incident
    membership) equals that of one clean run, whatever phase of a document's write the kill hits."""
    corpus = _corpus(tmp_path)
    clean, killed = two_dbs
    clean_mode = "real" if mode == "real" else "fake"
    out = _run(corpus, clean, mode=clean_mode)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["60", "0", "0"]

    stored = _kill_mid_run(corpus, killed, 60, mode)
    assert 0 < stored < 60
    out = _run(corpus, killed, mode=clean_mode)
    assert out.returncode == 0, out.stderr
    new, skipped, failed = (int(x) for x in out.stdout.split())
    assert (new + skipped, failed) == (60, 0) and skipped == stored

    with rasd.store.open(clean) as a, rasd.store.open(killed) as b:
        da, db_ = dump(a), dump(b)
        assert da == db_
        assert len(da["documents"]) == 60
        # the comparison is not vacuous: every table holds rows (the stand-in coder makes no mentions)
        assert all(rows for table, rows in da.items() if not (table == "mentions" and mode != "real"))
        if mode != "real":
            assert len(da["events"]) == 60
        assert a.counts()["incidents"] == b.counts()["incidents"]
        runs = b.runs()
        assert [r["status"] for r in runs] == ["interrupted", "done"]  # the killed run is marked by the next

    # idempotent: a third run stores nothing new and changes nothing
    out = _run(corpus, killed, mode=clean_mode)
    assert out.stdout.split() == ["0", "60", "0"]
    with rasd.store.open(killed) as b:
        assert dump(b) == da
