"""Fuzzing the readers (issue #10): random bytes and mutated real samples, in every input format.

Property: reading a file never raises anything but a :class:`rasd.errors.RasdError` (with ``on_error="raise"``:
the reader re-raises any other exception as it is, so a reader bug fails here), never hangs, and, collecting
errors, never drops a non-empty input silently: it yields documents or reports one-line errors.
Profiles: tests/fuzz/conftest.py (RASD_FUZZ=ci|long); by hand: fuzz/run.sh.
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import rasd
from rasd.errors import RasdError

from ._harness import fuzz_settings, no_hang

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "readers"

# input format -> (file suffix, real samples of that format)
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "txt": (".txt", ("page_bom.txt", "page_cp1256.txt", "page_iso8859_6.txt", "binary.txt")),
    "md": (".md", ("page_bom.txt",)),
    "html": (".html", ("article.html", "article_cp1256.html")),
    "jsonl": (".jsonl", ("mixed.jsonl",)),
    "warc": (".warc.gz", ("capture.warc.gz",)),
    "rss": (".rss", ("feed.rss", "feed_cp1256.atom")),
}

# bytes that stress decoders and parsers: BOMs, truncated UTF-8 sequences, NUL, CR, markup and JSON openers,
# WARC/HTTP header fragments, Windows-1256/ISO-8859-6 Arabic bytes, gzip magic
TOKENS = [
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xd9",
    b"\xd9\x85",
    b"\xe2\x80",
    b"\x00",
    b"\r",
    b"\n",
    b"{",
    b'"text": "',
    b"}",
    b"<",
    b"<script>",
    b"<iframe src=",
    b"<![CDATA[",
    b"&#x",
    b"&amp;",
    b"</",
    b"WARC/1.0\r\n",
    b"Content-Length: 99999999\r\n",
    b"WARC-Type: response\r\n",
    b"HTTP/1.1 200 OK\r\n",
    b"\r\n\r\n",
    b"\xc7\xe1\xd3\xe6\xd1\xed\xc9",
    b"\x1f\x8b\x08",
    b"\xd9\xa1\xd9\xa2",
]


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few random edits: flips, deletions, insertions of stress tokens, duplication, truncation."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        pos = draw(st.integers(0, len(buf)))
        if op == "flip" and pos < len(buf):
            buf[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "delete":
            del buf[pos : pos + draw(st.integers(1, 64))]
        elif op == "insert":
            chunk = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=16))
            buf[pos:pos] = chunk
        elif op == "duplicate":
            buf[pos:pos] = buf[pos : pos + draw(st.integers(1, 256))]
        elif op == "truncate":
            del buf[pos:]
    return bytes(buf)


def _sample(name: str) -> bytes:
    data = (SAMPLES / name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)  # mutate the records, not the compressed stream
    return data


def _inputs(fmt: str) -> st.SearchStrategy[bytes]:
    samples = [_sample(n) for n in FORMATS[fmt][1]]
    return st.one_of(
        st.binary(max_size=2048),
        st.lists(st.sampled_from(TOKENS) | st.binary(max_size=8), max_size=40).map(b"".join),
        st.sampled_from(samples).flatmap(mutated),
    )


def _write(data: bytes, suffix: str, compress: bool, tmp: str) -> Path:
    path = Path(tmp) / f"input{suffix}"
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def _read_all(path: Path, fmt: str) -> None:
    with no_hang(f"reading {path.name} as {fmt}"):
        try:
            docs = list(rasd.read(path, input_format=fmt, on_error="raise"))
        except RasdError as err:
            assert "\n" not in str(err), repr(str(err))
            return
    for doc in docs:
        assert isinstance(doc.text, str)
        for span in doc.meta.spans.values():
            assert doc.text[span.start : span.end] == span.text


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_fuzz_reader_raises_only_rasd_errors(fmt: str) -> None:
    suffix, _ = FORMATS[fmt]

    @fuzz_settings()
    @given(data=_inputs(fmt), by_name=st.booleans())
    def run(data: bytes, by_name: bool) -> None:
        with tempfile.TemporaryDirectory(prefix="rasd-fuzz-") as tmp:
            path = _write(data, suffix, suffix.endswith(".gz"), tmp)
            _read_all(path, "auto" if by_name else fmt)

    run()


@fuzz_settings()
@given(data=st.sampled_from(sorted(FORMATS)).flatmap(lambda f: st.tuples(st.just(f), _inputs(f))))
def test_fuzz_reader_never_drops_an_input_silently(data: tuple[str, bytes]) -> None:
    """Collecting errors, a non-empty file gives documents or at least one one-line error, never nothing."""
    fmt, raw = data
    suffix, _ = FORMATS[fmt]
    with tempfile.TemporaryDirectory(prefix="rasd-fuzz-") as tmp:
        path = _write(raw, suffix, suffix.endswith(".gz"), tmp)
        with no_hang(f"reading {path.name}"):
            reader = rasd.read(path, input_format=fmt)
            docs = list(reader)
        for err in reader.errors:
            assert isinstance(err, RasdError)
            assert "\n" not in str(err) and str(err).startswith("RASD")
        if raw.strip():
            assert docs or reader.errors, f"{fmt}: {raw[:80]!r} gave neither a document nor an error"
