"""The actor dictionary (package data built by ``scripts/build_actors.py``): ACLED actors and their Arabic aliases.

``load_actors()`` reads ``resources/data/actors.json`` once per process, checks it against
``actors.manifest.json`` (sha256) and returns an immutable :class:`ActorDB`.

The same words name different actors by period and country (issue 15): "الجيش السوري" is "Military Forces of Syria
(2000-)" before 8 Dec 2024 and "(2024-)" after; "الجيش الوطني" is the Syrian National Army in a Syrian story and
Yemen's army in a Yemeni one; "قوى الأمن الداخلي" is the Kurdish Asayish, Syria's Interior Ministry force after Dec
2024, or Lebanon's police. An alias therefore has one or more *senses* (actor + optional country/date condition),
and :meth:`ActorDB.resolve` picks one with the date and the country of the event or document::

    db = load_actors()
    actor = db.resolve("الجيش السوري", on=date(2025, 3, 8), country="Syria")
    actor.name_on(date(2025, 3, 8)), actor.inter_for("Syria")   # "Military Forces of Syria (2024-)", 1
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
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
    valid_from: date | None = None  # first day the actor exists (None: before 2011 or unknown)
    valid_to: date | None = None  # last day (None: still active)
    names_by_date: tuple[tuple[date | None, date | None, str], ...] = ()  # ACLED period names
    force: str | None = None  # "mil" / "police" / "gov" for state forces, else None
    theatres: tuple[str, ...] = ()  # other countries where the actor is an actor at home (coalitions)

    def name_for(self, country: str | None = None, year: int | None = None, *, on: date | None = None) -> str:
        """The ACLED name in a given event country and period (IS in Iraq is "Islamic State (Iraq)"; Israel's
        forces in 2025 are "Military Forces of Israel (2022-)")."""
        if country and country in self.names_by_country:
            return self.names_by_country[country]
        if on is not None and self.names_by_date:
            return self.name_on(on)
        if year is not None:
            for lo, hi, name in self.names_by_year:
                if lo <= year and (hi is None or year <= hi):
                    return name
        return self.name

    def name_on(self, on: date | None) -> str:
        """The ACLED period name on a day (the default ``name`` when the day is unknown or out of every period)."""
        if on is None:
            return self.name
        for lo, hi, name in self.names_by_date:
            if (lo is None or lo <= on) and (hi is None or on <= hi):
                return name
        return self.name

    def valid_on(self, on: date) -> bool:
        """The actor exists on that day (its ``valid_from``/``valid_to``, else its years)."""
        lo = self.valid_from or date(max(1, self.years[0] or 1), 1, 1)
        hi = self.valid_to or (date(self.years[1], 12, 31) if self.years[1] is not None else None)
        return lo <= on and (hi is None or on <= hi)

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
    """A folded alias: ``kind`` "a" plain, "w" weak (only when not modified), "b" back-reference.

    ``countries``/``since``/``until``: the sense holds only in a story about one of those countries / in that period
    ("الحرس الوطني" is Suwayda's National Guard in Syria from Aug 2025, Saudi Arabia's National Guard there). An
    unknown country or date admits every sense; the actor's own validity then decides."""

    key: str
    actor_id: str
    kind: str
    score: float
    origin: str  # "c" curated, "p" UniversalPetrarch
    countries: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    needs_country: bool = False  # the story's country must be known and one of ``countries``

    def admits(self, on: date | None, country: str | None) -> bool:
        if country is None and self.needs_country:
            return False
        if country is not None and self.countries and country not in self.countries:
            return False
        if on is not None and ((self.since and on < self.since) or (self.until and on > self.until)):
            return False
        return True


