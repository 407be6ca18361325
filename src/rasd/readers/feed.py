"""Reader for RSS and Atom feeds with feedparser: one Document per entry.

The text is the entry's full content (``content:encoded`` / Atom ``content``) converted from HTML to plain
text, else its summary/description. Title, link (URL), author, published/updated date and the feed's own
title (as ``source``) become metadata. The id is the entry's guid/id, else its link, else
``<file>#<entry number>``. An entry with no text is yielded as an :class:`EmptyInputError`. feedparser parses
a feed whole, so the size limit (``source.max_bytes``) applies to the feed file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import date
from typing import Any

import regex

from ..document import Document
from ..errors import DecodeError, EmptyInputError, RecordError
from .base import Item, Source, add_warnings, make_document
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
    text, encoding = source.read_text(warnings, markup=True)
    # hand feedparser UTF-8 bytes it cannot misread: drop the (now wrong) encoding declaration and say utf-8
    payload = _XML_DECL_ENCODING.sub(r"\1", text, count=1).encode("utf-8")
    parsed = feedparser.parse(payload, response_headers={"content-type": "application/xml; charset=utf-8"})
    version = parsed.get("version") or ""
    if not parsed.entries and (parsed.get("bozo") or not version):
        reason = parsed.get("bozo_exception")
        raise DecodeError(f"not an RSS/Atom feed ({reason or 'no feed elements found'})", path=source.path)
    feed_title = (parsed.feed.get("title") or "").strip() or None
    # entries with no guid are known by their link, unless several share it (a live page, a section front):
    # then each gets the link plus a hash of its own title, date and text, so none overwrites another
    links: dict[str, int] = {}
    for entry in parsed.entries:
        if not entry.get("id") and entry.get("link"):
            links[entry["link"]] = links.get(entry["link"], 0) + 1
    for n, entry in enumerate(parsed.entries, 1):
        try:
            item = _entry_document(entry, n, source, links, feed_title, version, encoding)
        except Exception as exc:  # one entry never ends the feed
            item = RecordError(
                f"cannot read feed entry {n} ({type(exc).__name__}: {str(exc)[:200]})", path=source.path
            )
        yield add_warnings(item, warnings) if isinstance(item, Document) else item


def _entry_document(
    entry: Any,
    n: int,
    source: Source,
    links: dict[str, int],
    feed_title: str | None,
    version: str,
    encoding: str,
) -> Item:
    body = _entry_text(entry)
    if not body:
        return EmptyInputError(
            f"nothing to extract: feed entry {n} has no content or summary", path=source.path
        )
    link = entry.get("link") or None
    title = (entry.get("title") or "").strip() or None
    published = _entry_date(entry)
    entry_id = entry.get("id") or link or f"{source.base_id}#{n}"
    if not entry.get("id") and link and links.get(link, 0) > 1:
        key = f"{title or ''}|{published or ''}|{body}".encode("utf-8", "surrogatepass")
        entry_id = f"{link}#{hashlib.sha256(key).hexdigest()[:12]}"
    return make_document(
        str(entry_id),
        body,
        source,
        "rss",
        title=title,
        author=(entry.get("author") or "").strip() or None,
        url=link,
        source=feed_title,
        published=published,
        encoding=encoding,
        extra={"entry": n, "feed_version": version},
    )
