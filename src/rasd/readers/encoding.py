"""Bytes -> text for Arabic inputs: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256, ISO-8859-6.

Detection order: a BOM; a charset the document declares (HTML ``<meta charset>``, XML declaration) when it
decodes cleanly; strict UTF-8; then Windows-1256 and ISO-8859-6, scored by how Arabic the result reads (the two
legacy code pages share byte values for different letters, so a wrong guess leaves tell-tale Latin-1 letters or
stacked diacritics). Binary data (NUL bytes, control characters) is refused with :class:`DecodeError`.

UTF-8 with a few invalid bytes (a file cut in the middle of a character, a corrupted byte) is read as UTF-8 with
each bad sequence replaced by U+FFFD, never silently: the caller gets a warning (``warnings=`` list, else a
logged warning). Without this a truncated UTF-8 Arabic file would "decode" as Windows-1256 mojibake.
"""

from __future__ import annotations

import codecs
import logging

import regex

from ..errors import DecodeError

LEGACY = ("cp1256", "iso8859-6")
# declarations too often wrong on Arabic pages (Latin-1 decodes any bytes): detect instead of trusting them
UNTRUSTED_DECLARATIONS = frozenset({"iso8859-1", "cp1252", "ascii", "utf-8"})
# a declaration is markup, never words: <meta charset=...>, <meta http-equiv content="...; charset=...">, or
# <?xml ... encoding="..."?>; "charset=koi8-r" written in an article's text does not count
_DECLARED = regex.compile(
    rb"""<meta\b[^>]{0,500}?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})"""
    rb"""|<\?xml\b[^>]{0,200}?\bencoding\s*=\s*["']\s*([A-Za-z0-9_.:-]{2,40})""",
    regex.I,
)
_ARABIC_LETTER = regex.compile(r"[\u0621-\u064A]")
_ARTICLE = regex.compile(r"(?:^|\s)[وفبلك]?ال[\u0621-\u064A]")
_MARK = regex.compile(r"[\u064B-\u0652]")
_LATIN1_LETTER = regex.compile(r"[\u00C0-\u00FF]")
_CONTROL = regex.compile(r"[\x00-\x08\x0B\x0E-\x1A\x1C-\x1F\x7F-\x9F]")  # C0/C1 controls but whitespace
_RAW_CONTROL = regex.compile(rb"[\x00-\x08\x0B\x0E-\x1A\x1C-\x1F\x7F]")
_SAMPLE = 65536
# UTF-8 with bad bytes is still UTF-8 when at least this many valid multi-byte characters come per bad sequence
# (Windows-1256/ISO-8859-6 Arabic almost never forms a valid UTF-8 multi-byte sequence)
_VALID_PER_BAD = 4
_REPLACEMENT = "\ufffd"
# a corrupt block in a long UTF-8 article: still UTF-8 when its valid multi-byte characters are at least this
# many and at least as many as the bad sequences (a legacy code page almost never forms one)
_MIN_VALID = 32

log = logging.getLogger(__name__)


