"""Geocoder: real phrases from Syrian war news -> P-code, admin hierarchy and ACLED geo_precision."""

from __future__ import annotations

import pytest

from rasd.document import Document
from rasd.geo import GeoResult, geocode, geocode_document
from rasd.geo.resolve import Geocoder
from rasd.recognize.places import PlaceRecognizer


def first(text: str, startswith: str | None = None) -> GeoResult:
    results = geocode(text)
    if startswith is not None:
        return next(r for r in results if r.location_ar.startswith(startswith))
    return results[0]


@pytest.mark.parametrize(
    ("text", "phrase", "pcode", "precision"),
    [
        # the seed: الخوين is "خوين الكبير" Big Khwein in the gazetteer; the other Khwein (الشعر) is not a match
        ("أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة في بلدة الخوين بريف إدلب الجنوبي الشرقي",
         "بلدة الخوين", "C4091", 1),
        ("فيما تعرضت مناطق في بلدة الغنطو بريف حمص الشمالي لقصف", "بلدة الغنطو", "C2885", 1),
        ("محيط قرية الغاصبية بريف حمص الشمالي", "محيط قرية الغاصبية", "C2867", 2),
        ("ومحيط بلدة عقرب بريف حماه الجنوبي", "محيط بلدة عقرب", "C3049", 2),
        ("انفجار عنيف في بلدة الشجرة بريف درعا الغربي", "بلدة الشجرة", "C6021", 1),
        ("زيارة قبر سليمان شاه في مدينة تل أبيض", "مدينة تل أبيض", "C5792", 1),
        ("غارة جوية قرب مدينة الحسكة في شمال شرق سوريا", "قرب مدينة الحسكة", "C4360", 2),
        ("سيطرت قوات النظام على مدينة القريتين بريف حمص الجنوبي الشرقي", "مدينة القريتين", "C2663", 1),
        ("قصف الطيران مدينة منبج بريف حلب الشرقي", "مدينة منبج", "C1767", 1),
        ("اشتباكات في محيط مطار كويرس العسكري", "محيط مطار كويرس العسكري", "C1294", 2),
        ("في محيط مطار الثعلة", "محيط مطار الثعلة", "C6140", 2),
        ("جنوب مدينة كوباني السورية", "جنوب مدينة كوباني", "C1946", 2),
        # neighbourhoods: the city itself
        ("في حي جوبر بمحافظة دمشق", "حي جوبر", "C1001", 1),
        ("حي جمعية الزهراء شمال غرب حلب", "حي جمعية الزهراء", "C1007", 1),
        ("حي السبع بحرات بحلب القديمة", "حي السبع بحرات", "C1007", 1),
        # homonyms settled by context and by document focus
        ("تستمر المعارك حول الفوعة وكفريا المحاصرتين في ريف إدلب", "كفريا", "C3952", 1),
        ("استهدف الثوار بلدتي نبل والزهراء بريف حلب الشمالي", "الزهراء", "C1646", 1),
        # a governorate capital named bare is the city
        ("قصف الطيران حلب", "حلب", "C1007", 1),
        ("في مخيم اليرموك", "مخيم اليرموك", "C1002", 1),
    ],
)  # fmt: skip
def test_resolves(text: str, phrase: str, pcode: str, precision: int) -> None:
    r = first(text, phrase)
    assert r.location_ar == phrase
    assert r.pcode == pcode, r.reason
    assert r.geo_precision == precision
    assert text[r.evidence.start : r.evidence.end] == phrase


def test_seed_hierarchy() -> None:
    r = first("في بلدة الخوين بريف إدلب الجنوبي الشرقي")
    assert (r.pcode, r.location, r.admin1, r.admin2, r.country) == (
        "C4091",
        "Big Khwein",
        "Idleb",
        "Al Ma'ra",
        "Syria",
    )
    assert r.latitude == pytest.approx(35.479, abs=0.01) and r.longitude == pytest.approx(36.835, abs=0.01)


@pytest.mark.parametrize(
    ("text", "phrase", "pcode"),
    [
        ("في بلدة الخوين بريف إدلب الجنوبي الشرقي", "ريف إدلب الجنوبي الشرقي", "SY07"),
        ("جبهة النصرة في ريف حلب الغربي وريف إدلب الشمالي", "ريف حلب الغربي", "SY02"),
        ("ريف حمص الشمالي", "ريف حمص الشمالي", "SY04"),
        ("قصف على ريف دمشق", "ريف دمشق", "SY03"),
        ("تمتد المعارك إلى جرود القلمون", "جرود القلمون", "SY03"),
    ],
)
def test_region_is_admin_centroid_precision_3(text: str, phrase: str, pcode: str) -> None:
    r = first(text, phrase)
    assert r.pcode == pcode and r.geo_precision == 3
    assert r.latitude is not None and r.longitude is not None


@pytest.mark.parametrize(
    ("text", "phrase", "country", "name"),
    [
        ("هجوم انتحاري في مدينة سوروتش التركية", "مدينة سوروتش", "Turkey", "Suruc"),
        ("قوات البيشمركة في مخمور", "مخمور", "Iraq", "Makhmour"),
        ("معارك في الفلوجة", "الفلوجة", "Iraq", "Fallujah"),
        ("لاجئون في مدينة المفرق الأردنية", "مدينة المفرق", "Jordan", "Mafraq"),
        ("اشتباكات في جرود عرسال", "جرود عرسال", "Lebanon", "Arsal barrens"),
        ("شمال شرق بغداد", "شمال شرق بغداد", "Iraq", "Baghdad"),
    ],
)
def test_outside_syria(text: str, phrase: str, country: str, name: str) -> None:
    r = first(text, phrase)
    assert (r.country, r.location, r.pcode) == (country, name, None)
    assert r.latitude is not None


