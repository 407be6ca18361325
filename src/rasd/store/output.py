"""Write query results (event or incident records) in the output formats of ``rasd query`` / ``rasd export``.

``jsonl``, ``table`` and ``parquet`` are written here from the records; ``acled-csv``, ``geojson`` and any other
format registered in :mod:`rasd.export` are written by that registry's writers (so there is one ACLED CSV and
one GeoJSON writer in rasd), fed with Documents rebuilt from the store that carry only the selected events (or,
at incident level, one merged event per incident).

Files are written atomically (:func:`atomic_output`): the data goes to ``.NAME.partial-<pid>`` next to the
target, is fsynced and renamed over it, so a crash or ``kill -9`` mid-export leaves either no file or the
previous complete one, never a truncated file that looks like an export.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any, TextIO

from ..document import EVENT_FIELDS, Document, Event, Metadata, iso_date
from ..errors import OutputError, UnknownFormatError
from ..process import partial_path, remove_dead_partials
from .base import Store, documents_for_events

log = logging.getLogger(__name__)

LOCAL_FORMATS = ("table", "jsonl", "parquet")
DATE_COLUMNS = ("event_date", "date_end", "published")
TABLE_COLUMNS = (
    "event_date",
    "event_type",
    "sub_event_type",
    "location",
    "admin1",
    "actor1",
    "actor2",
    "fatalities",
)


def formats() -> list[str]:
    from ..export import formats as registered

    return list(LOCAL_FORMATS) + [f for f in registered() if f not in LOCAL_FORMATS and f != "json"]


def write_records(
    store: Store,
    records: Iterable[dict[str, Any]],
    fmt: str,
    stream: TextIO | None,
    *,
    level: str = "event",
    path: str | None = None,
    bom: bool = False,
) -> int:
    """Write ``records`` (from ``query_events`` or ``query_incidents``) as ``fmt``; returns how many were written
    (ACLED CSV leaves statements out, GeoJSON events without coordinates: they are not counted).

    ``parquet`` needs ``path`` (binary file); the others write text to ``stream``. ``bom``: start a CSV with a
    UTF-8 byte-order mark (Excel then reads Arabic right).
    """
    if fmt == "jsonl":
        assert stream is not None
        n = 0
        for rec in records:
            stream.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            n += 1
        stream.flush()
        return n
    if fmt == "table":
        assert stream is not None
        return _table(records, stream, level)
    if fmt == "parquet":
        if not path or path == "-":
            raise UnknownFormatError("parquet output needs a file: add -o FILE.parquet")
        with atomic_output(path, binary=True) as fh:
            return _parquet(records, fh)
    from ..export import get_writer

    writer = get_writer(fmt)
    assert stream is not None
    counter = _Counter(records)
    docs = documents_for_events(store, counter) if level == "event" else _incident_documents(counter)
    writer(docs, stream, with_text=False, with_mentions=False, **({"bom": True} if bom else {}))
    stream.flush()
    # what was written, not what was read (#16): ACLED formats leave statements out, GeoJSON unlocated events
    if fmt == "geojson":
        return counter.located
    if fmt == "acled-csv":
        return counter.acled
    return counter.n


class _Counter:
    """Passes records through, counting them, the ACLED ones, and the ACLED ones with coordinates."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self._it = iter(records)
        self.n = 0
        self.acled = 0
        self.located = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for rec in self._it:
            self.n += 1
            if rec.get("kind", "acled") == "acled":
                self.acled += 1
                if rec.get("latitude") is not None and rec.get("longitude") is not None:
                    self.located += 1
            yield rec


def _incident_documents(records: Iterable[dict[str, Any]]) -> Iterator[Document]:
    """One Document per incident carrying one merged Event (its fields, sources named in the notes)."""
    for rec in records:
        ev = Event(kind="acled", event_id=rec["incident_id"])
        for name in EVENT_FIELDS:
            if name in rec and rec[name] is not None:
                setattr(ev, name, rec[name])
        sources = rec.get("sources") or []
        notes = [f"Incident reported by {len(sources)} source(s): {', '.join(sources)}."]
        if rec.get("fatalities_max") is not None and rec.get("fatalities_max") != rec.get("fatalities"):
            notes.append(
                f"Sources differ on fatalities ({rec.get('fatalities')}-{rec.get('fatalities_max')}); "
                "the most conservative figure is used."
            )
        ev.notes = " ".join(notes)
        for member in rec.get("events") or []:
            ev.flags.append(f"member:{member['event_id']}")
        published = None
        if rec.get("event_date"):
            try:
                published = date.fromisoformat(rec["event_date"])
            except ValueError:
                published = None
        doc = Document(
            id=rec["incident_id"],
            text="",
            meta=Metadata(source="; ".join(sources) or None, published=published),
        )
        doc.events.append(ev)
        yield doc


