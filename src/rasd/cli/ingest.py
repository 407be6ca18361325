"""`rasd ingest`: read inputs, extract events and store them (idempotent, resumable); prints a summary."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..errors import InputError
from .options import (
    apply_budget,
    budget_options,
    check_input_format,
    display,
    max_bytes_of,
    max_doc_option,
    parse_published,
    progress_option,
)


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
@progress_option
@max_doc_option
@budget_options
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
    quiet: bool,
    max_doc_mb: float,
    doc_seconds: float | None,
    doc_mentions: int | None,
    as_json: bool,
) -> None:
    """Ingest PATH... (files, directories, - for stdin) into the store: documents, mentions, events,
    evidence and incidents. Unchanged documents are skipped; changed ones replaced; an interrupted run
    resumes when run again. The summary counts documents read, new, failed (by error code), empty inputs
    and warnings. Exit status 1 when some document failed, an over-size one included (the others are
    stored); empty inputs (RASD105) and warnings are reported but do not fail the run."""
    from ..ingest import ingest as run_ingest

    check_input_format(input_format)
    pub = parse_published(published or None)
    apply_budget(doc_seconds, doc_mentions)
    if out is not None:
        if engine != "dask":
            raise InputError("--out writes a Parquet dataset with the dask engine; add --engine dask")
        from ..ingest import ingest_to_parquet

        result = ingest_to_parquet(
            list(paths),
            out,
            input_format=input_format,
            published=pub,
            workers=workers,
            scheduler=scheduler,
            db=db,
            max_bytes=max_bytes_of(max_doc_mb),
            progress=display(progress, quiet),
        )
        _echo(result, as_json)
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
        progress=display(progress, quiet),
        similarity=similarity,
        max_bytes=max_bytes_of(max_doc_mb),
    )
    _echo(summary, as_json)
    if not summary.ok:
        sys.exit(1)


def _echo(summary: Any, as_json: bool) -> None:
    """The run's summary: JSON on stdout, or its short lines on stderr."""
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False, default=str))
    else:
        for line in summary.lines():
            click.echo(line, err=True)
