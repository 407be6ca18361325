"""Downloads of the reviewed view: GeoJSON, ACLED CSV (31 standard columns) and gold JSONL.

Every function takes event records as the API returns them (corrections applied, ``review`` attached) and
leaves out events an analyst rejected unless asked. :func:`gold_lines` writes the ../shared/gold format so
reviewed data becomes evaluation and training data; :func:`export_gold` is the Python entry point
(``rasd.web.exports.export_gold(db, stream)``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..document import EVENT_FIELDS, Document, Metadata, iso_date
from ..export.acled_csv import HEADER, event_row
from ..export.geojson import feature
from ..store.documents import event_from_record

ACLED_COLUMNS = HEADER  # ACLED's 31 columns, then rasd_event_id

GOLD_FIELDS = (*EVENT_FIELDS, "notes")


def _kept(ev: dict[str, Any], include_rejected: bool) -> bool:
    return include_rejected or ev.get("review_status") != "rejected"


def geojson_features(
    events: Iterable[dict[str, Any]], include_rejected: bool = False
) -> Iterator[dict[str, Any]]:
    """One GeoJSON Feature per kept event that has coordinates, as the events arrive: the features of
    ``rasd export -f geojson``, built by the same function (:func:`rasd.export.geojson.feature`)."""
    for ev in events:
        if not _kept(ev, include_rejected):
            continue
        doc = Document(id=str(ev.get("document_id") or ""), text="", meta=Metadata(source=ev.get("source")))
        feat = feature(doc, event_from_record(ev))
        if feat is not None:
            yield feat


def geojson_chunks(events: Iterable[dict[str, Any]], include_rejected: bool = False) -> Iterator[str]:
    """The FeatureCollection as text, one feature per chunk: a download never holds every event in memory."""
    yield '{"type": "FeatureCollection", "features": ['
    for i, feat in enumerate(geojson_features(events, include_rejected)):
        yield ("," if i else "") + "\n" + json.dumps(feat, ensure_ascii=False)
    yield "\n]}\n"


def acled_rows(events: Iterable[dict[str, Any]], include_rejected: bool = False) -> Iterator[list[Any]]:
    """One row per event record, in :data:`ACLED_COLUMNS` order: the rows of ``rasd export --format acled-csv``,
    built by the same function from the same record (tags included)."""
    for ev in events:
        if not _kept(ev, include_rejected):
            continue
        row = event_row(
            event_from_record(ev), outlet=ev.get("source"), published=iso_date(ev.get("published"))
        )
        yield [row[c] for c in HEADER]


def gold_event(ev: dict[str, Any], with_review: bool = True) -> dict[str, Any]:
    """An event record in the gold format: flat fields, ``evidence`` as the verbatim string + start."""
    out = {k: ev.get(k) for k in GOLD_FIELDS}
    spans = sorted(ev.get("evidence") or [], key=lambda s: s.get("start", 0))
    out["evidence"] = spans[0]["text"] if spans else None
    out["evidence_start"] = spans[0]["start"] if spans else None
    out["rasd_event_id"] = ev.get("event_id")
    if not with_review:
        return out
    review = ev.get("review") or {}
    out["review"] = {
        "status": ev.get("review_status") or "unreviewed",
        "reviewer": review.get("reviewer"),
        "created_at": review.get("created_at"),
        "corrections": [
            {k: c.get(k) for k in ("field", "before", "after", "reviewer", "created_at")}
            for c in review.get("corrections") or []
        ],
    }
    return out


def review_complete(doc: dict[str, Any], events: list[dict[str, Any]]) -> bool:
    """True when an analyst decided on every ACLED event of the document (accepted, corrected or rejected) and
    none of its reviews waits for a re-review: only then is the article gold (#16)."""
    return all(e.get("review_status") for e in events) and not doc.get("needs_rereview")


def gold_record(doc: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """One gold line: the document and its kept events (rejected left out), with ``review_complete``."""
    kept = [e for e in events if _kept(e, False)]
    reviewers = sorted({(e.get("review") or {}).get("reviewer") or "" for e in events} - {""})
    complete = review_complete(doc, events)
    done = sum(1 for e in events if e.get("review_status"))
    if complete and reviewers:
        note = f"reviewed in rasd by {', '.join(reviewers)}; {len(events) - len(kept)} extracted event(s) rejected"
    elif reviewers:
        note = (
            f"PARTLY reviewed in rasd by {', '.join(reviewers)}: {done} of {len(events)} event(s) decided"
            + (", reviews waiting for a re-review" if doc.get("needs_rereview") else "")
            + "; not gold until every event is decided"
        )
    else:
        note = "rasd output, not reviewed"
    return {
        "id": doc["id"],
        "source": doc.get("source"),
        "url": doc.get("url"),
        "published": doc.get("published"),
        "title": doc.get("title"),
        "author": doc.get("author"),
        "text": doc.get("text"),
        "events": [gold_event(e) for e in kept],
        "review_complete": complete,
        "annotator_notes": note,
    }


def gold_lines(store: Any, include_unreviewed: bool = False, include_partial: bool = False) -> Iterator[str]:
    """JSONL lines (with newline) for every FULLY reviewed document (every ACLED event accepted, corrected or
    rejected): a partly reviewed article scored as gold would count its undecided events as wrong or missing.
    ``include_partial`` adds partly reviewed ones, ``include_unreviewed`` every document; both are marked
    ``review_complete: false``."""
    for doc, events in store.reviewed_documents(include_unreviewed):
        rec = gold_record(doc, events)
        if rec["review_complete"] or include_partial or include_unreviewed:
            yield json.dumps(rec, ensure_ascii=False) + "\n"


def write_gold(docs: Iterable[Document], stream: IO[str], **options: Any) -> int:
    """The ``gold`` writer of the :mod:`rasd.export` registry (`rasd extract --format gold`,
    `rasd export --format gold`): one gold-format line per document, with its text (always: gold needs it) and
    its ACLED events as given (from the store: analyst corrections applied, rejected events left out). Review
    provenance (who / when / before) is only in the API's ``/api/export/gold.jsonl``."""
    n = 0
    for doc in docs:
        rec = doc.to_dict(with_text=True)
        line = {k: rec.get(k) for k in ("id", "source", "url", "published", "title", "author", "text")}
        line["events"] = [gold_event(e, with_review=False) for e in rec["events"]]
        line["annotator_notes"] = "rasd output (not hand-coded): check before use as gold"
        stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        n += 1
    stream.flush()
    return n


def export_gold(
    db: str, stream: IO[str], include_unreviewed: bool = False, include_partial: bool = False
) -> int:
    """Write the gold JSONL of the store at ``db`` to ``stream``; returns the number of documents."""
    from .storeview import open_backend

    store = open_backend(db)
    try:
        n = 0
        for line in gold_lines(store, include_unreviewed, include_partial):
            stream.write(line)
            n += 1
        return n
    finally:
        store.close()
