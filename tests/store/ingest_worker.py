"""Run by test_store_resume.py in a subprocess: ingest a JSONL file, optionally slowly (so the parent can kill
it mid-run).

    python ingest_worker.py CORPUS DB DELAY [MODE]

MODE ``fake`` (default): the stand-in coder, DELAY seconds per document. ``real``: the real pipeline (so the
store also holds mentions), DELAY seconds per document. ``grouping``: the stand-in coder, and DELAY seconds
inside the store's incident grouping, i.e. inside the document's open transaction; while it sleeps the file
``CORPUS.grouping`` exists, so the parent can kill the run exactly there. These delays are test hooks that live
here, not in rasd.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from storekit import fake_extract

from rasd.document import Document
from rasd.ingest import ingest


def main() -> None:
    path, db, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else "fake"
    base = fake_extract
    if mode == "real":
        from rasd import extract as base
    if mode == "grouping":
        from rasd.store.base import Store

        flag = Path(path + ".grouping")
        assign = Store._assign_incidents

        def slow_assign(self: Store, members: Any) -> set[str]:
            flag.touch()
            time.sleep(delay)
            try:
                return assign(self, members)
            finally:
                flag.unlink()

        Store._assign_incidents = slow_assign  # type: ignore[method-assign]

    def slow(doc: Document) -> Document:
        if mode != "grouping":
            time.sleep(delay)
        return base(doc)

    summary = ingest([path], db=db, extract=slow, progress=False)
    print(summary.new, summary.skipped, summary.failed)


if __name__ == "__main__":
    main()
