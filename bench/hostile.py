"""Hostile-input outcomes (issue #17): run each case through `rasd extract` and `rasd ingest` (and the store,
CLI and server edges), and count what happened: ok / clear error / lost / traceback / hang.

    .venv/bin/python bench/hostile.py [--timeout 120] [--json bench/out/hostile.json]

- ok: the documents expected came out (every record read, nothing merged away) and the exit status says so;
- clear error: the run went on and reported the bad part as one `rasd: error: RASDnnn` line (exit non-zero);
- lost: fewer documents than the input holds, a database created by a read command, a 200 for a write that
  vanished or a download cut short: data gone without a word;
- traceback: a Python traceback on stderr;
- hang: still running after --timeout seconds (killed).

The input cases are tests/robustness/hostile.py (built in a temporary folder); each is run as a subprocess so a
hang or a crash cannot take the bench down. The README's reliability table quotes the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.robustness.hostile import ATTACK, SEED, build  # noqa: E402

RASD = [sys.executable, "-c", "import sys; from rasd.cli import main; sys.exit(main())"]
# how each command reports a failure: `rasd: error: RASDnnn ...`, or a line of ingest's summary
ERROR_LINE = re.compile(r"^(?:rasd: error: |  failed: .*: )RASD\d{3} ", re.M)
OUTCOMES = ("ok", "clear error", "lost", "traceback", "hang")


def run(args: list[str], timeout: float, **kw: Any) -> tuple[int | None, str, str]:
    """(exit status or None on a hang, stdout, stderr) of `rasd ARGS`."""
    kw.setdefault("stdout", subprocess.PIPE)
    try:
        proc = subprocess.run([*RASD, *args], stderr=subprocess.PIPE, text=True, timeout=timeout, **kw)
    except subprocess.TimeoutExpired:
        return None, "", ""
    return proc.returncode, proc.stdout or "", proc.stderr


def classify(rc: int | None, err: str, *, complete: bool, failed: bool, reported: bool | None = None) -> str:
    """The outcome of one run: ``complete`` when every expected document came out, ``failed`` when the case
    holds a part that must be reported as an error, ``reported`` whether it was (default: an error line)."""
    if rc is None:
        return "hang"
    if "Traceback" in err:
        return "traceback"
    if not complete:
        return "lost"
    if failed:
        said = bool(ERROR_LINE.search(err)) if reported is None else reported
        return "clear error" if rc != 0 and said else "lost"
    return "ok" if rc == 0 else "lost"


def input_cases(work: Path, timeout: float) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for case in build(work / "cases"):
        path = str(work / "cases" / case.path)
        rc, stdout, err = run(["extract", path, "--no-text"], timeout)
        records = sum(1 for line in stdout.splitlines() if line.startswith("{"))
        out.append(
            (
                f"extract: {case.name}",
                classify(rc, err, complete=records == case.docs, failed=bool(case.failed)),
            )
        )
        db = str(work / f"ingest-{len(out)}.db")
        results = []
        for _ in range(2):  # the second run must change nothing
            rc, stdout, err = run(["ingest", path, "--db", db, "--json"], timeout)
            try:
                summary = json.loads(stdout)
            except ValueError:
                summary = {}
            results.append((rc, err, summary))
        (rc1, err1, first), (rc2, err2, second) = results
        complete = first.get("total_documents") == case.docs and second.get("skipped") == case.docs
        codes = {f"RASD{c.removeprefix('RASD')}" for c in first.get("failed_by_code", {})}
        outcome = classify(
            rc1, err1, complete=complete, failed=bool(case.failed), reported=codes == set(case.failed)
        )
        if outcome in ("ok", "clear error") and (rc2 is None or "Traceback" in err2):
            outcome = "hang" if rc2 is None else "traceback"
        out.append((f"ingest twice: {case.name}", outcome))
    return out


def _db(work: Path, timeout: float) -> Path:
    db = work / "store.db"
    if not db.exists():
        run(["ingest", str(SEED), "--db", str(db)], timeout)
    return db


def _copy(db: Path, name: str) -> Path:
    target = db.with_name(name)
    shutil.copy(db, target)
    return target


def store_cases(work: Path, timeout: float) -> list[tuple[str, str]]:
    db = _db(work, timeout)
    out: list[tuple[str, str]] = []

    def expect_error(name: str, args: list[str], must_not_exist: Path | None = None, **kw: Any) -> None:
        rc, _, err = run(args, timeout, **kw)
        complete = must_not_exist is None or not must_not_exist.exists()
        out.append((name, classify(rc, err, complete=complete, failed=True)))

    typo = work / "typo.db"
    expect_error("query --db typo.db (no such file)", ["query", "--db", str(typo)], typo)
    expect_error("export --db typo.db", ["export", "--db", str(typo), "-f", "jsonl", "-o", "-"], typo)
    expect_error("serve --db typo.db", ["serve", "--db", str(typo), "--port", "0"], typo)
    expect_error("query --db /dev/null", ["query", "--db", os.devnull])
    expect_error("ingest --db /dev/null", ["ingest", str(SEED), "--db", os.devnull])
    expect_error("query --min-fatalities 10^23", ["query", "--db", str(db), "--min-fatalities", "9" * 23])
    expect_error("export to /dev/full", ["export", "--db", str(db), "-f", "jsonl", "-o", "/dev/full"])
    expect_error("extract -o /dev/full", ["extract", str(SEED), "-o", "/dev/full"])
    expect_error(
        "query > /dev/full", ["query", "--db", str(db), "--format", "jsonl"], stdout=open("/dev/full", "w")
    )
    for name, args in (
        ("extract - with stdin closed", ["extract", "-"]),
        ("ingest - with stdin closed", ["ingest", "-", "--db", str(work / "c.db")]),
    ):
        expect_error(name, args, preexec_fn=lambda: os.close(0))
    damaged = _copy(db, "damaged.db")
    data = bytearray(damaged.read_bytes())
    for offset in range(4096, len(data), 997):
        data[offset] ^= 0xFF
    damaged.write_bytes(bytes(data))
    expect_error("query a damaged database", ["query", "--db", str(damaged), "--format", "jsonl"])
    expect_error("serve a damaged database", ["serve", "--db", str(damaged), "--port", "0"])
    expect_error("extract --published 0001-01-01", ["extract", str(SEED), "--published", "0001-01-01"])
    full = _copy(db, "full.db")
    code = (
        "import sqlite3, sys; from rasd.store import open as o\n"
        f"s = o({str(full)!r}); n = s.conn.execute('PRAGMA page_count').fetchone()[0]\n"
        "s.conn.execute(f'PRAGMA max_page_count={n + 20}')\n"
        f"from rasd.cli import main\nsys.argv = ['rasd', 'ingest', {str(ROOT / 'examples')!r}, '--db', {str(full)!r}]\n"
        "import rasd.store as st; st.open = lambda *a, **k: s\nmain()"
    )
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
        rc, err = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired:
        rc, err = None, ""
    out.append(("ingest onto a full disk (SQLITE_FULL)", classify(rc, err, complete=True, failed=True)))
    return out


def server_cases(work: Path) -> list[tuple[str, str]]:
    from fastapi.testclient import TestClient

    from rasd.web.app import create_app

    out: list[tuple[str, str]] = []
    db = _copy(_db(work, 120), "serve.db")
    client = TestClient(create_app(str(db), "tok"), raise_server_exceptions=False)
    auth = {"Authorization": "Bearer tok"}
    event_id = quote(client.get("/api/events").json()["items"][0]["event_id"], safe="")

    def outcome(status: int, want: int, body: str) -> str:
        if "Traceback" in body:
            return "traceback"
        if status == want:
            return "clear error" if want >= 400 else "ok"
        return "lost" if status == 200 else "traceback"  # a 500 without our JSON error is an unhandled crash

    for value in (1e23, 10**30, "1" * 5000, "1e400"):
        r = client.post(
            f"/api/events/{event_id}/review",
            json={"action": "correct", "changes": {"fatalities": value}},
            headers=auth,
        )
        ok_json = r.headers.get("content-type", "").startswith("application/json")
        out.append(
            (
                f"review fatalities={str(value)[:12]}",
                outcome(r.status_code, 400, r.text) if ok_json else "traceback",
            )
        )
    for url in ("/api/events.csv", "/api/events.geojson", "/api/export/gold.jsonl"):
        r = client.get(url)
        whole = r.status_code == 200 and int(r.headers.get("content-length", -1)) == len(r.content)
        out.append((f"download {url} states its length", "ok" if whole else "lost"))
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    r = client.post(f"/api/events/{event_id}/review", json={"action": "accept"}, headers=auth)
    out.append(("review after the database was deleted", outcome(r.status_code, 503, r.text)))
    r = client.get("/api/events.csv")
    out.append(("download after the database was deleted", outcome(r.status_code, 503, r.text)))
    return out


def budget_cases(work: Path, timeout: float) -> list[tuple[str, str]]:
    sentence = ATTACK + " وقتل خمسة مدنيين. "
    path = work / "repeated.txt"
    path.write_text(sentence * (4_900_000 // len(sentence.encode())), encoding="utf-8")
    # the budget is CPU time (30 s by default; a wall-clock alarm at twice that): on a loaded machine the run
    # takes longer than --timeout in wall time without hanging, so it gets four times as long
    rc, _, err = run(["extract", str(path), "--no-text"], max(timeout, 4 * 61.0))
    return [("5 MB of one event sentence (budget)", classify(rc, err, complete=True, failed=rc != 0))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run counts as a hang")
    parser.add_argument("--json", help="also write every case and its outcome here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        groups: list[Callable[[], list[tuple[str, str]]]] = [
            lambda: input_cases(work, args.timeout),
            lambda: store_cases(work, args.timeout),
            lambda: server_cases(work),
            lambda: budget_cases(work, args.timeout),
        ]
        results: list[tuple[str, str]] = []
        for group in groups:
            for name, outcome in group():
                results.append((name, outcome))
                print(f"{outcome:12s} {name}", flush=True)
    counts = Counter(outcome for _, outcome in results)
    line = ", ".join(f"{o} {counts.get(o, 0)}" for o in OUTCOMES)
    print(f"{len(results)} cases: {line}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(
            json.dumps({"cases": results, "counts": dict(counts)}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
