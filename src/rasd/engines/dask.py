"""The Dask engine: the same extraction code, run on a Dask distributed cluster (``pip install 'rasd[dask]'``).

Two ways to use it:

* :class:`DaskEngine` implements the engine interface (:mod:`rasd.engines.base`): documents read by the driver
  are extracted on the workers, a bounded window at a time, and stored by :func:`rasd.ingest.ingest` exactly as
  with the local engine (``rasd ingest PATH --engine dask --db rasd.db``).
* :func:`run_to_parquet` partitions the INPUT itself (files; JSON Lines split into byte ranges; WARC files),
  so no process holds the whole corpus: each worker reads its shard, extracts it and writes one Parquet part
  per table (``documents/``, ``events/``) under ``out``. A part is written to a temporary name and renamed, then
  a marker ``_shards/<id>.json`` is written: a shard whose marker exists is done, so a rerun resumes and a
  task that Dask retries after a worker died rewrites the same file instead of duplicating rows.
  Incidents need every event, so after the shards the driver streams the parts into a store (``--db``, or
  ``out/rasd.db``) whose incremental grouping is the one the local engine uses, and writes ``incidents/``.

Interruptions (kill -9 of the whole process tree): temporary files are hidden (``.part-<id>.parquet.partial-<pid>``)
so neither :func:`iter_documents` (``part-*.parquet``) nor a Parquet dataset reader (which skips names
starting with ``.`` or ``_``) ever reads one; a shard without its marker is redone; the next run removes the
temporary files the killed one left; the store phase resumes like any ingest. The rerun of the same command
ends with the rows of an uninterrupted run (tests/robustness/test_interrupt.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..document import EVENT_FIELDS, Document
from ..errors import EngineError, RasdError
from ..process import partial_path, remove_dead_partials
from ..progress import ProgressCallback, Tracker, as_callback, estimate_total
from ..readers import DEFAULT_MAX_BYTES
from .base import EngineResult, Extract

log = logging.getLogger(__name__)

SHARD_BYTES = 4 * 1024 * 1024  # JSON Lines files larger than this are split into byte ranges of this size


def _client(workers: int | None, scheduler: str | None) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise EngineError("the dask engine needs Dask: pip install 'rasd[dask]'") from exc
    if scheduler:
        try:
            return Client(scheduler, timeout="20s"), None
        except OSError as exc:
            raise EngineError(f"cannot reach Dask scheduler {scheduler} ({exc}); check the address") from exc
    cluster = LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",  # never reachable from other machines: Dask runs pickled code (SECURITY.md)
    )
    return Client(cluster), cluster


def _extract_remote(extract: Extract, doc: Document) -> tuple[Document, str | None, float]:
    t0 = time.perf_counter()
    try:
        out = extract(doc)
    except Exception as exc:  # one bad document never stops the run; the error travels back as text
        log.debug("extract failed on %s", doc.id, exc_info=True)
        return doc, f"{type(exc).__name__}: {exc}", time.perf_counter() - t0
    out.cache.clear()  # folded text and other scratch need not cross the network
    return out, None, time.perf_counter() - t0


class DaskEngine:
    """Extract on a Dask cluster (a LocalCluster of ``workers`` processes, or ``scheduler``'s cluster)."""

    name = "dask"

    def __init__(
        self, workers: int | None = None, scheduler: str | None = None, window: int | None = None
    ) -> None:
        self.client, self.cluster = _client(workers, scheduler)
        n = len(self.client.scheduler_info().get("workers", {})) or (workers or 1)
        self.window = window or 8 * n

    def run(self, documents: Iterable[Document], extract: Extract) -> Iterator[EngineResult]:
        from distributed import as_completed

        it = iter(documents)
        pending = as_completed()

        def submit() -> (
            bool
        ):  # keep at most ``window`` documents in flight: the corpus is never all in memory
            doc = next(it, None)
            if doc is None:
                return False
            pending.add(self.client.submit(_extract_remote, extract, doc, pure=False, retries=3))
            return True

        for _ in range(self.window):
            if not submit():
                break
        for fut in pending:
            out, err, secs = fut.result()
            submit()
            yield EngineResult(out, EngineError(err) if err else None, secs)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@dataclass(frozen=True, slots=True)
class Shard:
    """A piece of the input one task reads: a whole file, or a byte range of a JSON Lines file."""

    path: str
    input_format: str
    start: int = 0
    end: int = -1  # -1: to the end of the file
    first_line: int = 1
    base_id: str = ""

    @property
    def id(self) -> str:
        st = os.stat(self.path)
        key = f"{self.path}|{self.start}|{self.end}|{st.st_size}|{st.st_mtime_ns}|{self.input_format}"
        return hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]  # any file name


