"""`rasd export`: write a whole store (or a filtered part), event-level or incident-level, to a file."""

from __future__ import annotations

from typing import Any

import click

from .options import display, progress_option
from .query import build_filters, emit, filter_options


@click.command(name="export")
@filter_options
@click.option("-f", "--format", "fmt", required=True, help="jsonl, acled-csv, geojson, parquet or table.")
@click.option("-o", "--output", required=True, help="Output file (- for stdout).")
@progress_option
def export(level: str, fmt: str, output: str, progress: bool | None, quiet: bool, **kw: Any) -> None:
    """Export every event (or incident) of the store matching the filters, streaming page by page.
    On a terminal, a progress display goes to stderr when the records go to a file or a pipe."""
    from ..progress import track
    from ..store import open as open_store

    filters = build_filters(**kw)
    bar = display(progress, quiet, stdout_data=output == "-")
    with open_store(kw["db"], create=False) as store:  # reading never creates a database
        if level == "incident":
            records: Any = store.iter_incidents(filters)
            total = None
        else:
            records = store.iter_events(filters)
            total = store.count_events(filters) if bar is not None else None
        n = emit(store, track(records, "export", bar, total=total, unit=level), fmt, output, level)
    if output != "-":
        click.echo(f"wrote {n} {level}(s) to {output}", err=True)
