"""Plain-text and Markdown pages: a title line, "label : value" header lines, a body, embedded statements.

The layout of scraped Arabic news pages (``examples/000_fbd8113b0bef9d78.txt``)::

    <title>
    الكاتب : <author>
    التاريخ : ١٣ فبراير ٢٠١٨ م
    المشاهدات : 204

    <body paragraphs...>

    ## بيان
    ### <statement title>
    <statement paragraphs...>

Every field read from the text keeps its span (``meta.spans["author"]`` ...). Sections partition the page:
``title``, ``header``, ``body``, and one ``statement`` (or further ``body``) section per level-1/2 heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import regex

from ..document import Section, Span
from ..lang import load
from ..text.normalize import normalize_key

_LINE = regex.compile(r"[^\n]*(?:\n|$)")
_HEADER = regex.compile(
    r"[^\S\n]*(?:[*_]{1,2})?(?P<label>[^:：\n]{1,30}?)(?:[*_]{1,2})?[^\S\n]*[:：][^\S\n]*(?P<value>\S.*?)[^\S\n]*$"
)
_MD_HEADING = regex.compile(r"[ \t]{0,3}(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$")
_DIGITS = regex.compile(r"\d+")
_TITLE_MAX = 250


@dataclass(slots=True)
class PageInfo:
    """What :func:`parse_page` read from a page."""

    fields: dict[str, Any] = field(default_factory=dict)  # title, author, published, views, source, url
    spans: dict[str, Span] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)


@cache
def _labels() -> tuple[dict[str, str], frozenset[str]]:
    data = load("ar", "page_headers")
    labels: dict[str, str] = {}
    for fieldname, words in data.items():
        if fieldname == "statement_headings":
            continue
        for word in words:
            labels[normalize_key(word)] = fieldname
    statements = frozenset(normalize_key(w).rstrip(":").strip() for w in data["statement_headings"])
    return labels, statements


@cache
def _month_table() -> tuple[dict[str, tuple[str, int]], regex.Pattern[str], frozenset[str], frozenset[str]]:
    data = load("ar", "months")
    names: dict[str, tuple[str, int]] = {}
    for key in ("gregorian_msa", "levantine", "maghrebi"):
        for name, num in data.get(key, {}).items():
            names[name] = ("gregorian", int(num))
    for name, num in data.get("hijri", {}).items():
        names[name] = ("hijri", int(num))
    alternation = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    month = rf"(?:{alternation})"
    pattern = regex.compile(
        rf"(?<!\d)(?P<d>\d{{1,2}})\s*(?:من\s+)?(?P<m>{month})"
        rf"(?:\s*[/\\(\-–]\s*(?P<m2>{month})\s*\)?)?\s*[,،]?\s*(?P<y>\d{{4}})(?!\d)\s*(?P<mark>\S+)?"
    )
    weekdays = frozenset(data.get("weekdays", {}))
    hijri_marks = frozenset(data.get("markers", {}).get("hijri", ()))
    return names, pattern, weekdays, hijri_marks


_ISO = regex.compile(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_DMY = regex.compile(r"(?<!\d)(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})(?!\d)\s*(?P<mark>\S+)?")


def _hijri(y: int, m: int, d: int) -> date | None:
    from hijridate import Hijri

    try:
        return Hijri(y, m, d).to_gregorian()
    except (ValueError, OverflowError):
        return None


def _make(y: int, m: int, d: int, calendar: str) -> date | None:
    if calendar == "hijri":
        return _hijri(y, m, d)
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date(value: str) -> date | None:
    """Read a page-header date: "١٣ فبراير ٢٠١٨ م", "13 شباط/فبراير 2018", "2018-02-13", "13/2/2018",
    "27 جمادى الأولى 1439 هـ" (converted to Gregorian). A Gregorian date wins over a Hijri one in the same value.
    """
    text = normalize_key(value)
    names, pattern, _weekdays, hijri_marks = _month_table()
    found: list[date] = []
    hijri_found: list[date] = []
    for m in pattern.finditer(text):
        calendar, month = names[m.group("m")]
        if calendar == "gregorian" and m.group("mark") in hijri_marks:
            continue
        got = _make(int(m.group("y")), month, int(m.group("d")), calendar)
        if got is not None:
            (hijri_found if calendar == "hijri" else found).append(got)
    m_iso = _ISO.search(text)
    if m_iso:
        got = _make(int(m_iso.group("y")), int(m_iso.group("m")), int(m_iso.group("d")), "gregorian")
        if got is not None:
            found.insert(0, got)
    for m in _DMY.finditer(text):
        calendar = "hijri" if (m.group("mark") or "").strip(",،") in hijri_marks else "gregorian"
        got = _make(int(m.group("y")), int(m.group("m")), int(m.group("d")), calendar)
        if got is not None:
            (hijri_found if calendar == "hijri" else found).append(got)
    if found:
        return found[0]
    return hijri_found[0] if hijri_found else None


def parse_views(value: str) -> int | None:
    """ "204", "١٬٢٠٤", "1,204 مشاهدة" -> int."""
    folded = normalize_key(value)
    m = regex.search(r"\d[\d,.\s]*", folded)
    if not m:
        return None
    digits = regex.sub(r"[^\d]", "", m.group())
    return int(digits) if digits else None


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the newline (and a preceding carriage return)."""
    out: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        if m.start() == len(text) and m.start() == m.end():
            break
        end = m.end()
        if end > m.start() and text[end - 1] == "\n":
            end -= 1
        if end > m.start() and text[end - 1] == "\r":
            end -= 1
        out.append((m.start(), end))
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _header(text: str, start: int, end: int) -> tuple[str, Span, str] | None:
    """(field, value span, raw value) when the line is a known "label : value" header line."""
    labels, _ = _labels()
    m = _HEADER.match(text, start, end)
    if not m:
        return None
    label = normalize_key(m.group("label")).strip("*_ ")
    fieldname = labels.get(label)
    if fieldname is None:
        return None
    vs, ve = m.span("value")
    vs, ve = _trimmed(text, vs, ve)
    return fieldname, Span(vs, ve, text[vs:ve]), text[vs:ve]


