"""The per-document effort budget: CPU seconds (RASD301) and mentions (RASD302).

Why two: time is what a hang costs, but it is measured, so it depends on the machine and stops a document only
after its memory is spent; mentions are what memory grows with (a 5 MB page of one event sentence repeated holds
210,000 of them, ~2 KB each with their values), and counting them is deterministic and happens before they are
built. Both default far above any real article (the longest, 33 KB, takes ~30 ms and holds 311 mentions), so
only dumps and attacks are refused. A module of its own: recognisers check the budget, and the pipeline, which
builds them, must not be imported by them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from .document import Document
from .errors import DocumentTooComplexError, PipelineError, TooManyMentionsError

# 30 s is a thousand times the longest real article; a document that needs more is an attack or a dump
DEFAULT_DOC_SECONDS = 30.0
DOC_SECONDS_ENV = "RASD_DOC_SECONDS"  # read when a pipeline is built: reaches Dask worker processes too
# 50,000 is 160 times the most mentions of a real article (311 in 4,529 news and gold articles); the densest
# documents just under it (one event sentence repeated to 1.15 MB, the seed article to 3.2 MB) peak at ~320 MB
DEFAULT_DOC_MENTIONS = 50_000
DOC_MENTIONS_ENV = "RASD_DOC_MENTIONS"
DEADLINE_KEY = "deadline"  # doc.cache key of the running document's Deadline


def _from_env(name: str, default: float) -> float | None:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise PipelineError(f"{name}={raw!r} is not a number") from None
    return value if value > 0 else None


def default_doc_seconds() -> float | None:
    """The budget from ``RASD_DOC_SECONDS`` (0: none), else :data:`DEFAULT_DOC_SECONDS`."""
    return _from_env(DOC_SECONDS_ENV, DEFAULT_DOC_SECONDS)


def default_doc_mentions() -> int | None:
    """The budget from ``RASD_DOC_MENTIONS`` (0: none), else :data:`DEFAULT_DOC_MENTIONS`."""
    value = _from_env(DOC_MENTIONS_ENV, DEFAULT_DOC_MENTIONS)
    return None if value is None else int(value)


@dataclass(slots=True)
class Deadline:
    """The running document's budget. ``seconds``: CPU seconds of the thread extracting it (a busy machine or a
    Dask worker running other tasks does not eat into it); stages with loops that grow with the document poll
    :meth:`check` now and then (one clock read). ``mentions``: how many mentions it may hold; recognisers call
    :func:`check_mentions` with their count before building them."""

    doc_id: str
    seconds: float | None
    started: float = field(default_factory=time.thread_time)
    mentions: int | None = None
    path: str | None = None  # where the document was read from, for the error
    line: int | None = None

    @property
    def expired(self) -> bool:
        return self.seconds is not None and time.thread_time() - self.started > self.seconds

    def check(self, where: str = "") -> None:
        """Raise :class:`DocumentTooComplexError` once the time budget is spent."""
        if self.expired:
            raise self.error(where)

    def error(self, where: str) -> DocumentTooComplexError:
        at = f" (in stage '{where}')" if where else ""
        return DocumentTooComplexError(
            f"document {self.doc_id} is too complex: extraction went over its budget of {self.seconds:g} CPU "
            f"seconds{at} "
            "and was stopped; split the document, or raise the budget (--doc-seconds, RASD_DOC_SECONDS)",
            path=self.path,
            line=self.line,
        )

    def check_count(self, count: int, where: str) -> None:
        """Raise :class:`TooManyMentionsError` when the document would hold ``count`` mentions, over budget."""
        if self.mentions is not None and count > self.mentions:
            raise TooManyMentionsError(
                f"document {self.doc_id} is too large to extract: {count:,} mentions (stage '{where}'), over its "
                f"budget of {self.mentions:,}, and was stopped; split the document, or raise the budget "
                "(--doc-mentions, RASD_DOC_MENTIONS; each mention takes about 2 KB of memory)",
                path=self.path,
                line=self.line,
            )


def start(doc: Document, seconds: float | None, mentions: int | None) -> Deadline:
    """Open the budget of ``doc`` (the pipeline does, before its first stage)."""
    line = doc.meta.extra.get("line")
    deadline = Deadline(
        doc.id,
        seconds,
        mentions=mentions,
        path=doc.meta.path,
        line=line if isinstance(line, int) else None,
    )
    doc.cache[DEADLINE_KEY] = deadline
    return deadline


def deadline_of(doc: Document) -> Deadline:
    """The running document's budget (an unlimited one outside a pipeline run)."""
    found = doc.cache.get(DEADLINE_KEY)
    return found if isinstance(found, Deadline) else Deadline(doc.id, None)


def check_mentions(doc: Document, new: int, where: str) -> None:
    """Refuse ``doc`` (RASD302) when ``new`` more mentions would take it over its budget. A recogniser calls
    this with its hit count BEFORE building the mentions, so a refused document never holds them all."""
    deadline_of(doc).check_count(len(doc.mentions) + new, where)
