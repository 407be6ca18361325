"""`rasd query`: select events (or incidents) from the store and print them as a table, JSONL, ACLED CSV,
GeoJSON or Parquet."""

from __future__ import annotations

import sys
from typing import Any, TextIO, cast

import click

from ..errors import UnknownFormatError

FORMATS = ("table", "jsonl", "acled-csv", "geojson", "parquet")


def filter_options(func: Any) -> Any:
    """The options shared by `rasd query` and `rasd export`: the database, the filters and the level."""
    options = [
        click.option(
            "--db",
            default="rasd.db",
            show_default=True,
            envvar="RASD_DB",
            help="SQLite file or postgresql:// URL (env RASD_DB).",
        ),
        click.option("--since", metavar="YYYY-MM-DD", help="Events on or after this date."),
        click.option("--until", metavar="YYYY-MM-DD", help="Events on or before this date."),
        click.option("--type", "type_", metavar="TYPE", help="ACLED event type, e.g. Battles."),
        click.option("--sub-type", metavar="SUBTYPE", help="ACLED sub-event type, e.g. 'Air/drone strike'."),
        click.option("--actor", help="Substring of an actor's name (English or Arabic)."),
        click.option("--country", help="Country, e.g. Syria or سوريا."),
        click.option(
            "--admin1",
            help="Governorate / first-level region, e.g. Idlib, Idleb or إدلب (spellings resolved).",
        ),
        click.option("--near", metavar="LAT,LON,KM", help="Within KM kilometres of a point."),
        click.option(
            "--text",
            help="Full-text search in the articles (Arabic variants of hamza/alef/ta marbuta match).",
        ),
        click.option("--min-fatalities", type=int, help="At least this many fatalities."),
        click.option("--modality", type=click.Choice(["reported", "claimed", "alleged", "denied"])),
        click.option("--source", help="Only articles of this outlet."),
        click.option("--include-rejected", is_flag=True, help="Keep events an analyst rejected."),
        click.option(
            "--level",
            type=click.Choice(["event", "incident"]),
            default="event",
            show_default=True,
            help="One row per event, or per incident (the reports of one incident merged).",
        ),
    ]
    for opt in reversed(options):
        func = opt(func)
    return func


def build_filters(**kw: Any) -> Any:
    from ..store import Filters
    from ..store.filters import parse_near

    near = kw.get("near")
    return Filters(
        since=kw.get("since"),
        until=kw.get("until"),
        type=kw.get("type_"),
        sub_type=kw.get("sub_type"),
        actor=kw.get("actor"),
        country=kw.get("country"),
        admin1=kw.get("admin1"),
        near=parse_near(near) if near else None,
        text=kw.get("text"),
        min_fatalities=kw.get("min_fatalities"),
        modality=kw.get("modality"),
        source=kw.get("source"),
        include_rejected=bool(kw.get("include_rejected")),
        limit=kw.get("limit"),
    )


def emit(store: Any, records: Any, fmt: str, output: str, level: str, *, bom: bool = False) -> int:
    """Write ``records`` as ``fmt`` to stdout ("-") or to the file ``output``, atomically: a killed export
    leaves no file, or the previous complete one (see :func:`rasd.store.output.atomic_output`)."""
    from ..store.output import atomic_output, formats, write_records

    if fmt not in formats():
        raise UnknownFormatError(f"unknown output format '{fmt}'; known: {', '.join(formats())}")
    if fmt == "parquet":
        return int(write_records(store, records, fmt, None, level=level, path=output))
    if output == "-":
        return int(write_records(store, records, fmt, sys.stdout, level=level, bom=bom))
    newline = "" if fmt.endswith("csv") else None
    with atomic_output(output, newline=newline) as stream:
        return int(write_records(store, records, fmt, cast(TextIO, stream), level=level, bom=bom))


def output_filters(filters: Any, fmt: str) -> Any:
    """PLOVER holds statements (ACCUSE, REQUEST...) as well as events: a PLOVER export selects both (#16)."""
    from ..store import Filters

    return Filters.of(filters, kind=None) if fmt == "plover" and filters.kind == "acled" else filters


def bom_option(func: Any) -> Any:
    """``--bom``: a UTF-8 byte-order mark at the start of a CSV, for Excel."""
    return click.option(
        "--bom",
        is_flag=True,
        help="Start a CSV with a UTF-8 byte-order mark so Excel shows Arabic right (acled-csv).",
    )(func)


@click.command()
@filter_options
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many rows (0: all).")
@click.option(
    "-f",
    "--format",
    "fmt",
    default="table",
    show_default=True,
    help="table, jsonl, acled-csv, geojson or parquet.",
)
@click.option("-o", "--output", default="-", show_default=True, help="Write to this file instead of stdout.")
@bom_option
def query(level: str, limit: int, fmt: str, output: str, bom: bool, **kw: Any) -> None:
    """Select events from the store (newest first) and print them."""
    from ..store import Filters
    from ..store import open as open_store

    kw["limit"] = limit or None
    filters = output_filters(build_filters(**kw), fmt)
    with open_store(kw["db"], create=False) as store:  # reading never creates a database
        records = store.query_incidents(filters) if level == "incident" else store.query_events(filters)
        n = emit(store, records, fmt, output, level, bom=bom)
        matched = len(records)
        if filters.limit is not None and matched >= filters.limit:  # the limit may have cut the selection
            everything = Filters.of(filters, limit=None)
            matched = (
                len(store.query_incidents(everything, with_events=False))
                if level == "incident"
                else store.count_events(everything)
            )
    if output != "-" or matched > len(records):
        click.echo(written_message(n, len(records), matched, level, output, fmt), err=True)


def written_message(n: int, selected: int, matched: int, level: str, output: str, fmt: str) -> str:
    """``wrote 100 of 1,269 events to x.csv (use --limit 0 for all)``: never a silent cut (#16)."""
    where = "" if output == "-" else f" to {output}"
    msg = f"wrote {n:,} {level}(s){where}"
    if matched > selected:
        msg = f"wrote {n:,} of {matched:,} {level}(s){where} (the --limit; use --limit 0 for all)"
    if n < selected:
        left = "without coordinates" if fmt == "geojson" else "statements (not ACLED events)"
        msg += f"; {selected - n:,} {left} left out"
    return msg
