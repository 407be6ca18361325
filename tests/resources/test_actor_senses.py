"""Issue 15: the same words name different actors by period and country; the resolver picks with the date and the
story's country. One row per alias and context, written by hand with the ACLED name a coder would give."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rasd.resources.actors import Alias, load_actors
from rasd.text.normalize import normalize_key

SYR00, SYR24 = "Military Forces of Syria (2000-)", "Military Forces of Syria (2024-)"
SYRPOL24 = "Police Forces of Syria (2024-)"
HTS, SNA = "HTS: Hayat Tahrir al-Sham", "SNA: Syrian National Army"
REBELS = "Opposition Rebels (Syria)"
ASAYISH = "Asayish: Kurdish Internal Security Forces"
ISR22 = "Military Forces of Israel (2022-)"
LBN_POL = "Police Forces of Lebanon (2005-)"
D15, D20, D24, D25 = date(2015, 7, 20), date(2020, 3, 1), date(2024, 5, 1), date(2025, 3, 10)
OFFENSIVE = date(2024, 12, 1)  # the HTS-led offensive, 27 Nov - 7 Dec 2024
SUWAYDA = date(2025, 9, 1)  # after the National Guard was formed (Aug 2025)

# (alias as written, date, story country, ACLED name, or None when the words name no actor there)
SENSES: list[tuple[str, date | None, str | None, str | None]] = [
    # Syria's state forces change on 8 Dec 2024
    ("الجيش السوري", D15, "Syria", SYR00),
    ("الجيش السوري", date(2024, 12, 7), "Syria", SYR00),
    ("الجيش السوري", date(2024, 12, 8), "Syria", SYR24),
    ("الجيش السوري", D25, "Syria", SYR24),
    ("الجيش السوري", None, None, SYR00),
    ("الطائرات الحربية السورية", date(2025, 1, 5), None, SYR24),
    ("قوات الأمن السورية", date(2016, 1, 1), "Syria", "Police Forces of Syria (2000-)"),
    ("قوات الأمن السورية", D25, "Syria", SYRPOL24),
    ("الحكومة السورية", date(2013, 5, 1), "Syria", "Government of Syria (2000-)"),
    ("الحكومة السورية", D25, "Syria", "Government of Syria (2024-)"),
    ("وزارة الدفاع السورية", D15, "Syria", "Government of Syria (2000-)"),
    ("وزارة الدفاع السورية", D25, "Syria", SYR24),
    ("وزارة الدفاع", D25, "Syria", SYR24),
    ("وزارة الدفاع", D15, "Syria", None),
    ("حكومة دمشق", D25, "Syria", "Government of Syria (2024-)"),
    ("حكومة دمشق", D15, "Syria", None),
    # the Interior Ministry's forces after Dec 2024, the Kurdish Asayish before, Lebanon's police in Lebanon
    ("قوى الأمن الداخلي", date(2019, 5, 1), "Syria", ASAYISH),
    ("قوى الأمن الداخلي", date(2025, 6, 1), "Syria", SYRPOL24),
    ("قوى الأمن الداخلي", date(2019, 5, 1), "Lebanon", LBN_POL),
    ("قوى الأمن الداخلي", D25, "Lebanon", LBN_POL),
    ("الأمن الداخلي", D25, "Syria", SYRPOL24),
    ("الأمن الداخلي", date(2019, 5, 1), "Syria", None),
    ("قوات الأمن الداخلي", D25, "Syria", SYRPOL24),
    ("الأمن العام", D25, "Syria", SYRPOL24),
    ("الأمن العام", D25, "Lebanon", LBN_POL),
    ("الأمن العام", D20, "Jordan", "Police Forces of Jordan (1999-)"),
    ("مديرية الأمن العام", D20, "Jordan", "Police Forces of Jordan (1999-)"),
    ("جهاز الأمن العام", date(2023, 5, 1), "Syria", HTS),
    ("جهاز الأمن العام", D25, "Syria", SYRPOL24),
    ("إدارة العمليات العسكرية", OFFENSIVE, "Syria", HTS),
    ("إدارة العمليات العسكرية", date(2025, 1, 10), "Syria", SYR24),
    # the opposition offensive of Nov-Dec 2024 was led by HTS
    ("الثوار", D15, "Syria", REBELS),
    ("الثوار", OFFENSIVE, "Syria", HTS),
    ("الثوار", date(2025, 2, 1), "Syria", REBELS),
    ("فصائل المعارضة", OFFENSIVE, "Syria", HTS),
    ("الفصائل المسلحة", OFFENSIVE, "Syria", HTS),
    ("الفصائل المسلحة", D15, "Syria", None),
    # "the national army": the SNA in Syria, Yemen's, Somalia's army, Haftar's LNA
    ("الجيش الوطني", D20, "Syria", SNA),
    ("فصائل الجيش الوطني", D20, "Syria", SNA),
    ("الجيش الوطني", D15, "Yemen", "Military Forces of Yemen (2012-)"),
    ("الجيش الوطني", D24, "Yemen", "Military Forces of Yemen (2022-)"),
    ("الجيش الوطني", D24, "Somalia", "Military Forces of Somalia (2022-)"),
    ("الجيش الوطني", D24, "Libya", "LNA: Libyan National Army"),
    ("الجيش الوطني", None, None, "Military Forces of Yemen (2012-)"),
    # "the national guard": Suwayda's (from Aug 2025), Saudi Arabia's, Tunisia's
    ("الحرس الوطني", SUWAYDA, "Syria", "National Guard (Suwayda)"),
    ("الحرس الوطني", D25, "Syria", None),
    ("قوات الحرس الوطني", SUWAYDA, "Syria", "National Guard (Suwayda)"),
    ("الحرس الوطني", SUWAYDA, "Saudi Arabia", "Military Forces of Saudi Arabia (2015-)"),
    ("الحرس الوطني", SUWAYDA, "Tunisia", "Police Forces of Tunisia (2019-)"),
    # Kurdish forces
    ("الأسايش", D20, "Syria", ASAYISH),
    ("الأسايش", D20, "Iraq", "Police Forces of Iraq (2018-2020) Kurdistan Regional Government"),
    ("قوات الأمن الكردية", D24, "Iraq", "Police Forces of Iraq (2022-) Kurdistan Regional Government"),
    ("القوات الكردية", date(2014, 6, 1), "Syria", "YPG: People's Protection Units"),
    ("القوات الكردية", date(2019, 6, 1), "Syria", "SDF: Syrian Democratic Forces"),
    ("القوات الكردية", date(2019, 6, 1), "Iraq", "Military Forces of Iraq (2018-2020) Peshmerga"),
    # Sudan's RSF: a state force until the war of 15 April 2023, a rebel group since
    ("قوات الدعم السريع", date(2020, 1, 1), "Sudan", "Military Forces of Sudan (2019-) Rapid Support Forces"),
    (
        "قوات الدعم السريع",
        date(2023, 4, 14),
        "Sudan",
        "Military Forces of Sudan (2019-) Rapid Support Forces",
    ),
    ("قوات الدعم السريع", date(2023, 4, 15), "Sudan", "RSF: Rapid Support Forces"),
    ("الدعم السريع", D24, None, "RSF: Rapid Support Forces"),
    ("الحركة الشعبية", D24, "Sudan", "SPLM-N: Sudan People's Liberation Movement-North (Al Hilu Faction)"),
    (
        "قوات الحركة الشعبية",
        D24,
        "Sudan",
        "SPLM-N: Sudan People's Liberation Movement-North (Al Hilu Faction)",
    ),
    ("الحركة الشعبية", D24, "Syria", None),
    # "Assad's militias": the regime's forces before Dec 2024, loyalist remnants after
    ("ميليشيات الأسد", date(2016, 4, 1), "Syria", SYR00),
    ("ميليشيات الأسد", date(2025, 3, 7), "Syria", "Assad Loyalist Militia (Syria)"),
    ("فلول", date(2025, 3, 7), "Syria", "Assad Loyalist Militia (Syria)"),
    ("فلول", date(2025, 3, 7), "Yemen", None),
    # occupation forces: Israel's in Palestine, Lebanon, Syria; the US's in Iraq
    ("قوات الاحتلال", D24, "Palestine", ISR22),
    ("قوات الاحتلال", date(2019, 1, 1), "Lebanon", "Military Forces of Israel (2009-2021)"),
    ("قوات الاحتلال", D24, "Iraq", "Military Forces of the United States (2021-2025)"),
    ("قوات الاحتلال الأمريكي", D24, "Iraq", "Military Forces of the United States (2021-2025)"),
    ("جيش الاحتلال", D25, "Syria", ISR22),
    ("الاحتلال", D24, "Palestine", ISR22),
    ("الكيان", D25, "Syria", ISR22),
    ("الكيان", D25, "Yemen", None),
    ("الطائرات المعادية", D24, "Lebanon", ISR22),
    ("الطائرات المعادية", D24, "Yemen", None),
    # "the resistance": Yemen's Popular Resistance, Hezbollah in Lebanon, the Islamic Resistance in Iraq
    ("المقاومة", D15, "Yemen", "Popular Resistance (Yemen)"),
    ("المقاومة", D24, "Lebanon", "Hezbollah"),
    ("المقاومة الإسلامية", D24, "Lebanon", "Hezbollah"),
    ("المقاومة الإسلامية", D24, "Iraq", "Islamic Resistance in Iraq"),
    ("المقاومة العراقية", D24, "Iraq", "Islamic Resistance in Iraq"),
    ("المقاومة العراقية", date(2005, 1, 1), "Iraq", None),
    # al-Qaeda: AQAP in Yemen; Ansar al-Sharia in Yemen and Libya
    ("تنظيم القاعدة", date(2016, 1, 1), "Syria", "Al Qaeda"),
    ("تنظيم القاعدة", date(2016, 1, 1), "Yemen", "AQAP: Al Qaeda in the Arabian Peninsula"),
    ("القاعدة", D20, "Yemen", "AQAP: Al Qaeda in the Arabian Peninsula"),
    ("القاعدة", D20, "Syria", None),
    ("أنصار الشريعة", date(2013, 1, 1), "Libya", "Ansar al-Sharia (Libya)"),
    ("أنصار الشريعة", date(2012, 1, 1), "Yemen", "AQAP: Al Qaeda in the Arabian Peninsula"),
    # tribal fighters: Iraq's Sunni tribal mobilisation, Syria's Arab tribes
    ("مقاتلي العشائر", D15, "Iraq", "Tribal Mobilization Forces (Iraq)"),
    ("مقاتلي العشائر", date(2025, 7, 20), "Syria", "Arab Tribal Militia (Syria)"),
    # gendarmerie, Deterrence force, al-Shabaab, councils, commands named by country
    ("قوات الدرك", date(2016, 3, 1), "Turkey", "Police Forces of Turkey (2014-)"),
    ("قوات الدرك", D20, "Jordan", "Police Forces of Jordan (1999-)"),
    ("قوة الردع", date(2022, 1, 1), "Libya", "RADA: Special Deterrence Force"),
    ("قوة الردع", date(2022, 1, 1), "Lebanon", None),
    ("حركة الشباب", date(2023, 1, 1), "Somalia", "Al Shabaab"),
    ("حركة الشباب", date(2023, 1, 1), "Egypt", None),
    ("المجلس الانتقالي", D20, "Yemen", "STC: Southern Transitional Council"),
    ("المجلس الانتقالي", D20, "Sudan", None),
    ("القيادة العامة", D20, "Libya", "LNA: Libyan National Army"),
    ("القيادة العامة", D20, "Syria", None),
    ("درع الوطن", date(2023, 6, 1), "Yemen", "Military Forces of Yemen (2022-)"),
    ("قوات صنعاء", D24, "Yemen", "Houthi Movement"),
    ("الشرطة الوطنية", date(2023, 1, 1), "Somalia", "Police Forces of Somalia (2022-)"),
    ("القوات المساعدة", D24, "Morocco", "Police Forces of Morocco (1999-)"),
    ("مفارز الجيش", D24, "Algeria", "Military Forces of Algeria (1999-)"),
    ("قوة العمليات المشتركة", D24, "Libya", "Joint Operations Force (Misrata)"),
    # words that name the state force of whichever country the story is about
    ("القوات الحكومية", D15, "Syria", SYR00),
    ("القوات الحكومية", D25, "Syria", SYR24),
    ("القوات الحكومية", date(2016, 1, 1), "Yemen", "Military Forces of Yemen (2012-)"),
    ("القوات الحكومية", D24, "Sudan", "Military Forces of Sudan (2019-)"),
    ("القوات الحكومية", D24, "Libya", "Military Forces of Libya (2021-)"),
    ("القوات الحكومية", None, None, SYR00),
    ("القوى الأمنية", D20, "Lebanon", LBN_POL),
    ("القوى الأمنية", D24, "Iraq", "Police Forces of Iraq (2022-)"),
    ("القوى الأمنية", D25, "Syria", SYRPOL24),
]


@pytest.mark.parametrize(("alias", "on", "country", "name"), SENSES)
def test_alias_sense_issue15(alias: str, on: date | None, country: str | None, name: str | None) -> None:
    db = load_actors()
    actor = db.resolve(alias, on=on, country=country)
    got = actor.name_on(on) if actor is not None else None
    assert got == name, (alias, on, country, actor.id if actor else None)


# ACLED period names of state forces, by date
PERIODS = [
    ("الجيش الإسرائيلي", date(2015, 7, 1), "Military Forces of Israel (2009-2021)"),
    ("الجيش الإسرائيلي", date(2022, 3, 1), "Military Forces of Israel (2021-2022)"),
    ("الجيش الإسرائيلي", D25, ISR22),
    ("الجيش الأمريكي", date(2019, 5, 1), "Military Forces of the United States (2017-2021)"),
    ("الجيش الأمريكي", date(2025, 6, 1), "Military Forces of the United States (2025-)"),
    ("الجيش العراقي", D15, "Military Forces of Iraq (2014-2018)"),
    ("الجيش العراقي", date(2023, 1, 1), "Military Forces of Iraq (2022-)"),
    ("الجيش اليمني", date(2023, 1, 1), "Military Forces of Yemen (2022-)"),
    ("الجيش التركي", D15, "Military Forces of Turkey (2014-)"),
    ("الجيش التركي", D20, "Military Forces of Turkey (2016-)"),
    ("الجيش السوداني", date(2018, 1, 1), "Military Forces of Sudan (1989-2019)"),
    ("الجيش السوداني", D24, "Military Forces of Sudan (2019-)"),
]


@pytest.mark.parametrize(("alias", "on", "name"), PERIODS)
def test_period_names_issue15(alias: str, on: date, name: str) -> None:
    actor = load_actors().resolve(alias, on=on)
    assert actor is not None and actor.name_on(on) == name


def _ambiguous() -> dict[str, tuple[Alias, ...]]:
    """Curated aliases that name different actors, or hold only in some countries or periods."""
    db = load_actors()
    return {
        k: ss
        for k, ss in db.senses.items()
        if all(s.origin == "c" for s in ss)
        and (len(ss) > 1 or any(s.countries or s.since or s.until for s in ss))
    }


def _signature(senses: tuple[Alias, ...]) -> frozenset[tuple[object, ...]]:
    return frozenset((s.actor_id, s.countries, s.since, s.until, s.needs_country) for s in senses)


def test_every_ambiguous_alias_has_a_case_issue15() -> None:
    """Every alias naming different actors by period or country is in SENSES, or reads exactly like one that is
    (the same actors under the same conditions: "الجيش السوري" stands for the 70 forms of Syria's two armies)."""
    amb = _ambiguous()
    covered = {_signature(amb[normalize_key(a)]) for a, *_ in SENSES if normalize_key(a) in amb}
    missing = sorted(k for k, ss in amb.items() if _signature(ss) not in covered)
    assert not missing, missing


def _context(s: Alias) -> tuple[date, str | None]:
    """A day and a country where this sense, and only its actor's period, holds."""
    actor = load_actors().get(s.actor_id)
    lo = max(
        d for d in (actor.valid_from, s.since, date(actor.years[0] or 2011, 1, 1), date(2011, 1, 1)) if d
    )
    hi = min(
        d for d in (actor.valid_to, s.until, date(actor.years[1] or 2026, 12, 31), date(2026, 6, 30)) if d
    )
    on = lo + (hi - lo) // 2 if hi >= lo else lo + timedelta(days=1)
    country = sorted(s.countries)[0] if s.countries else actor.country
    return on, country


def test_every_sense_is_reachable_issue15() -> None:
    """No sense of an ambiguous alias is shadowed: on a day and in a country where its condition and its actor hold,
    the resolver picks it (or another sense of the same words that is just as valid there)."""
    db = load_actors()
    bad = []
    for key, senses in _ambiguous().items():
        for s in senses:
            on, country = _context(s)
            got = db.resolve(key, on=on, country=country)
            if got is None:
                bad.append((key, s.actor_id, on, country, None))
                continue
            rivals = [o for o in senses if o.actor_id == got.id]
            fits = got.id == s.actor_id or (
                rivals and rivals[0].admits(on, country) and got.valid_on(on) and got.country == country
            )
            if not fits:
                bad.append((key, s.actor_id, on, country, got.id))
    assert not bad, bad[:10]
