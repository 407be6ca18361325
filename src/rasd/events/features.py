"""Features of one candidate event for the learned candidate scorer (:mod:`rasd.events.scorer`).

The rules of the coder do not drop a candidate when a scorer is in use: they name what they would have objected
to (``drop=negation``, ``drop=history``...), and the scorer weighs those names together with the trigger, the
filled slots, the sentence classifier's score and the words around the trigger. So a rule tuned on one outlet
becomes one feature among many, weighted on every labelled source (``rasd train coder``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import regex

from ..document import Event, iso_date
from ..text.normalize import normalize_key

_WORD = regex.compile(r"\p{L}+")
# internal flags that say nothing about the candidate itself
_SKIP_FLAGS = ("sent:", "victims:", "assoc")


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the coder knew about an event when it built it: the facts its features are made of."""

    trigger_key: str
    trigger_label: str
    trigger_form: str
    strength: float
    weak: bool
    n_hits: int
    drops: tuple[str, ...]
    p_cls: float | None
    place_from: str
    clause_text: str
    before_text: str  # the few words before the trigger
    sentence_index: int
    n_places: int
    in_title: bool


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(x >= e for e in edges)


_key = lru_cache(maxsize=1 << 16)(normalize_key)  # the same words recur in every article


def _words(text: str) -> list[str]:
    return [_key(w) for w in _WORD.findall(text)]


def candidate_features(ev: Event, cand: Candidate, published: date | None) -> dict[str, float]:
    """Sparse named features of one candidate (values 1.0 unless a number is meant)."""
    f: dict[str, float] = {"bias": 1.0}
    sub = ev.sub_event_type or "?"
    f[f"sub={sub}"] = 1.0
    f[f"type={ev.event_type}"] = 1.0
    f[f"trig={cand.trigger_key}"] = 1.0
    f[f"tlabel={cand.trigger_label}"] = 1.0
    f[f"tform={cand.trigger_form}"] = 1.0
    f[f"tform={cand.trigger_form}|sub={sub}"] = 1.0
    f[f"strength={_bucket(cand.strength, (0.6, 0.8, 0.9))}"] = 1.0
    if cand.weak:
        f["weak"] = 1.0
    f[f"hits={min(cand.n_hits, 3)}"] = 1.0
    for d in cand.drops:
        f[f"drop={d}"] = 1.0
    if not cand.drops:
        f["drop=none"] = 1.0
    for fl in ev.flags:
        if not fl.startswith(_SKIP_FLAGS):
            f[f"flag={fl}"] = 1.0
    for slot, actor, inter in (("1", ev.actor1, ev.inter1), ("2", ev.actor2, ev.inter2)):
        f[f"a{slot}={'yes' if actor else 'no'}"] = 1.0
        f[f"inter{slot}={inter}"] = 1.0
        f[f"inter{slot}={inter}|sub={sub}"] = 1.0
    f[f"modality={ev.modality}"] = 1.0
    f[f"place_from={cand.place_from}"] = 1.0
    f[f"places={min(cand.n_places, 3)}"] = 1.0
    if cand.p_cls is None:
        f["pcls=none"] = 1.0
    else:
        f["pcls"] = cand.p_cls
        f[f"pcls={_bucket(cand.p_cls, (0.2, 0.4, 0.6, 0.8))}"] = 1.0
    f["fatal" if ev.fatalities else "no_fatal"] = 1.0
    if ev.wounded:
        f["wounded"] = 1.0
    if ev.captured:
        f["captured"] = 1.0
    f[f"tprec={ev.time_precision}"] = 1.0
    end = iso_date(ev.date_end) or iso_date(ev.event_date)
    if published is not None and end is not None:
        f[f"age={_bucket((published - end).days, (0, 2, 4, 8, 15, 60))}"] = 1.0
    f[f"sent={_bucket(cand.sentence_index, (1, 2, 4, 8))}"] = 1.0
    if cand.in_title:
        f["title"] = 1.0
    for w in sorted(set(_words(cand.clause_text))):  # a fixed order: float sums equal in every process
        f[f"w={w}"] = 1.0
    for w in _words(cand.before_text)[-3:]:
        f[f"b={w}"] = 1.0
    return f
