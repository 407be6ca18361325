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
from ..errors import EmptyInputError, RecordError
from .base import Item, Source, add_warnings, make_document, parse_published

log = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote section article header footer pre hr dd dt".split()
)
# never document text: code, styles, embedded frames and objects, inert templates, comments. JSON-LD stays for
# trafilatura's metadata (it never becomes text).
_HIDDEN = (
    "//script[not(@type='application/ld+json')]|//style|//noscript|//template|//iframe|//frame|//frameset"
    "|//object|//embed|//applet|//svg|//math|//comment()|//processing-instruction()"
)
_HIDDEN_BLOCK = regex.compile(
    r"<(script|style|noscript|template|iframe|object|svg|math)\b.*?</\1\s*>|<!--.*?(?:-->|$)",
    regex.I | regex.S,
)
_TAG = regex.compile(r"<[^>]*>?")
_BLANKS = regex.compile(r"[ \t\u00a0]+")
_MANY_NL = regex.compile(r"\n{3,}")


# libxml2 stops building the tree at 256 levels of nesting (and drops what follows); deeper pages are read by
# stripping tags instead, which keeps every word
_MAX_DEPTH = 200
_OPEN_CLOSE = regex.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})\b[^>]*?(/?)>")
# elements that never nest (void) or that a parser closes by itself when the next one opens
_NO_NEST = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd tr td th option "
    "thead tbody tfoot colgroup rt rp optgroup".split()
)
_HEAD = regex.compile(r"<head\b.*?</head\s*>", regex.I | regex.S)
_BLOCK_TAG = regex.compile(r"</?(?:" + "|".join(sorted(_BLOCK_TAGS)) + r")\b[^>]*>", regex.I)


def nesting_depth(html: str, stop: int = _MAX_DEPTH) -> int:
    """How deeply elements nest (stops counting past ``stop``): one linear scan, no tree built."""
    depth = deepest = 0
    for m in _OPEN_CLOSE.finditer(html):
        if m.group(2).lower() in _NO_NEST or m.group(3):
            continue
        if m.group(1):
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > stop:
                break
    return deepest


def stripped_text(html: str) -> str:
    """Visible text by removing tags (hidden blocks and the head first), for pages too deep for a parser."""
    import html as html_lib

    body = _HEAD.sub(" ", _HIDDEN_BLOCK.sub(" ", html))
    return _clean(html_lib.unescape(_TAG.sub(" ", _BLOCK_TAG.sub("\n", body))))


def _clean(text: str) -> str:
    lines = [_BLANKS.sub(" ", line).strip() for line in text.splitlines()]
    return _MANY_NL.sub("\n\n", "\n".join(lines)).strip()


def _parse_fragment(fragment: str) -> Any:
    """An lxml element holding ``fragment`` (a feed's HTML, or a whole page), or None when lxml gives up."""
    import lxml.html

    for parse in (
        lambda: lxml.html.fragment_fromstring(fragment, create_parent="div"),
        lambda: lxml.html.document_fromstring(fragment),
    ):
        try:
            return parse()
        except Exception:  # lxml raises several types (even AssertionError) on junk
            continue
    return None


def fragment_text(fragment: str) -> str:
    """Visible text of an HTML fragment (feed content), block elements on their own lines."""
    if "<" not in fragment:
        return _clean(fragment)
    if nesting_depth(fragment) > _MAX_DEPTH:
        return stripped_text(fragment)
    root = _parse_fragment(fragment)
    if root is None:  # strip tags by hand, hidden blocks (scripts...) first, so their content never shows
        return _clean(_TAG.sub(" ", _HIDDEN_BLOCK.sub(" ", fragment)))
    _drop_hidden(root)
    parts: list[str] = []

    def walk(el: Any) -> None:
        if not isinstance(el.tag, str):  # a comment or processing instruction left by a parser quirk
            return
        tag = el.tag
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if tag == "script":  # JSON-LD: metadata, never text
            return
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


def _drop_hidden(root: Any) -> None:
    """Remove what a browser never shows as text (scripts, styles, frames, templates, comments) in place."""
    for bad in root.xpath(_HIDDEN):
        if bad.getparent() is None:
            continue
        if isinstance(bad.tag, str):
            bad.drop_tree()
        else:  # comments and processing instructions: keep their tail text
            parent, tail = bad.getparent(), bad.tail
            prev = bad.getprevious()
            if tail:
                if prev is not None:
                    prev.tail = (prev.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(bad)


def _sanitized(html: str) -> Any:
    """The page as an lxml tree without its hidden parts, or the string itself when lxml cannot parse it."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # empty document, encoding declaration in a str...: trafilatura parses it itself
        return html
    _drop_hidden(root)
    return root


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
        _sanitized(html),
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
    """A Document from an HTML page (used by the HTML and WARC readers).

    Raises :class:`EmptyInputError` when the page has no visible text, RecordError when it cannot be parsed.
    A page nested deeper than an HTML parser builds (``_MAX_DEPTH``) is read by stripping tags (flag
    ``html_deep``): every word kept, no metadata.
    """
    if nesting_depth(html) > _MAX_DEPTH:
        text = stripped_text(html)
        if not text:
            raise EmptyInputError(
                "nothing to extract: no visible text in the HTML page", path=source.path, line=line
            )
        doc = make_document(doc_id, text, source, input_format, encoding=encoding, url=url)
        doc.flags.append("html_deep")
        return add_warnings(
            doc, [f"HTML nested more than {_MAX_DEPTH} levels deep: read by stripping tags (no metadata)"]
        )
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
        raise EmptyInputError(
            "nothing to extract: no visible text in the HTML page", path=source.path, line=line
        )
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
    warnings: list[str] = []
    html, encoding = source.read_text(warnings, markup=True)
    try:
        yield add_warnings(html_document(source.base_id, html, source, encoding=encoding), warnings)
    except (RecordError, EmptyInputError) as err:
        yield err
