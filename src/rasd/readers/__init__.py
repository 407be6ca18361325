"""Read documents from files, directories (recursively) and stdin, in any supported format.

::

    from rasd.readers import read
    reader = read(["examples/", "feed.xml"])          # a Reader: an iterator of Documents
    for doc in reader:
        ...
    for err in reader.errors:                         # RecordError / DecodeError, each naming its input
        print(err)                                    #   (and line, for JSON Lines)

Error behaviour (see docs/inputs.md):

* Problems with the request itself raise at once, before anything is read: a path that does not exist
  (:class:`InputNotFoundError`), an unknown ``input_format`` (:class:`UnknownFormatError`).
* Problems met while reading do not stop the other inputs or records: a bad JSONL line, an unreadable WARC
  record or feed entry (:class:`RecordError`, with the line number for JSONL), a binary or undecodable file
  (:class:`DecodeError`). Each is appended to ``reader.errors`` and handled by ``on_error``: ``"collect"``
  (default: logged as a warning), ``"raise"`` (stop at the first one), or a callable (called at once with the
  error, e.g. to print it).

Ids are stable: the record's own id (JSONL ``id``, WARC-Record-ID, feed guid/link), else the file's path
relative to the directory given (without extension) plus ``#<line or entry>`` for records, else (stdin) a
hash of the content. Each document's language is identified (``meta.language``); non-Arabic documents are
flagged ``non_arabic``, not dropped.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from ..document import Document
from ..errors import InputError, InputNotFoundError, RasdError, UnknownFormatError
from .base import Item, Source, content_id

log = logging.getLogger(__name__)

INPUT_FORMATS = ("auto", "txt", "md", "html", "jsonl", "warc", "rss")

# extension -> format, longest suffixes first so ".warc.gz" wins over ".gz"
EXTENSIONS: dict[str, str] = {
    ".warc.gz": "warc",
    ".arc.gz": "warc",
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".txt.gz": "txt",
    ".warc": "warc",
    ".arc": "warc",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".rss": "rss",
    ".atom": "rss",
    ".xml": "rss",
}
# files a directory scan leaves out: documentation that travels with a corpus, not articles
SKIPPED_NAMES = ("readme", "license", "licence", "notice", "changelog", "copying")

OnError = Literal["collect", "raise"] | Callable[[RasdError], None]


def _suffix(name: str) -> str | None:
    lower = name.lower()
    for ext in EXTENSIONS:
        if lower.endswith(ext):
            return ext
    return None


def format_of_name(name: str) -> str | None:
    """The format implied by a file name's extension, or None."""
    ext = _suffix(name)
    return EXTENSIONS[ext] if ext else None


def sniff(head: bytes) -> str:
    """Guess the format from the first bytes of (decompressed) content."""
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if probe.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    lower = probe[:2048].lower()
    if probe.startswith(b"{"):
        return "jsonl"
    if lower.startswith(b"<?xml") or lower.startswith((b"<rss", b"<feed", b"<rdf:rdf")):
        if b"<rss" in lower or b"<feed" in lower or b"<rdf:rdf" in lower:
            return "rss"
        if b"<html" in lower:
            return "html"
        return "rss"
    if (
        lower.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<!--"))
        or b"<html" in lower
    ):
        return "html"
    return "txt"


def _strip_ext(rel: str) -> str:
    ext = _suffix(rel)
    if ext:
        return rel[: -len(ext)]
    return rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel


