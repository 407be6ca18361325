"""`rasd export`: write a whole store (or a filtered part), event-level or incident-level, to a file."""

from __future__ import annotations

from typing import Any

import click

from .query import build_filters, emit, filter_options


@click.command(name="export")
@filter_options
@click.option("-f", "--format", "fmt", required=True, help="jsonl, acled-csv, geojson, parquet or table.")
@click.option("-o", "--output", required=True, help="Output file (- for stdout).")
def export(level: str, fmt: str, output: str, **kw: Any) -> None:
    """Export every event (or incident) of the store matching the filters, streaming page by page."""
    from ..store import open as open_store

    filters = build_filters(**kw)
    with open_store(kw["db"], create=False) as store:  # reading never creates a database
        if level == "incident":
            records: Any = store.iter_incidents(filters)
        else:
            records = store.iter_events(filters)
        n = emit(store, records, fmt, output, level)
    if output != "-":
        click.echo(f"wrote {n} {level}(s) to {output}", err=True)
