"""Quantity recogniser: numbers (digits, number words, vague words, duals) and what they count.

Output: ``quantity`` mentions (docs/mentions.md) whose value holds::

    value        int, ACLED-conservative (lowest reading: "بين 10 و15" -> 10, "عشرات" -> 12, "مئات" -> 100)
    low, high    bounds when known (None when open)
    vague        True for عشرات / مئات / آلاف / عدة / بضعة / عدد من
    qualifier    at_least, more_than, about, up_to, between, or None
    counted      killed, wounded, killed_or_wounded, captured, arrested, civilians, children, fighters, people,
                 other (munitions, places, time, money...), or None
    counted_span [start, end] of the word that says what was counted (original offsets), or None
    who          civilians / children / fighters / people when a person noun is attached (also when counted
                 is a casualty status: "مقتل 5 مدنيين" -> counted killed, who civilians)
    unit         the folded "other" noun ("قذيفة", "يوم"...) when counted is other
    subset       True after بينهم / منهم ("بينهم 60 مسيحيا"): part of a total given elsewhere, never add it
    implicit     True for a count read from a dual noun (قتيلان) or an indefinite singular after a killing word
                 (مقتل شخص -> 1)
    implausible  True when a count of people is above MAX_EVENT_COUNT (100,000): a war total ("مقتل أكثر من
                 240 ألف شخص") or a garbled figure ("١٢٣٤٥٦٧٨٩٠١٢٣ قتيلا"), never one event's count. The value
                 is still the exact stated number; consumers must not use it as an event's fatalities.

Not emitted at all: numbers inside a ``date`` mention (the dates stage runs first), years (1900-2100 written
alone), clock times, percentages, ages ("(25 عاما)", "يبلغ من العمر 30"), phone-like digit runs (7+ digits not
followed by a casualty or person noun), decimals without a multiplier, and numbers that name a unit or an article ("الفرقة 17", "القرار 2254", "رقم 5").

Linking: the noun right after the number (skipping a partitive من) wins; otherwise the nearest casualty word
before the number in the same clause (up to 6 words: "قتل وجرح العشرات", "أسر من تبقى منهم -بالمئات-");
otherwise a casualty verb shortly after ("27 شخصاً على الأقل قتلوا"). Combined phrases (قتل وجرح، بين قتيل
وجريح) are matched as one unit, so they come out as killed_or_wounded, never as killed.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from ..budget import check_mentions
from ..document import Document, Mention, Span
from ..lang import load
from ..text.match import Lexicon
from ..text.normalize import NormText, norm_of, normalize_key, split_proclitics

SOURCE = "quantities"
_TOK = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|%")  # stdlib re: faster here than regex
_HARD = re.compile(r"[.!?;:\n]")  # stops linking (folded text: ، -> , ؛ -> ; ؟ -> ?)
_SOFT = re.compile(r",")
STATUSES = (
    "killed_or_wounded",
    "killed",
    "wounded",
    "captured",
    "arrested",
)  # priority when one word has several
_PARTITIVE = frozenset({"من"})
_COORD = frozenset({"و", "من", "ال"})
_MAX_BACK = 6
_MAX_AFTER = 7
# Above this, a count of people is not one event's figure (ACLED's largest single events in the region are in
# the low thousands): the mention is kept with its exact value and marked ``implausible``.
MAX_EVENT_COUNT = 100_000


@dataclass(frozen=True, slots=True)
class _Num:
    kind: str  # unit, weak, ten, tens, hundreds, thousands, millions, vague, digit
    value: int


@dataclass(slots=True)
class _Res:
    numbers: dict[str, list[_Num]]
    lexicon: Lexicon[tuple[str, str]]
    duals: dict[str, tuple[str | None, str | None]]
    singular: frozenset[str]
    pronoun: dict[str, str]
    vague_next: dict[str, str]
    multi_vague: dict[str, int] = field(default_factory=dict)
    vague_heads: frozenset[str] = frozenset()
    not_count_before: frozenset[str] = frozenset()


@cache
def _res() -> _Res:
    nums = load("ar", "numbers")
    cas = load("ar", "casualty_nouns")
    numbers: dict[str, list[_Num]] = {}

    def add_num(word: str, kind: str, value: int) -> None:
        key = normalize_key(word)
        bucket = numbers.setdefault(key, [])
        if all(n.kind != kind for n in bucket):
            bucket.append(_Num(kind, int(value)))

    for kind, group in (
        ("unit", "units"),
        ("weak", "weak_units"),
        ("ten", "ten"),
        ("tens", "tens"),
        ("hundreds", "hundreds"),
        ("thousands", "thousands"),
        ("millions", "millions"),
    ):
        for word, value in nums[group].items():
            add_num(word, kind, value)
    multi_vague: dict[str, int] = {}
    for word, value in nums["vague"].items():
        key = normalize_key(word)
        if " " in key:
            multi_vague[key] = int(value)
        else:
            add_num(word, "vague", value)
    lex: Lexicon[tuple[str, str]] = Lexicon(article_optional=False)
    for status in STATUSES:
        for word in cas["status"][status]:
            lex.add(word, ("status", status))
            _add_article(lex, word, ("status", status))
    for who, words in cas["who"].items():
        for word in words:
            lex.add(word, ("who", who))
            _add_article(lex, word, ("who", who))
    for word in cas["other"]:
        lex.add(word, ("other", normalize_key(word)))
        _add_article(lex, word, ("other", normalize_key(word)))
    for word, q in nums["qualifiers_before"].items():
        lex.add(word, ("qb", q))
    for word, q in nums["qualifiers_after"].items():
        lex.add(word, ("qa", q))
    for word in nums["subset_before"]:
        lex.add(word, ("subset", ""))
    for word in nums["percent_after"]:
        lex.add(word, ("pct", ""))
    for word in nums["exclude_before"]:
        lex.add(word, ("excl", ""))
    for word in nums["age_before"]:
        lex.add(word, ("age_before", ""))
    for word in multi_vague:
        lex.add(word, ("mvague", word))
    duals = {normalize_key(k): (v[0], v[1]) for k, v in cas["duals"].items()}
    for word in duals:
        lex.add(word, ("dual", word))
    # indefinite singulars ("مقتل شخص"), their definite forms ("مقتل الطفل") and ranks ("قتل العقيد"): one person
    singular = frozenset(
        {normalize_key(w) for w in cas["singular_after_kill"]}
        | {"ال" + normalize_key(w) for w in cas["singular_after_kill"] if " " not in w}
        | {normalize_key(w) for w in cas["definite_titles"]}
        # accusative indefinites ("جنديًا", "طفلًا"): only before a killing verb (see find_quantities_norm)
        | {normalize_key(w) + "ا" for w in cas["singular_after_kill"] if " " not in w and not w.endswith("ة")}
    )
    vague_next = {normalize_key(k): normalize_key(v) for k, v in nums["vague_needs_next"].items()}
    pronoun = {normalize_key(k): v for k, v in cas["singular_pronoun"].items()}
    heads = frozenset(k.split(" ")[0] for k in multi_vague)
    not_before = frozenset(normalize_key(w) for w in nums["vague_not_after"])
    return _Res(numbers, lex, duals, singular, pronoun, vague_next, multi_vague, heads, not_before)


def _add_article(lex: Lexicon[tuple[str, str]], word: str, payload: tuple[str, str]) -> None:
    key = normalize_key(word)
    if " " not in key and not key.startswith("ال"):
        lex.add("ال" + key, payload)


class _Toks:
    """Tokens of the folded text as parallel lists (cheaper than one object per token)."""

    __slots__ = ("ends", "starts", "texts", "window_firsts")

    def __init__(self, text: str, windows: Sequence[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.texts: list[str] = []
        self.window_firsts: list[int] = []  # index of the first token of each window
        for a, b in windows:
            self.window_firsts.append(len(self.texts))
            for m in _TOK.finditer(text, a, b):
                self.starts.append(m.start())
                self.ends.append(m.end())
                self.texts.append(m.group())

    def __len__(self) -> int:
        return len(self.texts)


@dataclass(slots=True)
class _Ann:
    """Lexicon hit projected on tokens [ti, tj]."""

    kind: str
    cat: str
    ti: int
    tj: int
    nstart: int
    nend: int


@dataclass(slots=True)
class _Phrase:
    ti: int
    tj: int  # inclusive
    value: int
    vague: bool = False
    weak: bool = False
    digits: bool = False
    implicit: bool = False
    status: str | None = None
    who: str | None = None
    unit: str | None = None
    decimal: bool = False


class QuantityRecognizer:
    """Stage "quantities": appends ``quantity`` mentions (see module docstring)."""

    name = "quantities"
    requires: tuple[str, ...] = ("text", "mentions:date")  # numbers inside dates are not counts
    provides: tuple[str, ...] = ("mentions:quantity",)

    def __init__(self) -> None:
        _res()

    def __call__(self, doc: Document) -> Document:
        norm = norm_of(doc)
        blocked = [(m.start, m.end) for m in doc.mentions if m.kind == "date"]
        found = find_quantities_norm(norm, blocked)
        check_mentions(doc, len(found), self.name)
        for start, end, value, score in found:
            doc.mentions.append(
                Mention("quantity", Span.of(doc.text, start, end), value=value, source=SOURCE, score=score)
            )
        return doc


def find_quantities(
    text: str, blocked: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, value) of every quantity in ``text``; ``blocked`` are original ranges to skip (dates)."""
    from ..text.normalize import normalize

    return [(s, e, v) for s, e, v, _ in find_quantities_norm(normalize(text), blocked)]


