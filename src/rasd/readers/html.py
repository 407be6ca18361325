"""Reader for HTML pages: main text and metadata with trafilatura; menus, footers, ads are dropped.

The Document text is trafilatura's extracted main text (paragraphs separated by newlines); its title,
author, date, site name and canonical URL become metadata. When trafilatura finds no main text (very short
pages), the whole visible text is used instead and the document is flagged ``html_fallback``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import regex

from ..document import Document
from ..errors import RecordError
from .base import Item, Source, make_document, parse_published

log = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote section article header footer pre hr dd dt".split()
)
_BLANKS = regex.compile(r"[ \t\u00a0]+")
_MANY_NL = regex.compile(r"\n{3,}")


def _clean(text: str) -> str:
    lines = [_BLANKS.sub(" ", line).strip() for line in text.splitlines()]
    return _MANY_NL.sub("\n\n", "\n".join(lines)).strip()


def fragment_text(fragment: str) -> str:
    """Visible text of an HTML fragment (feed content), block elements on their own lines."""
    if "<" not in fragment:
        return _clean(fragment)
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on junk; fall back to tag stripping
        return _clean(regex.sub(r"<[^>]+>", " ", fragment))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK_TAGS:
            parts.append("\n")

    walk(root)
    return _clean("".join(parts))


def _quiet_trafilatura() -> None:
    """trafilatura logs ERRORs for pages it cannot use; rasd reports those itself (one line per input)."""
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:  # leave a level the application chose alone
            logger.setLevel(logging.CRITICAL)


def _extract(html: str, url: str | None) -> Any:
    import trafilatura

    _quiet_trafilatura()

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=True,
    )


def html_document(
    doc_id: str,
    html: str,
    source: Source,
    *,
    url: str | None = None,
    encoding: str | None = None,
    input_format: str = "html",
    line: int | None = None,
) -> Document:
    """A Document from an HTML page (used by the HTML and WARC readers). Raises RecordError when empty."""
    try:
        result = _extract(html, url)
    except Exception as exc:  # trafilatura/lxml failures are per page
        log.debug("trafilatura failed on %s", source.path, exc_info=True)
        raise RecordError(
            f"cannot extract text from HTML ({type(exc).__name__}: {exc})", path=source.path, line=line
        ) from None
    flags: list[str] = []
    text = _clean(getattr(result, "text", None) or "") if result is not None else ""
    if not text:
        text = fragment_text(html)
        flags.append("html_fallback")
    if not text:
        raise RecordError("no text found in the HTML page", path=source.path, line=line)
    meta: dict[str, Any] = {"encoding": encoding}
    if result is not None:
        meta["title"] = getattr(result, "title", None) or None
        meta["author"] = getattr(result, "author", None) or None
        meta["source"] = getattr(result, "sitename", None) or getattr(result, "hostname", None) or None
        meta["url"] = getattr(result, "url", None) or url
        raw_date = getattr(result, "date", None)
        try:
            meta["published"] = parse_published(raw_date)
        except ValueError:
            meta["extra"] = {"published_raw": raw_date}
        description = getattr(result, "description", None)
        if description:
            meta.setdefault("extra", {})["description"] = description
    else:
        meta["url"] = url
    doc = make_document(doc_id, text, source, input_format, **meta)
    doc.flags.extend(flags)
    return doc


def parse(source: Source) -> Iterator[Item]:
    html, encoding = source.read_text()
    try:
        yield html_document(source.base_id, html, source, encoding=encoding)
    except RecordError as err:
        yield err
