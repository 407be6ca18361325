"""Date recogniser: real phrasing from Arabic news (SaudiNewsNet 2015 articles, the seed page) as tables."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import Document, Metadata
from rasd.recognize.dates import DateRecognizer, find_dates

P2015 = date(2015, 7, 21)  # a Tuesday
SEED = date(2018, 2, 13)

# (text, published, surface, start, end, precision)
CASES = [
    # the seed page
    (
        "قتل وجرح العشرات من فلول تنظيم الدولة في بلدة الخوين بريف إدلب الجنوبي الشرقي خلال الأيام الثلاثة الماضية",
        SEED,
        "خلال الأيام الثلاثة الماضية",
        "2018-02-10",
        "2018-02-13",
        2,
    ),
    ("التاريخ : ١٣ فبراير ٢٠١٨ م", None, "١٣ فبراير ٢٠١٨ م", "2018-02-13", "2018-02-13", 1),
    ("وكشفت الغرفة في بيان لها اليوم عن تنسيق", SEED, "اليوم", "2018-02-13", "2018-02-13", 1),
    # relative days
    ("شهدت تركيا أمس الاثنين هجوما انتحاريا داميا", P2015, "أمس الاثنين", "2015-07-20", "2015-07-20", 1),
    ("أعلنت السلطات السعودية القبض عليها أول من أمس", P2015, "أول من أمس", "2015-07-19", "2015-07-19", 1),
    (
        "فتح الطيران الحربي نيران رشاشاته الثقيلة بعد منتصف ليل أمس الأول على مناطق",
        date(2015, 7, 24),
        "بعد منتصف ليل أمس الأول",
        "2015-07-22",
        "2015-07-22",
        1,
    ),
    (
        "الناس الذين نزلوا أول من أمس (السبت) إلى الشارع",
        date(2015, 8, 10),
        "أول من أمس (السبت)",
        "2015-08-08",
        "2015-08-08",
        1,
    ),
    (
        "وقتل عنصران من الشرطة التركية بالرصاص صباح أمس في منطقة أضنة",
        date(2015, 8, 1),
        "صباح أمس",
        "2015-07-31",
        "2015-07-31",
        1,
    ),
    ("مساء أمس (السبت) عند الساعة", date(2015, 7, 19), "مساء أمس (السبت)", "2015-07-18", "2015-07-18", 1),
    ("قالت الشرطة الليلة الماضية إن", P2015, "الليلة الماضية", "2015-07-20", "2015-07-20", 1),
    (
        "حدد رئيس الوزراء البريطاني ديفيد كاميرون، اليوم (الاثنين)، ملامح استراتيجية",
        date(2015, 7, 20),
        "اليوم (الاثنين)",
        "2015-07-20",
        "2015-07-20",
        1,
    ),
    # weekdays: the most recent such day on or before publication
    (
        "هجوم نفذه مسلحون في التنظيم الخميس على موقع متقدم للجيش التركي",
        date(2015, 7, 25),
        "الخميس",
        "2015-07-23",
        "2015-07-23",
        1,
    ),
    (
        "وذلك خلال عملية مداهمة لمدينة القريتين التي استولوا عليها، الأربعاء",
        date(2015, 8, 8),
        "الأربعاء",
        "2015-08-05",
        "2015-08-05",
        1,
    ),
    (
        "سقوط مئات القذائف على مناطق في بلدتي الفوعة وكفريا بإدلب منذ الاثنين",
        P2015,
        "منذ الاثنين",
        "2015-07-20",
        "2015-07-21",
        2,
    ),
    ("قصفت الطائرات فجر السبت مواقع", P2015, "فجر السبت", "2015-07-18", "2015-07-18", 1),
    ("وصل الوفد الخميس الماضي", P2015, "الخميس الماضي", "2015-07-16", "2015-07-16", 1),
    # ranges and periods
    ("التي منعها التنظيم قبل أيام", P2015, "قبل أيام", "2015-07-14", "2015-07-20", 2),
    (
        "طبيق الاتفاق المبرم الأسبوع الماضي حول النووي الإيراني",
        P2015,
        "الأسبوع الماضي",
        "2015-07-14",
        "2015-07-20",
        2,
    ),
    ("قتل خلال الـ24 ساعة الماضية", P2015, "خلال الـ24 ساعة الماضية", "2015-07-20", "2015-07-21", 2),
    ("اعتقل منذ يومين", P2015, "منذ يومين", "2015-07-19", "2015-07-19", 1),
    ("اختفى منذ ثلاثة أيام", P2015, "منذ ثلاثة أيام", "2015-07-18", "2015-07-18", 1),
    ("وصلت التعزيزات الشهر الماضي", P2015, "الشهر الماضي", "2015-06-01", "2015-06-30", 3),
    # absolute, MSA and Levantine months, written-out days
    (
        "قتل سليمان هلال الأسد للعقيد حسان الشيخ عند دوار الأزهري بمدينة اللاذقية ليل السادس من أغسطس",
        date(2015, 8, 10),
        "ليل السادس من أغسطس",
        "2015-08-06",
        "2015-08-06",
        1,
    ),
    (
        "لأمن الدولي في 14 يوليو (تموز) اتفاقا مع إيران",
        P2015,
        "14 يوليو (تموز)",
        "2015-07-14",
        "2015-07-14",
        1,
    ),
    (
        "تمت متزامنة في 26 يونيو (حزيران) الماضي في ثلاث قارات",
        P2015,
        "26 يونيو (حزيران) الماضي",
        "2015-06-26",
        "2015-06-26",
        1,
    ),
    (
        "عركة في الثالث من يوليو (تموز) الحالي",
        P2015,
        "الثالث من يوليو (تموز) الحالي",
        "2015-07-03",
        "2015-07-03",
        1,
    ),
    ("قتل في الرياض في فبراير/ شباط 2004)", P2015, "فبراير/ شباط 2004", "2004-02-01", "2004-02-29", 3),
    ("وقع الهجوم في 13 شباط 2018", None, "13 شباط 2018", "2018-02-13", "2018-02-13", 1),
    ("في الثالث عشر من فبراير", SEED, "الثالث عشر من فبراير", "2018-02-13", "2018-02-13", 1),
    ("بدأت المعركة في يوليو الماضي", date(2015, 8, 7), "يوليو الماضي", "2015-07-01", "2015-07-31", 3),
    ("الاجتماع في 2 كانون الأول 2015", None, "2 كانون الأول 2015", "2015-12-02", "2015-12-02", 1),
    ("مساء الثلاثاء 21 يوليو", None, "مساء الثلاثاء 21 يوليو", None, None, 1),
    (
        "فجر الخامس من الشهر الجاري",
        date(2015, 8, 10),
        "فجر الخامس من الشهر الجاري",
        "2015-08-05",
        "2015-08-05",
        1,
    ),
    ("ضحايا محافظة حلب منذ يوم 24/ 7 قد انخفض", date(2015, 8, 1), "يوم 24/ 7", "2015-07-24", "2015-07-24", 1),
    # numeric and Hijri
    ("بتاريخ 13/2/2018", None, "13/2/2018", "2018-02-13", "2018-02-13", 1),
    ("بتاريخ 2018-02-13", None, "2018-02-13", "2018-02-13", "2018-02-13", 1),
    ("بتاريخ 13-2-2018", None, "13-2-2018", "2018-02-13", "2018-02-13", 1),
    ("ساء بتاريخ 10 / 1 / 1436هـ", None, "10 / 1 / 1436هـ", "2014-11-03", "2014-11-03", 1),
    ("الموافق 13 شوال 1436 هـ", None, "13 شوال 1436 هـ", "2015-07-29", "2015-07-29", 1),
    ("الاثنين ٢٠ يوليو ٢٠١٥", None, "الاثنين ٢٠ يوليو ٢٠١٥", "2015-07-20", "2015-07-20", 1),
]


@pytest.mark.parametrize(("text", "published", "surface", "start", "end", "precision"), CASES)
def test_date_cases(
    text: str, published: date | None, surface: str, start: str, end: str, precision: int
) -> None:
    found = find_dates(text, published)
    by_surface = {text[s:e]: v for s, e, v in found}
    assert surface in by_surface, f"{surface!r} not in {list(by_surface)}"
    v = by_surface[surface]
    assert (v["start"], v["end"], v["precision"]) == (start, end, precision)


# (text, published) where nothing should be read as a date
NEGATIVES = [
    ("مارس ضغوطا كبيرة على الحكومة", P2015),
    ("في اليوم التالي للهجوم", P2015),
    ("قتل اثنين من المدنيين", P2015),
    ("قالت صحيفة اليوم إن", P2015),
    ("أحد عناصر التنظيم", P2015),
]


NEGATIVES += [
    ("وفي اليوم التالي تمكنت قوات الأمن", P2015),
    ("في 3/4 الحالات", P2015),  # a fraction
    ("وهناك في باب «مسارات حرة» موضوع بعنوان", P2015),  # ب + "اب" is not the month آب
    ("داليا أبوالعيش- عين اليوم ذكرت صحيفة", P2015),  # the outlet "عين اليوم"
]


@pytest.mark.parametrize(("text", "published"), NEGATIVES)
def test_not_dates(text: str, published: date) -> None:
    assert find_dates(text, published) == []


def test_year_only_is_marked() -> None:
    text = "منذ اندلاع الأزمة عام 2011 قتل أكثر من 240 ألف شخص"
    ((s, e, v),) = find_dates(text, P2015)
    assert text[s:e] == "عام 2011"
    assert v["year_only"] is True and v["precision"] is None and v["start"] == "2011-01-01"


def test_relative_without_publication_date() -> None:
    ((_, _, v),) = find_dates("خلال الأيام الثلاثة الماضية", None)
    assert v["start"] is None and v["end"] is None and v["relative"] is True and v["precision"] == 2


def test_future_weekday() -> None:
    ((_, _, v),) = find_dates("يعقد الاجتماع الأحد المقبل", P2015)
    assert v["future"] is True and v["start"] == "2015-07-26"


def test_anchor_calibrated_by_today_weekday() -> None:
    # crawl date Friday 7 Aug 2015, but the article says "today Thursday": أمس is Wednesday 5 Aug
    text = "أعلنت حسابات التنظيم اليوم الخميس مقتله. وكان قد أصيب أمس"
    values = {text[s:e]: v for s, e, v in find_dates(text, date(2015, 8, 7))}
    assert values["اليوم الخميس"]["start"] == "2015-08-06"
    assert values["أمس"]["start"] == "2015-08-05"


def test_stage_adds_mentions_with_original_offsets() -> None:
    text = "وقتل عنصران من الشرطة التركية بالرصاص صباح أمس في منطقة أضنة"
    doc = DateRecognizer()(Document("t", text, Metadata(published=date(2015, 8, 1))))
    (m,) = doc.mentions_of("date")
    assert doc.text[m.start : m.end] == m.text == "صباح أمس"
    assert m.value["anchor"] == "published" and m.value["part"] == "morning"
    assert m.source == "dates"


def test_tomorrow_is_future() -> None:
    text = "ري في الدوحة والاجتماع القادم غداً الثلاثاء في موسكو"
    ((s, e, v),) = find_dates(text, date(2015, 8, 10))
    assert text[s:e] == "غداً الثلاثاء" and v["start"] == "2015-08-11" and v["future"] is True


def test_published_may_be_a_datetime() -> None:
    from datetime import datetime

    ((_, _, v),) = find_dates("قتل أمس", datetime(2015, 7, 21, 14, 30))
    assert v["start"] == "2015-07-20"


# --- issue #10: impossible dates, hostile anchors, round trips over the whole month lexicon ----------------

# (text, surface that must come out null and marked invalid, or None when nothing may be recognised at all)
IMPOSSIBLE = [
    ("قصفت الطائرات البلدة في 31 شباط 2018", "31 شباط 2018"),
    ("وقع الهجوم يوم 30 فبراير", "30 فبراير"),
    ("في 32 أيار 2018 قتل", "32 أيار 2018"),
    ("في 0 مايو 2018", "0 مايو 2018"),
    ("29 فبراير 2017", "29 فبراير 2017"),  # not a leap year
    ("15 مايو 99999", "15 مايو 99999"),  # a year is written: never replaced by the anchor's
    ("15 مايو 1436", "15 مايو 1436"),  # a Hijri year after a Gregorian month
    ("في أيار 99999", "أيار 99999"),
    ("30 محرم 1436 هـ", "30 محرم 1436 هـ"),  # Muharram 1436 has 29 days
    ("31 رمضان 1436 هـ", "31 رمضان 1436 هـ"),
    ("1 محرم 9999 هـ", "1 محرم 9999 هـ"),  # beyond hijridate's range
    ("13/13/2018", None),
    ("31/2/2018", None),
    ("عام 99999", None),
    ("99999هـ", None),
]


@pytest.mark.parametrize(("text", "surface"), IMPOSSIBLE)
def test_impossible_dates_are_null_never_wrong_issue10(text: str, surface: str | None) -> None:
    found = find_dates(text, SEED)
    assert all(v["start"] is None and v["end"] is None for _, _, v in found), found
    if surface is None:
        assert found == []
    else:
        by_surface = {text[s:e]: v for s, e, v in found}
        assert surface in by_surface, list(by_surface)
        assert by_surface[surface]["invalid"] is True


def test_valid_dates_are_not_invalid_issue10() -> None:
    for _, _, v in find_dates("29 فبراير 2016 و13 شوال 1436 هـ وأمس", SEED):
        assert v["start"] is not None and v["invalid"] is False


def _month_names() -> list[tuple[str, int]]:
    from rasd.lang import load

    months = load("ar", "months")
    return [
        (name, num)
        for group in ("gregorian_msa", "levantine", "maghrebi")
        for name, num in months[group].items()
    ]


MONTH_NAMES = _month_names()
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(("name", "month"), MONTH_NAMES)
def test_every_month_name_and_year_round_trips_issue10(name: str, month: int) -> None:
    """Every month name of lang/ar/months.json, with every year 1990-2030 (in Western or Arabic-Indic digits),
    reads back as exactly that day, the mention covering the whole expression."""
    import calendar

    for year in range(1990, 2031):
        day = 1 + (year * 7 + month) % calendar.monthrange(year, month)[1]
        text = f"{day} {name} {year}"
        if year % 2:
            text = text.translate(ARABIC_INDIC)
        found = find_dates(text, SEED)
        assert [(s, e) for s, e, _ in found] == [(0, len(text))], (text, found)
        v = found[0][2]
        assert v["start"] == v["end"] == date(year, month, day).isoformat(), text
        assert (v["precision"], v["relative"], v["invalid"]) == (1, False, False)


def test_every_hijri_month_round_trips_issue10() -> None:
    from hijridate import Hijri

    from rasd.lang import load

    for name, month in load("ar", "months")["hijri"].items():
        for year in (1400, 1436, 1445):
            for day in (1, 15, 29):
                text = f"{day} {name} {year} هـ"
                found = find_dates(text, SEED)
                assert [(s, e) for s, e, _ in found] == [(0, len(text))], (text, found)
                g = Hijri(year, month, day).to_gregorian()
                assert found[0][2]["start"] == date(g.year, g.month, g.day).isoformat(), text


@given(
    st.integers(0, 99),
    st.sampled_from(MONTH_NAMES),
    st.integers(1000, 99999),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_any_day_month_year_is_exact_or_null_issue10(
    day: int, month: tuple[str, int], year: int, indic: bool
) -> None:
    """A written day-month-year is that date when it exists in 1900-2100, else null: never another date."""
    name, num = month
    text = f"قتل 5 أشخاص في {day} {name} {year}"
    if indic:
        text = text.translate(ARABIC_INDIC)
    found = find_dates(text, SEED)
    try:
        expected: str | None = date(year, num, day).isoformat() if 1900 <= year <= 2100 else None
    except ValueError:
        expected = None
    starts = {v["start"] for _, _, v in found}
    assert starts <= {expected, None}, (text, found)
    for s, e, _ in found:
        assert 0 <= s < e <= len(text)


RELATIVE = [
    "أمس",
    "اليوم",
    "غدا",
    "أول أمس",
    "الخميس الماضي",
    "الأحد المقبل",
    "منذ 999 يوما",
    "خلال 999 يوما الماضية",
    "منذ ثلاثة أيام",
    "الأسبوع الماضي",
    "هذا الأسبوع",
    "الشهر الماضي",
    "العام الماضي",
    "5 رمضان",
    "5 مايو",
    "ديسمبر المقبل",
    "5 من الشهر المقبل",
    "يوم 24/ 7",
]


@given(st.dates(), st.sampled_from(RELATIVE))
@settings(max_examples=300, deadline=None)
def test_any_anchor_never_raises_issue10(published: date, text: str) -> None:
    """Regression for #10: a page may claim to be published on 0001-01-01 or 9999-12-31; "أمس" then falls outside
    what a date can hold and hijridate covers 1924-2077 only. The mention stays, with null dates."""
    found = find_dates(f"قال المصدر {text} إن", published)
    assert found
    for _, _, v in found:
        for key in ("start", "end"):
            if v[key] is not None:
                date.fromisoformat(v[key])


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31), date(1900, 1, 1), date(2090, 5, 5)])
def test_extreme_anchors_give_null_not_an_exception_issue10(published: date) -> None:
    found = find_dates("قتل أمس في 5 رمضان", published)
    assert len(found) == 2
