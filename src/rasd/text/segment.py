"""Sentence and clause splitting for Arabic, with offsets into the original text.

Sentences end at . ! ? ؟ … (followed by a space or the end) and at line breaks; clauses also break at ، ؛ , ; : .
A separator between two digits (3.5, 1,200, 10:30) and the dot of a one-letter abbreviation ("د." for doctor,
Latin initials) are not breaks. Splitting works on the original string (the marks are not folded away), so
offsets need no map.
"""

from __future__ import annotations

import regex

from ..document import Document, Span

_SENT_END = regex.compile(r"(?:[.!?؟…]+[\"'»”)\]]*(?=\s|$))|\n+")
_CLAUSE_END = regex.compile(r"[.!?؟…،؛,;:]+|\n+")
_SEPARATOR = frozenset(".,،٫٬:")  # between two digits these are part of a number or time: 3.5, 1,200, 10:30
# one-letter abbreviations written with a dot: "د." (doctor), "أ." (professor), Latin initials "U.S."
_ABBREV = regex.compile(r"(?:^|(?<=[\s(«\"]))(?:[دأ]|\p{Lu})$")


def _is_break(text: str, m: regex.Match[str]) -> bool:
    mark = m.group()
    if len(mark) == 1 and mark in _SEPARATOR:
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before.isdigit() and after.isdigit():
            return False
    if mark == "." and _ABBREV.search(text, max(m.start() - 2, 0), m.start()):
        return False
    return True


def _split(text: str, start: int, end: int, pattern: regex.Pattern[str]) -> list[Span]:
    spans: list[Span] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if not _is_break(text, m):
            continue
        cut = m.end() if not m.group().startswith("\n") else m.start()
        _add(text, pos, cut, spans)
        pos = m.end()
    _add(text, pos, end, spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end, text[start:end]))


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]``, trimmed of surrounding whitespace."""
    return _split(text, start, len(text) if end is None else end, _SENT_END)


def clauses(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Clauses: sentences further cut at commas, semicolons and colons (Arabic and Latin)."""
    return _split(text, start, len(text) if end is None else end, _CLAUSE_END)


class Segmenter:
    """Stage: fills ``doc.sentences`` and ``doc.clauses``."""

    name = "segment"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("sentences", "clauses")

    def __call__(self, doc: Document) -> Document:
        doc.sentences = sentences(doc.text)
        doc.clauses = clauses(doc.text)
        return doc
