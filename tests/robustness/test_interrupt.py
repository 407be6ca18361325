"""Regression for #10: kill -9 during an export and during a Dask ingest; the rerun ends with exactly the data
of an uninterrupted run (no truncated file that looks whole, no lost or duplicated rows).

Run as a script, this file is the worker the tests kill: ``python test_interrupt.py export DELAY ARGS...``
runs ``rasd ARGS...`` with every exported record delayed by DELAY seconds (a test hook living in the tests,
not in rasd), so the parent can kill it while the file is being written.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from storekit import REPORTS, dump, fake_extract, write_jsonl

HERE = Path(__file__).resolve()


def _export_worker(argv: list[str]) -> None:
    """Test hook: run `rasd export ...` with every record delayed, so that a kill lands mid-write."""
    import rasd.store.output as output
    from rasd.cli import main

    delay = float(argv[0])
    real = output.write_records

    def slow_write(store: Any, records: Any, *args: Any, **kwargs: Any) -> int:
        def slowly() -> Iterator[Any]:
            for rec in records:
                time.sleep(delay)
                yield rec

        return real(store, slowly(), *args, **kwargs)

    output.write_records = slow_write
    main(argv[1:])


if __name__ == "__main__":
    if sys.argv[1] == "export":
        _export_worker(sys.argv[2:])
    sys.exit(0)


import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

import rasd.ingest  # noqa: E402
import rasd.store  # noqa: E402
from rasd.cli import main  # noqa: E402
from rasd.process import PARTIAL_MARK  # noqa: E402

pytestmark = pytest.mark.slow


def _records(n: int) -> list[dict[str, Any]]:
    """n documents: the real reports, re-issued under new ids by other 'outlets' (as test_store_resume)."""
    out = []
    for i in range(n):
        base = REPORTS[i % len(REPORTS)]
        out.append(
            dict(
                base, id=f"{base['id']}-{i}", source=f"{base['source']}{i % 4}", text=base["text"] + f" ({i})"
            )
        )
    return out


@pytest.fixture(scope="module")
def export_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("export")
    corpus = write_jsonl(tmp / "corpus.jsonl", _records(60))
    db = str(tmp / "rasd.db")
    summary = rasd.ingest.ingest([corpus], db, extract=fake_extract, progress=False)
    assert summary.new == 60 and summary.failed == 0
    return db


def _export(db: str, fmt: str, target: Path, *extra: str) -> None:
    res = CliRunner().invoke(main, ["export", "--db", db, "-f", fmt, "-o", str(target), *extra])
    assert res.exit_code == 0, res.output


def _partials(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}{PARTIAL_MARK}*"))


def _kill_export(db: str, fmt: str, target: Path) -> None:
    """Start a slow export of the whole store into ``target`` and kill -9 it while it writes."""
    before = _stamp(target) if target.exists() else None
    proc = subprocess.Popen(
        [sys.executable, str(HERE), "export", "0.03", "export", "--db", db, "-f", fmt, "-o", str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 20
        started = False
        while time.time() < deadline and proc.poll() is None:
            # writing has begun: a partial file exists (text formats: holding data; parquet writes only at
            # the end), or the target itself is being rewritten (what a non-atomic export would do)
            parts = _partials(target)
            if parts and (fmt == "parquet" or parts[0].stat().st_size > 0):
                started = True
            elif target.exists() and _stamp(target) != before and target.stat().st_size > 0:
                started = True
            if started:
                break
            time.sleep(0.01)
        assert proc.poll() is None, "the export ended before it could be killed"
        assert started, "the export never started writing"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _same_export(fmt: str, a: Path, b: Path) -> bool:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        return bool(pq.read_table(a).equals(pq.read_table(b)))
    return a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [("jsonl", "jsonl"), ("acled-csv", "csv"), ("geojson", "geojson"), ("parquet", "parquet")],
)
def test_kill_9_mid_export_leaves_no_truncated_file_and_the_rerun_is_identical_issue10(
    export_db: str, tmp_path: Path, fmt: str, suffix: str
) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    clean = tmp_path / f"clean.{suffix}"
    _export(export_db, fmt, clean)
    target = tmp_path / f"out.{suffix}"

    # 1. killed with no earlier file: no file at all, only an obviously partial one
    _kill_export(export_db, fmt, target)
    assert not target.exists()
    assert len(_partials(target)) == 1

    # 2. a complete export (another selection) replaces it and removes the killed run's partial
    _export(export_db, fmt, target, "--source", "aawsat0")
    previous = target.read_bytes()
    assert _partials(target) == []
    assert not _same_export(fmt, target, clean)

    # 3. killed while replacing a complete file: the previous complete file is still there, byte for byte
    _kill_export(export_db, fmt, target)
    assert target.read_bytes() == previous

    # 4. the rerun gives exactly the uninterrupted export and leaves no partial behind
    _export(export_db, fmt, target)
    assert _same_export(fmt, target, clean)
    if fmt != "parquet":
        assert target.read_bytes() == clean.read_bytes()
    assert _partials(target) == []


# ---------------------------------------------------------------------------------------------- dask ingest
def _dask_corpus(root: Path, files: int = 24, per_file: int = 8) -> Path:
    """``files`` JSON Lines files (one shard each) of ``per_file`` reports: many shards, so a kill lands
    between them."""
    recs = _records(files * per_file)
    folder = root / "in"
    folder.mkdir()
    for f in range(files):
        write_jsonl(folder / f"part{f:02d}.jsonl", recs[f * per_file : (f + 1) * per_file])
    return folder


def _dask_cmd(corpus: Path, out: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from rasd.cli import main; main()",
        "ingest",
        str(corpus),
        "--engine",
        "dask",
        "--workers",
        "2",
        "--out",
        str(out),
        "--db",
        str(db),
    ]


def _dask_run(corpus: Path, out: Path, db: Path) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(
        _dask_cmd(corpus, out, db), capture_output=True, text=True, timeout=180, check=False, cwd=out.parent
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return time.perf_counter() - t0


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


def _group_alive(pgid: int) -> list[int]:
    """Processes of the group that still run (zombies waiting for a reaper do not count)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _kill_tree_when(corpus: Path, out: Path, db: Path, ready: Callable[[], bool]) -> None:
    """Start the dask ingest in its own session and kill -9 its whole process group (client, scheduler,
    nannies, workers) as soon as ``ready()``."""
    proc = subprocess.Popen(
        _dask_cmd(corpus, out, db),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=out.parent,
    )
    try:
        deadline = time.time() + 120
        while time.time() < deadline and proc.poll() is None and not ready():
            time.sleep(0.01)
        assert proc.poll() is None, "the dask ingest finished before it could be killed"
        assert ready(), "the dask ingest never reached the phase to interrupt"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.time() + 30
        while _group_alive(proc.pid) and time.time() < deadline:
            time.sleep(0.05)
        assert not _group_alive(proc.pid), "a process of the killed run survived"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _dataset(out: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of the dataset, sorted by id (file names and order differ between runs); timestamps out."""
    import pyarrow.parquet as pq

    tables = {"documents": "id", "events": "event_id", "incidents": "incident_id"}
    data = {}
    for name, key in tables.items():
        rows = [
            {k: v for k, v in r.items() if k not in ("updated_at", "created_at")}
            for r in pq.read_table(out / name).to_pylist()
        ]
        ids = [r[key] for r in rows]
        assert len(ids) == len(set(ids)), f"duplicate rows in {name}/"
        data[name] = sorted(rows, key=lambda r: str(r[key]))
    return data


PHASES = {
    # some shards done, others not (or half-written)
    "shards": lambda out, db, total: 2 <= len(list((out / "_shards").glob("*.json"))) < total,
    # every shard done, the store (and so incidents/) half written
    "store": lambda out, db, total: 0 < _stored(db) < total,
}


@pytest.fixture(scope="module")
def dask_clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, float]:
    """The corpus and one uninterrupted dask ingest of it (shared by the kill tests): corpus, out, db, seconds."""
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    root = tmp_path_factory.mktemp("dask")
    corpus = _dask_corpus(root)
    out, db = root / "clean", root / "clean.db"
    return corpus, out, db, _dask_run(corpus, out, db)


@pytest.mark.parametrize("phase", sorted(PHASES))
def test_kill_9_of_a_dask_ingest_then_rerun_gives_the_data_of_a_clean_run_issue10(
    tmp_path: Path, phase: str, dask_clean: tuple[Path, Path, Path, float]
) -> None:
    corpus, clean_out, clean_db, t_clean = dask_clean
    total_docs, total_shards = 24 * 8, 24
    out, db = tmp_path / "killed", tmp_path / "killed.db"
    total = total_shards if phase == "shards" else total_docs
    _kill_tree_when(corpus, out, db, lambda: bool(PHASES[phase](out, db, total)))
    markers_after_kill = len(list((out / "_shards").glob("*.json")))
    t_rerun = _dask_run(corpus, out, db)
    print(f"\ndask kill in {phase} phase: clean run {t_clean:.1f}s, rerun after kill {t_rerun:.1f}s")

    assert _dataset(out) == _dataset(clean_out)
    assert len(_dataset(out)["documents"]) == total_docs
    assert not list(out.glob("*/.*.partial-*")), "temporary files of the killed run were left"
    with rasd.store.open(str(clean_db)) as a, rasd.store.open(str(db)) as b:
        assert dump(b) == dump(a)
        assert b.counts()["documents"] == total_docs
        statuses = [r["status"] for r in b.runs()]
    if phase == "store":
        assert markers_after_kill == total_shards
        # the killed run's row is marked "interrupted" by the next run (its process is gone)
        assert statuses == ["interrupted", "done"]
    else:
        assert 2 <= markers_after_kill < total_shards
        assert statuses == ["done"]
