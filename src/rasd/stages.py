"""The default stage order: the flow of the README's architecture section, one line per stage.

Each stage is built from package resources loaded once; to add a stage, add its factory here in flow order.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the type only: pipeline.build_pipeline imports this module (no import cycle, #16)
    from .pipeline import Stage


@cache
def default_stages() -> tuple[Stage, ...]:
    """Build every default stage once per process (resources are immutable, so sharing them is safe)."""
    from .events import EventCoder
    from .geo.resolve import Geocoder
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
        EventCoder(),  # last: codes events from every mention above
    )


@cache
def optional_stages() -> dict[str, tuple[Stage, str]]:
    """Stages left out of the default flow, by name: (stage, name of the stage it goes before).

    The learned NER adds ``ner`` mentions (people, organisations, places no lexicon lists) for analysts, but the
    event coder does not use them yet, and it costs ~4 ms per article (on trigger sentences only): as much as
    every other recogniser together. Ask for it with ``build_pipeline(extra=["ner"])`` or ``rasd extract --ner``.
    """
    from .models.ner import NerRecognizer

    return {"ner": (NerRecognizer(scope="events"), "events")}
