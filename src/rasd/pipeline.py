"""Named stages, run in order, each taking a Document and returning it.

A stage declares what it reads (``requires``) and what it adds (``provides``) so a misordered pipeline fails
at construction, not halfway through a corpus. Stages hold their (immutable) resources themselves: no
global mutable state, so two pipelines with different data can live in one process.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from .document import Document
from .errors import DocumentTooComplexError, PipelineError

log = logging.getLogger(__name__)


@runtime_checkable
class Stage(Protocol):
    """One step of the flow. ``requires``/``provides`` are names such as "sentences", "mentions:place"."""

    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


@dataclass
class FunctionStage:
    """Wrap a plain function ``Document -> Document`` as a stage."""

    name: str
    func: Callable[[Document], Document]
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()

    def __call__(self, doc: Document) -> Document:
        return self.func(doc)


# per-document effort budget: the longest real article (33 KB) takes ~20 ms, so 30 s is a thousand times that;
# a document that needs more is an attack or a dump (one sentence repeated to 5 MB), refused with RASD301
DEFAULT_DOC_SECONDS = 30.0
DOC_SECONDS_ENV = "RASD_DOC_SECONDS"  # read when a pipeline is built: reaches Dask worker processes too
DEADLINE_KEY = "deadline"  # doc.cache key of the running document's Deadline


def default_doc_seconds() -> float | None:
    """The budget from ``RASD_DOC_SECONDS`` (0: none), else :data:`DEFAULT_DOC_SECONDS`."""
    raw = os.environ.get(DOC_SECONDS_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_DOC_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise PipelineError(f"{DOC_SECONDS_ENV}={raw!r} is not a number of seconds") from None
    return value if value > 0 else None


@dataclass(slots=True)
class Deadline:
    """When the running document's budget ends, in CPU seconds of the thread extracting it (a busy machine
    or a Dask worker running other tasks does not eat into it). Stages with loops that grow with the document
    (merging, pairwise comparisons) poll :meth:`check` now and then: it costs one clock read."""

    doc_id: str
    seconds: float | None
    started: float = field(default_factory=time.thread_time)

    @property
    def expired(self) -> bool:
        return self.seconds is not None and time.thread_time() - self.started > self.seconds

    def check(self, where: str = "") -> None:
        """Raise :class:`DocumentTooComplexError` once the budget is spent."""
        if self.expired:
            raise self.error(where)

    def error(self, where: str) -> DocumentTooComplexError:
        at = f" (in stage '{where}')" if where else ""
        return DocumentTooComplexError(
            f"document {self.doc_id} is too complex: extraction went over its budget of {self.seconds:g} CPU "
            f"seconds{at} "
            "and was stopped; split the document, or raise the budget (--doc-seconds, RASD_DOC_SECONDS)"
        )


def deadline_of(doc: Document) -> Deadline:
    """The running document's deadline (an unlimited one outside a pipeline run)."""
    found = doc.cache.get(DEADLINE_KEY)
    return found if isinstance(found, Deadline) else Deadline(doc.id, None)


class _Alarm:
    """Stop a stage that runs far past the deadline between two checks (a hang in one stage), with SIGALRM
    after twice the budget in wall-clock time plus a second: only in the main thread, and only when nothing
    else uses the timer (a test runner's timeout, the application)."""

    def __init__(self, deadline: Deadline, stage: list[str]) -> None:
        self.deadline = deadline
        self.stage = stage
        self.armed = False
        self.previous: Any = None

    def __enter__(self) -> _Alarm:
        seconds = self.deadline.seconds
        if (
            seconds is None
            or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None)
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0
        ):
            return self

        def ring(_signum: int, _frame: Any) -> None:
            raise self.deadline.error(self.stage[0])

        self.previous = signal.signal(signal.SIGALRM, ring)
        signal.setitimer(signal.ITIMER_REAL, 2 * seconds + 1)  # wall clock: the CPU-time checks come first
        self.armed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous or signal.SIG_DFL)


@dataclass
class Pipeline:
    """An ordered list of stages; ``pipeline(doc)`` runs them all.

    ``doc_seconds`` bounds the work on one document (None: no bound): checked between stages, by stages that
    poll :func:`deadline_of`, and (main thread) by a timer that stops a stage stuck past it. Over it, the
    document raises :class:`DocumentTooComplexError` (RASD301); the caller reports it and goes on.
    """

    stages: list[Stage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    doc_seconds: float | None = field(default_factory=default_doc_seconds)

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        have: set[str] = {"text", "meta", "sections"}
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"stage '{stage.name}' needs {', '.join(missing)}, which no earlier stage provides; "
                    "add the stage that provides it before this one"
                )
            have.update(stage.provides)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def add(self, stage: Stage, *, before: str | None = None) -> Pipeline:
        """Insert a stage (at the end, or before the named one) and re-check the order."""
        if before is None:
            self.stages.append(stage)
        else:
            idx = self.names.index(before)
            self.stages.insert(idx, stage)
        self._check()
        return self

    def get(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)

    def __call__(self, doc: Document) -> Document:
        deadline = Deadline(doc.id, self.doc_seconds)
        doc.cache[DEADLINE_KEY] = deadline
        current = [""]
        try:
            with _Alarm(deadline, current):
                for stage in self.stages:
                    current[0] = stage.name
                    t0 = time.perf_counter()
                    doc = stage(doc)
                    self.timings[stage.name] = self.timings.get(stage.name, 0.0) + time.perf_counter() - t0
                    deadline.check(stage.name)
        finally:
            doc.cache.pop(DEADLINE_KEY, None)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            yield self(doc)


def build_pipeline(names: Sequence[str] | None = None, *, extra: Sequence[str] = ()) -> Pipeline:
    """The default pipeline (or the named subset, in the default order), with package resources loaded once.

    ``extra`` adds optional stages (e.g. "ner") at their place in the flow.
    """
    from .stages import default_stages, optional_stages

    stages = list(default_stages())
    optional = optional_stages()
    for name in extra:
        if name not in optional:
            raise PipelineError(f"unknown optional stage '{name}'; known: {', '.join(sorted(optional))}")
        stage, before = optional[name]
        names_now = [s.name for s in stages]
        stages.insert(names_now.index(before) if before in names_now else len(stages), stage)
    if names is not None:
        known = {s.name for s in stages}
        unknown = set(names) - known
        if unknown:
            raise PipelineError(f"unknown stage(s) {', '.join(sorted(unknown))}; known: {sorted(known)}")
        stages = [s for s in stages if s.name in names]
    return Pipeline(stages)
