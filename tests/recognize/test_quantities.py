"""Quantity recogniser: real phrasing from Arabic news (SaudiNewsNet 2015 articles, the seed page) as tables."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import Document, Metadata
from rasd.recognize.dates import DateRecognizer
from rasd.recognize.quantities import MAX_EVENT_COUNT, QuantityRecognizer, find_quantities, parse_number


def _quantities(text: str) -> dict[str, dict]:
    doc = Document("t", text, Metadata(published=date(2015, 7, 21)))
    doc = QuantityRecognizer()(DateRecognizer()(doc))
    out = {}
    for m in doc.mentions_of("quantity"):
        assert doc.text[m.start : m.end] == m.text
        out[m.text] = m.value
    return out


# (text, surface of the number, value, counted, qualifier)
CASES = [
    # the seed page
    (
        "أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة",
        "العشرات",
        12,
        "killed_or_wounded",
        None,
    ),
    ("خلال الأيام الثلاثة الماضية إضافة إلى أسر المئات ممن تبقى منهم", "المئات", 100, "captured", None),
    (
        "من قتل وجرح العشرات من فلول التنظيم، وأسر من تبقى منهم -بالمئات- في بلدة الخوين",
        "المئات",
        100,
        "captured",
        None,
    ),
    ("وتمكنت بعد اشتباكات عنيفة دامت لأكثر من ثلاثة أيام من قتل", "أكثر من ثلاثة", 3, "other", "more_than"),
    # digits with a counted noun, both orders
    (
        "شهدت تركيا أمس الاثنين هجوما انتحاريا داميا اوقع 30 قتيلا على الاقل ونحو 100 جريح",
        "30",
        30,
        "killed",
        "at_least",
    ),
    (
        "شهدت تركيا أمس الاثنين هجوما انتحاريا داميا اوقع 30 قتيلا على الاقل ونحو 100 جريح",
        "نحو 100",
        100,
        "wounded",
        "about",
    ),
    ("بريل 2013 وأدّت إلى مقتل 44 مدنيًا", "44", 44, "killed", None),
    ("كما قتل 26 شخصا في غارات شنتها طائرات النظام السوري على مدينة منبج", "26", 26, "killed", None),
    ("قال سكان وشهود إن 27 شخصاً على الأقل قتلوا وأصيب عشرات بجروح", "27", 27, "killed", "at_least"),
    ("قال سكان وشهود إن 27 شخصاً على الأقل قتلوا وأصيب عشرات بجروح", "عشرات", 12, "wounded", None),
    ("وقتل ما لا يقل عن 39 شخصا", "ما لا يقل عن 39", 39, "killed", "at_least"),
    ("مما أسفر عن سقوط أكثر من 20 قتيلاً", "أكثر من 20", 20, "killed", "more_than"),
    ("ي الزبداني أنه سجّل مقتل 34 عنصرا من حزب الله", "34", 34, "killed", None),
    ("أصيب 20 آخرون", "20", 20, "wounded", None),
    ("ارتفع عدد القتلى إلى 30", "30", 30, "killed", None),
    ("مقتل تسعة من عناصر التنظيم وإصابة 12 آخرين", "12", 12, "wounded", None),
    # number words
    ("لقي ستة من مقاتلي المعارضة السورية على الأقل مصرعهم في اشتباكات", "ستة", 6, "killed", "at_least"),
    ("وقتل ثلاثة أشخاص على الأقل وجرح آخرون في مدينة عربين", "ثلاثة", 3, "killed", "at_least"),
    ("أدى إلى مقتل سبعة أشخاص على الأقل، حسب المرصد", "سبعة", 7, "killed", "at_least"),
    ("قياديا في تنظيم داعش وخمسة متطرفين أجانب آخرين قتلوا في غارة جوية", "خمسة", 5, "killed", None),
    ("مقتل خمسة وعشرين شخصا", "خمسة وعشرين", 25, "killed", None),
    ("الإفراج عن مئتين وخمسين معتقلا", "مئتين وخمسين", 250, "arrested", None),
    ("نفذ أكثر من ألف شخص اعتصاما عند دوار الزراعة", "أكثر من ألف", 1000, "people", "more_than"),
    ("نزوح ألفين من السكان", "ألفين", 2000, "civilians", None),
    ("قتل ثلاثة عشر عنصرا", "ثلاثة عشر", 13, "killed", None),
    ("ثلاثة آلاف مقاتل", "ثلاثة آلاف", 3000, "fighters", None),
    ("فر مليون لاجئ", "مليون", 1000000, "civilians", None),
    ("بلغ عدد سكانها مليون", "مليون", 1000000, None, None),
    # vague words
    ("بأذى راح ضحية المحاولة نحو 80 بين قتيل وجريح", "نحو 80", 80, "killed_or_wounded", "about"),
    ("مما أسفر عن سقوط عشرات القتلى والجرحى", "عشرات", 12, "killed_or_wounded", None),
    ("سقط نحو 30 قتيلا وعشرات الجرحى", "عشرات", 12, "wounded", None),
    ("مقتل عدد من أفراد القوات النظامية", "عدد من", 3, "killed", None),
    ("نزوح عشرات الآلاف من المدنيين", "عشرات الآلاف", 12000, "civilians", None),
    ("اعتقال بضعة أشخاص", "بضعة", 3, "arrested", None),
    ("بين 10 و15 قتيلا", "بين 10 و15", 10, "killed", "between"),
    # duals and singulars
    ("مركزا للدرك وأوقعت قتيلين و24 جريحًا", "قتيلين", 2, "killed", None),
    ("مركزا للدرك وأوقعت قتيلين و24 جريحًا", "24", 24, "wounded", None),
    ("قتل فيه ضابط صف وأصيب جنديان بجروح", "جنديان", 2, "wounded", None),
    ("قتل فيه ضابط صف وأصيب جنديان بجروح", "ضابط صف", 1, "killed", None),
    ("وقتل عنصران من الشرطة التركية بالرصاص", "عنصران", 2, "killed", None),
    ("قتيل واحد", "واحد", 1, "killed", None),
    ("ما أدى إلى مقتل شخص وإصابة آخرين بجروح", "شخص", 1, "killed", None),
    (
        "لقي السعودي سعود بن سعدي الخثعمي، المقاتل في صفوف تنظيم “داعش”، مصرعه على يد قوات النظام",
        "مصرعه",
        1,
        "killed",
        None,
    ),
    # captured / abducted
    ("خطف تنظيم «داعش» نحو 230 مدنيًا، بينهم 60 مسيحيًا على الأقل", "نحو 230", 230, "captured", "about"),
    # Arabic-Indic digits
    ("مقتل ٥ مدنيين", "٥", 5, "killed", None),
    ("قتل 5 وأصيب 10", "5", 5, "killed", None),
    ("قتل 5 وأصيب 10", "10", 10, "wounded", None),
    ("مقتل 5 مدنيين و3 أطفال", "3", 3, "killed", None),
    ("سقط 17 قتيلا، و40 جريحا", "40", 40, "wounded", None),
    ("أسفرت عن مقتل وإصابة 7 جنود إيرانيين", "7", 7, "killed_or_wounded", None),
    ("فر 2 مليون لاجئ", "2 مليون", 2000000, "civilians", None),
    ("نزوح 1,500 شخص", "1,500", 1500, "people", None),
    ("ومن الجدير ذكره أن 260 مقاتلا كرديا من حزب العمال الكردستاني قتلوا، وأصيب", "260", 260, "killed", None),
    ("م انتحاري دامٍ استهدف الأراضي التركية وأودى بحياة 32 شخصًا ومائة جريح", "32", 32, "killed", None),
    ("م انتحاري دامٍ استهدف الأراضي التركية وأودى بحياة 32 شخصًا ومائة جريح", "مائة", 100, "wounded", None),
    ("غارات التحالف تقتل أكثر من «3» آلاف من داعش", "أكثر من «3» آلاف", 3000, "killed", "more_than"),
    (
        "لدروز بمحافظة ديالى، مما اسفر عن مقتل وإصابة 50 شخصا على الأقل.",
        "50",
        50,
        "killed_or_wounded",
        "at_least",
    ),
    ("ى الى مقتل 12 جنديا على الاقل وأصيب 7 وفقدنا 50 من الجنود", "50", 50, "fighters", None),
    ("ى الى مقتل 12 جنديا على الاقل وأصيب 7 وفقدنا 50 من الجنود", "7", 7, "wounded", None),
    # things that are not casualties
    ("حوالي 2.5 مليون دولار", "حوالي 2.5 مليون", 2500000, "other", "about"),
    ("وقال المرصد إن المدينتين قصفتا بنحو 160 قذيفة", "نحو 160", 160, "other", "about"),
]


@pytest.mark.parametrize(("text", "surface", "value", "counted", "qualifier"), CASES)
def test_quantity_cases(
    text: str, surface: str, value: int, counted: str | None, qualifier: str | None
) -> None:
    found = _quantities(text)
    assert surface in found, f"{surface!r} not in {list(found)}"
    v = found[surface]
    assert (v["value"], v["counted"], v["qualifier"]) == (value, counted, qualifier)


# (text, number surface that must NOT be a quantity mention)
EXCLUDED = [
    ("قتل أكثر من 240 ألف شخص منذ عام 2011", "2011"),
    ("وقالت مصادر إن الفرقة 17 انسحبت", "17"),
    ("القرار 2254 لمجلس الأمن", "2254"),
    ("عند الساعة 10:30 صباحا", "10"),
    ("ارتفعت نسبة المشاركة إلى 40 بالمئة", "40"),
    ("ارتفعت البطالة إلى 12% هذا العام", "12"),
    ("قتل الطفل محمد (12 عاما) برصاص قناص", "12"),
    ("للتواصل 0501234567", "0501234567"),
    ("خلال الأيام الثلاثة الماضية", "الثلاثة"),
    ("التاريخ : ١٣ فبراير ٢٠١٨ م", "١٣"),
]


@pytest.mark.parametrize(("text", "surface"), EXCLUDED)
def test_not_counted(text: str, surface: str) -> None:
    found = _quantities(text)
    assert not any(surface in k for k in found), found


def test_combined_count_is_never_killed() -> None:
    found = _quantities("أعلنت غرفة عمليات دحر الغزاة قتل وجرح العشرات من فلول تنظيم الدولة")
    assert [v["counted"] for v in found.values()] == ["killed_or_wounded"]


def test_subset_and_counted_span() -> None:
    text = "خطف تنظيم «داعش» نحو 230 مدنيًا، بينهم 60 مسيحيًا على الأقل"
    found = _quantities(text)
    assert found["60"]["subset"] is True and found["نحو 230"]["subset"] is False
    cs, ce = found["نحو 230"]["counted_span"]
    assert text[cs:ce] == "مدنيًا"
    assert found["نحو 230"]["who"] == "civilians"


def test_weak_one_needs_a_counted_noun() -> None:
    assert _quantities("قال أحد المسؤولين") == {}
    found = _quantities("مقتل أحد عناصر التنظيم")
    assert found["أحد"]["value"] == 1 and found["أحد"]["counted"] == "killed"


@pytest.mark.parametrize(
    "text",
    [
        "لمصلين ومحاولة إيقاع أكبر عدد من الضحايا",  # "the greatest number of", not "a number of"
        "كما جرح شخصان هما أحد مسؤولي التجنيد",  # أحد here is "one of the officials", the count is شخصان
    ],
)
def test_vague_and_weak_words_not_over_read(text: str) -> None:
    found = _quantities(text)
    assert "عدد من" not in found and "أحد" not in found


def test_munitions_are_not_casualties() -> None:
    found = _quantities('واضاف: "أصيب والدي بثلاث رصاصات في صدره"')
    assert found["ثلاث"]["counted"] == "other"


# --- issue #10: numbers in every script, absurd counts, hostile digits ------------------------------------

DIGIT_SCRIPTS = {
    "western": "0123456789",
    "arabic_indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
}


def _render(n: int, script: str, sep: str | None) -> str:
    text = f"{n:,}".replace(",", sep) if sep is not None else str(n)
    return text.translate(str.maketrans("0123456789", DIGIT_SCRIPTS[script]))


def test_thirteen_digit_count_is_exact_and_implausible_issue10() -> None:
    """Regression for #10: ١٢٣٤٥٦٧٨٩٠١٢٣ parses to exactly 1234567890123 with its offsets, and is marked
    implausible so that it never becomes an event's fatalities."""
    assert parse_number("١٢٣٤٥٦٧٨٩٠١٢٣") == 1234567890123
    text = "أسفر القصف عن مقتل ١٢٣٤٥٦٧٨٩٠١٢٣ شخصا"
    found = _quantities(text)
    v = found["١٢٣٤٥٦٧٨٩٠١٢٣"]
    assert v["value"] == 1234567890123 and v["counted"] == "killed" and v["implausible"] is True
    assert _quantities("مقتل 12 شخصا")["12"]["implausible"] is False
    # a war total is a real figure but no single event's count
    assert _quantities("قتل أكثر من 240 ألف شخص منذ بداية الحرب")["أكثر من 240 ألف"]["implausible"] is True
    # money is not people: never implausible, whatever its size
    assert _quantities("حوالي 2.5 مليون دولار")["حوالي 2.5 مليون"]["implausible"] is False


