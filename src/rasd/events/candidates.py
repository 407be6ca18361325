"""Trigger hits become incidents: one per clause that holds a kept trigger (its scope runs over the
following trigger-less clauses), coordinated verbs split, the sub-event type refined by the clause's cues."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from ..document import Span
from ..text.match import Match
from .context import Ctx, Incident, sentence_of
from .cues import cue_pattern
from .filters import HARD_OBJECTIONS, filter_reason, hit_supported, weak_hit
from .lexicon import TriggerInfo
from .resolved import place_level
from .taxonomy import CASUALTY_CLASSES, GENERIC_RANK, RANK, same_kind

log = logging.getLogger(__name__)

_SUBORDINATORS = cue_pattern("subordinators")


def resolve_sub(ctx: Ctx, label: str, lo: int, hi: int, skip: Sequence[tuple[int, int]] = ()) -> str:
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


def incidents(
    ctx: Ctx,
    hits: list[Match[TriggerInfo]],
    *,
    history: bool,
    permissive: bool,
    confirmed: Callable[[Ctx, Match[TriggerInfo], Span], bool],
    note_drop: Callable[[Ctx, Match[TriggerInfo], str], bool],
) -> list[Incident]:
    """The document's incidents: per sentence, the kept triggers of each clause (``filter_reason``; weak
    ones only where anchored) grouped into incidents with their scope, casualty words and sub-event type.
    ``permissive``: a rule's objection is noted for the scorer (``ctx.hit_reasons``, ``note_drop``) instead
    of dropping the trigger; ``confirmed``: the sentence classifier vouches for a weak trigger."""
    by_sentence: dict[int, list[Match[TriggerInfo]]] = {}
    sent_of: dict[int, Span] = {}
    for h in hits:
        s = sentence_of(ctx, h.start)
        if s is None:
            continue
        by_sentence.setdefault(s.start, []).append(h)
        sent_of[s.start] = s
    found: list[Incident] = []
    for key in sorted(by_sentence):
        sent = sent_of[key]
        sclauses = [c for c in ctx.ix_clauses.starting(sent.start, sent.end + 1) if c.end <= sent.end] or [
            sent
        ]
        sclauses = split_coordinated(ctx, sclauses, by_sentence[key])
        dead: list[tuple[int, int]] = []
        per_clause: list[tuple[Span, list[Match[TriggerInfo]]]] = []
        for c in sclauses:
            ch = []
            for h in by_sentence[key]:
                if c.start <= h.start < c.end:
                    reason = filter_reason(ctx, h, c, sent, history)
                    if (
                        not reason
                        and h.payloads[0].label in CASUALTY_CLASSES
                        and any(a <= h.start < b for a, b in dead)
                    ):
                        reason = "reference"  # "بعد يومين على هجوم انتحاري أوقع 32 قتيلا": the toll of the
                        # event referred to
                    if reason and reason not in HARD_OBJECTIONS and permissive:
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
                    if not weak_hit(ctx, h)
                    or hit_supported(ctx, h, c.start, scope_end)
                    or confirmed(ctx, h, sent)
                    or note_drop(ctx, h, "weak_unanchored")
                ]
            )
        for idx, (c, _raw) in enumerate(per_clause):
            ch = kept[idx]
            if not ch:
                continue
            scope_end = c.end
            for k2 in range(idx + 1, len(per_clause)):
                c2, raw2 = per_clause[k2]
                if kept[k2] or (raw2 and has_place(ctx, c2.start, c2.end)):
                    break
                scope_end = c2.end
            main = [h for h in ch if h.payloads[0].label not in CASUALTY_CLASSES]
            cas = [h for h in ch if h.payloads[0].label in CASUALTY_CLASSES]
            if not main:
                if sent_incs and not has_place(ctx, c.start, scope_end):
                    prev = sent_incs[-1]
                    prev.casualty_hits.extend(cas)
                    prev.scope = (prev.scope[0], max(prev.scope[1], scope_end))
                    continue
                if (
                    not sent_incs
                    and not has_place(ctx, c.start, scope_end)
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
                label = resolve_sub(ctx, h.payloads[0].label, c.start, scope_end, dead)
                rank = RANK.get(label, GENERIC_RANK.get(label, 50))
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
            if sent_incs and label == "@attack" and continues(ctx, c, hs):
                prev = sent_incs[-1]
                prev.hits.extend(hs)
                prev.casualty_hits.extend(inc.casualty_hits)
                prev.scope = (prev.scope[0], scope_end)
                continue
            # the same type again in a later clause with no place of its own: the same incident
            if (
                sent_incs
                and (same_kind(sent_incs[-1].sub, label) or label.startswith("@"))
                and not has_place(ctx, c.start, scope_end)
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
        found.extend(sent_incs)
    return found


def continues(ctx: Ctx, clause: Span, hits: list[Match[TriggerInfo]]) -> bool:
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


def split_coordinated(ctx: Ctx, clauses: list[Span], hits: list[Match[TriggerInfo]]) -> list[Span]:
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


def has_place(ctx: Ctx, lo: int, hi: int) -> bool:
    """A place that could locate an event (a country alone cannot) in [lo, hi)."""
    return any(place_level(ctx.res.get(id(p)) or {}) >= 1 for p in ctx.ix_places.starting(lo, hi))