def _cell(value: Any, width: int) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(records: Iterable[dict[str, Any]], stream: TextIO, level: str) -> int:
    first = "incident_id" if level == "incident" else "event_id"
    cols = (first, *TABLE_COLUMNS) + (("n_documents",) if level == "incident" else ("source",))
    widths = {
        first: 28,
        "event_date": 10,
        "event_type": 26,
        "sub_event_type": 24,
        "location": 20,
        "admin1": 12,
        "actor1": 24,
        "actor2": 24,
        "fatalities": 5,
        "n_documents": 4,
        "source": 12,
    }
    stream.write("  ".join(c[: widths[c]].ljust(widths[c]) for c in cols).rstrip() + "\n")
    n = 0
    for rec in records:
        stream.write("  ".join(_cell(rec.get(c), widths[c]).ljust(widths[c]) for c in cols).rstrip() + "\n")
        n += 1
    stream.write(f"({n} {level}{'s' if n != 1 else ''})\n")
    stream.flush()
    return n


def _flat(rec: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in rec.items():
        out[k] = json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (list, dict)) else v
    return out


def _parquet(records: Iterable[dict[str, Any]], path: Any) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [_flat(r) for r in records]
    if not rows:
        table = pa.table({"event_id": pa.array([], type=pa.string())})
    else:
        keys: list[str] = []
        for r in rows:
            for k in r:
                if k not in keys:
                    keys.append(k)
        cols = {}
        for k in keys:
            values = [r.get(k) for r in rows]
            kinds = {type(v) for v in values if v is not None}
            if k in DATE_COLUMNS:  # a date type, not text (#16): readers filter and plot them as dates
                cols[k] = pa.array([iso_date(v) for v in values], type=pa.date32())
            elif kinds <= {bool}:
                cols[k] = pa.array(values, type=pa.bool_())
            elif kinds <= {int}:
                cols[k] = pa.array(values, type=pa.int64())
            elif kinds <= {int, float}:
                cols[k] = pa.array([None if v is None else float(v) for v in values], type=pa.float64())
            else:
                cols[k] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
        table = pa.table(cols)
    pq.write_table(table, path)
    return len(rows)


def remove_stale_partials(path: str | os.PathLike[str]) -> list[Path]:
    """Delete the partial files that killed exports of ``path`` left behind (a concurrent export's is kept)."""
    target = Path(path)
    removed = remove_dead_partials(target.parent, target.name)
    for cand in removed:
        log.info("removed %s, left by an interrupted export", cand)
    return removed


@contextmanager
def atomic_output(
    path: str | os.PathLike[str], *, binary: bool = False, newline: str | None = None
) -> Iterator[IO[Any]]:
    """Open ``path`` for writing so that it appears complete or not at all (why: a killed export must not
    leave a truncated file that looks like a whole one).

    Writes go to ``.NAME.partial-<pid>`` in the same directory; on success the file is fsynced and renamed
    over ``path`` (the directory is fsynced too); on any exception it is removed and ``path`` is untouched.
    Partials of earlier killed exports of ``path`` are removed first. A symlink is followed (its target is
    replaced). A ``path`` that exists and is not a regular file (a FIFO, a device) is written directly: it
    cannot be replaced atomically.
    """
    target = Path(os.path.realpath(path))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(
            f"cannot write the export ({exc.strerror}); check the path", path=str(path)
        ) from exc
    if st is not None and not stat.S_ISREG(st.st_mode):
        try:
            with _open(target, binary, newline, str(path)) as direct:
                yield direct
        except OutputError:
            raise
        except OSError as exc:
            raise write_failed(exc, str(path)) from None
        return
    remove_stale_partials(target)
    tmp = partial_path(target)
    fh = _open(tmp, binary, newline, str(path))
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            fh.close()
        except OSError:  # the close flushes again, and fails like the write did
            pass
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise write_failed(exc, str(path)) from None
        raise
    _fsync_dir(target.parent)


def write_failed(exc: OSError, shown: str) -> OutputError:
    """A failed write as a one-line OutputError: disk full says so, and that the store was not touched."""
    if exc.errno == errno.ENOSPC:
        return OutputError(
            "disk full while writing; free space and re-run (no partial file was left; the database is "
            "unchanged)",
            path=shown,
        )
    return OutputError(f"cannot write ({exc.strerror or exc}); no partial file was left", path=shown)


def _open(path: Path, binary: bool, newline: str | None, shown: str) -> IO[Any]:
    try:
        if binary:
            return open(path, "wb")  # closed by the caller
        return open(path, "w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise OutputError(
            f"cannot write the export ({exc.strerror}); check that the directory exists and is writable",
            path=shown,
        ) from exc


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); best effort where directories cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
