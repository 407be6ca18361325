"""Regression for #17: hostile input never stops a run, never loses or duplicates an article silently, never
hangs; store, CLI and server errors are typed.

Each case of tests/robustness/hostile.py (built in tmp_path: FIFOs, link loops and non-UTF-8 names cannot live
in git) goes through the library (``rasd.read``), ``rasd extract``, ``rasd ingest`` (twice: the re-run is a
no-op) and the Dask dataset engine. Then the store and CLI edges (missing, damaged, full, read-only, device
databases; huge filter values; closed stdin; a full output disk), the server (huge corrections, a damaged or
deleted database, downloads) and the per-document effort budget.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner

import rasd
from rasd.cli import main
from rasd.document import Document
from rasd.errors import (
    DocumentTooComplexError,
    StoreCorruptError,
    StoreFullError,
    StoreNotFoundError,
    StoreReadOnlyError,
    StoreUnavailableError,
    TooManyMentionsError,
)
from rasd.ingest import ingest
from rasd.pipeline import FunctionStage, Pipeline, deadline_of
from rasd.readers import read
from rasd.store import open as open_store
from rasd.store.sqlite import store_error

from .hostile import ATTACK, KILLED, Hostile, build

with tempfile.TemporaryDirectory() as _names:  # the case names, for test ids; the cases are built per module
    IDS = [c.name for c in build(Path(_names) / "cases")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("hostile")
    return {"root": root, "cases": {c.name: c for c in build(root)}}


def _case(corpus: dict[str, Any], name: str) -> tuple[Path, Hostile]:
    case: Hostile = corpus["cases"][name]
    return corpus["root"] / case.path, case


def _no_traceback(output: str) -> None:
    assert "Traceback" not in output and "Error:" not in output.replace("rasd: error:", ""), output


@pytest.mark.parametrize("name", IDS)
def test_library_reads_every_record_issue17(corpus: dict[str, Any], name: str) -> None:
    path, case = _case(corpus, name)
    notes: list[str] = []
    reader = read(path, on_warning=notes.append)
    docs = list(reader)
    assert len(docs) == case.docs
    assert [err.code for err in reader.failed] == list(case.failed)
    assert all("\n" not in str(err) for err in reader.errors)
    text = "\n".join(d.text for d in docs)
    for wanted in case.texts:
        assert wanted in text
    assert len(notes) >= case.warnings
    assert len({d.id for d in docs}) == (case.ids or case.docs)
    for doc in docs:  # everything a reader yields can be written as UTF-8 (stored, exported)
        json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("name", IDS)
def test_extract_prints_one_record_per_document_issue17(corpus: dict[str, Any], name: str) -> None:
    path, case = _case(corpus, name)
    result = CliRunner().invoke(main, ["extract", str(path), "--no-text"])
    _no_traceback(result.output)
    assert result.exit_code == (2 if case.failed else 0), result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(records) == case.docs


@pytest.mark.parametrize("name", IDS)
def test_ingest_keeps_every_document_and_reruns_are_noops_issue17(
    corpus: dict[str, Any], name: str, tmp_path: Path
) -> None:
    path, case = _case(corpus, name)
    db = str(tmp_path / "h.db")
    first = CliRunner().invoke(main, ["ingest", str(path), "--db", db, "--json"])
    _no_traceback(first.output)
    summary = json.loads(first.stdout)
    assert summary["new"] == case.docs and summary["failed"] == len(case.failed), summary
    assert first.exit_code == (1 if case.failed else 0)
    again = json.loads(CliRunner().invoke(main, ["ingest", str(path), "--db", db, "--json"]).stdout)
    assert again["new"] == again["updated"] == 0 and again["skipped"] == case.docs, again
    assert again["total_documents"] == case.docs


def test_dask_dataset_reads_the_hostile_corpus_issue17(corpus: dict[str, Any], tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from rasd.ingest import ingest_to_parquet

    cases: dict[str, Hostile] = corpus["cases"]
    want = sum(c.docs for c in cases.values())
    failed = sum(len(c.failed) for c in cases.values())
    out = tmp_path / "ds"
    summary = ingest_to_parquet([corpus["root"]], out, workers=1, db=str(tmp_path / "ds.db"))
    assert summary.documents == want and len(summary.failures) == failed, (
        summary.failures,
        summary.shards,
        summary.resumed,
    )
    assert any("already read" in n for n in summary.notes) and any("FIFO" in n for n in summary.notes)
    with open_store(tmp_path / "ds.db") as store:  # two feeds numbering alike: both kept
        assert store.counts()["documents"] == want


# ---------------------------------------------------------------------------------------- identity


def test_same_id_in_two_feeds_is_kept_reported_and_idempotent_issue17(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"id": "0", "text": ATTACK}, ensure_ascii=False) + "\n", encoding="utf-8")
    b.write_text(json.dumps({"id": "0", "text": KILLED}, ensure_ascii=False) + "\n", encoding="utf-8")
    db = tmp_path / "i.db"
    first = ingest([a, b], db, progress=False)
    assert first.new == 2 and first.collisions == 1
    assert any(n["kind"] == "collision" and "a.jsonl" in n["message"] for n in first.notices)
    for _ in range(2):
        again = ingest([a, b], db, progress=False)
        assert again.skipped == 2 and again.new == again.updated == 0
    b.write_text(
        json.dumps({"id": "0", "text": KILLED + " اليوم"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    edited = ingest([a, b], db, progress=False)  # an edit of b's record replaces b's record, not a's
    assert edited.updated == 1 and edited.total_documents == 2
    with open_store(db) as store:
        assert ATTACK in store.get_document("0")["text"]


# ---------------------------------------------------------------------------------------- directories


def test_unlistable_folder_is_a_failure_not_a_log_line_issue17(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text(ATTACK, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    reader = read(tmp_path)
    assert len(list(reader)) == 1
    assert [e.code for e in reader.failed] == ["RASD100"] and "cannot list directory" in str(reader.failed[0])
    summary = ingest([tmp_path], tmp_path / "l.db", progress=False)
    assert summary.new == 1 and summary.failed == 1 and not summary.ok


# ---------------------------------------------------------------------------------------- store and CLI


@pytest.fixture()
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    ingest(
        [Path(__file__).resolve().parents[2] / "examples" / "000_fbd8113b0bef9d78.txt"], db, progress=False
    )
    return db


@pytest.mark.parametrize("command", [["query"], ["export", "-f", "jsonl", "-o", "-"]])
def test_read_commands_never_create_a_database_issue17(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "typo.db"
    result = CliRunner().invoke(main, [*command, "--db", str(typo)])
    assert result.exit_code == 4 and "RASD405" in result.output and not typo.exists()
    with pytest.raises(StoreNotFoundError):
        open_store(typo, create=False)
    assert not typo.exists()


def test_device_as_database_is_a_clear_error_issue17() -> None:
    for command in (["query"], ["ingest", str(Path(__file__)), "--input-format", "txt"]):
        result = CliRunner().invoke(main, [*command, "--db", os.devnull])
        assert result.exit_code == 4 and "RASD401" in result.output, result.output
        _no_traceback(result.output)


def test_damaged_database_is_a_typed_error_and_the_server_refuses_it_issue17(small_db: Path) -> None:
    data = bytearray(small_db.read_bytes())
    for offset in range(4096, len(data), 997):  # flip bytes all over the pages, leave the header
        data[offset] ^= 0xFF
    small_db.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(small_db) + suffix).unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["query", "--db", str(small_db), "--format", "jsonl"])
    _no_traceback(result.output)
    assert result.exit_code == 4 and "RASD40" in result.output
    from rasd.web.storeview import StoreBackend

    with pytest.raises(StoreCorruptError):
        StoreBackend.open(str(small_db))


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database or disk is full", StoreFullError),
        ("attempt to write a readonly database", StoreReadOnlyError),
        ("file is not a database", StoreCorruptError),
        ("database disk image is malformed", StoreCorruptError),
        ("unable to open database file", StoreUnavailableError),
        ("disk I/O error", StoreUnavailableError),
    ],
)
def test_sqlite_failures_are_typed_with_what_to_do_issue17(message: str, kind: type) -> None:
    err = store_error("x.db", sqlite3.OperationalError(message), "COMMIT")
    assert isinstance(err, kind) and "x.db" in str(err) and "\n" not in str(err)


def test_disk_full_stops_ingest_with_one_typed_error_and_loses_nothing_issue17(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples"
    store = open_store(tmp_path / "f.db")
    try:
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count={pages + 40}")
        with pytest.raises(StoreFullError, match="free space and re-run: nothing was lost"):
            ingest([examples], store, progress=False)
        kept = store.counts()["documents"]
        store.conn.execute("PRAGMA max_page_count=1073741823")
        resumed = ingest([examples], store, progress=False)
        assert resumed.skipped == kept and resumed.failed == 0  # what was committed stays; the rest resumes
    finally:
        store.close()


def test_huge_filter_values_are_clear_errors_issue17(small_db: Path) -> None:
    result = CliRunner().invoke(main, ["query", "--db", str(small_db), "--min-fatalities", "9" * 23])
    assert result.exit_code == 4 and "out of range" in result.output
    _no_traceback(result.output)


def test_full_output_disk_is_a_clear_error_issue17(small_db: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (
        ["export", "--db", str(small_db), "-f", "jsonl", "-o", "/dev/full"],
        [
            "extract",
            str(Path(__file__).resolve().parents[2] / "examples" / "000_fbd8113b0bef9d78.txt"),
            "-o",
            "/dev/full",
        ],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "RASD800" in result.output and "disk full" in result.output, (
            result.output
        )
        _no_traceback(result.output)


@pytest.mark.parametrize("command", [["extract", "-"], ["ingest", "-", "--db", "{db}"]])
def test_closed_stdin_is_a_clear_error_issue17(tmp_path: Path, command: list[str]) -> None:
    args = [a.replace("{db}", str(tmp_path / "c.db")) for a in command]
    proc = subprocess.run(
        [sys.executable, "-c", "from rasd.cli import main; main()", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: os.close(0),
    )
    assert proc.returncode != 0 and "stdin is closed" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_placeholder_dates_keep_the_document_issue17(tmp_path: Path) -> None:
    doc = next(
        iter(read(_write(tmp_path / "d.jsonl", {"id": "x", "text": ATTACK, "published": "0001-01-01"})))
    )
    assert doc.meta.published is None and doc.meta.extra["published_raw"] == "0001-01-01"
    assert "bad_published" in doc.flags
    assert rasd.extract(doc).events  # dates unanchored, the event still coded
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "d.jsonl"), "--published", "9999-12-31"])
    assert result.exit_code == 2 and "outside" in result.output


def _write(path: Path, record: dict[str, Any]) -> Path:
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------- serving


def _client(db: Path) -> Any:
    from fastapi.testclient import TestClient

    from rasd.web.app import create_app

    return TestClient(create_app(str(db), "tok"))


def test_huge_correction_is_a_400_issue17(small_db: Path) -> None:
    client = _client(small_db)
    event_id = quote(client.get("/api/events").json()["items"][0]["event_id"], safe="")
    for value in (1e23, 10**30, "1" * 5000, "1e400", -1):
        resp = client.post(
            f"/api/events/{event_id}/review",
            json={"action": "correct", "changes": {"fatalities": value}},
            headers={"Authorization": "Bearer tok"},
        )
        assert resp.status_code == 400 and resp.json()["error"]["code"] == "bad_request", resp.text


def test_deleted_database_fails_writes_instead_of_a_silent_200_issue17(small_db: Path) -> None:
    client = _client(small_db)
    event_id = quote(client.get("/api/events").json()["items"][0]["event_id"], safe="")
    for suffix in ("", "-wal", "-shm"):
        Path(str(small_db) + suffix).unlink(missing_ok=True)
    resp = client.post(
        f"/api/events/{event_id}/review", json={"action": "accept"}, headers={"Authorization": "Bearer tok"}
    )
    assert resp.status_code == 503 and resp.json()["error"]["code"] == "RASD401"
    assert client.get("/api/events.csv").status_code == 503


def test_downloads_state_their_length_issue17(small_db: Path) -> None:
    client = _client(small_db)
    for url in ("/api/events.csv", "/api/events.geojson", "/api/export/gold.jsonl?include_unreviewed=true"):
        resp = client.get(url)
        assert resp.status_code == 200 and int(resp.headers["content-length"]) == len(resp.content) > 0


# ---------------------------------------------------------------------------------------- effort budget


def test_budget_stops_a_document_between_stages_and_via_polling_issue17() -> None:
    def busy(doc: Document) -> Document:
        deadline = deadline_of(doc)
        while True:  # a loop that would never end, polling its deadline as a merging stage should
            deadline.check("busy")

    pipeline = Pipeline([FunctionStage("busy", busy)], doc_seconds=0.05)
    with pytest.raises(DocumentTooComplexError, match=r"RASD301.*too complex.*busy"):
        pipeline(Document(id="d", text=ATTACK))
    slow = Pipeline([FunctionStage("spin", lambda d: (sum(range(200_000)), d)[1])], doc_seconds=1e-9)
    with pytest.raises(DocumentTooComplexError, match="spin"):
        slow(Document(id="d", text=ATTACK))
    assert Pipeline([FunctionStage("ok", lambda d: d)], doc_seconds=None)(Document(id="d", text=ATTACK))


def test_budget_is_reported_by_extract_and_ingest_and_the_run_goes_on_issue17(tmp_path: Path) -> None:
    path = _write(tmp_path / "b.jsonl", {"id": "x", "text": ATTACK})
    default = rasd.default_pipeline()
    before = default.doc_seconds
    try:
        result = CliRunner().invoke(main, ["extract", str(path), "--doc-seconds", "1e-9"])
        assert result.exit_code == 3 and "RASD301" in result.output
        assert '"extract_failed"' in result.stdout  # still one record per document
        summary = json.loads(
            CliRunner()
            .invoke(
                main, ["ingest", str(path), "--db", str(tmp_path / "b.db"), "--json", "--doc-seconds", "1e-9"]
            )
            .stdout
        )
        assert summary["failed_by_code"] == {"RASD301": 1}
    finally:
        default.doc_seconds = before
        os.environ.pop("RASD_DOC_SECONDS", None)


# the recogniser that finds each kind of list first, and the mention kind it would build
FLOODS = [
    (ATTACK + " وقتل خمسة مدنيين. ", "actors", "actor"),
    ("إدلب، ", "places", "place"),
    ("13 شباط 2018، ", "dates", "date"),
    ("خمسة، ", "quantities", "quantity"),
]


@pytest.mark.parametrize(("unit", "stage", "kind"), FLOODS, ids=[f[1] for f in FLOODS])
def test_mention_budget_refuses_before_the_mentions_are_built_issue17(
    tmp_path: Path, unit: str, stage: str, kind: str
) -> None:
    """RASD302: a document over its mention budget is refused by the recogniser whose hits take it over, before
    it builds them (one event sentence repeated to 5 MB held 1.25 GB of mentions), naming its file and the
    option; under the budget the same document is extracted."""
    path = tmp_path / "flood.txt"
    path.write_text(unit * 60, encoding="utf-8")
    stages = list(rasd.default_pipeline().stages)
    doc = next(iter(read(str(path))))
    with pytest.raises(TooManyMentionsError) as err:
        Pipeline(stages, doc_mentions=50)(doc)
    message = str(err.value)
    assert re.match(rf"RASD302 {re.escape(str(path))}: document flood is too large", message), message
    assert f"(stage '{stage}')" in message and "--doc-mentions" in message
    assert isinstance(err.value, DocumentTooComplexError)  # reported wherever RASD301 is
    assert not doc.mentions_of(kind)  # refused before that stage's mentions were built
    assert len(Pipeline(stages, doc_mentions=None)(next(iter(read(str(path))))).mentions_of(kind)) >= 60


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from Linux's /proc")
def test_a_2mb_flood_is_refused_in_bounded_memory_issue17(tmp_path: Path) -> None:
    """Peak memory of ``rasd extract`` on one event sentence repeated to 2 MB: before #17's mention budget it ran
    every stage and peaked at ~530 MB (5 MB: 1.25 GB); now it is refused by the places stage at ~240 MB."""
    path = tmp_path / "flood.txt"
    unit = ATTACK + " وقتل خمسة مدنيين. "
    path.write_text(unit * (2_000_000 // len(unit.encode())), encoding="utf-8")
    # the peak of this process image (VmHWM): getrusage's ru_maxrss keeps the forking parent's, here pytest's
    code = (
        "import sys\n"
        "from rasd.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    hwm = next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM'))\n"
        "    print('exit', exc.code, hwm, file=sys.stderr)\n"
    )
    # the budget's defaults, and no coverage tracing in the child
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RASD_DOC_", "COV_CORE_", "COVERAGE_"))}
    run = subprocess.run(
        [sys.executable, "-c", code, "extract", str(path), "--no-text"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert "RASD302" in run.stderr and "flood.txt" in run.stderr, run.stderr[-2000:]
    _, exit_code, peak_kb = run.stderr.strip().splitlines()[-1].split()
    assert exit_code == "3"
    assert int(peak_kb) < 400_000, f"peak RSS {int(peak_kb) // 1024} MB"
    assert json.loads(run.stdout)["flags"] == ["extract_failed"]  # still one record for the document


def test_mention_budget_through_extract_ingest_and_dask_issue17(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--doc-mentions`` (and RASD_DOC_MENTIONS, which reaches Dask worker processes) refuses the document with
    too many mentions, counts it by its code, and keeps the other."""
    path = tmp_path / "b.jsonl"
    path.write_text(
        json.dumps({"id": "many", "text": f"{ATTACK}. {KILLED}."}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": "few", "text": "بيان"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    default = rasd.default_pipeline()
    before = default.doc_mentions
    try:
        result = CliRunner().invoke(main, ["extract", str(path), "--no-text", "--doc-mentions", "2"])
        assert result.exit_code == 3, result.output
        assert f"RASD302 {path}:1: document many" in result.output
        assert [json.loads(line)["flags"] for line in result.stdout.splitlines()] == [["extract_failed"], []]
        summary = json.loads(
            CliRunner()
            .invoke(
                main, ["ingest", str(path), "--db", str(tmp_path / "b.db"), "--json", "--doc-mentions", "2"]
            )
            .stdout
        )
        assert summary["failed_by_code"] == {"RASD302": 1} and summary["new"] == 1
    finally:
        default.doc_mentions = before
        os.environ.pop("RASD_DOC_MENTIONS", None)
    pytest.importorskip("distributed")
    from rasd.ingest import ingest_to_parquet

    monkeypatch.setenv("RASD_DOC_MENTIONS", "2")
    dataset = ingest_to_parquet([path], tmp_path / "ds", workers=1)
    assert dataset.documents == 1 and len(dataset.failures) == 1
    assert dataset.failures[0].startswith(f"RASD302 {path}:1: document many"), dataset.failures


def test_time_budget_stops_geocoding_a_list_of_places_in_a_worker_thread_issue17() -> None:
    """One sentence listing 3,000 places costs geocoding the square of that (73 s for 4,545 here); in a Dask
    worker thread no timer can stop a stage, so geocoding polls the time budget: the document is refused from
    inside the stage (places left unresolved), not after it has run to the end."""
    from concurrent.futures import ThreadPoolExecutor

    doc = Document(id="places", text="إدلب، " * 3000)
    pipeline = Pipeline(list(rasd.default_pipeline().stages), doc_seconds=0.5, doc_mentions=None)
    with ThreadPoolExecutor(1) as pool, pytest.raises(DocumentTooComplexError, match="stage 'geocode'"):
        pool.submit(pipeline, doc).result()
    places = doc.mentions_of("place")
    assert len(places) >= 3000 and any("resolved" not in m.value for m in places)