def plan_shards(
    paths: Sequence[str | Path],
    *,
    input_format: str = "auto",
    shard_bytes: int = SHARD_BYTES,
    problems: list[str] | None = None,
    notes: list[str] | None = None,
) -> list[Shard]:
    """Cut the input into shards: every file is one, a large uncompressed JSON Lines file several.

    Entries of a directory walk that cannot be read are appended to ``problems`` (failures), those skipped on
    purpose (FIFOs, links back into the tree) to ``notes``, as one-line messages: never dropped silently.
    """
    from ..readers import Skipped, expand, sniff
    from ..readers import format_of_name as fmt_of

    shards: list[Shard] = []
    for src in expand(paths, input_format):
        if isinstance(src, Skipped):
            if notes is not None:
                notes.append(f"{src.path}: {src.reason}")
            continue
        if isinstance(src, RasdError):
            if problems is not None:
                problems.append(str(src))
            continue
        if src.fs_path is None:
            raise EngineError("the dask engine reads files, not stdin; save the input to a file first")
        fmt = input_format if input_format != "auto" else fmt_of(src.fs_path.name) or sniff(src.head())
        size = src.fs_path.stat().st_size
        gz = src.fs_path.name.endswith(".gz")
        if fmt != "jsonl" or gz or size <= shard_bytes:
            shards.append(Shard(str(src.fs_path), fmt, base_id=src.base_id))
            continue
        with src.fs_path.open(
            "rb"
        ) as fh:  # cut at line ends; count lines so fallback ids match the local reader
            start, line = 0, 1
            while start < size:
                fh.seek(min(start + shard_bytes, size))
                fh.readline()
                end = min(fh.tell(), size)
                fh.seek(start)
                lines = fh.read(end - start).count(b"\n")
                shards.append(Shard(str(src.fs_path), fmt, start, end, line, src.base_id))
                start, line = end, line + lines
    return shards


