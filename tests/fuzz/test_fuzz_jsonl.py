"""Fuzzing the JSON Lines reader (issue #17): arbitrary bytes, and arbitrary JSON values (lone surrogates, deep
nesting, huge integers, charset words in the text).

Property: every non-blank line gives exactly one item, a Document or a one-line error naming its line, so no
record ends the file or vanishes; nothing but RasdErrors escapes; every Document can be written as UTF-8 (what
the store and every exporter do next). Profiles: tests/fuzz/conftest.py (RASD_FUZZ=ci|long); by hand:
fuzz/run.sh.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import rasd
from rasd.errors import RasdError
from rasd.readers.encoding import is_binary

from ._harness import fuzz_settings, no_hang

# any code point, lone surrogates included (json.dumps writes them as \ud800 escapes, as real dumps do)
ANY_CHAR = st.characters(exclude_categories=())
WORDS = st.sampled_from(
    ["encoding=base64", "charset=koi8-r", "charset=hex", "قصفت قوات النظام", "\ufeff", "\u202e", "\x00"]
)
TEXT = st.lists(st.text(ANY_CHAR, max_size=20) | WORDS, max_size=6).map(" ".join)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
VALUES = st.recursive(
    SCALARS, lambda c: st.lists(c, max_size=4) | st.dictionaries(TEXT, c, max_size=4), max_leaves=12
)
RECORDS = st.one_of(
    VALUES,
    st.fixed_dictionaries(
        {"id": SCALARS, "text": TEXT}, optional={"published": SCALARS, "views": SCALARS, "x": VALUES}
    ),
)


def _lines(data: bytes) -> int:
    """Lines the reader must account for: non-blank after the line end (and a first-line BOM) is removed."""
    count = 0
    for n, raw in enumerate(data.split(b"\n")):
        if n == 0 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        count += bool(raw.rstrip(b"\r\n").strip())
    return count


def _check(data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="rasd-fuzz-") as tmp:
        path = Path(tmp) / "input.jsonl"
        path.write_bytes(data)
        with no_hang("reading JSON Lines"):
            reader = rasd.read(path, input_format="jsonl")
            docs = list(reader)
    for err in reader.errors:
        assert isinstance(err, RasdError) and "\n" not in str(err)
    for doc in docs:
        json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")
    if is_binary(data[:8192]) or data[:2] == b"\x1f\x8b":  # refused whole (binary, bad gzip): said once
        assert reader.errors or not data.strip()
        return
    lined = [e for e in reader.errors if e.line is not None]
    assert len(docs) + len(lined) == _lines(data), (len(docs), [str(e) for e in reader.errors])


@fuzz_settings()
@given(
    data=st.lists(
        st.binary(max_size=64) | st.sampled_from([b"{", b'{"text": "\\ud800"}', b"[" * 3000]), max_size=8
    )
)
def test_fuzz_jsonl_bytes_every_line_accounted_issue17(data: list[bytes]) -> None:
    _check(b"\n".join(data))


@fuzz_settings()
@given(records=st.lists(RECORDS, min_size=1, max_size=6), deep=st.sampled_from([0, 50, 5000]))
def test_fuzz_jsonl_values_every_record_accounted_issue17(records: list[Any], deep: int) -> None:
    lines = [json.dumps(r) for r in records]
    if deep:  # a record with a deeply nested extra field, between the others
        lines.insert(len(lines) // 2, '{"text": "x", "y": ' + "[" * deep + "]" * deep + "}")
    _check("\n".join(lines).encode("utf-8"))