def _canonical(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encoding(data: bytes) -> str | None:
    """The charset an HTML/XML document declares in its markup (``<meta>``, XML declaration) in its first
    bytes, as a Python codec name (or None)."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii", "replace").strip().lower()
    if name in ("windows-1256", "cp1256", "arabic", "x-cp1256", "win-1256"):
        name = "cp1256"
    return _canonical(name)


def is_binary(data: bytes, text: str | None = None) -> bool:
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return True
    if text is None:  # raw bytes: only C0 controls (0x80-0x9F are ordinary UTF-8 continuation bytes)
        controls, size = len(_RAW_CONTROL.findall(sample)), len(sample)
    else:
        controls, size = len(_CONTROL.findall(text[:_SAMPLE])), len(text[:_SAMPLE])
    # more than 1% control characters (and at least two): a stray one in a long text is tolerated
    return controls >= 2 and controls > size // 100


def legacy_score(text: str) -> float:
    """How plausible ``text`` is as Arabic decoded from a legacy code page (higher is better)."""
    sample = text[:_SAMPLE]
    return (
        len(_ARABIC_LETTER.findall(sample))
        + 4 * len(_ARTICLE.findall(sample))
        - 4 * len(_LATIN1_LETTER.findall(sample))
        - 2 * len(_MARK.findall(sample))
        - 8 * len(_CONTROL.findall(sample))
    )


def _replaced(data: bytes, codec: str, truncated_only: bool) -> tuple[str, str] | None:
    """``(text, warning)`` decoding ``data`` with bad sequences replaced, when it is plausibly ``codec``.

    Accepted when the only problem is an incomplete character at the very end (a truncated file), or, with
    ``truncated_only`` false, when valid multi-byte characters far outnumber the bad sequences.
    """
    try:
        data.decode(codec)
        return None  # nothing to replace: the strict decode elsewhere handles it
    except UnicodeDecodeError as exc:
        first, tail = exc.start, exc.reason in ("unexpected end of data", "truncated data")
    text = data.decode(codec, "replace")
    bad = text.count(_REPLACEMENT) - (data.count(_REPLACEMENT.encode(codec)) if codec == "utf-8" else 0)
    if tail:
        return text, f"ends in the middle of a {codec} character (truncated?); it was replaced with U+FFFD"
    if truncated_only:
        return None
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad
    if multibyte < _VALID_PER_BAD * bad and not (multibyte >= _MIN_VALID and multibyte >= bad):
        return None
    return text, f"{bad} invalid {codec} byte sequence(s) replaced with U+FFFD (first at byte {first})"


def _warn(warnings: list[str] | None, path: str, message: str) -> None:
    if warnings is not None:
        warnings.append(message)
    else:
        log.warning("%s: %s", path, message)


def _text_codec(name: str | None) -> str | None:
    """The codec of a declared name, when it is a text encoding rasd may try (not base64, hex, rot13...)."""
    codec = _canonical(name) if name else None
    if codec is None or codec in UNTRUSTED_DECLARATIONS:
        return None
    return codec if getattr(codecs.lookup(codec), "_is_text_encoding", True) else None


def decode(
    data: bytes,
    *,
    path: str = "<bytes>",
    encoding: str | None = None,
    warnings: list[str] | None = None,
    declared: str | None = None,
    declarations: bool = False,
) -> tuple[str, str]:
    """Decode ``data``; returns ``(text, codec_name)``. Raises :class:`DecodeError` naming ``path``.

    ``encoding`` forces a codec (errors are still refused, never replaced). Otherwise: a BOM; valid UTF-8
    (always preferred when the bytes are valid UTF-8, whatever is declared); UTF-8 with a few invalid bytes
    replaced by U+FFFD (a one-line warning is appended to ``warnings``, logged when no list is given); the
    declared charset when the bytes decode with it (``declared``: from outside, e.g. an HTTP header;
    ``declarations``: also read ``<meta charset>`` / ``<?xml encoding?>`` markup, for HTML and feeds only);
    then Windows-1256 / ISO-8859-6 by how Arabic the result reads. Nothing in plain text or a JSON line
    chooses the codec.
    """
    if encoding is not None:
        codec = _canonical(encoding)
        if codec is None or not getattr(codecs.lookup(codec), "_is_text_encoding", True):
            raise DecodeError(f"unknown encoding '{encoding}' (not a text codec)", path=path)
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError, TypeError) as exc:
            where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
            raise DecodeError(f"not valid {codec}{where}", path=path) from None
        if codec.startswith("utf-8") and text.startswith("\ufeff"):
            text = text[1:]
        return text, codec
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            lenient = _replaced(data[3:], "utf-8", truncated_only=False)
            if lenient is not None:
                _warn(warnings, path, lenient[1])
                return lenient[0], "utf-8-sig"
            raise DecodeError(
                f"starts with a UTF-8 BOM but is not valid UTF-8 at byte {exc.start + 3}", path=path
            ) from None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(codec), "utf-16"
            except UnicodeDecodeError:
                lenient = _replaced(data[2:], codec, truncated_only=True)
                if lenient is not None:
                    _warn(warnings, path, lenient[1])
                    return lenient[0], "utf-16"
                raise DecodeError("starts with a UTF-16 BOM but is not valid UTF-16", path=path) from None
    if is_binary(data):
        raise DecodeError(
            "binary data, not text (NUL or control bytes); rasd reads text, HTML, JSONL, WARC, RSS", path=path
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    lenient = _replaced(data, "utf-8", truncated_only=False)
    if lenient is not None:
        _warn(warnings, path, lenient[1])
        return lenient[0], "utf-8"
    for name in (declared, declared_encoding(data) if declarations else None):
        codec = _text_codec(name)
        if codec is None:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue  # a wrong declaration is common: fall through to detection
        if not is_binary(data, text):
            return text, codec
    candidates: list[tuple[float, str, str]] = []
    for codec in LEGACY:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((legacy_score(text), codec, text))
    # ties go to Windows-1256 (listed first): the far more common of the two on the web
    candidates.sort(key=lambda c: -c[0])
    if candidates and candidates[0][0] > 0 and not is_binary(data, candidates[0][2]):
        return candidates[0][2], candidates[0][1]
    raise DecodeError(
        f"cannot decode: not UTF-8 (invalid byte at {utf8_error}), Windows-1256 or ISO-8859-6 Arabic text; "
        "pass the right encoding explicitly",
        path=path,
    )
