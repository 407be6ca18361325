"""What every format reader shares: the input being read (:class:`Source`) and the result type.

A format module exposes ``parse(source) -> Iterator[Document | RasdError]``: it yields a Document per record
and, for a record it cannot read, the error (a :class:`~rasd.errors.RecordError` with its line or index)
instead of raising, so the records after it are still read. An error that spoils the whole input (binary
file, not a feed at all, over the size limit) is raised.

Size limit: ``Source.max_bytes`` bounds the raw bytes of one document. A single-document file over it is refused
from its size on disk, without reading it; a compressed or streamed one after reading ``max_bytes + 1`` bytes.
Multi-record formats apply it per record (JSONL line, WARC payload); a feed, parsed whole, per file.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import regex

from ..document import Document, Metadata, Span
from ..errors import DecodeError, InputError, InputTooLargeError, RasdError
from .encoding import decode

# what a corrupt or truncated gzip stream raises while being read
CORRUPT_STREAM = (OSError, EOFError, zlib.error)

Item = Document | RasdError
_GZIP_MAGIC = b"\x1f\x8b"
DECODE_FLAG = "decode_replaced"  # bytes needed U+FFFD replacements: see meta.extra[WARNINGS_KEY]
WARNINGS_KEY = "read_warnings"


class _Replay(io.RawIOBase):
    """A one-pass stream (stdin) that first replays the bytes already peeked at to sniff its format."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._pos = 0
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos < len(self._head):
            chunk = self._head[self._pos : self._pos + len(view)]
            self._pos += len(chunk)
        else:
            read1 = getattr(self._rest, "read1", None)
            chunk = read1(len(view)) if read1 is not None else self._rest.read(len(view))
        view[: len(chunk)] = chunk
        return len(chunk)


@dataclass(slots=True)
class Source:
    """One input: a file (``fs_path``) or stdin (``data``), with the names used in ids and messages."""

    path: str  # as shown in messages: the path given, "<stdin>" for stdin
    base_id: str  # stem of the ids of its documents
    fs_path: Path | None = None
    data: bytes | None = None
    encoding: str | None = None  # forced codec, or None to detect
    input_format: str = "auto"
    max_bytes: int | None = None  # per document (record); None: no limit
    stream: IO[bytes] | None = None  # a one-pass input (stdin), read as it comes, never held whole
    compressed: bool = False  # set by open(): the content is gzip
    _peeked: bytes | None = None

    def open(self) -> IO[bytes]:
        """A binary stream of the content (gzip is decompressed transparently)."""
        raw: IO[bytes]
        if self.data is not None:
            raw = io.BytesIO(self.data)
        elif self.stream is not None:
            raw = io.BufferedReader(_Replay(self._peek(), self.stream))
            self.compressed = self._peek()[:2] == _GZIP_MAGIC
            return gzip.GzipFile(fileobj=raw, mode="rb") if self.compressed else raw  # type: ignore[return-value]
        else:
            assert self.fs_path is not None
            try:
                raw = self.fs_path.open("rb")
            except OSError as exc:
                raise InputError(f"cannot open: {exc.strerror or exc}", path=self.path) from None
        head = raw.read(2)
        raw.seek(0)
        self.compressed = head == _GZIP_MAGIC
        if self.compressed:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def open_raw(self) -> IO[bytes]:
        """The content as stored, compressed or not: for readers that handle gzip members themselves (WARC)."""
        if self.stream is not None:
            return io.BufferedReader(_Replay(self._peek(), self.stream))
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.fs_path is not None
        try:
            return self.fs_path.open("rb")
        except OSError as exc:
            raise InputError(f"cannot open: {exc.strerror or exc}", path=self.path) from None

    def _peek(self, n: int = 8192) -> bytes:
        if self._peeked is None:
            assert self.stream is not None
            self._peeked = self.stream.read(n)
        return self._peeked

    def head(self, n: int = 8192) -> bytes:
        if self.stream is not None:  # a one-pass stream: sniff from the peeked bytes, keep the stream unread
            peeked = self._peek(n)
            if peeked[:2] != _GZIP_MAGIC:
                return peeked[:n]
            try:
                return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(peeked, n)
            except zlib.error as exc:
                raise DecodeError(f"corrupt compressed data ({exc})", path=self.path) from None
        with self.open() as fh:
            try:
                return fh.read(n)
            except CORRUPT_STREAM as exc:
                raise DecodeError(f"corrupt compressed data ({exc})", path=self.path) from None

    def read_bytes(self) -> bytes:
        """The whole content, at most ``max_bytes`` of it: raises :class:`InputTooLargeError` beyond that."""
        limit = self.max_bytes
        with self.open() as fh:
            on_disk = self.fs_path is not None and self.data is None and self.stream is None
            if limit is not None and on_disk and not self.compressed:
                assert self.fs_path is not None
                size = self.fs_path.stat().st_size
                if size > limit:  # refused from its size: a huge file is never read into memory
                    raise too_large(limit, size, path=self.path)
            try:
                data = fh.read() if limit is None else read_at_most(fh, limit + 1)
            except CORRUPT_STREAM as exc:
                raise DecodeError(f"corrupt compressed data ({exc})", path=self.path) from None
        if limit is not None and len(data) > limit:
            raise too_large(limit, None, path=self.path)
        return data

    def read_text(self, warnings: list[str] | None = None, *, markup: bool = False) -> tuple[str, str]:
        """The whole content decoded: ``(text, codec)``; decoding warnings are appended to ``warnings``.
        ``markup``: an HTML or XML input, whose ``<meta charset>`` / XML declaration may name its codec."""
        return decode(
            self.read_bytes(), path=self.path, encoding=self.encoding, warnings=warnings, declarations=markup
        )


