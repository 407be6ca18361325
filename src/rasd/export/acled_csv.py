"""`--format acled-csv`: ACLED's 31 standard columns, in ACLED's order, one row per ACLED event.

Ids are stable (``event_id_cnty`` = ISO3 + digits of the event's content hash), notes are generated English
sentences, ``source`` is the outlet plus the source named in the text. Statements (PLOVER verbal events) are not
ACLED events and are left out.

CSV injection (OWASP): a text cell that begins with ``=``, ``+``, ``-``, ``@``, TAB or CR is written with a single
quote ``'`` in front, so a spreadsheet shows it as text instead of running it as a formula (``=HYPERLINK(...)``
in an outlet name or a quoted statement is hostile content, not data). Numbers are never touched: a negative
longitude stays ``-3.5``. See docs/dates_quantities.md ("CSV injection").
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, TextIO

from ..document import Document, Event
from ..events.notes import english_note
from ..resources.countries import country

COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)


# first characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection")
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: ``'`` before text starting with a formula character.

    Why: article text, outlet names and analyst notes come from parties to a conflict; a cell such as
    ``=HYPERLINK("http://...")`` must open as text. Numbers (ints, finite floats, and strings that are plain
    ASCII decimal numbers such as ``-3.5``) are returned unchanged. To undo, drop the ``'`` of a cell that
    starts with ``'`` and a formula character.
    """
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    text = str(value)
    if text.startswith(FORMULA_CHARS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes, lower first (10 * inter1 when there is no actor2)."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    a, b = sorted((inter1, inter2))
    return a * 10 + b


def _assoc(ev: Event, slot: str) -> str:
    return "; ".join(f.split(":", 1)[1] for f in ev.flags if f.startswith(f"assoc{slot}:"))


def disorder_type(ev: Event) -> str:
    if ev.sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if ev.sub_event_type == "Mob violence":
        return "Political violence"
    return _DISORDER.get(ev.event_type or "", "")


def event_id_cnty(ev: Event) -> str:
    """ACLED-style id: ISO3 + up to 9 digits, derived from the event's stable id (the same id gives the same row id)."""
    profile = country(ev.country)
    iso3 = profile.iso3 if profile else "XXX"
    if not ev.event_id:
        return f"{iso3}0"
    digest = ev.event_id.rsplit("-", 1)[-1]
    if len(digest) < 10 or any(c not in "0123456789abcdef" for c in digest[:10]):
        digest = hashlib.sha1(ev.event_id.encode("utf-8")).hexdigest()
    return f"{iso3}{int(digest[:10], 16) % 10**9}"


def row(doc: Document, ev: Event) -> dict[str, Any]:
    """The ACLED row of one event of ``doc``."""
    return event_row(ev, outlet=doc.meta.source, published=doc.meta.published)


def event_row(
    ev: Event, *, outlet: str | None = None, published: date | None = None, tags: Sequence[str] = ()
) -> dict[str, Any]:
    """The ACLED row of one event, ready for a CSV writer (text cells neutralised, see :func:`neutralise`);
    ``outlet`` and ``published`` come from its article, ``tags`` are extra tags."""
    profile = country(ev.country)
    iso, region = (profile.num, profile.region) if profile else (None, "")
    year = ev.event_date[:4] if ev.event_date else ""
    pub = published
    ts = int(datetime(pub.year, pub.month, pub.day, tzinfo=UTC).timestamp()) if pub else ""
    sources = [s for s in (outlet, ev.attributed_to) if s]
    cells = {
        "event_id_cnty": event_id_cnty(ev),
        "event_date": ev.event_date or "",
        "year": year,
        "time_precision": ev.time_precision or "",
        "disorder_type": disorder_type(ev),
        "event_type": ev.event_type or "",
        "sub_event_type": ev.sub_event_type or "",
        "actor1": ev.actor1 or "",
        "assoc_actor_1": _assoc(ev, "1"),
        "inter1": ev.inter1 if ev.inter1 is not None else "",
        "actor2": ev.actor2 or "",
        "assoc_actor_2": _assoc(ev, "2"),
        "inter2": ev.inter2 if ev.inter2 is not None else "",
        "interaction": interaction(ev.inter1, ev.inter2) or "",
        "civilian_targeting": "Civilian targeting" if ev.civilian_targeting else "",
        "iso": iso if iso is not None else "",
        "region": region,
        "country": ev.country or "",
        "admin1": ev.admin1 or "",
        "admin2": ev.admin2 or "",
        "admin3": ev.admin3 or "",
        "location": ev.location or "",
        "latitude": ev.latitude if ev.latitude is not None else "",
        "longitude": ev.longitude if ev.longitude is not None else "",
        "geo_precision": ev.geo_precision or "",
        "source": "; ".join(sources),
        "source_scale": "",
        "notes": ev.notes or english_note(ev),
        "fatalities": ev.fatalities or 0,
        "tags": "; ".join([*(f for f in ev.flags if f in ("date_defaulted", "date_from_report")), *tags]),
        "timestamp": ts,
    }
    return {k: neutralise(v) for k, v in cells.items()}


def write(docs: Iterable[Document], stream: TextIO, **options: Any) -> int:
    """Header, then one row per ACLED event of every document (statements are not ACLED events)."""
    writer = csv.DictWriter(stream, fieldnames=list(COLUMNS), lineterminator="\n")
    # the csv module quotes a cell only for the characters of its line terminator: a bare CR inside a cell
    # would be written unquoted and split the row on reading, so such rows are written fully quoted
    quoted = csv.DictWriter(stream, fieldnames=list(COLUMNS), lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    n = 0
    for doc in docs:
        for ev in doc.acled_events:
            cells = row(doc, ev)
            if any(isinstance(v, str) and "\r" in v for v in cells.values()):
                quoted.writerow(cells)
            else:
                writer.writerow(cells)
        stream.flush()
        n += 1
    return n