@given(
    st.integers(0, 10**13),
    st.sampled_from(sorted(DIGIT_SCRIPTS)),
    st.sampled_from([None, ",", "٬"]),
)
@settings(max_examples=300, deadline=None)
def test_digits_in_any_script_parse_exactly_issue10(n: int, script: str, sep: str | None) -> None:
    written = _render(n, script, sep)
    assert parse_number(written) == n
    text = f"مقتل {written} شخصا"
    found = find_quantities(text)
    assert len(found) == 1, (text, found)
    s, e, v = found[0]
    assert text[s:e] == written
    assert v["value"] == n and v["counted"] == "killed"
    assert v["implausible"] is (n > MAX_EVENT_COUNT)


@given(st.integers(0, 10**6), st.integers(1, 99), st.sampled_from(sorted(DIGIT_SCRIPTS)))
@settings(max_examples=200, deadline=None)
def test_decimal_points_parse_issue10(whole: int, frac: int, script: str) -> None:
    for point in (".", "٫"):
        written = _render(whole, script, None) + point + _render(frac, script, None)
        assert parse_number(written) == float(f"{whole}.{frac}")


@pytest.mark.parametrize("token", ["", "abc", "قتلى", "1.2.3", "١٢a", "²", "9" * 5000, "1,,2", "-5", "1 000"])
def test_parse_number_rejects_non_numbers_issue10(token: str) -> None:
    assert parse_number(token) is None