def read_at_most(fh: IO[bytes], n: int, chunk: int = 1 << 16) -> bytes:
    """Up to ``n`` bytes, read in chunks: ``fh.read(n)`` would allocate all ``n`` bytes up front."""
    parts = bytearray()
    while len(parts) < n:
        got = fh.read(min(chunk, n - len(parts)))
        if not got:
            break
        parts += got
    return bytes(parts)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def too_large(
    limit: int, size: int | None, *, path: str, line: int | None = None, what: str = "document"
) -> InputTooLargeError:
    """The one-line RASD106 error: the size (or "more than" when it was not read through), the limit, the fix."""
    got = _mb(size) if size is not None else f"more than {_mb(limit)}"
    return InputTooLargeError(
        f"{what} is {got}, over the limit of {_mb(limit)} per document; split it, or raise the limit "
        "with --max-doc-mb (max_bytes= in Python)",
        path=path,
        line=line,
    )


def add_warnings(doc: Document, warnings: list[str]) -> Document:
    """Record decoding warnings on the document (flag + ``meta.extra["read_warnings"]``): never silently."""
    if warnings:
        known = doc.meta.extra.get(WARNINGS_KEY)
        doc.meta.extra[WARNINGS_KEY] = (known if isinstance(known, list) else []) + list(warnings)
        if DECODE_FLAG not in doc.flags:
            doc.flags.append(DECODE_FLAG)
    return doc


def warnings_of(doc: Document) -> list[str]:
    """The warnings a reader recorded on ``doc`` (e.g. invalid bytes replaced), one line each."""
    if DECODE_FLAG not in doc.flags:
        return []
    found = doc.meta.extra.get(WARNINGS_KEY)
    return [str(w) for w in found] if isinstance(found, list) else []


_SURROGATE = regex.compile(r"[\ud800-\udfff]")


def _scrubbed(value: Any) -> tuple[Any, int]:
    """``value`` with lone surrogates replaced by U+FFFD (one code point each, so offsets stay), and how many."""
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    return value, 0


def _respan(text: str, span: Span) -> Span:
    return Span.of(text, span.start, span.end) if span.end <= len(text) else span


def scrub_surrogates(doc: Document) -> Document:
    """Replace lone surrogates (a JSON ``"\\ud800"`` escape decodes to one; no UTF-8 text can hold it) in the
    text, id and metadata with U+FFFD, with a warning: the document is kept, stored and exported, never lost to a
    UnicodeEncodeError further on."""
    found = 0
    doc.text, n = _scrubbed(doc.text)
    found += n
    doc.id, n = _scrubbed(doc.id)
    found += n
    meta = doc.meta
    for name in ("url", "source", "title", "author", "language", "path"):
        value, n = _scrubbed(getattr(meta, name))
        if n:
            setattr(meta, name, value)
            found += n
    for key, raw in list(meta.extra.items()):
        value, n = _scrubbed(raw)
        new_key, k = _scrubbed(key)
        if n or k:
            del meta.extra[key]
            meta.extra[new_key] = value
            found += n + k
    if found:  # spans copy the text they cover: read them again from the scrubbed text
        meta.spans = {name: _respan(doc.text, span) for name, span in meta.spans.items()}
        for section in doc.sections:
            section.span = _respan(doc.text, section.span)
            if section.heading is not None:
                section.heading = _respan(doc.text, section.heading)
    if found:
        add_warnings(doc, [f"{found} lone surrogate code point(s) (not valid Unicode) replaced with U+FFFD"])
    return doc


def content_id(text: str) -> str:
    """An id from the content alone, for documents with no id and no file name (stdin)."""
    return "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# publication dates outside these are placeholders (0001-01-01, 9999-12-31 "no date" sentinels) or typos, and
# date arithmetic near date.min/date.max overflows: they are kept as published_raw, never used
PUBLISHED_RANGE = (date(1800, 1, 1), date(2199, 12, 31))


def check_published(doc: Document) -> Document:
    """Move a publication date outside :data:`PUBLISHED_RANGE` to ``meta.extra["published_raw"]`` (flag
    ``bad_published``, with a warning): the document is kept, its dates stay unanchored rather than wrong."""
    pub = doc.meta.published
    if pub is None or PUBLISHED_RANGE[0] <= pub <= PUBLISHED_RANGE[1]:
        return doc
    doc.meta.published = None
    doc.meta.extra["published_raw"] = pub.isoformat()
    doc.meta.spans.pop("published", None)
    if "bad_published" not in doc.flags:
        doc.flags.append("bad_published")
    low, high = PUBLISHED_RANGE
    return add_warnings(
        doc,
        [f"published {pub.isoformat()} is outside {low.year}-{high.year}: a placeholder? not used as a date"],
    )


def parse_published(value: Any) -> date | None:
    """A record's published field: a date, "YYYY-MM-DD", an ISO datetime ("2015-07-21T10:00:00Z"), or None.

    Raises ValueError for anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"published must be a YYYY-MM-DD string, not {type(value).__name__}")
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"published '{value}' is not a date (YYYY-MM-DD)") from None


def make_document(doc_id: str, text: str, src: Source, input_format: str, **meta: Any) -> Document:
    """A Document with the source bookkeeping filled in (path, input format)."""
    spans = meta.pop("spans", None) or {}
    extra = meta.pop("extra", None) or {}
    md = Metadata(path=src.path, input_format=input_format, spans=spans, extra=extra, **meta)
    return Document(id=doc_id, text=text, meta=md)


def scalar_extras(record: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Unknown scalar fields of a record (kept in ``meta.extra``); lists and objects are dropped."""
    return {
        k: v
        for k, v in record.items()
        if k not in known and (v is None or isinstance(v, str | int | float | bool))
    }
