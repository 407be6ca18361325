"""The packaged gazetteer: Syrian admin units and OCHA communities, first-level divisions and GeoNames towns of the
Arab world and its neighbours, aliases.

Built by ``scripts/build_gazetteer.py`` into ``resources/data/gazetteer.json.gz`` (sources and licences in
``gazetteer_manifest.json``). :func:`load_gazetteer` reads it once per process (well under 0.5 s); the
Aho-Corasick lexicon over all alias keys is built on first use.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ResourceError
from ..text.match import Lexicon
from ..text.normalize import normalize_key

log = logging.getLogger(__name__)

DATA_FILE = "gazetteer.json.gz"
MANIFEST_FILE = "gazetteer_manifest.json"
ADMIN_LEVELS = ("governorate", "district", "subdistrict")
# alias kinds, best first: the printed name, a listed alias, a spelling variant (ال, joined كفر...), an admin
# centre ("مركز X" -> X), a dropped qualifier ("كفريا معرتمصرين" -> كفريا), a dropped descriptor ("خوين الكبير")
ALIAS_KINDS = ("name", "alias", "variant", "admin", "qualifier", "descriptor")
EXACT_KINDS = frozenset(("name", "alias", "variant", "admin"))


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``rank`` orders importance: 0 country, 1 governorate, 2 district, 3 subdistrict,
    4 national capital, 5 governorate capital / foreign city, 6 district centre / region / facility,
    7 subdistrict centre, 8 neighbourhood, 9 village."""

    id: str
    level: str
    name_ar: str | None
    name_en: str | None
    country: str | None
    adm1: str | None
    adm2: str | None
    adm3: str | None
    admin1: str | None
    admin2: str | None
    admin3: str | None
    lat: float | None
    lon: float | None
    rank: int
    pcode: str | None
    precision: int

    @property
    def is_admin(self) -> bool:
        return self.level in ADMIN_LEVELS or self.level == "country"

    @property
    def codes(self) -> frozenset[str]:
        """The P-codes of this place and every admin unit containing it."""
        return frozenset(c for c in (self.adm1, self.adm2, self.adm3, self.pcode) if c)

    def candidate(self, kind: str | None = None) -> dict[str, Any]:
        """The candidate dict of the mentions contract (docs/mentions.md), plus id/rank/alias kind."""
        out: dict[str, Any] = {
            "id": self.id,
            "pcode": self.pcode,
            "name_en": self.name_en,
            "name_ar": self.name_ar,
            "level": self.level,
            "country": self.country,
            "admin1": self.admin1,
            "admin2": self.admin2,
            "admin3": self.admin3,
            "lat": self.lat,
            "lon": self.lon,
            "rank": self.rank,
        }
        if kind is not None:
            out["match"] = kind
        return out


@dataclass(slots=True)
class Gazetteer:
    places: tuple[Place, ...]
    aliases: dict[str, tuple[tuple[int, str], ...]]
    common: frozenset[str]
    by_id: dict[str, Place] = field(default_factory=dict)
    _lexicon: Lexicon[tuple[int, str]] | None = None

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id = {p.id: p for p in self.places}

    def __len__(self) -> int:
        return len(self.places)

    @property
    def lexicon(self) -> Lexicon[tuple[int, str]]:
        """Clitic-tolerant matcher over every alias key; payloads are (entry index, alias kind)."""
        if self._lexicon is None:
            lex: Lexicon[tuple[int, str]] = Lexicon()
            table = lex._table  # keys are already folded by the build: fill the table directly (fast load)
            for key, payload in self.aliases.items():
                if len(key) > 2:  # two-letter keys are ordinary words and slow the automaton down
                    table[key] = list(payload)
            self._lexicon = lex
        return self._lexicon

    def lookup(self, name: str) -> list[tuple[Place, str]]:
        """Entries whose alias equals ``name`` (folded), with the alias kind."""
        return [(self.places[i], kind) for i, kind in self.aliases.get(normalize_key(name), ())]

    def get(self, place_id: str) -> Place | None:
        return self.by_id.get(place_id)

    def of_level(self, level: str, country: str | None = None) -> list[Place]:
        """Entries of ``level`` (in ``country``, an English name, when given)."""
        return [p for p in self.places if p.level == level and (country is None or p.country == country)]

    def is_common(self, key: str) -> bool:
        return key in self.common

    def keys_of(self, place_id: str) -> list[str]:
        idx = next((i for i, p in enumerate(self.places) if p.id == place_id), None)
        return [k for k, v in self.aliases.items() if any(i == idx for i, _ in v)]


_FIELDS = tuple(f.name for f in fields(Place))


def _bad(row: list[Any]) -> bool:
    raise ValueError(f"an entry has {len(row)} fields, not {len(_FIELDS)}")


def _read(data: dict[str, Any]) -> Gazetteer:
    names = data["fields"]
    try:
        if tuple(names) == _FIELDS:  # the layout the build writes: positional, twice as fast as by name
            places = tuple(Place(*row) for row in data["entries"] if len(row) == len(_FIELDS) or _bad(row))
        else:
            places = tuple(Place(**dict(zip(names, row, strict=True))) for row in data["entries"])
        aliases = {key: tuple((int(i), str(kind)) for i, kind in v) for key, v in data["aliases"].items()}
    except (TypeError, ValueError, KeyError) as exc:
        raise ResourceError(
            f"{DATA_FILE} has an unexpected layout ({exc}); rebuild it with scripts/build_gazetteer.py"
        ) from exc
    return Gazetteer(places, aliases, frozenset(data.get("common", ())))


@cache
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer (cached per process; read-only)."""
    ref = resources.files(__package__).joinpath("data", DATA_FILE)
    try:
        raw = gzip.decompress(ref.read_bytes())
        data = json.loads(raw)
    except FileNotFoundError as exc:
        raise ResourceError(
            f"{DATA_FILE} is missing; run scripts/build_gazetteer.py or reinstall rasd"
        ) from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise ResourceError(
            f"{DATA_FILE} is corrupt ({exc}); rebuild it with scripts/build_gazetteer.py"
        ) from exc
    gaz = _read(data)
    log.debug("gazetteer: %d places, %d alias keys", len(gaz.places), len(gaz.aliases))
    return gaz


def load_manifest() -> dict[str, Any]:
    ref = resources.files(__package__).joinpath("data", MANIFEST_FILE)
    try:
        out: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as exc:
        raise ResourceError(
            f"{MANIFEST_FILE} is missing or corrupt; rebuild with scripts/build_gazetteer.py"
        ) from exc
    return out


def places_of(ids: Iterable[str]) -> list[Place]:
    gaz = load_gazetteer()
    return [p for p in (gaz.get(i) for i in ids) if p is not None]
