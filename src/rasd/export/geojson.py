"""`--format geojson`: a GeoJSON FeatureCollection, one Point feature per located ACLED event.

Events without coordinates are counted in the collection's ``rasd:unlocated`` member instead of being dropped
silently. Coordinates are [longitude, latitude] (RFC 7946).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..document import Document, Event

PROPERTIES = (
    "event_id",
    "event_type",
    "sub_event_type",
    "plover",
    "event_date",
    "date_end",
    "time_precision",
    "actor1",
    "actor2",
    "inter1",
    "inter2",
    "location",
    "location_ar",
    "country",
    "admin1",
    "pcode",
    "geo_precision",
    "fatalities",
    "wounded",
    "captured",
    "modality",
    "attributed_to",
    "confidence",
    "notes",
)


def feature(doc: Document, ev: Event) -> dict[str, Any] | None:
    """The Point feature of one event, or None when it has no coordinates."""
    if ev.latitude is None or ev.longitude is None:
        return None
    props = {k: getattr(ev, k) for k in PROPERTIES}
    props["doc_id"] = doc.id
    props["source"] = doc.meta.source
    props["evidence"] = ev.evidence[0].text if ev.evidence else None
    # the analyst's decision, when the event comes from the store (the same feature from CLI and web, #16)
    props["review_status"] = next((f.split(":", 1)[1] for f in ev.flags if f.startswith("review:")), None)
    return {
        "type": "Feature",
        "id": ev.event_id,
        "geometry": {"type": "Point", "coordinates": [float(ev.longitude), float(ev.latitude)]},
        "properties": props,
    }


def write(docs: Iterable[Document], stream: TextIO, **options: Any) -> int:
    """One FeatureCollection for all documents (features written as they come)."""
    n = 0
    unlocated = 0
    first = True
    stream.write('{"type": "FeatureCollection", "features": [')
    for doc in docs:
        for ev in doc.acled_events:
            f = feature(doc, ev)
            if f is None:
                unlocated += 1
                continue
            stream.write("\n" if first else ",\n")
            stream.write(json.dumps(f, ensure_ascii=False))
            first = False
        stream.flush()
        n += 1
    stream.write(f'\n], "rasd:unlocated": {unlocated}}}\n')
    stream.flush()
    return n
