"""Run by test_store_resume.py in a subprocess: ingest a JSONL file with the stand-in coder, optionally slowly
(so the parent can kill it mid-run)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from storekit import fake_extract

from rasd.document import Document
from rasd.store import ingest


def main() -> None:
    path, db, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])

    def slow(doc: Document) -> Document:
        time.sleep(delay)
        return fake_extract(doc)

    summary = ingest([path], db=db, extract=slow, progress=False)
    print(summary.new, summary.skipped, summary.failed)


if __name__ == "__main__":
    main()