def _lookup_num(word: str, res: _Res) -> tuple[str, list[_Num]] | None:
    """Number readings of a folded token, trying its proclitic splits ("وعشرين", "بالمئات")."""
    return _lookup_cached(word)


@lru_cache(maxsize=1 << 16)
def _lookup_cached(word: str) -> tuple[str, list[_Num]] | None:
    numbers = _res().numbers
    for prefix, stem in split_proclitics(word):
        got = numbers.get(stem)
        if got:
            return prefix, got
    return None


_DIGITS = re.compile(r"\d+")
_NUMBER_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
_THOUSANDS_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")
_CLOCK_AFTER = re.compile(r":\d")
_CLOCK_BEFORE = re.compile(r"\d:$")
_WIN_BEFORE = 90  # characters of context looked at around a candidate (about 8 words each side)
_WIN_AFTER = 110


def _int(digits: str) -> int | None:
    """``int`` of a digit run, or None when it is longer than Python converts (about 4,300 digits)."""
    try:
        return int(digits)
    except ValueError:
        return None


def _plain_number(word: str) -> tuple[int | float | None, bool]:
    """(value, is_thousands_dot) of a folded digit token: 1500, "1,500", "1.500" (thousands), "2.5", "2,5"."""
    if _THOUSANDS_COMMA.fullmatch(word):
        return _int(word.replace(",", "")), False
    if _THOUSANDS_DOT.fullmatch(word):
        return _int(word.replace(".", "")), True
    if word.isdecimal():
        return _int(word), False
    try:
        f = float(word.replace(",", "."))
    except ValueError:
        return None, False  # "1.2.3": a version or a date, not a number
    return (f if math.isfinite(f) else None), False


