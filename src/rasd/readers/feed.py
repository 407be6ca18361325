"""Reader for RSS and Atom feeds with feedparser: one Document per entry.

The text is the entry's full content (``content:encoded`` / Atom ``content``) converted from HTML to plain
text, else its summary/description. Title, link (URL), author, published/updated date and the feed's own
title (as ``source``) become metadata. The id is the entry's guid/id, else its link, else
``<file>#<entry number>``. An entry with no text is yielded as an :class:`EmptyInputError`. feedparser parses
a feed whole, so the size limit (``source.max_bytes``) applies to the feed file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import regex

from ..errors import DecodeError, EmptyInputError
from .base import Item, Source, add_warnings, make_document
from .encoding import decode
from .html import fragment_text

log = logging.getLogger(__name__)

_XML_DECL_ENCODING = regex.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def _entry_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        value = content.get("value") or ""
        text = fragment_text(value) if "html" in (content.get("type") or "html") else value.strip()
        if text:
            return text
    for key in ("summary", "description"):
        value = entry.get(key) or ""
        if value:
            text = fragment_text(value)
            if text:
                return text
    return ""


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def parse(source: Source) -> Iterator[Item]:
    import feedparser

    warnings: list[str] = []
    text, encoding = decode(
        source.read_bytes(), path=source.path, encoding=source.encoding, warnings=warnings
    )
    # hand feedparser UTF-8 bytes it cannot misread: drop the (now wrong) encoding declaration and say utf-8
    payload = _XML_DECL_ENCODING.sub(r"\1", text, count=1).encode("utf-8")
    parsed = feedparser.parse(payload, response_headers={"content-type": "application/xml; charset=utf-8"})
    version = parsed.get("version") or ""
    if not parsed.entries and (parsed.get("bozo") or not version):
        reason = parsed.get("bozo_exception")
        raise DecodeError(f"not an RSS/Atom feed ({reason or 'no feed elements found'})", path=source.path)
    feed_title = (parsed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(parsed.entries, 1):
        body = _entry_text(entry)
        if not body:
            yield EmptyInputError(
                f"nothing to extract: feed entry {n} has no content or summary", path=source.path
            )
            continue
        link = entry.get("link") or None
        entry_id = entry.get("id") or link or f"{source.base_id}#{n}"
        doc = make_document(
            str(entry_id),
            body,
            source,
            "rss",
            title=(entry.get("title") or "").strip() or None,
            author=(entry.get("author") or "").strip() or None,
            url=link,
            source=feed_title,
            published=_entry_date(entry),
            encoding=encoding,
            extra={"entry": n, "feed_version": version},
        )
        yield add_warnings(doc, warnings)
