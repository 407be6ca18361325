"""What every format reader shares: the input being read (:class:`Source`) and the result type.

A format module exposes ``parse(source) -> Iterator[Document | RasdError]``: it yields a Document per record
and, for a record it cannot read, the error (a :class:`~rasd.errors.RecordError` with its line or index)
instead of raising, so the records after it are still read. An error that spoils the whole input (binary
file, not a feed at all) is raised.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from ..document import Document, Metadata
from ..errors import DecodeError, InputError, RasdError
from .encoding import decode

Item = Document | RasdError
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(slots=True)
class Source:
    """One input: a file (``fs_path``) or stdin (``data``), with the names used in ids and messages."""

    path: str  # as shown in messages: the path given, "<stdin>" for stdin
    base_id: str  # stem of the ids of its documents
    fs_path: Path | None = None
    data: bytes | None = None
    encoding: str | None = None  # forced codec, or None to detect
    input_format: str = "auto"

    def open(self) -> IO[bytes]:
        """A binary stream of the content (gzip is decompressed transparently)."""
        raw: IO[bytes]
        if self.data is not None:
            raw = io.BytesIO(self.data)
        else:
            assert self.fs_path is not None
            try:
                raw = self.fs_path.open("rb")
            except OSError as exc:
                raise InputError(f"cannot open: {exc.strerror or exc}", path=self.path) from None
        head = raw.read(2)
        raw.seek(0)
        if head == _GZIP_MAGIC:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def head(self, n: int = 8192) -> bytes:
        with self.open() as fh:
            try:
                return fh.read(n)
            except (OSError, EOFError) as exc:
                raise DecodeError(f"corrupt compressed data ({exc})", path=self.path) from None

    def read_bytes(self) -> bytes:
        with self.open() as fh:
            try:
                return fh.read()
            except (OSError, EOFError) as exc:
                raise DecodeError(f"corrupt compressed data ({exc})", path=self.path) from None

    def read_text(self) -> tuple[str, str]:
        """The whole content decoded: ``(text, codec)``."""
        return decode(self.read_bytes(), path=self.path, encoding=self.encoding)


def content_id(text: str) -> str:
    """An id from the content alone, for documents with no id and no file name (stdin)."""
    return "sha256-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


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
