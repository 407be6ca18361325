"""`rasd ingest`: stores a corpus once, skips it the second time, reports bad records, exits non-zero."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import rasd.store
from rasd.cli import main

RECORDS = [
    {
        "id": "a1",
        "source": "aawsat",
        "published": "2015-07-21",
        "title": "انفجار في سروج",
        "text": "قالت وزارة الداخلية التركية إن انفجارا في بلدة سروج قرب الحدود مع سوريا أسفر عن مقتل 27 شخصا.",
    },
    {
        "id": "a2",
        "source": "okaz",
        "published": "2015-07-22",
        "title": "انتحاري سروج",
        "text": "التفجير الانتحاري الذي أسفر عن سقوط 32 قتيلا في بلدة سروج الواقعة قرب الحدود مع سوريا.",
    },
]


def _corpus(tmp_path: Path, bad: bool = False) -> Path:
    path = tmp_path / "news.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    if bad:
        lines.insert(1, "{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_then_skip(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    db = tmp_path / "r.db"
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", str(corpus), "--db", str(db), "--no-progress", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert (summary["read"], summary["new"], summary["failed"]) == (2, 2, 0)
    res = runner.invoke(main, ["ingest", str(corpus), "--db", str(db), "--input-format", "jsonl"])
    assert res.exit_code == 0
    assert "skipped (unchanged) 2" in res.stderr
    with rasd.store.open(db) as s:
        assert s.document_ids() == ["a1", "a2"]
        assert s.get_document("a1")["source"] == "aawsat"  # type: ignore[index]


def test_bad_record_is_reported_and_exit_is_non_zero(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, bad=True)
    db = tmp_path / "r.db"
    res = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db)])
    assert res.exit_code == 1
    assert "failed 1" in res.stderr and ":2" in res.stderr
    with rasd.store.open(db) as s:
        assert s.counts()["documents"] == 2


def test_bad_arguments(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["ingest", str(tmp_path / "missing.jsonl"), "--db", str(tmp_path / "x.db")])
    assert res.exit_code != 0 and "RASD101" in res.stderr
    res = runner.invoke(
        main, ["ingest", str(_corpus(tmp_path)), "--db", str(tmp_path / "x.db"), "--input-format", "pdf"]
    )
    assert res.exit_code != 0 and "unknown input format" in res.stderr
    res = runner.invoke(main, ["ingest", str(_corpus(tmp_path)), "--db", str(tmp_path / "no" / "x.db")])
    assert res.exit_code == 4 and "RASD400" in res.stderr
