"""Reader for JSON Lines: one record per line, ``{id, text, published, title, author, url, source}``.

That is the format of ``../shared/data/news`` and ``../shared/gold``. A bad line (not JSON, not an object,
no text) is yielded as a :class:`RecordError` carrying its 1-based line number; the reader goes on with the
next line. Blank lines are skipped. Unknown scalar fields are kept in ``meta.extra``; lists and objects (such
as gold ``events``) are not. A ``published`` value that is not a date is kept as ``meta.extra["published_raw"]``
and the document is flagged ``bad_published`` rather than dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..errors import DecodeError, RecordError
from .base import Item, Source, make_document, parse_published, scalar_extras
from .encoding import decode, is_binary

TEXT_KEYS = ("text", "content", "body", "article")
KNOWN = {"id", "published", "title", "author", "url", "source", "views", "language", *TEXT_KEYS}


def record_document(
    record: Any, source: Source, line: int, encoding: str | None, input_format: str = "jsonl"
) -> Item:
    """A Document from one decoded JSON record, or the RecordError that says why not."""
    if not isinstance(record, dict):
        return RecordError(
            f"record is a JSON {type(record).__name__}, not an object", path=source.path, line=line
        )
    text = None
    for key in TEXT_KEYS:
        if key in record:
            text = record[key]
            break
    if text is None:
        return RecordError("record has no 'text' field", path=source.path, line=line)
    if not isinstance(text, str):
        return RecordError(f"'text' is a {type(text).__name__}, not a string", path=source.path, line=line)
    rid = record.get("id")
    doc_id = str(rid) if rid not in (None, "") else f"{source.base_id}#{line}"
    flags: list[str] = []
    extra = scalar_extras(record, KNOWN)
    try:
        published = parse_published(record.get("published"))
    except ValueError:
        published = None
        extra["published_raw"] = record.get("published")
        flags.append("bad_published")
    views = record.get("views")
    meta: dict[str, Any] = {
        "title": _str(record.get("title")),
        "author": _str(record.get("author")),
        "url": _str(record.get("url")),
        "source": _str(record.get("source")),
        "published": published,
        "views": views if isinstance(views, int) and not isinstance(views, bool) else None,
        "encoding": encoding,
        "extra": extra,
    }
    language = record.get("language")
    if isinstance(language, str) and language:
        meta["language"] = language
    doc = make_document(doc_id, text, source, input_format, **meta)
    doc.meta.extra["line"] = line
    doc.flags.extend(flags)
    return doc


def _str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def parse(source: Source) -> Iterator[Item]:
    if is_binary(source.head()):
        raise DecodeError("binary data, not JSON Lines text", path=source.path)
    with source.open() as fh:
        line = 0
        while True:
            try:
                raw = fh.readline()
            except (OSError, EOFError) as exc:
                yield DecodeError(f"corrupt compressed data after line {line} ({exc})", path=source.path)
                return
            if not raw:
                return
            line += 1
            if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            raw = raw.rstrip(b"\r\n")
            if not raw.strip():
                continue
            try:
                text, encoding = decode(raw, path=source.path, encoding=source.encoding)
            except DecodeError as exc:
                yield RecordError(exc.message, path=source.path, line=line)
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield RecordError(
                    f"not valid JSON: {exc.msg.removesuffix(' at')} (column {exc.colno})",
                    path=source.path,
                    line=line,
                )
                continue
            yield record_document(record, source, line, encoding)
