"""Improvement round 2 of the event coder: actor roles, actor fields by country and period, quantities, filters,
statements and merging, on real Arabic phrasing (SaudiNewsNet 2015 and the coder review of
docs/review/saudinewsnet_100.md), through the default pipeline and with hand-built mentions.
"""

from __future__ import annotations

from datetime import date

import pytest

from rasd.document import Document, Mention, Metadata, Span
from rasd.events import EventCoder
from rasd.events.actors import inter_in, name_in

PUB = date(2015, 7, 21)


def code(pipe, text: str, published: date = PUB) -> Document:  # type: ignore[no-untyped-def]
    return pipe(Document("t", text, Metadata(published=published)))


# ---- who did it to whom ------------------------------------------------------------------------------------
# (text, sub_event_type, actor1, actor2)
ROLES = [
    # "استهدف X Y": the verb's subject acts; "تمركزات لقوات النظام" is what is hit ("لقوات" is only "of")
    (
        "استهدفت الفصائل المعارضة تمركزات لقوات النظام بقذائف الهاون في محيط قرية الغاصبية بريف حمص الشمالي أمس",
        "Shelling/artillery/missile attack",
        "Opposition Rebels (Syria)",
        "Military Forces of Syria (2000-)",
    ),
    # barrel bombs are a weapon, never the target
    (
        "قصف الطيران المروحي بالبراميل المتفجرة مناطق في مدينة تلبيسة أمس",
        "Air/drone strike",
        "Military Forces of Syria (2000-)",
        None,
    ),
    # "نفذت X غارة ضد أهداف لـ Y": the subject before a verbal-noun trigger acts, the owner of the targets is hit;
    # Islamic State in Iraq takes its Iraqi name
    (
        "نفذت قوات التحالف الدولي 20 غارة جوية ضد أهداف لتنظيم داعش الإرهابي قرب الرمادي أمس",
        "Air/drone strike",
        "Operation Inherent Resolve: Anti-ISIS coalition",
        "Islamic State (Iraq)",
    ),
    # "مقتل 33 مسلحاً من تنظيم داعش بانفجار سيارة مفخخة، يقودها انتحاري، استهدف مركز تدريب لداعش": the organisation
    # after من, not the generic "مسلحاً", is hit; the suicide bomber refines the explosion; "شمال غرب بغداد" only
    # locates al-Baaj
    (
        "أفاد شهود عيان أمس بمقتل 33 مسلحاً من تنظيم داعش بانفجار سيارة مفخخة، يقودها انتحاري، استهدف مركز تدريب"
        " لداعش في قضاء البعاج شمال غرب بغداد",
        "Suicide bomb",
        "Unidentified Armed Group (Iraq)",
        "Islamic State (Iraq)",
    ),
    # a soldier killed by a mine is a victim, never actor1: the Turkish army is hit
    (
        "كما قتل جندي تركي وأصيب آخر إثر انفجار لغم في مركبة عسكرية في محافظة ماردين أمس",
        "Remote explosive/landmine/IED",
        "Unidentified Armed Group (Turkey)",
        "Military Forces of Turkey (2014-)",
    ),
    # policemen found shot: a battle against the Turkish police, the role word never actor1
    (
        "أعلن حاكم محافظة شانلي اورفة أنه تم العثور صباح أمس على شرطيين قتلا برصاصة في الرأس في مدينة جيلان بينار",
        "Armed clash",
        None,
        "Police Forces of Turkey (2014-)",
    ),
    # the attack attributed by the authorities: "نسبته السلطات إلى التمرد الكردي" names the agent; police victims
    # make it a battle (the gold's convention)
    (
        "وقتل عنصران من الشرطة التركية بالرصاص صباح أمس في منطقة أضنة، في هجوم جديد نسبته السلطات إلى التمرد الكردي",
        "Armed clash",
        "PKK: Kurdistan Workers Party",
        "Police Forces of Turkey (2014-)",
    ),
    # an unattributed air force yields to the named one of the sentence
    (
        "أعلنت وزارة الدفاع الروسية أن الطيران الحربي قصف مواقع لتنظيم داعش في مدينة تدمر أمس",
        "Air/drone strike",
        "Military Forces of Russia (2000-)",
        "Islamic State (Syria)",
    ),
    # towns "loyal to the regime" are qualified, the regime is not a side; bare "المعارضة" is the rebels
    (
        "وقصفت المعارضة أمس بلدات موالية للنظام في ريف إدلب",
        "Shelling/artillery/missile attack",
        "Opposition Rebels (Syria)",
        None,
    ),
]


@pytest.mark.parametrize(("text", "sub", "actor1", "actor2"), ROLES)
def test_roles(pipe, text: str, sub: str, actor1: str | None, actor2: str | None) -> None:  # type: ignore[no-untyped-def]
    evs = code(pipe, text).acled_events
    assert len(evs) == 1, [(e.sub_event_type, e.location) for e in evs]
    ev = evs[0]
    assert ev.sub_event_type == sub
    assert ev.actor1 == actor1
    assert ev.actor2 == actor2


