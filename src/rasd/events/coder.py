"""The events stage: trigger words in context -> ACLED events and verbal PLOVER statements.

Flow per document (details and examples in docs/codebook.md):

1. find trigger words (``lang/ar/triggers.json``) and context cues (``lang/ar/event_context.json``);
2. drop triggers in a negated / future / hypothetical / planned / threatened / opinion / background context;
3. build one *incident* per clause that holds a trigger (its scope runs over the following trigger-less clauses
   of the sentence), resolve its sub-event type (generic words such as قصف or مقتل are refined by cues like
   طيران / قذائف / انتحاري and by who is hit);
4. fill the arguments from the recognisers' mentions: actors by their syntactic slot, place(s) in the scope (one
   event per place: ACLED disaggregation), date, casualties (ACLED's conservative rules), source and modality;
5. merge the same incident told twice (same type, place, compatible actors and dates) into one event whose
   evidence lists every telling.

Every filled field records the spans that justify it in ``Event.field_evidence``.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Any

from ..document import LOCATION_FIELDS, Document, Event, Mention, Span, iso_date
from ..lang import load
from ..text.match import Match, SpanIndex
from ..text.normalize import NormText, norm_of, normalize_key
from ..text.segment import QuoteMap
from ..text.segment import clauses as split_clauses
from ..text.segment import sentences as split_sentences
from . import decide
from .features import Candidate
from .lexicon import EventLexicons, TriggerInfo, lexicons
from .notes import english_note

log = logging.getLogger(__name__)

# Which sub-event wins when one clause holds several trigger words (most specific first).
PRIORITY = (
    "Suicide bomb",
    "Chemical weapon",
    "Air/drone strike",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Excessive force against protesters",
    "Protest with intervention",
    "Violent demonstration",
    "Peaceful protest",
    "Mob violence",
    "Abduction/forced disappearance",
    "Sexual violence",
    "Non-state actor overtakes territory",
    "Government regains territory",
    "Armed clash",
    "Shelling/artillery/missile attack",
    "Attack",
    "Arrests",
    "Disrupted weapons use",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Agreement",
    "Change to group/activity",
    "Headquarters or base established",
    "Other",
)
_RANK = {s: i for i, s in enumerate(PRIORITY)}
_GENERIC_RANK = {
    "@bombard": 15.5,
    "@explosion": 15.7,
    "@territory": 12.5,
    "@protest": 8.5,
    "@attack": 16.5,
    "@kill": 30,
    "@wound": 31,
}
CASUALTY_CLASSES = frozenset({"@kill", "@wound"})
_CROWD_LABELS = frozenset(
    {
        "@protest",
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
        "Violent demonstration",
        "Mob violence",
    }
)
# ACLED's actor when the text names no perpetrator
_UNIDENTIFIED: dict[str, tuple[str, int]] = {
    "Remote explosive/landmine/IED": ("Unidentified Armed Group ({country})", 3),
    "Suicide bomb": ("Unidentified Armed Group ({country})", 3),
    "Grenade": ("Unidentified Armed Group ({country})", 3),
    "Attack": ("Unidentified Armed Group ({country})", 3),
    "Abduction/forced disappearance": ("Unidentified Armed Group ({country})", 3),
    "Air/drone strike": ("Unidentified Military Forces", 8),
}
ARMED_INTERS = frozenset({1, 2, 3, 4, 8})
# the coder's cue words and patterns are language data (lang/ar/coder_cues.json); each is named here with its use
_CUES = load("ar", "coder_cues")


def _cue_pattern(name: str) -> re.Pattern[str]:
    return re.compile(_CUES["patterns"][name])


def _cue_words(name: str) -> frozenset[str]:
    return frozenset(_CUES["words"][name])


# head nouns of an actor phrase that name what is hit, not who acts ("مواقع للجيش", "تمركزات لقوات النظام")
_TARGET_HEADS = _cue_words("target_heads")
# agent markers that are only a possessive "of" (folded): after a target noun they name the target's owner
_POSSESSIVE_AGENTS = _cue_words("possessive_agents")
# "... ل" glued to the actor, or "لتنظيم «" / "لقوات" before it: the possessive "of" after a target noun
_GLUED_OF = _cue_pattern("glued_of")
# only a compass bearing between two places ("قضاء البعاج شمال غرب بغداد"): the second is a reference point
_BEARING_GAP = _cue_pattern("bearing_gap")
_POLICE_WORD = _cue_pattern("police_word")
# "احتجاجا على ...": an actor right after it is what is protested, not the protest's target
_GRIEVANCE = _cue_pattern("grievance")
# weapons or vehicles after a seizure verb ("استولت على كميات من الأسلحة"): no territory changes hands
_WEAPON_OBJECT = _cue_pattern("weapon_object")
_TERRITORY = frozenset({"Non-state actor overtakes territory", "Government regains territory"})
# a preposition or the article before a verb form ("بقصف", "القصف"): a verbal noun
_NOMINAL_PREFIX = _cue_pattern("nominal_prefix")
_PREPOSITION_GAP = _cue_pattern("preposition_gap")
_RELATIVES = _cue_words("relatives")
_CARRY = _cue_pattern("carry")  # folded forms of حمل / يحمل / تحمل (without المسؤولية)
_POSSESSIVE_BEFORE = _cue_pattern("possessive_before")
BACKGROUND_DAYS = 10  # an event ending more than this many days before publication is background
LONG_RANGE_DAYS = 14  # a date range longer than this is a statistic over a period, not an incident
_VAGUE_SIGNIFICANT = 10
_VAGUE_LIMITED = 3
_NUM = re.compile(r"\d")
_SUBORDINATORS = _cue_pattern("subordinators")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class _Scope:
    """The reported scope of a source ("قال المرصد إن <scope>"), as offsets."""

    start: int
    end: int
    source: Mention


@dataclass
class Ctx:
    """Everything the coder needs about one document, computed once."""

    doc: Document
    norm: NormText
    lex: EventLexicons
    sentences: list[Span]
    clauses: list[Span]
    cues: list[Match[tuple[str, str]]]
    actors: list[Mention]
    places: list[Mention]
    dates: list[Mention]
    quantities: list[Mention]
    sources: list[Mention]
    published: date | None
    paragraphs: list[tuple[int, int]]
    skip: list[tuple[int, int]]
    res: dict[int, dict[str, Any] | None] = field(default_factory=dict)
    probs: dict[int, dict[str, float] | None] = field(default_factory=dict)  # sentence classifier, by start
    # permissive coding (a learned scorer decides): why a rule would have dropped a trigger, by its start offset
    hit_reasons: dict[int, str] = field(default_factory=dict)
    candidates: dict[int, Candidate] = field(default_factory=dict)  # by id() of the event built from it

    cue_starts: list[int] = field(default_factory=list)
    # the mention lists above indexed by start offset, so each per-sentence / per-event lookup is O(log n + k)
    # and the stage stays linear in document length (issue #10: a 1 MB article took a minute, quadratic)
    ix_actors: SpanIndex[Mention] = field(init=False)
    ix_places: SpanIndex[Mention] = field(init=False)
    ix_dates: SpanIndex[Mention] = field(init=False)
    ix_quantities: SpanIndex[Mention] = field(init=False)
    ix_sources: SpanIndex[Mention] = field(init=False)
    ix_clauses: SpanIndex[Span] = field(init=False)
    # sources with a reported scope, indexed by the scope: (scope start, scope end, source)
    ix_scopes: SpanIndex[_Scope] = field(init=False)
    para_starts: list[int] = field(init=False)
    # computed once per document on first use: places that only locate their neighbour; a defaulted date's spans
    dubious: set[int] | None = None
    anchor_spans: list[Span] | None = None
    quotes: QuoteMap | None = None
    # incidents with a named perpetrator that could not be placed ("نفذت قوات التحالف 41 ضربة جوية في سوريا
    # والعراق"): the lead of a series whose items name only the place; (end of its clause, sub-event, side)
    story: list[tuple[int, str, Side | None, tuple[Any, ...]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.ix_actors = SpanIndex(self.actors)
        self.ix_places = SpanIndex(self.places)
        self.ix_dates = SpanIndex(self.dates)
        self.ix_quantities = SpanIndex(self.quantities)
        self.ix_sources = SpanIndex(self.sources)
        self.ix_clauses = SpanIndex(self.clauses)
        self.ix_scopes = SpanIndex(
            [
                _Scope(int(s.value["scope"][0]), int(s.value["scope"][1]), s)
                for s in self.sources
                if s.value.get("scope")
            ]
        )
        self.para_starts = [p[0] for p in self.paragraphs]

    def cues_in(
        self, start: int, end: int, kind: str | None = None, *, starts_before: int | None = None
    ) -> list[Match[tuple[str, str]]]:
        """Cue hits lying inside [start, end) (of one kind), in text order; ``starts_before``: only those
        starting before it (a scan to the end of the document for each sentence would be quadratic)."""
        if not self.cue_starts and self.cues:
            self.cues.sort(key=lambda m: m.start)
            self.cue_starts = [m.start for m in self.cues]
        out = []
        i = bisect.bisect_left(self.cue_starts, start)
        n = len(self.cues)
        stop = end if starts_before is None else min(end, starts_before)
        while i < n and self.cue_starts[i] < stop:
            m = self.cues[i]
            i += 1
            if m.end <= end and (kind is None or any(p[0] == kind for p in m.payloads)):
                out.append(m)
        return out


@dataclass
class Incident:
    """A trigger clause (plus its continuation clauses) of one sentence, before disaggregation by place."""

    sub: str
    hits: list[Match[TriggerInfo]]
    sentence: Span
    clause: Span
    scope: tuple[int, int]
    filtered: list[str] = field(default_factory=list)
    casualty_hits: list[Match[TriggerInfo]] = field(default_factory=list)
    others: list[tuple[int, int]] = field(default_factory=list)  # scopes of the sentence's other incidents

    @property
    def trigger(self) -> Match[TriggerInfo]:
        return self.hits[0]


_TOWARDS = _cue_pattern("towards")  # "صوب / نحو / باتجاه (مدينة)" right before a place
_MOVEMENT = _cue_pattern("movement")  # fleeing, withdrawing, displacement
_OUTLET_BEFORE = _cue_pattern("outlet_before")  # "لـ«", "لصحيفة": a newspaper's name follows, not a place


def _moved_towards(text: str, start: int) -> bool:
    """A place after صوب / نحو / باتجاه with a movement word (فر، انسحب، نزح) just before: a destination."""
    before = text[max(0, start - 60) : start]
    m = _TOWARDS.search(before)
    return m is not None and bool(_MOVEMENT.search(before[: m.start() + 1]))


def _inter_of(m: Mention) -> int | None:
    inter = m.value.get("inter")
    return int(inter) if inter is not None else None


@dataclass
class Side:
    """One side of an event: a main actor mention and the associated ones joined to it."""

    main: Mention
    assoc: list[Mention]

    @property
    def start(self) -> int:
        return self.main.start

    @property
    def end(self) -> int:
        return max([self.main.end] + [a.end for a in self.assoc])

    @property
    def name(self) -> str | None:
        return self.main.value.get("name")

    @property
    def inter(self) -> int | None:
        inter = self.main.value.get("inter")
        return int(inter) if inter is not None else None


# --------------------------------------------------------------------------------------------------------------
# helpers

_FINE_LEVELS = frozenset({"community", "city", "village", "town", "neighbourhood", "facility", "capital"})


def resolved_of(m: Mention) -> dict[str, Any] | None:
    """The geocoder's reading of a place mention; before the geocode stage ran, the recogniser's best candidate."""
    if "resolved" in m.value:
        res = m.value["resolved"]
        return res if isinstance(res, dict) else None
    if not m.entry:
        return None
    cands = m.value.get("candidates") or []
    c = next((c for c in cands if m.entry in (c.get("pcode"), c.get("id"))), None)
    if c is None:
        return None
    level = c.get("level") or ""
    gp = 1 if level in _FINE_LEVELS else 3 if level in ("country", "governorate") else 2
    if m.value.get("near"):
        gp = max(gp, 2)
    return {
        "location": c.get("name_en"),
        "location_ar": c.get("name_ar"),
        "country": c.get("country"),
        "admin1": c.get("admin1"),
        "admin2": c.get("admin2"),
        "admin3": c.get("admin3"),
        "pcode": c.get("pcode"),
        "latitude": c.get("lat"),
        "longitude": c.get("lon"),
        "geo_precision": gp,
        "reason": "recogniser best candidate",
    }


_GENERIC_NAME = re.compile(
    r"^(Civilians|Protesters|Rioters|Unidentified Armed Group|Unidentified Military Forces) \((.+)\)$"
)


def _name_in(actor: Mention, country: str | None, year: int | None = None) -> str | None:
    """The actor's ACLED name for the event's country and year: "Islamic State (Iraq)" in Iraq, "Civilians
    (Yemen)" for a generic agent in Yemen (its ``name_template``), the US forces of the event's period."""
    v = actor.value
    name = v.get("name")
    if not name:
        return name
    if year is not None and v.get("names_by_year"):
        for row in v["names_by_year"]:
            lo, hi, nm = [*list(row), None, None, None][:3]
            if (lo is None or year >= int(lo)) and (hi is None or year <= int(hi)) and nm:
                name = nm
                break
    if not country:
        return str(name)
    by_country = v.get("names_by_country") or {}
    if country in by_country:
        return str(by_country[country])
    template = v.get("name_template")
    if template and "{country}" in str(template):
        return str(template).format(country=country)
    m = _GENERIC_NAME.match(str(name))
    if m and m.group(2) != country:
        return f"{m.group(1)} ({country})"
    return str(name)