def _number_words(group: str) -> list[tuple[str, int]]:
    from rasd.lang import load

    return sorted(load("ar", "numbers")[group].items())


UNITS = [
    (w, v)
    for w, v in _number_words("units")
    if v >= 3 and w.endswith(("ة", "ثلاث", "أربع", "خمس", "سبع", "تسع"))
]
TENS = _number_words("tens")


@pytest.mark.parametrize(("word", "value"), UNITS + TENS + _number_words("hundreds"))
def test_every_number_word_reads_its_value_issue10(word: str, value: int) -> None:
    text = f"مقتل {word} أشخاص"
    (s, e, v), *_ = find_quantities(text)
    assert text[s:e] == word and v["value"] == value and v["counted"] == "killed"


@given(st.sampled_from(UNITS), st.sampled_from(TENS))
@settings(max_examples=100, deadline=None)
def test_compound_number_words_add_up_issue10(unit: tuple[str, int], tens: tuple[str, int]) -> None:
    """ "خمسة وعشرين" is 25: unit + و + tens, for every pair of the lexicon."""
    text = f"مقتل {unit[0]} و{tens[0]} شخصا"
    found = find_quantities(text)
    assert [v["value"] for _, _, v in found] == [unit[1] + tens[1]], (text, found)
    s, e, _ = found[0]
    assert text[s:e] == f"{unit[0]} و{tens[0]}"


