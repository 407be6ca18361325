"""rasd.read: directories, stdin, format choice, ids, published default, error policy."""

from __future__ import annotations

import io
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

import rasd
from rasd.errors import DecodeError, InputError, InputNotFoundError, UnknownFormatError
from rasd.readers import Reader, format_of_name, read, sniff

DATA = Path(__file__).resolve().parents[1] / "data" / "readers"
ROOT = Path(__file__).resolve().parents[2]


def test_public_api_returns_reader() -> None:
    reader = rasd.read(ROOT / "examples")
    assert isinstance(reader, Reader)
    docs = list(reader)
    ids = [d.id for d in docs]
    # LICENSE-NOTE.md is documentation, not an article: left out of directory scans
    assert "LICENSE-NOTE" not in ids
    assert ids[0] == "000_fbd8113b0bef9d78"
    assert ids.index("snn-aawsat-snn-13") < ids.index(
        "snn-aljazirah-snn-26726"
    )  # file order within news.jsonl
    assert len(ids) >= 46 and len(set(ids)) == len(ids)
    assert reader.count == len(docs) and reader.ok


def test_directory_recursive_sorted_deterministic(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    shutil.copy(DATA / "page_cp1256.txt", tmp_path / "b" / "z.txt")
    shutil.copy(DATA / "article.html", tmp_path / "a" / "deep" / "page.html")
    shutil.copy(DATA / "page_bom.txt", tmp_path / "a" / "x.md")
    shutil.copy(DATA / "page_bom.txt", tmp_path / ".hidden" / "secret.txt")
    (tmp_path / "README.md").write_text("# corpus", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    ids = [d.id for d in read(tmp_path)]
    assert ids == ["a/deep/page", "a/x", "b/z"]
    assert ids == [d.id for d in read(tmp_path)]
    # an explicit format reads only files of that format, and files with unknown extensions (here: a binary)
    reader = read(tmp_path, input_format="html")
    assert [d.id for d in reader] == ["a/deep/page"]
    (err,) = reader.errors
    assert isinstance(err, DecodeError) and "notes.docx" in str(err)


def test_several_sources_in_order() -> None:
    docs = list(read([DATA / "page_iso8859_6.txt", DATA / "feed_cp1256.atom"]))
    assert [d.meta.input_format for d in docs] == ["txt", "rss"]


def test_missing_path_raises_at_once() -> None:
    with pytest.raises(InputNotFoundError) as err:
        read(["examples", "no/such/file.txt"])
    assert "no/such/file.txt" in str(err.value)
    assert err.value.code == "RASD101"


def test_unknown_format_raises_at_once() -> None:
    with pytest.raises(UnknownFormatError):
        read(DATA / "feed.rss", input_format="pdf")
    with pytest.raises(InputError):
        read(DATA / "feed.rss", on_error="ignore")  # type: ignore[arg-type]


def test_forced_format_overrides_extension() -> None:
    (doc,) = list(read(DATA / "article.html", input_format="txt"))
    assert doc.meta.input_format == "txt"
    assert doc.text.startswith("<!DOCTYPE html>")


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "قصفت قوات النظام بلدة الطيبة بالغوطة الغربية دون أنباء عن إصابات."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("cp1256")), encoding="latin-1"))
    (doc,) = list(read("-"))
    assert doc.text == text
    assert doc.id.startswith("sha256-")
    assert doc.meta.path == "<stdin>"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("cp1256")), encoding="latin-1"))
    assert next(iter(read("-"))).id == doc.id  # the same content gets the same id


def test_stdin_jsonl_sniffed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((DATA / "mixed.jsonl").read_bytes())))
    reader = read("-")
    assert [d.id for d in reader] == ["snn-aawsat-snn-13255", "stdin#4", "snn-was-snn-30992"]


def test_published_default_only_where_missing() -> None:
    default = date(2015, 8, 15)
    docs = {d.id: d for d in read(DATA / "mixed.jsonl", published=default)}
    assert docs["snn-aawsat-snn-13255"].meta.published == date(2015, 7, 31)
    assert docs["mixed#4"].meta.published == default
    assert docs["mixed#4"].meta.extra["published_from"] == "default"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"),
        ("a.MD", "md"),
        ("a.htm", "html"),
        ("a.jsonl", "jsonl"),
        ("a.jsonl.gz", "jsonl"),
        ("a.warc.gz", "warc"),
        ("a.atom", "rss"),
        ("a.xml", "rss"),
        ("a.pdf", None),
    ],
)
def test_format_of_name(name: str, fmt: str | None) -> None:
    assert format_of_name(name) == fmt


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"WARC/1.0\r\n", "warc"),
        (b'{"id": 1}\n', "jsonl"),
        (b'<?xml version="1.0"?><rss version="2.0">', "rss"),
        (b'<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "rss"),
        (b"<!DOCTYPE html><html>", "html"),
        ("عنوان\nنص".encode(), "txt"),
    ],
)
def test_sniff(head: bytes, fmt: str) -> None:
    assert sniff(head) == fmt


def test_text_is_never_altered() -> None:
    for doc in read(DATA):
        if doc.meta.input_format in ("txt",):
            raw = Path(doc.meta.path or "").read_bytes()
            encoding = doc.meta.encoding or "utf-8"
            assert doc.text == raw.decode(encoding)
        for span in doc.meta.spans.values():
            assert doc.text[span.start : span.end] == span.text
        for section in doc.sections:
            assert doc.text[section.span.start : section.span.end] == section.span.text
