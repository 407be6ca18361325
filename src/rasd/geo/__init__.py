"""rasd.geo: offline geocoding of Arabic place phrases to OCHA P-codes, coordinates and ACLED geo_precision.

    >>> from rasd.geo import geocode
    >>> [r.pcode for r in geocode("في بلدة الخوين بريف إدلب الجنوبي الشرقي")]
    ['C4091', 'SY07']

The pipeline stage is :class:`rasd.geo.resolve.Geocoder` ("geocode", after "places").
"""

from __future__ import annotations

from functools import cache

from ..document import Document, Span
from .resolve import Geocoder, GeoResult

__all__ = ["GeoResult", "Geocoder", "geocode", "geocode_document", "results_of"]


@cache
def _stages() -> tuple[object, ...]:
    from ..recognize.places import default_recognizer

    return (default_recognizer(), Geocoder())


def results_of(doc: Document) -> list[GeoResult]:
    """GeoResults of a document whose place mentions went through the geocode stage, in text order."""
    out: list[GeoResult] = []
    for m in sorted(doc.mentions_of("place"), key=lambda m: m.start):
        r = m.value.get("resolved")
        if r is None:
            out.append(
                GeoResult(None, m.text, None, None, None, None, None, None, None, None, m.span,
                          "ambiguous: " + str(m.value.get("ambiguous", "no candidate")))
            )  # fmt: skip
            continue
        out.append(
            GeoResult(
                location=r["location"],
                location_ar=m.text,
                country=r["country"],
                admin1=r["admin1"],
                admin2=r["admin2"],
                admin3=r["admin3"],
                pcode=r["pcode"],
                latitude=r["latitude"],
                longitude=r["longitude"],
                geo_precision=r["geo_precision"],
                evidence=Span(m.start, m.end, m.text),
                reason=r["reason"],
                place_id=r.get("id"),
            )
        )
    return out


def geocode_document(doc: Document) -> list[GeoResult]:
    """Recognise and resolve the places of ``doc`` (adds place mentions if none are there yet)."""
    recognizer, geocoder = _stages()
    if not doc.mentions_of("place"):
        recognizer(doc)  # type: ignore[operator]
    geocoder(doc)  # type: ignore[operator]
    return results_of(doc)


def geocode(text: str) -> list[GeoResult]:
    """Every place phrase of ``text`` with its resolution (pcode None when context cannot settle it)."""
    return geocode_document(Document("geocode", text))