def _skipped(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(".") or lower.startswith(SKIPPED_NAMES)


def _walk(root: Path, input_format: str) -> list[tuple[Path, str]]:
    """Files under ``root`` to read, as (path, relative posix path), sorted for a deterministic order."""
    found: list[tuple[Path, str]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if _skipped(name):
                continue
            fmt = format_of_name(name)
            if input_format == "auto" and fmt is None:
                log.debug("skipping %s: no known extension", Path(dirpath, name))
                continue
            if input_format != "auto" and fmt is not None and fmt != input_format:
                if not (input_format in ("txt", "md") and fmt in ("txt", "md")):
                    continue
            path = Path(dirpath, name)
            found.append((path, path.relative_to(root).as_posix()))
    found.sort(key=lambda item: item[1])
    return found


def resolve(
    sources: Iterable[str | Path], input_format: str = "auto", encoding: str | None = None
) -> list[Source]:
    """Expand paths (files, directories, "-") into Sources; raises for a missing path."""
    out: list[Source] = []
    for item in sources:
        name = str(item)
        if name == "-":
            out.append(Source(path="<stdin>", base_id="stdin", encoding=encoding))
            continue
        path = Path(name)
        if path.is_dir():
            for file, rel in _walk(path, input_format):
                out.append(Source(path=str(file), base_id=_strip_ext(rel), fs_path=file, encoding=encoding))
        elif path.exists():
            out.append(Source(path=name, base_id=_strip_ext(path.name), fs_path=path, encoding=encoding))
        else:
            raise InputNotFoundError("no such file or directory", path=name)
    return out


def _parse(source: Source, fmt: str) -> Iterator[Item]:
    if fmt in ("txt", "md"):
        from . import text

        return text.parse(source, fmt)
    if fmt == "html":
        from . import html

        return html.parse(source)
    if fmt == "jsonl":
        from . import jsonl

        return jsonl.parse(source)
    if fmt == "warc":
        from . import warc

        return warc.parse(source)
    if fmt == "rss":
        from . import feed

        return feed.parse(source)
    raise UnknownFormatError(
        f"unknown input format '{fmt}'; known: {', '.join(INPUT_FORMATS)}", path=source.path
    )


class Reader(Iterator[Document]):
    """An iterator of Documents over several inputs that keeps going past bad records.

    ``errors`` lists every problem met so far; ``count`` the documents yielded. See the module docstring.
    """

    def __init__(
        self,
        sources: str | Path | Sequence[str | Path],
        *,
        input_format: str = "auto",
        published: date | None = None,
        encoding: str | None = None,
        on_error: OnError = "collect",
        identify_language: bool = True,
    ) -> None:
        if input_format not in INPUT_FORMATS:
            raise UnknownFormatError(
                f"unknown input format '{input_format}'; known: {', '.join(INPUT_FORMATS)}"
            )
        if not (on_error in ("collect", "raise") or callable(on_error)):
            raise InputError(f"on_error must be 'collect', 'raise' or a callable, not {on_error!r}")
        if isinstance(sources, str | Path):
            sources = [sources]
        self.input_format = input_format
        self.published = published
        self.encoding = encoding
        self.on_error = on_error
        self.identify_language = identify_language
        self.sources = resolve(sources, input_format, encoding)
        self.errors: list[RasdError] = []
        self.count = 0
        self._it = self._generate()

    def __iter__(self) -> Reader:
        return self

    def __next__(self) -> Document:
        return next(self._it)

    @property
    def ok(self) -> bool:
        """True while no input or record has failed."""
        return not self.errors

    def _error(self, err: RasdError) -> None:
        self.errors.append(err)
        if self.on_error == "raise":
            raise err
        if callable(self.on_error):
            self.on_error(err)
        else:
            log.warning("%s", err)

    def _format(self, source: Source) -> str:
        if self.input_format != "auto":
            return self.input_format
        by_name = format_of_name(source.path) if source.fs_path is not None else None
        return by_name or sniff(source.head())

    def _finish(self, doc: Document, source: Source) -> Document:
        if source.fs_path is None and doc.id == source.base_id:
            doc.id = content_id(doc.text)  # stdin: no file name to derive a stable id from
        if doc.meta.published is None and self.published is not None:
            doc.meta.published = self.published
            doc.meta.extra.setdefault("published_from", "default")
        if not doc.text.strip() and "empty_text" not in doc.flags:
            doc.flags.append("empty_text")
        if self.identify_language:
            from ..text.langid import tag

            tag(doc)
        return doc

    def _generate(self) -> Iterator[Document]:
        for source in self.sources:
            if source.path == "<stdin>" and source.data is None:
                import sys

                source.data = sys.stdin.buffer.read()
            try:
                fmt = self._format(source)
                source.input_format = fmt
                for item in _parse(source, fmt):
                    if isinstance(item, RasdError):
                        self._error(item)
                        continue
                    self.count += 1
                    yield self._finish(item, source)
            except RasdError as err:
                self._error(err)
            except Exception as exc:  # a reader bug or library failure must not end the other inputs
                if self.on_error == "raise":
                    raise
                log.debug("reading %s failed", source.path, exc_info=True)
                self._error(
                    InputError(
                        f"cannot read as {source.input_format}: {type(exc).__name__}: {exc}", path=source.path
                    )
                )


def read(
    source: str | Path | Sequence[str | Path],
    *,
    input_format: str = "auto",
    published: date | None = None,
    encoding: str | None = None,
    on_error: OnError = "collect",
) -> Reader:
    """Read Documents from files, directories (recursively, sorted) or "-" (stdin).

    ``published`` is the date given to documents that state none. Returns a :class:`Reader` (an iterator of
    Documents with ``.errors``); see the module docstring for which errors raise and which are collected.
    """
    return Reader(
        source, input_format=input_format, published=published, encoding=encoding, on_error=on_error
    )


__all__ = ["EXTENSIONS", "INPUT_FORMATS", "Reader", "Source", "format_of_name", "read", "resolve", "sniff"]
