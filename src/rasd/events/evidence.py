"""The evidence span of an incident and the confidence of a rule-coded event."""

from __future__ import annotations

from typing import Any

from .context import Ctx, Incident, Side
from .lexicon import TriggerInfo


def evidence_bounds(ctx: Ctx, inc: Incident) -> tuple[int, int]:
    """Offsets of an incident's evidence: its scope from the trigger (the whole sentence when the scope
    is very short), at most ~300 characters, without trailing punctuation."""
    lo, hi = inc.scope
    s = inc.sentence
    start = min(lo, inc.trigger.start)
    # take the clause before when the trigger clause starts with a continuation and the sentence is short
    if hi - start < 40 and s.end - s.start <= 300:
        start, hi = s.start, s.end
    if hi - start > 300:
        hi = start + 300
        while hi > inc.trigger.end and not ctx.doc.text[hi - 1].isspace():
            hi -= 1
        hi = max(hi, inc.trigger.end)
    text = ctx.doc.text
    while hi > start and text[hi - 1] in " .،,؛;:\n":
        hi -= 1
    return start, hi


def confidence(
    info: TriggerInfo,
    a1: Side | None,
    date_info: tuple[Any, ...],
    place_from: str,
    p_cls: float | None,
) -> float:
    """A rule-coded event's confidence from the trigger's strength and which slots were filled how."""
    c = 0.35 * info.strength
    c += 0.15 if a1 is not None else 0.0
    c += 0.15 if not date_info[4] else 0.07
    c += {"scope": 0.15, "sentence": 0.11, "context": 0.06}.get(place_from, 0.0)
    c += 0.2 * (p_cls if p_cls is not None else 0.6)
    return round(min(1.0, c), 4)
