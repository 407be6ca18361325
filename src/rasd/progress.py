"""Progress of long runs (ingest, extract, export, train, the Dask engine) as a callback.

Why: a run over 100,000 articles must show whether it is alive and how long is left. The library never prints:
a long-running function takes ``progress=``, a callable that receives a small :class:`Progress` snapshot
(done, total when it is cheap to know, failures, elapsed, rate, ETA) a few times a second and once at the
end (``finished``). A notebook passes its own callable (or ``TerminalDisplay(tqdm_class=tqdm.auto.tqdm)``);
the CLI passes a :class:`TerminalDisplay`, a tqdm bar on stderr, only when stderr is a terminal.

    import rasd
    rasd.store.ingest(["corpus/"], "rasd.db", progress=lambda p: print(p.line()))
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

ONE_DOCUMENT_PER_FILE = ("txt", "md", "html")  # formats whose files hold exactly one document
COUNT_LINES_UP_TO = 2 * 1024**3  # bytes of JSON Lines counted for a total; more: a running count


@dataclass(frozen=True, slots=True)
class Progress:
    """One snapshot of a run: ``done`` items of ``total`` (None: not known), ``failed`` of them failed."""

    task: str  # "ingest", "extract", "export", "dask", "incidents", "train ner"...
    done: int
    total: int | None
    failed: int
    elapsed: float  # seconds since the run started
    unit: str = "doc"
    finished: bool = False

    @property
    def rate(self) -> float | None:
        """Items per second so far (None before anything is done)."""
        return self.done / self.elapsed if self.done and self.elapsed > 0 else None

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate so far (None when the total or the rate is not known)."""
        rate = self.rate
        if self.total is None or rate is None:
            return None
        return max(self.total - self.done, 0) / rate

    def line(self) -> str:
        """One plain line, e.g. for a log or a notebook: "ingest 120/300 doc, 2 failed, 85.1 doc/s, ..."."""
        count = f"{self.done}/{self.total}" if self.total is not None else str(self.done)
        parts = [f"{self.task} {count} {self.unit}", f"{self.failed} failed"]
        if self.rate is not None:
            parts.append(f"{self.rate:.1f} {self.unit}/s")
        parts.append(f"elapsed {self.elapsed:.1f}s")
        if self.eta is not None and not self.finished:
            parts.append(f"eta {self.eta:.1f}s")
        return ", ".join(parts) + (" (done)" if self.finished else "")


ProgressCallback = Callable[[Progress], None]


class Tracker:
    """Counts a run's items and calls ``callback`` at start, at most every ``every`` seconds, and at the end.

    Why throttled: a callback per document would cost more than the work on fast runs.
    """

    def __init__(
        self,
        task: str,
        callback: ProgressCallback | None,
        *,
        total: int | None = None,
        unit: str = "doc",
        every: float = 0.1,
    ) -> None:
        self.task, self.callback, self.total, self.unit, self.every = task, callback, total, unit, every
        self.done = 0
        self.failed = 0
        self._t0 = time.monotonic()
        self._last = -1.0
        self._closed = False
        self._report(force=True)

    def advance(self, n: int = 1, *, failed: int = 0) -> None:
        """``n`` more items processed, ``failed`` of them failed."""
        self.done += n
        self.failed += failed
        self._report()

    def close(self) -> None:
        """Report the last, ``finished`` snapshot (once)."""
        if not self._closed:
            self._closed = True
            self._report(force=True, finished=True)

    def snapshot(self, finished: bool = False) -> Progress:
        return Progress(
            self.task,
            self.done,
            self.total,
            self.failed,
            time.monotonic() - self._t0,
            self.unit,
            finished,
        )

    def _report(self, *, force: bool = False, finished: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            self.callback(self.snapshot(finished))

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def track(
    items: Iterable[T],
    task: str,
    callback: ProgressCallback | None,
    *,
    total: int | None = None,
    unit: str = "doc",
) -> Iterator[T]:
    """Yield ``items``, reporting one done item each (e.g. ``track(rasd.read("corpus/"), "read", cb)``)."""
    with Tracker(task, callback, total=total, unit=unit) as tracker:
        for item in items:
            yield item
            tracker.advance()


class TerminalDisplay:
    """A :data:`ProgressCallback` drawing a tqdm bar: done/total (or a running count), rate, elapsed, ETA and
    failures. Writes only to ``stream`` (stderr by default), never to stdout's data."""

    def __init__(self, stream: TextIO | None = None, *, tqdm_class: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self._tqdm = tqdm_class
        self._bar: Any = None
        self._task: str | None = None

    def __call__(self, p: Progress) -> None:
        if self._bar is None or self._task != p.task:
            self.close()
            if self._tqdm is None:
                from tqdm import tqdm

                self._tqdm = tqdm
            self._task = p.task
            sized = _has_size(self.stream)
            self._bar = self._tqdm(
                total=p.total,
                desc=p.task,
                unit=p.unit,
                file=self.stream,
                dynamic_ncols=sized,  # follows the window when it has a size
                ncols=None if sized else 80,
                nrows=None if sized else 20,
                mininterval=0,  # the Tracker throttles
                postfix=f"failed {p.failed}",
                leave=True,
            )
        bar = self._bar
        if bar.total != p.total:
            bar.total = p.total
        bar.n = p.done
        bar.set_postfix_str(f"failed {p.failed}", refresh=False)
        bar.refresh()
        if p.finished:
            self.close()

    def write(self, line: str) -> None:
        """Print ``line`` on the stream above the bar (a warning during the run) without tearing it."""
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._task = None


def _has_size(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal with a size. Why: tqdm draws nothing on a terminal that reports 0
    rows (a pty nobody sized, e.g. under ``script`` or ``docker exec``); those get a fixed 80x20."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    return size.columns > 0 and size.lines > 0


def as_callback(progress: ProgressCallback | bool | None) -> ProgressCallback | None:
    """What a ``progress=`` argument means: a callable is used as is; True draws a :class:`TerminalDisplay` on
    stderr; False or None: no progress (the library never prints unless asked)."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return TerminalDisplay()
    return progress


def estimate_total(paths: Sequence[str | Path], input_format: str = "auto") -> int | None:
    """How many documents (or records) reading ``paths`` gives, when that is cheap to know; else None.

    Cheap: txt/md/html files hold one document each; an uncompressed JSON Lines file is counted by its
    non-blank lines (up to :data:`COUNT_LINES_UP_TO` bytes in all). stdin, WARC, feeds and compressed files
    would have to be parsed: None, and the display shows a running count instead.
    """
    from .errors import RasdError
    from .readers import format_of_name, iter_sources, sniff

    total = 0
    budget = COUNT_LINES_UP_TO
    try:
        for src in iter_sources(paths, input_format):
            if src.fs_path is None or src.fs_path.name.endswith(".gz"):
                return None
            fmt = input_format if input_format != "auto" else format_of_name(src.fs_path.name)
            fmt = fmt or sniff(src.head())
            if fmt in ONE_DOCUMENT_PER_FILE:
                total += 1
            elif fmt == "jsonl":
                budget -= src.fs_path.stat().st_size
                if budget < 0:
                    return None
                total += _non_blank_lines(src.fs_path)
            else:
                return None
    except (RasdError, OSError):  # the reader reports it, with its path, when the run gets there
        return None
    return total


def _non_blank_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())
