"""`--format plover`: one PLOVER JSON record per event and statement (a JSON array, streamed).

Records carry the fields of the PLOVER manual (OEDA, "Event, Actor and Data Interchange Specification" v2.0,
Table 6.1: ``../shared/data/reference/plover/PLOVER_MANUAL.pdf``): ``id``, ``has_event``, ``date``,
``enddate``, ``actor`` and ``recipient`` (lists of entity objects, Table 6.2: ``entity_text``,
``identifier_text``), ``event`` and ``mode`` and ``context`` (lists), ``event_loc`` (the location object, Table
6.6: ``extracted_place``, ``resolved_place``, ``lat``, ``lon``, ``district``, ``province``, ``country``,
``country_code``, ``resolution``), ``event_text``, ``text``, ``text_info`` (Table 6.3: ``start``, ``end``,
``text``), ``size`` (Table 6.4: ``dead``, ``injured``, ``arrested``), ``cite_info`` (Table 6.5), ``coder`` and
``comment``. What PLOVER has no field for (the ACLED typing and inter codes, modality, the source named in
the text, P-code, evidence offsets, confidence) is under ``rasd``, as the manual invites ("users should feel
free to add additional fields"). Statements (ACCUSE, REQUEST...) are PLOVER events too: every PLOVER path
writes them (#16).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from .. import __version__
from ..document import Document, Event
from ..events import taxonomy
from ..resources.countries import country

# sub-event type -> PLOVER mode (resources/data/taxonomy.json)
MODES: dict[str, str] = taxonomy.MODES


# ACLED geo_precision -> PLOVER location resolution (4 city, 3 district, 2 province)
_RESOLUTION = {1: 4, 2: 3, 3: 2}


def _entity(name: str | None, text: str | None, inter: int | None) -> list[dict[str, Any]]:
    if not name and not text:
        return []
    return [{"entity_text": text, "identifier_text": name, "acled_inter": inter}]


def _location(ev: Event) -> dict[str, Any] | None:
    if not (ev.location or ev.country):
        return None
    return {
        "extracted_place": ev.location_ar,
        "resolved_place": ev.location,
        "lat": ev.latitude,
        "lon": ev.longitude,
        "district": ev.admin2,
        "province": ev.admin1,
        "country": ev.country,
        "country_code": profile.iso3 if (profile := country(ev.country)) else None,
        "resolution": _RESOLUTION.get(ev.geo_precision or 0),
        "pcode": ev.pcode,
    }


def record(doc: Document, ev: Event) -> dict[str, Any]:
    """The PLOVER record of one event or statement of ``doc`` (the manual's fields; rasd's under ``rasd``)."""
    first = ev.evidence[0] if ev.evidence else None
    mode = MODES.get(ev.sub_event_type or "", "")
    return {
        "id": ev.event_id,
        "has_event": True,
        "date": ev.event_date,
        "enddate": ev.date_end,
        "actor": _entity(ev.actor1, ev.actor1_ar, ev.inter1),
        "recipient": _entity(ev.actor2, ev.actor2_ar, ev.inter2),
        "event": [ev.plover] if ev.plover else [],
        "event_loc": _location(ev),
        "event_text": [s.text for s in ev.field_evidence.get("plover", [])],
        "mode": [mode] if mode else [],
        "context": [],
        "text": first.text if first else None,
        "text_info": {"start": first.start, "end": first.end, "text": first.text} if first else None,
        "size": {"dead": ev.fatalities, "injured": ev.wounded, "arrested": ev.captured},
        "cite_info": {
            "corpus": doc.meta.source,
            "url": doc.meta.url,
            "title": doc.meta.title,
            "language": "ar",
            "publication": doc.meta.source,
            "date": doc.meta.published.isoformat() if doc.meta.published else None,
            "coder": f"rasd {__version__}",
            "codebook": "plover-2.0 with ACLED typing (rasd docs/codebook.md)",
        },
        "coder": "rasd",
        "comment": ev.notes,
        "rasd": {
            "story_id": doc.id,
            "kind": ev.kind,
            "time_precision": ev.time_precision,
            "acled": {"event_type": ev.event_type, "sub_event_type": ev.sub_event_type}
            if ev.kind == "acled"
            else None,
            "modality": ev.modality,
            "attributed_to": ev.attributed_to,
            "confidence": round(ev.confidence, 4),
            "evidence": [s.to_dict() for s in ev.evidence],
        },
    }


def write(docs: Iterable[Document], stream: TextIO, **options: Any) -> int:
    """A JSON array of PLOVER records (events then statements, document by document)."""
    n = 0
    first = True
    stream.write("[")
    for doc in docs:
        for ev in doc.events:
            stream.write("\n" if first else ",\n")
            stream.write(json.dumps(record(doc, ev), ensure_ascii=False))
            first = False
        stream.flush()
        n += 1
    stream.write("\n]\n" if not first else "]\n")
    stream.flush()
    return n
