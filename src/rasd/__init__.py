"""rasd (رصد): Arabic conflict news -> structured, geocoded, evidence-linked event records.

The Python API is the product; the CLI and web app are thin doors onto it::

    import rasd
    for doc in rasd.read("examples/"):          # any supported input: txt, md, html, jsonl, warc, rss
        doc = rasd.extract(doc)                 # normalise, recognise, code events, geocode
        for ev in doc.events: print(ev.sub_event_type, ev.location, ev.evidence[0].text)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

from .document import Document, Event, Mention, Metadata, Section, Span
from .errors import RasdError
from .pipeline import Pipeline, Stage, build_pipeline

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


def read(source: str | Path, *, input_format: str = "auto", published: date | None = None) -> Iterator[Document]:
    """Read documents from a file, a directory (recursively) or "-" (stdin)."""
    from .readers import read as _read

    return _read(source, input_format=input_format, published=published)


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
