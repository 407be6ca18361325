"""What the coder knows about one document (:class:`Ctx`, built once), the incident and side records it
works on, and the span look-ups every rule uses (sentence, clause, paragraph of an offset)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..document import Document, Mention, Span
from ..text.match import Match, SpanIndex
from ..text.normalize import NormText, norm_of
from ..text.segment import QuoteMap
from ..text.segment import clauses as split_clauses
from ..text.segment import sentences as split_sentences
from .features import Candidate
from .lexicon import EventLexicons, TriggerInfo, lexicons
from .resolved import resolved_of


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


def bisect_spans(spans: list[Span], pos: int) -> int:
    """Index of the last span starting at or before ``pos`` (spans sorted by start); -1 when none."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid].start <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def dedupe_overlapping(mentions: list[Mention]) -> list[Mention]:
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


def build_context(doc: Document) -> Ctx:
    """Everything the coder needs about one document, computed once: sentences, clauses, cues, mentions."""
    norm = norm_of(doc)
    lex = lexicons()
    sents = doc.sentences or split_sentences(doc.text)
    cls = doc.clauses or split_clauses(doc.text)
    cues = lex.cues.find(norm, longest=False)
    actors = dedupe_overlapping([m for m in doc.mentions if m.kind == "actor"])
    places = [m for m in doc.mentions if m.kind == "place"]
    dates = sorted((m for m in doc.mentions if m.kind == "date"), key=lambda m: m.start)
    quantities = sorted((m for m in doc.mentions if m.kind == "quantity"), key=lambda m: m.start)
    sources = sorted((m for m in doc.mentions if m.kind == "source"), key=lambda m: m.start)
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", doc.text)]
    skip = [
        (s.span.start, s.span.end) for s in doc.sections if s.name in ("header", "title", "meta", "byline")
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


def skipped(ctx: Ctx, hit: Match[TriggerInfo]) -> bool:
    """Does the trigger lie in a header, title, meta or byline section (never coded)?"""
    return any(s <= hit.start < e for s, e in ctx.skip)


def span_at(spans: list[Span], pos: int) -> Span | None:
    """The span (of sorted, disjoint spans) holding ``pos``, or None."""
    i = bisect.bisect_right([s.start for s in spans], pos) - 1 if len(spans) < 8 else bisect_spans(spans, pos)
    if 0 <= i < len(spans) and spans[i].start <= pos < spans[i].end:
        return spans[i]
    return None


def sentence_of(ctx: Ctx, pos: int) -> Span | None:
    """The sentence holding ``pos``, or None."""
    return span_at(ctx.sentences, pos)


def clause_of(ctx: Ctx, pos: int) -> Span | None:
    """The clause holding ``pos``, or None."""
    return span_at(ctx.clauses, pos)


def paragraph_of(ctx: Ctx, pos: int) -> tuple[int, int]:
    """The paragraph holding ``pos`` (the whole text when none does)."""
    i = bisect.bisect_right(ctx.para_starts, pos) - 1  # paragraphs are disjoint and in text order
    if i >= 0 and pos < ctx.paragraphs[i][1]:
        return ctx.paragraphs[i]
    return (0, len(ctx.doc.text))


SENTENCE_DOC_CHARS = 2000  # the longest gsr sentence has 1,552 characters; an article has several sentences


def is_one_sentence(doc: Document) -> bool:
    """A document that is a single sentence (a gsr record, a lone headline or wire line): the coder codes it as
    a sentence, not as an article."""
    return len(doc.text) <= SENTENCE_DOC_CHARS and len(doc.sentences) <= 1
