"""The default engine: extract documents one after another in this process (no extra dependency)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator

from ..document import Document
from .base import EngineResult, Extract

log = logging.getLogger(__name__)


class LocalEngine:
    """Runs ``extract`` on each document in order; an exception becomes that document's error result."""

    name = "local"

    def __init__(self, **options: object) -> None:
        if options:
            log.debug("local engine ignores options %s", sorted(options))

    def run(self, documents: Iterable[Document], extract: Extract) -> Iterator[EngineResult]:
        for doc in documents:
            t0 = time.perf_counter()
            try:
                out = extract(doc)
            except Exception as exc:  # one bad document never stops the run
                log.debug("extract failed on %s", doc.id, exc_info=True)
                yield EngineResult(doc, exc, time.perf_counter() - t0)
                continue
            yield EngineResult(out, None, time.perf_counter() - t0)

    def close(self) -> None:
        return None
