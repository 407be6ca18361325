"""Memory of `rasd ingest` against corpus size: peak RSS must be flat, so a corpus larger than RAM ingests.

The corpus is generated on the fly from real article texts (examples/ and tests/data/: Arabic news and
newswire sentences) re-issued under new ids, publication dates (2012-2024) and outlets, as a JSONL stream. Each
step ingests a corpus of N documents into a fresh SQLite database in a CHILD process, whose RSS the parent
samples from /proc/<pid>/status every 0.2 s (with the number of documents already stored, read from the
database); the peak is the child's ``ru_maxrss`` (os.wait4). Printed: docs, corpus MB, peak RSS MB, database
MB, rate, and the RSS growth per 1,000 documents (between steps, and inside the largest run after warm-up).

Extraction modes (``--extract``; the label is in every output line and in the JSON):

- ``full``: the real CLI, ``rasd ingest FILE|- --db DB -i jsonl`` (default pipeline, incident grouping);
- ``synthetic``: the reader + store path with two made-up events per article (bench/ingest.py), so incident
  grouping and sentence vectors run at corpus scale quickly;
- ``none``: the reader + store path only (documents, full-text index; no extraction), to push 100k+ documents.

``--input pipe`` streams the corpus into the child's stdin (``rasd ingest -``) instead of a generated file.
``--cap-mb M`` runs the child under a hard address-space limit (``prlimit --as``): with a corpus several times
larger than M, a run that held the corpus would fail. ``--doc-kb K`` makes each article about K KB (real texts
concatenated) to build a large corpus with few documents.

    .venv/bin/python bench/memory.py                                   # full, 500..4000 docs (~2-3 min)
    .venv/bin/python bench/memory.py --extract none --docs 10000,20000,40000,80000
    .venv/bin/python bench/memory.py --extract none --docs 20000 --doc-kb 50 --cap-mb 1024   # ~1 GB corpus
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
SOURCES = [
    ROOT / "examples" / "news.jsonl",
    ROOT / "tests" / "data" / "events_gsr_validation_sample.jsonl",
    ROOT / "examples" / "000_fbd8113b0bef9d78.txt",
    ROOT / "tests" / "data" / "seed_khuwayn_2018.txt",
]
START = date(2012, 1, 1)
DAYS = (date(2024, 12, 31) - START).days


def texts() -> list[tuple[str | None, str]]:
    """(title, text) of every real article or sentence available in the repository."""
    out: list[tuple[str | None, str]] = []
    for path in SOURCES:
        if not path.exists():
            continue
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rec = json.loads(line)
                    if isinstance(rec.get("text"), str) and rec["text"].strip():
                        out.append((rec.get("title"), rec["text"]))
        else:
            out.append((None, path.read_text(encoding="utf-8")))
    if not out:
        raise SystemExit("no source texts found under examples/ and tests/data/")
    return out


def corpus(n: int, doc_kb: int = 0, seed: int = 10) -> Iterator[bytes]:
    """``n`` JSONL lines: real texts under new ids, dates and outlets (deterministic for a seed)."""
    pool = texts()
    rnd = random.Random(seed)
    for i in range(n):
        title, text = pool[i % len(pool)]
        if doc_kb > 0:  # a long article: real texts one after another, as paragraphs
            parts, size, k = [], 0, i
            while size < doc_kb * 1024:
                part = pool[k % len(pool)][1]
                parts.append(part)
                size += len(part.encode("utf-8")) + 2
                k += 7
            text = "\n\n".join(parts)
        rec = {
            "id": f"mem-{seed}-{i:09d}",
            "source": f"outlet-{rnd.randrange(300):03d}",
            "published": (START + timedelta(days=rnd.randrange(DAYS))).isoformat(),
            "title": title,
            "text": text,
        }
        yield (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------------- child
def child(path: str, db: str, extract: str, similarity: str) -> None:
    """Ingest in this process with a cheap extract function (modes ``none`` and ``synthetic``)."""
    import rasd.ingest
    from rasd.document import Document

    if extract == "synthetic":
        sys.path.insert(0, str(ROOT / "bench"))
        from ingest import synthetic_events  # bench/ingest.py

        fn = synthetic_events
    else:

        def fn(doc: Document) -> Document:
            return doc

    summary = rasd.ingest.ingest(
        [path], db, input_format="jsonl", extract=fn, similarity=similarity, progress=False
    )
    print(json.dumps(summary.to_dict(), ensure_ascii=False, default=str))


# ---------------------------------------------------------------------------------------------------- parent
def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _stored(db: Path) -> int | None:
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _slope(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of y over x."""
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return None if den == 0 else sum((x - mx) * (y - my) for x, y in points) / den


