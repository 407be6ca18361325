"""Hostile inputs of issue #17, built into a folder: what each is, and what reading it must give.

Used by tests/robustness/test_hostile_issue17.py (library, `rasd extract`, `rasd ingest`, Dask) and by
bench/hostile.py (which counts the outcomes for the README's reliability table). Some cases cannot live in git
(a FIFO, a link loop, a file name that is not UTF-8, 100,000-deep nesting), so every case is built at run time.
Texts are short real phrasings of the kind the news corpora hold.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ATTACK = "قصفت قوات النظام بلدة الخوين بريف إدلب الجنوبي"
KILLED = "قتل خمسة مدنيين في قصف على مدينة إدلب"
ARRESTED = "اعتقلت قوات الأمن عشرة متظاهرين في حلب"
SEED = Path(__file__).resolve().parents[2] / "examples" / "000_fbd8113b0bef9d78.txt"


@dataclass(frozen=True)
class Hostile:
    """One case: ``path`` (file or folder, relative to the case folder) and what reading it must give."""

    name: str
    path: str
    docs: int  # documents read
    failed: tuple[str, ...] = ()  # error codes counted as failures, in order
    texts: tuple[str, ...] = ()  # must appear in the documents' text
    warnings: int = 0  # reading warnings (replaced bytes, skipped entries...) at least this many
    ids: int | None = None  # distinct document ids (defaults to docs)
    kinds: tuple[str, ...] = field(default=("library", "extract", "ingest", "dask"))


def _jsonl(path: Path, records: list[dict[str, object] | str]) -> None:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(root: Path) -> list[Hostile]:
    """Write every case under ``root``; returns them. Cases needing what the OS refuses are left out."""
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Hostile] = []

    # 1. one record must never end the file: lone surrogate, 100,000-deep JSON, a 5,000-digit integer
    (root / "surrogate.jsonl").write_text(
        json.dumps({"id": "a", "text": ATTACK}, ensure_ascii=False)
        + '\n{"id": "b", "text": "x \\ud800 y '
        + KILLED
        + '"}\n'
        + json.dumps({"id": "c", "text": ARRESTED}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    cases.append(
        Hostile(
            "lone surrogate escape", "surrogate.jsonl", 3, texts=(ATTACK, "x \ufffd y", ARRESTED), warnings=1
        )
    )
    deep = '{"id": "d", "text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    _jsonl(root / "deep.jsonl", [{"id": "d1", "text": ATTACK}, deep, {"id": "d3", "text": ARRESTED}])
    cases.append(Hostile("JSON nested 100,000 deep", "deep.jsonl", 2, ("RASD104",), texts=(ATTACK, ARRESTED)))
    big = '{"id": "g2", "text": "' + KILLED + '", "views": ' + "7" * 5000 + "}"
    _jsonl(root / "bigint.jsonl", [{"id": "g1", "text": ATTACK}, big, {"id": "g3", "text": ARRESTED}])
    cases.append(Hostile("5,000-digit integer", "bigint.jsonl", 3, texts=(ATTACK, KILLED, ARRESTED)))

    # 2. words in an article never choose how bytes are decoded
    _jsonl(
        root / "charset_words.jsonl",
        [
            {"id": "1", "text": ATTACK},
            {"id": "2", "text": "ضبط encoding=base64 في الخادم " + KILLED},
            {"id": "3", "text": "charset=hex " + ARRESTED},
            {"id": "4", "text": "وثيقة charset=koi8-r " + ATTACK},
        ],
    )
    cases.append(
        Hostile(
            "charset words in JSONL text",
            "charset_words.jsonl",
            4,
            texts=(KILLED, ARRESTED, "charset=koi8-r " + ATTACK),
        )
    )
    (root / "mislabelled.html").write_bytes(
        (
            '<html><head><meta charset="koi8-r"><title>خبر</title></head><body><article><p>'
            + ATTACK
            + ".</p><p>"
            + KILLED
            + ".</p></article></body></html>"
        ).encode("utf-8")
    )
    cases.append(Hostile("UTF-8 page labelled koi8-r", "mislabelled.html", 1, texts=(ATTACK, KILLED)))
    body = (SEED.read_text(encoding="utf-8") + "\n").encode("utf-8")
    block = bytes(range(128, 256)) * 8  # 1,024 bytes that are no UTF-8
    (root / "corrupt_block.txt").write_bytes(body[:1500] + block + body[1500:])
    cases.append(
        Hostile(
            "UTF-8 article with a corrupt block",
            "corrupt_block.txt",
            1,
            texts=("غرفة عمليات دحر الغزاة",),
            warnings=1,
        )
    )
    (root / "words_charset.txt").write_bytes(
        ("أرسل الخادم charset=koi8-r و encoding=base64\n" + ATTACK).encode("utf-8")
    )
    cases.append(Hostile("charset words in a text file", "words_charset.txt", 1, texts=(ATTACK,)))

    # 3. deep HTML never drops text
    (root / "deep.html").write_text(
        "<html><body>" + "<div>" * 100_000 + f"<p>{ATTACK}</p>" + "</div>" * 100_000 + "</body></html>",
        encoding="utf-8",
    )
    cases.append(Hostile("HTML nested 100,000 deep", "deep.html", 1, texts=(ATTACK,), warnings=1))
    (root / "deep_middle.html").write_text(
        f"<html><body><p>{ATTACK}</p>"
        + "<div>" * 300
        + "x"
        + "</div>" * 300
        + f"<p>{KILLED}</p></body></html>",
        encoding="utf-8",
    )
    cases.append(
        Hostile("HTML nested 300 deep mid-page", "deep_middle.html", 1, texts=(ATTACK, KILLED), warnings=1)
    )

    # 4. directories: links back into the tree, special files, names that are not UTF-8
    loop = root / "loop"
    loop.mkdir()
    (loop / "a.txt").write_bytes(SEED.read_bytes())
    os.symlink(".", loop / "again")
    os.symlink(".", loop / "again2")
    os.symlink("a.txt", loop / "same.txt")
    cases.append(Hostile("two links to . and a linked file in a folder", "loop", 1, warnings=3))
    if hasattr(os, "mkfifo"):
        fifo = root / "fifo"
        fifo.mkdir()
        (fifo / "a.txt").write_text(ATTACK, encoding="utf-8")
        os.mkfifo(fifo / "pipe.txt")
        cases.append(Hostile("FIFO in a folder", "fifo", 1, texts=(ATTACK,), warnings=1))
    names = root / "names"
    names.mkdir()
    try:
        (names / os.fsdecode(b"caf\xe9.txt")).write_text(ATTACK, encoding="utf-8")
        cases.append(Hostile("file name not UTF-8", "names", 1, texts=(ATTACK,)))
    except (OSError, UnicodeError):  # a filesystem that refuses such names cannot hold the case
        pass

    # 5. identity: two feeds number their records alike; one feed repeats an id; RSS entries share a link
    ids = root / "ids"
    ids.mkdir()
    _jsonl(ids / "feed_a.jsonl", [{"id": "0", "text": ATTACK}])
    _jsonl(ids / "feed_b.jsonl", [{"id": "0", "text": KILLED}, {"id": "0", "text": ARRESTED}])
    cases.append(Hostile("same ids in two feeds", "ids", 3, texts=(ATTACK, KILLED, ARRESTED), ids=1))
    shutil.copy(SEED.parents[1] / "tests" / "data" / "bad" / "shared_link.rss", root / "shared_link.rss")
    cases.append(
        Hostile(
            "RSS entries sharing a link, no guid",
            "shared_link.rss",
            2,
            texts=("شيع النظام", "بعد ثلاثة أسابيع"),
        )
    )

    # 7. placeholder publication dates
    _jsonl(
        root / "dates.jsonl",
        [
            {"id": "x", "text": ATTACK, "published": "0001-01-01"},
            {"id": "y", "text": KILLED, "published": "9999-12-31"},
        ],
    )
    cases.append(
        Hostile("published 0001-01-01 / 9999-12-31", "dates.jsonl", 2, texts=(ATTACK, KILLED), warnings=2)
    )
    return cases
