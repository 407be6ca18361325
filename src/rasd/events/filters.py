"""Rules that object to a trigger word: the contexts that make it no event (negated, future, judicial,
background...) and the checks that anchor a weak one (a date, a toll, an occurrence verb, a named side)."""

from __future__ import annotations

import re

from ..document import Span
from ..text.match import Match
from .actors import named_armed
from .casualties import quantity_class
from .context import Ctx, Incident, Side
from .cues import cue_pattern
from .lexicon import TriggerInfo
from .taxonomy import CASUALTY_CLASSES

# a preposition or the article before a verb form ("بقصف", "القصف"): a verbal noun
NOMINAL_PREFIX = cue_pattern("nominal_prefix")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-4]\d)(?!\d)")

# Objections that are the codebook's own rules (ANNOTATION_GUIDE: do not code background history, statistics
# over long periods, plans, threats, predictions, hypotheticals, negated events, opinions): the act did not
# happen, has not happened yet, is history or opinion, or is not political violence (accident, judicial sentence,
# the page's boilerplate, a raid to arrest; stopping or moving is no event). Even when a learned scorer decides,
# a trigger these name is no candidate. The objections about weak wording and missing anchors (a bare noun, no
# date or toll, one side only) become features the scorer weighs.
HARD_OBJECTIONS = frozenset(
    {
        "reference",
        "negation",
        "future",
        "plan",
        "threat",
        "hypothetical",
        "question",
        "accident",
        "judicial",
        "boilerplate",
        "stop",
        "movement",
        "background",
        "history",
        "long_range",
        "opinion",
        "raid",
    }
)


def filter_reason(
    ctx: Ctx, hit: Match[TriggerInfo], clause: Span, sentence: Span, history: bool
) -> str | None:
    """Why this trigger is not an event (negated, future...), or None."""
    info = hit.payloads[0]
    if "س" in hit.prefix[-1:] and info.form in ("present",):
        return "future"
    stripped = sentence.text.rstrip(" \"'»”)]")
    if stripped.endswith(("؟", "?")):
        return "question"
    text = ctx.norm.text
    # accidents are not political violence: a fire, a road accident in the trigger's clause
    if any(p == ("filter", "accident") for m in ctx.cues_in(clause.start, clause.end) for p in m.payloads):
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
    if ctx.published is not None and history:
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
        prev = [
            w[1:] if w[:1] in "وف" and len(w) > 3 else w
            for w in ctx.norm.text[max(0, hit.nstart - 14) : hit.nstart].split()
        ]
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


def anchored(ctx: Ctx, inc: Incident, a1: Side | None, a2: Side | None, place_from: str) -> bool:
    """A specific trigger word (strength >= 0.8, not a casualty word, not a bare verbal noun or a present
    verb) with a place in its own clause and a named armed side."""
    if place_from not in ("scope", "context"):
        return False  # "context" only through an anaphoric place word of the clause ("على المدينة")
    strong = any(
        h.payloads[0].strength >= 0.8
        and h.payloads[0].label not in CASUALTY_CLASSES
        and not weak_hit(ctx, h)
        and (h.payloads[0].form in ("past", "object") or occurs(ctx, h))
        for h in inc.hits
    )
    named = any(
        s is not None
        and named_armed(s.main)
        and (not s.main.value.get("backref") or s.main.score >= 0.8)  # a back-reference with its antecedent
        for s in (a1, a2)
    )
    return strong and named


def occurs(ctx: Ctx, h: Match[TriggerInfo]) -> bool:
    """An occurrence verb next to a noun trigger ("دارت اشتباكات", "غارات جوية نفذها"): told as happening."""
    return any(
        p == ("marker", "occurrence")
        for m in ctx.cues_in(max(0, h.start - 30), h.end + 30)
        for p in m.payloads
    )


def weak_hit(ctx: Ctx, h: Match[TriggerInfo]) -> bool:
    """A trigger that may name a class of events rather than one: a present-tense verb ("يشن"), a definite
    one-word noun ("الغارات"), or a verb in a relative clause ("الذي قتل")."""
    info = h.payloads[0]
    if info.form == "present":
        return True
    if info.form in ("past", "object") and NOMINAL_PREFIX.search(h.prefix or ""):
        return True  # "بقصف", "للقصف", "القصف": a preposition or the article makes the verb form a noun
    if info.label == "@territory" and info.form != "past":
        return True  # "سيطرته على": usually background ("بعد سيطرته على إدلب")
    if info.form == "noun" and " " not in h.key:
        return True  # a bare verbal noun ("اغتيال", "الغارات") names an act, not yet an incident
    prev = ctx.norm.text[max(0, h.nstart - 12) : h.nstart].split()
    return bool(prev) and prev[-1] in ("الذي", "التي", "الذين", "اللذين", "اللتين")


def dated_or_tolled(ctx: Ctx, lo: int, hi: int) -> bool:
    """A past date (day or range) or a casualty / capture figure in [lo, hi): what anchors a weak trigger."""
    if any(
        not d.value.get("future") and int(d.value.get("precision") or 3) <= 2
        for d in ctx.ix_dates.starting(lo, hi)
    ):
        return True
    casualty = ("killed", "wounded", "killed_or_wounded", "captured")
    return any(quantity_class(ctx, q) in casualty for q in ctx.ix_quantities.starting(lo, hi))


def hit_supported(ctx: Ctx, h: Match[TriggerInfo], lo: int, hi: int) -> bool:
    """Is this weak trigger anchored: a date or casualty figure in its clause, 'بين ...' after it, or an
    occurrence verb next to it ("دارت اشتباكات", "اندلعت مظاهرات")?"""
    if dated_or_tolled(ctx, lo, hi):
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


def supported(ctx: Ctx, inc: Incident) -> bool:
    """Does the incident's clause anchor it: a date, a casualty figure, or a 'between X and Y'?"""
    lo, hi = inc.scope
    if dated_or_tolled(ctx, lo, hi):
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
