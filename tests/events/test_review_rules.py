"""General rules from the coder review of 100 SaudiNewsNet articles (docs/review/saudinewsnet_100.md).

Real wording from the reviewed articles (SaudiNewsNet 2015); each table pins one rule through the default pipeline.
"""

from __future__ import annotations

from datetime import date

import pytest

from rasd.document import Document, Metadata

PUB = date(2015, 8, 10)
TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")


def code(pipe, text: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    return pipe(Document("t", text, Metadata(published=PUB))).acled_events


# ---- "بسيطرة Y على X", "سقوط مدينة X بيد Y": taking control; state forces among the takers -> government --------
TAKEOVERS = [
    (
        "وأفاد المرصد بعد ظهر أمس بسيطرة قوات حزب الله والنظام على سهل الزبداني الواقع في جنوب غرب المدينة",
        "Az-Zabdani",
        "Government regains territory",
    ),
    (
        "وأكد مصدر في المقاومة في محافظة أبين لـ«الشرق الأوسط» بسقوط مدينة شقرة الساحلية بيد قوات الجيش والمقاومة"
        " مساء أمس (الأحد)، وبعد ساعات، فقط على تحرير عاصمة المحافظة زنجبار.",
        "Shuqrah",
        None,
    ),
]


@pytest.mark.parametrize(("text", "location", "sub"), TAKEOVERS)
def test_takeover_wordings(pipe, text: str, location: str, sub: str | None) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, text)  # one event: the place taken is the one right after the trigger
    assert ev.location == location
    assert ev.sub_event_type == sub if sub else ev.sub_event_type in TERRITORY


# ---- "فرت صوب X", "النزوح باتجاه X": where people went is not where the event happened ------------------------
DESTINATIONS = [
    ("وقصفت قوات النظام أمس مدينة دوما ما دفع مئات العائلات إلى النزوح باتجاه مدينة حرستا", {"Duma"}),
    (
        "وقال قائد ميداني في المقاومة إن مواجهات عنيفة دارت أمس في مدينة زنجبار بين المقاومة والميليشيات التي فرت"
        " صوب مدينة شقرة",
        {"Zinjibar"},
    ),
    # no movement word: fire "باتجاه" a town targets it
    ("وأطلق مسلحو داعش أمس قذائف صاروخية باتجاه مدينة القامشلي", {"Quamishli"}),
]


@pytest.mark.parametrize(("text", "places"), DESTINATIONS)
def test_destination_is_not_the_place(pipe, text: str, places: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert {ev.location for ev in code(pipe, text)} == places


# ---- outlet names after ل / لـ / لصحيفة or in «» are the newspaper, not a place ------------------------------
OUTLETS = [
    (
        "الى ذلك قتل 9 أشخاص بينهم 5 مدنيين، وأصيب 81 آخرون، السبت إثر سلسلة انفجارات لألغام أرضية زرعها المتمردون"
        " في عدن جنوبي اليمن. وقالت مصادر طبية ل»الرياض» إن عددا من المصابين في حالة خطرة، مرجحة ارتفاع حصيلة"
        " القتلى خلال الساعات المقبلة",
        {"Aden"},
    ),
]


@pytest.mark.parametrize(("text", "places"), OUTLETS)
def test_outlet_is_not_a_place(pipe, text: str, places: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert {ev.location for ev in code(pipe, text)} == places


# ---- destroying car bombs is Disrupted weapons use, a car bomb going off is not ---------------------------------
CAR_BOMBS = [
    ("وتمكنت قوات الجيش العراقي أمس من تدمير سيارة مفخخة يقودها انتحاري من تنظيم داعش قرب مدينة بيجي", True),
    ("وقال مصدر أمني إن القوات العراقية دمرت عجلات مفخخة لتنظيم داعش أمس في مدينة الرمادي", True),
    ("انفجرت سيارة مفخخة أمس في مدينة الرمادي", False),
]


@pytest.mark.parametrize(("text", "disrupted"), CAR_BOMBS)
def test_destroyed_car_bomb(pipe, text: str, disrupted: bool) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, text)
    assert (ev.sub_event_type == "Disrupted weapons use") is disrupted
