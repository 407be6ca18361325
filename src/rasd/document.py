"""The data model every stage shares.

A :class:`Document` holds the original text exactly as read; everything rasd finds is a :class:`Span`
(``start``/``end`` character offsets into that ORIGINAL text, end exclusive) so that any output field can be
traced back to the words that justify it. Stages add to a Document; they never rewrite ``text``.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

MENTION_KINDS = ("actor", "place", "date", "quantity", "source", "ner", "trigger", "cue")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of characters of the original text: ``doc.text[start:end] == text``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> Span:
        """Build a span whose text is read from ``source`` so it can never disagree with the offsets."""
        if not 0 <= start <= end <= len(source):
            raise ValueError(f"span {start}:{end} outside text of length {len(source)}")
        return cls(start, end, source[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True)
class Section:
    """A named part of a page, e.g. the embedded statement headed ``## بيان``."""

    name: str  # "body", "statement", "header", "title"...
    span: Span
    heading: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "start": self.span.start,
            "end": self.span.end,
            "heading": self.heading.to_dict() if self.heading else None,
        }


@dataclass(slots=True)
class Mention:
    """Something a recogniser found: an actor, place, date, quantity, reporting source, NER entity...

    ``value`` is the normalised reading (e.g. ``{"start": "2018-02-10", "end": "2018-02-13", "precision": 2}``
    for a date); ``entry`` names the resource entry it came from (actor id, P-code...), or None.
    """

    kind: str
    span: Span
    value: dict[str, Any] = field(default_factory=dict)
    entry: str | None = None
    source: str = ""  # which recogniser / model produced it
    score: float = 1.0

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.span.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.span.start,
            "end": self.span.end,
            "text": self.span.text,
            "value": self.value,
            "entry": self.entry,
            "source": self.source,
            "score": round(self.score, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        span = Span(int(data["start"]), int(data["end"]), data["text"])
        return cls(
            data["kind"],
            span,
            dict(data.get("value") or {}),
            data.get("entry"),
            data.get("source", ""),
            data.get("score", 1.0),
        )


# Where an event happened: the place fields of EVENT_FIELDS, copied together whenever a place is (re)assigned.
LOCATION_FIELDS = (
    "location",
    "location_ar",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "pcode",
    "latitude",
    "longitude",
    "geo_precision",
)

# The output contract (../shared/gold/README.md): fields every event carries, in this order.
EVENT_FIELDS = (
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
    "actor1_ar",
    "actor2_ar",
    *LOCATION_FIELDS,
    "fatalities",
    "fatalities_text",
    "fatalities_shared",
    "wounded",
    "captured",
    "civilian_targeting",
    "modality",
    "attributed_to",
)


def iso_date(value: Any) -> date | None:
    """The date an ISO date or timestamp string starts with (records keep dates as text), or None when there
    is none: stored and gold records are read back with this, and a bad one must not stop a run."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def week_of(value: Any) -> str | None:
    """The Monday (ISO date) of the week of ``value``: how statistics key weeks."""
    d = iso_date(value)
    return None if d is None else (d - timedelta(days=d.weekday())).isoformat()


@dataclass(slots=True)
class Event:
    """One coded event (ACLED) or verbal statement (PLOVER ACCUSE, REQUEST...).

    Every non-null field should have evidence in ``field_evidence[field]``; ``evidence`` holds the spans that
    state the event as a whole (several when one incident is told twice in one article).
    """

    event_type: str | None = None
    sub_event_type: str | None = None
    plover: str | None = None
    event_date: str | None = None
    date_end: str | None = None
    time_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    actor1_ar: str | None = None
    actor2_ar: str | None = None
    location: str | None = None
    location_ar: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    pcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    fatalities_text: str | None = None
    fatalities_shared: bool = False
    wounded: int | None = None
    captured: int | None = None
    civilian_targeting: bool = False
    modality: str = "reported"
    attributed_to: str | None = None
    evidence: list[Span] = field(default_factory=list)
    field_evidence: dict[str, list[Span]] = field(default_factory=dict)
    confidence: float = 0.0
    flags: list[str] = field(default_factory=list)
    notes: str | None = None
    kind: str = "acled"  # "acled" events, "statement" (verbal PLOVER events), "detection" (no codable place)
    event_id: str | None = None
    # why rasd coded it so: the named rules and model scores behind its type, actors, place, date and keeping
    why: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"event_id": self.event_id, "kind": self.kind}
        for name in EVENT_FIELDS:
            out[name] = getattr(self, name)
        out["evidence"] = [s.to_dict() for s in self.evidence]
        out["field_evidence"] = {k: [s.to_dict() for s in v] for k, v in self.field_evidence.items()}
        out["confidence"] = round(self.confidence, 4)
        out["flags"] = list(self.flags)
        out["notes"] = self.notes
        if self.kind == "detection":
            out["location_status"] = "unlocated"
        if self.why:
            out["why"] = self.why
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        known = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in data.items() if k in known and k not in ("evidence", "field_evidence")}
        ev = cls(**kwargs)
        ev.evidence = [Span(int(s["start"]), int(s["end"]), s["text"]) for s in data.get("evidence") or []]
        ev.field_evidence = {
            k: [Span(int(s["start"]), int(s["end"]), s["text"]) for s in v]
            for k, v in (data.get("field_evidence") or {}).items()
        }
        return ev


@dataclass(slots=True)
class Metadata:
    """What the page says about itself; each field may carry the span it was read from."""

    url: str | None = None
    source: str | None = None  # outlet
    title: str | None = None
    author: str | None = None
    published: date | None = None
    views: int | None = None
    language: str | None = None
    language_score: float | None = None
    path: str | None = None
    input_format: str | None = None
    encoding: str | None = None
    spans: dict[str, Span] = field(default_factory=dict)  # e.g. {"published": Span(...)} when read from text
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        d["spans"] = {k: v.to_dict() for k, v in self.spans.items()}
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Metadata:
        known = set(cls.__dataclass_fields__)
        kwargs = {k: v for k, v in data.items() if k in known and k != "spans"}
        if isinstance(kwargs.get("published"), str):
            kwargs["published"] = date.fromisoformat(kwargs["published"])
        meta = cls(**kwargs)
        meta.spans = {
            k: Span(int(v["start"]), int(v["end"]), v["text"]) for k, v in (data.get("spans") or {}).items()
        }
        return meta


@dataclass(slots=True)
class Document:
    """An article: the original text, never altered, plus everything the pipeline found in it."""

    id: str
    text: str
    meta: Metadata = field(default_factory=Metadata)
    sections: list[Section] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    clauses: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    # per-stage scratch shared between stages (e.g. the normalised text and its offset map);
    # not serialised, never part of the output contract
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def content_hash(self) -> str:
        """Stable hash of the text: the identity of a version of a document for idempotent ingest."""
        # surrogatepass: a lone surrogate (possible in a Document built in code) never makes hashing crash
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    def span(self, start: int, end: int) -> Span:
        return Span.of(self.text, start, end)

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    @property
    def acled_events(self) -> list[Event]:
        return [e for e in self.events if e.kind == "acled"]

    @property
    def statements(self) -> list[Event]:
        return [e for e in self.events if e.kind == "statement"]

    @property
    def detections(self) -> list[Event]:
        """Events detected without a place rasd can code (``location_status`` "unlocated"): not ACLED events."""
        return [e for e in self.events if e.kind == "detection"]

    def to_dict(self, *, with_text: bool = True, with_mentions: bool = False) -> dict[str, Any]:
        """The record `rasd extract` prints: id, metadata, sections, events (and optionally the text)."""
        out: dict[str, Any] = {"id": self.id}
        meta = self.meta.to_dict()
        for key in ("url", "source", "title", "author", "published", "views", "language"):
            out[key] = meta[key]
        out["meta"] = meta
        if with_text:
            out["text"] = self.text
        out["sections"] = [s.to_dict() for s in self.sections]
        out["events"] = [e.to_dict() for e in self.acled_events]
        out["statements"] = [e.to_dict() for e in self.statements]
        out["detections"] = [e.to_dict() for e in self.detections]
        out["flags"] = list(self.flags)
        if with_mentions:
            out["mentions"] = [m.to_dict() for m in self.mentions]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a Document from :meth:`to_dict` output (with text): for engines that ship records around."""
        text = data["text"]
        sections = []
        for s in data.get("sections") or []:
            heading = s.get("heading")
            sections.append(
                Section(
                    s["name"],
                    Span.of(text, int(s["start"]), int(s["end"])),
                    Span(int(heading["start"]), int(heading["end"]), heading["text"]) if heading else None,
                )
            )
        doc = cls(
            id=data["id"],
            text=text,
            meta=Metadata.from_dict(data.get("meta") or {}),
            sections=sections,
            mentions=[Mention.from_dict(m) for m in data.get("mentions") or []],
            events=[Event.from_dict(e) for e in (data.get("events") or []) + (data.get("statements") or [])],
            flags=list(data.get("flags") or []),
        )
        return doc
