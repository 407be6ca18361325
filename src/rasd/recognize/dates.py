"""Date recogniser: absolute and relative Arabic date expressions -> ``date`` mentions (docs/mentions.md).

Works on the folded text (``rasd.text.normalize``: hamza, ta marbuta, Arabic-Indic digits folded) with
regular expressions built from the word lists in ``rasd/lang/ar/months.json`` and ``dates.json``; offsets are
mapped back to the original text. Relative expressions are resolved against ``doc.meta.published`` (the
anchor). Value of each mention::

    start, end      ISO dates (None when the expression needs an anchor and there is none)
    precision       ACLED time_precision: 1 day, 2 range of days / week, 3 month (None for year-only)
    relative        True when resolved against the anchor
    anchor          "published" when the anchor was used, else None
    type            "day", "range", "week", "month", "year" (year-only: background, never an event date)
    year_only       True for "عام 2011", "العام الماضي"...
    calendar        "gregorian" or "hijri"
    part            day part ("dawn", "morning", "evening", "night"...) or None
    future          True for "الخميس المقبل", "الشهر المقبل"...

Anchor calibration: the crawl date given as ``published`` may be one day after publication. When the text says
"اليوم الخميس" (or "أمس الأربعاء") and the published date is a Friday, the anchor moves back one day so that
"أمس" and weekdays resolve the way the article meant them.
"""

from __future__ import annotations

import bisect
import calendar
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

import regex
from hijridate import Gregorian, Hijri

from ..budget import check_mentions
from ..document import Document, Mention, Span
from ..lang import load
from ..text.normalize import is_clitic_prefix, norm_of, normalize_key

log = logging.getLogger(__name__)

SOURCE = "dates"
_B = r"(?<![\p{L}\p{N}])"  # word start
_E = r"(?![\p{L}\p{N}])"  # word end
_PRE = r"(?:[وف]?[بل]?)"  # proclitics glued before a date word (و ف ب ل), kept out of the span


def _alt(words: Iterable[str]) -> str:
    """Regex alternation of folded phrases, longest first, internal spaces matching any whitespace."""
    keys = sorted({normalize_key(w) for w in words if normalize_key(w)}, key=lambda k: (-len(k), k))
    return "(?:" + "|".join(r"\s+".join(regex.escape(p) for p in k.split(" ")) for k in keys) + ")"


def _fold_map(mapping: dict[str, Any]) -> dict[str, Any]:
    return {normalize_key(k): v for k, v in mapping.items()}