@pytest.mark.parametrize(
    ("word", "value"),
    [("عشرات", 12), ("مئات", 100), ("آلاف", 1000), ("عشرات الآلاف", 12000), ("مئات الآلاف", 100000)],
)
def test_vague_words_issue10(word: str, value: int) -> None:
    v = _quantities(f"مقتل {word} المدنيين")[word]
    assert v["value"] == value and v["implausible"] is False


@pytest.mark.parametrize(
    "text",
    [
        "مقتل ² شخص",  # "²" is a digit to Python (isdigit) but int() refuses it: was a ValueError
        "مقتل ٥² شخص",
        "مقتل " + "9" * 5000 + " شخصا",  # over Python's int-string limit: was a ValueError
        "مقتل " + "9" * 400 + ".5 مليون شخص",  # float overflow: was OverflowError (inf to int)
        "مقتل " + "1," * 3000 + "0 شخص",
    ],
)
def test_hostile_digits_do_not_raise_issue10(text: str) -> None:
    """Regression for #10: these raised inside the quantities stage and stopped the whole document."""
    for s, e, v in find_quantities(text):
        assert 0 <= s < e <= len(text)
        assert isinstance(v["value"], int)


# issue 14: one or two victims named without a number (ACLED counts them: 1, 2), in news word order
SINGULAR_CASES = [
    ("وقال إن جنديا قتل في إقليم ماردين", "جنديا", 1, "killed"),
    ("وأفاد أن طفلاً استُشهد في القصف", "طفلاً", 1, "killed"),
    ("كما استُشهدت امرأة في القصف", "امرأة", 1, "killed"),
    ("قُتل مدنيان في القصف على البلدة", "مدنيان", 2, "killed"),
]


@pytest.mark.parametrize(("text", "surface", "value", "counted"), SINGULAR_CASES)
def test_singular_and_dual_victims_issue14(text: str, surface: str, value: int, counted: str) -> None:
    found = _quantities(text)
    assert surface in found, f"{surface!r} not in {list(found)}"
    assert (found[surface]["value"], found[surface]["counted"]) == (value, counted)


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("قتل شخص واحد في القصف", 1),  # the number word is the count: not 1 + 1
        ("قتل شخصا واحدا في القصف", 1),
        ("أصيب 12 مدنيا بجروح في القصف", 12),  # the accusative after a number is what it counts
    ],
)
def test_one_victim_counted_once_issue14(text: str, total: int) -> None:
    assert sum(v["value"] for v in _quantities(text).values()) == total
