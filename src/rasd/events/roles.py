"""Who acts and who is hit: the sentence's actor mentions grouped into sides, then actor1 / actor2 chosen
by their syntactic slot around the trigger (agent and target markers, 'between X and Y', passive casualty
words, pronoun subjects), the owner of an unattributed air force, foiled attacks."""

from __future__ import annotations

import re

from ..document import Mention, Span
from ..text.match import Match
from ..text.normalize import normalize_key
from .actors import ARMED_INTERS, air_capable, named_armed
from .context import Ctx, Incident, Side, paragraph_of
from .cues import cue_pattern, cue_words
from .lexicon import TriggerInfo
from .taxonomy import CASUALTY_CLASSES, CROWD_LABELS

# head nouns of an actor phrase that name what is hit, not who acts ("مواقع للجيش", "تمركزات لقوات النظام")
_TARGET_HEADS = cue_words("target_heads")
# agent markers that are only a possessive "of" (folded): after a target noun they name the target's owner
_POSSESSIVE_AGENTS = cue_words("possessive_agents")
# "... ل" glued to the actor, or "لتنظيم «" / "لقوات" before it: the possessive "of" after a target noun
_GLUED_OF = cue_pattern("glued_of")
_POSSESSIVE_BEFORE = cue_pattern("possessive_before")
_NUM = re.compile(r"\d")
_JOINERS = cue_pattern("joiners")  # what may stand between the actors of one side


def group_sides(ctx: Ctx, sent: Span) -> list[Side]:
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
    ms = [m for m in ms if not qualifier_actor(ctx, m)]
    sides: list[Side] = []
    for m in ms:
        if sides:
            gap = " ".join(text[sides[-1].end : m.start].split())
            gap_n = gap.replace("ـ", "")
            if gap_n == "" or _JOINERS.match(gap_n):
                # "بين X و Y" keeps two sides: only join when no 'between' construction is open
                if not (gap_n == "و" and between_open(ctx, sent, sides[-1])):
                    sides[-1].assoc.append(m)
                    continue
        sides.append(Side(m, []))
    for side in sides:
        # "البراميل المتفجرة من طائرات النظام المروحية": the named air force, not the weapon, is the side
        if side.main.value.get("unattributed") or (
            side.main.value.get("generic") and side.main.value.get("inter") not in (6, 7)
        ):
            # "مسلحاً من تنظيم داعش": the organisation after من, not the generic word
            named = next((a for a in side.assoc if named_armed(a) and not a.value.get("generic")), None)
            if named is not None:
                side.assoc = [side.main, *[a for a in side.assoc if a is not named]]
                side.main = named
    return sides


def qualifier_actor(ctx: Ctx, m: Mention) -> bool:
    """An actor named only to qualify a place or group: "بلدات موالية للنظام", "الموالين لها"."""
    for q in ctx.cues_in(max(0, m.start - 14), m.start + 3, "marker"):
        if (
            any(p in (("marker", "qualifier"), ("marker", "loyal")) for p in q.payloads)
            and q.start < m.start <= q.end + 2
        ):
            return True
    return False


def between_open(ctx: Ctx, sent: Span, side: Side) -> bool:
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


def marker_before(ctx: Ctx, pos: int, kind: str, span: int = 14) -> Match[tuple[str, str]] | None:
    """A marker cue of this kind ending at most ``span`` characters and one word before ``pos``, or None."""
    for m in ctx.cues_in(max(0, pos - span), pos + 1, "marker"):
        if any(p == ("marker", kind) for p in m.payloads) and pos - m.end <= span:
            gap = ctx.doc.text[m.end : pos].strip()
            if len(gap.split()) <= 1:
                return m
    return None


