"""Output writers: a registry ``name -> writer`` so each export format is one module plus one line here.

A writer is a callable ``writer(docs, stream, **options) -> int`` that writes every Document in ``docs`` to the
text ``stream`` (in order, streaming where the format allows) and returns how many documents it wrote. Options
every writer receives (and may ignore): ``with_text`` and ``with_mentions`` (see :meth:`Document.to_dict`).

To add a format, write ``rasd/export/<name>.py`` with a writer function and add ONE line to ``WRITERS``::

    "acled-csv": "rasd.export.acled_csv:write",

A value is either the callable itself or a lazy ``"module:function"`` reference, imported on first use (so the
registry costs nothing at import time and format modules may import anything without cycles).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from ..document import Document
from ..errors import UnknownFormatError

Writer = Callable[..., int]


def _record(doc: Document, options: dict[str, Any]) -> dict[str, Any]:
    return doc.to_dict(
        with_text=bool(options.get("with_text", True)),
        with_mentions=bool(options.get("with_mentions", False)),
    )


def write_jsonl(docs: Iterable[Document], stream: TextIO, **options: Any) -> int:
    """One JSON object per document per line, in input order (flushed per line, so output streams)."""
    n = 0
    for doc in docs:
        stream.write(json.dumps(_record(doc, options), ensure_ascii=False))
        stream.write("\n")
        stream.flush()
        n += 1
    return n


def write_json(docs: Iterable[Document], stream: TextIO, **options: Any) -> int:
    """One JSON array of document records (indented), written as documents arrive."""
    n = 0
    stream.write("[")
    for doc in docs:
        stream.write(",\n" if n else "\n")
        stream.write(json.dumps(_record(doc, options), ensure_ascii=False, indent=2))
        n += 1
    stream.write("\n]\n" if n else "]\n")
    stream.flush()
    return n


# name -> writer callable, or "module:function" imported on first use. One line per format.
WRITERS: dict[str, Writer | str] = {
    "jsonl": write_jsonl,
    "json": write_json,
    "acled-csv": "rasd.export.acled_csv:write",
    "plover": "rasd.export.plover:write",
    "geojson": "rasd.export.geojson:write",
    "gold": "rasd.web.exports:write_gold",
}


def register(name: str, writer: Writer | str) -> None:
    """Add (or replace) an output format at run time."""
    WRITERS[name] = writer


def formats() -> list[str]:
    """Names of the registered output formats, in registration order."""
    return list(WRITERS)


def get_writer(fmt: str) -> Writer:
    """The writer for ``fmt``; raises :class:`UnknownFormatError` naming the known formats."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise UnknownFormatError(f"unknown output format '{fmt}'; known: {', '.join(WRITERS)}")
    if isinstance(writer, str):
        module, _, func = writer.partition(":")
        writer = getattr(importlib.import_module(module), func)
        WRITERS[fmt] = writer
    return writer


def write(docs: Iterable[Document], fmt: str, stream: TextIO, **options: Any) -> int:
    """Write ``docs`` to ``stream`` in format ``fmt``; returns the number of documents written."""
    return get_writer(fmt)(docs, stream, **options)
