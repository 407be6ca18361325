"""Named stages, run in order, each taking a Document and returning it.

A stage declares what it reads (``requires``) and what it adds (``provides``) so a misordered pipeline fails
at construction, not halfway through a corpus. Stages hold their (immutable) resources themselves: no
global mutable state, so two pipelines with different data can live in one process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

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


@dataclass
class Pipeline:
    """An ordered list of stages; ``pipeline(doc)`` runs them all."""

    stages: list[Stage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

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
        for stage in self.stages:
            t0 = time.perf_counter()
            doc = stage(doc)
            self.timings[stage.name] = self.timings.get(stage.name, 0.0) + time.perf_counter() - t0
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