def assign_roles(ctx: Ctx, inc: Incident, sides: list[Side]) -> tuple[Side | None, Side | None]:
    """Actor1 (who acts) and actor2 (who is hit) among the sentence's sides, by their slot around the
    trigger; either may be None."""
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
        if a1 is None and marker_before(ctx, s.start, "agent", span=20) is not None and not is_target(ctx, s):
            a1 = s
    for s in in_scope:
        if s is a1 or s.main.value.get("unattributed"):
            continue  # a weapon or an unnamed air force is never the target
        if a2 is None and s.start > trig.start and (s.start < clause.end or s.start - trig.end <= 80):
            tm = marker_before(ctx, s.start, "target", span=16)
            if (
                tm is not None
                and tm.start <= trig.start < tm.end
                and info.form in ("past", "present")
                and not any(clause.start <= o.start < trig.start for o in sides)
            ):
                tm = None  # "استهدفت الفصائل المعارضة تمركزات ...": the verb's subject, not its object
            if tm is not None or is_target(ctx, s):
                a2 = s
    if own and a1 is None:
        a1 = own[0]
    after_trig = [
        s
        for s in in_scope
        if s.start >= trig.end and s is not a1 and s is not a2 and not s.main.value.get("unattributed")
    ]
    before_trig = [s for s in sides if clause.start <= s.start < trig.start and s is not a1 and s is not a2]
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
        info.form == "noun" or info.form == "phrase" or number_next(ctx, trig)
    )
    if label in CASUALTY_CLASSES and info.form in ("past", "present") and after_trig and a1 is None:
        nxt = after_trig[0]
        if nxt.main.value.get("generic") or nxt.inter == 7 or number_before(ctx, nxt.start, trig.end):
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
            and not is_target(ctx, after_trig[0])
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
                and not is_target(ctx, s)
                and not qualifier_actor(ctx, s.main)
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
        a1 = owner_of_aircraft(ctx, inc, a1, a2)
    if a1 is not None and foiled(ctx, a1, lo):
        # "الأعمال الإرهابية التي أحبطتها قوات الأمن": who foils it is the target, not the perpetrator
        a1, a2 = (a2 if a2 is not None and a2.inter in ARMED_INTERS else None), a1
    if a1 is not None and a1.name is None and a1.main.value.get("generic") and label not in CROWD_LABELS:
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


def owner_of_aircraft(ctx: Ctx, inc: Incident, a1: Side, a2: Side | None) -> Side:
    """An unattributed "الطيران الحربي" yields to a named air force of the same sentence or of the text just
    before it in the paragraph ("... التحالف الدولي ... . وقصف الطيران الحربي ..."): the nearest one that is
    not the target."""
    sent = inc.sentence
    para = paragraph_of(ctx, inc.trigger.start)
    lo = max(para[0], sent.start - 300)
    cands = [
        m
        for m in ctx.ix_actors.starting(lo, sent.end)
        if air_capable(m)
        and m.value.get("country") != "Syria"
        and (a2 is None or m.value.get("name") != a2.name)
        and not qualifier_actor(ctx, m)
    ]
    if a2 is not None:
        cands = [m for m in cands if not a2.main.span.overlaps(m.span)]
    if not cands:
        return a1
    best = min(cands, key=lambda m: abs(m.start - inc.trigger.start))
    return Side(best, [a1.main, *a1.assoc])


def foiled(ctx: Ctx, side: Side, lo: int) -> bool:
    """Is the side the subject of a foiling verb just before it (أحبطت / تصدت / أفشلت)?"""
    return any(
        any(p == ("marker", "foil") for p in m.payloads) and 0 <= side.start - m.end <= 25
        for m in ctx.cues_in(max(lo, side.start - 40), side.start, "marker")
    )


def is_target(ctx: Ctx, side: Side) -> bool:
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
    m = marker_before(ctx, side.start + 6, "agent", span=26)
    if m is not None and m.key in _POSSESSIVE_AGENTS and m.start <= side.start:
        at = m.start
    else:
        poss = _POSSESSIVE_BEFORE.search(text, max(0, side.start - 12), side.start + 2)
        if poss is None:
            return False
        at = poss.start()
    near = ctx.cues_in(max(0, at - 30), at + 1, "marker")
    return any(p in (("marker", "target"), ("marker", "minor_object")) for q in near for p in q.payloads)


def number_next(ctx: Ctx, trig: Match[TriggerInfo]) -> bool:
    """Is the trigger followed by a number ("قتل 5"): a passive casualty phrase?"""
    nxt = ctx.norm.text[trig.nend : trig.nend + 12].split()
    return bool(nxt) and (
        bool(_NUM.search(nxt[0])) or bool(ctx.ix_quantities.starting(trig.end, trig.end + 4))
    )


def number_before(ctx: Ctx, pos: int, lo: int) -> bool:
    """Is there a number ending at most 12 characters before ``pos`` (starting after ``lo``)?"""
    return any(
        lo <= q.start and q.end <= pos and pos - q.end <= 12
        for q in ctx.ix_quantities.ending(pos - 12, pos + 1)
    )
