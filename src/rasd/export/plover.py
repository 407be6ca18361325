"""`--format plover`: one PLOVER JSON record per event and statement (a JSON array, streamed).

Record layout follows the PLOVER gold-standard files (id, date, event, mode, context, source, target, text...),
with rasd's extras: the ACLED typing, location, casualties, modality and evidence offsets.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..document import Document, Event
from ..events import taxonomy

# sub-event type -> PLOVER mode (resources/data/taxonomy.json)
MODES: dict[str, str] = taxonomy.MODES


def _actor(name: str | None, text: str | None, inter: int | None) -> list[dict[str, Any]]:
    if not name and not text:
        return []
    return [{"actorText": text, "name": name, "inter": inter}]


def record(doc: Document, ev: Event) -> dict[str, Any]:
    """The PLOVER record of one event or statement of ``doc``."""
    return {
        "id": ev.event_id,
        "storyId": doc.id,
        "date": ev.event_date,
        "dateEnd": ev.date_end,
        "timePrecision": ev.time_precision,
        "event": ev.plover,
        "mode": MODES.get(ev.sub_event_type or "", ""),
        "context": "",
        "source": _actor(ev.actor1, ev.actor1_ar, ev.inter1),
        "target": _actor(ev.actor2, ev.actor2_ar, ev.inter2),
        "eventText": [s.text for s in ev.field_evidence.get("plover", [])] or None,
        "text": ev.evidence[0].text if ev.evidence else None,
        "evidence": [s.to_dict() for s in ev.evidence],
        "language": "ar",
        "publication": doc.meta.source,
        "publicationDate": doc.meta.published.isoformat() if doc.meta.published else None,
        "url": doc.meta.url,
        "acled": {"event_type": ev.event_type, "sub_event_type": ev.sub_event_type}
        if ev.kind == "acled"
        else None,
        "location": {
            "name": ev.location,
            "nameAr": ev.location_ar,
            "country": ev.country,
            "admin1": ev.admin1,
            "admin2": ev.admin2,
            "pcode": ev.pcode,
            "lat": ev.latitude,
            "lon": ev.longitude,
            "geoPrecision": ev.geo_precision,
        }
        if ev.location or ev.country
        else None,
        "fatalities": ev.fatalities,
        "wounded": ev.wounded,
        "captured": ev.captured,
        "modality": ev.modality,
        "attributedTo": ev.attributed_to,
        "confidence": round(ev.confidence, 4),
        "notes": ev.notes,
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
