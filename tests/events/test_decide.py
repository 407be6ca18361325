"""The learned decision over candidates (issue 14): rules name objections, the scorer keeps or drops, the type
model may replace a generic sub-type, and every kept event says why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from rasd.document import Document, Event, Metadata
from rasd.events import EventCoder
from rasd.events.decide import decide, explain, retype
from rasd.models.coder import CandidateScorer


@dataclass
class Fixed:
    """A scorer with a fixed probability (and, optionally, a fixed sub-type choice)."""

    p: float
    threshold: float = 0.5
    retype_threshold: float = 0.6
    choice: tuple[str, float] | None = None
    seen: list[Mapping[str, float]] = field(default_factory=list)

    def probability(self, feats: Mapping[str, float]) -> float:
        self.seen.append(dict(feats))
        return self.p

    def sub_type(self, feats: Mapping[str, float]) -> tuple[str, float] | None:
        return self.choice


def _event(**kw: Any) -> Event:
    base: dict[str, Any] = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "plover": "ASSAULT",
        "flags": ["type_from_generic"],
    }
    base.update(kw)
    return Event(**base)


@pytest.mark.parametrize(("p", "kept"), [(0.9, True), (0.5, True), (0.49, False), (0.0, False)])
def test_decide_keeps_what_the_scorer_accepts(p: float, kept: bool) -> None:
    ev = _event()
    out = decide([ev], {id(ev): {"bias": 1.0}}, Fixed(p))
    assert (out == [ev]) is kept
    if kept:
        assert ev.confidence == pytest.approx(p)
        assert ev.why["kept"]["p"] == pytest.approx(p)


def test_events_without_features_pass_through() -> None:
    ev = _event()
    assert decide([ev], {}, Fixed(0.0)) == [ev]


def test_record_collects_every_candidate_kept_or_not() -> None:
    a, b = _event(), _event(sub_event_type="Attack")
    rec: list[Any] = []
    decide([a, b], {id(a): {"bias": 1.0}, id(b): {"bias": 1.0}}, Fixed(0.1), rec, "doc")
    assert [r[0] for r in rec] == ["doc", "doc"]
    assert all(r[3] == 0.1 for r in rec)


@pytest.mark.parametrize(
    ("choice", "sub", "etype"),
    [
        (("Air/drone strike", 0.9), "Air/drone strike", "Explosions/Remote violence"),
        (("Air/drone strike", 0.5), "Armed clash", "Battles"),  # below the retype threshold
        (("Armed clash", 0.99), "Armed clash", "Battles"),  # the same type: nothing changes
        (("Not a sub-type", 0.99), "Armed clash", "Battles"),  # unknown label: ignored
        (None, "Armed clash", "Battles"),  # no type model
    ],
)
def test_retype(choice: tuple[str, float] | None, sub: str, etype: str) -> None:
    ev = _event()
    f = {"sub=Armed clash": 1.0, "type=Battles": 1.0}
    retype(ev, f, Fixed(1.0, choice=choice))
    assert (ev.sub_event_type, ev.event_type) == (sub, etype)
    assert f.get(f"sub={sub}") == 1.0
    assert ("type_from_model" in ev.flags) is (sub != "Armed clash")


def test_why_names_trigger_rules_place_and_top_features() -> None:
    ev = _event(flags=["type_from_generic", "date_defaulted", "actor1_unidentified"])
    scorer = CandidateScorer({"drop=negation": -3.0, "trig=قصف": 1.0, "bias": 0.2})
    f = {"bias": 1.0, "trig=قصف": 1.0, "place_from=scope": 1.0, "drop=negation": 1.0}
    why = explain(ev, f, 0.7, scorer)
    assert why["trigger"] == "قصف"
    assert why["type"] == ["type_from_generic"]
    assert why["date"] == ["date_defaulted"]
    assert why["actor1"] == ["actor1_unidentified"]
    assert why["place"] == ["place_from_scope"]
    assert why["kept"]["top_features"][0] == ["drop=negation", -3.0]


# in an article: a one-sentence document is coded as a sentence (hand rules and the classifier), not scored
UNANCHORED = "ونقلت وكالات الأنباء التفاصيل التالية. وتحدثت مصادر عن الغارات على مدينة دوما"


def test_rules_objections_become_features_in_permissive_coding(pipe) -> None:  # type: ignore[no-untyped-def]
    """A bare noun with no date or toll: the hand rules drop it; permissive coding keeps it as a candidate whose
    features name the objections (drop=weak_unanchored), for the scorer to weigh."""
    doc = Document("t", UNANCHORED, Metadata(published=date(2015, 7, 21)))
    pre = doc
    for st in pipe.stages:
        if st.name != "events":
            pre = st(pre)
    assert not EventCoder(scorer=False)(pre).acled_events
    scorer = Fixed(1.0, threshold=0.0)
    coded = EventCoder(scorer=scorer)(pre)
    assert coded.acled_events
    assert any("drop=weak_unanchored" in f for f in scorer.seen)


@pytest.mark.parametrize(
    "text",
    [
        "لم تقصف قوات النظام مدينة دوما أمس",  # negation
        "ستقصف قوات النظام مدينة دوما",  # future
        "هل تقصف الطائرات الروسية مدينة إدلب؟",  # question
        "إذا قصفت قوات النظام مدينة دوما فإن المعارضة سترد",  # hypothetical
    ],
)
def test_hard_objections_stay_drops_under_a_scorer(pipe, text: str) -> None:  # type: ignore[no-untyped-def]
    """Even a scorer that keeps everything gets no candidate from a negated, future, asked or supposed act."""
    doc = Document("t", text, Metadata(published=date(2015, 7, 21)))
    for st in pipe.stages:
        if st.name != "events":
            doc = st(doc)
    assert not EventCoder(scorer=Fixed(1.0, threshold=0.0))(doc).acled_events


@pytest.mark.parametrize(
    "text",
    [
        "نابلس - النجاح الإخباري\nقال مسؤول إن الاحتلال اعتقل ثلاثة شبان فجر اليوم",
        "واشنطن - دمشق - وكالات\nأعلن مسؤول أن الغارات تواصلت أمس",
    ],
)
def test_datelines_are_never_event_places_issue15(pipe, text: str) -> None:  # type: ignore[no-untyped-def]
    doc = pipe(Document("t", text, Metadata(published=date(2025, 11, 10))))
    places = {e.location_ar for e in doc.acled_events}
    assert not places & {"نابلس", "واشنطن", "دمشق"}
