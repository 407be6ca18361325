"""When an incident happened: a date of its scope or sentence (not one dating the report), else the
report's day, else the article's news day; incidents dated long before publication are history."""

from __future__ import annotations

from datetime import date, timedelta

from ..document import Mention, Span, iso_date
from .context import Ctx, Incident

BACKGROUND_DAYS = 10  # an event ending more than this many days before publication is background
LONG_RANGE_DAYS = 14  # a date range longer than this is a statistic over a period, not an incident


def choose_date(
    ctx: Ctx, inc: Incident, *, history: bool
) -> tuple[str, str, int, list[Span], list[str]] | None:
    """The incident's (start, end, precision, spans, flags): a date of its scope or sentence that does not
    date the report, else the report's day, else the news day; None when it cannot be dated or when its dates
    rule it out (background history, a long range, the future)."""
    lo, hi = inc.scope
    sent = inc.sentence
    report_positions = report_date_ranges(ctx, sent, inc.trigger.start)

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
        anchor = news_day(ctx) or pub
        start, end, prec, spans = anchor - timedelta(days=1), anchor, 2, anchor_spans(ctx)
        flags.append("date_defaulted")
    if pub is not None:
        if (pub - end).days > BACKGROUND_DAYS and history:
            return None  # background history
        if (end - start).days > LONG_RANGE_DAYS:
            return None  # statistics over a long period
        if (start - pub).days > 1:
            return None  # future
    if prec == 1 and start != end:
        prec = 2
    return start.isoformat(), end.isoformat(), prec, spans, flags


def report_date_ranges(ctx: Ctx, sent: Span, trig: int = -1) -> list[tuple[int, int]]:
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


def anchor_spans(ctx: Ctx) -> list[Span]:
    """What a defaulted date rests on: the article's own "اليوم"/"أمس", else its printed date line."""
    if ctx.anchor_spans is None:
        ctx.anchor_spans = find_anchor_spans(ctx)
    return list(ctx.anchor_spans)


def find_anchor_spans(ctx: Ctx) -> list[Span]:
    """The article's "اليوم" / "أمس" date mention, else its printed publication date, as spans."""
    for d in ctx.dates:
        if d.value.get("relative") and ("اليوم" in d.text or "أمس" in d.text or "امس" in d.text):
            return [d.span]
    pub = ctx.doc.meta.spans.get("published")
    return [pub] if pub is not None else []


def news_day(ctx: Ctx) -> date | None:
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


def statement_date(ctx: Ctx, sent: Span) -> tuple[str | None, int | None, list[Span]]:
    """A statement's day: a day-precise date of its sentence, else the publication date."""
    ds = [d for d in ctx.ix_dates.starting(sent.start, sent.end) if d.value.get("start")]
    if ds and ds[0].value.get("precision") == 1:
        return str(ds[0].value["start"]), 1, [ds[0].span]
    if ctx.published:
        return ctx.published.isoformat(), 1, []
    return None, None, []
