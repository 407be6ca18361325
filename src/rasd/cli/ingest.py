"""`rasd ingest`: read inputs, extract events and store them (idempotent, resumable); prints a summary."""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

import click

from ..errors import InputError, UnknownFormatError

INPUT_FORMATS = ("auto", "txt", "md", "html", "jsonl", "warc", "rss")
DEFAULT_MAX_DOC_MB = 5.0  # = rasd.readers.DEFAULT_MAX_BYTES (not imported: keeps `rasd --help` fast)


def max_doc_option(func: Any) -> Any:
    """``--max-doc-mb``: the per-document size limit, shared by `rasd extract` and `rasd ingest`."""
    return click.option(
        "--max-doc-mb",
        type=click.FloatRange(min=0),
        default=DEFAULT_MAX_DOC_MB,
        show_default=True,
        help="Refuse a document (file, JSONL line, WARC payload, feed) over this many MB of raw input "
        "(RASD106; it is not read whole). 0: no limit.",
    )(func)


def max_bytes_of(max_doc_mb: float) -> int | None:
    """``--max-doc-mb`` in bytes; None (no limit) for 0."""
    return int(max_doc_mb * 1_000_000) or None


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--db",
    default="rasd.db",
    show_default=True,
    envvar="RASD_DB",
    help="SQLite file, or a postgresql://user@host/db URL (env RASD_DB).",
)
@click.option(
    "-i",
    "--input-format",
    default="auto",
    show_default=True,
    help="How to read the inputs: auto, txt, md, html, jsonl, warc, rss.",
)
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date for documents that carry none.")
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where extraction runs: this process, or a Dask cluster (pip install 'rasd[dask]').",
)
@click.option("--workers", type=int, default=None, help="dask: number of local workers.")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help="dask: an existing scheduler.")
@click.option(
    "--out",
    default=None,
    metavar="DIR",
    help="dask: also write a partitioned Parquet dataset (documents/, events/, incidents/) here; the input "
    "is sharded so that each worker reads its own part.",
)
@click.option("--force", is_flag=True, help="Re-extract and rewrite documents even when unchanged.")
@click.option(
    "--similarity",
    type=click.Choice(["auto", "use", "ngram"]),
    default="auto",
    show_default=True,
    help="Evidence similarity used to group events into incidents.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal)."
)
@max_doc_option
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def ingest(
    paths: tuple[str, ...],
    db: str,
    input_format: str,
    published: str | None,
    engine: str,
    workers: int | None,
    scheduler: str | None,
    out: str | None,
    force: bool,
    similarity: str,
    progress: bool | None,
    max_doc_mb: float,
    as_json: bool,
) -> None:
    """Ingest PATH... (files, directories, - for stdin) into the store: documents, mentions, events,
    evidence and incidents. Unchanged documents are skipped; changed ones replaced; an interrupted run
    resumes when run again. The summary counts documents read, new, failed (by error code), empty inputs
    and warnings. Exit status 1 when some document failed, an over-size one included (the others are
    stored); empty inputs (RASD105) and warnings are reported but do not fail the run."""
    import json

    from ..store import ingest as run_ingest

    if input_format not in INPUT_FORMATS:
        raise UnknownFormatError(f"unknown input format '{input_format}'; known: {', '.join(INPUT_FORMATS)}")
    pub = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError:
            raise InputError(f"--published '{published}' is not a date; use YYYY-MM-DD") from None
    if out is not None:
        if engine != "dask":
            raise InputError("--out writes a Parquet dataset with the dask engine; add --engine dask")
        from ..engines.dask import run_to_parquet

        result = run_to_parquet(
            list(paths),
            out,
            input_format=input_format,
            published=pub,
            workers=workers,
            scheduler=scheduler,
            db=db,
            max_bytes=max_bytes_of(max_doc_mb),
        )
        if as_json:
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
        else:
            for line in result.lines():
                click.echo(line, err=True)
        if result.failures:
            sys.exit(1)
        return
    options = {k: v for k, v in (("workers", workers), ("scheduler", scheduler)) if v is not None}
    summary = run_ingest(
        list(paths),
        db=db,
        input_format=input_format,
        published=pub,
        engine=engine,
        engine_options=options,
        force=force,
        progress=progress,
        similarity=similarity,
        max_bytes=max_bytes_of(max_doc_mb),
    )
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, default=str))
    else:
        for line in summary.lines():
            click.echo(line, err=True)
    if not summary.ok:
        sys.exit(1)
