"""Memory of ingest does not grow with the corpus (regression for #10: a corpus larger than RAM must ingest).

The corpus is real text (examples/news.jsonl, tests/data/events_gsr_validation_sample.jsonl) re-issued under
new ids, dates and outlets, read from a JSONL file through the normal reader; a cheap extract function attaches
two events per article so incident grouping runs too. Python allocations are measured with tracemalloc (no
timing). bench/memory.py measures the process RSS at larger scale.
"""

from __future__ import annotations

import hashlib
import json
import random
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import rasd.ingest
import rasd.store
from rasd.document import Document, Event, Span
from rasd.store import incidents as inc

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (ROOT / "examples" / "news.jsonl", ROOT / "tests" / "data" / "events_gsr_validation_sample.jsonl")
PLACES = (  # (location, admin1, pcode, lat, lon): a few real Syrian places so blocks fill up
    ("Aleppo", "Aleppo", "C1007", 36.2021, 37.1343),
    ("Idlib", "Idlib", "C3871", 35.9306, 36.6339),
    ("Douma", "Rural Damascus", "C2306", 33.5711, 36.4036),
)
TYPES = (("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"))


def _texts() -> list[str]:
    out = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["text"])
    return out


def write_corpus(path: Path, n: int, seed: int = 0) -> Path:
    """``n`` JSONL records: real texts under new ids, dates (a few months, so blocks are shared) and outlets."""
    texts = _texts()
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            rec = {
                "id": f"m{seed}-{i:06d}",
                "source": f"outlet-{rnd.randrange(20)}",
                "published": (date(2015, 7, 1) + timedelta(days=rnd.randrange(90))).isoformat(),
                "text": texts[i % len(texts)],
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def two_events(doc: Document) -> Document:
    """Cheap extraction: two events per article, evidence = its first 120 characters (deterministic)."""
    h = hashlib.sha1(doc.id.encode()).digest()
    span = Span.of(doc.text, 0, min(len(doc.text), 120))
    pub = doc.meta.published
    for k in range(2):
        name, admin1, pcode, lat, lon = PLACES[h[k] % len(PLACES)]
        etype, sub = TYPES[h[2 + k] % len(TYPES)]
        doc.events.append(
            Event(
                event_type=etype,
                sub_event_type=sub,
                event_date=(pub - timedelta(days=h[4 + k] % 2)).isoformat() if pub else None,
                location=name,
                country="Syria",
                admin1=admin1,
                pcode=pcode,
                latitude=lat,
                longitude=lon,
                geo_precision=1,
                fatalities=h[6 + k] % 9,
                evidence=[span],
            )
        )
    return doc


def peak_bytes(tmp: Path, n: int, extract: Callable[[Document], Document]) -> tuple[int, int]:
    """Peak Python allocation while ingesting ``n`` documents into a fresh database; and documents stored."""
    corpus = write_corpus(tmp / f"c{n}.jsonl", n, seed=n)
    db = tmp / f"d{n}.db"
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    summary = rasd.ingest.ingest([corpus], db, extract=extract, similarity="ngram", progress=False)
    peak = tracemalloc.get_traced_memory()[1] - base
    assert summary.failed == 0
    return peak, summary.new


@pytest.fixture
def traced(tmp_path: Path) -> Iterator[None]:
    tracemalloc.start()
    try:
        # warm-up: imports, language data, the n-gram embedder, SQLite statement caches
        rasd.ingest.ingest(
            [write_corpus(tmp_path / "w.jsonl", 40, seed=1)],
            tmp_path / "w.db",
            extract=two_events,
            similarity="ngram",
            progress=False,
        )
        yield
    finally:
        tracemalloc.stop()


N = 250
SLACK = 256 * 1024  # allocator noise; a leak of N documents of real text is several times this


def test_ingest_peak_memory_is_flat_in_corpus_size_issue10(tmp_path: Path, traced: None) -> None:
    """Regression for #10: ingesting twice the documents must not take (nearly) twice the memory."""
    p1, n1 = peak_bytes(tmp_path, N, two_events)
    p2, n2 = peak_bytes(tmp_path, 2 * N, two_events)
    assert (n1, n2) == (N, 2 * N)
    assert p2 < 1.3 * p1 + SLACK, f"peak {p1 / 1e6:.2f} MB for {N} docs, {p2 / 1e6:.2f} MB for {2 * N}"


def test_the_memory_check_catches_a_leak_issue10(tmp_path: Path, traced: None) -> None:
    """The check above could fail: an extract function that keeps every document trips it."""
    kept: list[Document] = []

    def leaky(doc: Document) -> Document:
        kept.append(two_events(doc))
        return doc

    p1, _ = peak_bytes(tmp_path, N, leaky)
    kept.clear()
    p2, _ = peak_bytes(tmp_path, 2 * N, leaky)
    assert not p2 < 1.3 * p1 + SLACK


def _report(doc_id: str) -> Document:
    """The same Suruc report re-published under another id (a flood of copies)."""
    text = "قتل 32 شخصا في تفجير انتحاري استهدف مركزا ثقافيا في بلدة سروج التركية."
    doc = Document(id=doc_id, text=text)
    doc.meta.source = f"outlet-{doc_id}"
    doc.meta.published = date(2015, 7, 20)
    doc.events.append(
        Event(
            event_type="Explosions/Remote violence",
            sub_event_type="Suicide bomb",
            event_date="2015-07-20",
            location="Suruc",
            country="Turkey",
            admin1="Sanliurfa",
            latitude=36.976,
            longitude=38.425,
            geo_precision=1,
            fatalities=32,
            evidence=[Span.of(text, 0, len(text))],
        )
    )
    return doc


def test_an_incident_stops_growing_at_its_cap_issue10(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression for #10: copies of one report fill an incident up to MAX_INCIDENT_EVENTS, then start another,
    so saving a document never re-reads an incident of unbounded size."""
    monkeypatch.setattr(inc, "MAX_INCIDENT_EVENTS", 3)
    with rasd.store.open(tmp_path / "cap.db", similarity="ngram") as s:
        for i in range(7):
            s.save_document(_report(f"copy{i}"))
        sizes = sorted(r["n_events"] for r in s.query_incidents(with_events=False))
    assert sizes == [1, 3, 3]


def test_candidates_are_bounded_per_incident_and_in_all_issue10(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression for #10: the candidate set of a new event does not grow with the events already stored."""
    with rasd.store.open(tmp_path / "cand.db", similarity="ngram") as s:
        for i in range(6):
            s.save_document(_report(f"copy{i}"))
        m = inc.Member(
            id="probe#0",
            document_id="probe",
            source="x",
            event_type="Explosions/Remote violence",
            event_date="2015-07-20",
            location="Suruc",
            country="Turkey",
        )
        assert len(s._candidate_members(m)) == 6  # all in one incident, under every cap
        monkeypatch.setattr(inc, "CANDIDATES_PER_INCIDENT", 2)
        got = s._candidate_members(m)
        assert len(got) == 2
        assert [c.id for c in got] == ["copy4#0", "copy5#0"]  # the most recent members, oldest first
        monkeypatch.setattr(inc, "CANDIDATES_PER_INCIDENT", 16)
        monkeypatch.setattr(inc, "MAX_CANDIDATES", 4)
        assert len(s._candidate_members(m)) == 4


def test_size_bytes_grows_with_the_documents_stored_issue10(store: rasd.store.Store) -> None:
    """Both backends report their size on disk (bench/memory.py and bench/ingest.py print it)."""
    before = store.size_bytes()
    for i in range(20):
        store.save_document(_report(f"s{i}"))
    assert store.size_bytes() > before > 0
