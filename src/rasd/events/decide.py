"""The learned decision over candidate events: features of each (merged) candidate, then keep or drop.

The coder builds candidates permissively (see :mod:`rasd.events.features`); :func:`decide` keeps those the
candidate scorer (:mod:`rasd.models.coder`) accepts and records on each kept event why it was kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Protocol

from ..document import Event, iso_date
from .features import Candidate, candidate_features
from .lexicon import lexicons
from .merge import MERGE_WINDOW, date_overlap


class Scorer(Protocol):
    @property
    def threshold(self) -> float: ...

    @property
    def retype_threshold(self) -> float: ...

    def probability(self, feats: Mapping[str, float]) -> float: ...

    def sub_type(self, feats: Mapping[str, float]) -> tuple[str, float] | None: ...


def retype(ev: Event, f: dict[str, float], scorer: Scorer) -> None:
    """Let the learned sub-type model replace the rules' sub-type where it is confident (ACLED's type follows)."""
    choice = scorer.sub_type(f)
    if choice is None:
        return
    sub, p = choice
    types = lexicons().types
    if sub == ev.sub_event_type or p < scorer.retype_threshold or sub not in types:
        return
    f.pop(f"sub={ev.sub_event_type}", None)
    f.pop(f"type={ev.event_type}", None)
    ev.sub_event_type = sub
    ev.event_type = types[sub]["event_type"]
    ev.plover = types[sub]["plover"]
    f[f"sub={sub}"] = f[f"type={ev.event_type}"] = f["retyped"] = 1.0
    ev.flags.append("type_from_model")


def features(
    candidates: Mapping[int, Candidate], events: list[Event], published: date | None
) -> dict[int, dict[str, float]]:
    """Features of each event built from a candidate, keyed by ``id(event)`` (merging unions them)."""
    return {
        id(ev): candidate_features(ev, candidates[id(ev)], published) for ev in events if id(ev) in candidates
    }


# the coder's flags that name the rule behind a field
_FIELD_RULES = {
    "type": ("type_from_generic", "type_from_model"),
    "actor1": ("actor1_from_context", "actor1_unidentified"),
    "date": ("date_defaulted", "date_from_report"),
}


def explain(ev: Event, f: Mapping[str, float], p: float, scorer: Scorer) -> dict[str, Any]:
    """The ``why`` of a kept event: trigger and rules behind each field, the scorer's probability and the
    features that weighed most."""
    trig = next((k[5:] for k in f if k.startswith("trig=")), None)
    place = next((k[11:] for k in f if k.startswith("place_from=")), None)
    out: dict[str, Any] = {
        name: [fl for fl in ev.flags if fl in rules] or ["rules"] for name, rules in _FIELD_RULES.items()
    }
    out["trigger"] = trig
    out["place"] = [f"place_from_{place}"] if place else []
    out["kept"] = {"p": round(p, 4), "threshold": scorer.threshold}
    top = getattr(scorer, "explain", None)
    if callable(top):
        out["kept"]["top_features"] = [[k, c] for k, c in top(f)]
    return out


# the event-sentence classifier's calibrated decision threshold: from it, it vouches for a sentence
CLASSIFIER_VOUCHES = 0.5


def rules_accept(f: Mapping[str, float], *, no_classifier: float = 1.0) -> bool:
    """The hand rules' own verdict: no rule objects and the sentence classifier vouches (a missing score counts
    as ``no_classifier``). What they accept stays; the scorer decides the candidates they would drop (and may
    retype any)."""
    return "drop=none" in f and f.get("pcls", no_classifier) >= CLASSIFIER_VOUCHES


def decide(
    events: list[Event],
    feats: dict[int, dict[str, float]],
    scorer: Scorer,
    record: list[Any] | None = None,
    doc_id: str = "",
    absorb: Callable[[Event, Event], None] | None = None,
) -> list[Event]:
    """Keep the merged candidates the scorer accepts; its probability becomes the event's confidence. With
    ``absorb``, kept events of one type, place and day are then folded together (:func:`dedupe`)."""
    kept = []
    n = len(feats)
    top = max((f.get("pcls", 0.0) for f in feats.values()), default=0.0)
    for ev in events:
        f = feats.get(id(ev))
        if f is None:
            kept.append(ev)
            continue
        f[f"tellings={min(len(ev.evidence), 3)}"] = 1.0
        f[f"doc_candidates={min(n, 6)}"] = 1.0  # an article that is all events, or one event in an essay
        f["doc_top_pcls"] = top
        retype(ev, f, scorer)
        p = scorer.probability(f)
        if record is not None:
            record.append((doc_id, ev.to_dict(), f, p))
        if p >= scorer.threshold or rules_accept(f):
            ev.why = explain(ev, f, p, scorer)
            ev.confidence = round(p, 4)
            kept.append(ev)
    return dedupe(kept, absorb) if absorb is not None else kept


def keep_detections(events: list[Event], feats: Mapping[int, dict[str, float]]) -> list[Event]:
    """Unlocated detections (no place below the country that the gazetteer knows): kept when the sentence
    classifier vouches for the sentence and no rule objects. They are not ACLED events (ACLED codes none it
    cannot place): ``rasd extract`` lists them apart, for an analyst to place."""
    kept = []
    for ev in events:
        f = feats.get(id(ev)) or {}
        if rules_accept(f, no_classifier=0.0):
            ev.why = {"kept": {"rule": "unlocated detection", "pcls": round(f["pcls"], 4)}}
            ev.confidence = round(f["pcls"], 4)
            kept.append(ev)
    return kept


def _place_key(ev: Event) -> tuple[str | None, str | None]:
    return (ev.pcode or ev.location, ev.country)


def dedupe(events: list[Event], absorb: Callable[[Event, Event], None]) -> list[Event]:
    """ACLED codes one event per day, place and type: a kept event with the type and place of a more confident
    one and overlapping dates is another telling of it (its evidence is absorbed). In the gold corpus 12 of 958
    events share type, place and day with another event of their article; far more of the coder's do."""
    out: list[Event] = []
    for ev in sorted(events, key=lambda e: -e.confidence):
        if ev.kind != "acled" or ev.location is None:
            out.append(ev)
            continue
        into = next(
            (
                o
                for o in out[-MERGE_WINDOW:]
                if o.kind == "acled"
                and o.event_type == ev.event_type
                and _place_key(o) == _place_key(ev)
                and bool(iso_date(o.event_date) and iso_date(ev.event_date))  # undated: never folded here
                and date_overlap(o, ev, slack=0)
            ),
            None,
        )
        if into is None:
            out.append(ev)
        else:
            absorb(into, ev)
    order = {id(e): i for i, e in enumerate(events)}
    return sorted(out, key=lambda e: order[id(e)])