def step(n: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """One fresh ingest of ``n`` generated documents; returns its measurements."""
    run = work / f"n{n}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    db = run / "rasd.db"
    corpus_bytes = 0
    source = "-"
    if args.input == "file":
        source = str(run / "corpus.jsonl")
        with open(source, "wb") as fh:
            for line in corpus(n, args.doc_kb):
                fh.write(line)
                corpus_bytes += len(line)
    if args.extract == "full":
        cmd = [str(VENV / "rasd"), "ingest", source, "--db", str(db), "-i", "jsonl"]
        cmd += ["--similarity", args.similarity, "--json", "--no-progress"]
    else:
        cmd = [sys.executable, __file__, "--child", source, str(db), args.extract, args.similarity]
    if args.cap_mb:
        cmd = ["prlimit", f"--as={args.cap_mb * 1024 * 1024}", "--", *cmd]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if args.input == "pipe" else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    fed = {"bytes": 0}

    def feed() -> None:
        assert proc.stdin is not None
        try:
            for line in corpus(n, args.doc_kb):
                proc.stdin.write(line)
                fed["bytes"] += len(line)
            proc.stdin.close()
        except BrokenPipeError:
            pass

    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []

    def drain(stream: Any, into: list[bytes]) -> None:
        for chunk in iter(lambda: stream.read(65536), b""):
            into.append(chunk)

    threads = [
        threading.Thread(target=drain, args=(proc.stdout, out_chunks), daemon=True),
        threading.Thread(target=drain, args=(proc.stderr, err_chunks), daemon=True),
    ]
    if args.input == "pipe":
        threads.append(threading.Thread(target=feed, daemon=True))
    for t in threads:
        t.start()
    samples: list[dict[str, float]] = []
    counted_at, docs_now = -1.0, -1
    status, usage = 0, None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        rss = _rss_mb(proc.pid)
        now = time.perf_counter() - t0
        if now - counted_at >= 1.0:  # documents stored so far (a read-only look at the WAL database)
            counted_at = now
            docs_now = _stored(db) or docs_now
        if rss is not None:
            samples.append({"t": round(now, 2), "rss_mb": round(rss, 1), "docs": docs_now})
        time.sleep(0.2)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in threads:
        t.join(timeout=5)
    corpus_bytes = corpus_bytes or fed["bytes"]
    summary: dict[str, Any] = {}
    out_text = b"".join(out_chunks).decode("utf-8", "replace").strip()
    try:
        summary = json.loads(out_text.splitlines()[-1]) if out_text else {}
    except json.JSONDecodeError:
        summary = {}
    stored = _stored(db) or 0
    db_bytes = sum(p.stat().st_size for p in run.glob("rasd.db*"))
    # in-run growth: RSS against documents stored, after the first quarter and 1,000 documents (warm-up: models load lazily)
    pts = [(s["docs"], s["rss_mb"]) for s in samples if s["docs"] >= max(1000, n // 4)]
    in_run = _slope(pts)
    rec = {
        "docs": n,
        "stored": stored,
        "exit": proc.returncode,
        "corpus_mb": round(corpus_bytes / 2**20, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1) if usage is not None else None,
        "last_rss_mb": samples[-1]["rss_mb"] if samples else None,
        "db_mb": round(db_bytes / 2**20, 1),
        "seconds": round(seconds, 1),
        "docs_per_s": round(n / seconds, 1) if seconds else None,
        "in_run_mb_per_1k_docs": round(in_run * 1000, 3) if in_run is not None else None,
        "failed": summary.get("failed"),
        "events": summary.get("events"),
        "incidents": summary.get("total_incidents"),
        "samples": samples[:: max(1, len(samples) // 200)],
    }
    if proc.returncode != 0:
        rec["stderr_tail"] = b"".join(err_chunks).decode("utf-8", "replace")[-2000:]
    if not args.keep:
        shutil.rmtree(run, ignore_errors=True)
    return rec


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:6])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", default=None, help="comma-separated corpus sizes (documents per step)")
    ap.add_argument("--extract", choices=["full", "synthetic", "none"], default="full")
    ap.add_argument("--input", choices=["file", "pipe"], default="file")
    ap.add_argument("--similarity", choices=["auto", "use", "ngram"], default="auto")
    ap.add_argument("--doc-kb", type=int, default=0, help="make each article about this many KB")
    ap.add_argument("--cap-mb", type=int, default=0, help="hard address-space limit for the child (prlimit)")
    ap.add_argument("--workdir", default=f"/tmp/{os.environ.get('USER', 'rasd')}-memory-bench")
    ap.add_argument("--keep", action="store_true", help="keep each step's corpus and database")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "memory.json"))
    args = ap.parse_args()
    default = "500,1000,2000,4000" if args.extract == "full" else "5000,10000,20000,40000"
    sizes = [int(x) for x in (args.docs or default).split(",") if x.strip()]
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    label = f"extract={args.extract} input={args.input} similarity={args.similarity}"
    if args.doc_kb:
        label += f" doc_kb={args.doc_kb}"
    if args.cap_mb:
        label += f" cap={args.cap_mb}MB(address space)"
    print(f"memory bench: {label}; {len(texts())} source texts; work dir {work}", flush=True)
    head = (
        f"{'docs':>8} {'corpus MB':>10} {'peak RSS MB':>12} {'DB MB':>8} {'docs/s':>8} "
        f"{'in-run MB/1k':>13} {'exit':>5}"
    )
    print(head, flush=True)
    steps = []
    for n in sizes:
        rec = step(n, args, work)
        steps.append(rec)
        print(
            f"{rec['docs']:>8} {rec['corpus_mb']:>10} {rec['peak_rss_mb']!s:>12} {rec['db_mb']:>8} "
            f"{rec['docs_per_s']!s:>8} {rec['in_run_mb_per_1k_docs']!s:>13} {rec['exit']:>5}",
            flush=True,
        )
        if rec["exit"] != 0:
            print(f"  child failed: {rec.get('stderr_tail', '')[-600:]}", flush=True)
        if rec["stored"] != n and rec["exit"] == 0:
            print(f"  stored {rec['stored']} of {n} documents", flush=True)
    ok = [s for s in steps if s["exit"] == 0 and s["peak_rss_mb"] is not None]
    between = _slope([(s["docs"], s["peak_rss_mb"]) for s in ok[1:]]) if len(ok) >= 3 else None
    if between is None and len(ok) == 2:
        between = _slope([(s["docs"], s["peak_rss_mb"]) for s in ok])
    result = {
        "bench": "memory",
        "label": label,
        "extract": args.extract,
        "input": args.input,
        "similarity": args.similarity,
        "doc_kb": args.doc_kb,
        "cap_mb": args.cap_mb,
        "command": " ".join([".venv/bin/python", "bench/memory.py", *sys.argv[1:]]),
        "peak_rss_growth_mb_per_1k_docs": round(between * 1000, 3) if between is not None else None,
        "parent_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "steps": steps,
    }
    growth = result["peak_rss_growth_mb_per_1k_docs"]
    print(f"peak RSS growth between steps (after the first): {growth} MB per 1k docs  [{label}]")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
