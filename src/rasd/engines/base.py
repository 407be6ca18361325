"""The engine interface: how the extraction of many documents is run (in this process, or on a cluster).

An engine takes an iterator of Documents and an ``extract`` function (``Document -> Document``) and yields one
:class:`EngineResult` per document: the extracted document, or the error that stopped it. Results may come
out of order on a parallel engine; a failure of one document never stops the others. Storing the results is
the caller's job (:func:`rasd.ingest.ingest`), so every engine gets the same idempotent, resumable writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..document import Document

Extract = Callable[[Document], Document]


@dataclass(slots=True)
class EngineResult:
    """One document's outcome: ``doc`` is the extracted document (or the input one when ``error`` is set)."""

    doc: Document
    error: BaseException | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


@runtime_checkable
class Engine(Protocol):
    name: str

    def run(self, documents: Iterable[Document], extract: Extract) -> Iterator[EngineResult]: ...

    def close(self) -> None: ...
