"""The default stage order: the flow of the README's architecture section, one line per stage.

Each stage is built from package resources loaded once; to add a stage, add its factory here in flow order.
"""

from __future__ import annotations

from functools import cache

from .pipeline import Stage


@cache
def default_stages() -> tuple[Stage, ...]:
    """Build every default stage once per process (resources are immutable, so sharing them is safe)."""
    from .events import EventCoder
    from .geo.resolve import Geocoder
    from .models.ner import NerRecognizer
    from .recognize.actors import ActorRecognizer
    from .recognize.dates import DateRecognizer
    from .recognize.places import PlaceRecognizer
    from .recognize.quantities import QuantityRecognizer
    from .recognize.sources import SourceRecognizer
    from .text.langid import LanguageIdentifier
    from .text.normalize import Normalizer
    from .text.segment import Segmenter

    return (
        Normalizer(),
        Segmenter(),
        LanguageIdentifier(),
        ActorRecognizer(),
        SourceRecognizer(),
        PlaceRecognizer(),
        Geocoder(),
        DateRecognizer(),
        QuantityRecognizer(),
        # learned NER (rasd.models.ner) on event-trigger sentences only: ~2 ms/article instead of ~12
        NerRecognizer(scope="events"),
        EventCoder(),  # last: codes events from every mention above
    )