def test_police_by_role_and_grievance_is_not_a_target(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(
        pipe, "وقتل ضابطا شرطة في هجوم استهدفهما بمدينة شانلي أورفا في جنوب شرق تركيا أمس"
    ).acled_events
    assert (ev.sub_event_type, ev.actor2) == ("Armed clash", "Police Forces of Turkey (2014-)")
    text = (
        "وتظاهر عشرات الأكراد في محافظة السليمانية في شمال العراق مساء أمس، احتجاجا على الغارات الجوية التركية على"
        " أهداف لحزب العمال الكردستاني"
    )
    (ev,) = code(pipe, text).acled_events
    assert (ev.sub_event_type, ev.actor1, ev.actor2) == ("Peaceful protest", "Protesters (Iraq)", None)


def test_people_who_fled_are_not_casualties(pipe) -> None:  # type: ignore[no-untyped-def]
    text = (
        "اندلعت اشتباكات عنيفة أمس في مدينة الزبداني بين قوات النظام والمعارضة، أدت إلى مقتل 8 من المعارضة إلى"
        " جانب هروب العشرات منهم"
    )
    (ev,) = code(pipe, text).acled_events
    assert (ev.fatalities, ev.wounded, ev.captured) == (8, None, None)


def test_state_forces_abroad_are_external(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, "قصفت ثلاث طائرات حربية تركية أمس مواقع لتنظيم داعش في مدينة جرابلس").acled_events
    assert (ev.actor1, ev.inter1) == ("Military Forces of Turkey (2014-)", 8)
    assert ev.actor2 == "Islamic State (Syria)"


def test_generic_victims_take_the_event_country(pipe) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, "قتل 30 مدنيا في تفجير انتحاري في مدينة سوروتش التركية أمس").acled_events
    assert ev.country == "Turkey"
    assert ev.actor1 == "Unidentified Armed Group (Turkey)"
    assert ev.fatalities == 30


def test_lead_sentence_names_the_series_perpetrator(pipe) -> None:  # type: ignore[no-untyped-def]
    text = (
        'نفذت قوات التحالف الدولي بقيادة الولايات المتحدة وحلفاءها اليوم 41 ضربة جوية استهدفت مواقع لتنظيم " داعش "'
        " الإرهابي في سوريا والعراق .\nوقالت القيادة المشتركة في بيان : إن 17 ضربة جوية نفذت قرب دير الزور،"
        ' استهدفت مناطق تجمعات وجسور ونقاط تفتيش لتنظيم " داعش " في سوريا .'
    )
    evs = code(pipe, text).acled_events
    assert [e.sub_event_type for e in evs] == ["Air/drone strike"]  # "استهدفت" continues the strike clause
    assert evs[0].actor1 == "Operation Inherent Resolve: Anti-ISIS coalition"
    assert "actor1_from_context" in evs[0].flags


# ---- strong, placed, named: a moderate classifier score does not veto --------------------------------------
def test_anchored_territory_survives_moderate_classifier(pipe) -> None:  # type: ignore[no-untyped-def]
    # an article (a one-sentence document is coded as a sentence, with the classifier's plain veto)
    text = "ونقلت وكالات الأنباء التفاصيل التالية. وسيطر تنظيم داعش على مدينة القريتين أمس بعد قتال عنيف مع قوات الجيش السوري"
    (ev,) = code(pipe, text).acled_events
    assert ev.sub_event_type == "Non-state actor overtakes territory"
    assert ev.actor1 == "Islamic State (Syria)"


# ---- quantities --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "fatalities"),
    [
        # a subset ("بينهم") is part of the total, never added; the toll told first belongs to the attack after it
        ("قتل 12 شخصا، بينهم 5 أطفال، في قصف لقوات النظام على مدينة دوما أمس", 12),
        ("قالت مصادر إن الاشتباكات في مدينة الزبداني أمس أسفرت عن مقتل 12 شخصا، بينهم 5 أطفال.", 12),
    ],
)
def test_subset_quantities_are_not_added(pipe, text: str, fatalities: int) -> None:  # type: ignore[no-untyped-def]
    (ev,) = code(pipe, text).acled_events
    assert ev.fatalities == fatalities


# ---- not events ----------------------------------------------------------------------------------------------
NOT_EVENTS = [
    # stopping an operation negates it (and is no arrest)
    "أفادت مصادر عسكرية عراقية أمس بأن القوات العراقية أوقفت عمليات القصف الجوي والمدفعي على مدينة الفلوجة",
    "وقالت المصادر إن القوات العراقية علّقت جزئياً العمليات العسكرية من قصف جوي ومدفعي على أحياء الفلوجة أمس",
    # withdrawing towards a town is a movement, not a handover of it
    "وأشار إلى أن الميليشيات انسحبت نحو مدينة شقرة الساحلية أمس",
    # weapons seized are not territory taken
    "واستولى مقاتلو المعارضة على دبابتين في بلدة مورك أمس",
    "فإن مصراتة استولت على كميات ضخمة من الأسلحة من مخازن الجيش الليبي في مدينة سرت أمس",
    # a raid, not a clash
    "كما شنت حملات استهدفت عناصر حزب العمال الكردستاني في العاصمة أنقرة أمس",
]