def _heading(text: str, start: int, end: int) -> tuple[int, Span] | None:
    """(level, heading text span) for a Markdown heading, or a bare statement-heading line ("بيان")."""
    m = _MD_HEADING.match(text, start, end)
    if m:
        ts, te = _trimmed(text, *m.span("text"))
        return len(m.group("hashes")), Span(ts, te, text[ts:te])
    s, e = _trimmed(text, start, end)
    if e > s and e - s <= 40:
        _, statements = _labels()
        key = normalize_key(text[s:e]).strip("*_: ").strip()
        if key in statements:
            return 2, Span(s, e, text[s:e])
    return None


def _is_statement(heading: Span) -> bool:
    _, statements = _labels()
    key = normalize_key(heading.text).strip("*_: ").strip()
    if key in statements:
        return True
    words = key.split()
    return bool(words) and words[0] in statements and len(words) <= 6


def parse_page(text: str) -> PageInfo:
    """Read title, header fields and sections from a page's text (offsets into ``text``).

    Plain text and Markdown are read alike: scraped ``.txt`` pages carry Markdown headings too (the seed's
    ``## بيان``), and a leading ``# `` is stripped from a Markdown title.
    """
    info = PageInfo()
    lines = _lines(text)
    idx = 0
    while idx < len(lines) and not text[lines[idx][0] : lines[idx][1]].strip():
        idx += 1
    if idx == len(lines):
        return info

    # title: the first non-empty line, unless it is a header line or the page is a single paragraph
    first_s, first_e = lines[idx]
    has_more = any(text[s:e].strip() for s, e in lines[idx + 1 :])
    if _header(text, first_s, first_e) is None and has_more:
        s, e = first_s, first_e
        m = _MD_HEADING.match(text, s, e)
        if m:
            s, e = m.span("text")
        s, e = _trimmed(text, s, e)
        if 0 < e - s <= _TITLE_MAX:
            info.fields["title"] = text[s:e]
            info.spans["title"] = Span(s, e, text[s:e])
            info.sections.append(Section("title", Span(s, e, text[s:e])))
            idx += 1

    # header lines: contiguous "label : value" lines (blank lines allowed) right after the title
    header_start = header_end = None
    j = idx
    while j < len(lines) and j < idx + 16:
        s, e = lines[j]
        if not text[s:e].strip():
            j += 1
            continue
        got = _header(text, s, e)
        if got is None:
            break
        fieldname, span, raw = got
        if fieldname not in info.fields:
            value: Any = raw
            if fieldname == "published":
                value = parse_date(raw)
            elif fieldname == "views":
                value = parse_views(raw)
            if value is not None:
                info.fields[fieldname] = value
                info.spans[fieldname] = span
        ts, te = _trimmed(text, s, e)
        header_start = ts if header_start is None else header_start
        header_end = te
        j += 1
        idx = j
    if header_start is not None and header_end is not None:
        info.sections.append(Section("header", Span(header_start, header_end, text[header_start:header_end])))

    # body and heading-opened sections
    body_from = lines[idx][0] if idx < len(lines) else len(text)
    current_name, current_start = "body", body_from
    current_heading: Span | None = None
    for s, e in lines[idx:]:
        found = _heading(text, s, e)
        if found is None or found[0] > 2:
            continue
        _add_section(info, text, current_name, current_start, s, current_heading)
        heading = found[1]
        current_name = "statement" if _is_statement(heading) else "body"
        current_start, current_heading = s, heading
    _add_section(info, text, current_name, current_start, len(text), current_heading)
    return info


def _add_section(info: PageInfo, text: str, name: str, start: int, end: int, heading: Span | None) -> None:
    s, e = _trimmed(text, start, end)
    if e > s:
        info.sections.append(Section(name, Span(s, e, text[s:e]), heading))