def parse_number(token: str) -> int | float | None:
    """The value of a number written in digits: Western, Arabic-Indic (١٢٣) or Persian (۱۲۳) digits, with
    ``,`` / ``٬`` or ``.`` as thousands separators ("1,500", "١٬٥٠٠", "1.500") and ``.`` / ``٫`` as the decimal
    point ("2.5", "٢٫٥"). Exact for any length Python converts ("١٢٣٤٥٦٧٨٩٠١٢٣" -> 1234567890123); None for
    anything else (words, mixed text, "1.2.3", runs of thousands of digits). Surrounding spaces are ignored."""
    word = normalize_key(token)
    if not _NUMBER_TOKEN.fullmatch(word):
        return None
    return _plain_number(word)[0]


@cache
def _candidate_automaton() -> Any:
    import ahocorasick

    res = _res()
    auto = ahocorasick.Automaton()
    keys = set(res.numbers) | set(res.duals) | set(res.pronoun) | set(res.singular) | set(res.vague_heads)
    for key in keys:
        auto.add_word(key, key)
    auto.make_automaton()
    return auto


def _candidate_windows(text: str) -> list[tuple[int, int]]:
    """Merged character windows around digits and candidate words (whole words after proclitics)."""
    points: list[int] = [m.start() for m in _DIGITS.finditer(text)]
    n = len(text)
    for end_incl, key in _candidate_automaton().iter(text):
        end = end_incl + 1
        if end < n and text[end].isalnum():
            continue
        start = end - len(key)
        wstart = start
        while wstart > 0 and text[wstart - 1].isalnum():
            wstart -= 1
        if wstart == start or _is_candidate(text[wstart:end]):
            points.append(start)
    if not points:
        return []
    points.sort()
    spans: list[tuple[int, int]] = []
    for p in points:
        if spans and p + _WIN_AFTER <= spans[-1][1]:
            continue  # inside the window already taken (keeps a long run without spaces, "1,1,1,...", linear)
        a, b = max(0, p - _WIN_BEFORE), min(n, p + _WIN_AFTER)
        floor = spans[-1][1] if spans else 0  # walking back past the previous window only merges with it
        while a > floor and not text[a - 1].isspace():  # never cut a word
            a -= 1
        while b < n and not text[b].isspace():
            b += 1
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


@lru_cache(maxsize=1 << 16)
def _is_candidate(word: str) -> bool:
    """Can this folded token start or be a count (number word, vague word, dual, "مصرعه", "شخص")?"""
    res = _res()
    for _prefix, stem in split_proclitics(word):
        if stem in res.numbers or stem in res.duals or stem in res.pronoun or stem in res.singular:
            return True
        if stem in res.vague_heads:
            return True
    return False


@lru_cache(maxsize=1 << 16)
def _pronoun_status(word: str) -> str | None:
    pronoun = _res().pronoun
    for _prefix, stem in split_proclitics(word):
        status = pronoun.get(stem)
        if status:
            return status
    return None