def _key(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class _Lex:
    months: dict[str, int]
    hmonths: dict[str, int]
    weekdays: dict[str, int]
    ordinals: dict[str, int]
    numbers: dict[str, int]
    parts: dict[str, str]
    units: dict[str, int]
    duals: dict[str, int]
    vague_days: dict[str, int]
    short_months: frozenset[str]
    words: dict[str, frozenset[str]] = field(default_factory=dict)


@cache
def _lex() -> _Lex:
    months = load("ar", "months")
    d = load("ar", "dates")
    nums = load("ar", "numbers")
    numbers: dict[str, int] = {}
    for group in ("units", "ten", "tens"):
        numbers.update(_fold_map(nums[group]))
    words = {
        k: frozenset(normalize_key(w) for w in d[k])
        for k in (
            "today",
            "today_blockers",
            "today_prev_blockers",
            "yesterday",
            "day_before_yesterday",
            "tomorrow",
            "day_after_tomorrow",
            "last_night",
            "tonight",
            "past_words",
            "next_words",
            "current_words",
            "month_context",
            "year_words",
            "ago",
            "within",
            "recent_days",
            "last_week",
            "this_week",
            "last_month",
            "this_month",
            "last_year",
            "this_year",
            "hijri_markers",
            "gregorian_markers",
        )
    }
    # months.json (shared with the page-header reader) uses ISO weekdays (Monday=1 .. Sunday=7); only the forms
    # with the article are weekday names on their own ("اثنين" is "two", "احد" is "one")
    weekdays = {k: (int(v) - 1) % 7 for k, v in _fold_map(months["weekdays"]).items() if k.startswith("ال")}
    gregorian: dict[str, int] = {}
    for group in ("gregorian_msa", "levantine", "maghrebi"):
        gregorian.update(_fold_map(months.get(group, {})))
    return _Lex(
        months=gregorian,
        hmonths=_fold_map(months["hijri"]),
        weekdays=weekdays,
        ordinals=_fold_map(d["ordinal_days"]),
        numbers=numbers,
        parts=_fold_map(d["day_parts"]),
        units=_fold_map(d["day_units"]),
        duals=_fold_map(d["dual_units"]),
        vague_days=_fold_map(d["vague_days"]),
        short_months=frozenset(k for k in gregorian if len(k) <= 3),
        words=words,
    )


@dataclass(frozen=True, slots=True)
class _Patterns:
    numeric_iso: regex.Pattern[str]
    numeric_dmy: regex.Pattern[str]
    numeric_dm: regex.Pattern[str]
    day_month: regex.Pattern[str]
    day_range: regex.Pattern[str]
    day_of_month: regex.Pattern[str]
    hijri: regex.Pattern[str]
    month_only: regex.Pattern[str]
    year_only: regex.Pattern[str]
    rel_year: regex.Pattern[str]
    rel_day: regex.Pattern[str]
    weekday: regex.Pattern[str]
    ago: regex.Pattern[str]
    within: regex.Pattern[str]
    recent: regex.Pattern[str]
    rel_period: regex.Pattern[str]
    triggers: dict[str, tuple[str, ...]] = field(default_factory=dict)


@cache
def _patterns() -> _Patterns:
    lx = _lex()
    w = lx.words
    mon = _alt(lx.months)
    hmon = _alt(lx.hmonths)
    wd = _alt(lx.weekdays)
    ordn = _alt(lx.ordinals)
    part = _alt(lx.parts)
    num = _alt(lx.numbers)
    rel_adj = _alt(w["past_words"] | w["next_words"] | w["current_words"] - {"هذا"})
    year_words = _alt(w["year_words"])
    gmark = _alt(w["gregorian_markers"])
    hmark = r"(?:ه|هجري[هة]?|للهجر[هة]|هجريا)"

    def dayg(n: str, o: str) -> str:
        return rf"(?:(?:ال)?(?P<{n}>\d{{1,2}})|(?P<{o}>{ordn}))"

    year_tail = (
        rf"(?:\s*,?\s*(?:من\s+)?(?:{year_words}\s+)?(?P<year>\d{{4,}})(?:\s*{gmark}{_E})?)?"
        rf"(?:\s+(?P<rel>{rel_adj}){_E})?"
    )
    month_block = rf"(?P<mon>{mon})(?:\s*[/\\(-]\s*(?P<mon2>{mon})\s*\)?)?"
    wd_prefix = (
        rf"(?:(?P<part>{part})\s+)?"
        rf"(?:(?:يوم\s+)?(?P<wd>{wd})\s*,?\s*(?:الموافق\s+|الماضي\s+|المقبل\s+)?)?"
    )
    months_k = tuple(lx.months)
    past_k = tuple(w["past_words"])
    triggers = {
        "day_month": months_k,
        "day_range": months_k,
        "month_only": months_k,
        "day_of_month": ("شهر",),
        "hijri": tuple(lx.hmonths),
        "rel_year": tuple(k.split(" ")[-1] for k in w["last_year"] | w["this_year"]),
        "rel_day": tuple(
            k.split(" ")[-1]
            for k in w["day_before_yesterday"]
            | w["yesterday"]
            | w["last_night"]
            | w["today"]
            | w["tonight"]
            | w["tomorrow"]
            | w["day_after_tomorrow"]
        ),
        "weekday": tuple(lx.weekdays),
        "ago": tuple(w["ago"]),
        "within": past_k,
        "recent": past_k,
        "rel_period": ("الاسبوع", "الشهر"),
    }
    return _Patterns(
        triggers=triggers,
        numeric_iso=regex.compile(r"(?<![\d/.\-])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d])"),
        numeric_dmy=regex.compile(
            r"(?<![\d/.\-]\s?)(?P<d>\d{1,2})\s?(?P<sep>[-/.])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<y>\d{4}|\d{2})(?![\d])"
            rf"(?P<mark>\s*(?:{hmark}|{gmark}){_E})?"
        ),
        numeric_dm=regex.compile(
            r"(?<![\p{L}\p{N}])(?P<pre>يوم|بتاريخ|تاريخ)\s+(?P<d>\d{1,2})\s?/\s?(?P<m>\d{1,2})(?![\d/])"
        ),
        day_month=regex.compile(
            rf"{_B}{_PRE}(?P<body>{wd_prefix}{dayg('d', 'od')}\s*(?:من\s+)?(?:شهر\s+)?{month_block}{year_tail}){_E}"
        ),
        day_range=regex.compile(
            rf"{_B}{_PRE}(?P<body>(?:(?:بين|من)\s+)?{dayg('d', 'od')}\s*(?:-|الى|حتى|و|/)\s*{dayg('d2', 'od2')}"
            rf"\s*(?:من\s+)?(?:شهر\s+)?{month_block}{year_tail}){_E}"
        ),
        day_of_month=regex.compile(
            rf"{_B}{_PRE}(?P<body>{wd_prefix}{dayg('d', 'od')}\s+من\s+(?:هذا\s+)?(?:ال)?شهر\s*(?P<rel>{rel_adj})?){_E}"
        ),
        hijri=regex.compile(
            rf"{_B}{_PRE}(?P<body>(?:{dayg('d', 'od')}\s*(?:من\s+)?|شهر\s+)(?:شهر\s+)?(?P<hmon>{hmon})"
            rf"(?:\s*,?\s*(?:من\s+)?(?:{year_words}\s+)?(?P<year>\d{{4,}})\s*(?:{hmark}{_E})?)?){_E}"
        ),
        month_only=regex.compile(
            rf"{_B}(?:(?P<ctx>{_alt(w['month_context'])})\s+)?{_PRE}(?P<body>(?:شهر\s+)?{month_block}{year_tail}){_E}"
        ),
        year_only=regex.compile(
            rf"{_B}(?:(?P<yw>{year_words}|منذ|حتى)\s+)?(?P<body>(?P<year>\d{{4}})(?P<mark>\s*(?:{gmark}|{hmark}){_E})?)(?!\d)"
        ),
        rel_year=regex.compile(rf"{_B}{_PRE}(?P<body>{_alt(w['last_year'] | w['this_year'])}){_E}"),
        rel_day=regex.compile(
            rf"{_B}{_PRE}(?P<body>(?:(?P<part>{part})\s+)?(?:يوم\s+)?"
            rf"(?P<rel>{_alt(w['day_before_yesterday'] | w['yesterday'] | w['last_night'] | w['today'] | w['tonight'] | w['tomorrow'] | w['day_after_tomorrow'])})"
            rf"(?:\s*\(?\s*(?P<wd>{wd})\s*\)?)?){_E}(?=\s+(?P<next>\p{{L}}+))?"
        ),
        weekday=regex.compile(
            rf"{_B}(?P<since>منذ\s+)?{_PRE}(?P<body>(?:(?P<part>{part})\s+)?(?:يوم\s+)?(?P<wd>{wd})"
            rf"(?:\s+(?P<rel>{_alt(w['past_words'] | w['next_words'])}))?){_E}"
        ),
        ago=regex.compile(
            rf"{_B}{_PRE}(?P<body>(?P<ago>{_alt(w['ago'])})\s+(?:(?:ال)?(?P<n>\d{{1,3}}|{num})\s*)?"
            rf"(?P<unit>{_alt(set(lx.units) | set(lx.duals) | set(lx.vague_days))})){_E}"
        ),
        within=regex.compile(
            rf"{_B}{_PRE}(?P<body>(?:(?:{_alt(w['within'])})\s+)?(?:ال)?(?:(?P<n1>\d{{1,3}}|{num})\s*)?"
            rf"(?P<unit>{_alt(set(lx.units) | set(lx.duals))})\s+(?:(?:ال)?(?P<n2>\d{{1,3}}|{num})\s+)?"
            rf"(?:القليله\s+)?(?P<adj>{_alt(w['past_words'])})){_E}"
        ),
        recent=regex.compile(
            rf"{_B}{_PRE}(?P<body>(?:(?:{_alt(w['within'])})\s+)?(?:{_alt(w['recent_days'])})){_E}"
        ),
        rel_period=regex.compile(
            rf"{_B}{_PRE}(?P<body>(?:(?:{_alt(w['within'])})\s+)?"
            rf"(?P<period>{_alt(w['last_week'] | w['this_week'] | w['last_month'] | w['this_month'])})){_E}"
        ),
    )


# ----------------------------------------------------------------------------------------------------------------
# candidates


@dataclass(slots=True)
class _Cand:
    start: int  # folded offsets of the body
    end: int
    spec: dict[str, Any]
    prio: int = 0


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _num(text: str | None, lx: _Lex) -> int | None:
    if not text:
        return None
    t = _key(text)
    if t.isdigit():
        return int(t)
    return lx.numbers.get(t)


def _day_of(m: regex.Match[str], n: str, o: str, lx: _Lex) -> int | None:
    if m.group(n):
        return int(m.group(n))
    if m.group(o):
        return lx.ordinals.get(_key(m.group(o)))
    return None


def _year4(text: str | None) -> int | None:
    if not text or len(text) != 4:
        return None
    y = int(text)
    return y if 1900 <= y <= 2100 else None


def _bad_year(text: str | None) -> bool:
    """A year is written but is no year of news ("مايو 99999", "15 مايو 1436"): the date must stay null, not
    take the anchor's year."""
    return bool(text) and _year4(text) is None


@cache
def _trigger_automaton() -> Any:
    """One Aho-Corasick automaton over every pattern's trigger words: key -> names of the patterns it wakes."""
    import ahocorasick

    by_key: dict[str, set[str]] = {}
    for name, keys in _patterns().triggers.items():
        for key in keys:
            by_key.setdefault(key, set()).add(name)
    auto = ahocorasick.Automaton()
    for key, names in by_key.items():
        auto.add_word(key, (len(key), tuple(sorted(names))))
    auto.make_automaton()
    return auto


_YEAR4 = re.compile(r"\d{4}")


def _trigger_windows(text: str, before: int = 70, after: int = 90) -> dict[str, list[tuple[int, int]]]:
    """Per pattern, merged text windows around whole-word occurrences of its trigger words (one C-speed pass)."""
    raw: dict[str, list[tuple[int, int]]] = {}
    n = len(text)
    for end_incl, (length, names) in _trigger_automaton().iter(text):
        end = end_incl + 1
        if end < n and text[end].isalpha():
            continue
        pos = end - length
        if length <= 3 and pos > 0 and text[pos - 1].isalpha():
            wstart = pos - 1
            while wstart > 0 and text[wstart - 1].isalpha():
                wstart -= 1
            if pos - wstart > 3 or not is_clitic_prefix(text[wstart:pos]):
                continue  # short words ("اب", "شهر", "منذ") only whole or behind a proclitic
        span = (max(0, pos - before), min(n, end + after))
        for name in names:
            raw.setdefault(name, []).append(span)
    raw["year_only"] = [(max(0, m.start() - 40), min(n, m.end() + 20)) for m in _YEAR4.finditer(text)]
    out: dict[str, list[tuple[int, int]]] = {}
    for name, spans in raw.items():
        if not spans:
            continue
        spans.sort()
        merged = [spans[0]]
        for a, b in spans[1:]:
            if a <= merged[-1][1]:
                if b > merged[-1][1]:
                    merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        out[name] = merged
    return out


def _iter(
    p: _Patterns, name: str, text: str, windows: dict[str, list[tuple[int, int]]]
) -> list[regex.Match[str]]:
    """Matches of one pattern, searched only near its trigger words (the patterns are costly to run over the
    whole text; every match contains a trigger word)."""
    pat: regex.Pattern[str] = getattr(p, name)
    if name not in p.triggers and name != "year_only":
        return list(pat.finditer(text))
    out: list[regex.Match[str]] = []
    for a, b in windows.get(name, ()):
        out.extend(pat.finditer(text, a, b))
    return out


def _find(norm_text: str) -> list[_Cand]:
    p = _patterns()
    lx = _lex()
    w = lx.words
    out: list[_Cand] = []
    windows = _trigger_windows(norm_text)

    def add(m: regex.Match[str], spec: dict[str, Any], prio: int, group: str = "body") -> None:
        out.append(_Cand(m.start(group), m.end(group), spec, prio))

    for m in p.numeric_iso.finditer(norm_text):
        dd = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if dd and 1900 <= dd.year <= 2100:
            out.append(_Cand(m.start(), m.end(), {"kind": "abs", "start": dd, "end": dd}, 5))
    for m in p.numeric_dmy.finditer(norm_text):
        y = int(m["y"])
        if len(m["y"]) == 2:
            if m["sep"] != "/":
                continue
            y += 2000
        if 1343 <= y <= 1500:  # a Hijri year: "10 / 1 / 1436هـ"
            hd = _hijri_to_g(y, int(m["m"]), int(m["d"]))
            if hd is not None:
                out.append(
                    _Cand(m.start(), m.end(), {"kind": "abs", "start": hd, "end": hd, "hijri": True}, 5)
                )
            continue
        dd = _safe_date(y, int(m["m"]), int(m["d"]))
        if dd and 1900 <= dd.year <= 2100:
            out.append(_Cand(m.start(), m.end(), {"kind": "abs", "start": dd, "end": dd}, 5))
    for m in p.numeric_dm.finditer(norm_text):  # "منذ يوم 24/ 7": day/month, the year from the anchor
        day_n, mo = int(m["d"]), int(m["m"])
        if 1 <= day_n <= 31 and 1 <= mo <= 12:
            spec = {"kind": "dm", "day": day_n, "month": mo, "year": None, "rel": None, "part": None}
            out.append(_Cand(m.start(), m.end(), spec, 5))
    for m in _iter(p, "day_range", norm_text, windows):
        d1, d2 = _day_of(m, "d", "od", lx), _day_of(m, "d2", "od2", lx)
        month = lx.months[_key(m["mon"])]
        if d1 and d2 and 1 <= d1 < d2 <= 31:
            spec = {
                "kind": "dm_range",
                "d1": d1,
                "d2": d2,
                "month": month,
                "year": _year4(m["year"]),
                "year_invalid": _bad_year(m["year"]),
                "rel": m["rel"],
            }
            add(m, spec, 6)
    for m in _iter(p, "day_month", norm_text, windows):
        d1 = _day_of(m, "d", "od", lx)
        if d1 is None:
            continue
        # an impossible day ("32 أيار", "0 مايو") is kept as a date that does not exist (null, invalid), so the
        # month alone is not read from it
        month = lx.months[_key(m["mon"])]
        spec = {
            "kind": "dm",
            "day": d1,
            "month": month,
            "year": _year4(m["year"]),
            "year_invalid": _bad_year(m["year"]),
            "rel": m["rel"],
            "part": lx.parts.get(_key(m["part"] or "")),
        }
        if m["wd"]:
            spec["wd"] = lx.weekdays[_key(m["wd"])]
        add(m, spec, 5)
    for m in _iter(p, "day_of_month", norm_text, windows):
        d1 = _day_of(m, "d", "od", lx)
        if d1 and 1 <= d1 <= 31:
            add(
                m, {"kind": "dom", "day": d1, "rel": m["rel"], "part": lx.parts.get(_key(m["part"] or ""))}, 5
            )
    for m in _iter(p, "hijri", norm_text, windows):
        d1 = _day_of(m, "d", "od", lx)
        spec = {"kind": "hijri", "day": d1, "month": lx.hmonths[_key(m["hmon"])], "year": m["year"]}
        if d1 is None and not m["year"]:
            continue  # "شهر رمضان" alone: too vague (and رجب/صفر are names and words)
        add(m, spec, 4)
    for m in _iter(p, "month_only", norm_text, windows):
        if not (m["ctx"] or m["year"] or m["rel"] or m["body"].startswith("شهر")):
            continue  # bare "مارس" is also a verb, "آب" folds to "اب" (father)
        has_shahr = m["body"].startswith("شهر") or "شهر" in (m["ctx"] or "")
        if _key(m["mon"]) in lx.short_months and not (m["year"] or m["mon2"] or has_shahr):
            continue  # "في باب" is ب + "اب": a two-letter month needs a year, "شهر" or its MSA twin
        if m.start("body") > 0 and norm_text[m.start("body") - 1].isalpha() and len(_key(m["mon"])) <= 3:
            continue
        month = lx.months[_key(m["mon"])]
        spec = {"kind": "month", "month": month, "year": _year4(m["year"]), "rel": m["rel"]}
        spec["year_invalid"] = _bad_year(m["year"])
        add(m, spec, 3)
    for m in _iter(p, "year_only", norm_text, windows):
        y = int(m["year"])
        mark = _key(m["mark"] or "")
        if mark in w["hijri_markers"] or mark == "ه":
            if 1343 <= y <= 1500:
                add(m, {"kind": "hyear", "year": y}, 2)
            continue
        if not (m["yw"] or mark) or not 1900 <= y <= 2100:
            continue
        body_start = m.start("yw") if m["yw"] and _key(m["yw"]) in w["year_words"] else m.start("body")
        out.append(_Cand(body_start, m.end("body"), {"kind": "year", "year": y}, 2))
    for m in _iter(p, "rel_year", norm_text, windows):
        add(m, {"kind": "rel_year", "last": _key(m["body"]) in w["last_year"]}, 2)
    for m in _iter(p, "rel_day", norm_text, windows):
        rel = _key(m["rel"])
        nxt = _key(m["next"] or "")
        prev = _prev_word(norm_text, m.start())
        if rel in w["today"] and not m["wd"] and not m["part"]:
            if nxt in w["today_blockers"] or prev in w["today_prev_blockers"]:
                continue
        if rel in w["tonight"] and not m["part"] and nxt in w["today_blockers"]:
            continue
        if rel in w["day_after_tomorrow"]:
            off = 2
        elif rel in w["tomorrow"]:
            off = 1
        elif rel in w["day_before_yesterday"]:
            off = -2
        elif rel in w["yesterday"] or rel in w["last_night"]:
            off = -1
        else:
            off = 0
        spec = {"kind": "rel_day", "off": off, "part": lx.parts.get(_key(m["part"] or ""))}
        if rel in w["last_night"]:
            spec["part"] = "night"
        if m["wd"]:
            spec["wd"] = lx.weekdays[_key(m["wd"])]
        add(m, spec, 4)
    for m in _iter(p, "weekday", norm_text, windows):
        rel = _key(m["rel"] or "")
        spec = {
            "kind": "weekday",
            "wd": lx.weekdays[_key(m["wd"])],
            "past": rel in w["past_words"],
            "next": rel in w["next_words"],
            "since": bool(m["since"]),
            "part": lx.parts.get(_key(m["part"] or "")),
        }
        out.append(_Cand(m.start("since") if m["since"] else m.start("body"), m.end("body"), spec, 3))
    for m in _iter(p, "ago", norm_text, windows):
        unit = _key(m["unit"])
        n = _num(m["n"], lx)
        if unit in lx.duals:
            days, vague = lx.duals[unit], False
            if n is not None:
                continue
        elif n is not None and unit in lx.units:
            days, vague = n * lx.units[unit] if lx.units[unit] else (n + 23) // 24, False
            if unit in lx.vague_days and lx.units[unit] == 0:
                days = max(days, 1)
        elif n is None and unit in lx.vague_days:
            days, vague = lx.vague_days[unit], True
        elif n is None and unit in lx.units and unit in ("يوم", "اسبوع"):
            days, vague = lx.units[unit], False  # "قبل يوم" / "منذ أسبوع"
        else:
            continue
        spec = {
            "kind": "ago",
            "days": days,
            "vague": vague,
            "week": unit.startswith("اسب") or unit.startswith("اسا"),
        }
        add(m, spec, 4)
    for m in _iter(p, "within", norm_text, windows):
        unit = _key(m["unit"])
        n = _num(m["n1"], lx) or _num(m["n2"], lx)
        if unit in lx.duals:
            days = lx.duals[unit] or 1
        elif n is not None:
            days = n * lx.units[unit] if lx.units[unit] else max(1, (n + 23) // 24)
        else:
            continue
        add(m, {"kind": "within", "days": days}, 5)
    for m in _iter(p, "recent", norm_text, windows):
        hours = "ساع" in m["body"]
        add(m, {"kind": "within", "days": 1 if hours else 7, "vague": True}, 3)
    for m in _iter(p, "rel_period", norm_text, windows):
        per = _key(m["period"])
        kind = (
            "last_week"
            if per in w["last_week"]
            else "this_week"
            if per in w["this_week"]
            else "last_month"
            if per in w["last_month"]
            else "this_month"
        )
        add(m, {"kind": kind}, 4)
    return _select(out)


def _prev_word(text: str, pos: int) -> str:
    m = _PREV_WORD.search(text, max(0, pos - 40), pos)
    return m.group(1) if m else ""


_PREV_WORD = regex.compile(r"(\p{L}+)\s+$")


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, longest (then highest priority) first."""
    cands.sort(key=lambda c: (-(c.end - c.start), -c.prio, c.start))
    taken: list[_Cand] = []  # disjoint, kept sorted by start: one bisect per candidate (linear on long pages)
    starts: list[int] = []
    for c in cands:
        i = bisect.bisect_left(starts, c.start)
        # the taken spans are disjoint: only the neighbours of c's start can overlap it
        if (i > 0 and taken[i - 1].end > c.start) or (i < len(taken) and taken[i].start < c.end):
            continue
        taken.insert(i, c)
        starts.insert(i, c.start)
    return taken


# ----------------------------------------------------------------------------------------------------------------
# resolution


def _recent_weekday(ref: date, wd: int, *, strict: bool = False) -> date:
    """The most recent ``wd`` on or before ``ref`` (strictly before with ``strict``)."""
    back = (ref.weekday() - wd) % 7
    if strict and back == 0:
        back = 7
    return ref - timedelta(days=back)


def _next_weekday(ref: date, wd: int) -> date:
    ahead = (wd - ref.weekday()) % 7
    return ref + timedelta(days=ahead or 7)


def _infer_year(month: int, day: int | None, anchor: date | None, rel: str | None) -> int | None:
    """Year of a day/month written without one: the latest that is not more than a month after the anchor."""
    if anchor is None:
        return None
    w = _lex().words
    rel = _key(rel or "")
    if rel in w["past_words"]:
        return (
            anchor.year if (month, day or 1) < (anchor.month, anchor.day if day else 1) else anchor.year - 1
        )
    if rel in w["next_words"]:
        return anchor.year if (month, day or 31) > (anchor.month, anchor.day) else anchor.year + 1
    cand = _safe_date(anchor.year, month, min(day or 1, _days_in(anchor.year, month)))
    if cand is not None and cand > anchor + timedelta(days=31):
        return anchor.year - 1
    return anchor.year


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _days_in(year, month))


def _hijri_to_g(y: int, m: int, d: int) -> date | None:
    try:
        g = Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


def _hijri_month_range(y: int, m: int) -> tuple[date, date] | None:
    start = _hijri_to_g(y, m, 1)
    if start is None:
        return None
    try:
        length = Hijri(y, m, 1).month_length()
    except (ValueError, OverflowError):
        return None
    return start, start + timedelta(days=length - 1)


def _calibrate(cands: list[_Cand], published: date | None) -> date | None:
    """Move the anchor back one day when "اليوم/أمس + weekday" says the crawl date is a day late."""
    if published is None:
        return None
    votes_same = votes_back = 0
    for c in cands:
        s = c.spec
        if s["kind"] != "rel_day" or "wd" not in s:
            continue
        said = published + timedelta(days=s["off"])
        if said.weekday() == s["wd"]:
            votes_same += 1
        elif (said - timedelta(days=1)).weekday() == s["wd"]:
            votes_back += 1
    if votes_back > votes_same:
        return published - timedelta(days=1)
    return published


def _resolve(spec: dict[str, Any], anchor: date | None) -> dict[str, Any]:
    kind = spec["kind"]
    v: dict[str, Any] = {
        "start": None,
        "end": None,
        "precision": 1,
        "relative": False,
        "anchor": None,
        "type": "day",
        "year_only": False,
        "calendar": "gregorian",
        "part": spec.get("part"),
        "future": False,
        "invalid": False,
    }
    start: date | None = None
    end: date | None = None
    uses_anchor = False
    if kind == "abs":
        start, end = spec["start"], spec["end"]
        if spec.get("hijri"):
            v["calendar"] = "hijri"
    elif kind in ("dm", "dm_range"):
        year = spec["year"]
        day = int(spec.get("day") or spec.get("d1") or 0)
        if spec.get("year_invalid"):
            v["invalid"] = True
        elif not 1 <= day <= 31:
            v["invalid"] = True
        else:
            if year is None:
                year = _infer_year(spec["month"], day, anchor, spec.get("rel"))
                uses_anchor = True
            if year is not None:
                start = _safe_date(year, spec["month"], day)
                end = _safe_date(year, spec["month"], spec["d2"]) if kind == "dm_range" else start
                if start is None or end is None:
                    start = end = None
                    v["invalid"] = True  # 31 شباط, 30 فبراير, 29 فبراير 2017
        if kind == "dm_range":
            v["precision"], v["type"] = 2, "range"
    elif kind == "dom":
        uses_anchor = True
        if anchor is not None:
            rel = _key(spec.get("rel") or "")
            y, mth = anchor.year, anchor.month
            if rel in _lex().words["past_words"]:
                y, mth = (y, mth - 1) if mth > 1 else (y - 1, 12)
            elif rel in _lex().words["next_words"]:
                y, mth = (y, mth + 1) if mth < 12 else (y + 1, 1)
                v["future"] = True
            start = end = _safe_date(y, mth, spec["day"])
    elif kind == "hijri":
        v["calendar"] = "hijri"
        hy = int(spec["year"]) if spec["year"] else None
        if hy is None and anchor is not None:
            uses_anchor = True
            ah = Gregorian(anchor.year, anchor.month, anchor.day).to_hijri()
            hy = ah.year if spec["month"] <= ah.month else ah.year - 1
        if hy is not None:
            if spec["day"]:
                start = end = _hijri_to_g(hy, spec["month"], spec["day"])
                v["invalid"] = start is None  # 30 محرم 1436, 31 رمضان, a year hijridate does not cover
            else:
                rng = _hijri_month_range(hy, spec["month"])
                if rng:
                    start, end = rng
                v["precision"], v["type"] = 3, "month"
    elif kind == "month":
        v["precision"], v["type"] = 3, "month"
        year = spec["year"]
        if spec.get("year_invalid"):
            v["invalid"] = True
        elif year is None:
            uses_anchor = True
            year = _infer_year(spec["month"], None, anchor, spec.get("rel"))
            if (
                year is not None
                and anchor is not None
                and _key(spec.get("rel") or "") in _lex().words["past_words"]
            ):
                year = anchor.year if spec["month"] < anchor.month else anchor.year - 1
        if year is not None:
            start, end = _month_range(year, spec["month"])
            v["future"] = anchor is not None and start > anchor
    elif kind in ("year", "hyear", "rel_year"):
        v.update(precision=None, type="year", year_only=True)
        if kind == "year":
            start, end = date(spec["year"], 1, 1), date(spec["year"], 12, 31)
        elif kind == "hyear":
            v["calendar"] = "hijri"
            s = _hijri_to_g(spec["year"], 1, 1)
            e = _hijri_to_g(spec["year"] + 1, 1, 1) if spec["year"] < 1500 else None
            if s and e:
                start, end = s, e - timedelta(days=1)
        else:
            uses_anchor = True
            if anchor is not None:
                y = anchor.year - 1 if spec["last"] else anchor.year
                start, end = date(y, 1, 1), date(y, 12, 31)
    else:
        uses_anchor = True
        if anchor is not None:
            start, end = _resolve_relative(spec, anchor, v)
        else:
            _resolve_relative(spec, date(2000, 1, 1), v)  # fills precision/type only
    v["start"] = start.isoformat() if start else None
    v["end"] = end.isoformat() if end else None
    if uses_anchor:
        v["relative"] = True
        v["anchor"] = "published" if anchor is not None else None
    if start is None:
        v["future"] = bool(v["future"])
    return v


def _resolve_safe(spec: dict[str, Any], anchor: date | None) -> dict[str, Any]:
    """:func:`_resolve`, with null dates when the anchor is outside what dates can reach.

    Why: the anchor is the page's own publication date, which a hostile or broken page may set to 0001-01-01
    or 9999-12-31 ("أمس" would fall before year 1; hijridate covers 1924-2077 only)."""
    try:
        return _resolve(spec, anchor)
    except (OverflowError, ValueError):
        log.debug("date %s not resolvable against anchor %s", spec.get("kind"), anchor)
    try:
        value = _resolve(spec, None)
    except (OverflowError, ValueError):  # pragma: no cover - every spec resolves without an anchor
        value = _resolve({"kind": "abs", "start": None, "end": None}, None)
    value["relative"], value["anchor"] = True, None
    return value


def _resolve_relative(spec: dict[str, Any], anchor: date, v: dict[str, Any]) -> tuple[date, date]:
    kind = spec["kind"]
    if kind == "rel_day":
        ref = anchor + timedelta(days=spec["off"])
        if spec["off"] > 0:
            v["future"] = True
            if "wd" in spec:
                ref = _next_weekday(anchor, spec["wd"]) if ref.weekday() != spec["wd"] else ref
            return ref, ref
        if "wd" in spec:
            ref = _recent_weekday(ref, spec["wd"])
        return ref, ref
    if kind == "weekday":
        if spec["next"]:
            v["future"] = True
            d = _next_weekday(anchor, spec["wd"])
            return d, d
        d = _recent_weekday(anchor, spec["wd"], strict=spec["past"])
        if spec["since"]:
            v["precision"], v["type"] = 2, "range"
            return d, anchor
        return d, d
    if kind == "ago":
        days = spec["days"]
        if spec["vague"]:
            v["precision"], v["type"] = 2, "range"
            return anchor - timedelta(days=days), anchor - timedelta(days=1) if days > 1 else anchor
        if spec["week"]:
            v["precision"], v["type"] = 2, "week"
            d = anchor - timedelta(days=days)
            return d, d + timedelta(days=6)
        d = anchor - timedelta(days=days)
        return d, d
    if kind == "within":
        v["precision"], v["type"] = 2, "range"
        return anchor - timedelta(days=spec["days"]), anchor
    if kind == "last_week":
        v["precision"], v["type"] = 2, "week"
        return anchor - timedelta(days=7), anchor - timedelta(days=1)
    if kind == "this_week":
        v["precision"], v["type"] = 2, "week"
        sat = _recent_weekday(anchor, 5)
        return sat, anchor
    if kind == "last_month":
        v["precision"], v["type"] = 3, "month"
        y, m = (anchor.year, anchor.month - 1) if anchor.month > 1 else (anchor.year - 1, 12)
        return _month_range(y, m)
    if kind == "this_month":
        v["precision"], v["type"] = 3, "month"
        return date(anchor.year, anchor.month, 1), anchor
    raise ValueError(f"unknown relative date kind {kind}")


def find_dates(text: str, published: date | None = None) -> list[tuple[int, int, dict[str, Any]]]:
    """(start, end, value) for every date expression in ``text`` (original offsets)."""
    from ..text.normalize import normalize

    return _spans(normalize(text), published)


def _spans(norm: Any, published: date | None) -> list[tuple[int, int, dict[str, Any]]]:
    if isinstance(published, datetime):
        published = published.date()  # a datetime would not compare with the dates computed here
    cands = _find(norm.text)
    anchor = _calibrate(cands, published)
    out = []
    for c in cands:
        start, end = norm.to_original(c.start, c.end)
        value = _resolve_safe(c.spec, anchor)
        if anchor is not None and published is not None and anchor != published and value["anchor"]:
            value["anchor_date"] = anchor.isoformat()
        out.append((start, end, value))
    return out


class DateRecognizer:
    """Stage "dates": appends ``date`` mentions (see module docstring for the value)."""

    name = "dates"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("mentions:date",)

    def __init__(self) -> None:
        _patterns()  # compile once, at pipeline build time

    def __call__(self, doc: Document) -> Document:
        norm = norm_of(doc)
        found = _spans(norm, doc.meta.published)
        check_mentions(doc, len(found), self.name)
        for start, end, value in found:
            score = 0.6 if value["year_only"] else 0.9 if value["relative"] else 1.0
            doc.mentions.append(
                Mention(
                    "date", Span.of(doc.text, start, end), value=value, entry=None, source=SOURCE, score=score
                )
            )
        return doc
