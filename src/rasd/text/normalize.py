"""Arabic normalisation for matching, with an exact map back to the original characters.

Why: lexicons and gazetteers match on folded text (hamza forms, ta marbuta, alef maqsura, diacritics,
tatweel, Arabic-Indic digits), but every output must point at the ORIGINAL characters. ``NormText`` keeps,
for each normalised character, the original character it came from, so a match ``[ns, ne)`` on the folded
text maps back with :meth:`NormText.to_original`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import regex

from ..document import Document
from ..lang import load

_WORD = regex.compile(r"[\p{L}\p{N}]+")


@cache
def _fold_table() -> dict[str, str]:
    table: dict[str, str] = dict(load("ar", "normalization")["fold"])
    return table


@cache
def proclitics() -> frozenset[str]:
    """Prefix sequences (normalised) that may be glued to a word: و ف ب ل ك ال and their combinations."""
    return frozenset(load("ar", "clitics")["proclitics"])


def _fold_char(ch: str, table: dict[str, str]) -> str:
    out = table.get(ch)
    if out is not None:
        return out
    o = ord(ch)
    if 0xFB50 <= o <= 0xFEFF:  # Arabic presentation forms (ligatures such as lam-alef): compatibility-decompose
        dec = unicodedata.normalize("NFKC", ch)
        return "".join(table.get(c, c) for c in dec)
    if ch.isupper():
        return ch.lower()
    return ch


@dataclass(frozen=True, slots=True)
class NormText:
    """Folded text plus, per folded character, the original start/end offsets it covers."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, nstart: int, nend: int) -> tuple[int, int]:
        """Map a half-open range of the folded text to the half-open range of original characters."""
        if nstart >= nend:
            pos = self.starts[nstart] if nstart < len(self.starts) else len(self.original)
            return pos, pos
        start = self.starts[nstart]
        end = self.ends[nend - 1]
        # extend over characters deleted by folding (diacritics, tatweel) that sit inside the word's tail
        return start, end

    def words(self) -> list[tuple[int, int]]:
        """Word ranges (letters/digits) on the folded text."""
        return [(m.start(), m.end()) for m in _WORD.finditer(self.text)]


def normalize(text: str) -> NormText:
    """Fold ``text`` for matching and keep the offset map. Pure function of its input."""
    table = _fold_table()
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch, table)
        for c in folded:
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    # deleted characters (diacritics) directly after a kept one belong to it: widen its end so a span that
    # ends on a letter also covers that letter's marks in the original
    n = len(starts)
    for k in range(n):
        nxt = starts[k + 1] if k + 1 < n else len(text)
        if nxt > ends[k] and all(_fold_char(c, table) == "" for c in text[ends[k] : nxt]):
            ends[k] = nxt
    return NormText(text, "".join(out), tuple(starts), tuple(ends))


def normalize_key(text: str) -> str:
    """Fold a lexicon entry the same way as documents (no offset map): for building lookup keys."""
    table = _fold_table()
    return " ".join("".join(_fold_char(c, table) for c in text).split())


def strip_article(word: str) -> str:
    """Drop a leading definite article from a folded word, keeping at least two letters."""
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


def split_proclitics(word: str) -> list[tuple[str, str]]:
    """All (prefix, stem) readings of a folded word whose prefix is a proclitic sequence.

    Ambiguous by nature ("بلده" may be ب+لده or a word), so callers try every reading against their lexicon;
    the unsplit reading ("", word) always comes first.
    """
    readings = [("", word)]
    pro = proclitics()
    for k in range(1, min(5, len(word) - 1)):
        prefix = word[:k]
        if prefix in pro:
            readings.append((prefix, word[k:]))
    return readings


def is_clitic_prefix(prefix: str) -> bool:
    """True when ``prefix`` (folded) may be glued before a word: "", و, ب, وب, بال, لل..."""
    return prefix == "" or prefix in proclitics()


class Normalizer:
    """Stage: computes the folded text once per document (``doc.cache["norm"]``) for all recognisers."""

    name = "normalize"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("norm",)

    def __call__(self, doc: "Document") -> "Document":
        doc.cache["norm"] = normalize(doc.text)
        return doc


def norm_of(doc: "Document") -> NormText:
    """The document's folded text, computing it if no Normalizer stage ran."""
    norm = doc.cache.get("norm")
    if norm is None or norm.original is not doc.text:
        norm = normalize(doc.text)
        doc.cache["norm"] = norm
    return norm
