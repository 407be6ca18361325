"""Verbal PLOVER statements (ACCUSE, REQUEST, THREATEN, REJECT, AGREE): who says what about whom, with
nested quotations told as reported speech."""

from __future__ import annotations

from ..document import Event, Mention, Span, iso_date
from ..text.match import Match
from ..text.segment import QuoteMap
from .context import Ctx, clause_of, sentence_of
from .cues import cue_pattern, cue_words
from .dates import BACKGROUND_DAYS, anchor_spans, statement_date
from .filters import NOMINAL_PREFIX, filter_reason
from .lexicon import TriggerInfo
from .modality import in_section

_PREPOSITION_GAP = cue_pattern("preposition_gap")
_RELATIVES = cue_words("relatives")
_CARRY = cue_pattern("carry")  # folded forms of حمل / يحمل / تحمل (without المسؤولية)


def code_statements(ctx: Ctx, hits: list[Match[TriggerInfo]], *, history: bool) -> list[Event]:
    """PLOVER statements of the document: one per kept statement trigger with a speaker (and a target
    where the type needs one)."""
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
        sent = sentence_of(ctx, h.start)
        clause = clause_of(ctx, h.start)
        if sent is None or clause is None:
            continue
        reason = filter_reason(ctx, h, clause, sent, history)
        if reason in ("negation", "question", "hypothetical", "future", "background"):
            continue
        if info.form == "noun":
            continue  # "دعوة", "اتهامات" as nouns: usually talk about a statement ("نفى الاتهامات"), not one
        if info.form in ("past", "present", "object") and NOMINAL_PREFIX.search(h.prefix or ""):
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
            p == ("filter", "background") for m in ctx.cues_in(clause.start, clause.end) for p in m.payloads
        ):
            continue  # "... خلال فصل الربيع الماضي": history told with a speech verb
        sdate = statement_date(ctx, sent)
        if history and ctx.published is not None and sdate[0] and sdate[2]:
            said = iso_date(sdate[0])
            if said is not None and (ctx.published - said).days > BACKGROUND_DAYS:
                continue  # a request or accusation dated months before the article: history
        if any(
            m.start <= h.start < m.end + 2 for m in ctx.cues_in(max(0, h.start - 12), h.end + 20, "statement")
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
        quote = quote_at(ctx, h.start)
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
            if speaker is not None and not voiced(ctx, speaker, h.start):
                speaker = None  # a source read inside someone's closed quotation: not who speaks here
            if speaker is not None:
                last_speaker = speaker
        if speaker is None:
            before = [a for a in ctx.ix_actors.starting(clause.start, h.start) if voiced(ctx, a, h.start)]
            after = [a for a in ctx.ix_actors.starting(h.end, h.end + 26) if voiced(ctx, a, h.start)]
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
        if speaker is None and in_section(ctx, h.start, "statement"):
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
        date_spans = d[2] or anchor_spans(ctx)
        if date_spans:
            fe["event_date"] = fe["date_end"] = fe["time_precision"] = list(date_spans)
        ev.attributed_to = speaker.text
        reporter = reporter_of(ctx, sent, quote, speaker)
        if reporter is not None:
            # reported speech: the quoting party is the source, and it only reports what the speaker said
            ev.modality, ev.attributed_to = "reported", reporter.text
            fe["attributed_to"] = fe["modality"] = [reporter.span]
            ev.flags.append("nested_statement")
        ev.evidence = [Span.of(text, *trim(text, max(sent.start, min(h.start, speaker.start)), sent.end))]
        ev.field_evidence = fe
        ev.confidence = round(0.5 * info.strength + (0.2 if target_name else 0.0) + 0.2, 4)
        out.append(ev)
    return out


def quote_at(ctx: Ctx, pos: int) -> tuple[int, int] | None:
    """The innermost quotation holding ``pos`` (offsets of its marks), or None."""
    if ctx.quotes is None:
        ctx.quotes = QuoteMap(ctx.doc.text)
    return ctx.quotes.innermost(pos)


def voiced(ctx: Ctx, actor: Mention, pos: int) -> bool:
    """Can ``actor`` be the subject of the verb at ``pos``? Not when it is named inside a quotation that does
    not hold the verb («الجيش التركي حذر الوحدات» وأضافت أن روسيا تطالب ...): those are someone's quoted
    words. A name alone in quote marks («داعش» هدد ...) is only a quoted name."""
    q = quote_at(ctx, actor.start)
    if q is None or q[0] < pos < q[1]:
        return True
    return len(ctx.doc.text[q[0] + 1 : q[1]].strip()) <= len(actor.text) + 2


def reporter_of(ctx: Ctx, sent: Span, quote: tuple[int, int] | None, speaker: Mention) -> Mention | None:
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


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Evidence bounds of at most ~300 characters, cut at a space, without trailing punctuation."""
    if end - start > 300:
        end = start + 300
        while end > start + 20 and not text[end - 1].isspace():
            end -= 1
    while end > start and text[end - 1] in " .،,؛;:\n":
        end -= 1
    return start, end


def merge_statements(stmts: list[Event]) -> list[Event]:
    """One statement per (type, speaker, target): later tellings add their evidence to the first."""
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
