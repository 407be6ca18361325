"""Ingest rate into SQLite and database size per 1,000 articles, on the 2,229 SaudiNewsNet articles.

Four measurements, each into a fresh database:

1. total: ``rasd.ingest.ingest(FILE)`` end to end: read JSONL, dedup check, the default extraction pipeline
   (whatever stages rasd has today: the extraction itself belongs to the recognisers / event coder), store.
2. store-only: the same documents read and extracted beforehand; only the dedup check + ``save_document``
   (documents, FTS index, mentions, events, evidence, incidents) is timed.
3. store-only + synthetic events: as 2, with 2 made-up events per article (types, dates within two days of
   publication, 12 Syrian places, the article's first sentence as evidence) so incident grouping and sentence
   vectors are exercised at corpus scale (~4,460 events, large blocks: a pessimistic case).
4. re-run: ingest the same file again into database 1 (every document skipped as unchanged).

    taskset -c 0 .venv/bin/python bench/ingest.py [FILE] [--limit N] [--similarity use|ngram]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import rasd.ingest
import rasd.store
from rasd.document import Document, Event, Span
from rasd.store.sqlite import SQLiteStore

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "saudinewsnet_syria.jsonl"
PLACES = [
    ("Aleppo", "Aleppo", "C1007", 36.2021, 37.1343),
    ("Idlib", "Idlib", "C3871", 35.9306, 36.6339),
    ("Douma", "Rural Damascus", "C2306", 33.5711, 36.4036),
    ("Az-Zabadani", "Rural Damascus", "C2429", 33.7249, 36.0972),
    ("Homs", "Homs", "C2528", 34.7324, 36.7137),
    ("Al-Qaryatayn", "Homs", "C2600", 34.2294, 37.2406),
    ("Ar-Raqqa", "Ar-Raqqa", "C5710", 35.9528, 39.0079),
    ("Al-Hasakah", "Al-Hasakeh", "C4462", 36.5024, 40.7477),
    ("Deir ez-Zor", "Deir-ez-Zor", "C5044", 35.3359, 40.1408),
    ("Daraa", "Dar'a", "C6011", 32.6189, 36.1021),
    ("Latakia", "Lattakia", "C3480", 35.5130, 35.7764),
    ("Ain al-Arab (Kobani)", "Aleppo", "C1946", 36.8907, 38.3533),
]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
]
_SENT = re.compile(r"[^.!?؟\n]{20,300}")


def synthetic_events(doc: Document) -> Document:
    """Two deterministic made-up events per article (bench only)."""
    h = hashlib.sha1(doc.id.encode()).digest()
    m = _SENT.search(doc.text)
    span = Span.of(doc.text, m.start(), m.end()) if m else Span.of(doc.text, 0, min(len(doc.text), 100))
    pub = doc.meta.published
    for k in range(2):
        name, admin1, pcode, lat, lon = PLACES[h[k] % len(PLACES)]
        etype, sub = TYPES[h[2 + k] % len(TYPES)]
        day = (pub - timedelta(days=h[4 + k] % 3)).isoformat() if pub else None
        doc.events.append(
            Event(
                event_type=etype,
                sub_event_type=sub,
                event_date=day,
                location=name,
                country="Syria",
                admin1=admin1,
                pcode=pcode,
                latitude=lat,
                longitude=lon,
                geo_precision=1,
                fatalities=h[6 + k] % 12,
                evidence=[span],
            )
        )
    return doc


def read_extracted(path: Path, limit: int | None) -> tuple[list[Document], float]:
    from rasd import default_pipeline, extract
    from rasd.readers import read

    pipeline = default_pipeline()
    t0 = time.process_time()
    docs = []
    for doc in read([str(path)], input_format="jsonl"):
        docs.append(extract(doc, pipeline=pipeline))
        if limit and len(docs) >= limit:
            break
    return docs, time.process_time() - t0


def store_only(docs: list[Document], db: Path, similarity: str) -> dict[str, Any]:
    with SQLiteStore(db, similarity=similarity) as store:
        t0 = time.perf_counter()
        c0 = time.process_time()
        for doc in docs:
            if not store.has_document(doc):
                store.save_document(doc)
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0
        size = store.size_bytes()
        counts = store.counts()
    return {
        "documents": len(docs),
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(docs) / seconds, 1),
        "cpu_s": round(cpu, 2),
        "docs_per_cpu_s": round(len(docs) / cpu, 1),
        "db_mb": round(size / 1e6, 2),
        "mb_per_1000_docs": round(size / 1e6 / len(docs) * 1000, 2),
        "events": counts["events"],
        "incidents": counts["incidents"],
    }


def table_sizes(db: Path) -> dict[str, float]:
    import sqlite3

    try:
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            ).fetchall()
    except sqlite3.Error:
        return {}
    return {name: round(size / 1e6, 2) for name, size in rows[:12]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--similarity", default="auto", choices=["auto", "use", "ngram"])
    args = ap.parse_args()
    path = Path(args.file)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db1 = Path(tmp) / "total.db"
        src = path
        if args.limit:
            src = Path(tmp) / "subset.jsonl"
            with path.open(encoding="utf-8") as f, src.open("w", encoding="utf-8") as g:
                for i, line in enumerate(f):
                    if i >= args.limit:
                        break
                    g.write(line)
        c0 = time.process_time()
        s = rasd.ingest.ingest(src, db=str(db1), progress=False, similarity=args.similarity)
        cpu = time.process_time() - c0
        with SQLiteStore(db1) as st:
            size = st.size_bytes()
        out["total"] = {
            "documents": s.read,
            "seconds": round(s.seconds, 2),
            "docs_per_s": round(s.read / s.seconds, 1),
            "cpu_s": round(cpu, 2),
            "docs_per_cpu_s": round(s.read / cpu, 1),
            "extract_s": round(s.extract_seconds, 2),
            "store_s": round(s.store_seconds, 2),
            "events": s.events,
            "db_mb": round(size / 1e6, 2),
            "mb_per_1000_docs": round(size / 1e6 / max(1, s.read) * 1000, 2),
        }
        c0 = time.process_time()
        s2 = rasd.ingest.ingest(src, db=str(db1), progress=False, similarity=args.similarity)
        cpu = time.process_time() - c0
        out["rerun_all_skipped"] = {
            "documents": s2.read,
            "skipped": s2.skipped,
            "seconds": round(s2.seconds, 2),
            "docs_per_s": round(s2.read / s2.seconds, 1),
            "cpu_s": round(cpu, 2),
            "docs_per_cpu_s": round(s2.read / cpu, 1),
        }
        docs, extract_s = read_extracted(path, args.limit)
        out["read_and_extract_only"] = {
            "cpu_s": round(extract_s, 2),
            "docs_per_cpu_s": round(len(docs) / extract_s, 1),
        }
        out["store_only"] = store_only(docs, Path(tmp) / "store.db", args.similarity)
        for d in docs:
            synthetic_events(d)
        db3 = Path(tmp) / "synthetic.db"
        out["store_only_synthetic_events"] = store_only(docs, db3, args.similarity)
        out["table_mb_synthetic"] = table_sizes(db3)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