@cache
def _state_forces() -> dict[tuple[str, str], tuple[str, int]]:
    """(country, "mil" | "police") -> (ACLED name, inter) of the curated state forces of the actor dictionary."""
    try:
        from ..resources.actors import load_actors

        db = load_actors(verify=False)
    except Exception as exc:  # pragma: no cover - the dictionary ships with the package
        log.info("actor dictionary unavailable (%s): role words keep no force name", exc)
        return {}
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for aid, a in db.actors.items():
        if aid.startswith("auto") or not a.country or a.inter is None:
            continue
        for suffix in ("mil", "police"):
            if aid.endswith("_" + suffix):
                out.setdefault((a.country, suffix), (a.name, int(a.inter)))
    return out


def _role_force(actor: Mention, country: str | None, after: str = "") -> tuple[str, int] | None:
    """A soldier / policeman named by role ("جندي تركي", "ضابطا شرطة"): the state force of the event's country.
    ``after``: the words right after the mention ("شرطة" in "ضابطا شرطة")."""
    v = actor.value
    if v.get("name") or v.get("agent") != "soldiers" or not country:
        return None
    kind = "police" if _POLICE_WORD.search(actor.text + " " + " ".join(after.split()[:1])) else "mil"
    return _state_forces().get((country, kind))


def _inter_in(actor: Mention, country: str | None) -> int | None:
    """The actor's inter code where the event happened: state forces fighting abroad are external (8)."""
    v = actor.value
    inter = v.get("inter")
    if inter is None:
        return None
    home = v.get("country")
    if country and home and home != country and v.get("inter_abroad") is not None:
        return int(v["inter_abroad"])
    return int(inter)


def _named_armed(m: Mention) -> bool:
    """A named armed actor (not a generic word, not an unattributed "الطيران الحربي" / "البراميل")."""
    v = m.value
    return (
        bool(v.get("name"))
        and not v.get("generic")
        and not v.get("unattributed")
        and v.get("inter")
        in (
            1,
            2,
            3,
            4,
            8,
        )
    )


def _air_capable(m: Mention) -> bool:
    """A named state or external force that flies (Russia, the coalition, Turkey...): may own unattributed jets."""
    v = m.value
    return _named_armed(m) and v.get("type") in ("state", "external") and not v.get("backref")


