"""rasd (رصد): Arabic conflict news -> structured, geocoded, evidence-linked event records.

The Python API is the product; the CLI and web app are thin doors onto it::

    import rasd
    for doc in rasd.read("examples/"):          # any supported input: txt, md, html, jsonl, warc, rss
        doc = rasd.extract(doc)                 # normalise, recognise, code events, geocode
        for ev in doc.events: print(ev.sub_event_type, ev.location, ev.evidence[0].text)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .document import Document, Event, Mention, Metadata, Section, Span
from .errors import RasdError
from .pipeline import Pipeline, Stage, build_pipeline

if TYPE_CHECKING:
    from .readers import Reader

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Event",
    "Mention",
    "Metadata",
    "Pipeline",
    "RasdError",
    "Section",
    "Span",
    "Stage",
    "__version__",
    "default_pipeline",
    "extract",
    "read",
]


@cache
def default_pipeline() -> Pipeline:
    """The full default pipeline, built once per process."""
    return build_pipeline()


def read(source: str | Path | Sequence[str | Path], **options: Any) -> Reader:
    """Read documents from files, directories (recursively) or "-" (stdin).

    Returns a :class:`~rasd.readers.Reader`: iterate it for Documents; ``reader.errors`` lists the inputs and
    records that could not be read (they never stop the others). ``options`` are those of
    :func:`rasd.readers.read` (input_format, published, encoding, on_error, max_bytes, on_warning), passed on
    as they are so the two never drift apart.
    """
    from .readers import read as _read

    return _read(source, **options)


def extract(
    doc: Document | str,
    *,
    published: date | None = None,
    id: str = "text",
    pipeline: Pipeline | None = None,
) -> Document:
    """Run the pipeline on a Document, or on raw text (wrapped in a Document with ``id``)."""
    if isinstance(doc, str):
        doc = Document(id=id, text=doc, meta=Metadata(published=published))
    elif published is not None and doc.meta.published is None:
        doc.meta.published = published
    return (pipeline or default_pipeline())(doc)