def choose_sense(
    senses: Sequence[Alias], actors: dict[str, Actor], on: date | None, countries: Sequence[str | None]
) -> Alias | None:
    """The sense of an alias for a date and a list of candidate countries, most specific first (the sentence's
    country, then the document's). Senses whose condition fails are out; among the rest, actors that exist on the
    date, then actors at home in the first country some sense fits, then the highest score (ties: the
    sense bound to the known period or country, then the first row). None when no sense is admitted."""
    order: list[str | None] = [c for c in countries if c] or [None]
    for i, country in enumerate(order):
        ok = [s for s in senses if s.admits(on, country)]
        if not ok:
            continue
        if on is not None:
            ok = [s for s in ok if actors[s.actor_id].valid_on(on)] or ok
        if country is not None:
            home = [s for s in ok if _at_home(actors[s.actor_id], country)]
            if home:
                return max(home, key=_ranker(on, country))
            if i < len(order) - 1:
                continue  # no sense fits this country: try the next (the document's)
        return max(ok, key=_ranker(on, country))
    return None


def _ranker(on: date | None, country: str | None) -> Callable[[Alias], tuple[float, int, int]]:
    """Score first; on a tie, a sense bound to the known period, then to the known country, is the more specific
    reading, and one bound to a period or country the story does not state is the less likely."""

    def rank(s: Alias) -> tuple[float, int, int]:
        timed = 0 if not (s.since or s.until) else (1 if on is not None else -1)
        placed = 0 if not s.countries else (1 if country is not None else -1)
        return (s.score, timed, placed)

    return rank


def _at_home(actor: Actor, country: str) -> bool:
    return actor.country == country or country in actor.theatres


@dataclass(frozen=True, slots=True)
class ActorDB:
    actors: dict[str, Actor]
    aliases: tuple[Alias, ...]
    backrefs: dict[str, tuple[str, ...]]
    sha256: str
    senses: dict[str, tuple[Alias, ...]] = field(default_factory=dict)  # folded key -> plain/weak senses

    def __len__(self) -> int:
        return len(self.actors)

    def resolve(self, alias: str, *, on: date | None = None, country: str | None = None) -> Actor | None:
        """The actor an alias names on a day in a country's story, or None when the dictionary does not know it
        (or none of its senses holds there). Period names: ``actor.name_on(on)``; inter: ``actor.inter_for``."""
        from ..text.normalize import normalize_key

        sense = choose_sense(self.senses.get(normalize_key(alias), ()), self.actors, on, [country])
        return self.actors[sense.actor_id] if sense else None

    def state_force(self, country: str, force: str, on: date | None = None) -> Actor | None:
        """The state force ("mil", "police", "gov") of a country, the one in office on ``on`` when known."""
        cands = [a for a in self.actors.values() if a.force == force and a.country == country]
        if on is not None:
            cands = [a for a in cands if a.valid_on(on)] or cands
        # the day unknown: the longest-standing one, the same default as the actors' names
        return min(
            cands, key=lambda a: (a.valid_from or date(max(1, a.years[0] or 1), 1, 1), a.id), default=None
        )

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


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


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
        valid_from=_day(d.get("from")),
        valid_to=_day(d.get("to")),
        names_by_date=tuple((_day(lo), _day(hi), str(n)) for lo, hi, n in d.get("names_by_date") or ()),
        force=d.get("force"),
        theatres=tuple(d.get("theatres") or ()),
    )


def _alias(row: list[Any]) -> Alias:
    key, aid, kind, score, origin = row[:5]
    cond: dict[str, Any] = row[5] if len(row) > 5 else {}
    return Alias(
        key,
        aid,
        kind,
        float(score),
        origin,
        countries=frozenset(cond.get("c") or ()),
        since=_day(cond.get("f")),
        until=_day(cond.get("t")),
        needs_country=bool(cond.get("k")),
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
        aliases = tuple(_alias(row) for row in data["aliases"])
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
    senses: dict[str, list[Alias]] = {}
    for al in aliases:
        if al.kind in ("a", "w"):
            senses.setdefault(al.key, []).append(al)
    return ActorDB(actors, aliases, backrefs, digest, {k: tuple(v) for k, v in senses.items()})