def _bisect_spans(spans: list[Span], pos: int) -> int:
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid].start <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def _dedupe_overlapping(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (then the higher score), sorted by start."""
    ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), -m.score, m.start))
    taken: list[tuple[int, int]] = []  # sorted, non-overlapping
    kept: list[Mention] = []
    for m in ranked:
        i = bisect.bisect_left(taken, (m.start, m.end))
        if (i > 0 and taken[i - 1][1] > m.start) or (i < len(taken) and taken[i][0] < m.end):
            continue
        taken.insert(i, (m.start, m.end))
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


def _level(resolved: dict[str, Any]) -> int:
    """Rank of a resolved place: 4 community/city, 3 sub-district, 2 district, 1 governorate, 0 country."""
    pcode = resolved.get("pcode") or ""
    if pcode.startswith("C"):
        return 4
    if pcode.startswith("SY"):
        return {2: 0, 4: 1, 6: 2, 8: 3}.get(len(pcode), 1)
    gp = resolved.get("geo_precision")
    if not resolved.get("admin1") and not resolved.get("location"):
        return 0
    if resolved.get("location") and resolved.get("location") == resolved.get("country"):
        return 0
    if gp == 3:
        return 1
    return 4


def _place_key(resolved: dict[str, Any]) -> str:
    return str(resolved.get("pcode") or resolved.get("location") or resolved.get("location_ar") or "")


def _contains(coarse: dict[str, Any], fine: dict[str, Any]) -> bool:
    """Does the coarser resolved place contain the finer one (same country / governorate / district)?"""
    lc, lf = _level(coarse), _level(fine)
    if lc >= lf:
        return False
    if lc == 0:
        return bool(coarse.get("country")) and coarse.get("country") == fine.get("country")
    cp, fp = coarse.get("pcode") or "", fine.get("pcode") or ""
    if cp.startswith("SY") and fp.startswith("SY"):
        return fp.startswith(cp)
    if lc == 1:
        return bool(coarse.get("admin1")) and coarse.get("admin1") == fine.get("admin1")
    if lc == 2:
        return bool(coarse.get("admin2")) and coarse.get("admin2") == fine.get("admin2")
    if lc == 3:
        return bool(coarse.get("admin3")) and coarse.get("admin3") == fine.get("admin3")
    return False


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
    ) -> None:
        # sentence detection lets a confident classifier vouch for an unanchored trigger; articles need an anchor
        self.confirm = (None if require_location else 0.7) if confirm == -1.0 else confirm
        # drop incidents dated long before publication (ACLED codes the news, not the history); sentence
        # detection keeps them: a sentence about a 2003 bombing still reports a bombing
        self.history = require_location if history is None else history
        self.require_location = require_location
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
        self.permissive = self.scorer is not None
        self.record = record

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
                probs = {k: float(v) for k, v in clf.predict(sent.text).items()}
            except Exception as exc:  # pragma: no cover - defensive: a broken model must not stop coding
                log.warning("event-sentence classifier failed: %s", exc)
                probs = None
        cache[sent.start] = probs
        return probs

    # -- entry point -----------------------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
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
        for inc in self._incidents(ctx, event_hits):
            events.extend(self._code(ctx, inc, probs_cache))
        feats = decide.features(ctx.candidates, events, ctx.published) if self.permissive else None
        self._fill_actor1(ctx, events)
        events = self._merge(events, feats)
        if feats is not None and self.scorer is not None:
            events = decide.decide(events, feats, self.scorer, self.record, doc.id, _absorb)
        statements = self._merge_statements(self._statements(ctx, stmt_hits))
        seen: dict[str, int] = {}
        for ev in events + statements:
            ev.flags = [f for f in ev.flags if not f.startswith(("victims:", "sent:"))]
            ev.event_id = event_id(doc.id, ev)
            n = seen.get(ev.event_id, 0)
            seen[ev.event_id] = n + 1
            if n:
                ev.event_id = f"{ev.event_id}-{n}"
            ev.notes = english_note(ev)
        doc.events = [e for e in doc.events if e.kind not in ("acled", "statement")] + events + statements
        return doc

    # -- context ---------------------------------------------------------------------------------------------
    def _context(self, doc: Document) -> Ctx:
        norm = norm_of(doc)
        lex = lexicons()
        sents = doc.sentences or split_sentences(doc.text)
        cls = doc.clauses or split_clauses(doc.text)
        cues = lex.cues.find(norm, longest=False)
        actors = _dedupe_overlapping([m for m in doc.mentions if m.kind == "actor"])
        places = [m for m in doc.mentions if m.kind == "place"]
        dates = sorted((m for m in doc.mentions if m.kind == "date"), key=lambda m: m.start)
        quantities = sorted((m for m in doc.mentions if m.kind == "quantity"), key=lambda m: m.start)
        sources = sorted((m for m in doc.mentions if m.kind == "source"), key=lambda m: m.start)
        paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", doc.text)]
        skip = [
            (s.span.start, s.span.end)
            for s in doc.sections
            if s.name in ("header", "title", "meta", "byline")
        ]
        res = {id(m): resolved_of(m) for m in places}
        return Ctx(
            doc,
            norm,
            lex,
            sents,
            cls,
            cues,
            actors,
            places,
            dates,
            quantities,
            sources,
            doc.meta.published,
            paragraphs,
            skip,
            res,
        )

    def _skipped(self, ctx: Ctx, hit: Match[TriggerInfo]) -> bool:
        return any(s <= hit.start < e for s, e in ctx.skip)

    @staticmethod
    def _span_at(spans: list[Span], pos: int) -> Span | None:
        i = (
            bisect.bisect_right([s.start for s in spans], pos) - 1
            if len(spans) < 8
            else _bisect_spans(spans, pos)
        )
        if 0 <= i < len(spans) and spans[i].start <= pos < spans[i].end:
            return spans[i]
        return None

    def _sentence_of(self, ctx: Ctx, pos: int) -> Span | None:
        return self._span_at(ctx.sentences, pos)

    def _clause_of(self, ctx: Ctx, pos: int) -> Span | None:
        return self._span_at(ctx.clauses, pos)

    def _paragraph_of(self, ctx: Ctx, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(ctx.para_starts, pos) - 1  # paragraphs are disjoint and in text order
        if i >= 0 and pos < ctx.paragraphs[i][1]:
            return ctx.paragraphs[i]
        return (0, len(ctx.doc.text))

    # -- filters ---------------------------------------------------------------------------------------------
    def _filter_reason(self, ctx: Ctx, hit: Match[TriggerInfo], clause: Span, sentence: Span) -> str | None:
        """Why this trigger is not an event (negated, future...), or None."""
        info = hit.payloads[0]
        if "س" in hit.prefix[-1:] and info.form in ("present",):
            return "future"
        stripped = sentence.text.rstrip(" \"'»”)]")
        if stripped.endswith(("؟", "?")):
            return "question"
        text = ctx.norm.text
        # accidents are not political violence: a fire, a road accident in the trigger's clause
        if any(
            p == ("filter", "accident") for m in ctx.cues_in(clause.start, clause.end) for p in m.payloads
        ):
            return "accident"
        # whole-sentence contexts: judicial acts, background openers ("يذكر أن ...")
        for m in ctx.cues_in(sentence.start, sentence.end):
            for p in m.payloads:
                if p == ("filter", "judicial"):
                    return "judicial"
                if p == ("filter", "boilerplate"):
                    return "boilerplate"  # "رابط الخبر: <the title again>"
                if p[0] == "opener" and len(ctx.doc.text[sentence.start : m.start].split()) <= 1:
                    return "background"
        # an earlier year in the trigger's clause ("في صيف 2014") dates it as history
        if ctx.published is not None and self.history:
            for y in _YEAR.finditer(ctx.doc.text, clause.start, clause.end):
                if int(y.group()) < ctx.published.year:
                    return "background"
        # "منذ" after the trigger with no date the recogniser could read: an ongoing/long-past state
        after = ctx.doc.text[hit.end : clause.end]
        k = after.find("منذ")
        if 0 <= k and len(after[:k].split()) <= 5:
            pos = hit.end + k
            if not ctx.ix_dates.starting(pos, pos + 16):
                return "background"
        # "شنت حملات استهدفت عناصر حزب العمال": a raid targets people to arrest; no fighting is told
        if info.label == "@attack" and any(
            p == ("marker", "raid")
            for m in ctx.cues_in(max(clause.start, hit.start - 30), min(clause.end, hit.end + 14))
            for p in m.payloads
        ):
            return "raid"  # "شنت حملات", "حملات استهدفت"
        # "أوقفت عمليات القصف": stopping an operation, not arresting anyone
        if info.label == "Arrests" and hit.key.startswith(("اوقف", "يوقف", "توقف")):
            nxt = ctx.norm.text[hit.nend : hit.nend + 16].split()
            if nxt and nxt[0] in ctx.lex.stop_objects:
                return "stop"
        # "انسحبت نحو مدينة شقرة": a movement within a battle, not a handover of the place
        if info.label == "Non-violent transfer of territory":
            nxt = ctx.norm.text[hit.nend : hit.nend + 12].split()
            if nxt and nxt[0] in ctx.lex.movement:
                return "movement"
        # taking a town "after" / "since" something: background of another story
        if info.label == "@territory":
            prev = ctx.norm.text[max(0, hit.nstart - 14) : hit.nstart].split()
            if prev and (
                prev[-1] in ("بعد", "منذ", "قبل", "عقب", "اثر") or prev[-2:] in (["بعد", "ان"], ["قبل", "ان"])
            ):
                return "background"
        if ctx.cues_in(clause.start, clause.end, "clause"):
            return "future"  # "... ستكون قادرة على": what a deal or plan will allow
        # words of the clause before the trigger, nearest first
        before = ctx.cues_in(clause.start, hit.start, "filter")
        exceptions = [m for m in before if any(p[1] == "negation_exception" for p in m.payloads)]
        nwords_cache: dict[int, int] = {}
        for m in reversed(before):
            for _, kind in m.payloads:
                if kind == "negation_exception":
                    continue
                if kind == "negation" and any(e.start <= m.start < e.end for e in exceptions):
                    continue
                window = ctx.lex.windows.get(kind, 0)
                if window:
                    if m.nend not in nwords_cache:
                        nwords_cache[m.nend] = len(text[m.nend : hit.nstart].split())
                    if nwords_cache[m.nend] > window:
                        continue
                if kind == "denial":
                    continue  # denial is a modality, not a filter
                return kind
        return None

    # -- incidents -------------------------------------------------------------------------------------------
    def _resolve_sub(
        self, ctx: Ctx, label: str, lo: int, hi: int, skip: Sequence[tuple[int, int]] = ()
    ) -> str:
        """Apply the refine rules (cues in [lo, hi), outside ``skip``) to a trigger label; generic labels stay
        '@...'. ``skip``: the clauses of events only referred to ("بعد يومين على هجوم انتحاري ...")."""
        refs = {
            p[1]
            for m in ctx.cues_in(lo, hi, "refine")
            if not any(a <= m.start < b for a, b in skip)
            for p in m.payloads
            if p[0] == "refine"
        }
        for rule in ctx.lex.refine:
            if label in rule["from"] and rule["to"] in refs:
                return str(rule["to"])
        return label

    def _incidents(self, ctx: Ctx, hits: list[Match[TriggerInfo]]) -> list[Incident]:
        by_sentence: dict[int, list[Match[TriggerInfo]]] = {}
        sent_of: dict[int, Span] = {}
        for h in hits:
            s = self._sentence_of(ctx, h.start)
            if s is None:
                continue
            by_sentence.setdefault(s.start, []).append(h)
            sent_of[s.start] = s
        incidents: list[Incident] = []
        for key in sorted(by_sentence):
            sent = sent_of[key]
            sclauses = [
                c for c in ctx.ix_clauses.starting(sent.start, sent.end + 1) if c.end <= sent.end
            ] or [sent]
            sclauses = self._split_coordinated(ctx, sclauses, by_sentence[key])
            dead: list[tuple[int, int]] = []
            per_clause: list[tuple[Span, list[Match[TriggerInfo]]]] = []
            for c in sclauses:
                ch = []
                for h in by_sentence[key]:
                    if c.start <= h.start < c.end:
                        reason = self._filter_reason(ctx, h, c, sent)
                        if (
                            not reason
                            and h.payloads[0].label in CASUALTY_CLASSES
                            and any(a <= h.start < b for a, b in dead)
                        ):
                            reason = (
                                "reference"  # "بعد يومين على هجوم انتحاري أوقع 32 قتيلا": the toll of the
                            )
                            # event referred to
                        if reason and reason != "reference" and self.permissive:
                            ctx.hit_reasons[h.start] = reason  # the scorer weighs it
                            reason = None
                        if reason:
                            log.debug("trigger %r dropped: %s", h.key, reason)
                            if reason == "reference" and h.payloads[0].label not in CASUALTY_CLASSES:
                                # "بعد يومين على الهجوم الذي أوقع 32 قتيلا في سروج": the toll and place belong
                                # to the event referred to, not to the clause's other trigger
                                nxt = [
                                    x.start
                                    for x in by_sentence[key]
                                    if x.start > h.end and x.payloads[0].label not in CASUALTY_CLASSES
                                ]
                                dead.append((h.start, min([*nxt, c.end])))
                            continue
                        ch.append(h)
                per_clause.append((c, ch))
            sent_incs: list[Incident] = []
            pending_casualties: list[Match[TriggerInfo]] = []
            pending_start: int | None = None
            # a bare verbal noun / present verb only counts where something anchors it (see _weak_hit); a clause
            # whose only triggers are such unanchored words continues the previous clause ("بانفجار سيارة
            # مفخخة، يقودها انتحاري، ...": the suicide bomber refines the explosion)
            kept: list[list[Match[TriggerInfo]]] = []
            for idx, (c, ch) in enumerate(per_clause):
                scope_end = c.end
                for c2, ch2 in per_clause[idx + 1 :]:
                    if ch2:
                        break
                    scope_end = c2.end
                kept.append(
                    [
                        h
                        for h in ch
                        if not self._weak_hit(ctx, h)
                        or self._hit_supported(ctx, h, c.start, scope_end)
                        or self._confirmed(ctx, h, sent)
                        or self._note_drop(ctx, h, "weak_unanchored")
                    ]
                )
            for idx, (c, _raw) in enumerate(per_clause):
                ch = kept[idx]
                if not ch:
                    continue
                scope_end = c.end
                for k2 in range(idx + 1, len(per_clause)):
                    c2, raw2 = per_clause[k2]
                    if kept[k2] or (raw2 and self._has_place(ctx, c2.start, c2.end)):
                        break
                    scope_end = c2.end
                main = [h for h in ch if h.payloads[0].label not in CASUALTY_CLASSES]
                cas = [h for h in ch if h.payloads[0].label in CASUALTY_CLASSES]
                if not main:
                    if sent_incs and not self._has_place(ctx, c.start, scope_end):
                        prev = sent_incs[-1]
                        prev.casualty_hits.extend(cas)
                        prev.scope = (prev.scope[0], max(prev.scope[1], scope_end))
                        continue
                    if (
                        not sent_incs
                        and not self._has_place(ctx, c.start, scope_end)
                        and not ctx.ix_dates.starting(c.start, scope_end)
                        and any(
                            any(h.payloads[0].label not in CASUALTY_CLASSES for h in kept[k2])
                            for k2 in range(idx + 1, len(per_clause))
                        )
                    ):
                        # "قتل 12 شخصا، بينهم 5 أطفال، في قصف لقوات النظام على مدينة دوما": the toll told first
                        # belongs to the attack named after it
                        pending_casualties.extend(cas)
                        if pending_start is None:
                            pending_start = c.start
                        continue
                    main = cas[:1]
                    cas = cas[1:]
                resolved = []
                for h in main:
                    label = self._resolve_sub(ctx, h.payloads[0].label, c.start, scope_end, dead)
                    rank = _RANK.get(label, _GENERIC_RANK.get(label, 50))
                    resolved.append((rank, h.start, label, h))
                resolved.sort(key=lambda t: (t[0], t[1]))
                label = resolved[0][2]
                hs = [t[3] for t in resolved]
                inc = Incident(
                    label,
                    hs,
                    sent,
                    c,
                    (c.start if pending_start is None else pending_start, scope_end),
                    casualty_hits=cas + pending_casualties,
                )
                pending_start = None
                pending_casualties = []
                # "... 17 ضربة جوية نفذت قرب دير الزور، استهدفت مناطق تجمعات ...": an attack verb with no subject
                # of its own, continuing the previous incident's clause, tells what that incident hit
                if sent_incs and label == "@attack" and self._continues(ctx, c, hs):
                    prev = sent_incs[-1]
                    prev.hits.extend(hs)
                    prev.casualty_hits.extend(inc.casualty_hits)
                    prev.scope = (prev.scope[0], scope_end)
                    continue
                # the same type again in a later clause with no place of its own: the same incident
                if (
                    sent_incs
                    and (self._same_kind(sent_incs[-1].sub, label) or label.startswith("@"))
                    and not self._has_place(ctx, c.start, scope_end)
                ):
                    prev = sent_incs[-1]
                    if prev.sub.startswith("@") and not label.startswith("@"):
                        prev.sub = label
                    prev.hits.extend(hs)
                    prev.casualty_hits.extend(inc.casualty_hits)
                    prev.scope = (prev.scope[0], scope_end)
                    continue
                sent_incs.append(inc)
            for inc in sent_incs:
                inc.others = [o.scope for o in sent_incs if o is not inc] + dead
            incidents.extend(sent_incs)
        return incidents

    def _continues(self, ctx: Ctx, clause: Span, hits: list[Match[TriggerInfo]]) -> bool:
        """An asyndetic attack verb ("، استهدف مركز تدريب لداعش") with no actor before it in its clause and none
        right after it (a VSO subject): it continues the previous clause."""
        verbs = [h for h in hits if h.payloads[0].form in ("past", "object")]
        if len(verbs) != len(hits) or not verbs:
            return False
        h = verbs[0]
        if h.prefix[:1] in ("و", "ف"):
            return False
        if ctx.doc.text[clause.start : h.start].strip(" ،,؛;\n"):
            return False  # words before the verb: its own subject or context
        return not ctx.ix_actors.starting(h.end, h.end + 3)

    def _split_coordinated(self, ctx: Ctx, clauses: list[Span], hits: list[Match[TriggerInfo]]) -> list[Span]:
        """Cut a clause before a second past-tense trigger verb joined by و ("وقصفت المعارضة ... وسيطر
        مقاتلون ..."): two verbs, two incidents, each with its own places."""
        text = ctx.doc.text
        out: list[Span] = []
        for c in clauses:
            cuts = []
            inside = [
                h for h in hits if c.start <= h.start < c.end and h.payloads[0].label not in CASUALTY_CLASSES
            ]
            for h in inside[1:]:
                info = h.payloads[0]
                if info.kind == "event" and info.form == "past" and h.prefix.startswith("و"):
                    w = h.start
                    while w > c.start and text[w - 1].isalpha():
                        w -= 1
                    if w > c.start:
                        cuts.append(w)
            # "... خسائر فادحة فيما قال الجيش الأميركي إن ... ضربات جوية": a new clause after فيما / بينما
            for m in _SUBORDINATORS.finditer(text, c.start, c.end):
                if any(h.start < m.start() for h in inside) and any(h.start > m.end() for h in inside):
                    cuts.append(m.start() + (1 if text[m.start()].isspace() else 0))
            cuts = sorted(set(cuts))
            start = c.start
            for cut in cuts:
                out.append(Span(start, cut, text[start:cut]))
                start = cut
            out.append(Span(start, c.end, text[start : c.end]))
        return out

    @staticmethod
    def _same_kind(a: str, b: str) -> bool:
        if a == b:
            return True
        fam = {"@bombard", "Shelling/artillery/missile attack", "Armed clash"}
        return a in fam and b in fam

    def _has_place(self, ctx: Ctx, lo: int, hi: int) -> bool:
        """A place that could locate an event (a country alone cannot) in [lo, hi)."""
        return any(_level(ctx.res.get(id(p)) or {}) >= 1 for p in ctx.ix_places.starting(lo, hi))

    # -- coding one incident ---------------------------------------------------------------------------------
    def _code(self, ctx: Ctx, inc: Incident, probs_cache: dict[int, dict[str, float] | None]) -> list[Event]:
        text = ctx.doc.text
        trig = inc.trigger
        drops = sorted({ctx.hit_reasons[h.start] for h in inc.hits if h.start in ctx.hit_reasons})
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
        drops.extend(f[5:] for f in date_info[4] if f.startswith("drop:"))
        # places
        places, place_from = self._places(ctx, inc, [a1] if a1 is not None else [])
        if not places and self.require_location:
            lead = (
                a1 if a1 is not None and _named_armed(a1.main) and not a1.main.value.get("backref") else None
            )
            if lead is not None or not date_info[4]:
                ctx.story.append((inc.scope[1], sub, lead, date_info))
            return []
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
                setattr(ev, f"actor{slot}", _name_in(side.main, country, year))
                setattr(ev, f"actor{slot}_ar", side.main.text)
                setattr(ev, f"inter{slot}", _inter_in(side.main, country))
                force = (
                    _role_force(side.main, country, text[side.main.end : side.main.end + 20])
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
            sentence_index=_bisect_spans(ctx.sentences, trig.start),
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

    def _anchored(self, ctx: Ctx, inc: Incident, a1: Side | None, a2: Side | None, place_from: str) -> bool:
        """A specific trigger word (strength >= 0.8, not a casualty word, not a bare verbal noun or a present
        verb) with a place in its own clause and a named armed side."""
        if place_from not in ("scope", "context"):
            return False  # "context" only through an anaphoric place word of the clause ("على المدينة")
        strong = any(
            h.payloads[0].strength >= 0.8
            and h.payloads[0].label not in CASUALTY_CLASSES
            and not self._weak_hit(ctx, h)
            and (h.payloads[0].form in ("past", "object") or self._occurs(ctx, h))
            for h in inc.hits
        )
        named = any(
            s is not None
            and _named_armed(s.main)
            and (
                not s.main.value.get("backref") or s.main.score >= 0.8
            )  # a back-reference with its antecedent
            for s in (a1, a2)
        )
        return strong and named

    def _occurs(self, ctx: Ctx, h: Match[TriggerInfo]) -> bool:
        """An occurrence verb next to a noun trigger ("دارت اشتباكات", "غارات جوية نفذها"): told as happening."""
        return any(
            p == ("marker", "occurrence")
            for m in ctx.cues_in(max(0, h.start - 30), h.end + 30)
            for p in m.payloads
        )

    def _weak_hit(self, ctx: Ctx, h: Match[TriggerInfo]) -> bool:
        """A trigger that may name a class of events rather than one: a present-tense verb ("يشن"), a definite
        one-word noun ("الغارات"), or a verb in a relative clause ("الذي قتل")."""
        info = h.payloads[0]
        if info.form == "present":
            return True
        if info.form in ("past", "object") and _NOMINAL_PREFIX.search(h.prefix or ""):
            return True  # "بقصف", "للقصف", "القصف": a preposition or the article makes the verb form a noun
        if info.label == "@territory" and info.form != "past":
            return True  # "سيطرته على": usually background ("بعد سيطرته على إدلب")
        if info.form == "noun" and " " not in h.key:
            return True  # a bare verbal noun ("اغتيال", "الغارات") names an act, not yet an incident
        prev = ctx.norm.text[max(0, h.nstart - 12) : h.nstart].split()
        return bool(prev) and prev[-1] in ("الذي", "التي", "الذين", "اللذين", "اللتين")

    def _confirmed(self, ctx: Ctx, h: Match[TriggerInfo], sent: Span) -> bool:
        """The sentence classifier is confident this sentence reports an event of the trigger's class."""
        if self.confirm is None or not self.classifier:
            return False
        label = h.payloads[0].label
        cls = "PROTEST" if label in ("@protest", "Peaceful protest", "Violent demonstration") else "ASSAULT"
        probs = self._sentence_probs(ctx, sent, ctx.probs)
        return probs is not None and probs.get(cls, 0.0) >= self.confirm

    def _dated_or_tolled(self, ctx: Ctx, lo: int, hi: int) -> bool:
        """A past date (day or range) or a casualty / capture figure in [lo, hi): what anchors a weak trigger."""
        if any(
            not d.value.get("future") and int(d.value.get("precision") or 3) <= 2
            for d in ctx.ix_dates.starting(lo, hi)
        ):
            return True
        casualty = ("killed", "wounded", "killed_or_wounded", "captured")
        return any(self._quantity_class(ctx, q) in casualty for q in ctx.ix_quantities.starting(lo, hi))

    def _hit_supported(self, ctx: Ctx, h: Match[TriggerInfo], lo: int, hi: int) -> bool:
        """Is this weak trigger anchored: a date or casualty figure in its clause, 'بين ...' after it, or an
        occurrence verb next to it ("دارت اشتباكات", "اندلعت مظاهرات")?"""
        if self._dated_or_tolled(ctx, lo, hi):
            return True
        for m in ctx.cues_in(max(lo, h.start - 40), min(hi, h.end + 40)):
            for p in m.payloads:
                if p[0] == "unnumbered" and p[1] != "none":
                    return True
                if p == ("marker", "between") and m.start > h.start:
                    return True
                if p == ("marker", "occurrence"):
                    return True
        return False

    def _supported(self, ctx: Ctx, inc: Incident) -> bool:
        """Does the incident's clause anchor it: a date, a casualty figure, or a 'between X and Y'?"""
        lo, hi = inc.scope
        if self._dated_or_tolled(ctx, lo, hi):
            return True
        for m in ctx.cues_in(lo, hi):
            for p in m.payloads:
                if p[0] == "unnumbered" and p[1] != "none":
                    return True
                if p == ("marker", "between") and m.start > inc.trigger.start:
                    return True
                if p == ("marker", "occurrence") and abs(m.start - inc.trigger.start) <= 40:
                    return True  # "دارت اشتباكات", "اندلعت مظاهرات", "تجمع المتظاهرون"
        return False

    def _crowd_actor(
        self,
        ev: Event,
        fe: dict[str, list[Span]],
        a1: Side | None,
        place: Mention | None,
        ctx: Ctx,
        event_type: str,
    ) -> None:
        """Protesters / rioters are coded as ACLED's generic "Protesters (Country)" / "Rioters (Country)"."""
        if a1 is not None and a1.inter not in (None, 6, 7, 5) and not a1.main.value.get("generic"):
            return  # a named organisation leads it: keep it
        country = None
        if place is not None:
            country = (ctx.res.get(id(place)) or {}).get("country")
        if country is None and a1 is not None:
            country = a1.main.value.get("country")
        kind, inter = ("Rioters", 5) if event_type == "Riots" else ("Protesters", 6)
        ev.actor1 = f"{kind} ({country})" if country else kind
        ev.inter1 = inter
        if a1 is not None:
            ev.actor1_ar = a1.main.text
            fe["actor1"] = [a1.main.span]
        if ev.actor2 is not None and ev.inter2 in (6, 7):
            ev.actor2 = ev.actor2_ar = ev.inter2 = None
            fe.pop("actor2", None)

    def _final_sub(self, ctx: Ctx, inc: Incident, a1: Side | None, a2: Side | None) -> str | None:
        sub = inc.sub
        _lo, hi = inc.scope
        if not sub.startswith("@"):
            return sub
        inc.filtered.append("type_from_generic")
        if sub == "@bombard":
            return "Shelling/artillery/missile attack"
        if sub == "@explosion":
            return "Remote explosive/landmine/IED"
        if sub == "@protest":
            return "Peaceful protest"
        if sub == "@territory":
            trig = inc.trigger
            later = ctx.ix_places.starting(trig.end, hi)
            stop = min(
                [p.end for p in later if not ctx.ix_actors.containing(p.start, p.end)] + [trig.end + 60, hi]
            )
            after = ctx.doc.text[trig.end : stop]
            minor = [
                m.start - trig.end
                for m in ctx.cues_in(trig.end, stop, "marker")
                if any(p == ("marker", "minor_object") for p in m.payloads)
            ]
            town = re.search(r"(مدين[ةه]|بلد[ةه]|قري[ةه]|بلدات|قرى|مدن)", after)
            # "سيطر ... على حاجز مطل على بلدة بلودان": the checkpoint is taken, the town only locates it
            if minor and (town is None or min(minor) < town.start()):
                return "Armed clash"
            # "استولت على كميات ضخمة من الأسلحة", "استولوا على دبابة": weapons seized, no territory changes hands
            obj = ctx.doc.text[trig.end : trig.end + 70]
            k = obj.find("على")
            if _WEAPON_OBJECT.match(obj[k + 3 :] if k >= 0 else obj):
                return None
            # "قوات حزب الله والنظام", "قوات الجيش والمقاومة": state forces among the takers make it the government's
            if a1 is not None and any(_inter_of(m) == 1 for m in (a1.main, *a1.assoc)):
                return "Government regains territory"
            return "Non-state actor overtakes territory"
        # @attack, @kill, @wound: who is hit decides
        inter1 = a1.inter if a1 else None
        inter2 = a2.inter if a2 else None
        if inter2 == 7 or (a2 is not None and a2.main.value.get("type") == "civilians"):
            return "Attack"
        if inter2 in ARMED_INTERS and (inter1 in ARMED_INTERS or inter1 is None):
            return "Armed clash"
        if sub == "@attack":
            return "Attack" if inter1 is not None else "Armed clash"
        if sub == "@wound" and a1 is None:
            return None  # an injury with no attacker and no cause is not codable
        return "Attack"

    # -- actors ----------------------------------------------------------------------------------------------
    _JOINERS = _cue_pattern("joiners")  # what may stand between the actors of one side

    def _sides(self, ctx: Ctx, sent: Span) -> list[Side]:
        """Actor mentions of the sentence grouped into sides (X مدعمة ب Y و Z -> one side, main X)."""
        text = ctx.doc.text
        # who reports is not who acts: actors inside a source mention ("اتهم ناشطون") are left out here (a
        # party announcing its own action comes back as actor1 through the modality rules)
        speech = [
            m.end
            for m in ctx.cues_in(sent.start, sent.end)
            if any(p[0] == "report" or p == ("filter", "opinion") for p in m.payloads)
        ]
        ms = [
            m
            for m in ctx.ix_actors.starting(sent.start, sent.end)
            if not ctx.ix_sources.overlapping(m.start, m.end)
            and not any(0 <= m.start - e <= 2 for e in speech)  # "ندد الرئيس التركي ...": the speaker
        ]
        ms = [m for m in ms if not self._qualifier_actor(ctx, m)]
        sides: list[Side] = []
        for m in ms:
            if sides:
                gap = " ".join(text[sides[-1].end : m.start].split())
                gap_n = gap.replace("ـ", "")
                if gap_n == "" or self._JOINERS.match(gap_n):
                    # "بين X و Y" keeps two sides: only join when no 'between' construction is open
                    if not (gap_n == "و" and self._between_open(ctx, sent, sides[-1])):
                        sides[-1].assoc.append(m)
                        continue
            sides.append(Side(m, []))
        for side in sides:
            # "البراميل المتفجرة من طائرات النظام المروحية": the named air force, not the weapon, is the side
            if side.main.value.get("unattributed") or (
                side.main.value.get("generic") and side.main.value.get("inter") not in (6, 7)
            ):
                # "مسلحاً من تنظيم داعش": the organisation after من, not the generic word
                named = next((a for a in side.assoc if _named_armed(a) and not a.value.get("generic")), None)
                if named is not None:
                    side.assoc = [side.main, *[a for a in side.assoc if a is not named]]
                    side.main = named
        return sides

    def _qualifier_actor(self, ctx: Ctx, m: Mention) -> bool:
        """An actor named only to qualify a place or group: "بلدات موالية للنظام", "الموالين لها"."""
        for q in ctx.cues_in(max(0, m.start - 14), m.start + 3, "marker"):
            if (
                any(p in (("marker", "qualifier"), ("marker", "loyal")) for p in q.payloads)
                and q.start < m.start <= q.end + 2
            ):
                return True
        return False

    def _between_open(self, ctx: Ctx, sent: Span, side: Side) -> bool:
        """True when a 'بين' precedes ``side`` closely and no side marker (من جهة) has split it yet."""
        bet = [
            m
            for m in ctx.cues_in(max(sent.start, side.start - 25), side.start, "marker")
            if any(p == ("marker", "between") for p in m.payloads)
        ]
        if not bet:
            return False
        marks = [
            m
            for m in ctx.cues_in(side.start, len(ctx.doc.text), "marker", starts_before=sent.end)
            if any(p == ("marker", "side") for p in m.payloads)
        ]
        # with explicit side markers, the 'و' inside a side joins allies; the marker splits the sides
        return not marks

    def _marker_before(self, ctx: Ctx, pos: int, kind: str, span: int = 14) -> Match[tuple[str, str]] | None:
        for m in ctx.cues_in(max(0, pos - span), pos + 1, "marker"):
            if any(p == ("marker", kind) for p in m.payloads) and pos - m.end <= span:
                gap = ctx.doc.text[m.end : pos].strip()
                if len(gap.split()) <= 1:
                    return m
        return None

    def _roles(self, ctx: Ctx, inc: Incident, sides: list[Side]) -> tuple[Side | None, Side | None]:
        trig = inc.trigger
        info = trig.payloads[0]
        label = info.label
        lo, hi = inc.scope
        clause = inc.clause
        a1: Side | None = None
        a2: Side | None = None
        in_scope = [s for s in sides if lo <= s.start < hi]
        # actors the trigger phrase itself names ("الطيران الحربي", "غارات التحالف")
        own = [s for s in sides if s.start < trig.end and s.end > trig.start]
        # 'between' constructions: بين X ... و Y
        bet = [
            m
            for m in ctx.cues_in(trig.start, hi, "marker")
            if any(p == ("marker", "between") for p in m.payloads)
        ]
        if bet:
            after = [s for s in in_scope if s.start >= bet[0].end]
            if len(after) >= 2:
                return after[0], after[1]
            if len(after) == 1 and after[0].assoc:
                first = after[0]
                return Side(first.main, []), Side(first.assoc[0], first.assoc[1:])
        for s in in_scope:
            if (
                a1 is None
                and self._marker_before(ctx, s.start, "agent", span=20) is not None
                and not self._is_target(ctx, s)
            ):
                a1 = s
        for s in in_scope:
            if s is a1 or s.main.value.get("unattributed"):
                continue  # a weapon or an unnamed air force is never the target
            if a2 is None and s.start > trig.start and (s.start < clause.end or s.start - trig.end <= 80):
                tm = self._marker_before(ctx, s.start, "target", span=16)
                if (
                    tm is not None
                    and tm.start <= trig.start < tm.end
                    and info.form in ("past", "present")
                    and not any(clause.start <= o.start < trig.start for o in sides)
                ):
                    tm = None  # "استهدفت الفصائل المعارضة تمركزات ...": the verb's subject, not its object
                if tm is not None or self._is_target(ctx, s):
                    a2 = s
        if own and a1 is None:
            a1 = own[0]
        after_trig = [
            s
            for s in in_scope
            if s.start >= trig.end and s is not a1 and s is not a2 and not s.main.value.get("unattributed")
        ]
        before_trig = [
            s for s in sides if clause.start <= s.start < trig.start and s is not a1 and s is not a2
        ]
        # "قياديا في تنظيم داعش وخمسة متطرفين ... قتلوا في غارة جوية": who is killed before the trigger is hit
        if label not in CASUALTY_CLASSES and before_trig:
            kills = [
                h.start for h in inc.casualty_hits if h.payloads[0].label == "@kill" and h.start < trig.start
            ] + [
                m.start
                for m in ctx.cues_in(clause.start, trig.start, "casualty")
                if any(p == ("casualty", "killed") for p in m.payloads)
            ]
            victims = [s for s in before_trig if any(s.end <= k for k in kills)]
            if victims:
                if a2 is None:
                    a2 = victims[0]
                before_trig = [s for s in before_trig if s not in victims]
        passive = label in CASUALTY_CLASSES and (
            info.form == "noun" or info.form == "phrase" or self._number_next(ctx, trig)
        )
        if label in CASUALTY_CLASSES and info.form in ("past", "present") and after_trig and a1 is None:
            nxt = after_trig[0]
            if (
                nxt.main.value.get("generic")
                or nxt.inter == 7
                or self._number_before(ctx, nxt.start, trig.end)
            ):
                passive = True
        if info.form == "object" and a2 is None and after_trig:
            a2 = after_trig.pop(0)
        if passive:
            if a2 is None and after_trig:
                a2 = after_trig.pop(0)
            if a1 is None and after_trig:
                # "... بغارة لطيران النظام": an armed actor after the victims is the agent
                cand = after_trig[0]
                if cand.inter in ARMED_INTERS:
                    a1 = after_trig.pop(0)
            if a1 is None and before_trig:
                a1 = before_trig[-1]
        else:
            if (
                a1 is None
                and before_trig
                and info.form in ("past", "present")
                and trig.start - before_trig[-1].end <= 40
                and before_trig[-1].inter != 7
            ):
                a1 = before_trig.pop()  # SVO: "وكان مسلحو المعارضة قد هاجموا ..."
            if (
                a1 is None
                and after_trig
                and (after_trig[0].start - trig.end) <= 30
                and not self._is_target(ctx, after_trig[0])
            ):
                a1 = after_trig.pop(0)
            if a1 is None and before_trig and info.form in ("past", "present", "object"):
                a1 = before_trig.pop()  # "وكثفت قوات النظام المتمركزة في نقاط ... قصفها لمواقع المعارضة"
            if (
                a1 is None
                and info.form in ("past", "object")
                and trig.prefix[:1] in ("و", "ف")
                and clause.start > inc.sentence.start
            ):
                # a verb with a pronoun subject ("وكبدوا قوات النظام خسائر"): the agent of the sentence so far
                prior = [
                    s
                    for s in sides
                    if inc.sentence.start <= s.start < clause.start
                    and s.inter in ARMED_INTERS
                    and not self._is_target(ctx, s)
                    and not self._qualifier_actor(ctx, s.main)
                ]
                after_names = {s.name for s in after_trig[:1]} | ({a2.name} if a2 else set())
                prior = [s for s in prior if s.name not in after_names]
                if prior:
                    a1 = prior[-1]
            if a1 is None and before_trig:
                a1 = before_trig[-1]
                before_trig = before_trig[:-1]
            if a2 is None and after_trig:
                a2 = after_trig.pop(0)
        if a1 is None and a2 is None and in_scope:
            a1 = in_scope[0]
        if a1 is not None and a1.main.value.get("unattributed"):
            a1 = self._owner_of_aircraft(ctx, inc, a1, a2)
        if a1 is not None and self._foiled(ctx, a1, lo):
            # "الأعمال الإرهابية التي أحبطتها قوات الأمن": who foils it is the target, not the perpetrator
            a1, a2 = (a2 if a2 is not None and a2.inter in ARMED_INTERS else None), a1
        if a1 is not None and a1.name is None and a1.main.value.get("generic") and label not in _CROWD_LABELS:
            # "شرطيين قتلا", "قتل جندي تركي", "هجوما انتحاريا": a role word, not a perpetrator's name; soldiers and
            # policemen named by role, or role words next to a killing word, are the victims
            killed_near = any(
                h.payloads[0].label == "@kill" and abs(h.start - a1.start) <= 25
                for h in [*inc.hits, *inc.casualty_hits]
            )
            if a2 is None and (a1.main.value.get("agent") == "soldiers" or killed_near):
                a2 = a1
            a1 = None
        if a2 is None:
            # the victims named right after a casualty word ("مقتل 5 مدنيين بغارة ...")
            for h in [*inc.hits, *inc.casualty_hits]:
                if h.payloads[0].label not in CASUALTY_CLASSES:
                    continue
                vic = next((s for s in sides if 0 <= s.start - h.end <= 14 and s is not a1), None)
                if vic is not None and (a1 is None or vic.name != a1.name):
                    a2 = vic
                    break
        return a1, a2

    def _owner_of_aircraft(self, ctx: Ctx, inc: Incident, a1: Side, a2: Side | None) -> Side:
        """An unattributed "الطيران الحربي" yields to a named air force of the same sentence or of the text just
        before it in the paragraph ("... التحالف الدولي ... . وقصف الطيران الحربي ..."): the nearest one that is
        not the target."""
        sent = inc.sentence
        para = self._paragraph_of(ctx, inc.trigger.start)
        lo = max(para[0], sent.start - 300)
        cands = [
            m
            for m in ctx.ix_actors.starting(lo, sent.end)
            if _air_capable(m)
            and m.value.get("country") != "Syria"
            and (a2 is None or m.value.get("name") != a2.name)
            and not self._qualifier_actor(ctx, m)
        ]
        if a2 is not None:
            cands = [m for m in cands if not a2.main.span.overlaps(m.span)]
        if not cands:
            return a1
        best = min(cands, key=lambda m: abs(m.start - inc.trigger.start))
        return Side(best, [a1.main, *a1.assoc])

    def _foiled(self, ctx: Ctx, side: Side, lo: int) -> bool:
        """Is the side the subject of a foiling verb just before it (أحبطت / تصدت / أفشلت)?"""
        return any(
            any(p == ("marker", "foil") for p in m.payloads) and 0 <= side.start - m.end <= 25
            for m in ctx.cues_in(max(lo, side.start - 40), side.start, "marker")
        )

    def _is_target(self, ctx: Ctx, side: Side) -> bool:
        """A side named as what is hit: "مواقع للجيش النظامي", "تمركزات لقوات النظام", "نقطة تفتيش تابعة لـ"."""
        head = side.main.value.get("head")
        if head and head in _TARGET_HEADS:
            return True
        text = ctx.doc.text
        # "مركز تدريب لداعش", "أهداف لتنظيم داعش", "مواقع لقوات النظام": a target noun, then "ل" + the actor
        before = text[max(0, side.start - 30) : side.start]
        glued = _GLUED_OF.search(before)
        if glued is not None:
            words = before[: glued.start()].split()[-2:]
            if any(normalize_key(w.strip("«»\"'()،,")) in _TARGET_HEADS for w in words):
                return True
        m = self._marker_before(ctx, side.start + 6, "agent", span=26)
        if m is not None and m.key in _POSSESSIVE_AGENTS and m.start <= side.start:
            at = m.start
        else:
            poss = _POSSESSIVE_BEFORE.search(text, max(0, side.start - 12), side.start + 2)
            if poss is None:
                return False
            at = poss.start()
        near = ctx.cues_in(max(0, at - 30), at + 1, "marker")
        return any(p in (("marker", "target"), ("marker", "minor_object")) for q in near for p in q.payloads)

    def _number_next(self, ctx: Ctx, trig: Match[TriggerInfo]) -> bool:
        nxt = ctx.norm.text[trig.nend : trig.nend + 12].split()
        return bool(nxt) and (
            bool(_NUM.search(nxt[0])) or bool(ctx.ix_quantities.starting(trig.end, trig.end + 4))
        )

    def _number_before(self, ctx: Ctx, pos: int, lo: int) -> bool:
        return any(
            lo <= q.start and q.end <= pos and pos - q.end <= 12
            for q in ctx.ix_quantities.ending(pos - 12, pos + 1)
        )

    # -- places ----------------------------------------------------------------------------------------------
    def _places(self, ctx: Ctx, inc: Incident, sides: list[Side]) -> tuple[list[Mention], str]:
        """The place(s) of an incident: those of its scope (one event each), else the nearest earlier place of
        the sentence, else of the paragraph (a single place: "في المدينة" points back)."""
        lo, hi = inc.scope

        def usable(p: Mention) -> bool:
            r = ctx.res.get(id(p))
            if _OUTLET_BEFORE.search(ctx.doc.text[max(0, p.start - 12) : p.start]):
                return False  # "قالت مصادر طبية ل»الرياض»", "لـ«الوطن»", "لصحيفة عكاظ": the newspaper, not a place
            return r is not None and _level(r) >= 1  # a country alone cannot be coded (ACLED needs admin1)

        said_at = self._report_date_ranges(ctx, inc.sentence, inc.trigger.start)
        cands = [
            p
            for p in ctx.ix_places.starting(lo, hi)
            if usable(p)
            and not any(a <= p.start < b for a, b in [*said_at, *inc.others])
            # "فرت صوب مدينة شقرة", "توجهوا نحو": where people went, not where the event happened
            and not _moved_towards(ctx.doc.text, p.start)
        ]
        if cands and (inc.sub == "@territory" or inc.sub in _TERRITORY):
            # "بسقوط مدينة شقرة ... بعد ساعات على تحرير ... زنجبار": the place taken is the one right after the trigger
            obj = [p for p in cands if p.end > inc.trigger.start and p.start <= inc.trigger.end + 3]
            if obj:
                cands = obj[:1]
        if cands:
            return self._filter_places(ctx, cands, sides), "scope"
        s = inc.sentence
        anaphor = any(p == ("marker", "anaphor") for m in ctx.cues_in(lo, hi, "marker") for p in m.payloads)
        for where, a in (("sentence", s.start), ("context", self._paragraph_of(ctx, inc.trigger.start)[0])):
            top = lo
            if where == "context":
                if not anaphor:
                    break  # only "في المدينة", "البلدة"... point back past the sentence
                top = min(lo, s.start)
            last = self._last_place(ctx, a, top, usable)
            if last is not None:
                cl = self._clause_of(ctx, last.start) or s
                group = [p for p in ctx.ix_places.starting(max(a, cl.start), min(top, cl.end)) if usable(p)]
                kept = self._filter_places(ctx, group, sides)
                return kept[-1:], where
        return [], "none"

    @staticmethod
    def _last_place(ctx: Ctx, lo: int, hi: int, ok: Callable[[Mention], bool]) -> Mention | None:
        """The last usable place starting in [lo, hi), walking back from ``hi`` (a paragraph can be the whole
        document: a scan from its start for every event would be quadratic)."""
        ix = ctx.ix_places
        if not ix.in_order:
            prev = [p for p in ix.starting(lo, hi) if ok(p)]
            return prev[-1] if prev else None
        i = bisect.bisect_left(ix._starts, hi) - 1
        while i >= 0 and ix.items[i].start >= lo:
            if ok(ix.items[i]):
                return ix.items[i]
            i -= 1
        return None

    def _qualified(self, ctx: Ctx, c: Mention) -> bool:
        """Is the place only an actor's station or allegiance: a qualifier, then places and "و" up to it?"""
        text = ctx.doc.text
        for q in ctx.cues_in(max(0, c.start - 60), c.start, "marker"):
            if not any(p == ("marker", "qualifier") for p in q.payloads):
                continue
            rest = text[q.end : c.start]
            for p in ctx.ix_places.starting(q.end, c.start):
                rest = rest.replace(p.text, " ")
            if len(rest.replace("و", " ").replace("نقاط", " ").split()) <= 3:
                return True
        return False

    def _dubious(self, ctx: Ctx) -> set[int]:
        """Places (by id) that only locate their neighbour or were mis-read, over the whole document; computed
        once per document, not once per event."""
        if ctx.dubious is not None:
            return ctx.dubious
        text = ctx.doc.text
        # "X بY" / "X في Y" with X resolved outside Y's governorate: X was mis-read (a mosque, a roundabout)
        by_start = sorted(ctx.places, key=lambda m: m.start)
        dubious: set[int] = set()
        for i, pm in enumerate(by_start[:-1]):
            q = by_start[i + 1]
            gap = text[pm.end : q.start].strip()
            bearing = bool(q.value.get("direction") or q.value.get("near")) or bool(_BEARING_GAP.match(gap))
            if (gap in ("في", "") or gap.endswith((" في", "ب"))) and q.start - pm.end <= 30 and not bearing:
                rp, rq = ctx.res.get(id(pm)) or {}, ctx.res.get(id(q)) or {}
                if rp.get("admin1") and rq.get("admin1") and rp.get("admin1") != rq.get("admin1"):
                    dubious.add(id(pm))
            # "بلدة الخوين جنوب شرق إدلب", "كفريا بإدلب": a place right after another one only locates it
            rp, rq = ctx.res.get(id(pm)) or {}, ctx.res.get(id(q)) or {}
            if q.start - pm.end <= 3 and (q.value.get("direction") or q.value.get("near")) and not gap:
                dubious.add(id(q))
            elif q.start - pm.end <= 40 and _BEARING_GAP.match(gap):
                dubious.add(id(q))  # "قضاء البعاج شمال غرب بغداد": Baghdad is only the reference point
            elif (
                q.start - pm.end <= 3
                and gap in ("ب", "في")
                and rp.get("admin1")
                and rp.get("admin1") == rq.get("admin1")
            ):
                dubious.add(id(q))
        ctx.dubious = dubious
        return dubious

    def _filter_places(self, ctx: Ctx, cands: list[Mention], sides: list[Side]) -> list[Mention]:
        text = ctx.doc.text
        # a place inside an actor's name ("غرفة عمليات فتح حلب") is not where anything happened
        cands = [c for c in cands if not ctx.ix_actors.containing(c.start, c.end)] or cands
        # ... nor where an actor is stationed or whom it is loyal to ("المتمركزة في نقاط السكرة", "الموالية لدمشق")
        cands = [c for c in cands if not self._qualified(ctx, c)]
        if not cands:
            return []
        dubious = self._dubious(ctx)
        cands = [c for c in cands if id(c) not in dubious] or cands
        res = [ctx.res[id(c)] or {} for c in cands]
        keep = []
        finest = max((_level(r) for r in res), default=0)
        for i, c in enumerate(cands):
            r = res[i]
            if any(j != i and _contains(r, res[j]) for j in range(len(cands))):
                continue  # "ريف إدلب" next to "بلدة الخوين": keep the town
            if _level(r) <= 2 < finest and any(
                _level(o) > 2 and o.get("admin1") and o.get("admin1") == r.get("admin1") for o in res
            ):
                continue  # a region around a located town of the same governorate
            keep.append(c)
        if len(keep) > 1:
            # drop origins ("من عقيربات") and actor qualifiers ("قوات المعارضة في ريف حلب") when others remain
            refined = []
            for c in keep:
                before = " ".join(text[max(0, c.start - 14) : c.start].split()[-2:])
                if re.search(r"(^|\s)(من|قادمين من|هاربين من)$", before) and not re.search(
                    r"(قرب|القرب|قريب[ةه]?) من$", before
                ):
                    continue
                if any(
                    0 <= c.start - s.end <= 5 and text[s.end : c.start].strip() in ("في", "ب") for s in sides
                ):
                    continue
                refined.append(c)
            if refined:
                keep = refined
        # one event per distinct place
        seen: dict[str, Mention] = {}
        for c in keep:
            key = _place_key(ctx.res[id(c)] or {})
            if key and key not in seen:
                seen[key] = c
        return list(seen.values())

    # -- dates -----------------------------------------------------------------------------------------------
    def _date(self, ctx: Ctx, inc: Incident) -> tuple[str, str, int, list[Span], list[str]] | None:
        lo, hi = inc.scope
        sent = inc.sentence
        report_positions = self._report_date_ranges(ctx, sent, inc.trigger.start)

        def pick(a: int, b: int) -> list[Mention]:
            return [
                d
                for d in ctx.ix_dates.starting(a, b)
                if d.value.get("start") and not any(o[0] <= d.start < o[1] for o in inc.others)
            ]

        chosen: Mention | None = None
        report_date: Mention | None = None
        for a, b in ((lo, hi), (sent.start, sent.end)):
            cands = pick(a, b)
            event_cands = [d for d in cands if not any(s <= d.start < e for s, e in report_positions)]
            if event_cands:
                chosen = min(event_cands, key=lambda d: abs(d.start - inc.trigger.start))
                break
            if cands and report_date is None:
                report_date = cands[0]
        pub = ctx.published
        flags: list[str] = []
        if chosen is not None:
            start = iso_date(chosen.value.get("start"))
            end = iso_date(chosen.value.get("end")) or start
            prec = int(chosen.value.get("precision") or 1)
            spans = [chosen.span]
            if start is None or end is None:
                return None
            before = ctx.doc.text[max(0, chosen.start - 6) : chosen.start]
            if "منذ" in before and pub is not None and end < pub:
                end = pub
                prec = 2
        elif report_date is not None and iso_date(report_date.value.get("end")) is not None:
            rep_end = iso_date(report_date.value.get("end"))
            assert rep_end is not None
            end = rep_end
            start = end - timedelta(days=1)
            prec = 2
            spans = [report_date.span]
            flags.append("date_from_report")
        else:
            if pub is None:
                return ("", "", 0, [], ["date_unknown"])  # no publication date to anchor it: dates stay null
            anchor = self._anchor(ctx) or pub
            start, end, prec, spans = anchor - timedelta(days=1), anchor, 2, self._anchor_spans(ctx)
            flags.append("date_defaulted")
        if pub is not None:
            why = None
            if (pub - end).days > BACKGROUND_DAYS and self.history:
                why = "history"  # background history
            elif (end - start).days > LONG_RANGE_DAYS:
                why = "long_range"  # statistics over a long period
            elif (start - pub).days > 1:
                why = "future"
            if why is not None:
                if not self.permissive:
                    return None
                flags.append(f"drop:{why}")
        if prec == 1 and start != end:
            prec = 2
        return start.isoformat(), end.isoformat(), prec, spans, flags

    def _report_date_ranges(self, ctx: Ctx, sent: Span, trig: int = -1) -> list[tuple[int, int]]:
        """Where a date would date the REPORT ("قال المرصد أمس إن ..."), not the event: next to a reporting
        source, outside every reported scope that holds the trigger."""
        out = []
        covering = [(sc.start, sc.end) for sc in ctx.ix_scopes.containing(trig, trig + 1)]
        for s in ctx.ix_sources.starting(sent.start, sent.end):
            lo, hi = max(sent.start, s.start - 20), s.end + 25
            scope = s.value.get("scope")
            if scope and s.end <= int(scope[0]) <= s.end + 40:
                hi = int(scope[0])
            for a, b in covering:
                if a <= lo < b:
                    lo = b
                if a < hi <= b:
                    hi = a
            if lo < hi:
                out.append((lo, hi))
        return out

    def _anchor_spans(self, ctx: Ctx) -> list[Span]:
        """What a defaulted date rests on: the article's own "اليوم"/"أمس", else its printed date line."""
        if ctx.anchor_spans is None:
            ctx.anchor_spans = self._find_anchor_spans(ctx)
        return list(ctx.anchor_spans)

    @staticmethod
    def _find_anchor_spans(ctx: Ctx) -> list[Span]:
        for d in ctx.dates:
            if d.value.get("relative") and ("اليوم" in d.text or "أمس" in d.text or "امس" in d.text):
                return [d.span]
        pub = ctx.doc.meta.spans.get("published")
        return [pub] if pub is not None else []

    def _anchor(self, ctx: Ctx) -> date | None:
        """The article's news day: its "اليوم" when it names one, else the day before publication when it
        speaks of "أمس" (a print edition), else the publication date."""
        key = "_events_anchor"
        if key in ctx.doc.cache:
            cached: date | None = ctx.doc.cache[key]
            return cached
        pub = ctx.published
        anchor = pub
        if pub is not None:
            today = [
                d for d in ctx.dates if "اليوم" in d.text and d.value.get("relative") and d.value.get("start")
            ]
            yest = [d for d in ctx.dates if ("أمس" in d.text or "امس" in d.text) and d.value.get("relative")]
            if today:
                anchor = iso_date(today[0].value["start"]) or pub
            elif yest:
                anchor = pub - timedelta(days=1)
        ctx.doc.cache[key] = anchor
        return anchor

    # -- casualties ------------------------------------------------------------------------------------------
    def _quantity_class(self, ctx: Ctx, q: Mention) -> str | None:
        counted = q.value.get("counted")
        if counted in ("killed", "wounded", "killed_or_wounded", "captured", "arrested"):
            return "captured" if counted == "arrested" else str(counted)
        if counted not in (None, "people", "civilians", "children", "fighters") or q.value.get("unit"):
            return None  # shells, days, vehicles...: not people
        sent = self._sentence_of(ctx, q.start)
        lo = max(sent.start if sent else 0, q.start - 45)
        hi = min(sent.end if sent else len(ctx.doc.text), q.end + 30)
        best: tuple[int, str] | None = None
        for m in ctx.cues_in(lo, hi, "casualty"):
            for p in m.payloads:
                if p[0] != "casualty":
                    continue
                dist = q.start - m.end if m.end <= q.start else (m.start - q.end) * 1.5
                d = int(dist)
                if d < 0:
                    continue
                if best is None or d < best[0] or (d == best[0] and p[1] == "killed_or_wounded"):
                    best = (d, p[1])
        return best[1] if best else None

    def _casualties(self, ctx: Ctx, inc: Incident, sub: str) -> dict[str, Any]:
        lo, hi = inc.scope
        text = ctx.doc.text
        killed: list[tuple[int, str | None, Span]] = []
        wounded: list[tuple[int, Span]] = []
        captured: list[tuple[int, Span]] = []
        kw: list[tuple[int, Span]] = []
        for q in ctx.ix_quantities.starting(lo, hi):
            if any(a <= q.start < b for a, b in inc.others):
                continue
            val = q.value.get("value")
            if val is None or q.value.get("subset") or q.value.get("implausible"):
                # "مقتل 12، بينهم 5 أطفال": the 5 are part of the 12, never added; an implausible count
                # (over MAX_EVENT_COUNT people, e.g. a phone number read as a toll) is never a figure
                continue
            cls = self._quantity_class(ctx, q)
            span = q.span
            if q.value.get("counted_span"):
                cs = q.value["counted_span"]
                span = Span.of(text, min(q.start, int(cs[0])), max(q.end, int(cs[1])))
            if cls == "killed":
                victim = self._victim_after(ctx, q)
                killed.append((int(val), victim, span))
            elif cls == "wounded":
                wounded.append((int(val), span))
            elif cls == "captured":
                captured.append((int(val), span))
            elif cls == "killed_or_wounded":
                kw.append((int(val), span))
        fat: int = 0
        fat_spans: list[Span] = []
        fat_text: str | None = None
        victims: list[str] = []
        if killed:
            fat = sum(v for v, _, _ in killed)
            fat_spans = [s for _, _, s in killed]
            victims = [f"{v}|{vic or ''}" for v, vic, _ in killed]
        else:
            unn = [
                (m, p[1])
                for m in ctx.cues_in(lo, hi, "unnumbered")
                for p in m.payloads
                if p[0] == "unnumbered"
            ]
            has_kill = bool(
                inc.casualty_hits and any(h.payloads[0].label == "@kill" for h in inc.casualty_hits)
            ) or (inc.trigger.payloads[0].label == "@kill")
            levels = {lvl for _, lvl in unn}
            if "none" in levels and not has_kill:
                fat = 0
                fat_spans = [Span.of(text, m_.start, m_.end) for m_, lvl in unn if lvl == "none"][:1]
            elif kw or "significant" in levels or "limited" in levels or has_kill:
                significant = "significant" in levels or any(v >= 10 for v, _ in kw)
                fat = _VAGUE_SIGNIFICANT if significant else _VAGUE_LIMITED
                if kw and not significant:
                    fat = min(fat, max(1, min(v for v, _ in kw) // 2))
                src = [
                    Span.of(text, m_.start, m_.end) for m_, lvl in unn if lvl in ("significant", "limited")
                ]
                src += [s for _, s in kw]
                src += [
                    Span.of(text, h.start, h.end) for h in inc.casualty_hits if h.payloads[0].label == "@kill"
                ]
                if inc.trigger.payloads[0].label == "@kill":
                    src.append(Span.of(text, inc.trigger.start, inc.trigger.end))
                fat_spans = src[:3]
                if not src:
                    fat = 0
                victims = [f"{fat}|~vague"]
        if fat_spans:
            lo_s = min(s.start for s in fat_spans)
            hi_s = max(s.end for s in fat_spans)
            fat_text = text[lo_s:hi_s] if hi_s - lo_s <= 200 else fat_spans[0].text
        w = min(v for v, _ in wounded) if wounded else None
        c = min(v for v, _ in captured) if captured else None
        return {
            "fatalities": (fat, fat_spans, fat_text, victims),
            "wounded": (w, [s for _, s in wounded]),
            "captured": (c, [s for _, s in captured]),
        }

    def _victim_after(self, ctx: Ctx, q: Mention) -> str | None:
        for a in ctx.ix_actors.starting(q.end, q.end + 31):
            return str(a.value.get("name"))
        return None

    # -- modality --------------------------------------------------------------------------------------------
    def _modality(
        self, ctx: Ctx, inc: Incident, a1: Side | None
    ) -> tuple[str, str | None, list[Span], Side | None]:
        sent = inc.sentence
        trig = inc.trigger
        srcs = ctx.ix_sources.starting(sent.start, sent.end)
        # the source whose reported scope covers the trigger, else any source of the sentence
        best: Mention | None = None
        for s in srcs:
            scope = s.value.get("scope")
            if scope and int(scope[0]) <= trig.start < int(scope[1]):
                best = s
                break
        covering = best is not None
        if best is None and srcs:
            # no reported scope holds the trigger: a source before it ("... حسب المرصد" after it also counts)
            # names who said it, but only a covering one can make it a party's claim
            best = min(srcs, key=lambda s: abs(s.start - trig.start))
        modality = "reported"
        claimed_actor: Side | None = None
        spans: list[Span] = []
        attributed: str | None = None
        # a denial in the trigger's clause before it
        denial = [
            m
            for m in ctx.cues_in(inc.clause.start, trig.start, "filter")
            if any(p == ("filter", "denial") for p in m.payloads)
        ]
        if best is not None:
            spans = [best.span]
            attributed = best.text or best.value.get("name")
            vt = best.value.get("verb_type")
            stype = best.value.get("type")
            if vt == "accuse":
                modality = "alleged"
            elif vt == "deny":
                modality = "denied"
            elif (stype in ("party", "official") or vt == "claim") and (covering or best.start < trig.start):
                # a party to the fighting announcing its own action ("أعلنت غرفة عمليات ...", "قالت القيادة
                # المشتركة لقوات التحالف في بيان إن ...") claims it; an official speaking of others reports it
                src_actor = next(iter(ctx.ix_actors.overlapping(best.start, best.end)), None)
                if src_actor is not None and not (stype == "official" and a1 is None):
                    if (
                        a1 is None
                        or a1.name == src_actor.value.get("name")
                        or (
                            a1.inter is not None
                            and a1.inter == src_actor.value.get("inter")
                            and a1.inter == 1
                            and a1.main.value.get("country") == src_actor.value.get("country")
                        )
                    ):
                        modality = "claimed"
                        if a1 is None:
                            claimed_actor = Side(src_actor, [])
                elif vt == "claim":
                    modality = "claimed"
        if denial:
            modality = "denied"
            spans = [*spans, Span.of(ctx.doc.text, denial[0].start, denial[0].end)]
        if self._in_section(ctx, trig.start, "statement") and modality == "reported":
            modality = "claimed"
            attributed = attributed or ctx.doc.meta.author
            sec = next(
                (
                    x
                    for x in ctx.doc.sections
                    if x.name == "statement" and x.span.start <= trig.start < x.span.end
                ),
                None,
            )
            if not spans and sec is not None:
                spans = [
                    sec.heading
                    or Span.of(ctx.doc.text, sec.span.start, min(sec.span.end, sec.span.start + 20))
                ]
        # a lone accusation verb ("نسبته السلطات إلى", "اتهم") in the sentence
        if modality == "reported" and best is None:
            acc = [
                m
                for m in ctx.cues_in(sent.start, sent.end, "report")
                if any(p == ("report", "accuse") for p in m.payloads)
            ]
            if acc:
                modality = "alleged"
                spans = [Span.of(ctx.doc.text, acc[0].start, acc[0].end)]
        return modality, attributed, spans, claimed_actor

    def _in_section(self, ctx: Ctx, pos: int, name: str) -> bool:
        return any(s.name == name and s.span.start <= pos < s.span.end for s in ctx.doc.sections)

    # -- evidence and confidence -----------------------------------------------------------------------------
    def _evidence_bounds(self, ctx: Ctx, inc: Incident) -> tuple[int, int]:
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

    def _confidence(
        self,
        info: TriggerInfo,
        a1: Side | None,
        date_info: tuple[Any, ...],
        place_from: str,
        p_cls: float | None,
    ) -> float:
        c = 0.35 * info.strength
        c += 0.15 if a1 is not None else 0.0
        c += 0.15 if not date_info[4] else 0.07
        c += {"scope": 0.15, "sentence": 0.11, "context": 0.06}.get(place_from, 0.0)
        c += 0.2 * (p_cls if p_cls is not None else 0.6)
        return round(min(1.0, c), 4)

    def _fill_actor1(self, ctx: Ctx, events: list[Event]) -> None:
        """An event with no perpetrator: the one of the story's previous event of the same type (the same
        paragraph, a few sentences back: "... غارات التحالف ... . وقال البيان إن ستا من ثماني غارات جرت قرب
        الحسكة"), else ACLED's unidentified actor for attacks whose author the text does not name."""
        prev: Event | None = None
        for ev in events:
            if ev.actor1 is None or "date_defaulted" in ev.flags:
                self._actor1_from_lead(ctx, ev, prev)
            if ev.actor1 is None and prev is not None and prev.sub_event_type == ev.sub_event_type:
                p_end = max(s.end for s in prev.evidence)
                e_start = min(s.start for s in ev.evidence)
                para = self._paragraph_of(ctx, e_start)
                if 0 <= e_start - p_end <= 600 and para[0] <= p_end and prev.actor1 != ev.actor2:
                    ev.actor1, ev.actor1_ar, ev.inter1 = prev.actor1, prev.actor1_ar, prev.inter1
                    if "actor1" in prev.field_evidence:
                        for f in ("actor1", "actor1_ar", "inter1"):
                            ev.field_evidence[f] = list(prev.field_evidence["actor1"])
                    ev.flags.append("actor1_from_context")
            if ev.actor1 is None and ev.sub_event_type in _UNIDENTIFIED:
                name, inter = _UNIDENTIFIED[ev.sub_event_type]
                ev.actor1 = (
                    name.format(country=ev.country) if ev.country else name.replace(" ({country})", "")
                )
                ev.inter1 = inter
                ev.field_evidence["actor1"] = list(ev.field_evidence.get("sub_event_type", []))
                ev.field_evidence["inter1"] = list(ev.field_evidence["actor1"])
                ev.flags.append("actor1_unidentified")
            if ev.actor1 is not None:
                prev = ev

    def _actor1_from_lead(self, ctx: Ctx, ev: Event, prev: Event | None) -> None:
        """The perpetrator of an unplaced lead sentence of the same type, told just before (this paragraph or
        the one before, within ~600 characters, after the previous coded event): "نفذت قوات التحالف ... 41
        ضربة جوية ... . وقالت القيادة ... إن 17 ضربة جوية نفذت قرب دير الزور" -> the coalition."""
        e_start = min(s.start for s in ev.evidence)
        p_end = max(s.end for s in prev.evidence) if prev is not None else -1
        leads = [
            (end, side, dinfo)
            for end, sub, side, dinfo in ctx.story
            if sub == ev.sub_event_type and p_end <= end <= e_start + 1 and e_start - end <= 600
        ]
        if not leads:
            return
        _, side, dinfo = max(leads, key=lambda t: t[0])
        if "date_defaulted" in ev.flags and not dinfo[4] and dinfo[0]:
            # "قصفت ثلاث طائرات حربية تركية أمس ... في سورية" (no place) then "... قرب حلب": the lead's day
            ev.event_date, ev.date_end, ev.time_precision = dinfo[0], dinfo[1], dinfo[2] or None
            ev.flags = [f for f in ev.flags if f != "date_defaulted"]
            for f in ("event_date", "date_end", "time_precision"):
                ev.field_evidence[f] = list(dinfo[3])
        if ev.actor1 is not None or side is None or side.name is None or side.name == ev.actor2:
            return
        ev.actor1 = _name_in(side.main, ev.country, int(ev.event_date[:4]) if ev.event_date else None)
        ev.actor1_ar = side.main.text
        ev.inter1 = _inter_in(side.main, ev.country)
        for f in ("actor1", "actor1_ar", "inter1"):
            ev.field_evidence[f] = [side.main.span]
        ev.flags.append("actor1_from_context")

    # -- merging ---------------------------------------------------------------------------------------------
    def _merge(self, events: list[Event], feats: dict[int, dict[str, float]] | None = None) -> list[Event]:
        out: list[Event] = []
        for ev in events:
            target = next((o for o in out if _same_incident(o, ev)), None)
            if target is None:
                out.append(ev)
            else:
                _absorb(target, ev)
                if feats is not None and id(ev) in feats:
                    # the merged candidate has every telling's evidence: the union of their features
                    into = feats.setdefault(id(target), {})
                    for k, v in feats.pop(id(ev)).items():
                        into[k] = max(into.get(k, v), v)
        return out

    # -- statements ------------------------------------------------------------------------------------------
    def _statements(self, ctx: Ctx, hits: list[Match[TriggerInfo]]) -> list[Event]:
        text = ctx.doc.text
        out: list[Event] = []
        last_speaker: Mention | None = None
        author_actor = None
        if ctx.doc.meta.author:
            author_actor = next(
                (a for a in ctx.actors if a.text.strip() and a.text.strip() in ctx.doc.meta.author), None
            )
        for h in hits:
            info = next(p for p in h.payloads if p.kind == "statement")
            sent = self._sentence_of(ctx, h.start)
            clause = self._clause_of(ctx, h.start)
            if sent is None or clause is None:
                continue
            reason = self._filter_reason(ctx, h, clause, sent)
            if reason in ("negation", "question", "hypothetical", "future", "background"):
                continue
            if info.form == "noun":
                continue  # "دعوة", "اتهامات" as nouns: usually talk about a statement ("نفى الاتهامات"), not one
            if info.form in ("past", "present", "object") and _NOMINAL_PREFIX.search(h.prefix or ""):
                continue  # "بحثا عن" (while searching) is not "حثا" (urged): a verb takes no preposition
            if (
                info.label == "ACCUSE"
                and info.form != "phrase"
                and _CARRY.match(h.key)
                and "مسوول" not in ctx.norm.text[h.nend : h.nend + 60]
            ):
                continue  # "تحمل مئات المقاتلين" (carrying): only "حمّل X المسؤولية" accuses
            next_words = ctx.norm.text[h.nend : h.nend + 12].split()
            if (
                info.label == "REQUEST"
                and h.key.startswith(("دعا", "دعت"))
                and next_words
                and next_words[0][:1] == "ب"
            ):
                continue  # "دعا بالنصر": prayed for, not a request
            prev = ctx.norm.text[max(0, h.nstart - 30) : h.nstart].split()
            if prev and prev[-1] in _RELATIVES:
                # "وموسكو التي تنفي", "عائلته التي دعاها": the speaker is the noun before the pronoun; when it is
                # not a named actor we cannot tell who speaks
                rel_at = ctx.norm.text.rfind(prev[-1], 0, h.nstart)
                rel_orig = ctx.norm.to_original(rel_at, rel_at + 1)[0]
                if info.form == "object" or not ctx.ix_actors.ending(rel_orig - 2, rel_orig + 1):
                    continue
            if any(
                p == ("filter", "background")
                for m in ctx.cues_in(clause.start, clause.end)
                for p in m.payloads
            ):
                continue  # "... خلال فصل الربيع الماضي": history told with a speech verb
            sdate = self._statement_date(ctx, sent)
            if self.history and ctx.published is not None and sdate[0] and sdate[2]:
                said = iso_date(sdate[0])
                if said is not None and (ctx.published - said).days > BACKGROUND_DAYS:
                    continue  # a request or accusation dated months before the article: history
            if any(
                m.start <= h.start < m.end + 2
                for m in ctx.cues_in(max(0, h.start - 12), h.end + 20, "statement")
            ):
                continue  # "رفض الكشف عن هويته", "بناء على طلب": set phrases
            # speaker: a source or actor before the trigger in the clause, or the trigger's own source
            speaker: Mention | None = None
            we = info.form == "present" and h.key.startswith("ن")  # "ندعو", "نطالب": the statement's author
            content = (
                info.form == "phrase" and info.label == "ACCUSE"
            )  # "رعى الإرهاب": said by the current speaker
            if we or content:
                speaker = last_speaker or author_actor
            src = (
                None
                if speaker is not None
                else next(
                    (s for s in ctx.ix_sources.starting(sent.start, h.start + 1) if s.end >= h.start - 40),
                    None,
                )
            )
            quote = self._quote_at(ctx, h.start)
            if src is not None and quote is not None and src.end <= quote[0] and not (we or content):
                # the trigger is inside a quote opened after the source: a statement reported inside another
                # one's words («قالت الخارجية الروسية إن «الجيش التركي حذر ...»»); who speaks is the actor
                # before it INSIDE the quote, when there is one, not the party quoting it
                inner = ctx.ix_actors.starting(max(clause.start, quote[0] + 1), h.start)
                if inner:
                    speaker = inner[-1]
                    src = None
            if src is not None:
                speaker = next(iter(ctx.ix_actors.overlapping(src.start, src.end)), None)
                if speaker is not None and not self._voiced(ctx, speaker, h.start):
                    speaker = None  # a source read inside someone's closed quotation: not who speaks here
                if speaker is not None:
                    last_speaker = speaker
            if speaker is None:
                before = [
                    a for a in ctx.ix_actors.starting(clause.start, h.start) if self._voiced(ctx, a, h.start)
                ]
                after = [
                    a for a in ctx.ix_actors.starting(h.end, h.end + 26) if self._voiced(ctx, a, h.start)
                ]
                if before:
                    speaker = before[-1]
                elif (
                    after
                    and info.form in ("past", "present")
                    and not _PREPOSITION_GAP.search(text[h.end : after[0].start])
                ):
                    speaker = after[0]  # VSO; "اتفقوا مع المعارضة": after a preposition it is the partner
            generic = [
                m
                for m in ctx.cues_in(max(sent.start, h.start - 25), h.end + 25, "marker")
                if any(p == ("marker", "generic_speaker") for p in m.payloads)
            ]
            if speaker is None and (generic or (info.form == "present" and h.key.startswith("ن"))):
                speaker = last_speaker or author_actor
            if speaker is None and self._in_section(ctx, h.start, "statement"):
                speaker = author_actor or last_speaker
            if speaker is None:
                continue
            target_name: str | None = None
            target_ar: str | None = None
            target_span: Span | None = None
            about: list[Mention] = []
            if info.label == "REQUEST":
                adr = [m for m in ctx.cues_in(h.end, min(sent.end, h.end + 60), "addressee")]
                if adr:
                    m0 = adr[0]
                    target_name = ctx.lex.addressees.get(m0.key)
                    target_ar = text[m0.start : m0.end]
                    target_span = Span.of(text, m0.start, m0.end)
            tgt_actors = [
                a
                for a in ctx.ix_actors.starting(h.end, sent.end)
                if a.value.get("name") != speaker.value.get("name")
            ]
            if info.form == "phrase" and info.label == "ACCUSE":
                # content cues ("... الذي رعى الإرهاب"): the accused is named just before
                prior = [
                    a
                    for a in ctx.ix_actors.starting(clause.start, h.start)
                    if a.value.get("name") != speaker.value.get("name")
                ]
                if prior:
                    tgt_actors = [prior[-1]]
            if target_name is None and tgt_actors:
                t0 = tgt_actors[0]
                target_name, target_ar, target_span = t0.value.get("name"), t0.text, t0.span
                about = tgt_actors[1:2]
            elif tgt_actors:
                about = tgt_actors[:1]
            if info.label in ("ACCUSE", "THREATEN") and target_name is None:
                continue
            if target_name is not None and target_name == speaker.value.get("name"):
                continue
            ev = Event(plover=info.label, kind="statement", modality="claimed")
            ev.actor1 = speaker.value.get("name")
            ev.actor1_ar = speaker.text
            ev.inter1 = speaker.value.get("inter")
            ev.actor2 = target_name
            ev.actor2_ar = target_ar
            fe: dict[str, list[Span]] = {"plover": [Span.of(text, h.start, h.end)]}
            for f in ("actor1", "actor1_ar", "inter1", "attributed_to", "modality"):
                fe[f] = [speaker.span]
            if target_span is not None:
                fe["actor2"] = [target_span]
                fe["actor2_ar"] = [target_span]
            if about:
                ev.flags.append(f"about:{about[0].value.get('name')}")
            d = sdate
            ev.event_date, ev.date_end, ev.time_precision = d[0], d[0], d[1]
            date_spans = d[2] or self._anchor_spans(ctx)
            if date_spans:
                fe["event_date"] = fe["date_end"] = fe["time_precision"] = list(date_spans)
            ev.attributed_to = speaker.text
            reporter = self._reporter(ctx, sent, quote, speaker)
            if reporter is not None:
                # reported speech: the quoting party is the source, and it only reports what the speaker said
                ev.modality, ev.attributed_to = "reported", reporter.text
                fe["attributed_to"] = fe["modality"] = [reporter.span]
                ev.flags.append("nested_statement")
            ev.evidence = [
                Span.of(text, *self._trim(text, max(sent.start, min(h.start, speaker.start)), sent.end))
            ]
            ev.field_evidence = fe
            ev.confidence = round(0.5 * info.strength + (0.2 if target_name else 0.0) + 0.2, 4)
            out.append(ev)
        return out

    @staticmethod
    def _quote_at(ctx: Ctx, pos: int) -> tuple[int, int] | None:
        """The innermost quotation holding ``pos`` (offsets of its marks), or None."""
        if ctx.quotes is None:
            ctx.quotes = QuoteMap(ctx.doc.text)
        return ctx.quotes.innermost(pos)

    def _voiced(self, ctx: Ctx, actor: Mention, pos: int) -> bool:
        """Can ``actor`` be the subject of the verb at ``pos``? Not when it is named inside a quotation that does
        not hold the verb («الجيش التركي حذر الوحدات» وأضافت أن روسيا تطالب ...): those are someone's quoted
        words. A name alone in quote marks («داعش» هدد ...) is only a quoted name."""
        q = self._quote_at(ctx, actor.start)
        if q is None or q[0] < pos < q[1]:
            return True
        return len(ctx.doc.text[q[0] + 1 : q[1]].strip()) <= len(actor.text) + 2

    @staticmethod
    def _reporter(ctx: Ctx, sent: Span, quote: tuple[int, int] | None, speaker: Mention) -> Mention | None:
        """For a speaker quoted inside the trigger's quotation: the nearest source of the sentence before the
        quotation opens, when it names someone else (who reports the nested statement)."""
        if quote is None or not (quote[0] < speaker.start < quote[1]):
            return None
        before = ctx.ix_sources.starting(sent.start, quote[0])
        for src in reversed(before):
            if src.end > quote[0]:
                continue
            names = {a.value.get("name") for a in ctx.ix_actors.overlapping(src.start, src.end)}
            if speaker.value.get("name") in names or src.span.overlaps(speaker.span):
                return None  # the same party: «...» a continuation of its own words
            return src
        return None

    @staticmethod
    def _trim(text: str, start: int, end: int) -> tuple[int, int]:
        if end - start > 300:
            end = start + 300
            while end > start + 20 and not text[end - 1].isspace():
                end -= 1
        while end > start and text[end - 1] in " .،,؛;:\n":
            end -= 1
        return start, end

    def _statement_date(self, ctx: Ctx, sent: Span) -> tuple[str | None, int | None, list[Span]]:
        ds = [d for d in ctx.ix_dates.starting(sent.start, sent.end) if d.value.get("start")]
        if ds and ds[0].value.get("precision") == 1:
            return str(ds[0].value["start"]), 1, [ds[0].span]
        if ctx.published:
            return ctx.published.isoformat(), 1, []
        return None, None, []

    def _merge_statements(self, stmts: list[Event]) -> list[Event]:
        out: list[Event] = []
        first: dict[tuple[str | None, str | None, str | None], Event] = {}  # the first of each kind, in O(1)
        for st in stmts:
            same = first.get((st.plover, st.actor1, st.actor2))
            if same is None:
                first[(st.plover, st.actor1, st.actor2)] = st
                out.append(st)
            else:
                for sp in st.evidence:
                    if not any(sp.overlaps(e) for e in same.evidence):
                        same.evidence.append(sp)
        return out


# --------------------------------------------------------------------------------------------------------------
# merging the same incident told twice


def _date_overlap(a: Event, b: Event, slack: int = 1) -> bool:
    a0, a1 = iso_date(a.event_date), iso_date(a.date_end or a.event_date)
    b0, b1 = iso_date(b.event_date), iso_date(b.date_end or b.event_date)
    if None in (a0, a1, b0, b1):
        return True
    assert a0 and a1 and b0 and b1
    return a0 - timedelta(days=slack) <= b1 and b0 - timedelta(days=slack) <= a1


def _actors_compatible(a: Event, b: Event) -> bool:
    sa = {x for x in (a.actor1, a.actor2) if x}
    sb = {x for x in (b.actor1, b.actor2) if x}
    if not sa or not sb:
        return True
    if sa & sb:
        return True
    ia = {x for x in (a.inter1, a.inter2) if x}
    ib = {x for x in (b.inter1, b.inter2) if x}
    return ia == ib


def _place_relation(a: Event, b: Event) -> str:
    """'same', 'contains' (a coarser, containing b), 'within' (a finer) or 'other'."""
    keys = ("pcode", "location", "country", "admin1", "admin2", "admin3", "geo_precision")
    ra, rb = ({k: getattr(e, k) for k in keys} for e in (a, b))
    if _place_key(ra) and _place_key(ra) == _place_key(rb):
        return "same"
    if _contains(ra, rb):
        return "contains"
    if _contains(rb, ra):
        return "within"
    return "other"


def _same_toll(a: Event, b: Event) -> bool:
    """One incident told twice with two words ("سقوط صاروخ ... مقتل 18" / "قصف ... بمقتل 18"): the same place,
    days and a non-zero death toll, both violent."""
    return (
        a.kind == b.kind == "acled"
        and a.plover == b.plover == "ASSAULT"
        and bool(a.fatalities)
        and a.fatalities == b.fatalities
        and bool(a.pcode or a.location)
        and _place_key(_loc(a)) == _place_key(_loc(b))
        and _date_overlap(a, b, slack=0)
        and _actors_compatible(a, b)
    )


def _loc(e: Event) -> dict[str, Any]:
    return {k: getattr(e, k) for k in ("pcode", "location", "location_ar")}


def _same_incident(a: Event, b: Event) -> bool:
    if a.kind == b.kind == "acled" and a.sub_event_type != b.sub_event_type and _same_toll(a, b):
        return True
    if a.kind != b.kind or a.event_type != b.event_type:
        return False
    if a.sub_event_type != b.sub_event_type and not (
        "type_from_generic" in a.flags or "type_from_generic" in b.flags
    ):
        return False  # an "explosion" told again as a "suicide bombing" is one event; a strike and a clash are two
    rel = _place_relation(a, b)
    if rel == "other":
        return False
    if not _date_overlap(a, b):
        return False
    if rel == "same":
        # one article, one place, one day window, one type: same incident unless actors clearly differ...
        if not _actors_compatible(a, b):
            return False
        # ...or they are told of different spots of one town ("حي الخالدية" / "حي جمعية الزهراء")
        placed = not any(f.startswith("location_from_") for f in (*a.flags, *b.flags))
        if (
            placed
            and a.location_ar
            and b.location_ar
            and not _same_words(a.location_ar, b.location_ar)
            and (_SPOT.search(a.location_ar) or _SPOT.search(b.location_ar))
        ):
            return (a.event_date, a.date_end) == (b.event_date, b.date_end) and _evidence_near(a, b)
        return True
    # a coarser mention of the same incident folds into the located one: when it was placed only by its
    # context, or when the same actors are told of it in another sentence (a retelling, not an enumeration)
    coarse = a if rel == "contains" else b
    if not _actors_compatible(a, b):
        return False
    if a.fatalities and b.fatalities and a.fatalities != b.fatalities:
        return False  # two tolls (2 police in Sanliurfa, 32 dead in Suruc): two incidents
    if any(f.startswith("location_from_") for f in coarse.flags):
        return True
    same_actors = bool({x for x in (a.actor1, a.actor2) if x} & {x for x in (b.actor1, b.actor2) if x})
    sents_a = {f for f in a.flags if f.startswith("sent:")}
    sents_b = {f for f in b.flags if f.startswith("sent:")}
    return same_actors and not (sents_a & sents_b)


# a spot inside a town (a neighbourhood, a square, a street): two spots of one town are two places; two names of
# one town ("بلدة كوباني" / "عين العرب") are one
_SPOT = _cue_pattern("spot")


def _same_words(a: str, b: str) -> bool:
    from ..text.normalize import normalize_key

    def words(x: str) -> set[str]:
        return {w for w in normalize_key(x).split() if len(w) > 2 and w not in _PLACE_CUES}

    return bool(words(a) & words(b))


_PLACE_CUES = _cue_words("place_cues")


def _evidence_near(a: Event, b: Event) -> bool:
    """Told within the same sentence span (evidence overlapping or touching)."""
    return any(x.start <= y.end and y.start <= x.end for x in a.evidence for y in b.evidence)


def _absorb(into: Event, ev: Event) -> None:
    """Fold a second telling of the same incident into ``into``."""
    if (into.sub_event_type != ev.sub_event_type and into.event_type != ev.event_type) or (
        into.sub_event_type != ev.sub_event_type
        and "type_from_generic" not in ev.flags
        and "type_from_generic" not in into.flags
    ):
        # the same toll told with two words: the more specific sub-event type wins
        if _RANK.get(ev.sub_event_type or "", 99) < _RANK.get(into.sub_event_type or "", 99):
            into.sub_event_type, into.event_type, into.plover = ev.sub_event_type, ev.event_type, ev.plover
            for k in ("sub_event_type", "event_type", "plover"):
                if k in ev.field_evidence:
                    into.field_evidence[k] = list(ev.field_evidence[k])
    elif (
        into.sub_event_type != ev.sub_event_type
        and "type_from_generic" in into.flags
        and "type_from_generic" not in ev.flags
        and not (into.sub_event_type in _TERRITORY and ev.sub_event_type == "Armed clash")
    ) or (
        into.sub_event_type == "Armed clash"
        and "type_from_generic" not in into.flags
        and ev.sub_event_type in _TERRITORY
    ):
        # a change of control told with its fighting is the territory event (ACLED: the capture subsumes it)
        into.sub_event_type, into.plover = ev.sub_event_type, ev.plover
        into.flags = [f for f in into.flags if f != "type_from_generic"]
    if _place_relation(into, ev) == "contains":
        for f in LOCATION_FIELDS:
            setattr(into, f, getattr(ev, f))
            if f in ev.field_evidence:
                into.field_evidence[f] = list(ev.field_evidence[f])
            else:
                into.field_evidence.pop(f, None)
    for slot in ("1", "2"):
        if getattr(into, f"actor{slot}") is None and getattr(ev, f"actor{slot}") is not None:
            for f in ("actor", "actor_ar", "inter"):
                name = f.replace("_", slot + "_") if "_" in f else f + slot
                setattr(into, name, getattr(ev, name))
                if name in ev.field_evidence:
                    into.field_evidence[name] = list(ev.field_evidence[name])
    if into.actor1 is None and into.actor2 is not None and ev.actor1 is not None and ev.actor1 != into.actor2:
        into.actor1, into.actor1_ar, into.inter1 = ev.actor1, ev.actor1_ar, ev.inter1
    # dates: an explicit date beats a defaulted one; two explicit ones keep the narrower
    if "date_defaulted" not in into.flags and "date_defaulted" in ev.flags:
        ev.flags = [f for f in ev.flags if f not in ("date_defaulted", "date_from_report")]
    weak_into = "date_defaulted" in into.flags or "date_from_report" in into.flags
    weak_ev = "date_defaulted" in ev.flags or "date_from_report" in ev.flags
    if (weak_into and not weak_ev) or ("date_defaulted" in into.flags and "date_defaulted" not in ev.flags):
        # a date stated for the event beats the report's day and the defaulted news day
        into.event_date, into.date_end, into.time_precision = ev.event_date, ev.date_end, ev.time_precision
        into.flags = [f for f in into.flags if f not in ("date_defaulted", "date_from_report")]
        for f in ("event_date", "date_end", "time_precision"):
            if f in ev.field_evidence:
                into.field_evidence[f] = list(ev.field_evidence[f])
    # casualties: the most conservative telling of the same victims; different victims add up
    into.fatalities = _merge_fatalities(into, ev)
    if ev.fatalities and "fatalities" in ev.field_evidence:
        into.field_evidence.setdefault("fatalities", []).extend(ev.field_evidence["fatalities"])
        into.fatalities_text = into.fatalities_text or ev.fatalities_text
    for f in ("wounded", "captured"):
        vals = [v for v in (getattr(into, f), getattr(ev, f)) if v is not None]
        setattr(into, f, min(vals) if vals else None)
        if f in ev.field_evidence:
            into.field_evidence.setdefault(f, []).extend(ev.field_evidence[f])
    if into.modality == "reported" and ev.modality != "reported":
        into.modality = ev.modality
        if "modality" in ev.field_evidence:
            into.field_evidence["modality"] = list(ev.field_evidence["modality"])
    into.attributed_to = into.attributed_to or ev.attributed_to
    for sp in ev.evidence:
        if not any(sp.overlaps(e) for e in into.evidence):
            into.evidence.append(sp)
    for k, spans in ev.field_evidence.items():
        if k in ("sub_event_type", "event_type", "plover"):
            into.field_evidence.setdefault(k, []).extend(
                s for s in spans if s not in into.field_evidence.get(k, [])
            )
    into.flags.extend(
        f for f in ev.flags if f not in into.flags and (not f.startswith("victims:") or f.startswith("sent:"))
    )
    into.confidence = round(min(1.0, max(into.confidence, ev.confidence) + 0.05), 4)
    into.civilian_targeting = into.civilian_targeting or ev.civilian_targeting


def _victims(ev: Event) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in ev.flags:
        if f.startswith("victims:"):
            val, _, who = f[8:].partition("|")
            try:
                out[who] = out.get(who, 0) + int(val)
            except ValueError:
                continue
    return out


def _merge_fatalities(a: Event, b: Event) -> int:
    va, vb = _victims(a), _victims(b)
    fa, fb = a.fatalities or 0, b.fatalities or 0
    if not va or not vb:
        return max(fa, fb) if (fa == 0 or fb == 0) else min(fa, fb)
    # vague estimates never add to numbered ones
    if "~vague" in va and len(vb) and "~vague" not in vb:
        total = fb
    elif "~vague" in vb and "~vague" not in va:
        total = fa
    else:
        keys = set(va) | set(vb)
        total = 0
        for k in keys:
            xs = [v for v in (va.get(k), vb.get(k)) if v is not None]
            total += min(xs) if len(xs) == 2 else xs[0]
    merged = dict(va)
    for k, v in vb.items():
        merged[k] = min(merged[k], v) if k in merged else v
    a.flags = [f for f in a.flags if not f.startswith("victims:")] + [
        f"victims:{v}|{k}" for k, v in merged.items()
    ]
    return total


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
