"""Statements reported inside other statements, with nested and unbalanced quote marks (issue #10).

Arabic news nests quotes («قال المتحدث إن "الوزير أكد أن «...»"») and mixes « » " “ ” ‘ ’ ', often unbalanced.
Who said what must follow the quotation: the actor speaking INSIDE a quote is the speaker, the party quoting it
only reports it; an actor inside someone's closed quotation never becomes the subject of a verb outside it. On
any mix of marks the coder must finish, and every evidence span must lie inside the text.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import Document, Metadata
from rasd.pipeline import Pipeline

PUB = date(2018, 2, 14)
TURKEY_ARMY = "Military Forces of Turkey (2016-)"  # published 2018: the period after July 2016 (issue 15)
YPG = "YPG: People's Protection Units"
RU_MFA = "وزارة الخارجية الروسية"

# text, plover, actor1, actor2, modality, attributed_to (None: the speaker's own words)
CASES = [
    # guillemets inside ASCII quotes inside guillemets: the Turkish army threatens, Russia reports it
    (
        'قالت وزارة الخارجية الروسية في بيان إن «الجيش التركي حذر "وحدات حماية الشعب" من أن «العملية لن تتوقف»».',
        "THREATEN",
        TURKEY_ARMY,
        YPG,
        "reported",
        RU_MFA,
    ),
    # the outer quote never closed (truncated page)
    (
        'قالت وزارة الخارجية الروسية إن "الجيش التركي حذر وحدات حماية الشعب من الاقتراب',
        "THREATEN",
        TURKEY_ARMY,
        YPG,
        "reported",
        RU_MFA,
    ),
    # curly double quotes holding curly single quotes
    (
        "وقالت وزارة الخارجية الروسية: “الجيش التركي هدد ‘وحدات حماية الشعب’ بالرد”.",
        "THREATEN",
        TURKEY_ARMY,
        YPG,
        "reported",
        RU_MFA,
    ),
    (
        "قال المرصد السوري لحقوق الإنسان إن «هيئة تحرير الشام اتهمت قوات النظام بقصف إدلب».",
        "ACCUSE",
        "HTS: Hayat Tahrir al-Sham",
        "Military Forces of Syria (2000-)",
        "reported",
        "المرصد السوري لحقوق الإنسان",
    ),
    # a name in quote marks is only a quoted name, before or after the verb: the party's own statement
    (
        "هدد «داعش» الحكومة التركية بالرد بعد حملة الاعتقالات",
        "THREATEN",
        "Islamic State (Syria)",
        None,
        "claimed",
        None,
    ),
    (
        "«داعش» هدد الحكومة التركية بالرد بعد حملة الاعتقالات",
        "THREATEN",
        "Islamic State (Syria)",
        None,
        "claimed",
        None,
    ),
    # first person inside the speaker's own quotation: the speaker itself, not a nested statement
    (
        "وقال الجيش التركي في بيان: «نطالب الأمم المتحدة بوقف دعم وحدات حماية الشعب»",
        "REQUEST",
        TURKEY_ARMY,
        "United Nations",
        "claimed",
        None,
    ),
    # the same party quoted by itself: its own words
    (
        "وقال الجيش التركي إن «الجيش التركي يحذر وحدات حماية الشعب من الاقتراب»",
        "THREATEN",
        TURKEY_ARMY,
        YPG,
        "claimed",
        None,
    ),
    # after the quotation closes, its actors are not the subject of the next verb: Russia asks, not the YPG
    (
        "قالت وزارة الخارجية الروسية إن «الجيش التركي حذر وحدات حماية الشعب» وأضافت أن روسيا تطالب الأمم المتحدة "
        "بالتحرك.",
        "REQUEST",
        "Government of Russia",
        "United Nations",
        "claimed",
        None,
    ),
]


def _spans_inside(doc: Document) -> None:
    for ev in [*doc.events]:
        for sp in [*ev.evidence, *(s for spans in ev.field_evidence.values() for s in spans)]:
            assert 0 <= sp.start <= sp.end <= len(doc.text)
            assert doc.text[sp.start : sp.end] == sp.text


IDS = ["nested3", "unclosed", "curly", "monitor", "name_first", "name_after", "we", "self", "after_close"]


@pytest.mark.parametrize(("text", "plover", "actor1", "actor2", "modality", "attributed"), CASES, ids=IDS)
def test_nested_quotes_issue10(
    pipe: Pipeline,
    text: str,
    plover: str,
    actor1: str,
    actor2: str | None,
    modality: str,
    attributed: str | None,
) -> None:
    doc = pipe(Document("q", text, Metadata(published=PUB)))
    _spans_inside(doc)
    got = [s for s in doc.statements if s.plover == plover]
    assert len(got) == 1, [s.to_dict() for s in doc.statements]
    st_ = got[0]
    assert (st_.actor1, st_.modality) == (actor1, modality)
    if actor2 is not None:
        assert st_.actor2 == actor2
    if attributed is None:
        assert st_.attributed_to == st_.actor1_ar and "nested_statement" not in st_.flags
    else:
        assert st_.attributed_to == attributed and "nested_statement" in st_.flags
        # the reporter's span backs attribution and modality; the speaker's span backs actor1
        assert [s.text for s in st_.field_evidence["attributed_to"]] == [attributed]
        assert [s.text for s in st_.field_evidence["actor1_ar"]] == [st_.actor1_ar]


def test_quoted_actor_is_not_the_next_verbs_subject_issue10(pipe: Pipeline) -> None:
    """Regression for #10: 'X said «Turkey warned the YPG» and added that Russia asks ...' gave a YPG request."""
    doc = pipe(Document("q", CASES[-1][0], Metadata(published=PUB)))
    assert all(s.actor1 != YPG for s in doc.statements)


_MARKS = ["«", "»", '"', "“", "”", "‘", "’", "'", " ", "\n", "،"]
_WORDS = ["قال", "الجيش التركي", "إن", "حذر", "وحدات حماية الشعب", "هدد", "اتهم", "روسيا", "بقصف", "حلب", "."]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_MARKS + _WORDS), max_size=40))
def test_any_quote_mix_finishes_with_spans_inside_issue10(pipe: Pipeline, parts: list[str]) -> None:
    """Any mix of quote marks and speech: no exception, no hang, every evidence span inside the text."""
    doc = pipe(Document("q", " ".join(parts), Metadata(published=PUB)))
    _spans_inside(doc)
