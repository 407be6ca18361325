"""Arabic normalisation for matching, with an exact map back to the original characters.

Why: lexicons and gazetteers match on folded text (hamza forms, ta marbuta, alef maqsura, diacritics,
tatweel, Arabic-Indic digits), but every output must point at the ORIGINAL characters. ``NormText`` keeps,
for each normalised character, the original character it came from, so a match ``[ns, ne)`` on the folded
text maps back with :meth:`NormText.to_original`.
"""

from __future__ import annotations

import unicodedata
from array import array
from dataclasses import dataclass
from functools import cache

import numpy as np
import regex

from ..document import Document, Span
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


# bidi embedding/override/isolate controls and the Arabic letter mark: invisible, and a hostile page can put them
# inside a name to defeat matching ("دير\u202bالزور"), so they fold away like LRM/RLM (Unicode, not language data)
_BIDI_CONTROLS = frozenset("\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _fold_char(ch: str, table: dict[str, str]) -> str:
    out = table.get(ch)
    if out is not None:
        return out
    if ch in _BIDI_CONTROLS:
        return ""
    o = ord(ch)
    if (
        0xFB50 <= o <= 0xFEFF
    ):  # Arabic presentation forms (ligatures such as lam-alef): compatibility-decompose
        dec = unicodedata.normalize("NFKC", ch)
        return "".join(table.get(c, c) for c in dec)
    if ch.isupper():
        # "İ" lower-cases to "i" + a combining dot: drop the mark so a word never ends inside an expansion
        return "".join(c for c in ch.lower() if not unicodedata.combining(c))
    return ch


@dataclass(frozen=True, slots=True)
class NormText:
    """Folded text plus, per folded character, the original start/end offsets it covers.

    The offsets are machine-integer arrays, not tuples of ints: 16 bytes per character instead of ~70, so the
    map of a 5 MB document takes 44 MB, not 200 (issue #17)."""

    original: str
    text: str
    starts: array[int]
    ends: array[int]

    def to_original(self, nstart: int, nend: int) -> tuple[int, int]:
        """Map a half-open range of the folded text to the half-open range of original characters.

        The result covers every original character the folded range came from, including diacritics and
        tatweel after its last letter; an empty range maps to an empty range at the matching position.
        """
        n = len(self.starts)
        if not 0 <= nstart <= n or not 0 <= nend <= n:
            raise ValueError(f"folded range {nstart}:{nend} outside folded text of length {n}")
        if nstart >= nend:
            pos = self.starts[nstart] if nstart < n else len(self.original)
            return pos, pos
        return self.starts[nstart], self.ends[nend - 1]

    def span(self, nstart: int, nend: int) -> Span:
        """The original-text :class:`Span` of a folded range."""
        start, end = self.to_original(nstart, nend)
        return Span(start, end, self.original[start:end])

    def words(self) -> list[tuple[int, int]]:
        """Word ranges (letters/digits) on the folded text."""
        return [(m.start(), m.end()) for m in _WORD.finditer(self.text)]


# horizontal whitespace: runs of these fold to ONE space (so "دير  الزور" matches "دير الزور"); line breaks stay
_HSPACE = frozenset(
    " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
)


@cache
def _fold1(ch: str) -> str:
    """``_fold_char`` memoised per character (a document uses a few hundred distinct characters)."""
    return _fold_char(ch, _fold_table())


def normalize(text: str) -> NormText:
    """Fold ``text`` for matching and keep the offset map. Pure function of its input.

    Each folded character records the original range it comes from: usually one character; a run of
    horizontal whitespace (spaces, tabs, NBSP) folds to a single space covering the whole run; a ligature
    (presentation form) expands to several folded characters that share its range; deleted characters
    (diacritics, tatweel, bidi marks and controls) are absorbed into the range of the kept character before them.
    """
    fast = _normalize_fast(text)
    return fast if fast is not None else _normalize_slow(text)


@cache
def _char_class(code: int) -> tuple[int, int] | None:
    """How one code point folds: (class, folded code point) with class _K (kept: one character), _S (horizontal
    whitespace: a space, runs collapse) or _D (deleted, folded code point 0); None when it folds to several
    characters (a ligature, an upper-case letter with a mark), which only the slow path handles."""
    folded = _fold1(chr(code))
    if not folded:
        return _D, 0
    if folded == " " or (folded.isspace() and all(c in _HSPACE for c in folded)):
        return _S, 32
    if len(folded) == 1:
        return _K, ord(folded)
    return None


_K, _S, _D, _MULTI, _UNKNOWN = 0, 1, 2, 3, 255
# memo of _char_class for the Basic Multilingual Plane, filled as characters are first seen (like a cache)
_BMP_CLASS = np.full(0x10000, _UNKNOWN, dtype=np.uint8)
_BMP_TARGET = np.zeros(0x10000, dtype=np.uint32)


def _classes(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Per code point: its class and folded code point (see :func:`_char_class`); None if one folds to several."""
    if codes.size and int(codes.max()) >= 0x10000:  # astral characters (emoji): a small table of their own
        uniq, inverse = np.unique(codes, return_inverse=True)
        klass = np.empty(len(uniq), dtype=np.uint8)
        target = np.empty(len(uniq), dtype=np.uint32)
        for j, code in enumerate(uniq.tolist()):
            got = _char_class(code)
            if got is None:
                return None
            klass[j], target[j] = got
        return klass[inverse], target[inverse]
    cls = _BMP_CLASS[codes]
    if (cls == _UNKNOWN).any():
        for code in np.unique(codes[cls == _UNKNOWN]).tolist():
            got = _char_class(code)
            _BMP_CLASS[code], _BMP_TARGET[code] = got if got is not None else (_MULTI, 0)
        cls = _BMP_CLASS[codes]
    if (cls == _MULTI).any():
        return None
    return cls, _BMP_TARGET[codes]


def _normalize_fast(text: str) -> NormText | None:
    """:func:`normalize` with the per-character work in numpy: the same result as :func:`_normalize_slow`
    whenever no character folds to several (tests/text compare the two). Every kept character's range ends
    where the next kept one starts: what follows it (diacritics, the rest of a space run) is absorbed into it;
    deleted characters before the first kept one belong to nothing."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    got = _classes(codes)
    if got is None:
        return None
    cls, target = got
    live = np.flatnonzero(cls != _D)
    space = cls[live] == _S
    first = np.ones(len(live), dtype=bool)
    first[1:] = ~space[:-1]
    kept = live[~space | first]
    folded = target[kept].tobytes().decode("utf-32-le", "surrogatepass")
    starts = kept.astype(np.int64)
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:]
    if len(ends):
        ends[-1] = len(text)
    return NormText(text, folded, array("q", starts.tobytes()), array("q", ends.tobytes()))


def _normalize_slow(text: str) -> NormText:
    """The reference folding, one character at a time (and the path for characters that fold to several)."""
    fold = _fold1
    out: list[str] = []
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    in_space = False
    for i, ch in enumerate(text):
        folded = fold(ch)
        if not folded:
            # deleted (diacritic, tatweel...): absorbed into the kept character before it; does not end a
            # whitespace run
            if ends and ends[-1] == i:
                k = len(ends) - 1
                ends[k] = i + 1
                while k > 0 and starts[k - 1] == starts[k]:  # the whole expansion of a ligature
                    k -= 1
                    ends[k] = i + 1
            continue
        if folded == " " or (folded.isspace() and all(c in _HSPACE for c in folded)):
            if in_space:
                ends[-1] = i + 1
                continue
            folded = " "
            in_space = True
        else:
            in_space = False
        if len(folded) == 1:
            out.append(folded)
            starts.append(i)
            ends.append(i + 1)
        else:
            for c in folded:
                out.append(c)
                starts.append(i)
                ends.append(i + 1)
    return NormText(text, "".join(out), starts, ends)


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

    def __call__(self, doc: Document) -> Document:
        doc.cache["norm"] = normalize(doc.text)
        return doc


def norm_of(doc: Document) -> NormText:
    """The document's folded text, computing it if no Normalizer stage ran."""
    norm = doc.cache.get("norm")
    if norm is None or norm.original is not doc.text:
        norm = normalize(doc.text)
        doc.cache["norm"] = norm
    return norm
