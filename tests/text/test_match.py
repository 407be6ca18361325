"""Lexicon matching on folded text: clitics, diacritics, article, longest match, exact original offsets."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.match import Lexicon, Match, SpanIndex, _longest
from rasd.text.normalize import normalize, normalize_key

PLACES = [("الزبداني", "zabadani"), ("دير الزور", "deir"), ("حلب", "aleppo"), ("ريف إدلب", "idlib-rural")]

# real sentences from the SaudiNewsNet corpus and the seed
CASES = [
    ("وما زال الاشتباكات العنيفة مستمرة في مدينة الزبداني", ["الزبداني"], [""]),
    ("قتلى بالزبداني والمعارضة تمطر قرى شيعية بالقذائف", ["الزبداني"], ["ب"]),
    ("نقلوا مجموعات كبيرة من عناصر التنظيم من عقيربات إلى ريف إدلب الشرقي", ["ريف إدلب"], [""]),
    ("وصلوا إلى أطراف ريف إدلب، قادمين", ["ريف إدلب"], [""]),
    ("الهاربة من الرقة ودير الزور، وكل ذلك", ["دير الزور"], ["و"]),
    ("الهاربة من الرقة ودير  الزّور", ["دير  الزّور"], ["و"]),
    ("قصف على ريف حلب الشمالي وفي حلبون", ["حلب"], [""]),
    ("مقتل 12 في قصف بالبراميل على مدينة الباب", [], []),
]


@pytest.mark.parametrize(("text", "found", "prefixes"), CASES)
def test_find(text: str, found: list[str], prefixes: list[str]) -> None:
    lex = Lexicon(PLACES)
    hits = lex.find(normalize(text))
    assert [text[h.start : h.end] for h in hits] == found
    assert [h.prefix for h in hits] == prefixes


def test_payloads_and_keys() -> None:
    lex = Lexicon(PLACES)
    (hit,) = lex.find(normalize("وبدير الزور"))
    assert hit.payloads == ("deir",)
    assert hit.key == "دير الزور"
    assert "دير الزّور" in lex
    assert lex.get("ديرالزور") == ()


def test_article_optional() -> None:
    lex = Lexicon([("الرقة", "raqqa")], article_optional=True)
    assert [h.payloads for h in lex.find(normalize("في رقة الشمال"))] == [("raqqa",)]
    hits = lex.find(normalize("في مدينة الرقة"))
    assert len(hits) == 1 and hits[0].key == "الرقه"


def test_longest_and_all() -> None:
    lex = Lexicon([("ريف", "r"), ("ريف حلب", "rh"), ("حلب", "a")])
    text = "في ريف حلب"
    assert [h.key for h in lex.find(normalize(text))] == ["ريف حلب"]
    assert sorted(h.key for h in lex.find(normalize(text), longest=False)) == ["حلب", "ريف", "ريف حلب"]


def test_range_limits() -> None:
    lex = Lexicon(PLACES)
    norm = normalize("حلب ثم حلب")
    assert len(lex.find(norm, lo=1)) == 1
    assert len(lex.find(norm, hi=3)) == 1


def test_empty_lexicon() -> None:
    assert Lexicon().find(normalize("حلب")) == []
    assert len(Lexicon()) == 0


words = st.sampled_from(["الزبداني", "حلب", "دير الزور", "إدلب", "الرقة", "درعا"])
marks = st.sampled_from(["", "", "\u064e", "\u0651", "ـ"])
filler = st.lists(st.sampled_from(["قصف", "على", "في", "مدينة", "،", ".", "قتل", "12", "٣"]), max_size=5)


@given(filler, st.sampled_from(["", "و", "ب", "وب", "ل", "ف"]), words, marks, filler)
@settings(max_examples=300, deadline=None)
def test_found_anywhere_with_clitics_and_marks(
    before: list[str], prefix: str, word: str, mark: str, after: list[str]
) -> None:
    """An entry glued to proclitics and decorated with a diacritic/tatweel is found, and its original span
    folds back to the entry (proclitic excluded)."""
    decorated = word[0] + mark + word[1:]
    text = " ".join([*before, prefix + decorated, *after])
    lex = Lexicon([(word, word)])
    hits = lex.find(normalize(text))
    assert len(hits) == 1
    hit = hits[0]
    assert normalize_key(text[hit.start : hit.end]) == normalize_key(word)
    assert hit.prefix == normalize_key(prefix)


# -- SpanIndex: windowed lookups must equal the plain list comprehensions they replace (regression for #10) ------
@dataclass(frozen=True)
class _Item:
    start: int
    end: int


_ranges = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda t: _Item(t[0], t[0] + t[1])), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(items=_ranges, lo=st.integers(-5, 70), width=st.integers(-3, 40), shuffle=st.randoms())
def test_span_index_matches_scan_issue10(
    items: list[_Item], lo: int, width: int, shuffle: random.Random
) -> None:
    shuffle.shuffle(items)  # sorted or not, the index answers in the list's own order
    ix = SpanIndex(items)
    hi = lo + width
    assert ix.starting(lo, hi) == [it for it in items if lo <= it.start < hi]
    assert ix.overlapping(lo, hi) == [it for it in items if it.start < hi and lo < it.end]
    assert ix.containing(lo, hi) == [it for it in items if it.start <= lo and hi <= it.end]
    assert ix.ending(lo, hi) == [it for it in items if lo <= it.end < hi]


@pytest.mark.parametrize(
    ("items", "lo", "hi"),
    [
        ([_Item(0, 0)], 1, 0),  # found by a CI run: an inverted range, contained by an item ending before lo
        ([_Item(2, 5), _Item(0, 1)], 4, 1),
        ([_Item(3, 3)], 3, 3),
    ],
)
def test_span_index_containing_an_inverted_range_issue10(items: list[_Item], lo: int, hi: int) -> None:
    ix = SpanIndex(items)
    assert ix.containing(lo, hi) == [it for it in items if it.start <= lo and hi <= it.end]


@settings(max_examples=200, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=25))
def test_longest_keeps_disjoint_longest_first_issue10(spans: list[tuple[int, int]]) -> None:
    """The bisecting _longest keeps exactly what the quadratic any()-scan kept."""
    hits = [Match(s, s + n, s, s + n, f"k{i}", (i,), "") for i, (s, n) in enumerate(spans)]
    ranked = sorted(hits, key=lambda m: (-(m.nend - m.nstart), m.nstart))
    want: list[Match[int]] = []
    for m in ranked:
        if not any(m.nstart < o.nend and o.nstart < m.nend for o in want):
            want.append(m)
    want.sort(key=lambda m: m.nstart)
    assert _longest(list(hits)) == want
