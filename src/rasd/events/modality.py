"""How the text tells an incident: reported, claimed by a party, alleged or denied, and by whom."""

from __future__ import annotations

from ..document import Mention, Span
from .context import Ctx, Incident, Side


def judge_modality(
    ctx: Ctx, inc: Incident, a1: Side | None
) -> tuple[str, str | None, list[Span], Side | None]:
    """(modality, attributed_to, spans, claimed actor): reported, claimed by a party announcing its own
    action, alleged (an accusation) or denied, from the sources and cues of the incident's sentence."""
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
    if in_section(ctx, trig.start, "statement") and modality == "reported":
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
                sec.heading or Span.of(ctx.doc.text, sec.span.start, min(sec.span.end, sec.span.start + 20))
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


def in_section(ctx: Ctx, pos: int, name: str) -> bool:
    """Does ``pos`` lie in a section of this name?"""
    return any(s.name == name and s.span.start <= pos < s.span.end for s in ctx.doc.sections)
