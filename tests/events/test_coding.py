"""The events stage on real Arabic wording (sentences from SaudiNewsNet 2015 Syria coverage and the gold notes).

Two layers: through the default pipeline (what `rasd extract` does), and with hand-built mentions (the contract
of docs/mentions.md only), so the coder's own rules are pinned independently of the recognisers.
"""

from __future__ import annotations

from datetime import date

import pytest

from rasd.document import Document, Mention, Metadata, Span
from rasd.events import EventCoder
from rasd.pipeline import build_pipeline

PUB = date(2015, 7, 21)


def code(pipe, text: str, published: date = PUB) -> Document:  # type: ignore[no-untyped-def]
    return pipe(Document("t", text, Metadata(published=published)))


# ---- not events: negated, future, hypothetical, background, plans, opinion, questions, judicial --------------
NOT_EVENTS = [
    "لم تقصف قوات النظام مدينة دوما أمس",
    "ستقصف قوات النظام مدينة دوما",
    "إذا قصفت قوات النظام مدينة دوما فإن المعارضة سترد",
    "منذ عام 2011 قتل أكثر من 240 ألف شخص في سوريا",
    "وسيطر داعش على مجمل محافظة دير الزور في صيف 2014 بما فيها مدينة البوكمال",
    "يذكر أن مدينة عربين تتعرض لقصف شديد منذ أول أيام عيد الفطر أسفر عن خسائر مادية وبشرية",
    "وتعتزم بريطانيا توسيع الغارات الجوية على مواقع التنظيم في مدينة الرقة",
    "وهناك مخاوف من أن الضربات الجوية الأمريكية يمكن أن تستهدف الجيش السوري في مدينة حلب",
    "هل تقصف الطائرات الروسية مدينة إدلب؟",
    "أصدرت وزارة الداخلية اليوم بيانًا بشأن تنفيذ حكم القتل تعزيراً في مهرب مخدرات بمنطقة الرياض",
    "فبعد سيطرته على منطقة إدلب، شمال غرب البلاد، صار يهدد المناطق الزراعية",
]


# in an article: a one-sentence document keeps background history (a sentence about 2014 reports 2014)
LEAD = "ونقلت وكالات الأنباء التفاصيل التالية. "


@pytest.mark.parametrize("text", NOT_EVENTS)
def test_not_events(pipe, text: str) -> None:  # type: ignore[no-untyped-def]
    assert code(pipe, LEAD + text).acled_events == []


# ---- events with their arguments ---------------------------------------------------------------------------
def test_nominal_passive_killing_by_air_strike(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, "مقتل 5 مدنيين بغارة لطيران النظام على مدينة دوما أمس").acled_events
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.actor1 == "Military Forces of Syria (2000-)"
    assert ev.actor2 == "Civilians (Syria)" and ev.inter2 == 7 and ev.civilian_targeting
    assert ev.fatalities == 5
    assert (ev.event_date, ev.time_precision) == ("2015-07-20", 1)
    assert ev.pcode == "C2338"


def test_disaggregation_one_event_per_place(pipe) -> None:  # type: ignore[no-untyped-def]
    evs = code(pipe, "قصفت قوات النظام مدينة دوما ومدينة حرستا أمس").acled_events
    assert sorted(e.pcode or "" for e in evs) == ["C2338", "C2342"]
    assert {e.sub_event_type for e in evs} == {"Shelling/artillery/missile attack"}
    assert len({e.event_id for e in evs}) == 2


