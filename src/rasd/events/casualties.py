"""Casualty figures of an incident by ACLED's conservative rules: numbered deaths add up, subsets never
do, "killed and wounded" is not a death count, vague wording gives ACLED's 10 / 3."""

from __future__ import annotations

from typing import Any

from ..document import Mention, Span
from .context import Ctx, Incident, sentence_of

_VAGUE_SIGNIFICANT = 10
_VAGUE_LIMITED = 3


def quantity_class(ctx: Ctx, q: Mention) -> str | None:
    """What a number counts among killed / wounded / killed_or_wounded / captured (its own unit, else the
    nearest casualty word around it in its sentence), or None for numbers of things."""
    counted = q.value.get("counted")
    if counted in ("killed", "wounded", "killed_or_wounded", "captured", "arrested"):
        return "captured" if counted == "arrested" else str(counted)
    if counted not in (None, "people", "civilians", "children", "fighters") or q.value.get("unit"):
        return None  # shells, days, vehicles...: not people
    sent = sentence_of(ctx, q.start)
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


def count_casualties(ctx: Ctx, inc: Incident, sub: str) -> dict[str, Any]:
    """Fatalities (count, spans, text, victims), wounded and captured of an incident by ACLED's rules."""
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
        cls = quantity_class(ctx, q)
        span = q.span
        if q.value.get("counted_span"):
            cs = q.value["counted_span"]
            span = Span.of(text, min(q.start, int(cs[0])), max(q.end, int(cs[1])))
        if cls == "killed":
            victim = victim_after(ctx, q)
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
            (m, p[1]) for m in ctx.cues_in(lo, hi, "unnumbered") for p in m.payloads if p[0] == "unnumbered"
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
            src = [Span.of(text, m_.start, m_.end) for m_, lvl in unn if lvl in ("significant", "limited")]
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


def victim_after(ctx: Ctx, q: Mention) -> str | None:
    """The name of the actor named right after a death toll (whose deaths), or None."""
    for a in ctx.ix_actors.starting(q.end, q.end + 31):
        return str(a.value.get("name"))
    return None
