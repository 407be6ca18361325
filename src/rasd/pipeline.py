"""Named stages, run in order, each taking a Document and returning it.

A stage declares what it reads (``requires``) and what it adds (``provides``) so a misordered pipeline fails
at construction, not halfway through a corpus. Stages hold their (immutable) resources themselves: no
global mutable state, so two pipelines with different data can live in one process.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from . import budget
from .budget import DEADLINE_KEY, Deadline, default_doc_mentions, default_doc_seconds
from .budget import deadline_of as deadline_of  # where stages have found it since #17
from .document import Document
from .errors import PipelineError

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

    The budget of one document (:mod:`rasd.budget`; None: no bound): ``doc_seconds`` is checked between stages,
    by stages that poll :func:`deadline_of`, and (main thread) by a timer that stops a stage stuck past it
    (RASD301); ``doc_mentions`` by the recognisers before they build their mentions and between stages
    (RASD302). The caller reports the error and goes on.
    """

    stages: list[Stage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    doc_seconds: float | None = field(default_factory=default_doc_seconds)
    doc_mentions: int | None = field(default_factory=default_doc_mentions)

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
        deadline = budget.start(doc, self.doc_seconds, self.doc_mentions)
        current = [""]
        try:
            with _Alarm(deadline, current):
                for stage in self.stages:
                    current[0] = stage.name
                    t0 = time.perf_counter()
                    doc = stage(doc)
                    self.timings[stage.name] = self.timings.get(stage.name, 0.0) + time.perf_counter() - t0
                    deadline.check(stage.name)
                    deadline.check_count(
                        len(doc.mentions), stage.name
                    )  # stages that do not check it themselves
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