def test_shared_fatalities_on_first_event(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "وأدى سقوط مئات القذائف على مناطق في بلدتي الفوعة وكفريا بإدلب منذ الاثنين، إلى مقتل سبعة أشخاص على الأقل"
    evs = code(pipe, text).acled_events
    assert len(evs) == 2
    assert [e.fatalities for e in evs] == [7, 0]
    assert all(e.fatalities_shared for e in evs)


def test_clash_between_two_sides(pipe) -> None:  # type: ignore[no-untyped-def]
    text = (
        "دارت اشتباكات بعد منتصف ليل أمس بين الكتائب المقاتلة والكتائب الإسلامية من جهة، وقوات النظام مدعمة "
        "بقوات الدفاع الوطني من جهة أخرى، في حي السبع بحرات بحلب القديمة."
    )
    (ev,) = code(pipe, text, date(2015, 7, 24)).acled_events
    assert ev.sub_event_type == "Armed clash"
    assert {ev.actor1, ev.actor2} == {"Opposition Rebels (Syria)", "Military Forces of Syria (2000-)"}
    assert ev.event_date == "2015-07-23" and ev.time_precision == 1
    assert ev.pcode == "C1007"


def test_undated_item_defaults_to_a_flagged_range(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, "قصف الطيران المروحي بالبراميل المتفجرة على مناطق في مدينة تلبيسة").acled_events
    assert ev.sub_event_type == "Air/drone strike"
    assert (ev.event_date, ev.date_end, ev.time_precision) == ("2015-07-20", "2015-07-21", 2)
    assert "date_defaulted" in ev.flags


def test_alleged_with_the_accuser_as_source(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, "اتهم ناشطون قوات النظام بقصف مدينة دوما أمس ما أدى إلى مقتل 3 مدنيين").acled_events
    assert ev.modality == "alleged"
    assert ev.actor1 == "Military Forces of Syria (2000-)"
    assert ev.fatalities == 3


def test_injuries_are_not_fatalities(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, "أصيب 12 مدنيا بجروح جراء قصف قوات النظام على مدينة دوما أمس").acled_events
    assert ev.fatalities == 0
    assert ev.wounded == 12


def test_protest_is_coded_with_generic_protesters(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, "تظاهر المئات في مدينة اللاذقية أمس احتجاجا على مقتل العقيد").acled_events
    assert ev.sub_event_type == "Peaceful protest" and ev.plover == "PROTEST"
    assert ev.actor1 == "Protesters (Syria)" and ev.inter1 == 6
    assert ev.fatalities == 0  # the death is what they protest


def test_no_place_no_event(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "واصلت الطائرات التركية أمس قصف مواقع التنظيم"
    assert code(pipe, text).acled_events == []
    loose = EventCoder(require_location=False, classifier=False)
    doc = build_pipeline()(Document("t", text, Metadata(published=PUB)))
    assert [e.plover for e in loose(doc).acled_events] == ["ASSAULT"]


# ---- the coder alone, on hand-built mentions (docs/mentions.md) ---------------------------------------------
def _m(text: str, phrase: str, kind: str, value: dict, entry: str | None = None) -> Mention:  # type: ignore[type-arg]
    i = text.index(phrase)
    return Mention(kind, Span(i, i + len(phrase), phrase), value, entry)


def test_coder_on_contract_mentions() -> None:
    text = "قتل 26 شخصا في غارات شنتها طائرات النظام السوري على مدينة منبج بريف حلب الشرقي أمس"
    resolved = {
        "location": "Menbij",
        "location_ar": "منبج",
        "country": "Syria",
        "admin1": "Aleppo",
        "admin2": "Menbij",
        "admin3": "Menbij",
        "pcode": "C1767",
        "latitude": 36.5,
        "longitude": 37.9,
        "geo_precision": 1,
        "reason": "test",
    }
    gov = {
        "location": "Aleppo",
        "location_ar": "حلب",
        "country": "Syria",
        "admin1": "Aleppo",
        "admin2": None,
        "admin3": None,
        "pcode": "SY02",
        "latitude": 36.2,
        "longitude": 37.1,
        "geo_precision": 3,
        "reason": "test",
    }
    doc = Document("t", text, Metadata(published=PUB))
    doc.mentions = [
        _m(text, "26 شخصا", "quantity", {"value": 26, "counted": "killed", "vague": False}),
        _m(
            text,
            "شخصا",
            "actor",
            {"name": "Civilians (Syria)", "inter": 7, "type": "civilians", "generic": True},
        ),
        _m(
            text,
            "طائرات النظام السوري",
            "actor",
            {"name": "Military Forces of Syria (2000-)", "inter": 1, "type": "state"},
        ),
        _m(text, "مدينة منبج", "place", {"candidates": [], "resolved": resolved}, "C1767"),
        _m(text, "ريف حلب الشرقي", "place", {"candidates": [], "resolved": gov}),
        _m(
            text,
            "أمس",
            "date",
            {"start": "2015-07-20", "end": "2015-07-20", "precision": 1, "relative": True},
        ),
    ]
    (ev,) = EventCoder(classifier=False)(doc).acled_events
    assert ev.sub_event_type == "Air/drone strike"
    assert ev.actor1 == "Military Forces of Syria (2000-)" and ev.actor2 == "Civilians (Syria)"
    assert ev.pcode == "C1767"  # the governorate around it is not a second place
    assert ev.fatalities == 26
    assert ev.event_date == "2015-07-20"
    assert ev.field_evidence["fatalities"][0].text.startswith("26")
    assert ev.confidence > 0.5


class _FakeClassifier:
    def __init__(self, p: float) -> None:
        self.p = p

    def predict(self, text: str) -> dict[str, float]:
        return {"ASSAULT": self.p, "PROTEST": self.p}


@pytest.mark.parametrize(("p", "kept"), [(0.9, True), (0.1, False)])
def test_sentence_classifier_vetoes_and_scores(p: float, kept: bool) -> None:
    stages = build_pipeline().stages[:-1]
    from rasd.pipeline import Pipeline

    pipe = Pipeline([*stages, EventCoder(classifier=_FakeClassifier(p), scorer=False)])
    evs = pipe(Document("t", "قصفت قوات النظام مدينة دوما أمس", Metadata(published=PUB))).acled_events
    assert bool(evs) is kept
    if kept:
        assert evs[0].confidence > 0.8


def test_history_kept_only_for_sentence_detection(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "29 أغسطس 2003 قتل نحو 80 شخصا في انفجار سيارة مفخخة في مدينة النجف"
    assert (
        code(pipe, "ونقلت وكالات الأنباء التفاصيل التالية. " + text).acled_events == []
    )  # an article's background
    # issue 14: a one-sentence document is coded as a sentence through the same pipeline (`rasd extract`)
    alone = code(pipe, text)
    assert {e.plover for e in [*alone.acled_events, *alone.detections]} == {"ASSAULT"}
    loose = EventCoder(require_location=False, classifier=False)
    doc = build_pipeline()(Document("t", text, Metadata(published=PUB)))
    assert {e.plover for e in loose(doc).acled_events} == {"ASSAULT"}


# ---- issue 14: a one-sentence document is coded as a sentence (gsr records through `rasd extract`) ------------
@pytest.mark.parametrize(
    ("text", "one"),
    [
        ("قتل 13 شخصا في هجوم انتحاري بقنبلة في مطعم قرب المسجد الأحمر", True),
        ("ونقلت وكالات الأنباء التفاصيل التالية. وقصفت قوات النظام مدينة دوما أمس", False),
        ("قصفت قوات النظام مدينة دوما " * 200, False),  # too long to be one sentence
    ],
)
def test_one_sentence_documents_issue14(pipe, text: str, one: bool) -> None:  # type: ignore[no-untyped-def]
    from rasd.events.context import is_one_sentence

    pre = Document("t", text, Metadata(published=PUB))
    for st in pipe.stages:
        if st.name != "events":
            pre = st(pre)
    assert is_one_sentence(pre) is one


def test_lone_sentence_without_a_known_place_is_a_detection_issue14(pipe) -> None:  # type: ignore[no-untyped-def]
    doc = code(pipe, "قتل 13 شخصا في هجوم انتحاري بقنبلة على مطعم قرب مقر الشرطة")
    assert not doc.acled_events
    (det,) = doc.detections
    assert det.plover == "ASSAULT" and det.to_dict()["location_status"] == "unlocated"


@pytest.mark.parametrize(
    ("text", "subs"),
    [
        ("توغلت قوات إسرائيلية فجراً في بلدة سويسة بريف القنيطرة الجنوبي", set()),  # "at dawn", no explosion
        ("وفجر مسلحون عبوة ناسفة في مدينة الرمادي", {"Remote explosive/landmine/IED"}),
    ],
)
def test_dawn_is_not_a_detonation_issue14(pipe, text: str, subs: set[str]) -> None:  # type: ignore[no-untyped-def]
    doc = code(pipe, LEAD + text)
    assert {e.sub_event_type for e in doc.acled_events} == subs