def _shard_documents(
    shard: Shard, published: date | None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> Iterator[Document | Exception]:
    """The documents (and read errors) of one shard, read with the local readers' checks and size limit."""
    from ..readers import Reader, strip_ext
    from ..readers.base import Source, check_published, scrub_surrogates
    from ..readers.jsonl import parse

    if shard.input_format != "jsonl" or shard.end < 0:
        reader = Reader(
            [shard.path], input_format=shard.input_format, published=published, max_bytes=max_bytes
        )
        # the reader names a lone file by its own name; the local run names it by its path under the folder
        # given ("sub/a"), and so must this, or two "a.txt" in different folders would share an id
        own = strip_ext(Path(shard.path).name)
        for doc in reader:
            if shard.base_id and (doc.id == own or doc.id.startswith(own + "#")):
                doc.id = shard.base_id + doc.id[len(own) :]
            yield doc
        yield from reader.errors
        return
    source = Source(
        path=shard.path,
        base_id=shard.base_id,
        fs_path=Path(shard.path),
        input_format="jsonl",
        max_bytes=max_bytes,
    )
    for item in parse(source, shard.start, shard.end, shard.first_line):
        if isinstance(item, Document):
            check_published(scrub_surrogates(item))
            if published is not None and item.meta.published is None:
                item.meta.published = published
        yield item


_INT_FIELDS = {
    "time_precision",
    "inter1",
    "inter2",
    "geo_precision",
    "fatalities",
    "wounded",
    "captured",
    "n_events",
}
_FLOAT_FIELDS = {"latitude", "longitude", "confidence"}
_BOOL_FIELDS = {"fatalities_shared", "civilian_targeting"}


def _schema(names: Iterable[str]) -> Any:
    """One fixed schema per table, so parts whose columns happen to be all null still read as one dataset."""
    import pyarrow as pa

    def typ(name: str) -> Any:
        if name in _INT_FIELDS:
            return pa.int64()
        if name in _FLOAT_FIELDS:
            return pa.float64()
        if name in _BOOL_FIELDS:
            return pa.bool_()
        return pa.string()

    return pa.schema([(n, typ(n)) for n in names])


DOCUMENT_COLUMNS = ("id", "content_hash", "published", "source", "title", "language", "n_events", "record")
EVENT_COLUMNS = ("event_id", "document_id", "kind", *EVENT_FIELDS, "evidence", "confidence")


def remove_stale_temps(out: str | Path) -> list[Path]:
    """Delete the temporary part and marker files that a killed run left under ``out`` (why: they are never
    read, but would pile up). A file whose writing process still runs on this machine is kept."""
    removed = []
    for sub in ("documents", "events", "incidents", "_shards"):
        for tmp in remove_dead_partials(Path(out, sub)):
            log.info("removed %s, left by an interrupted run", tmp)
            removed.append(tmp)
    return removed


def write_parquet(rows: list[dict[str, Any]], path: Path, columns: Sequence[str] | None = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path(path)
    table = pa.Table.from_pylist(rows, schema=_schema(columns)) if columns else pa.Table.from_pylist(rows)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)  # atomic: a retried task overwrites, never duplicates
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _event_row(doc: Document, ev_dict: dict[str, Any]) -> dict[str, Any]:
    row = {"event_id": ev_dict["event_id"], "document_id": doc.id, "kind": ev_dict["kind"]}
    row.update({k: ev_dict[k] for k in EVENT_FIELDS})
    row["evidence"] = json.dumps(ev_dict["evidence"], ensure_ascii=False)
    row["confidence"] = ev_dict["confidence"]
    return row


def process_shard(
    shard: Shard, out: str, published: date | None = None, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> dict[str, Any]:
    """Read, extract and write one shard (runs on a worker). Returns its counts; skips a finished shard."""
    from .. import extract

    sid = shard.id
    marker = Path(out, "_shards", f"{sid}.json")
    if marker.exists():
        done: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        done["resumed"] = True
        return done
    t0 = time.perf_counter()
    docs: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    failures: list[str] = []
    for item in _shard_documents(shard, published, max_bytes):
        if isinstance(item, Exception):
            failures.append(str(item))
            continue
        try:
            doc = extract(item)
            record = doc.to_dict(with_mentions=True)
            row = {
                "id": doc.id,
                "content_hash": doc.content_hash,
                "published": record["published"],
                "source": record["source"],
                "title": record["title"],
                "language": record["language"],
                "n_events": len(record["events"]),
                "record": json.dumps(record, ensure_ascii=False),
            }
            rows = [_event_row(doc, e) for e in record["events"] + record["statements"]]
        except Exception as exc:  # a bad document is reported, the shard goes on
            failures.append(
                str(exc) if isinstance(exc, RasdError) else f"{item.id}: {type(exc).__name__}: {exc}"
            )
            continue
        docs.append(row)
        events.extend(rows)
    write_parquet(docs, Path(out, "documents", f"part-{sid}.parquet"), DOCUMENT_COLUMNS)
    write_parquet(events, Path(out, "events", f"part-{sid}.parquet"), EVENT_COLUMNS)
    summary = {
        "shard": asdict(shard),
        "id": sid,
        "documents": len(docs),
        "events": len(events),
        "failures": failures,
        "seconds": time.perf_counter() - t0,
        "worker_pid": os.getpid(),
    }
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path(marker)
    tmp.write_text(json.dumps(summary), encoding="utf-8")  # ASCII escapes: any file name round-trips
    os.replace(tmp, marker)  # the marker comes last: a shard without one is redone
    return summary


@dataclass(slots=True)
class DatasetSummary:
    out: str
    shards: int = 0
    resumed: int = 0
    documents: int = 0
    events: int = 0
    incidents: int = 0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(
        default_factory=list
    )  # entries skipped on purpose (FIFOs, links back into a tree)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        rate = self.documents / self.seconds if self.seconds else 0.0
        out = [
            f"dask: {self.shards} shard(s) ({self.resumed} already done) -> {self.out}",
            f"  documents {self.documents}, events {self.events}, incidents {self.incidents}, "
            f"failed {len(self.failures)} in {self.seconds:.1f}s ({rate:.1f} documents/s)",
        ]
        out += [f"  failed: {f}" for f in self.failures[:20]]
        out += [f"  warning: {n}" for n in self.notes[:20]]
        return out


def iter_documents(out: str | Path) -> Iterator[Document]:
    """Stream the extracted Documents back out of a dataset, one Parquet batch at a time."""
    import pyarrow.parquet as pq

    for part in sorted(Path(out, "documents").glob("part-*.parquet")):
        pf = pq.ParquetFile(part)
        for batch in pf.iter_batches(columns=["record"], batch_size=256):
            for rec in batch.column(0).to_pylist():
                yield Document.from_dict(json.loads(rec))


def run_to_parquet(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    input_format: str = "auto",
    published: date | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    shard_bytes: int = SHARD_BYTES,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: ProgressCallback | bool | None = None,
) -> DatasetSummary:
    """Extract ``paths`` on a Dask cluster into a Parquet dataset under ``out`` (documents, events).
    :func:`rasd.ingest.ingest_to_parquet` adds the incidents (they need the store, which is above the engines).

    ``progress``: a callable receiving :class:`rasd.progress.Progress` snapshots, task "dask" (documents, as
    each shard finishes; total when cheap to know).
    """
    from distributed import as_completed

    t0 = time.perf_counter()
    out = str(out)
    problems: list[str] = []
    notes: list[str] = []
    shards = plan_shards(
        paths, input_format=input_format, shard_bytes=shard_bytes, problems=problems, notes=notes
    )
    remove_stale_temps(out)
    summary = DatasetSummary(out=out, shards=len(shards), failures=problems, notes=notes)
    callback = as_callback(progress)
    total = estimate_total(paths, input_format) if callback is not None else None
    client, cluster = _client(workers, scheduler)
    tracker = Tracker("dask", callback, total=total)
    try:
        futures = [
            client.submit(
                process_shard, s, out, published, max_bytes, pure=False, retries=3, key=f"shard-{s.id}"
            )
            for s in shards
        ]
        for fut in as_completed(futures):
            res = fut.result()
            summary.resumed += bool(res.get("resumed"))
            summary.documents += res["documents"]
            summary.events += res["events"]
            summary.failures.extend(res["failures"])
            tracker.advance(res["documents"] + len(res["failures"]), failed=len(res["failures"]))
    finally:
        tracker.close()
        client.close()
        if cluster is not None:
            cluster.close()
    summary.seconds = time.perf_counter() - t0
    return summary
