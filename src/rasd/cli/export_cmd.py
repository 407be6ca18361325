"""`rasd export`: write a whole store (or a filtered part), event-level or incident-level, to a file."""

from __future__ import annotations

from typing import Any

import click

from .options import display, progress_option
from .query import bom_option, build_filters, emit, filter_options, output_filters, written_message


@click.command(name="export")
@filter_options
@click.option("-f", "--format", "fmt", required=True, help="jsonl, acled-csv, geojson, parquet or table.")
@click.option("-o", "--output", required=True, help="Output file (- for stdout).")
@progress_option
@bom_option
def export(
    level: str, fmt: str, output: str, progress: bool | None, quiet: bool, bom: bool, **kw: Any
) -> None:
    """Export every event (or incident) of the store matching the filters, streaming page by page.
    On a terminal, a progress display goes to stderr when the records go to a file or a pipe."""
    from ..progress import track
    from ..store import open as open_store

    filters = output_filters(build_filters(**kw), fmt)
    bar = display(progress, quiet, stdout_data=output == "-")
    with open_store(kw["db"], create=False) as store:  # reading never creates a database
        if level == "incident":
            records: Any = store.iter_incidents(filters)
            total = None
        else:
            records = store.iter_events(filters)
            total = store.count_events(filters) if bar is not None else None
        counted = _Count(track(records, "export", bar, total=total, unit=level))
        n = emit(store, counted, fmt, output, level, bom=bom)
    if output != "-":
        click.echo(written_message(n, counted.n, counted.n, level, output, fmt), err=True)


class _Count:
    """Passes records through, counting them (an export streams: there is no list to take len of)."""

    def __init__(self, records: Any) -> None:
        self._it = iter(records)
        self.n = 0

    def __iter__(self) -> Any:
        for rec in self._it:
            self.n += 1
            yield rec
