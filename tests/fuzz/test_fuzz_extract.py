"""Fuzzing the extractor (issue #10): Arabic-ish text built from the real lexicons through ``rasd.extract``.

The text is a random sequence of words from rasd's own word lists (triggers, casualty nouns, months, number
words, reporting verbs, place and actor cues) and of the seed article, mixed with digits in three scripts,
punctuation, quotes of every kind, headings, line breaks, bidi controls, diacritics, tatweel, NUL and emoji.
Property: no exception, no hang, and every span rasd outputs (sections, sentences, clauses, mentions, event
evidence and field evidence) lies inside the text and its ``text`` equals ``original[start:end]``.
Profiles: tests/fuzz/conftest.py (RASD_FUZZ=ci|long); by hand: fuzz/run.sh.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import rasd
from rasd.document import Document, Span
from rasd.lang import load

from ._harness import fuzz_settings, no_hang

ROOT = Path(__file__).resolve().parents[2]
_ARABIC = re.compile(r"[\u0600-\u06ff]")
LEXICONS = (
    "triggers",
    "casualty_nouns",
    "months",
    "numbers",
    "dates",
    "reporting_verbs",
    "actor_patterns",
    "places",
    "event_cues",
    "sources",
    "generic_agents",
    "event_context",
)


def _strings(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in _strings(k) + _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


@cache
def vocabulary() -> list[str]:
    """Every Arabic phrase of the lexicons (up to 40 characters) and every word of the seed article."""
    words = {s for name in LEXICONS for s in _strings(load("ar", name)) if _ARABIC.search(s) and len(s) <= 40}
    seed = next((ROOT / "examples").glob("000_*.txt"), None)
    if seed is not None:
        words.update(seed.read_text(encoding="utf-8").split())
    return sorted(words)


NOISE = [
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2069",
    "\u061c",
    "\u0651",
    "\u064b",
    "ـ",
    "\x00",
    "\ufeff",
    "\U0001f4a3",
    "\U0001f1f8\U0001f1fe",
]
PUNCT = [
    "،",
    "؛",
    "؟",
    ".",
    ",",
    ":",
    "!",
    "-",
    "(",
    ")",
    "«",
    "»",
    '"',
    "'",
    "“",
    "”",
    "‘",
    "’",
    "\n",
    "\n\n",
]
HEADINGS = ["\n## بيان\n", "\n# ", "\nالتاريخ : ", "\nالمصدر: ", '\nوقال في بيان: "', '"\n']


@st.composite
def numbers(draw: st.DrawFn) -> str:
    n = draw(st.integers(0, 10**14) | st.integers(0, 100))
    text = str(n) if draw(st.booleans()) else f"{n:,}"
    digits = draw(st.sampled_from(["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"]))
    return text.translate(str.maketrans("0123456789,", digits + draw(st.sampled_from([",", "٬", "،"]))))


@st.composite
def articles(draw: st.DrawFn) -> str:
    vocab = vocabulary()
    token = st.one_of(
        st.sampled_from(vocab),
        st.sampled_from(vocab),
        st.sampled_from(vocab),
        numbers(),
        st.sampled_from(PUNCT),
        st.sampled_from(HEADINGS),
        st.sampled_from(NOISE),
        st.text(max_size=3),
    )
    parts = draw(st.lists(token, min_size=0, max_size=120))
    seps = draw(
        st.lists(
            st.sampled_from([" ", " ", " ", "", "  ", "\u00a0", "\t"]),
            min_size=len(parts),
            max_size=len(parts),
        )
    )
    return "".join(p + s for p, s in zip(parts, seps, strict=True))


def _check_span(text: str, span: Span, what: str) -> None:
    assert 0 <= span.start <= span.end <= len(text), (what, span)
    assert text[span.start : span.end] == span.text, (what, span)


def check_offsets(doc: Document, original: str) -> None:
    """Every span of every output addresses the original text exactly."""
    assert doc.text == original  # stages never rewrite the text
    for sec in doc.sections:
        _check_span(original, sec.span, f"section {sec.name}")
        if sec.heading is not None:
            _check_span(original, sec.heading, "heading")
    for sp in doc.sentences + doc.clauses:
        _check_span(original, sp, "sentence/clause")
    for m in doc.mentions:
        _check_span(original, m.span, f"{m.kind} mention")
        cs = m.value.get("counted_span") if isinstance(m.value, dict) else None
        if cs:
            assert 0 <= cs[0] <= cs[1] <= len(original), (m.kind, cs)
    for ev in doc.events:
        for sp in ev.evidence:
            _check_span(original, sp, "evidence")
        for name, spans in ev.field_evidence.items():
            for sp in spans:
                _check_span(original, sp, f"field_evidence {name}")
        for key in ("fatalities", "wounded", "captured"):
            value = getattr(ev, key)
            assert value is None or (isinstance(value, int) and value >= 0), (key, value)
    for span in doc.meta.spans.values():
        _check_span(original, span, "meta")


@fuzz_settings()
@given(text=articles(), published=st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31)))
def test_fuzz_extract_offsets_and_no_exception(text: str, published: date | None) -> None:
    with no_hang("rasd.extract"):
        doc = rasd.extract(text, published=published)
    check_offsets(doc, text)
    # the records every writer serialises are built without error
    doc.to_dict(with_mentions=True)


@fuzz_settings()
@given(text=st.text(max_size=300), published=st.none() | st.dates())
def test_fuzz_extract_any_unicode(text: str, published: date | None) -> None:
    """Any Unicode at all (astral planes, controls, lone combining marks) and any anchor date, 0001 to 9999."""
    with no_hang("rasd.extract"):
        doc = rasd.extract(text, published=published)
    check_offsets(doc, text)


@fuzz_settings()
@given(text=articles() | st.text(max_size=200), published=st.none() | st.dates())
def test_fuzz_dates_and_quantities(text: str, published: date | None) -> None:
    """The two number-reading stages alone, with any anchor: values are well-formed, offsets exact."""
    from rasd.recognize.dates import find_dates
    from rasd.recognize.quantities import find_quantities

    with no_hang("dates/quantities"):
        dates = find_dates(text, published)
        quantities = find_quantities(text, [(s, e) for s, e, _ in dates])
    for s, e, v in dates:
        assert 0 <= s < e <= len(text)
        for key in ("start", "end"):
            if v[key] is not None:
                date.fromisoformat(v[key])
        if v["start"] and v["end"]:
            assert v["start"] <= v["end"]
    for s, e, v in quantities:
        assert 0 <= s < e <= len(text)
        assert isinstance(v["value"], int) and v["value"] >= 0
        assert v["implausible"] is (v["value"] > 100_000 and v["counted"] != "other")