def test_unsettled_homonyms_are_not_guessed() -> None:
    # أبو دالي: villages in Idlib, Hama and Homs, nothing around to choose
    r = first("قتل مدني بقصف على قرية أبو دالي")
    assert r.pcode is None and r.geo_precision is None
    assert "ambiguous" in r.reason


def test_homonyms_in_one_subdistrict_fall_back_to_it() -> None:
    r = first("قصفت قوات النظام بلدة خربة السودا في ريف مركز حمص")
    assert r.pcode is not None and r.pcode.startswith("SY04") and r.geo_precision in (2, 3)


def test_stage_writes_resolved_value() -> None:
    doc = Document("t", "في بلدة الخوين بريف إدلب")
    Geocoder()(PlaceRecognizer()(doc))
    for m in doc.mentions_of("place"):
        assert "resolved" in m.value
        res = m.value["resolved"]
        assert set(res) >= {"location", "location_ar", "country", "admin1", "admin2", "admin3", "pcode",
                            "latitude", "longitude", "geo_precision", "reason"}  # fmt: skip


def test_geocode_document_reuses_mentions() -> None:
    doc = Document("t", "مدينة الزبداني")
    assert [r.pcode for r in geocode_document(doc)] == ["C2429"]
    assert [r.pcode for r in geocode_document(doc)] == ["C2429"]
    assert len(doc.mentions_of("place")) == 1


def test_result_to_dict() -> None:
    d = first("بلدة الخوين").to_dict()
    assert d["evidence"] == {"start": 0, "end": 11, "text": "بلدة الخوين"}


# ------------------------------------------------------------------ precision round (bench/geo_precision.py)
@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a Syrian village name in foreign surroundings is a foreign homonym, never the Syrian village
        (
            "أعلن المجلس العسكري الأعلى في الجيش السوري الحر عن هيكلة جديدة في مدينة الريحانية التركية أمس",
            "الريحانية",
        ),
        ("قبالة سواحل مدينة شقرة في محافظة أبين جنوب اليمن", "شقرة"),
        ("بينما في محافظة البيضاء وسط اليمن أفادت مصادر بمقتل 3 حوثيين", "البيضاء"),
        # a foreign district known by name only needs its country in context: "مخمور" is also "drunk"
        ("عاد الرجل مخمور إلى منزله في ساعة متأخرة", "مخمور"),
    ],
)
def test_foreign_homonyms_not_resolved_to_syria(text: str, phrase: str) -> None:
    for r in geocode(text):
        if phrase in r.location_ar:
            assert r.pcode is None or not r.pcode.startswith(("C", "SY")), (r.location_ar, r.pcode)
            assert r.country != "Syria"


@pytest.mark.parametrize(
    ("text", "phrase", "pcode"),
    [
        # a country alone in the sentence does not make a border village foreign
        (
            "خطفت جبهة النصرة خمسة مقاتلين على الاقل من الفرقة 30 في قرية قاح الحدودية مع تركيا في ريف إدلب",
            "قاح",
            "C4131",
        ),
        # a list of governorates: a peer is no admin context ("القنيطرة" is the capital, not a Hasakah village)
        (
            "ألقى الطيران براميل متفجرة على عدة مناطق في محافظات دمشق وريف دمشق وحلب والحسكة والقنيطرة والسويداء",
            "القنيطرة",
            "C6268",
        ),
        # "مدينتا" (dual) is a town cue; Damascus city supports the towns of Rural Damascus around it
        (
            "على غرار ما تتعرض له مدينتا قدسيا والهامة في ريف العاصمة السورية دمشق لليوم العشرين",
            "قدسيا",
            "C2328",
        ),
    ],
)
def test_syrian_places_kept(text: str, phrase: str, pcode: str) -> None:
    got = {r.pcode for r in geocode(text) if phrase in r.location_ar}
    assert got == {pcode}, [(r.location_ar, r.pcode, r.reason) for r in geocode(text)]


@pytest.mark.parametrize(
    ("text", "phrase", "country"),
    [
        # a town cue alone does not make a foreign town the Syrian village of that name
        (
            "بعد التفجير الانتحاري الذي وقع مؤخرًا في مدينة سروج الحدودية التابعة لولاية شانلي أورفا",
            "سروج",
            "Turkey",
        ),
        (
            "والبعض الآخر استقر في مدينة القبة المجاورة لمدينة درنة التي تعقد فيها جلسات الحكومة المؤقتة",
            "القبة",
            "Libya",
        ),
    ],
)
def test_foreign_town_with_cue(text: str, phrase: str, country: str) -> None:
    got = [r for r in geocode(text) if phrase in r.location_ar]
    assert got and all(r.country == country for r in got), [(r.location_ar, r.country, r.reason) for r in got]


def test_south_sudan_is_not_sudan() -> None:
    got = {r.location for r in geocode("أنجولا - بنين - السودان - جنوب السودان - السنغال")}
    assert got == {"Sudan", "South Sudan"}
