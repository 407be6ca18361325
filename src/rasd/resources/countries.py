"""Country profiles (``resources/data/countries.json``): ISO codes, Arabic names and adjectives, ACLED region,
admin levels and P-code scheme of every country rasd's gazetteer knows.

Code that used to assume Syria reads the profile instead: the ACLED export takes ISO codes and regions from it,
the place recogniser its nisba adjectives ("السودانية", "اليمني"), and the geocoder asks which countries have a
dense, P-coded village list (:func:`village_countries`: Syria's OCHA communities) whose homonyms need context.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import ResourceError

DATA_FILE = "countries.json"


@dataclass(frozen=True, slots=True)
class Country:
    """One country profile."""

    iso2: str
    iso3: str
    num: int
    en: str
    ar: tuple[str, ...]
    adj: tuple[str, ...]
    region: str
    admin1: tuple[str, str]
    levels: tuple[str, ...]
    pcode: str | None
    village_gazetteer: str | None
    lat: float
    lon: float


@cache
def load_countries() -> dict[str, Country]:
    """Profiles by English name (the ``country`` of gazetteer entries and events); cached, read-only."""
    ref = resources.files(__package__).joinpath("data", DATA_FILE)
    try:
        rows = json.loads(ref.read_text(encoding="utf-8"))["countries"]
        out = {
            r["en"]: Country(
                iso2=r["iso2"],
                iso3=r["iso3"],
                num=int(r["num"]),
                en=r["en"],
                ar=tuple(r["ar"]),
                adj=tuple(r["adj"]),
                region=r["region"],
                admin1=(r["admin1"][0], r["admin1"][1]),
                levels=tuple(r["levels"]),
                pcode=r["pcode"],
                village_gazetteer=r["village_gazetteer"],
                lat=float(r["lat"]),
                lon=float(r["lon"]),
            )
            for r in rows
        }
    except FileNotFoundError as exc:
        raise ResourceError(f"{DATA_FILE} is missing; reinstall rasd") from exc
    except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ResourceError(
            f"{DATA_FILE} is corrupt or has an unexpected layout ({exc}); restore it"
        ) from exc
    return out


def country(name: str | None) -> Country | None:
    """The profile of a country by English name, or None."""
    return load_countries().get(name or "")


@cache
def village_countries() -> frozenset[str]:
    """Countries whose gazetteer lists every village (with P-codes): their village names need context."""
    return frozenset(c.en for c in load_countries().values() if c.village_gazetteer)


@cache
def adjectives() -> dict[str, str]:
    """Nisba adjective (as written after a place name) -> country."""
    return {a: c.en for c in load_countries().values() for a in c.adj}
