"""The actor dictionary (package data built by ``scripts/build_actors.py``): ACLED actors and their Arabic aliases.

``load_actors()`` reads ``resources/data/actors.json`` once per process, checks it against
``actors.manifest.json`` (sha256) and returns an immutable :class:`ActorDB`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..errors import ResourceError

_DATA = "resources/data"


@dataclass(frozen=True, slots=True)
class Actor:
    """One canonical actor: ACLED-style English name, inter code, country, validity years."""

    id: str
    name: str
    inter: int
    type: str
    country: str | None
    years: tuple[int, int | None]
    inter_abroad: int | None = None
    names_by_country: dict[str, str] = field(default_factory=dict)
    names_by_year: tuple[tuple[int, int | None, str], ...] = ()
    note: str | None = None
    unattributed: bool = False

    def name_for(self, country: str | None = None, year: int | None = None) -> str:
        """The ACLED name in a given event country / year (IS in Iraq is "Islamic State (Iraq)")."""
        if country and country in self.names_by_country:
            return self.names_by_country[country]
        if year is not None:
            for lo, hi, name in self.names_by_year:
                if lo <= year and (hi is None or year <= hi):
                    return name
        return self.name

    def inter_for(self, country: str | None = None) -> int:
        """ACLED inter code; state forces fighting outside their country are external (8)."""
        if country and self.country and country != self.country and self.inter_abroad is not None:
            return self.inter_abroad
        return self.inter

    def valid_in(self, year: int) -> bool:
        lo, hi = self.years
        return lo <= year and (hi is None or year <= hi)


@dataclass(frozen=True, slots=True)
class Alias:
    """A folded alias: ``kind`` "a" plain, "w" weak (only when not modified), "b" back-reference."""

    key: str
    actor_id: str
    kind: str
    score: float
    origin: str  # "c" curated, "p" UniversalPetrarch


@dataclass(frozen=True, slots=True)
class ActorDB:
    actors: dict[str, Actor]
    aliases: tuple[Alias, ...]
    backrefs: dict[str, tuple[str, ...]]
    sha256: str

    def __len__(self) -> int:
        return len(self.actors)

    def get(self, actor_id: str) -> Actor:
        try:
            return self.actors[actor_id]
        except KeyError:
            raise ResourceError(
                f"unknown actor id '{actor_id}'; rebuild actors.json with scripts/build_actors.py"
            ) from None

    def by_name(self, name: str) -> list[Actor]:
        return [a for a in self.actors.values() if a.name == name]


def _read(name: str) -> bytes:
    ref = resources.files("rasd").joinpath(f"{_DATA}/{name}")
    try:
        return ref.read_bytes()
    except FileNotFoundError as exc:
        raise ResourceError(
            f"{_DATA}/{name} is missing; run scripts/build_actors.py or reinstall rasd"
        ) from exc


def _actor(aid: str, d: dict[str, Any]) -> Actor:
    years = d.get("years") or [None, None]
    return Actor(
        id=aid,
        name=d["name"],
        inter=int(d["inter"]),
        type=d.get("type", "unknown"),
        country=d.get("country"),
        years=(int(years[0] or 0), int(years[1]) if years[1] is not None else None),
        inter_abroad=d.get("inter_abroad"),
        names_by_country=dict(d.get("names_by_country") or {}),
        names_by_year=tuple(
            (int(lo), int(hi) if hi is not None else None, str(n))
            for lo, hi, n in d.get("names_by_year") or ()
        ),
        note=d.get("note"),
        unattributed=bool(d.get("unattributed", False)),
    )


@cache
def load_actors(*, verify: bool = True) -> ActorDB:
    """Load and (by default) verify the actor dictionary. Cached: the result is read-only."""
    blob = _read("actors.json")
    digest = hashlib.sha256(blob).hexdigest()
    if verify:
        try:
            manifest = json.loads(_read("actors.manifest.json"))
        except json.JSONDecodeError as exc:
            raise ResourceError(
                f"{_DATA}/actors.manifest.json is not valid JSON ({exc}); rebuild it"
            ) from exc
        if manifest.get("sha256") != digest:
            raise ResourceError(
                f"{_DATA}/actors.json does not match its manifest (sha256 {digest[:12]}...); "
                "rebuild it with scripts/build_actors.py"
            )
    try:
        data = json.loads(blob)
        actors = {aid: _actor(aid, d) for aid, d in data["actors"].items()}
        aliases = tuple(
            Alias(k, aid, kind, float(score), origin) for k, aid, kind, score, origin in data["aliases"]
        )
        backrefs = {k: tuple(v) for k, v in data.get("backrefs", {}).items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ResourceError(
            f"{_DATA}/actors.json is malformed ({exc}); rebuild it with scripts/build_actors.py"
        ) from exc
    unknown = {a.actor_id for a in aliases} - actors.keys()
    if unknown:
        raise ResourceError(
            f"{_DATA}/actors.json: aliases point at unknown actors {sorted(unknown)[:5]}; rebuild it"
        )
    return ActorDB(actors, aliases, backrefs, digest)
