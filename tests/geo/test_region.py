"""Places of the Arab world beyond Syria (issue 15): first-level divisions as news names them, GeoNames towns,
homonyms across countries settled by the article's country, never guessed."""

from __future__ import annotations

import pytest

from rasd.geo import GeoResult, geocode


def at(text: str, startswith: str) -> GeoResult:
    return next(r for r in geocode(text) if r.location_ar.startswith(startswith))


@pytest.mark.parametrize(
    ("text", "phrase", "country", "admin1", "precision"),
    [
        # first-level divisions after the word news uses for them
        ("تواصلت الاشتباكات في ولاية الخرطوم", "ولاية الخرطوم", "Sudan", "Khartoum", 3),
        ("غارات على محافظة الحديدة غرب اليمن", "محافظة الحديدة", "Yemen", "Al Hudaydah", 3),
        ("قصف مدفعي على ولاية شمال دارفور", "ولاية شمال دارفور", "Sudan", "North Darfur", 3),
        ("اشتباكات في محافظة صلاح الدين", "محافظة صلاح الدين", "Iraq", "Salah al-Din", 3),
        ("انفجار في محافظة شمال سيناء", "محافظة شمال سيناء", "Egypt", "North Sinai", 3),
        ("هجوم على حقل غاز في إقليم كردستان العراق", "إقليم كردستان العراق", "Iraq", None, 3),
        # towns and cities (GeoNames, curated)
        ("قصفت قوات الدعم السريع مدينة الفاشر", "مدينة الفاشر", "Sudan", "North Darfur", 1),
        ("انفجار في مدينة بورتسودان", "مدينة بورتسودان", "Sudan", "Red Sea", 1),
        ("غارة إسرائيلية على بلدة بنت جبيل جنوب لبنان", "بلدة بنت جبيل", "Lebanon", "Nabatieh", 1),
        ("قصف على مدينة خان يونس جنوب قطاع غزة", "مدينة خان يونس", "Palestine", "Gaza Strip", 1),
        ("استهدفت غارة ميناء رأس عيسى في الحديدة", "ميناء رأس عيسى", "Yemen", "Al Hudaydah", 2),
        ("هجوم بطائرة مسيرة على حقل خور مور للغاز", "خور مور", "Iraq", "Sulaymaniyah", 2),
        ("اشتباكات في مديرية حيس بمحافظة الحديدة", "مديرية حيس", "Yemen", "Al Hudaydah", 2),
    ],
)
def test_places_of_the_region_issue15(
    text: str, phrase: str, country: str, admin1: str | None, precision: int
) -> None:
    r = at(text, phrase)
    assert (r.country, r.admin1, r.geo_precision) == (country, admin1, precision)
    assert r.latitude is not None and r.longitude is not None
    assert r.pcode is None  # outside Syria: a GeoNames id or a rasd id, never a made-up P-code
    assert r.place_id


def test_geonames_id_outside_syria_issue15() -> None:
    r = at("قصفت قوات الدعم السريع مدينة الفاشر", "مدينة الفاشر")
    assert r.place_id == "GN379555" and r.location == "El Fasher"


@pytest.mark.parametrize(
    ("text", "phrase", "country"),
    [
        # طرابلس is in Lebanon and in Libya: the article's country decides
        ("اشتباكات بين مجموعات مسلحة في طرابلس الليبية", "طرابلس", "Libya"),
        ("اشتباكات في طرابلس شمال لبنان", "طرابلس", "Lebanon"),
        (
            "قتلى في اشتباكات بمدينة الزاوية غرب طرابلس. وقالت حكومة الوحدة الوطنية الليبية",
            "غرب طرابلس",
            "Libya",
        ),
        # a Syrian village القاهرة in a Syrian story, Cairo in an Egyptian one
        ("قصفت قوات النظام قرية القاهرة في ريف حماة", "قرية القاهرة", "Syria"),
        ("وصل وفد حماس إلى القاهرة لبحث التهدئة", "القاهرة", "Egypt"),
        # a Syrian town more important than a Palestinian village of the same name
        ("مقتل 5 مدنيين بغارة لطيران النظام على مدينة دوما", "مدينة دوما", "Syria"),
    ],
)
def test_homonyms_across_countries_issue15(text: str, phrase: str, country: str) -> None:
    assert at(text, phrase).country == country


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("اشتباكات عنيفة في طرابلس", "طرابلس"),  # Lebanon or Libya: nothing says which
        ("قصفت الطائرات قرية القاهرة", "قرية القاهرة"),  # a village: not Cairo, and no country says which
    ],
)
def test_cross_country_homonyms_are_not_guessed_issue15(text: str, phrase: str) -> None:
    r = at(text, phrase)
    assert r.pcode is None and r.country is None and "several countries" in r.reason


@pytest.mark.parametrize(
    ("text", "country"),
    [("وصل الرئيس إلى تونس", "Tunisia"), ("أعلنت الجزائر", "Algeria"), ("زار أمير الكويت", "Kuwait")],
)
def test_country_named_like_its_capital_issue15(text: str, country: str) -> None:
    r = geocode(text)[0]
    assert (r.country, r.location, r.geo_precision) == (country, country, 3)
