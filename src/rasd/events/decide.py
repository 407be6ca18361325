"""The learned decision over candidate events: features of each (merged) candidate, then keep or drop.

The coder builds candidates permissively (see :mod:`rasd.events.features`); :func:`decide` keeps those the
candidate scorer (:mod:`rasd.models.coder`) accepts and records on each kept event why it was kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from ..document import Event
from .features import Candidate, candidate_features


class Scorer(Protocol):
    threshold: float

    def probability(self, feats: Mapping[str, float]) -> float: ...


def features(
    candidates: Mapping[int, Candidate], events: list[Event], published: date | None
) -> dict[int, dict[str, float]]:
    """Features of each event built from a candidate, keyed by ``id(event)`` (merging unions them)."""
    return {
        id(ev): candidate_features(ev, candidates[id(ev)], published) for ev in events if id(ev) in candidates
    }


def decide(
    events: list[Event],
    feats: dict[int, dict[str, float]],
    scorer: Scorer,
    record: list[Any] | None = None,
    doc_id: str = "",
) -> list[Event]:
    """Keep the merged candidates the scorer accepts; its probability becomes the event's confidence."""
    kept = []
    for ev in events:
        f = feats.get(id(ev))
        if f is None:
            kept.append(ev)
            continue
        f[f"tellings={min(len(ev.evidence), 3)}"] = 1.0
        p = scorer.probability(f)
        if record is not None:
            record.append((doc_id, ev.to_dict(), f, p))
        if p >= scorer.threshold:
            ev.confidence = round(p, 4)
            ev.flags = [fl for fl in ev.flags if not fl.startswith("drop:")]
            kept.append(ev)
    return kept
