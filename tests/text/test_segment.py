"""Sentence and clause splitting on real Arabic news text (snippets from SaudiNewsNet and the seed)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import Document
from rasd.text.segment import MAX_QUOTE_DEPTH, QuoteMap, Segmenter, clauses, sentences

SEED_PARA = (
    "وكشفت الغرفة في بيان لها اليوم عن تنسيق وتعاون أمني مباشر بين التنظيم من جهة وقوات النظام والمليشيات "
    "الإيرانية من جهة أخرى، مؤكدة أنها ستكشف في الأيام القادمة حقيقة التعاون والتنسيق بين الطرفين.\n\n"
    "وأشار البيان إلى أن نظام الأسد وحلفاءه الروس والإيرانيين نقلوا مجموعات كبيرة من عناصر التنظيم."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SEED_PARA, 2),
        ("قتل 12 شخصا. وأصيب آخرون! فهل من مجيب؟ لا", 4),
        ("قال المرصد: قتل 3.5 بالمئة من السكان. وأضاف أن 1,200 شخص نزحوا", 2),
        ("قال د. رامي عبد الرحمن إن القصف مستمر.", 1),
        ("سطر أول\nسطر ثان\r\nسطر ثالث", 3),
        ("«قتل عشرة.» وقال آخرون", 2),
        ("انتظروا... ثم قصفوا", 2),
        ("", 0),
        ("   \n\n  ", 0),
    ],
)
def test_sentence_count(text: str, expected: int) -> None:
    got = sentences(text)
    assert len(got) == expected, [s.text for s in got]


def test_sentences_of_seed_paragraph() -> None:
    got = sentences(SEED_PARA)
    assert got[0].text.startswith("وكشفت الغرفة")
    assert got[0].text.endswith("بين الطرفين.")
    assert got[1].text.startswith("وأشار البيان")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "قصفت قوات النظام بلدة الطيبة، وسقطت قذائف على خان الشيح؛ ولم ترد أنباء عن إصابات",
            ["قصفت قوات النظام بلدة الطيبة،", "وسقطت قذائف على خان الشيح؛", "ولم ترد أنباء عن إصابات"],
        ),
        ("في الساعة 10:30 صباحا قتل 1,200", ["في الساعة 10:30 صباحا قتل 1,200"]),
        ("وأضاف: إن الوضع خطير", ["وأضاف:", "إن الوضع خطير"]),
    ],
)
def test_clauses(text: str, expected: list[str]) -> None:
    assert [c.text for c in clauses(text)] == expected


def test_range_arguments() -> None:
    text = "جملة أولى. جملة ثانية. جملة ثالثة."
    start = text.index("جملة ثانية")
    got = sentences(text, start, len(text))
    assert [s.text for s in got] == ["جملة ثانية.", "جملة ثالثة."]


def test_stage_fills_document() -> None:
    doc = Segmenter()(Document(id="t", text=SEED_PARA))
    assert len(doc.sentences) == 2
    assert len(doc.clauses) >= 3


@given(st.text(alphabet="ابت ثج.،؟!\n:؛,3 ", max_size=60))
@settings(max_examples=300, deadline=None)
def test_spans_are_exact_trimmed_and_ordered(text: str) -> None:
    for spans in (sentences(text), clauses(text)):
        prev_end = 0
        for span in spans:
            assert text[span.start : span.end] == span.text
            assert span.text and span.text == span.text.strip()
            assert span.start >= prev_end
            prev_end = span.end
        # no letter is lost: every non-space character outside the spans is... none
        covered = set()
        for span in spans:
            covered.update(range(span.start, span.end))
        assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


# -- quotations (issue #10: nested and unbalanced quote marks in reported statements) ---------------------------
def _quoted(text: str, word: str) -> str | None:
    """The text of the innermost quotation holding ``word`` (marks included), or None."""
    q = QuoteMap(text).innermost(text.index(word))
    return None if q is None else text[q[0] : q[1] + 1]


@pytest.mark.parametrize(
    ("text", "word", "inner"),
    [
        # Arabic guillemets inside ASCII quotes inside guillemets: the innermost one holds the words
        ('«قال المتحدث إن "الوزير أكد أن «القصف لن يتوقف»"»', "القصف", "«القصف لن يتوقف»"),
        ('«قال المتحدث إن "الوزير أكد أن «القصف لن يتوقف»"»', "الوزير", '"الوزير أكد أن «القصف لن يتوقف»"'),
        (
            '«قال المتحدث إن "الوزير أكد أن «القصف لن يتوقف»"»',
            "المتحدث",
            '«قال المتحدث إن "الوزير أكد أن «القصف لن يتوقف»"»',
        ),
        ("قال إن “الطيران ‘استهدف المدنيين’” أمس", "استهدف", "‘استهدف المدنيين’"),
        ("قال إن “الطيران ‘استهدف المدنيين’” أمس", "أمس", None),
        # »...» and »...« (Arabic print), and a closer with nothing open
        ("قالت ل»الرياض» إن القصف مستمر", "الرياض", "»الرياض»"),
        ("قالت ل»الرياض» إن القصف مستمر", "مستمر", None),
        # unbalanced: an opening mark never closed runs to the end of its line, not of the document
        ("قال إن «القصف لن يتوقف\nوفي خبر آخر", "يتوقف", "«القصف لن يتوقف\n"),
        ("قال إن «القصف لن يتوقف\nوفي خبر آخر", "آخر", None),
        # a closer closes the unclosed quotes opened inside it
        ("«أكد أن “القصف مستمر» وأضاف", "مستمر", "“القصف مستمر»"),
        ("«أكد أن “القصف مستمر» وأضاف", "وأضاف", None),
        # an apostrophe inside a word is not a quote
        ("قال ان Qur'an الكريم", "الكريم", None),
    ],
)
def test_quote_map_nested_and_unbalanced_issue10(text: str, word: str, inner: str | None) -> None:
    assert _quoted(text, word) == inner


def test_quote_map_depth_is_bounded_issue10() -> None:
    text = "«" * 10_000 + "نص" + "»" * 10_000
    qm = QuoteMap(text)
    # deeper openers are ignored, not stacked: the word sits in the 16th quote, not the 10,000th
    assert qm.innermost(text.index("نص")) == (MAX_QUOTE_DEPTH - 1, text.index("»"))
    assert len(qm.regions) <= text.count("«") + text.count("»")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="«»“”‘’\"' ab\nقل", max_size=80))
def test_quote_map_regions_are_sane_issue10(text: str) -> None:
    """Any mix of marks: regions inside the text, properly nested, and innermost() agrees with them."""
    qm = QuoteMap(text)
    for s, e in qm.regions:
        assert 0 <= s < e <= len(text)
    for a, b in qm.regions:
        for c, d in qm.regions:
            assert b <= c or d <= a or (a <= c and d <= b) or (c <= a and b <= d)  # nested or disjoint
    n = len(text)
    for pos in range(n + 1):
        holding = [(s, e) for s, e in qm.regions if s < pos and (pos < e or e == n)]
        assert qm.innermost(pos) == max(holding, default=None)  # nested: the latest opened is the innermost
