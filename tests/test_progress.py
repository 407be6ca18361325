"""rasd.progress: snapshots, throttling, the terminal display, cheap totals, and the ``progress=`` callback of
the Python API (issue 18)."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest

import rasd.store
from rasd.document import Document
from rasd.progress import (
    Progress,
    TerminalDisplay,
    Tracker,
    as_callback,
    estimate_total,
    track,
)


def _fake_extract(doc: Document) -> Document:
    if "FAIL" in doc.text:
        raise RuntimeError("boom")
    return doc


def _jsonl(path: Path, texts: list[str], bad_lines: int = 0) -> Path:
    lines = [json.dumps({"id": f"d{i}", "text": t}, ensure_ascii=False) for i, t in enumerate(texts)]
    lines += ["{not json"] * bad_lines
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")  # a trailing blank line is not a record
    return path


@pytest.mark.parametrize(
    ("done", "total", "elapsed", "rate", "eta"),
    [
        (0, 10, 1.0, None, None),
        (5, 10, 2.0, 2.5, 2.0),
        (5, None, 2.0, 2.5, None),
        (12, 10, 2.0, 6.0, 0.0),  # an estimated total can be passed: never a negative ETA
    ],
)
def test_rate_and_eta(
    done: int, total: int | None, elapsed: float, rate: float | None, eta: float | None
) -> None:
    p = Progress("ingest", done, total, 0, elapsed)
    assert p.rate == rate
    assert p.eta == eta


def test_line_says_done_total_failures_rate_eta() -> None:
    line = Progress("ingest", 120, 300, 2, 2.0).line()
    assert line == "ingest 120/300 doc, 2 failed, 60.0 doc/s, elapsed 2.0s, eta 3.0s"
    assert Progress("extract", 7, None, 0, 1.0, finished=True).line().endswith("elapsed 1.0s (done)")


def test_tracker_reports_start_throttled_updates_and_end() -> None:
    seen: list[Progress] = []
    tracker = Tracker("x", seen.append, total=1000, every=3600)  # no update can pass the throttle
    for _ in range(1000):
        tracker.advance()
    tracker.advance(0, failed=1)
    tracker.close()
    tracker.close()  # closed once
    assert [(p.done, p.failed, p.finished) for p in seen] == [(0, 0, False), (1000, 1, True)]

    seen.clear()
    tracker = Tracker("x", seen.append, every=0)  # every update passes
    tracker.advance(2)
    tracker.close()
    assert [p.done for p in seen] == [0, 2, 2]


def test_track_counts_items_and_finishes() -> None:
    seen: list[Progress] = []
    assert list(track(iter("abc"), "t", seen.append, total=3, unit="item")) == ["a", "b", "c"]
    assert seen[-1].finished and seen[-1].done == 3 and seen[-1].unit == "item"


def test_terminal_display_draws_count_total_and_failures() -> None:
    stream = io.StringIO()
    display = TerminalDisplay(stream)
    tracker = Tracker("ingest", display, total=10, every=0)
    tracker.advance(3, failed=1)
    display.write("rasd: warning: something")
    tracker.close()
    out = stream.getvalue()
    assert "ingest" in out and "3/10" in out and "failed 1" in out
    assert "rasd: warning: something\n" in out
    assert out.endswith("\n")  # closed: the next line starts clean


def test_terminal_display_running_count_without_total() -> None:
    stream = io.StringIO()
    tracker = Tracker("extract", TerminalDisplay(stream), every=0)
    tracker.advance(42)
    tracker.close()
    out = stream.getvalue()
    assert "42doc" in out.replace(" ", "") and "42/" not in out


@pytest.mark.parametrize(
    ("progress", "expected"),
    [(None, None), (False, None), (True, TerminalDisplay), (print, print)],
)
def test_as_callback(progress: object, expected: object) -> None:
    got = as_callback(progress)  # type: ignore[arg-type]
    if isinstance(expected, type):
        assert isinstance(got, expected)
    else:
        assert got is expected


def test_estimate_total(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"{i}.txt").write_text("قتل شخص في حمص", encoding="utf-8")
    (corpus / "page.html").write_text("<html><body><p>نص</p></body></html>", encoding="utf-8")
    _jsonl(corpus / "news.jsonl", ["أ", "ب"], bad_lines=1)
    assert estimate_total([corpus]) == 3 + 1 + 3  # files, then jsonl lines (a bad line is one record too)
    assert estimate_total([corpus / "news.jsonl"], "jsonl") == 3
    (corpus / "feed.warc").write_bytes(b"WARC/1.0\r\n")
    assert estimate_total([corpus]) is None  # a WARC would have to be parsed: a running count instead
    assert estimate_total(["-"]) is None
    assert estimate_total([tmp_path / "missing"]) is None  # the reader reports it when the run gets there


def test_ingest_progress_callback_issue18(tmp_path: Path) -> None:
    corpus = _jsonl(tmp_path / "c.jsonl", [f"خبر رقم {i}" for i in range(30)] + ["FAIL"], bad_lines=2)
    seen: list[Progress] = []
    summary = rasd.store.ingest([corpus], tmp_path / "r.db", extract=_fake_extract, progress=seen.append)
    assert (summary.new, summary.failed) == (30, 3)
    assert seen[0].done == 0 and seen[0].total == 33 and not seen[0].finished
    last = seen[-1]
    assert last.finished and (last.task, last.done, last.total, last.failed) == ("ingest", 33, 33, 3)
    assert all(a.done <= b.done for a, b in itertools.pairwise(seen))
    # a rerun skips everything, and still counts it
    seen.clear()
    rasd.store.ingest([corpus], tmp_path / "r.db", extract=_fake_extract, progress=seen.append)
    assert (seen[-1].done, seen[-1].failed) == (33, 3)


def test_ingest_of_documents_has_no_total(tmp_path: Path) -> None:
    docs = (Document(id=f"d{i}", text=f"خبر {i}") for i in range(5))
    seen: list[Progress] = []
    rasd.store.ingest(docs, tmp_path / "r.db", extract=_fake_extract, progress=seen.append)
    assert seen[-1].total is None and seen[-1].done == 5


def test_ingest_without_progress_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _jsonl(tmp_path / "c.jsonl", ["خبر"])
    rasd.store.ingest([corpus], tmp_path / "r.db", extract=_fake_extract)
    assert capsys.readouterr() == ("", "")  # the library never prints unless asked
