"""The events stage does work linear in document length (issue #10: a 1 MB article took a minute, quadratic).

Timing never gates a test: this counts offset reads (``Mention.start``), which a per-sentence scan of every
mention of the document makes grow with the square of its length. bench/scaling.py measures the time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rasd.document import Document, Mention, Span
from rasd.pipeline import Pipeline

SEED = (Path(__file__).resolve().parent.parent / "data" / "seed_khuwayn_2018.txt").read_text(encoding="utf-8")


def _start_reads(pipe: Pipeline, copies: int, monkeypatch: pytest.MonkeyPatch) -> int:
    doc = Document("big", (SEED + "\n\n") * copies)
    for stage in pipe.stages[:-1]:
        doc = stage(doc)
    reads = [0]

    def start(self: Mention) -> int:
        reads[0] += 1
        span: Span = self.span
        return span.start

    with monkeypatch.context() as m:
        m.setattr(Mention, "start", property(start))
        pipe.stages[-1](doc)
    return reads[0]


def test_event_coding_reads_offsets_linearly_issue10(pipe: Pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twice the text, about twice the offset reads (the quadratic coder read 4x: 122,629 -> 484,059)."""
    assert pipe.stages[-1].name == "events"
    small = _start_reads(pipe, 10, monkeypatch)
    large = _start_reads(pipe, 20, monkeypatch)
    assert small > 0
    assert large / small < 2.5, (small, large)


def test_a_flood_of_one_sentence_is_one_event_with_bounded_evidence_issue17(pipe) -> None:  # type: ignore[no-untyped-def]
    """A page that repeats one event sentence 600 times: one event, its evidence capped at MAX_TELLINGS spans
    (absorbing every telling into an ever-growing list made merging quadratic)."""
    from datetime import date

    from rasd.document import Document, Metadata
    from rasd.events.merge import MAX_TELLINGS

    text = "قصفت قوات النظام مدينة دوما أمس ما أدى إلى مقتل خمسة مدنيين. " * 600
    doc = pipe(Document("flood", text, Metadata(published=date(2015, 7, 21))))
    assert len(doc.acled_events) == 1
    ev = doc.acled_events[0]
    assert MAX_TELLINGS // 2 <= len(ev.evidence) <= MAX_TELLINGS
    assert all(len(spans) <= 4 * MAX_TELLINGS for spans in ev.field_evidence.values())
    assert len(ev.flags) < 20


def test_the_coder_polls_the_time_budget_issue17() -> None:
    """A flood of trigger sentences is stopped inside the events stage, not when the stage ends (5 MB of "قصفت."
    ran 100 s and 2.9 GB there): with the budget already spent, the coder raises after a few incidents."""
    import time

    from rasd.budget import DEADLINE_KEY, Deadline
    from rasd.errors import DocumentTooComplexError
    from rasd.events import EventCoder
    from rasd.pipeline import build_pipeline

    doc = Document("flood", "قصفت قوات النظام بلدة دوما. " * 300)
    for stage in build_pipeline().stages[:-1]:
        doc = stage(doc)
    doc.cache[DEADLINE_KEY] = Deadline(doc.id, 0.5, started=time.thread_time() - 60)
    with pytest.raises(DocumentTooComplexError, match="events"):
        EventCoder()(doc)
    del doc.cache[DEADLINE_KEY]  # unlimited: the same document is coded
    assert EventCoder()(doc).events
