"""Reader for JSON Lines: one record per line, ``{id, text, published, title, author, url, source}``.

That is the format of ``../shared/data/news`` and ``../shared/gold``. A bad line (not JSON, not an object,
no text) is yielded as a :class:`RecordError` carrying its 1-based line number; the reader goes on with the
next line. Blank lines are skipped. Unknown scalar fields are kept in ``meta.extra``; lists and objects (such
as gold ``events``) are not. A ``published`` value that is not a date is kept as ``meta.extra["published_raw"]``
and the document is flagged ``bad_published`` rather than dropped.

Lines are read one at a time with a bounded ``readline``: a line longer than ``source.max_bytes`` is skipped
in chunks (never held whole) and yielded as an :class:`~rasd.errors.InputTooLargeError` with its line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..document import Document
from ..errors import DecodeError, RecordError
from .base import (
    CORRUPT_STREAM,
    Item,
    Source,
    add_warnings,
    make_document,
    parse_published,
    scalar_extras,
    too_large,
)
from .encoding import decode, is_binary

_CHUNK = 1 << 20  # skipping an over-long line: read it in pieces of this size
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


def _skip_line(fh: Any, size: int) -> int:
    """Read past the rest of an over-long line in bounded chunks; returns the line's full size in bytes."""
    while True:
        chunk = fh.readline(_CHUNK)
        size += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return size


def parse(source: Source, start: int = 0, end: int | None = None, first_line: int = 1) -> Iterator[Item]:
    """The records of ``source``; with ``start``/``end`` only the lines in that byte range (a Dask shard cut
    at line ends, whose first line is number ``first_line``), read with exactly the same checks."""
    if is_binary(source.head()):
        raise DecodeError("binary data, not JSON Lines text", path=source.path)
    limit = source.max_bytes
    cap = -1 if limit is None else limit + 5  # room for a BOM and the line end
    with source.open() as fh:
        if start:
            fh.seek(start)
        pos, line = start, first_line - 1
        while end is None or pos < end:
            try:
                raw = fh.readline(cap)
                pos += len(raw)
                if limit is not None and len(raw) == cap and not raw.endswith(b"\n"):
                    size = _skip_line(fh, len(raw))
                    pos += size - len(raw)
                    line += 1
                    yield too_large(limit, size, path=source.path, line=line, what="record")
                    continue
            except CORRUPT_STREAM as exc:
                yield DecodeError(f"corrupt compressed data after line {line} ({exc})", path=source.path)
                return
            if not raw:
                return
            line += 1
            if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            raw = raw.rstrip(b"\r\n")
            if limit is not None and len(raw) > limit:
                yield too_large(limit, len(raw), path=source.path, line=line, what="record")
                continue
            if not raw.strip():
                continue
            try:
                item = _record(raw, source, line)
            except Exception as exc:  # one record never ends the file: it becomes that record's error
                item = RecordError(
                    f"cannot read this record ({type(exc).__name__}: {str(exc)[:200]})",
                    path=source.path,
                    line=line,
                )
            yield item


def _big_int(digits: str) -> int | str:
    """A JSON integer; one too long for Python's int conversion limit stays its digit string, never an error."""
    try:
        return int(digits)
    except ValueError:
        return digits


def _record(raw: bytes, source: Source, line: int) -> Item:
    """One line's Document, or the RecordError saying why not (file and line named).

    The line is decoded on its own, with no charset read from its content: words in an article
    ("encoding=base64") never choose how bytes are decoded.
    """
    warnings: list[str] = []
    try:
        text, encoding = decode(
            raw, path=source.path, encoding=source.encoding, warnings=warnings, declarations=False
        )
    except DecodeError as exc:
        return RecordError(exc.message, path=source.path, line=line)
    try:
        record = json.loads(text, parse_int=_big_int)
    except json.JSONDecodeError as exc:
        return RecordError(
            f"not valid JSON: {exc.msg.removesuffix(' at')} (column {exc.colno})", path=source.path, line=line
        )
    except RecursionError:
        return RecordError(
            "JSON nested too deeply to read (thousands of levels); flatten the record",
            path=source.path,
            line=line,
        )
    item = record_document(record, source, line, encoding)
    return add_warnings(item, warnings) if isinstance(item, Document) else item
