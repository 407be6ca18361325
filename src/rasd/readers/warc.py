"""Reader for WARC archives (``.warc``, ``.warc.gz``) with warcio.

Every ``response`` (or ``resource``/``conversion``) record whose content type is HTML or plain text becomes a
Document: HTML through the HTML reader (trafilatura), plain text through the page reader. Other records
(requests, metadata, images...) are skipped. The document id is the record's ``WARC-Record-ID`` uuid; the URL
is ``WARC-Target-URI``; when the page states no date, ``published`` falls back to the capture date
(``WARC-Date``, noted in ``meta.extra["published_from"]``). A record that cannot be read is yielded as a
:class:`RecordError` naming its index; a truncated archive ends the file with one. A payload over
``source.max_bytes`` is refused (:class:`InputTooLargeError`) after reading ``max_bytes + 1`` bytes of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import regex

from ..errors import DecodeError, EmptyInputError, RasdError, RecordError
from .base import Item, Source, add_warnings, parse_published, too_large
from .encoding import decode
from .html import html_document
from .text import page_document

log = logging.getLogger(__name__)

_CHARSET = regex.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", regex.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown")
_CONTENT_RECORDS = ("response", "resource", "conversion")
_WARC_TYPES = frozenset(
    {"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation"}
)


def _record_id(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().strip("<>")
    return value.removeprefix("urn:uuid:") or None


def _charset(content_type: str) -> str | None:
    m = _CHARSET.search(content_type)
    if not m:
        return None
    import codecs

    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return None


def _decode(
    payload: bytes, where: str, declared: str | None, forced: str | None, html: bool, warnings: list[str]
) -> tuple[str, str]:
    """Decode a payload: the codec forced by the user, else detected with the HTTP charset (and, for HTML, the
    page's ``<meta charset>``) as declarations checked against the bytes (valid UTF-8 always wins: servers
    often declare the wrong charset)."""
    if forced:
        return decode(payload, path=where, encoding=forced)
    return decode(payload, path=where, warnings=warnings, declared=declared, declarations=html)


def _content_type(record: Any) -> str:
    if record.rec_type == "response" and record.http_headers is not None:
        value = record.http_headers.get_header("Content-Type")
    else:
        value = record.rec_headers.get_header("Content-Type")
    return (value or "").strip()


def _one_line(message: str) -> str:
    """warcio's messages span several lines; rasd's errors are one line: keep the first that says something."""
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    return lines[0] if lines else "unreadable"


def _archive_iterator(fh: Any) -> Any:
    from warcio.archiveiterator import ArchiveIterator

    warcio_log = logging.getLogger("warcio")
    if (
        warcio_log.level == logging.NOTSET
    ):  # its warnings quote whole headers; leave a level the app chose alone
        warcio_log.setLevel(logging.ERROR)

    class QuietIterator(ArchiveIterator):
        INC_RECORD = ""  # warcio writes this warning to stderr itself; rasd reports each bad record instead

    return QuietIterator(fh, arc2warc=True)


def parse(source: Source) -> Iterator[Item]:
    from warcio.exceptions import ArchiveLoadFailed

    with source.open_raw() as fh:  # warcio reads gzip member by member: a corrupt member ends only itself
        index = 0
        iterator = iter(_archive_iterator(fh))
        while True:
            try:
                record = next(iterator)
            except StopIteration:
                return
            except ArchiveLoadFailed as exc:
                if index == 0:
                    raise DecodeError(
                        f"not a WARC archive ({_one_line(exc.msg)})", path=source.path
                    ) from None
                yield RecordError(
                    f"archive is corrupt after record {index} ({_one_line(exc.msg)})", path=source.path
                )
                return
            except Exception as exc:  # warcio raises assorted errors on truncated archives
                yield RecordError(
                    f"archive is corrupt after record {index} ({type(exc).__name__}: {_one_line(str(exc))})",
                    path=source.path,
                )
                return
            index += 1
            if record.rec_type not in _WARC_TYPES:
                yield RecordError(
                    f"record {index} has no valid WARC-Type header ({record.rec_type!r}); skipped",
                    path=source.path,
                )
                continue
            if record.rec_type not in _CONTENT_RECORDS:
                continue
            ctype = _content_type(record)
            mime = ctype.split(";")[0].strip().lower()
            if mime not in _HTML_TYPES and mime not in _TEXT_TYPES:
                log.debug("%s: skipping record %d (%s)", source.path, index, mime or "no content type")
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            where = f"record {index}" + (f" ({uri})" if uri else "")
            limit = source.max_bytes
            warnings: list[str] = []
            try:
                payload = record.content_stream().read(-1 if limit is None else limit + 1)
                if limit is not None and len(payload) > limit:  # the iterator skips the rest of the record
                    yield too_large(limit, None, path=f"{source.path} {where}", what="payload")
                    continue
                missing = getattr(record.raw_stream, "limit", 0)
                if isinstance(missing, int) and missing > 0:  # the archive ends inside this record
                    yield RecordError(
                        f"record is truncated ({missing:,} of its bytes missing; corrupt or cut archive)",
                        path=f"{source.path} {where}",
                    )
                    continue
                text, encoding = _decode(
                    payload,
                    f"{source.path} {where}",
                    _charset(ctype),
                    source.encoding,
                    mime in _HTML_TYPES,
                    warnings,
                )
            except DecodeError as exc:
                yield RecordError(exc.message, path=f"{source.path} {where}")
                continue
            except Exception as exc:
                yield RecordError(
                    f"cannot read payload ({type(exc).__name__}: {exc})", path=f"{source.path} {where}"
                )
                continue
            doc_id = (
                _record_id(record.rec_headers.get_header("WARC-Record-ID")) or f"{source.base_id}#{index}"
            )
            try:
                if mime in _HTML_TYPES:
                    doc = html_document(doc_id, text, source, url=uri, encoding=encoding, input_format="warc")
                else:
                    doc = page_document(doc_id, text, source, "warc", encoding)
                    doc.meta.url = doc.meta.url or uri
            except EmptyInputError as err:
                yield EmptyInputError(err.message, path=f"{source.path} {where}")
                continue
            except RasdError as err:
                yield RecordError(err.message, path=f"{source.path} {where}")
                continue
            except Exception as exc:  # one record never ends the archive
                yield RecordError(
                    f"cannot read record ({type(exc).__name__}: {str(exc)[:200]})",
                    path=f"{source.path} {where}",
                )
                continue
            add_warnings(doc, warnings)
            doc.meta.extra["warc_record"] = index
            captured = record.rec_headers.get_header("WARC-Date")
            if captured:
                doc.meta.extra["captured"] = captured
                if doc.meta.published is None:
                    try:
                        doc.meta.published = parse_published(captured)
                        doc.meta.extra["published_from"] = "warc-date"
                    except ValueError:
                        pass
            yield doc
