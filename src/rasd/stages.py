"""The default stage order: the flow of the README's architecture section, one line per stage.

Each stage is built from package resources loaded once; to add a stage, add its factory here in flow order.
"""

from __future__ import annotations

from functools import cache

from .pipeline import Stage


@cache
def default_stages() -> tuple[Stage, ...]:
    """Build every default stage once per process (resources are immutable, so sharing them is safe)."""
    from .text.normalize import Normalizer
    from .text.langid import LanguageIdentifier
    from .recognize.dates import DateRecognizer
    from .recognize.quantities import QuantityRecognizer
    from .models.ner import NerRecognizer
    from .text.segment import Segmenter
    from .recognize.actors import ActorRecognizer
    from .recognize.sources import SourceRecognizer
    from .recognize.places import PlaceRecognizer
    from .geo.resolve import Geocoder
    from .events import EventCoder

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
        NerRecognizer(),  # learned NER (rasd.models.ner): `ner` mentions, after the lexicon recognisers
        EventCoder(),  # last: codes events from every mention above
    )
