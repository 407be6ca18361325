"""rasd.eval: score extractions against gold events and sentence labels (../shared/gold/README.md rules).

from rasd.eval import evaluate_gold, evaluate_sentences
report = evaluate_gold("gold.jsonl")              # extracts from the gold texts itself
report = evaluate_gold("gold.jsonl", "pred.jsonl")
table = evaluate_sentences("arabic_event_gsr_dev.jsonl")
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from ..document import Document, Metadata, iso_date
from ..pipeline import Pipeline
from .scoring import (
    EventScore,
    event_classes,
    is_match,
    match_events,
    places_match,
    read_jsonl,
    score_events,
    score_sentences,
)

__all__ = [
    "EventScore",
    "evaluate_gold",
    "evaluate_sentences",
    "event_classes",
    "event_pipeline",
    "extract_records",
    "is_match",
    "match_events",
    "places_match",
    "read_jsonl",
    "score_events",
    "score_sentences",
]


def event_pipeline(*, require_location: bool = True) -> Pipeline:
    """The default pipeline, with the events stage (added last if the default has none).

    ``require_location=False`` swaps in an events stage that also keeps events it cannot place (sentence-level
    detection, where a lone sentence rarely names a gazetteer place).
    """
    from ..events import EventCoder
    from ..pipeline import build_pipeline

    base = build_pipeline()
    stages = [s for s in base.stages if s.name != "events"]
    existing = next((s for s in base.stages if s.name == "events"), None)
    if existing is not None and require_location and isinstance(existing, EventCoder):
        coder = existing
    else:
        coder = EventCoder(require_location=require_location)
    return Pipeline([*stages, coder])


def extract_records(path: str | Path, pipeline: Pipeline | None = None) -> list[dict[str, Any]]:
    """Run rasd over a JSON Lines file (as `rasd extract --input-format jsonl` reads it); one record per line."""
    from ..readers import read

    pipe = pipeline or event_pipeline()
    out = []
    for doc in read([str(path)], input_format="jsonl"):
        out.append(pipe(doc).to_dict(with_text=False))
    return out


def evaluate_gold(gold_path: str | Path, pred_path: str | Path | None = None) -> EventScore:
    """Score ``pred_path`` (or a fresh extraction of the gold texts) against the gold events."""
    gold = read_jsonl(gold_path)
    preds = read_jsonl(pred_path) if pred_path is not None else extract_records(gold_path)
    return score_events(gold, preds)


_GIGAWORD_DATE = re.compile(r"_(\d{4})(\d{2})(\d{2})\.")


def sentence_date(record: dict[str, Any]) -> date | None:
    """The publication date of a sentence record: its ``published`` field, else the date in a Gigaword id."""
    published = iso_date(record.get("published"))
    if published is not None:
        return published
    m = _GIGAWORD_DATE.search(str(record.get("id", "")))
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def detect_classes(record: dict[str, Any], pipeline: Pipeline) -> set[str]:
    """ASSAULT / PROTEST classes rasd finds in one sentence record."""
    doc = Document(
        str(record.get("id", "")), str(record.get("text", "")), Metadata(published=sentence_date(record))
    )
    doc = pipeline(doc)
    # unlocated detections count: a lone sentence rarely names a place the gazetteer knows (issue 14)
    return event_classes(e.to_dict() for e in [*doc.acled_events, *doc.detections])


def evaluate_sentences(
    path_or_records: str | Path | Iterable[dict[str, Any]], pipeline: Pipeline | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """Sentence detection scores (strict / all) per class on an arabic_event_gsr-format file."""
    records = (
        read_jsonl(path_or_records) if isinstance(path_or_records, (str, Path)) else list(path_or_records)
    )
    pipe = pipeline or event_pipeline(require_location=False)
    return score_sentences(records, lambda r: detect_classes(r, pipe))