def find_quantities_norm(
    norm: NormText, blocked: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int, dict[str, Any], float]]:
    res = _res()
    text = norm.text
    # only text near something that can start a count (digits, number words, duals, "مصرعه"...) is looked
    # at: most of an article has none, and token-level Python work is the costly part
    spans = _candidate_windows(text)
    if not spans:
        return []
    toks = _Toks(text, spans)
    if not len(toks):
        return []
    starts = toks.starts
    ends = toks.ends
    # barriers[i]: what separates token i-1 from token i (0 none, 1 comma, 2 hard; windows are apart: 2)
    barriers = [0] * len(toks)
    for k in toks.window_firsts:
        if k < len(barriers):
            barriers[k] = 2
    for i in range(1, len(toks)):
        if barriers[i]:
            continue
        ga, gb = ends[i - 1], starts[i]
        if gb - ga == 1 and text[ga] == " ":
            continue
        gap = text[ga:gb]
        barriers[i] = 2 if _HARD.search(gap) else 1 if _SOFT.search(gap) else 0

    def tok_at(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    # lexicon annotations per token
    ann_start: dict[int, list[_Ann]] = {}
    ann_end: dict[int, list[_Ann]] = {}
    ann_cover: dict[int, _Ann] = {}
    hits = [h for lo, hi in spans for h in res.lexicon.find(norm, lo=lo, hi=hi)]
    for hit in hits:
        ti, tj = tok_at(hit.nstart), tok_at(hit.nend - 1)
        for payload in _order(hit.payloads):
            a = _Ann(payload[0], payload[1], ti, tj, hit.nstart, hit.nend)
            ann_start.setdefault(ti, []).append(a)
            ann_end.setdefault(tj, []).append(a)
            for k in range(ti, tj + 1):
                ann_cover.setdefault(k, a)

    def first(anns: list[_Ann] | None, kinds: tuple[str, ...]) -> _Ann | None:
        for a in anns or ():
            if a.kind in kinds:
                return a
        return None

    blocked_n = sorted(blocked)
    blocked_starts = [bs for bs, _ in blocked_n]
    reach = list(itertools.accumulate((be for _, be in blocked_n), max))  # furthest end among the first i+1

    def is_blocked(k: int) -> bool:
        """Whether token k overlaps a blocked range: some range starts before its end and ends after its
        start (bisect + running max of ends: linear in the document, not tokens x ranges)."""
        s, e = norm.to_original(starts[k], ends[k])
        i = bisect.bisect_left(blocked_starts, e)
        return i > 0 and reach[i - 1] > s

    # 1. number phrases
    phrases: list[_Phrase] = []
    used: set[int] = set()
    i = 0
    n = len(toks)
    texts = toks.texts
    cand_idx = [k for k, w in enumerate(texts) if w[0].isdecimal() or _is_candidate(w)]
    for i in cand_idx:
        if i in used:
            continue
        ph = _phrase_at(i, toks, res, barriers, ann_start)
        if ph is None:
            continue
        phrases.append(ph)
        used.update(range(ph.ti, ph.tj + 1))
    # duals: the noun is the count
    for k in sorted(ann_start):
        if k in used:
            continue
        dual = first(ann_start.get(k), ("dual",))
        if dual is None or dual.tj != k:
            continue
        status, who = res.duals[dual.cat]
        phrases.append(_Phrase(k, k, 2, implicit=True, status=status, who=who))
        used.add(k)
    phrases.sort(key=lambda p: p.ti)

    phrase_starts = {p.ti for p in phrases}
    out: list[tuple[int, int, dict[str, Any], float]] = []
    for ph in phrases:
        if ph.status == "__consumed__":
            continue
        if any(is_blocked(k) for k in range(ph.ti, ph.tj + 1)):
            continue
        if _excluded(ph, toks, text, barriers, ann_start, ann_end, first):
            continue
        value: dict[str, Any] = {
            "value": ph.value,
            "low": ph.value,
            "high": None if ph.vague else ph.value,
            "vague": ph.vague,
            "qualifier": None,
            "counted": None,
            "counted_span": None,
            "who": ph.who,
            "unit": None,
            "subset": False,
            "implicit": ph.implicit,
            "implausible": False,
        }
        span_ti, span_tj = ph.ti, ph.tj
        link_ph = ph
        # qualifier before (على الأقل / أكثر من / نحو / بين X و Y ...)
        qb = first(ann_end.get(ph.ti - 1), ("qb",)) if ph.ti > 0 and barriers[ph.ti] == 0 else None
        if qb is None and ph.ti > 1 and barriers[ph.ti] == 0 and toks.texts[ph.ti - 1] in ("ال", "لل"):
            qb = first(ann_end.get(ph.ti - 2), ("qb",))
        if qb is not None:
            value["qualifier"] = qb.cat
            span_ti = qb.ti
            if qb.cat == "between":
                other = _between_high(ph, phrases, toks)
                if other is None:
                    value["qualifier"] = None
                    span_ti = ph.ti
                else:
                    value["high"] = other.value
                    span_tj = other.tj
                    other.status = "__consumed__"
                    link_ph = _Phrase(ph.ti, other.tj, ph.value, digits=ph.digits)
            elif qb.cat in ("at_least", "more_than"):
                value["high"] = None
            elif qb.cat == "up_to":
                value["low"] = None
        # subset: بينهم / منهم right before (qualifier allowed in between)
        if span_ti > 0 and first(ann_end.get(span_ti - 1), ("subset",)) is not None:
            value["subset"] = True
        counted_ann, status, who, unit, after_end = _link(
            link_ph, toks, barriers, ann_start, ann_end, first, res
        )
        if status is None and ph.status:
            status = ph.status
        who = who or ph.who
        if ph.weak and (counted_ann is None or counted_ann.ti != ph.tj + 1):
            continue  # "أحد" counts only as "one of <noun>": "مقتل أحد عناصر التنظيم"  # "أحد" is counted only when it says "one of the killed/fighters"
        # qualifier after ("30 قتيلا على الأقل")
        if value["qualifier"] is None:
            for k in range(ph.tj + 1, min(after_end + 5, n)):
                if barriers[k] == 2 or k in phrase_starts:
                    break
                qa = first(ann_start.get(k), ("qa",))
                if qa is not None:
                    value["qualifier"] = qa.cat
                    value["high"] = None
                    break
        value["counted"] = status or who or ("other" if unit else None)
        value["who"] = who
        value["unit"] = unit
        value["implausible"] = ph.value > MAX_EVENT_COUNT and value["counted"] != "other"
        start, end = norm.to_original(toks.starts[span_ti], toks.ends[span_tj])
        if counted_ann is not None:
            cs, ce = norm.to_original(counted_ann.nstart, counted_ann.nend)
            value["counted_span"] = [cs, ce]
        elif ph.implicit and (status or who):
            value["counted_span"] = [start, end]  # a dual noun counts itself
        if qb is not None and span_ti == qb.ti:
            start = norm.to_original(qb.nstart, qb.nend)[0]  # the lexicon hit excludes glued proclitics
        else:
            # a glued proclitic (و، ب) is not part of the number: trim it from the span
            start = _trim_prefix(norm, toks, span_ti, start, res)
        score = 1.0 if value["counted"] else 0.6
        if ph.vague or ph.implicit:
            score -= 0.1
        out.append((start, end, value, round(score, 3)))
    # implicit singulars: "مقتل شخص", "أصيب جندي"
    taken = {k for ph in phrases for k in range(ph.ti, ph.tj + 1)}
    for k in cand_idx:
        if k == 0 or k in taken or barriers[k]:
            continue
        word = toks.texts[k]
        if word not in res.singular:
            continue
        if word.endswith("ا") and word[:-1] in res.singular:
            # an accusative singular counts only before its verb: "جنديا قتل", "طفلا استشهد" (news word order);
            # after it the number word follows ("قتل شخصا واحدا")
            alone = k - 1 not in taken and k + 1 < n and not barriers[k + 1]  # not "أصيب 12 مدنيا بجروح"
            prev = first(ann_start.get(k + 1), ("status",)) if alone else None
        elif k + 1 in taken:
            continue  # "قتل شخص واحد": the number word that follows is the count
        else:
            prev = first(ann_end.get(k - 1), ("status",))
        if (
            prev is None
            and k > 1
            and toks.texts[k - 1] in ("فيه", "فيها", "خلاله", "خلالها")
            and not barriers[k - 1]
        ):
            prev = first(ann_end.get(k - 2), ("status",))
        if prev is None or prev.cat not in ("killed", "wounded", "captured", "arrested"):
            continue
        if is_blocked(k):
            continue
        who_ann = first(ann_start.get(k), ("who",))
        tj = k
        if k + 1 < n and toks.texts[k + 1] == "صف" and not barriers[k + 1]:
            tj = k + 1
        start, end = norm.to_original(toks.starts[k], toks.ends[tj])
        ps, pe = norm.to_original(prev.nstart, prev.nend)
        value = {
            "value": 1,
            "low": 1,
            "high": 1,
            "vague": False,
            "qualifier": None,
            "counted": prev.cat,
            "counted_span": [ps, pe],
            "who": who_ann.cat if who_ann else None,
            "unit": None,
            "subset": False,
            "implicit": True,
            "implausible": False,
        }
        out.append((start, end, value, 0.7))
    # singular pronoun forms: "لقي ... مصرعه", "اغتياله", "إصابته" -> 1
    linked = [v["counted_span"] for _, _, v, _ in out if v["counted_span"]]
    for k in cand_idx:
        if k in taken:
            continue
        status = _pronoun_status(toks.texts[k])
        if status is None or is_blocked(k):
            continue
        start, end = norm.to_original(toks.starts[k], toks.ends[k])
        if any(cs < end and start < ce for cs, ce in linked):
            continue
        start = _trim_prefix(norm, toks, k, start, res)
        value = {
            "value": 1,
            "low": 1,
            "high": 1,
            "vague": False,
            "qualifier": None,
            "counted": status,
            "counted_span": [start, end],
            "who": None,
            "unit": None,
            "subset": False,
            "implicit": True,
            "implausible": False,
        }
        out.append((start, end, value, 0.6))
    out.sort(key=lambda x: x[0])
    return out


def _order(payloads: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """Status payloads in STATUSES priority first (one word may be listed as captured and arrested)."""
    prio = {s: i for i, s in enumerate(STATUSES)}
    return sorted(payloads, key=lambda p: (p[0] != "status", prio.get(p[1], 99)))


def _trim_prefix(norm: NormText, toks: _Toks, k: int, start: int, res: _Res) -> int:
    word = toks.texts[k]
    if word[:1].isdecimal():
        return start
    got = _lookup_num(word, res)
    prefix = got[0] if got else ""
    if got is None:
        for p, stem in split_proclitics(word)[1:]:
            if p in ("و", "ف", "ب", "ل", "وب", "فب", "ول", "لا") and len(stem) > 2:
                # only trim conjunction/preposition, keep an article that belongs to the word
                if res.lexicon.get(stem) or stem in res.numbers:
                    prefix = p
                    break
    if not prefix or prefix.startswith("ال"):
        return start
    keep = prefix[:-2] if prefix.endswith("ال") else prefix
    if not keep:
        return start
    s, _ = norm.to_original(toks.starts[k] + len(keep), toks.ends[k])
    return s


def _phrase_at(
    i: int,
    toks: _Toks,
    res: _Res,
    barriers: list[int],
    ann_start: dict[int, list[_Ann]],
) -> _Phrase | None:
    """A number phrase starting at token i, or None."""
    n = len(toks)
    word = toks.texts[i]
    if word[0].isdecimal():  # not isdigit: "²" is a digit to Python but no number (int("²") fails)
        if "." in word or "," in word:
            return _digits_phrase(i, toks, res, barriers)
        if i + 1 < n and barriers[i + 1] == 0 and toks.texts[i + 1] in ("ال",):
            return None
        val = _int(word)
        if val is None:
            return None
        ph = _Phrase(i, i, val, digits=True)
        # "2 مليون", "3 آلاف"
        if i + 1 < n and barriers[i + 1] == 0:
            got = _lookup_num(toks.texts[i + 1], res)
            if (
                got
                and got[0] == ""
                and got[1][0].kind in ("thousands", "millions", "vague")
                and got[1][0].value >= 1000
            ):
                ph.value = val * (got[1][0].value if got[1][0].value in (1000, 1000000, 1000000000) else 1)
                ph.tj = i + 1
        return ph
    # multi-word vague words ("عدد من", "عشرات الآلاف", "العديد من")
    for a in ann_start.get(i, ()):
        if a.kind == "mvague":
            if i > 0 and toks.texts[i - 1] in res.not_count_before:
                return None  # "أكبر عدد من الضحايا" is not "a number of victims"
            return _Phrase(i, a.tj, res.multi_vague[a.cat], vague=True)
    got = _lookup_num(word, res)
    if got is None:
        return None
    prefix, readings = got
    r = readings[0]
    if r.kind == "vague":
        stem = word[len(prefix) :]
        need = res.vague_next.get(stem)
        if need is not None:
            if i + 1 >= n or toks.texts[i + 1] != need:
                return None
            if i > 0 and toks.texts[i - 1] in res.not_count_before:
                return None  # "أكبر عدد من الضحايا" is not "a number of victims"
        ph = _Phrase(i, i, r.value, vague=True)
        if i + 1 < n and barriers[i + 1] == 0:
            nxt = _lookup_num(toks.texts[i + 1], res)
            if nxt and nxt[1][0].value == 1000 and nxt[0] in ("", "ال"):
                ph.value, ph.tj = r.value * 1000, i + 1  # عشرات الآلاف, مئات الآلاف
        return ph
    if r.kind == "ten" and prefix == "":
        # a bare "عشر" is "a tenth" as often as "ten": only عشرة / عشرا count alone
        if word == "عشر":
            return None
    total = 0
    cur = 0
    last_kind = ""
    j = i
    weak = r.kind == "weak"
    while j < n:
        if j > i and barriers[j]:
            break
        w = toks.texts[j]
        g = _lookup_num(w, res) if not w[0].isdecimal() else None
        if g is None:
            break
        pre, rd = g
        num = rd[0]
        if num.kind == "vague" and j > i:
            # "ثلاثة آلاف": آلاف after a number is the multiplier
            thousand = next((x for x in rd if x.kind == "thousands"), None)
            if thousand is None:
                break
            num = thousand
        if j > i:
            conj = pre.startswith("و")
            if num.kind in ("thousands", "millions") and not conj and last_kind != num.kind:
                pass
            elif num.kind == "ten" and not conj and last_kind in ("unit", "weak"):
                pass  # ثلاثة عشر
            elif num.kind == "hundreds" and not conj and last_kind == "unit" and num.value == 100:
                pass  # ثلاث مئة
            elif conj and last_kind in ("unit", "weak") and num.kind == "tens":
                pass  # خمسة وعشرين
            elif (
                conj
                and last_kind in ("hundreds", "thousands", "millions")
                and num.kind in ("unit", "tens", "ten", "hundreds")
            ):
                if last_kind == "hundreds" and num.kind == "hundreds":
                    break
                pass  # مئتين وخمسين, ألف وخمسمائة
            elif conj and last_kind == "thousands" and num.kind == "hundreds":
                pass
            else:
                break
        elif pre and pre not in ("و", "ف", "ب", "ل", "وب", "فب", "ول", "فل"):
            return (
                None  # with the article only vague words count ("المئة" is "percent", "الثلاثة" "the three")
            )
        if num.kind in ("unit", "weak", "ten", "tens"):
            if num.kind == "ten" and last_kind in ("unit", "weak"):
                cur += 10
            else:
                cur += num.value
        elif num.kind == "hundreds":
            if num.value == 100 and last_kind == "unit" and 0 < cur < 10:
                cur *= 100
            else:
                cur += num.value
        elif num.kind == "thousands":
            if num.value == 1000:
                total += (cur or 1) * 1000
            else:
                total += num.value + cur
            cur = 0
        elif num.kind == "millions":
            base = 1000000 if num.value % 1000000000 else 1000000000
            if num.value in (1000000, 1000000000):
                total += (cur or 1) * base
            else:
                total += num.value + cur
            cur = 0
        last_kind = num.kind
        j += 1
    if j == i:
        return None
    if j - i == 1 and readings[0].kind == "unit" and readings[0].value == 6 and word == "ست":
        # "ست" alone is also "lady"/"six": keep only when a counted noun follows (checked when linking)
        weak = True
    return _Phrase(i, j - 1, total + cur, weak=weak)


def _digits_phrase(i: int, toks: _Toks, res: _Res, barriers: list[int]) -> _Phrase | None:
    word = toks.texts[i]
    n = len(toks)
    mult = None
    if i + 1 < n and barriers[i + 1] == 0:
        got = _lookup_num(toks.texts[i + 1], res)
        if got and got[0] == "" and got[1][0].value in (1000, 1000000, 1000000000):
            mult = got[1][0].value
    num, thousands_dot = _plain_number(word)
    if thousands_dot and mult is not None:  # "2.500 مليون": with a multiplier the dot is a decimal point
        num = float(word) if word.count(".") == 1 else None
    if num is None:
        return None
    if isinstance(num, float):
        if mult is None:
            return _Phrase(i, i, int(num), digits=True, decimal=True)
        if not math.isfinite(num * mult):
            return None
        return _Phrase(i, i + 1, int(num * mult), digits=True)
    val = num
    if mult is not None:
        return _Phrase(i, i + 1, val * mult, digits=True)
    return _Phrase(i, i, val, digits=True)


def _excluded(
    ph: _Phrase, toks: _Toks, text: str, barriers: list[int], ann_start: Any, ann_end: Any, first: Any
) -> bool:
    n = len(toks)
    if ph.decimal:
        return True
    tok_start = toks.starts[ph.ti]
    if ph.digits:
        digits = toks.texts[ph.ti]
        if len(digits) >= 7 and digits.isdecimal():
            nxt = first(ann_start.get(ph.tj + 1), ("status", "who")) if ph.tj + 1 < n else None
            if nxt is None or barriers[ph.tj + 1]:
                return True  # phone numbers, ids (a run followed by "قتيلا" is a count, if implausible)
        # clock times 10:30 and scores 2-1
        after = text[toks.ends[ph.tj] : toks.ends[ph.tj] + 2]
        before = text[max(0, tok_start - 2) : tok_start]
        if _CLOCK_AFTER.match(after) or _CLOCK_BEFORE.search(before):
            return True
        if ph.tj == ph.ti and len(digits) == 4 and 1900 <= int(digits) <= 2100:
            nxt = first(ann_start.get(ph.tj + 1), ("status", "who", "dual")) if ph.tj + 1 < n else None
            if nxt is None:
                return True  # a year
    # percentages
    if ph.tj + 1 < n and barriers[ph.tj + 1] < 2 and first(ann_start.get(ph.tj + 1), ("pct",)) is not None:
        return True
    if text[toks.ends[ph.tj] : toks.ends[ph.tj] + 2].strip().startswith("%"):
        return True
    # unit names / article numbers: الفرقة 17, القرار 2254, رقم 5, الساعة 5
    if ph.ti > 0 and barriers[ph.ti] == 0 and first(ann_end.get(ph.ti - 1), ("excl",)) is not None:
        return True
    if ph.ti > 1 and toks.texts[ph.ti - 1] == "ال" and first(ann_end.get(ph.ti - 2), ("excl",)) is not None:
        return True
    # ages: "(25 عاما)", "يبلغ من العمر 30 عاما", "طفل عمره 12 سنة"
    if ph.tj + 1 < n:
        a = first(ann_start.get(ph.tj + 1), ("other",))
        if a is not None and a.cat in ("عاما", "عام", "سنه", "سنوات", "اعوام"):
            if "(" in text[max(0, tok_start - 3) : tok_start]:
                return True
            for k in range(max(0, ph.ti - 4), ph.ti):
                if first(ann_start.get(k), ("age_before",)) is not None:
                    return True
    return False


def _between_high(ph: _Phrase, phrases: list[_Phrase], toks: _Toks) -> _Phrase | None:
    """The Y of "بين X و Y": the next phrase, joined to X by و ("و15" is two tokens, "وعشرين" one)."""
    for other in phrases:
        if other.ti == ph.tj + 1 and toks.texts[other.ti].startswith("و"):
            return other
        if other.ti == ph.tj + 2 and toks.texts[ph.tj + 1] == "و":
            return other
    return None


def _link(
    ph: _Phrase,
    toks: _Toks,
    barriers: list[int],
    ann_start: dict[int, list[_Ann]],
    ann_end: dict[int, list[_Ann]],
    first: Any,
    res: _Res,
) -> tuple[_Ann | None, str | None, str | None, str | None, int]:
    """(counted annotation, status, who, unit, last token index of the counted noun) for a number phrase."""
    n = len(toks)
    status: str | None = None
    who: str | None = None
    unit: str | None = None
    counted: _Ann | None = None
    after_end = ph.tj
    # a. the noun right after the number ("5 قتلى", "ستة من مقاتلي", "12 شخصا")
    k = ph.tj + 1
    if k < n and barriers[k] == 0 and toks.texts[k] in _PARTITIVE:
        k += 1
    if k < n and barriers[k] == 0:
        a = first(ann_start.get(k), ("status", "who", "other"))
        if a is not None and toks.texts[k][: a.nstart - toks.starts[k]].startswith(("و", "ف")):
            a = None  # "قتل 5 وأصيب 10": a word glued to و opens the next clause
        if a is not None:
            counted = a
            after_end = a.tj
            if a.kind == "status":
                status = a.cat
            elif a.kind == "who":
                who = a.cat
            else:
                unit = a.cat
    # a'. numbers 1 and 2 follow their noun: "قتيل واحد", "شخص واحد"
    if counted is None and ph.ti > 0 and barriers[ph.ti] == 0 and ph.value in (1, 2) and not ph.digits:
        a = first(ann_end.get(ph.ti - 1), ("status", "who", "other"))
        if a is not None:
            counted = a
            if a.kind == "status":
                status = a.cat
            elif a.kind == "who":
                who = a.cat
            else:
                unit = a.cat
    if unit is not None:
        return counted, None, None, unit, after_end
    # b. the nearest casualty word before, in the same clause
    if status is None:
        k = ph.ti - 1
        steps = 0
        plain = False  # passed a word that is not و / من / a person noun / a qualifier
        while k >= 0 and steps < _MAX_BACK:
            if barriers[k + 1]:
                break
            a = first(ann_end.get(k), ("status",))
            if a is not None:
                status = a.cat
                if counted is None:
                    counted = a
                break
            if first(ann_end.get(k), ("other",)) is not None and k < ph.ti - 1:
                break
            word = toks.texts[k]
            if word[0].isdecimal() or _lookup_cached(word) is not None:
                if plain:
                    break  # "وأصيب 7 وفقدنا 50": the casualty word belongs to the other number
            elif word not in _COORD and first(ann_end.get(k), ("who", "qa", "qb")) is None:
                plain = True
            k -= 1
            steps += 1
    # c. a casualty verb shortly after ("27 شخصاً على الأقل قتلوا", "بين قتيل وجريح")
    if status is None:
        k = after_end + 1
        steps = 0
        while k < n and steps < _MAX_AFTER:
            if barriers[k]:
                break
            a = first(ann_start.get(k), ("status",))
            if a is not None:
                status = a.cat
                if counted is None:
                    counted = a
                break
            if _lookup_num(toks.texts[k], res) is not None or toks.texts[k][0].isdecimal():
                break
            k += 1
            steps += 1
    return counted, status, who, unit, after_end
