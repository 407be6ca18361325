"""Reader for plain-text (``txt``) and Markdown (``md``) pages: one document per file."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Document
from .base import Item, Source, add_warnings, make_document
from .page import parse_page


def page_document(
    doc_id: str, text: str, source: Source, input_format: str, encoding: str | None
) -> Document:
    """A Document for a page's text, with title/header fields and sections read from the page."""
    info = parse_page(text)
    doc = make_document(
        doc_id, text, source, input_format, encoding=encoding, spans=dict(info.spans), **info.fields
    )
    doc.sections = info.sections
    return doc


def parse(source: Source, input_format: str = "txt") -> Iterator[Item]:
    warnings: list[str] = []
    text, encoding = source.read_text(warnings)
    yield add_warnings(page_document(source.base_id, text, source, input_format, encoding), warnings)
