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

Nothing is dropped silently. A file or record with no text (0 bytes, whitespace, markup only) is reported as
:class:`EmptyInputError` (RASD105) and not yielded; one over ``max_bytes`` (default 5 MB of raw bytes per
document) as :class:`InputTooLargeError` (RASD106), without reading it whole. Bytes replaced while decoding
(truncated or corrupt UTF-8) are kept as U+FFFD and noted on the document (flag ``decode_replaced``,
:func:`warnings_of`). Inputs are streamed: directories are walked lazily, JSONL and stdin read line by line.

Ids are stable: the record's own id (JSONL ``id``, WARC-Record-ID, feed guid/link), else the file's path
relative to the directory given (without extension) plus ``#<line or entry>`` for records, else (stdin) a
hash of the content. Each document's language is identified (``meta.language``); non-Arabic documents are
flagged ``non_arabic``, not dropped.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import regex

from ..document import Document
from ..errors import EmptyInputError, InputError, InputNotFoundError, RasdError, UnknownFormatError
from .base import DECODE_FLAG, Item, Source, check_published, content_id, scrub_surrogates, warnings_of

log = logging.getLogger(__name__)

# 5 MB of raw input per document: the longest article in the SaudiNewsNet Syria corpus is 33 KB of UTF-8 (the
# median 2.4 KB) and real HTML pages with inline scripts rarely pass 2 MB, while extraction time and memory grow
# with document size. A bigger document is almost always a dump or an attack; raise the limit to read one.
DEFAULT_MAX_BYTES = 5_000_000
_HAS_TEXT = regex.compile(r"[\p{L}\p{N}]")

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


def strip_ext(rel: str) -> str:
    """A relative path without its format extension: the stem of its documents' ids."""
    ext = _suffix(rel)
    if ext:
        return rel[: -len(ext)]
    return rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel


def _skipped(name: str) -> bool:
    lower = name.lower()
    return lower.startswith(".") or lower.startswith(SKIPPED_NAMES)


def _wanted(name: str, input_format: str) -> bool:
    if _skipped(name):
        return False
    fmt = format_of_name(name)
    if input_format == "auto" and fmt is None:
        log.debug("skipping %s: no known extension", name)
        return False
    if input_format != "auto" and fmt is not None and fmt != input_format:
        return input_format in ("txt", "md") and fmt in ("txt", "md")
    return True


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry a directory walk leaves out on purpose (a FIFO, a directory reached again through a link):
    nothing is lost, but it is said (a reading warning)."""

    path: str
    reason: str


Walked = tuple[Path, str] | Skipped | RasdError


def shown(name: str) -> str:
    """A path as printed and stored: bytes that are not UTF-8 in a file name become ``\\xNN`` escapes
    (Python keeps them as lone surrogates, which no UTF-8 output or database accepts)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _special(mode: int) -> str | None:
    for test, what in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def _walk(
    root: Path, input_format: str, rel: str = "", seen: set[tuple[int, int]] | None = None
) -> Iterator[Walked]:
    """Files under ``root`` to read, as (path, relative posix path), in sorted relative-path order; entries
    left out on purpose as :class:`Skipped`, and entries that cannot be read as errors (never silently).

    Lazy, one directory listing in memory at a time, so a corpus of millions of files is walked in constant
    memory. Sorting each listing by name, directories as ``name/``, gives the same order as sorting all the
    relative paths: everything under ``d/`` sorts as one block at the place of ``d/``. A directory or file is
    visited once, however many links lead to it (``seen``: device and inode), so a link to ``.`` neither
    repeats articles nor loops; special files (FIFOs, sockets, devices) are skipped, never opened.
    """
    if seen is None:
        seen = set()
    try:
        info = root.stat()
        if (info.st_dev, info.st_ino) in seen:
            yield Skipped(shown(str(root)), "a directory already read (a link back into the tree); skipped")
            return
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(root) as it:
            entries = [
                (e.name + "/" if _is_dir(e) else e.name, e.name) for e in it if not e.name.startswith(".")
            ]
    except OSError as exc:
        yield InputError(
            f"cannot list directory: {exc.strerror or exc}; its files were not read (fix its permissions and "
            "re-run: what was read is kept)",
            path=shown(str(root)),
        )
        return
    entries.sort()
    for key, name in entries:
        path = root / name
        if key.endswith("/"):
            yield from _walk(path, input_format, f"{rel}{name}/", seen)
            continue
        if not _wanted(name, input_format):
            continue
        try:
            info = path.stat()
        except OSError as exc:  # a dangling link, or no permission to look
            yield InputError(f"cannot read: {exc.strerror or exc}", path=shown(str(path)))
            continue
        what = _special(info.st_mode)
        if what is not None:
            yield Skipped(
                shown(str(path)), f"{what}, not a file; skipped (name it on the command line to read it)"
            )
            continue
        if (info.st_dev, info.st_ino) in seen:
            yield Skipped(shown(str(path)), "the same file as one already read (a link); skipped")
            continue
        seen.add((info.st_dev, info.st_ino))
        yield path, rel + name


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _check(sources: Iterable[str | Path]) -> list[str]:
    names = [str(item) for item in sources]
    for name in names:
        if name != "-" and not Path(name).exists():
            raise InputNotFoundError("no such file or directory", path=shown(name))
    return names


