"""rasd.ingest.ingest: summary counts, per-document failures, updates, engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from storekit import REPORTS, fake_extract, make_doc, write_jsonl

import rasd.ingest
import rasd.store
from rasd.document import Document
from rasd.engines import get_engine
from rasd.engines.local import LocalEngine
from rasd.errors import EngineError


def test_ingest_counts_skips_and_updates(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", REPORTS)
    db = str(tmp_path / "r.db")
    s1 = rasd.ingest.ingest(corpus, db=db, extract=fake_extract, progress=False)
    assert (s1.read, s1.new, s1.skipped, s1.failed, s1.events) == (6, 6, 0, 0, 6)
    assert s1.incidents == 3 and s1.total_incidents == 3 and s1.ok and s1.status == "done"
    s2 = rasd.ingest.ingest(corpus, db=db, extract=fake_extract, progress=False)
    assert (s2.read, s2.new, s2.skipped, s2.events, s2.incidents) == (6, 0, 6, 0, 0)
    changed = [dict(r) for r in REPORTS]
    changed[2]["text"] = changed[2]["text"].replace("32", "33")
    write_jsonl(corpus, changed)
    s3 = rasd.ingest.ingest(corpus, db=db, extract=fake_extract, progress=True)
    assert (s3.new, s3.updated, s3.skipped) == (0, 1, 5)
    assert s3.total_documents == 6 and s3.total_events == 6 and s3.total_incidents == 3
    with rasd.store.open(db) as s:
        assert s.query_incidents(min_fatalities=27)[0]["fatalities_max"] == 33
        assert [r["status"] for r in s.runs()] == ["done", "done", "done"]
        assert s.runs()[2]["n_updated"] == 1


def test_failures_are_reported_and_do_not_stop_the_run(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", REPORTS[:3])
    with corpus.open("a", encoding="utf-8") as f:
        f.write("{this is not json\n")
        f.write('{"id": "boom", "text": "نص يفشل استخراجه", "published": "2015-07-21"}\n')
        f.write('{"id": "last", "text": "انفجار في بلدة سروج اليوم الاثنين.", "published": "2015-07-21"}\n')

    def extract(doc: Document) -> Document:
        if doc.id == "boom":
            raise ValueError("cannot code this one")
        return fake_extract(doc)

    seen: list[dict] = []
    summary = rasd.ingest.ingest(
        [corpus], db=str(tmp_path / "f.db"), extract=extract, progress=False, on_failure=seen.append
    )
    assert summary.failed == 2 and summary.new == 4 and not summary.ok
    assert summary.status == "done_with_failures"
    bad_line = next(f for f in summary.failures if f["line"] is not None)
    assert bad_line["line"] == 4 and bad_line["code"] == "RASD104"
    boom = next(f for f in summary.failures if f["document_id"] == "boom")
    assert "cannot code this one" in boom["message"]
    assert seen == summary.failures
    text = "\n".join(summary.lines())
    assert "failed 2" in text and "cannot code this one" in text
    with rasd.store.open(tmp_path / "f.db") as s:
        assert len(s.failures()) == 2
        assert s.get_document("last") is not None


def test_ingest_documents_directly_into_an_open_store(tmp_path: Path) -> None:
    docs = [make_doc(r, extract=False) for r in REPORTS]
    with rasd.store.open(tmp_path / "d.db") as s:
        summary = rasd.ingest.ingest(docs, db=s, extract=fake_extract, progress=False)
        assert summary.new == 6
        assert s.counts()["documents"] == 6  # the store stays open


def test_engines() -> None:
    engine = get_engine("local")
    assert isinstance(engine, LocalEngine)
    docs = [make_doc(r, extract=False) for r in REPORTS[:2]]

    def extract(doc: Document) -> Document:
        if doc.id == REPORTS[0]["id"]:
            raise RuntimeError("x")
        return fake_extract(doc)

    results = list(engine.run(docs, extract))
    assert [r.ok for r in results] == [False, True]
    assert isinstance(results[0].error, RuntimeError) and results[1].doc.events
    with pytest.raises(EngineError, match="unknown engine"):
        get_engine("spark")
