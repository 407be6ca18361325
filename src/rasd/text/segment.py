"""Sentence and clause splitting for Arabic, with offsets into the original text.

Sentences end at . ! ? ؟ … (followed by a space or the end) and at line breaks; clauses also break at ، ؛ , ; : .
A separator between two digits (3.5, 1,200, 10:30) and the dot of a one-letter abbreviation ("د." for doctor,
Latin initials) are not breaks. Splitting works on the original string (the marks are not folded away), so
offsets need no map.
"""

from __future__ import annotations

import bisect

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


# quotation marks: openers, closers and marks that do both; Arabic print also writes »...« and »...» (the closer
# used as an opener), so a closer with no matching opener on the stack opens a quote of its own
_OPENERS = {"«": "»", "“": "”", "‘": "’", "‹": "›"}
_CLOSERS = {"»": "«", "”": "“", "’": "‘", "›": "‹"}
_BOTH = frozenset("\"'")
_QUOTE_CHARS = frozenset(_OPENERS) | frozenset(_CLOSERS) | _BOTH
_QUOTE_OR_BREAK = regex.compile("[" + regex.escape("".join(sorted(_QUOTE_CHARS))) + "\n]")
MAX_QUOTE_DEPTH = 16  # deeper openers are ignored: bounded work on hostile text ("««««...")


class QuoteMap:
    """Quoted stretches of a text, nested, with the innermost one holding any position in O(log n).

    One pass over the text, O(n): a mark closes the nearest open quote it matches (inner unclosed ones close with
    it), else opens one; a line break closes every open quote, so an unbalanced mark never swallows more than its
    line. An apostrophe inside a word (``Qur'an``) is not a quote. ``regions[i]`` is ``(open, close)``: the
    offsets of the opening mark and of the closing mark (the line end or the text end when unclosed).
    """

    def __init__(self, text: str) -> None:
        self.regions: list[tuple[int, int]] = []
        self.unclosed: list[int] = []  # indices of regions closed only by a line break or the end of the text
        self._at: list[int] = [
            0
        ]  # breakpoints: from _at[k] on, the innermost open region is _top[k] (-1: none)
        self._top: list[int] = [-1]
        stack: list[tuple[str, int]] = []  # (opening mark, region index)
        opens: list[int] = []
        n = len(text)
        for found in _QUOTE_OR_BREAK.finditer(text):  # only the marks and line breaks: C speed over the rest
            i, ch = found.start(), found.group()
            if ch == "\n":
                if stack:
                    for _, r in stack:
                        opens[r] = i
                        self.unclosed.append(r)
                    stack.clear()
                    self._mark(i, -1)
                continue
            if ch == "'" and 0 < i < n - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
                continue  # an apostrophe inside a word
            want = _CLOSERS.get(ch)
            k = _find(stack, want) if want is not None else -1
            if k < 0 and ch not in _OPENERS:
                k = _find(stack, ch)  # " ... " and » ... »: the same mark closes
            if k >= 0:
                for _, r in stack[k + 1 :]:
                    opens[r] = i
                    self.unclosed.append(r)
                opens[stack[k][1]] = i
                del stack[k:]
                self._mark(i, stack[-1][1] if stack else -1)
                continue
            if len(stack) >= MAX_QUOTE_DEPTH:
                continue
            stack.append((ch, len(self.regions)))
            self.regions.append((i, -1))
            opens.append(-1)
            self._mark(i + 1, stack[-1][1])
        for _, r in stack:
            opens[r] = n
            self.unclosed.append(r)
        self.regions = [(s, opens[r]) for r, (s, _) in enumerate(self.regions)]

    def _mark(self, pos: int, top: int) -> None:
        if self._at[-1] == pos:
            self._top[-1] = top
        else:
            self._at.append(pos)
            self._top.append(top)

    def innermost(self, pos: int) -> tuple[int, int] | None:
        """The innermost quote holding ``pos`` (strictly between its marks), or None."""
        k = bisect.bisect_right(self._at, pos) - 1
        r = self._top[k] if k >= 0 else -1
        return self.regions[r] if r >= 0 else None


def _find(stack: list[tuple[str, int]], mark: str) -> int:
    """Index of the nearest open quote opened with ``mark`` (top of the stack first), or -1."""
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0] == mark:
            return k
    return -1