@pytest.mark.parametrize("text", NOT_EVENTS)
def test_not_events(pipe, text: str) -> None:  # type: ignore[no-untyped-def]
    assert code(pipe, text).acled_events == []


# objections about weak wording: the hand rules drop these; under the learned scorer (issue 14) the objection is
# one weighed feature (``drop=weak_unanchored``), so they are pinned for the rules alone
WEAK_WORDING = [
    # "بقصف": a verb form after a preposition is a noun (here: supporting a right to bomb)
    "كما ايدت واشنطن حق حليفتها في الحلف الاطلسي بقصف حزب العمال الكردستاني",
]


@pytest.mark.parametrize("text", WEAK_WORDING)
def test_weak_wording_dropped_by_the_rules(pipe, text: str) -> None:  # type: ignore[no-untyped-def]
    doc = Document("t", text, Metadata(published=PUB))
    for st in pipe.stages:
        if st.name != "events":
            doc = st(doc)
    assert EventCoder(scorer=False)(doc).acled_events == []


def test_demining_is_disrupted_weapons_use_not_an_explosion(pipe) -> None:  # type: ignore[no-untyped-def]
    text = "كما قامت باستخراج أكثر من 300 لغم أرضي زرعتها ميليشيات الحوثي وصالح في المنطقة الصحراوية"
    assert all(e.event_type != "Explosions/Remote violence" for e in code(pipe, text).acled_events)


# ---- statements ----------------------------------------------------------------------------------------------
NOT_STATEMENTS = [
    "وتواصل فرق الإنقاذ عملها بحثا عن مفقودين بعد غرق القارب قبالة السواحل التركية، وقال وزير الداخلية التركي",
    "وصلت إلى المدينة عشرات العربات التي تحمل مئات المقاتلين من ميليشيات الحوثي",
    "وقال المصدر طالبا عدم الإشارة إلى اسمه إن الجيش اللبناني دخل البلدة",
    "ثم دعا بالنصر والعزة للجهاديين في الصومال وأفغانستان، وقال تنظيم داعش",
]


@pytest.mark.parametrize("text", NOT_STATEMENTS)
def test_not_statements(pipe, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [s.plover for s in code(pipe, text).statements] == []


# ---- coder rules on hand-built mentions (docs/mentions.md contract only) --------------------------------------
def _actor(text: str, start: int, **value: object) -> Mention:
    return Mention(
        "actor", Span(start, start + len(text), text), dict(value), entry=None, source="t", score=1.0
    )


@pytest.mark.parametrize(
    ("year", "name"),
    [
        (2015, "Military Forces of the United States (2009-2017)"),
        (2018, "Military Forces of the United States (2017-2021)"),
        (2023, "Military Forces of the United States (2021-)"),
    ],
)
def test_names_by_year(year: int, name: str) -> None:
    m = _actor(
        "الجيش الأمريكي",
        0,
        name="Military Forces of the United States (2009-2017)",
        inter=8,
        country="United States",
        names_by_year=[
            [2009, 2016, "Military Forces of the United States (2009-2017)"],
            [2017, 2020, "Military Forces of the United States (2017-2021)"],
            [2021, None, "Military Forces of the United States (2021-)"],
        ],
    )
    assert name_in(m, "Syria", year) == name


def test_name_template_and_inter_abroad() -> None:
    civ = _actor("مدنيين", 0, name="Civilians (Syria)", inter=7, name_template="Civilians ({country})")
    assert name_in(civ, "Turkey") == "Civilians (Turkey)"
    tur = _actor(
        "الجيش التركي", 0, name="Military Forces of Turkey (2014-)", inter=1, country="Turkey", inter_abroad=8
    )
    assert inter_in(tur, "Syria") == 8
    assert inter_in(tur, "Turkey") == 1
    iss = _actor(
        "داعش", 0, name="Islamic State (Syria)", inter=2, names_by_country={"Iraq": "Islamic State (Iraq)"}
    )
    assert name_in(iss, "Iraq") == "Islamic State (Iraq)"


def test_coder_runs_on_mentions_without_new_fields() -> None:
    """Older mentions (no names_by_year / inter_abroad / unattributed) still code."""
    text = "قصفت قوات النظام مدينة دوما أمس"
    doc = Document("t", text, Metadata(published=PUB))
    doc.mentions.append(
        _actor("قوات النظام", 5, name="Military Forces of Syria (2000-)", inter=1, country="Syria")
    )
    doc = EventCoder(classifier=False, require_location=False)(doc)
    assert [e.actor1 for e in doc.acled_events] == ["Military Forces of Syria (2000-)"]
