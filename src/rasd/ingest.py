"""Ingest: read inputs, extract events, store everything; idempotent and resumable.

- Idempotent: a document whose id and content hash are already stored is skipped before extraction (cheap
  re-runs); a document whose text changed replaces its old version (mentions, events, evidence removed,
  incidents recomputed), never duplicates it.
- Resumable: each document is committed in its own transaction; after a crash (even kill -9) the same
  command skips what was committed and goes on, ending with exactly the data of an uninterrupted run.
- Robust: a document that fails (bad record, over the size limit, extraction error, store error) is recorded
  with its reason in ``ingest_failures`` and the summary; the run goes on. An input with no text
  (RASD105) is not a failure: nothing was lost; it is counted as ``empty`` and listed, never stored. Documents
  read with warnings (bytes replaced while decoding) are stored and counted as ``warnings``.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .document import Document
from .engines import get_engine
from .engines.dask import DatasetSummary, iter_documents, run_to_parquet, write_parquet
from .errors import STORE_DOWN, EmptyInputError, InputTooLargeError, RasdError
from .progress import ProgressCallback, Tracker, as_callback, estimate_total, track
from .readers import DEFAULT_MAX_BYTES
from .store import open as open_store
from .store.base import Store

log = logging.getLogger(__name__)

LISTED = 100  # failures/notices kept in the summary (all failures are in the table ingest_failures)
SHOWN = 20  # of those, printed by lines()


@dataclass(slots=True)
class IngestSummary:
    """What one ingest run did."""

    db: str
    run_id: int
    read: int = 0  # documents read (records that failed to parse are counted in failed, not here)
    new: int = 0
    updated: int = 0
    skipped: int = 0  # unchanged: already stored with the same content hash
    failed: int = 0  # every failure, too_large included
    failed_by_code: dict[str, int] = field(default_factory=dict)  # e.g. {"RASD104": 2, "RASD106": 1}
    too_large: int = 0  # documents or records over the size limit (RASD106; also in failed)
    empty: int = 0  # files or records with no text (RASD105): reported, not stored, not a failure
    warnings: int = 0  # reading warnings on stored documents (invalid bytes replaced...)
    collisions: int = 0  # documents whose id another record holds: stored under a scoped id, both kept
    events: int = 0  # events stored by this run
    incidents: int = 0  # incidents created or changed by this run
    needs_rereview: int = (
        0  # reviewed events that a changed article no longer has (their reviews are flagged)
    )
    total_documents: int = 0
    total_events: int = 0
    total_incidents: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)  # the first LISTED
    notices: list[dict[str, Any]] = field(default_factory=list)  # empty inputs and warnings, the first LISTED
    seconds: float = 0.0
    extract_seconds: float = 0.0
    store_seconds: float = 0.0
    status: str = "running"

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """A short human summary (the CLI prints it)."""
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        out = [
            f"ingest into {self.db} (run {self.run_id}, {self.status}): {self.read} document(s) read in "
            f"{self.seconds:.1f}s ({rate:.1f}/s)",
            f"  new {self.new}, updated {self.updated}, skipped (unchanged) {self.skipped}, failed {self.failed}"
            + (
                " (" + ", ".join(f"{c} {n}" for c, n in sorted(self.failed_by_code.items())) + ")"
                if self.failed
                else ""
            )
            + f", empty {self.empty}, warnings {self.warnings}"
            + (f", id collisions {self.collisions} (stored under scoped ids)" if self.collisions else ""),
            f"  events stored {self.events}, incidents created/changed {self.incidents}",
            *(
                [
                    f"  {self.needs_rereview} reviewed event(s) are gone from their re-ingested article: "
                    "their reviews need re-review (rasd serve lists them; Store.needs_rereview())"
                ]
                if self.needs_rereview
                else []
            ),
            f"  database now holds {self.total_documents} document(s), {self.total_events} event(s), "
            f"{self.total_incidents} incident(s)",
        ]
        for f in self.failures[:SHOWN]:
            out.append(f"  failed: {_where(f)}: {f.get('code') or ''} {f['message']}".rstrip())
        if self.failed > SHOWN:
            out.append(f"  ... and {self.failed - SHOWN} more failure(s) (table ingest_failures)")
        for n in self.notices[:SHOWN]:
            where = f"{_where(n)}: " if n.get("path") else ""
            code = f"{n['code']} " if n.get("code") else ""
            out.append(f"  {n['kind']}: {where}{code}{n['message']}")
        hidden = self.empty + self.warnings + self.collisions - min(len(self.notices), SHOWN)
        if hidden > 0:
            out.append(f"  ... and {hidden} more empty input(s), warning(s) or id collision(s)")
        return out

    def count_failure(self, rec: dict[str, Any]) -> None:
        """Count one failure record (document_id, path, line, code, message); keeps the first LISTED."""
        self.failed += 1
        code = rec.get("code") or "other"
        self.failed_by_code[code] = self.failed_by_code.get(code, 0) + 1
        if code == InputTooLargeError.code:
            self.too_large += 1
        if len(self.failures) < LISTED:
            self.failures.append(rec)

    def notice(
        self, kind: str, message: str, *, path: str | None, line: int | None, code: str | None
    ) -> None:
        """Count an empty input (kind "empty") or a reading warning (kind "warning"); keeps the first LISTED."""
        if kind == "empty":
            self.empty += 1
        elif kind == "warning":
            self.warnings += 1
        if len(self.notices) < LISTED:
            self.notices.append({"kind": kind, "path": path, "line": line, "code": code, "message": message})


def _line(doc: Document) -> int | None:
    line = doc.meta.extra.get("line")
    return line if isinstance(line, int) and not isinstance(line, bool) else None


def _where(rec: dict[str, Any]) -> str:
    where = str(rec.get("document_id") or rec.get("path") or "?")
    return f"{where}:{rec['line']}" if rec.get("line") else where


def _extract_default(doc: Document) -> Document:
    # module-level so a distributed engine can ship it by reference; each process builds its pipeline once
    from . import extract

    return extract(doc)


def default_extract() -> Callable[[Document], Document]:
    """The default pipeline as an ``extract`` function (picklable: workers build their own pipeline)."""
    from . import default_pipeline

    default_pipeline()  # load resources now, so a broken install fails before the first document
    return _extract_default


def ingest(
    paths: str | Path | Sequence[str | Path] | Iterable[Document],
    db: str | Path | Store = "rasd.db",
    *,
    input_format: str = "auto",
    published: date | None = None,
    engine: str = "local",
    engine_options: dict[str, Any] | None = None,
    extract: Callable[[Document], Document] | None = None,
    force: bool = False,
    progress: ProgressCallback | bool | None = None,
    similarity: str = "auto",
    on_failure: Callable[[dict[str, Any]], None] | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> IngestSummary:
    """Read ``paths`` (files, directories, "-"; or an iterable of Documents), extract, and store into ``db``.

    ``db``: a SQLite path, a ``postgresql://`` URL or an open :class:`Store` (left open). ``engine``: "local"
    (default) or "dask" (:mod:`rasd.engines`). ``extract``: replaces the default pipeline (tests, benches).
    ``force``: re-extract and rewrite documents even when unchanged. ``progress``: a callable receiving
    :class:`rasd.progress.Progress` snapshots (documents done / total when cheap to know, failures, rate,
    ETA); True: a tqdm bar on stderr; None (default) or False: none (the library never prints unasked).
    ``on_failure``: called with each failure record as it happens.
    ``max_bytes``: the per-document size limit of the readers (None: no limit).
    Returns an :class:`IngestSummary`; failures are in it, never raised (except for bad arguments).
    """

    t_start = time.perf_counter()
    own = not isinstance(db, Store)
    store = open_store(db, similarity=similarity) if not isinstance(db, Store) else db
    eng = get_engine(engine, **(engine_options or {}))
    try:
        documents, path_args = _documents(paths, input_format, published, max_bytes)
        run_id = store.begin_run(
            {"paths": path_args, "input_format": input_format, "engine": engine, "force": force}
        )
        summary = IngestSummary(db=store.url, run_id=run_id)

        def fail(message: str, *, doc_id: str | None = None, err: BaseException | None = None) -> None:
            rec: dict[str, Any] = {
                "document_id": doc_id,
                "path": getattr(err, "path", None),
                "line": getattr(err, "line", None),
                "code": getattr(err, "code", None) or (type(err).__name__ if err is not None else None),
                "message": message,
            }
            summary.count_failure(rec)
            tracker.advance(0, failed=1)  # counted as done where the run moves past it
            try:
                store.record_failure(run_id, **rec)
            except RasdError:  # the failure log itself must not abort the run
                log.exception("could not record failure %s", rec)
            if on_failure is not None:
                on_failure(rec)

        def on_read_error(err: RasdError) -> None:
            if isinstance(err, EmptyInputError):  # nothing lost: counted and listed, not a failure
                summary.notice("empty", err.message, path=err.path, line=err.line, code=err.code)
            else:
                fail(err.message if hasattr(err, "message") else str(err), err=err)
            tracker.advance()  # an input or record the total counted is done with

        def on_read_warning(message: str) -> None:
            summary.notice("warning", message, path=None, line=None, code=None)

        callback = as_callback(progress)
        counted = callback is not None and path_args != ["<documents>"]
        tracker = Tracker(
            "ingest", callback, total=estimate_total(path_args, input_format) if counted else None
        )

        def todo() -> Iterator[Document]:
            for doc in documents(on_read_error, on_read_warning):
                summary.read += 1
                try:
                    known = not force and store.has_document(doc)
                except RasdError as exc:
                    if isinstance(exc, STORE_DOWN):  # the store itself is gone or full: stop, say so
                        raise
                    fail(f"could not check the store: {exc}", doc_id=doc.id, err=exc)
                    tracker.advance()
                    continue
                except Exception as exc:  # one document never ends the run
                    fail(f"could not check the store: {type(exc).__name__}: {exc}", doc_id=doc.id, err=exc)
                    tracker.advance()
                    continue
                if known:
                    summary.skipped += 1
                    tracker.advance()
                    continue
                yield doc

        extract_fn = extract or default_extract()
        touched: set[str] = set()
        status = "interrupted"
        try:
            for result in eng.run(todo(), extract_fn):
                summary.extract_seconds += result.seconds
                if result.error is not None:
                    err = result.error
                    msg = str(err) if isinstance(err, RasdError) else f"{type(err).__name__}: {err}"
                    fail(f"extraction failed: {msg}", doc_id=result.doc.id, err=err)
                else:
                    t0 = time.perf_counter()
                    try:
                        saved = store.save_document(result.doc, run_id=run_id, force=force)
                    except STORE_DOWN:  # not this document's fault: every next one would fail alike; stop
                        raise
                    except Exception as exc:
                        msg = str(exc) if isinstance(exc, RasdError) else f"{type(exc).__name__}: {exc}"
                        fail(f"could not store: {msg}", doc_id=result.doc.id, err=exc)
                    else:
                        if saved.status == "new":
                            summary.new += 1
                        elif saved.status == "updated":
                            summary.updated += 1
                        else:
                            summary.skipped += 1
                        summary.events += saved.events
                        summary.needs_rereview += saved.needs_rereview
                        touched.update(saved.incidents)
                        if saved.collision is not None:
                            own_id, holder = saved.collision
                            summary.collisions += 1
                            summary.notice(
                                "collision",
                                f"id '{own_id}' is already used by a record of {holder}; stored as "
                                f"'{result.doc.id}' (both kept)",
                                path=result.doc.meta.path,
                                line=_line(result.doc),
                                code=None,
                            )
                    summary.store_seconds += time.perf_counter() - t0
                tracker.advance()
            status = "done" if summary.failed == 0 else "done_with_failures"
        finally:
            tracker.close()
            summary.incidents = len(touched)
            summary.status = status
            summary.seconds = time.perf_counter() - t_start
            try:
                counts = store.counts()
                summary.total_documents = counts["documents"]
                summary.total_events = counts["events"]
                summary.total_incidents = counts["incidents"]
                store.finish_run(run_id, status, asdict(summary))
            except RasdError as exc:  # the store went away mid-run: its own error (raised) says what to do
                log.warning("could not record the end of run %s: %s", run_id, exc)
        return summary
    finally:
        eng.close()
        if own:
            store.close()


_Reading = Callable[[Callable[[RasdError], None], Callable[[str], None]], Iterator[Document]]


def _documents(
    paths: str | Path | Sequence[str | Path] | Iterable[Document],
    input_format: str,
    published: date | None,
    max_bytes: int | None,
) -> tuple[_Reading, list[str]]:
    it = iter([paths] if isinstance(paths, (str, Path)) else paths)
    first = next(it, None)
    if isinstance(first, Document):  # an iterable of Documents: consumed lazily, never held in a list

        def given(
            _on_error: Callable[[RasdError], None], _on_warning: Callable[[str], None]
        ) -> Iterator[Document]:
            yield first
            yield from it  # type: ignore[misc]

        return given, ["<documents>"]
    path_args = [] if first is None else [str(first), *(str(p) for p in it)]

    def read(on_error: Callable[[RasdError], None], on_warning: Callable[[str], None]) -> Iterator[Document]:
        from .readers import read as read_inputs

        yield from read_inputs(
            path_args,
            input_format=input_format,
            published=published,
            on_error=on_error,
            max_bytes=max_bytes,
            on_warning=on_warning,
        )

    return read, path_args


def ingest_to_parquet(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    db: str | None = None,
    progress: ProgressCallback | bool | None = None,
    **options: Any,
) -> DatasetSummary:
    """Extract ``paths`` on a Dask cluster into a Parquet dataset under ``out``
    (:func:`rasd.engines.dask.run_to_parquet`, ``options`` are its), then group incidents: the extracted
    documents are streamed into the store ``db`` (default ``OUT/rasd.db``; the local engine's incremental
    grouping) and its incidents written to ``OUT/incidents/``. Incidents need every event, so this runs on
    the driver; it lives here, above the store and the engines, so neither imports the other (#16).

    ``progress``: a callable receiving :class:`rasd.progress.Progress` snapshots, task "dask" (documents, as
    each shard finishes), then task "incidents" (documents loaded into the store)."""
    t0 = time.perf_counter()
    callback = as_callback(progress)
    summary = run_to_parquet(paths, out, progress=callback, **options)
    summary.incidents = dataset_incidents(
        str(out), db or str(Path(out, "rasd.db")), callback, summary.documents
    )
    summary.seconds = time.perf_counter() - t0
    return summary


def dataset_incidents(
    out: str, db: str, progress: ProgressCallback | None = None, total: int | None = None
) -> int:
    """Load the extracted documents of the dataset ``out`` into ``db`` and write its incidents table."""
    ingest(track(iter_documents(out), "incidents", progress, total=total), db, extract=lambda d: d)
    with open_store(db) as store:
        rows = store.query_incidents(with_events=False)
    flat = [
        {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in r.items()}
        for r in rows
    ]
    if flat:
        write_parquet(flat, Path(out, "incidents", "part-0.parquet"))
    return len(flat)
