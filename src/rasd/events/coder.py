"""The events stage: trigger words in context -> ACLED events and verbal PLOVER statements.

Flow per document (details and examples in docs/codebook.md), one module per step:

1. find trigger words (``lang/ar/triggers.json``) and context cues (``lang/ar/event_context.json``)
   (:mod:`.lexicon`, :mod:`.context`);
2. drop triggers in a negated / future / hypothetical / planned / threatened / opinion / background context
   (:mod:`.filters`);
3. build one *incident* per clause that holds a trigger (its scope runs over the following trigger-less clauses
   of the sentence), resolve its sub-event type (generic words such as قصف or مقتل are refined by cues like
   طيران / قذائف / انتحاري and by who is hit) (:mod:`.candidates`, :mod:`.subtypes`, :mod:`.taxonomy`);
4. fill the arguments from the recognisers' mentions: actors by their syntactic slot (:mod:`.roles`,
   :mod:`.actors`), place(s) in the scope (one event per place: ACLED disaggregation, :mod:`.places`), date
   (:mod:`.dates`), casualties (ACLED's conservative rules, :mod:`.casualties`), source and modality
   (:mod:`.modality`);
5. merge the same incident told twice (same type, place, compatible actors and dates) into one event whose
   evidence lists every telling (:mod:`.merge`); verbal statements are coded by :mod:`.statements`.

Every filled field records the spans that justify it in ``Event.field_evidence``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from ..budget import deadline_of
from ..document import LOCATION_FIELDS, Document, Event, Span
from ..text.match import Match
from . import decide
from .actors import ARMED_INTERS, crowd_actor, fill_actor1, inter_in, name_in, named_armed, role_force
from .candidates import incidents
from .casualties import count_casualties
from .context import Ctx, Incident, bisect_spans, build_context, is_one_sentence, skipped
from .cues import cue_pattern
from .dates import choose_date
from .evidence import confidence, evidence_bounds
from .features import Candidate
from .filters import anchored, supported, weak_hit
from .lexicon import TriggerInfo
from .merge import absorb, merge_tellings
from .modality import judge_modality
from .notes import english_note
from .places import choose_places
from .roles import assign_roles, group_sides
from .statements import code_statements, merge_statements
from .subtypes import final_sub_type
from .taxonomy import CROWD_LABELS as _CROWD_LABELS

log = logging.getLogger(__name__)

# "احتجاجا على ...": an actor right after it is what is protested, not the protest's target
_GRIEVANCE = cue_pattern("grievance")


# --------------------------------------------------------------------------------------------------------------
# the stage


class EventCoder:
    """Stage "events": ACLED events and PLOVER statements from trigger words and the recognisers' mentions.

    ``require_location``: drop ACLED events with no resolvable place (the article contract; ACLED codes no
    event it cannot place); ``False`` for sentence-level detection. ``classifier``: an object with
    ``predict(sentence) -> {"ASSAULT": p, "PROTEST": p}`` (the learned event-sentence classifier); ``None`` loads
    the shipped one when present, ``False`` codes on trigger words alone. ``veto`` / ``veto_strong``: an incident
    whose sentence scores below this for the event's PLOVER class is dropped (weaker / strong trigger words;
    ``None`` never vetoes). ``veto_anchored``: the lower limit for an anchored incident (a specific trigger with its
    place in its clause and a named armed side; default 0.3 for articles, off for sentence detection). ``confirm``: a score from which the classifier vouches for an unanchored weak trigger
    (default: 0.7 in sentence detection, off for articles). ``history``: drop incidents dated long before
    publication (default: for articles only).
    """

    name = "events"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("events",)

    def __init__(
        self,
        *,
        require_location: bool = True,
        classifier: Any = None,
        veto: float = 0.5,
        veto_strong: float | None = 0.5,
        veto_anchored: float | None = -1.0,
        confirm: float | None = -1.0,
        history: bool | None = None,
        scorer: Any = None,
        record: list[Any] | None = None,
        unplaced_detections: bool | None = None,
    ) -> None:
        # sentence detection lets a confident classifier vouch for an unanchored trigger; articles need an anchor
        self.confirm = (None if require_location else 0.7) if confirm == -1.0 else confirm
        # drop incidents dated long before publication (ACLED codes the news, not the history); sentence
        # detection keeps them: a sentence about a 2003 bombing still reports a bombing
        self.history = require_location if history is None else history
        self.require_location = require_location
        # an incident with no place rasd can code: an unlocated detection (articles), else an event without a place
        self.unplaced_detections = require_location if unplaced_detections is None else unplaced_detections
        self._sentence_coder: EventCoder | None = None
        self.veto = veto
        self.veto_strong = veto_strong
        # articles: a specific trigger with a place in its clause and a named side survives a moderate score;
        # sentence detection keeps the plain veto (its negatives are history and plans told with such words)
        self.veto_anchored = (0.3 if require_location else None) if veto_anchored == -1.0 else veto_anchored
        self._classifier = classifier
        self._clf_loaded = classifier is not None
        # the learned candidate scorer (rasd.models.coder): rules then name their objections instead of dropping;
        # ``False`` codes with the hand rules alone; ``record`` collects (doc id, event, features, p) for training
        if scorer is None and require_location:
            from ..models.coder import CandidateScorer

            scorer = CandidateScorer.load_or_none()
        self.scorer = scorer or None
        self.record = record

    @property
    def permissive(self) -> bool:
        """With a scorer, the rules name their objections instead of dropping (the scorer weighs them)."""
        return self.scorer is not None

    # -- classifier ------------------------------------------------------------------------------------------
    @property
    def classifier(self) -> Any:
        if not self._clf_loaded:
            self._clf_loaded = True
            try:
                from ..models.events import EventSentenceClassifier

                self._classifier = EventSentenceClassifier.load()
            except Exception as exc:  # the model is optional: missing or stale artefact -> lexicon only
                log.info("event-sentence classifier unavailable (%s); coding on triggers alone", exc)
                self._classifier = False
        return self._classifier

    def _sentence_probs(
        self, ctx: Ctx, sent: Span, cache: dict[int, dict[str, float] | None]
    ) -> dict[str, float] | None:
        if sent.start in cache:
            return cache[sent.start]
        clf = self.classifier
        probs: dict[str, float] | None = None
        if clf:
            try:
                span = getattr(clf, "predict_span", None)  # the shipped model reuses the folded document
                got = span(ctx.norm, sent.start, sent.end) if span else clf.predict(sent.text)
                probs = {k: float(v) for k, v in got.items()}
            except Exception as exc:  # pragma: no cover - defensive: a broken model must not stop coding
                log.warning("event-sentence classifier failed: %s", exc)
                probs = None
        cache[sent.start] = probs
        return probs

    # -- entry point -----------------------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        if self.require_location and self.scorer is not None and is_one_sentence(doc):
            return self._as_sentence()(doc)
        ctx = self._context(doc)
        hits = ctx.lex.triggers.find(ctx.norm)
        event_hits = [
            h for h in hits if any(p.kind == "event" for p in h.payloads) and not self._skipped(ctx, h)
        ]
        stmt_hits = [
            h for h in hits if any(p.kind == "statement" for p in h.payloads) and not self._skipped(ctx, h)
        ]
        events: list[Event] = []
        probs_cache = ctx.probs
        deadline = deadline_of(doc)  # a flood of trigger sentences is stopped here, not after the stage (#17)
        for k, inc in enumerate(self._incidents(ctx, event_hits)):
            if k % 128 == 127:
                deadline.check(self.name)
            events.extend(self._code(ctx, inc, probs_cache))
        feats = decide.features(ctx.candidates, events, ctx.published) if self.permissive else None
        detections = [e for e in events if e.kind == "detection"]
        events = [e for e in events if e.kind == "acled"]
        self._fill_actor1(ctx, events)
        events = self._merge(events, feats)
        if feats is not None and self.scorer is not None:
            events = decide.decide(events, feats, self.scorer, self.record, doc.id, absorb)
            detections = decide.keep_detections(detections, feats)
        statements = self._merge_statements(self._statements(ctx, stmt_hits))
        seen: dict[str, int] = {}
        for ev in events + detections + statements:
            ev.flags = [f for f in ev.flags if not f.startswith(("victims:", "sent:"))]
            ev.event_id = event_id(doc.id, ev)
            n = seen.get(ev.event_id, 0)
            seen[ev.event_id] = n + 1
            if n:
                ev.event_id = f"{ev.event_id}-{n}"
            ev.notes = english_note(ev)
        others = [e for e in doc.events if e.kind not in ("acled", "statement", "detection")]
        doc.events = [*others, *events, *detections, *statements]
        return doc

    def _as_sentence(self) -> EventCoder:
        """One-sentence documents: hand rules and the classifier's veto, history kept, unplaced incidents as
        detections. The scorer is fitted on articles; on gsr sentences it loses to this (bench/gsr_cv.py)."""
        if self._sentence_coder is None:
            self._sentence_coder = (
                EventCoder(  # an anchored incident survives a moderate score, as in articles
                    require_location=False,
                    classifier=self._classifier,
                    unplaced_detections=True,
                    veto_anchored=0.3,
                )
            )
        return self._sentence_coder

    # -- the steps of the stage: each is a function of its own module, named here as __call__ and _code use it
    _context = staticmethod(build_context)
    _skipped = staticmethod(skipped)
    _weak_hit = staticmethod(weak_hit)
    _supported = staticmethod(supported)
    _anchored = staticmethod(anchored)
    _sides = staticmethod(group_sides)
    _roles = staticmethod(assign_roles)
    _final_sub = staticmethod(final_sub_type)
    _places = staticmethod(choose_places)
    _modality = staticmethod(judge_modality)
    _casualties = staticmethod(count_casualties)
    _crowd_actor = staticmethod(crowd_actor)
    _evidence_bounds = staticmethod(evidence_bounds)
    _confidence = staticmethod(confidence)
    _fill_actor1 = staticmethod(fill_actor1)
    _merge = staticmethod(merge_tellings)
    _merge_statements = staticmethod(merge_statements)

    def _incidents(self, ctx: Ctx, hits: list[Match[TriggerInfo]]) -> list[Incident]:
        return incidents(
            ctx,
            hits,
            history=self.history,
            permissive=self.permissive,
            confirmed=self._confirmed,
            note_drop=self._note_drop,
        )

    def _date(self, ctx: Ctx, inc: Incident) -> tuple[str, str, int, list[Span], list[str]] | None:
        return choose_date(ctx, inc, history=self.history)

    def _statements(self, ctx: Ctx, hits: list[Match[TriggerInfo]]) -> list[Event]:
        return code_statements(ctx, hits, history=self.history)

    # -- coding one incident ---------------------------------------------------------------------------------
    def _code(self, ctx: Ctx, inc: Incident, probs_cache: dict[int, dict[str, float] | None]) -> list[Event]:
        text = ctx.doc.text
        trig = inc.trigger
        # the rules would code the incident from any trigger they do not object to: objections count when all do
        objected = all(h.start in ctx.hit_reasons for h in inc.hits)
        drops = sorted({ctx.hit_reasons[h.start] for h in inc.hits}) if objected else []
        if all(self._weak_hit(ctx, h) for h in inc.hits) and not self._supported(ctx, inc):
            log.debug("trigger %r: generic/habitual wording with no date or casualty in its clause", trig.key)
            if not self.permissive:
                return []
            drops.append("unsupported")
        sides = self._sides(ctx, inc.sentence)
        a1, a2 = self._roles(ctx, inc, sides)
        if a1 is not None and a1.inter == 7 and inc.sub not in _CROWD_LABELS:
            # civilians do not shell or bomb: a civilian "actor1" is the victim ("مقتل 5 مدنيين في ...")
            if a2 is None or (a2.inter in ARMED_INTERS):
                a1, a2 = a2, a1
        sub = self._final_sub(ctx, inc, a1, a2)
        if sub is None:
            return []
        tinfo = ctx.lex.types[sub]
        info: TriggerInfo = trig.payloads[0]
        if info.weak and not (a1 and a2):
            if not self.permissive:
                return []
            drops.append("weak_one_side")
        # date
        date_info = self._date(ctx, inc)
        if date_info is None:
            return []
        # places
        places, place_from = self._places(ctx, inc, [a1] if a1 is not None else [])
        if not places and self.require_location:
            lead = (
                a1 if a1 is not None and named_armed(a1.main) and not a1.main.value.get("backref") else None
            )
            if lead is not None or not date_info[4]:
                ctx.story.append((inc.scope[1], sub, lead, date_info))
            if not self.permissive:
                return []
        # no place the gazetteer knows: kept (if the scorer vouches) as an unlocated detection, not an ACLED event
        kind = "detection" if not places and self.unplaced_detections else "acled"
        if tinfo["event_type"] == "Strategic developments" and (place_from != "scope" or a1 is None):
            if not self.permissive:
                return []  # arrests, agreements... only when the clause itself says who and where
            drops.append("sd_unanchored")
        # the (slower) sentence classifier last: only incidents that would otherwise be coded
        weak_word = info.strength < 0.9 or info.weak
        probs = (
            self._sentence_probs(ctx, inc.sentence, probs_cache)
            if (weak_word or self.veto_strong is not None)
            else None
        )
        p_cls = None
        if probs is not None:
            p_cls = probs.get(tinfo["plover"]) if tinfo["plover"] in probs else None
            limit = self.veto if weak_word else self.veto_strong
            if (
                self.veto_anchored is not None
                and limit is not None
                and self._anchored(ctx, inc, a1, a2, place_from)
            ):
                # a specific trigger with its place in the clause and a named side ("وسيطر التنظيم على المدينة"):
                # the classifier only vetoes it when it is quite sure
                limit = min(limit, self.veto_anchored)
            if p_cls is not None and limit is not None and p_cls < limit and not self.permissive:
                log.debug("trigger %r vetoed by the sentence classifier (p=%.2f)", trig.key, p_cls)
                return []
        # source / modality
        modality, attributed, src_spans, claimed_actor = self._modality(ctx, inc, a1)
        if a1 is None and claimed_actor is not None:
            a1 = claimed_actor
        if a1 is not None and a2 is not None and a1.name == a2.name and a1.name is not None:
            a2 = None
        # casualties
        cas = self._casualties(ctx, inc, sub)
        if sub == "Peaceful protest" or tinfo["event_type"] == "Strategic developments":
            # deaths named in a protest sentence are what it protests; arrests, deals, withdrawals kill no one
            cas["fatalities"] = (0, [], None, [])
        evidence = Span.of(text, *self._evidence_bounds(ctx, inc))
        out: list[Event] = []
        for k, place in enumerate(places or [None]):
            ev = Event(
                event_type=tinfo["event_type"],
                sub_event_type=sub,
                plover=tinfo["plover"],
                modality=modality,
                attributed_to=attributed,
                kind=kind,
            )
            fe: dict[str, list[Span]] = {}
            fe["sub_event_type"] = [Span.of(text, h.start, h.end) for h in inc.hits]
            fe["event_type"] = list(fe["sub_event_type"])
            fe["plover"] = list(fe["sub_event_type"])
            country = (ctx.res.get(id(place)) or {}).get("country") if place is not None else None
            year = int(date_info[0][:4]) if date_info[0] else None
            for slot, side in (("1", a1), ("2", a2)):
                if side is None:
                    continue
                setattr(ev, f"actor{slot}", name_in(side.main, country, year, date_info[0] or None))
                setattr(ev, f"actor{slot}_ar", side.main.text)
                setattr(ev, f"inter{slot}", inter_in(side.main, country))
                force = (
                    role_force(side.main, country, text[side.main.end : side.main.end + 20])
                    if slot == "2"
                    else None
                )
                if force is not None:
                    # "قتل جندي تركي": the victim's force; the role word is kept in actor2_ar
                    ev.actor2, ev.inter2 = force
                fe[f"actor{slot}"] = [side.main.span]
                fe[f"actor{slot}_ar"] = [side.main.span]
                if side.inter is not None:
                    fe[f"inter{slot}"] = [side.main.span]
                for a in side.assoc:
                    if a.value.get("name") and a.value.get("name") != side.name:
                        ev.flags.append(f"assoc{slot}:{a.value['name']}")
            if tinfo["event_type"] in ("Protests", "Riots"):
                self._crowd_actor(ev, fe, a1, place, ctx, tinfo["event_type"])
                if (
                    a2 is not None
                    and ev.actor2 is not None
                    and _GRIEVANCE.search(text[max(0, a2.start - 60) : a2.start])
                ):
                    # "احتجاجا على الغارات الجوية التركية على أهداف لحزب العمال": what is protested, not the target
                    ev.actor2 = ev.actor2_ar = ev.inter2 = None
                    for f in ("actor2", "actor2_ar", "inter2"):
                        fe.pop(f, None)
            ev.event_date, ev.date_end = date_info[0] or None, date_info[1] or None
            ev.time_precision = date_info[2] or None
            if date_info[3]:
                fe["event_date"] = fe["date_end"] = fe["time_precision"] = date_info[3]
            ev.flags.extend(date_info[4])
            if place is not None:
                res = ctx.res.get(id(place)) or {}
                for f in LOCATION_FIELDS:
                    setattr(ev, f, place.text if f == "location_ar" else res.get(f))
                if place.value.get("near") and (ev.geo_precision or 1) < 2:
                    ev.geo_precision = 2
                for f in LOCATION_FIELDS:
                    if getattr(ev, f) is not None:
                        fe[f] = [place.span]
                if place_from != "scope":
                    ev.flags.append(f"location_from_{place_from}")
            if src_spans:
                fe["modality"] = list(src_spans)
                fe["attributed_to"] = list(src_spans)
            fat, fat_spans, fat_text, victims = cas["fatalities"]
            ev.fatalities = fat if k == 0 else 0
            if len(places) > 1 and fat:
                ev.fatalities_shared = True
            if fat_spans:
                fe["fatalities"] = fat_spans
                fe["fatalities_text"] = list(fat_spans)
                ev.fatalities_text = fat_text
                if ev.fatalities_shared:
                    fe["fatalities_shared"] = list(fat_spans)
            ev.wounded = cas["wounded"][0] if k == 0 else None
            if cas["wounded"][1] and k == 0:
                fe["wounded"] = cas["wounded"][1]
            ev.captured = cas["captured"][0] if k == 0 else None
            if cas["captured"][1] and k == 0:
                fe["captured"] = cas["captured"][1]
            ev.flags.extend(f"victims:{v}" for v in victims if k == 0)
            ev.civilian_targeting = bool(
                ev.inter2 == 7
                and tinfo["event_type"] in ("Violence against civilians", "Explosions/Remote violence")
            )
            if ev.civilian_targeting and "actor2" in fe:
                fe["civilian_targeting"] = fe["actor2"]
            ev.evidence = [evidence]
            ev.field_evidence = fe
            if "type_from_generic" in inc.filtered:
                ev.flags.append("type_from_generic")
            ev.flags.append(f"sent:{inc.sentence.start}")  # internal, dropped after merging
            ev.confidence = self._confidence(info, a1, date_info, place_from, p_cls)
            if self.permissive:
                ctx.candidates[id(ev)] = self._candidate(ctx, inc, drops, p_cls, place_from, len(places))
            if ev.modality == "denied":
                ev.confidence *= 0.6
            out.append(ev)
        return out

    def _candidate(
        self, ctx: Ctx, inc: Incident, drops: list[str], p_cls: float | None, place_from: str, n_places: int
    ) -> Candidate:
        trig = inc.trigger
        info = trig.payloads[0]
        lo, hi = inc.scope
        text = ctx.doc.text
        return Candidate(
            trigger_key=trig.key,
            trigger_label=info.label,
            trigger_form=info.form,
            strength=info.strength,
            weak=info.weak,
            n_hits=len(inc.hits),
            drops=tuple(sorted(set(drops))),
            p_cls=p_cls,
            place_from=place_from,
            clause_text=text[lo:hi],
            before_text=text[max(inc.sentence.start, trig.start - 40) : trig.start],
            sentence_index=bisect_spans(ctx.sentences, trig.start),
            n_places=n_places,
            in_title=any(
                s.name == "title" and s.span.start <= trig.start < s.span.end for s in ctx.doc.sections
            ),
        )

    def _note_drop(self, ctx: Ctx, h: Match[TriggerInfo], reason: str) -> bool:
        """Permissive coding keeps a trigger a rule objects to, naming the objection for the scorer."""
        if not self.permissive:
            return False
        ctx.hit_reasons.setdefault(h.start, reason)
        return True

    def _confirmed(self, ctx: Ctx, h: Match[TriggerInfo], sent: Span) -> bool:
        """The sentence classifier is confident this sentence reports an event of the trigger's class."""
        if self.confirm is None or not self.classifier:
            return False
        label = h.payloads[0].label
        cls = "PROTEST" if label in ("@protest", "Peaceful protest", "Violent demonstration") else "ASSAULT"
        probs = self._sentence_probs(ctx, sent, ctx.probs)
        return probs is not None and probs.get(cls, 0.0) >= self.confirm


# --------------------------------------------------------------------------------------------------------------
# ids


def event_id(doc_id: str, ev: Event) -> str:
    """Stable id: a hash of the document id, type, date, place and actors (same input -> same id)."""
    key = "|".join(
        str(x)
        for x in (
            doc_id,
            ev.kind,
            ev.sub_event_type or ev.plover,
            ev.event_date,
            ev.pcode or ev.location or ev.location_ar,
            ev.actor1,
            ev.actor2,
        )
    )
    return "rasd-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def code_events(docs: Iterable[Document], coder: EventCoder | None = None) -> list[Document]:
    """Convenience: run the coder over documents that already carry mentions."""
    coder = coder or EventCoder()
    return [coder(d) for d in docs]


__all__: Sequence[str] = ("EventCoder", "code_events", "event_id")
