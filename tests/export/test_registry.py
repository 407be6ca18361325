"""The output-format registry: jsonl/json writers, lazy "module:function" entries, unknown formats."""

from __future__ import annotations

import io
import json

import pytest

from rasd.document import Document, Metadata
from rasd.errors import UnknownFormatError
from rasd.export import WRITERS, formats, get_writer, register, write

DOCS = [
    Document(id="a", text="قصف على حلب", meta=Metadata(title="قصف")),
    Document(id="b", text="اشتباكات في درعا"),
]


def test_jsonl() -> None:
    out = io.StringIO()
    assert write(DOCS, "jsonl", out) == 2
    lines = out.getvalue().splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a", "b"]
    assert "قصف على حلب" in lines[0]  # not \\u-escaped
    assert json.loads(lines[0])["events"] == []


def test_json_array_and_options() -> None:
    out = io.StringIO()
    assert write(DOCS, "json", out, with_text=False, with_mentions=True) == 2
    data = json.loads(out.getvalue())
    assert [d["id"] for d in data] == ["a", "b"]
    assert "text" not in data[0] and data[0]["mentions"] == []
    empty = io.StringIO()
    write([], "json", empty)
    assert json.loads(empty.getvalue()) == []


def test_register_callable_and_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        WRITERS, "ids", lambda docs, stream, **_: sum(1 for d in docs if stream.write(d.id + "\n"))
    )
    out = io.StringIO()
    assert write(DOCS, "ids", out) == 2 and out.getvalue() == "a\nb\n"
    monkeypatch.setitem(WRITERS, "lazy", "rasd.export:write_jsonl")
    assert get_writer("lazy").__name__ == "write_jsonl"
    register("again", "rasd.export:write_json")
    try:
        assert "again" in formats()
    finally:
        WRITERS.pop("again")


def test_unknown_format() -> None:
    with pytest.raises(UnknownFormatError, match="known: jsonl, json"):
        write(DOCS, "xml", io.StringIO())
