"""Sentence and clause splitting for Arabic, with offsets into the original text.

Sentences end at . ! ? ؟ and at line breaks; clauses also break at ، ؛ , ; : . Splitting works on the original
string (the marks are not folded away), so offsets need no map.
"""

from __future__ import annotations

import regex

from ..document import Document, Span

_SENT_END = regex.compile(r"(?:[.!?؟]+[\"'»”)\]]*(?=\s|$))|\n+")
_CLAUSE_END = regex.compile(r"[.!?؟،؛,;:]+|\n+")
_NUMERIC_DOT = regex.compile(r"\d\.\d")


def _split(text: str, start: int, end: int, pattern: regex.Pattern[str]) -> list[Span]:
    spans: list[Span] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        if m.group().startswith(".") and _NUMERIC_DOT.match(text, max(m.start() - 1, 0)):
            continue  # 3.5 is not a sentence end
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