def iter_sources(
    sources: Iterable[str | Path],
    input_format: str = "auto",
    encoding: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[Source]:
    """Expand paths (files, directories, "-") into Sources lazily (directories are walked as they are read).

    Raises :class:`InputNotFoundError` at once, before anything is yielded, for a path that does not exist.
    Entries skipped or unreadable in a directory walk are left out here: :class:`Reader` reports them.
    """
    names = _check(sources)
    return (s for s in _expand(names, input_format, encoding, max_bytes) if isinstance(s, Source))


def _expand(
    names: list[str], input_format: str, encoding: str | None, max_bytes: int | None
) -> Iterator[Source | Skipped | RasdError]:
    for name in names:
        if name == "-":
            yield Source(path="<stdin>", base_id="stdin", encoding=encoding, max_bytes=max_bytes)
            continue
        path = Path(name)
        if path.is_dir():
            for walked in _walk(path, input_format):
                if not isinstance(walked, tuple):
                    yield walked
                    continue
                file, rel = walked
                yield Source(
                    path=shown(str(file)),
                    base_id=shown(strip_ext(rel)),
                    fs_path=file,
                    encoding=encoding,
                    max_bytes=max_bytes,
                )
        elif path.exists():
            yield Source(
                path=shown(name),
                base_id=shown(strip_ext(path.name)),
                fs_path=path,
                encoding=encoding,
                max_bytes=max_bytes,
            )
        else:  # removed since the check
            raise InputNotFoundError("no such file or directory", path=shown(name))


def expand(
    sources: Iterable[str | Path], input_format: str = "auto", encoding: str | None = None
) -> Iterator[Source | Skipped | RasdError]:
    """Like :func:`iter_sources`, with the entries a directory walk skips (:class:`Skipped`) or cannot read
    (an error) in their place, for callers that report them (the Dask planner)."""
    return _expand(_check(sources), input_format, encoding, None)


def resolve(
    sources: Iterable[str | Path], input_format: str = "auto", encoding: str | None = None
) -> list[Source]:
    """Expand paths (files, directories, "-") into a list of Sources; raises for a missing path.

    Holds every Source at once: prefer :func:`iter_sources` for big corpora.
    """
    return list(iter_sources(sources, input_format, encoding))


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


def _where(doc: Document, path: str) -> tuple[str, int | None]:
    """(path, line) naming a document in messages: the file, plus its WARC record or feed entry, or line."""
    for key, label in (("warc_record", "record"), ("entry", "entry")):
        if key in doc.meta.extra:
            path = f"{path} {label} {doc.meta.extra[key]}"
    line = doc.meta.extra.get("line")
    return path, line if isinstance(line, int) and not isinstance(line, bool) else None


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
        max_bytes: int | None = DEFAULT_MAX_BYTES,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        if input_format not in INPUT_FORMATS:
            raise UnknownFormatError(
                f"unknown input format '{input_format}'; known: {', '.join(INPUT_FORMATS)}"
            )
        if not (on_error in ("collect", "raise") or callable(on_error)):
            raise InputError(f"on_error must be 'collect', 'raise' or a callable, not {on_error!r}")
        if max_bytes is not None and max_bytes <= 0:
            raise InputError(
                f"max_bytes must be a positive number of bytes or None (no limit), not {max_bytes}"
            )
        if isinstance(sources, str | Path):
            sources = [sources]
        self.input_format = input_format
        self.published = published
        self.encoding = encoding
        self.on_error = on_error
        self.identify_language = identify_language
        self.max_bytes = max_bytes
        self.on_warning = on_warning
        self.sources = _expand(_check(sources), input_format, encoding, max_bytes)
        self.errors: list[RasdError] = []
        self.count = 0
        self.empty = 0  # files or records with no text (EmptyInputError, also in errors)
        self.warned = 0  # documents yielded with reading warnings (see warnings_of)
        self.notes: list[str] = []  # reading warnings and entries skipped on purpose (first 1,000)
        self._it = self._generate()

    def __iter__(self) -> Reader:
        return self

    def __next__(self) -> Document:
        return next(self._it)

    @property
    def ok(self) -> bool:
        """True while no input or record has failed (empty ones included: see ``failed``)."""
        return not self.errors

    @property
    def failed(self) -> list[RasdError]:
        """The errors that lost data: every error but empty inputs (which hold nothing to lose)."""
        return [err for err in self.errors if not isinstance(err, EmptyInputError)]

    def _error(self, err: RasdError) -> None:
        self.errors.append(err)
        if self.on_error == "raise":
            raise err
        if callable(self.on_error):
            self.on_error(err)
        else:
            log.warning("%s", err)

    def _warn(self, message: str) -> None:
        if len(self.notes) < 1000:
            self.notes.append(message)
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            log.warning("%s", message)

    def _format(self, source: Source) -> str:
        if self.input_format != "auto":
            return self.input_format
        by_name = format_of_name(source.path) if source.fs_path is not None else None
        return by_name or sniff(source.head())

    def _empty(self, doc: Document, source: Source) -> EmptyInputError | None:
        """EmptyInputError when ``doc`` has no letter or digit at all: nothing to extract, so not yielded."""
        if _HAS_TEXT.search(doc.text):
            return None
        what = "the text is empty" if not doc.text else "no letters or digits, only whitespace or marks"
        path, line = _where(doc, source.path)
        return EmptyInputError(f"nothing to extract: {what}", path=path, line=line)

    def _finish(self, doc: Document, source: Source) -> Document:
        scrub_surrogates(doc)
        check_published(doc)
        if source.fs_path is None and doc.id == source.base_id:
            doc.id = content_id(doc.text)  # stdin: no file name to derive a stable id from
        if doc.meta.published is None and self.published is not None:
            doc.meta.published = self.published
            doc.meta.extra.setdefault("published_from", "default")
        if DECODE_FLAG in doc.flags:
            self.warned += 1
            path, line = _where(doc, source.path)
            where = path if line is None else f"{path}:{line}"
            for warning in warnings_of(doc):
                self._warn(f"{where}: {warning}")
        if self.identify_language:
            from ..text.langid import tag

            tag(doc)
        return doc

    def _generate(self) -> Iterator[Document]:
        for source in self.sources:
            if isinstance(source, Skipped):
                self._warn(f"{source.path}: {source.reason}")
                continue
            if isinstance(source, RasdError):
                self._error(source)
                continue
            if source.path == "<stdin>" and source.data is None and source.stream is None:
                import sys

                if sys.stdin is None or getattr(sys.stdin, "buffer", None) is None:
                    self._error(
                        InputError(
                            "stdin is closed: nothing to read; pipe the input in or name files",
                            path="<stdin>",
                        )
                    )
                    continue
                source.stream = sys.stdin.buffer  # streamed: a JSONL pipe is never held whole
            try:
                fmt = self._format(source)
                source.input_format = fmt
                items = 0
                for item in _parse(source, fmt):
                    items += 1
                    if isinstance(item, RasdError):
                        if isinstance(item, EmptyInputError):
                            self.empty += 1
                        self._error(item)
                        continue
                    empty = self._empty(item, source)
                    if empty is not None:
                        self.empty += 1
                        self._error(empty)
                        continue
                    try:
                        doc = self._finish(item, source)
                    except Exception as exc:  # one document's bookkeeping never ends its file
                        if self.on_error == "raise":
                            raise
                        path, line = _where(item, source.path)
                        self._error(
                            InputError(f"cannot read ({type(exc).__name__}: {exc})", path=path, line=line)
                        )
                        continue
                    self.count += 1
                    yield doc
                if items == 0:  # e.g. a 0-byte JSONL file, a WARC with requests only: say so, never silently
                    self.empty += 1
                    self._error(
                        EmptyInputError(f"nothing to extract: no {fmt} records with text", path=source.path)
                    )
            except RasdError as err:
                if isinstance(err, EmptyInputError):
                    self.empty += 1
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
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    on_warning: Callable[[str], None] | None = None,
) -> Reader:
    """Read Documents from files, directories (recursively, sorted) or "-" (stdin).

    ``published`` is the date given to documents that state none. ``max_bytes`` bounds the raw size of one
    document or record (None: no limit). Returns a :class:`Reader` (an iterator of Documents with
    ``.errors``); see the module docstring for which errors raise and which are collected. ``on_warning`` is
    called with each reading warning ("<path>[:<line>]: <problem>"; default: logged).
    """
    return Reader(
        source,
        input_format=input_format,
        published=published,
        encoding=encoding,
        on_error=on_error,
        max_bytes=max_bytes,
        on_warning=on_warning,
    )


__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTENSIONS",
    "INPUT_FORMATS",
    "Reader",
    "Skipped",
    "Source",
    "expand",
    "format_of_name",
    "iter_sources",
    "read",
    "resolve",
    "sniff",
    "strip_ext",
    "warnings_of",
]
