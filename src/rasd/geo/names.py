"""One place-name resolver for filters (#16): the spellings people type, mapped to the names the data holds.

``rasd query --admin1 Idlib``, ``/api/events?admin1=إدلب`` and the page's filters all go through
:func:`admin1_names` / :func:`country_names` (the store calls them when it builds a query), so they accept:

- the gazetteer's own names and aliases: the English name ("Idlib"), OCHA's admin1 spelling that events carry
  ("Idleb"), the Arabic name and every alias key of the governorate or country;
- Arabic with or without hamza, alef variants, ta marbuta, diacritics (``إدلب`` = ``ادلب``), by
  :func:`rasd.text.normalize.normalize_key`;
- Latin spelling variants ("Idlib"/"Idleb", "Deir ez-Zor"/"Dayr al-Zawr", "Latakia"/"Lattakia"), by a
  consonant skeleton (:func:`latin_key`; the transliteration rules are data: ``lang/ar/latin_names.json``).

A name the resolver does not know is returned as typed, so a filter on a value outside the gazetteer still
matches it exactly (case-insensitively).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..lang import load
from ..text.normalize import normalize_key


def fold(text: str) -> str:
    """Case- and Arabic-variant-insensitive key."""
    return " ".join(normalize_key(text).casefold().split())


@cache
def _rules() -> tuple[frozenset[str], tuple[tuple[str, str], ...], str]:
    data = load("ar", "latin_names")
    return frozenset(data["articles"]), tuple((a, b) for a, b in data["digraphs"]), str(data["vowels"])


def latin_key(text: str) -> str | None:
    """The consonant skeleton of a Latin-letter name ("Idlib" and "Idleb" -> "idlb"), or None for a name
    without Latin letters. Articles are dropped, digraphs rewritten, vowels after a word's first letter and a
    final h dropped, doubled letters collapsed."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = [w for w in re.split(r"[^a-z]+", plain) if w]
    if not words:
        return None
    articles, digraphs, vowels = _rules()
    out = []
    for word in words:
        if word in articles and len(words) > 1:
            continue
        for a, b in digraphs:
            word = word.replace(a, b)
        word = word[0] + "".join(c for c in word[1:] if c not in vowels)
        if len(word) > 2 and word.endswith("h"):
            word = word[:-1]
        word = re.sub(r"(.)\1+", r"\1", word)
        out.append(word)
    return " ".join(out) or None


@cache
def _index(level: str) -> dict[str, frozenset[str]]:
    """key -> every name the unit is written with in data (for "admin1" OCHA's admin1 spelling first, the
    gazetteer's English and Arabic names; for "country" the country name and its Arabic name), so a filter
    matches events whichever of them they carry."""
    from ..resources.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    units: dict[str, set[str]] = {}  # the value events carry -> all its names
    keys: dict[str, set[str]] = {}  # the value -> its lookup keys
    for place in gaz.places:
        value = place.admin1 if level == "admin1" else place.country
        if not value:
            continue
        names = units.setdefault(value, {value})
        found = keys.setdefault(value, set())
        if (level == "admin1" and place.level == "governorate") or (
            level == "country" and place.level == "country"
        ):
            names.update(n for n in (place.name_en, place.name_ar) if n)
            found.update(gaz.keys_of(place.id))
    out: dict[str, set[str]] = {}
    for value, names in units.items():
        for name in names | keys[value]:
            for key in (fold(name), f"latin:{latin_key(name)}" if latin_key(name) else None):
                if key:
                    out.setdefault(key, set()).update(names)
    return {k: frozenset(v) for k, v in out.items()}


def _resolve(level: str, text: str) -> tuple[str, ...]:
    index = _index(level)
    found = index.get(fold(text))
    if not found:
        key = latin_key(text)
        found = index.get(f"latin:{key}") if key else None
    return tuple(sorted(found, key=lambda n: (not n.isascii(), n))) if found else (text,)


def _with_typed(values: tuple[str, ...], text: str) -> tuple[str, ...]:
    return values if text in values else (*values, text)


def admin1_names(text: str) -> tuple[str, ...]:
    """Every name of the governorate(s) ``text`` names (OCHA's "Idleb", "Idlib", "إدلب"), then ``text`` itself
    (a value written as typed still matches)."""
    return _with_typed(_resolve("admin1", text), text)


def country_names(text: str) -> tuple[str, ...]:
    """Every name of the country ``text`` names ("Syria", "سوريا"), then ``text`` itself."""
    return _with_typed(_resolve("country", text), text)
