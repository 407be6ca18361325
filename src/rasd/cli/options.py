"""What the commands share: the input checks, the per-document size option, the progress display flags."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ..errors import InputError, UnknownFormatError
from ..readers import DEFAULT_MAX_BYTES, INPUT_FORMATS

if TYPE_CHECKING:
    from ..progress import TerminalDisplay


def check_input_format(input_format: str) -> str:
    """``input_format`` when rasd can read it; RASD102 naming the known formats otherwise."""
    if input_format not in INPUT_FORMATS:
        raise UnknownFormatError(f"unknown input format '{input_format}'; known: {', '.join(INPUT_FORMATS)}")
    return input_format


def parse_published(value: str | None) -> date | None:
    """``--published YYYY-MM-DD`` as a date (None when not given)."""
    if value is None:
        return None
    from ..readers.base import PUBLISHED_RANGE

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--published '{value}' is not a date; use YYYY-MM-DD") from None
    low, high = PUBLISHED_RANGE
    if not low <= day <= high:
        raise InputError(
            f"--published {value} is outside {low.year}-{high.year}; give the real publication date"
        )
    return day


def max_doc_option(func: Any) -> Any:
    """``--max-doc-mb``: the per-document size limit."""
    return click.option(
        "--max-doc-mb",
        type=click.FloatRange(min=0),
        default=DEFAULT_MAX_BYTES / 1_000_000,
        show_default=True,
        help="Refuse a document (file, JSONL line, WARC payload, feed) over this many MB of raw input "
        "(RASD106; it is not read whole). 0: no limit.",
    )(func)


def max_bytes_of(max_doc_mb: float) -> int | None:
    """``--max-doc-mb`` in bytes; None (no limit) for 0."""
    return int(max_doc_mb * 1_000_000) or None


def budget_options(func: Any) -> Any:
    """``--doc-seconds`` and ``--doc-mentions``: the per-document effort budget (RASD301, RASD302 beyond it)."""
    from ..budget import DEFAULT_DOC_MENTIONS, DEFAULT_DOC_SECONDS

    func = click.option(
        "--doc-mentions",
        type=click.IntRange(min=0),
        default=None,
        help=f"Refuse a document that holds more mentions (actors, places, dates, quantities...) than this, "
        f"before building them, and report it (RASD302), going on with the next; each takes about 2 KB of "
        f"memory. 0: no limit. Default {DEFAULT_DOC_MENTIONS:,}, or env RASD_DOC_MENTIONS.",
    )(func)
    return click.option(
        "--doc-seconds",
        type=click.FloatRange(min=0),
        default=None,
        help=f"Stop extracting a document after this many seconds and report it (RASD301), going on with the "
        f"next; 0: no limit. Default {DEFAULT_DOC_SECONDS:g}, or env RASD_DOC_SECONDS.",
    )(func)


def apply_budget(seconds: float | None, mentions: int | None) -> None:
    """Make ``--doc-seconds``/``--doc-mentions`` the budget of the default pipeline, here and in worker
    processes started later (the Dask engine's), through their environment variables."""
    import os

    from .. import default_pipeline
    from ..budget import DOC_MENTIONS_ENV, DOC_SECONDS_ENV

    if seconds is not None:
        os.environ[DOC_SECONDS_ENV] = repr(seconds)
        default_pipeline().doc_seconds = seconds or None
    if mentions is not None:
        os.environ[DOC_MENTIONS_ENV] = str(mentions)
        default_pipeline().doc_mentions = mentions or None


def progress_option(func: Any) -> Any:
    """``--progress/--no-progress`` and ``-q/--quiet``: the progress display on stderr."""
    func = click.option(
        "-q", "--quiet", is_flag=True, help="No progress display (errors and the summary are still printed)."
    )(func)
    return click.option(
        "--progress/--no-progress",
        default=None,
        help="Progress display on stderr: done/total, rate, elapsed, ETA, failures (default: when stderr "
        "is a terminal).",
    )(func)


def display(
    progress: bool | None, quiet: bool = False, *, stdout_data: bool = False
) -> TerminalDisplay | None:
    """The progress display the flags ask for, or None. By default it is on only when stderr is a terminal,
    and off when records go to stdout on that same terminal (``stdout_data``): a bar must never mix with data.
    """
    if quiet or progress is False:
        return None
    if progress is None:
        if not sys.stderr.isatty() or (stdout_data and sys.stdout.isatty()):
            return None
    from ..progress import TerminalDisplay

    return TerminalDisplay(sys.stderr)
