"""Fast dictionary matching on folded Arabic text, tolerant of glued proclitics (و ب ل ك ف ال).

One Aho-Corasick automaton per lexicon; a hit counts when it ends at a word end and everything between the
word start and the hit is a proclitic sequence ("وبريف" matches "ريف" with prefix "وب"). Used by every
lexicon-based recogniser so clitic handling lives in one place.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Sequence
from typing import Generic, NamedTuple, Protocol, TypeVar

import ahocorasick

from .normalize import NormText, normalize_key, proclitics

T = TypeVar("T", bound=Hashable)


class Match(NamedTuple, Generic[T]):
    """A lexicon hit: folded range [nstart, nend), original range [start, end) WITHOUT the proclitic.

    A named tuple (immutable, hashable) rather than a frozen dataclass: a document makes tens of thousands of
    them, and a tuple is built several times faster."""

    nstart: int
    nend: int
    start: int
    end: int
    key: str
    payloads: tuple[T, ...]
    prefix: str  # proclitics glued before the hit, folded ("" when none)


class Lexicon(Generic[T]):
    """Map folded phrases to payloads; find them in a NormText."""

    def __init__(self, entries: Iterable[tuple[str, T]] = (), *, article_optional: bool = False) -> None:
        self._table: dict[str, list[T]] = {}
        self._automaton: ahocorasick.Automaton | None = None
        self.article_optional = article_optional
        for key, payload in entries:
            self.add(key, payload)

    def add(self, phrase: str, payload: T) -> None:
        key = normalize_key(phrase)
        if not key:
            return
        keys = {key}
        if self.article_optional:
            if key.startswith("ال") and len(key) > 4:
                keys.add(key[2:])
            elif " " not in key[:3]:
                keys.add("ال" + key)
        for k in keys:
            bucket = self._table.setdefault(k, [])
            if payload not in bucket:
                bucket.append(payload)
        self._automaton = None

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, phrase: str) -> bool:
        return normalize_key(phrase) in self._table

    def get(self, phrase: str) -> tuple[T, ...]:
        return tuple(self._table.get(normalize_key(phrase), ()))

    def keys(self) -> Iterable[str]:
        return self._table.keys()

    def _build(self) -> ahocorasick.Automaton:
        auto = ahocorasick.Automaton()
        for key, bucket in self._table.items():
            # the automaton hands back what find needs, so a hit costs no table look-up or tuple copy
            auto.add_word(key, (key, len(key), tuple(bucket)))
        if len(self._table):
            auto.make_automaton()
        self._automaton = auto
        return auto

    def find(
        self, norm: NormText, *, longest: bool = True, lo: int = 0, hi: int | None = None
    ) -> list[Match[T]]:
        """All hits in ``norm`` (or its folded range [lo, hi)); with ``longest``, overlapping hits keep the longest."""
        auto = self._automaton or self._build()
        if not len(self._table):
            return []
        text = norm.text
        n = len(text)
        hi = n if hi is None else hi
        hits: list[Match[T]] = []
        starts, ends, pro = norm.starts, norm.ends, proclitics()
        # iterate over a slice: pyahocorasick's iter(text, lo, hi) converts the whole text on every call,
        # which made many small ranges of one long document quadratic (#10)
        for nend_incl, (key, size, payloads) in auto.iter(text[lo:hi] if lo or hi < n else text):
            nend = lo + nend_incl + 1
            if nend < n and text[nend].isalnum():  # ends inside a word
                continue
            nstart = wstart = nend - size
            while wstart > 0 and text[wstart - 1].isalnum():
                wstart -= 1
            if wstart < nstart:
                prefix = text[wstart:nstart]
                if prefix not in pro:
                    continue
            else:
                prefix = ""
            hits.append(Match(nstart, nend, starts[nstart], ends[nend - 1], key, payloads, prefix))
        if longest:
            hits = _longest(hits)
        return hits


def _longest(hits: list[Match[T]]) -> list[Match[T]]:
    """Longest hits first, each kept unless it overlaps one already kept; O(n log n): the kept ranges never
    overlap, so sorted by start only the two neighbours of a new range can touch it."""
    hits.sort(key=lambda m: (-(m.nend - m.nstart), m.nstart))
    taken: list[Match[T]] = []
    used: list[tuple[int, int]] = []  # sorted, pairwise disjoint
    for m in hits:
        i = bisect.bisect_left(used, (m.nstart, m.nend))
        if (i > 0 and used[i - 1][1] > m.nstart) or (i < len(used) and used[i][0] < m.nend):
            continue
        taken.append(m)
        used.insert(i, (m.nstart, m.nend))
    taken.sort(key=lambda m: m.nstart)
    return taken


class _Ranged(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


R = TypeVar("R", bound=_Ranged)


class SpanIndex(Generic[R]):
    """Items with ``start``/``end`` offsets (mentions, spans, matches), indexed by start.

    Lets a per-sentence or per-event lookup ("the actors of this sentence") cost O(log n + k) instead of a scan
    of the whole document, so extraction stays linear in document length. Every query returns items in their
    ORIGINAL list order, exactly as a filtering list comprehension over the list would.
    """

    def __init__(self, items: Sequence[R]) -> None:
        self.items = list(items)
        starts = [it.start for it in self.items]
        self.in_order = all(starts[i] <= starts[i + 1] for i in range(len(starts) - 1))
        self._order = (
            list(range(len(starts))) if self.in_order else sorted(range(len(starts)), key=starts.__getitem__)
        )
        self._starts = [starts[i] for i in self._order]
        self.max_len = max((it.end - it.start for it in self.items), default=0)

    def __len__(self) -> int:
        return len(self.items)

    def _idx(self, lo: int, hi: int) -> list[int]:
        i = bisect.bisect_left(self._starts, lo)
        j = bisect.bisect_left(self._starts, hi)
        idx = self._order[i:j]
        if not self.in_order:
            idx.sort()
        return idx

    def starting(self, lo: int, hi: int) -> list[R]:
        """Items with ``lo <= start < hi``."""
        if hi <= lo:
            return []
        items = self.items
        if self.in_order:
            return items[bisect.bisect_left(self._starts, lo) : bisect.bisect_left(self._starts, hi)]
        return [items[k] for k in self._idx(lo, hi)]

    def overlapping(self, start: int, end: int) -> list[R]:
        """Items with ``item.start < end and start < item.end`` (as ``Span.overlaps``)."""
        return [it for it in self.starting(start - self.max_len, end) if it.start < end and start < it.end]

    def containing(self, start: int, end: int) -> list[R]:
        """Items with ``item.start <= start and end <= item.end``."""
        # such an item starts at or after end - max_len; min(): an inverted range (end < start) reaches further back
        return [it for it in self.starting(min(start, end) - self.max_len, start + 1) if it.end >= end]

    def ending(self, lo: int, hi: int) -> list[R]:
        """Items with ``lo <= end < hi``."""
        return [it for it in self.starting(lo - self.max_len, hi) if lo <= it.end < hi]
