"""Reporting-source recogniser: real phrasing from Arabic news (SaudiNewsNet 2015 articles, the seed page)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import Document
from rasd.recognize.actors import ActorRecognizer
from rasd.recognize.sources import SourceRecognizer
from rasd.text.segment import Segmenter

from .test_actors import SEED_BODY


@pytest.fixture(scope="module")
def stages() -> tuple[Segmenter, ActorRecognizer, SourceRecognizer]:
    return Segmenter(), ActorRecognizer(), SourceRecognizer()


def _sources(stages: tuple[Segmenter, ActorRecognizer, SourceRecognizer], text: str) -> tuple[Document, list]:
    seg, actors, sources = stages
    doc = sources(actors(seg(Document("t", text))))
    ms = doc.mentions_of("source")
    for m in ms:
        assert doc.text[m.start : m.end] == m.text
        s, e = m.value["scope"]
        assert 0 <= s <= e <= len(doc.text)
    return doc, ms


# (text, source surface, type, verb_type, text that must lie inside the scope)
CASES = [
    (
        "وأفاد ناشطون معارضون من مدينة اللاذقية بأنهم شاهدوا أرتالا عسكرية، خارجة من المدينة باتجاه الريف الشمالي.",
        "ناشطون معارضون",
        "activists",
        "report",
        "شاهدوا أرتالا عسكرية",
    ),
    (
        "وقتل 30 شخصا على الأقل في سلسلة تفجيرات استهدفت مناطق مختلفة في العراق أول من أمس، بحسب ما أفادت مصادر أمنية "
        "وطبية أمس، في هجمات تبنى بعضها داعش.",
        "مصادر أمنية",
        "official",
        "according_to",
        "سلسلة تفجيرات",
    ),
    (
        "قال المرصد السوري لحقوق الإنسان أمس الاثنين إن قياديا في تنظيم داعش وخمسة متطرفين أجانب آخرين قتلوا في غارة.",
        "المرصد السوري لحقوق الإنسان",
        "monitor",
        "say",
        "قياديا في تنظيم داعش",
    ),
    (
        "وتعرضت المدينة لقصف عنيف، حسبما أفاد المرصد السوري لحقوق الإنسان أمس الجمعة.",
        "المرصد السوري لحقوق الإنسان",
        "monitor",
        "according_to",
        "وتعرضت المدينة لقصف عنيف",
    ),
    (
        "وذكرت مصادر محلية أن هذا المعسكر كان واحدا من أبرز المعسكرات التي تغذي قوات صالح.",
        "مصادر محلية",
        "local_sources",
        "report",
        "هذا المعسكر",
    ),
    (
        "وقال دي ميستورا نقلا عن مصادر محلية في بيان صدر الليلة قبل الماضية ان الجيش السوري ألقى عددا كبيرا من البراميل.",
        "مصادر محلية",
        "local_sources",
        "according_to",
        None,
    ),
    (
        "* فقد أعلن تنظيم داعش مسؤوليته عن الاعتداء على مسجد الإمام الصادق في الكويت عبر وسائل التواصل الاجتماعي.",
        "تنظيم داعش",
        "party",
        "claim",
        "الاعتداء على مسجد",
    ),
    (
        "وجاء في المرسوم، بحسب نصه الذي اوردته وكالة سانا، ان العفو يكون عن كامل العقوبة.",
        "وكالة سانا",
        "state_media",
        "report",
        None,
    ),
    (
        "وقال المتحدث باسم جيش الفتح إن المقاتلين سيطروا على حاجز القرميد.",
        "المتحدث باسم جيش الفتح",
        "party",
        "say",
        "المقاتلين سيطروا",
    ),
    (
        "ونفت وزارة الدفاع التركية أن تكون طائراتها قصفت مواقع للأكراد.",
        "وزارة الدفاع التركية",
        "official",
        "deny",
        "طائراتها قصفت",
    ),
    (
        "واتهمت الشبكة السورية لحقوق الإنسان قوات النظام بإلقاء البراميل المتفجرة على الأحياء السكنية.",
        "الشبكة السورية لحقوق الإنسان",
        "monitor",
        "accuse",
        "البراميل المتفجرة",
    ),
    (
        "وقال «المرصد السوري لحقوق الإنسان» إن «الطيران المروحي ألقى أكثر من 14 برميلا متفجرا على مناطق في المدينة».",
        "المرصد السوري لحقوق الإنسان",
        "monitor",
        "say",
        "الطيران المروحي ألقى",
    ),
    (
        "«المرصد السوري لحقوق الإنسان» أعلن أمس أن الطيران الحربي السوري شنّ تسع غارات على مدينة الزبداني.",
        "المرصد السوري لحقوق الإنسان",
        "monitor",
        "announce",
        "الطيران الحربي السوري",
    ),
]


@pytest.mark.parametrize(("text", "surface", "stype", "verb_type", "in_scope"), CASES)
def test_source_cases(
    stages, text: str, surface: str, stype: str, verb_type: str, in_scope: str | None
) -> None:
    doc, ms = _sources(stages, text)
    hits = [m for m in ms if surface in m.text]
    assert hits, [(m.text, m.value["verb_type"]) for m in ms]
    m = hits[0]
    assert m.value["type"] == stype
    assert m.value["verb_type"] == verb_type
    if in_scope:
        s, e = m.value["scope"]
        assert in_scope in doc.text[s:e], doc.text[s:e]


def test_seed_statement(stages) -> None:
    doc, ms = _sources(stages, SEED_BODY)
    first = ms[0]
    assert first.text == "غرفة عمليات دحر الغزاة"
    assert first.value["verb_type"] == "announce"
    assert first.value["type"] == "party"
    assert first.entry == "dahr_ghuzat"
    s, e = first.value["scope"]
    assert doc.text[s:e].startswith("قتل وجرح العشرات من فلول تنظيم الدولة")
    # "وأشار البيان إلى أن ..." covers what follows; the statement belongs to the operations room
    said = next(m for m in ms if m.text == "البيان" and m.value["verb_type"] == "say")
    assert said.value["actor_id"] == "dahr_ghuzat"
    s, e = said.value["scope"]
    assert doc.text[s:e].startswith("نظام الأسد وحلفاءه الروس")
    # "..., حسب البيان." at the end covers its sentence
    per = next(m for m in ms if m.value["verb_type"] == "according_to")
    s, e = per.value["scope"]
    assert "نقلوا مجموعات كبيرة من عناصر التنظيم" in doc.text[s:e]
    assert "حسب البيان" not in doc.text[s:e]
    # participle continuation: "مؤكدة أن ..." keeps the same speaker
    cont = [m for m in ms if m.value["continued"]]
    assert cont and all(m.value["actor_id"] == "dahr_ghuzat" for m in cont)


def test_quotation_scope_runs_on(stages) -> None:
    text = "وقال المرصد: «قتل 12 مدنيا في القصف. وأصيب العشرات بجروح». وفي سياق آخر، اجتمع الوزراء."
    doc, ms = _sources(stages, text)
    m = next(m for m in ms if m.text == "المرصد")
    s, e = m.value["scope"]
    assert "وأصيب العشرات" in doc.text[s:e]
    assert "اجتمع الوزراء" not in doc.text[s:e]


def test_no_source_without_verb(stages) -> None:
    _, ms = _sources(stages, "وزار وفد من المرصد السوري لحقوق الإنسان مدينة غازي عنتاب.")
    assert ms == []


def test_ambiguous_verb_needs_verb_first(stages) -> None:
    # "نقلوا" (they moved) after an actor is not reporting
    _, ms = _sources(
        stages, "إن النظام وحلفاءه الإيرانيين نقلوا مجموعات كبيرة من عناصر التنظيم إلى ريف إدلب."
    )
    assert ms == []


def test_scope_after_an(stages) -> None:
    doc, ms = _sources(stages, SEED_BODY)
    m = next(m for m in ms if m.text == "الغرفة" and m.value["verb_type"] == "report")
    s, e = m.value["scope"]
    assert doc.text[s:e].startswith("تنسيق وتعاون أمني مباشر")


def test_statement_section(stages) -> None:
    from rasd.document import Metadata, Section, Span

    head = "الكاتب : غرفة عمليات دحر الغزاة\n\n"
    body = "أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة.\n\n"
    stmt = (
        "## بيان\n\nلقد قام نظام الأسد المجرم مع حلفائه الإيرانيين والروس بنقل مجموعات كبيرة من تنظيم داعش."
    )
    text = head + body + stmt
    start = text.index("## بيان")
    heading = text.index("بيان", start)
    doc = Document("t", text, meta=Metadata(author="غرفة عمليات دحر الغزاة"))
    doc.sections = [
        Section("statement", Span.of(text, start, len(text)), Span.of(text, heading, heading + 4))
    ]
    seg, actors, sources = stages
    doc = sources(actors(seg(doc)))
    sec = [m for m in doc.mentions_of("source") if m.value["statement"] and m.value["verb"] is None]
    assert len(sec) == 1
    assert sec[0].text == "بيان"
    assert sec[0].value["scope"] == [start, len(text)]
    assert sec[0].value["actor_id"] == "dahr_ghuzat"


@pytest.mark.parametrize(
    ("text", "surface", "stype", "verb_type"),
    [
        # SaudiNewsNet: a spokesman of a ministry named by its definite noun only
        (
            "وقال المتحدث باسم الوزارة جون كيربي: «إن الهجمات ما زالت تخضع للتحقيق».",
            "المتحدث باسم الوزارة",
            "official",
            "say",
        ),
        # an attack the authorities attribute to a party ("نسبته السلطات إلى"): scope = the sentence
        (
            "وقتل عنصران من الشرطة التركية بالرصاص صباح أمس في منطقة أضنة، في هجوم جديد نسبته السلطات إلى حزب العمال.",
            "السلطات",
            "official",
            "accuse",
        ),
    ],
)
def test_more_sources(stages, text: str, surface: str, stype: str, verb_type: str) -> None:
    doc, ms = _sources(stages, text)
    m = next(m for m in ms if m.text == surface)
    assert (m.value["type"], m.value["verb_type"]) == (stype, verb_type)
    if verb_type == "accuse":
        s, e = m.value["scope"]
        assert "وقتل عنصران من الشرطة التركية" in doc.text[s:e]


# -- the bisecting lookups give what the linear scans gave (regression for #10: quadratic on long documents) ----
_starts = st.lists(st.tuples(st.integers(0, 80), st.integers(1, 10)), max_size=20)


@settings(max_examples=200, deadline=None)
@given(spans=_starts, pos=st.integers(-2, 95))
def test_sorted_lookups_match_scans_issue10(spans: list[tuple[int, int]], pos: int) -> None:
    from rasd.recognize.sources import SourceRecognizer, _Speaker, _Verb

    spans = sorted(spans)
    verbs = [_Verb(s, s + n, "قال", "say") for s, n in spans]
    assert SourceRecognizer._verb_at(verbs, pos, [v.nstart for v in verbs]) == SourceRecognizer._verb_at(
        verbs, pos
    )
    speakers = [_Speaker(s, s + n, None, "media") for s, n in spans]
    max_end = list(itertools.accumulate((s.nend for s in speakers), max))
    rec = SourceRecognizer.__new__(SourceRecognizer)
    text = "x" * 100
    assert rec._subject_before(text, speakers, pos, max_end=max_end) is rec._subject_before(
        text, speakers, pos
    )
    starts = [s.nstart for s in speakers]
    assert SourceRecognizer._speaker_after(text, speakers, pos, starts) is SourceRecognizer._speaker_after(
        text, speakers, pos
    )
