"""`rasd extract`: read documents, run the default pipeline, print one record per document."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

import click

from ..errors import EmptyInputError, InputError, PipelineError, RasdError
from ..export import formats
from ..progress import Tracker, estimate_total
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

if TYPE_CHECKING:
    from ..document import Document

log = logging.getLogger(__name__)

EXTRACT_FAILED = "extract_failed"


def _stdout() -> TextIO:
    out = sys.stdout
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None and (out.encoding or "").lower().replace("-", "") != "utf8":
        try:
            reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # pragma: no cover - exotic streams
            pass
    return out


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "-i",
    "--input-format",
    default="auto",
    show_default=True,
    help="How to read the inputs: auto (by extension, then content), txt, md, html, jsonl, warc, rss.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    default="jsonl",
    show_default=True,
    help=f"Output format: {', '.join(formats())} (the formats registered in rasd.export).",
)
@click.option("--encoding", help="Decode inputs with this codec instead of detecting it (e.g. cp1256).")
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date for documents that carry none (anchors relative dates such as 'yesterday').",
)
@click.option("--with-text/--no-text", default=True, show_default=True, help="Include the document text.")
@click.option("--mentions", is_flag=True, help="Include every mention (actors, places, dates...) found.")
@click.option(
    "--ner",
    is_flag=True,
    help="Also run the learned NER on event sentences (adds `ner` mentions; ~4 ms/article).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    show_default=True,
    help="Write the records to this file instead of stdout.",
)
@max_doc_option
@budget_options
@progress_option
@click.pass_context
def extract(
    ctx: click.Context,
    paths: tuple[str, ...],
    input_format: str,
    fmt: str,
    published: str | None,
    with_text: bool,
    mentions: bool,
    output: str,
    encoding: str | None,
    ner: bool,
    max_doc_mb: float,
    doc_seconds: float | None,
    doc_mentions: int | None,
    progress: bool | None,
    quiet: bool,
) -> None:
    """Extract events from PATH... (files, directories read recursively, or - for stdin).

    Prints one record per document, in input order: id, metadata, sections, events. A bad record (e.g. a
    JSONL line that is not JSON) is reported on stderr with its line number; the other records are still
    processed, and the exit status is non-zero (2: an input or record could not be read, or is over
    --max-doc-mb; 3: extraction failed on a document, which is still printed with no events and the flag
    "extract_failed"). An input with no text (RASD105) and a document read with replaced bytes are reported
    as warnings on stderr, and do not change the exit status. A last stderr line counts what went wrong.
    On a terminal, a progress display goes to stderr when the records go to a file or a pipe.
    """
    from .. import default_pipeline
    from .. import extract as run_pipeline
    from ..export import get_writer
    from ..pipeline import build_pipeline
    from ..readers import read

    debug = bool(ctx.find_root().obj and ctx.find_root().obj.get("debug"))
    check_input_format(input_format)
    writer = get_writer(fmt)
    pub = parse_published(published)
    failures: list[RasdError] = []
    counts = {"empty": 0, "warnings": 0}
    bar = display(progress, quiet, stdout_data=output == "-")
    say = bar.write if bar is not None else lambda line: click.echo(line, err=True)

    def report(err: RasdError) -> None:
        if isinstance(err, EmptyInputError):  # nothing to extract, nothing lost: a warning
            counts["empty"] += 1
            say(f"rasd: warning: {err}")
            return
        failures.append(err)
        say(f"rasd: error: {err}")

    def read_error(err: RasdError) -> None:
        report(err)
        tracker.advance(failed=0 if isinstance(err, EmptyInputError) else 1)

    def warn(message: str) -> None:
        counts["warnings"] += 1
        say(f"rasd: warning: {message}")

    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"--encoding '{encoding}' is not a known codec") from None
    reader = read(
        list(paths),
        input_format=input_format,
        published=pub,
        encoding=encoding,
        on_error=read_error,
        on_warning=warn,
        max_bytes=max_bytes_of(max_doc_mb),
    )
    apply_budget(doc_seconds, doc_mentions)
    pipeline = build_pipeline(extra=["ner"]) if ner else default_pipeline()
    total = estimate_total(list(paths), input_format) if bar is not None else None
    tracker = Tracker("extract", bar, total=total)

    def documents() -> Iterator[Document]:
        for doc in reader:
            try:
                done = run_pipeline(doc, published=pub, pipeline=pipeline)
            except Exception as exc:
                if debug:
                    raise
                where = f"{doc.meta.path or '<input>'} (document {doc.id})"
                if isinstance(exc, RasdError):
                    report(exc)
                else:
                    log.debug("pipeline failed on %s", where, exc_info=True)
                    report(
                        PipelineError(
                            f"internal error while extracting ({type(exc).__name__}: {exc}); "
                            "rerun with --debug for the traceback",
                            path=where,
                        )
                    )
                # still one record per input document (the gold contract): metadata, no events, flagged
                doc.events = []
                if EXTRACT_FAILED not in doc.flags:
                    doc.flags.append(EXTRACT_FAILED)
                tracker.advance(failed=1)
                yield doc
            else:
                tracker.advance()
                yield done

    try:
        if output == "-":
            try:
                n = writer(documents(), _stdout(), with_text=with_text, with_mentions=mentions)
            except BrokenPipeError:  # `rasd extract ... | head`: the reader went away, not an error
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                sys.exit(0)
        else:
            from ..store.output import atomic_output

            with atomic_output(output) as stream:  # a killed run never leaves a half file that looks whole
                n = writer(documents(), stream, with_text=with_text, with_mentions=mentions)
    finally:
        tracker.close()
    log.info("wrote %d document(s), %d error(s)", n, len(failures))
    if n == 0 and not failures and not counts["empty"]:
        click.echo(f"rasd: warning: no documents found in {' '.join(paths)}", err=True)
    if len(failures) + counts["empty"] + counts["warnings"] > 1:  # one problem: its own line says it all
        click.echo(f"rasd: {summary_line(n, failures, counts['empty'], counts['warnings'])}", err=True)
    if failures:
        sys.exit(max(err.exit_code for err in failures))


def summary_line(written: int, failures: list[RasdError], empty: int, warnings: int) -> str:
    """ "2 input(s) or record(s) failed (codes 104: 1, 106: 1); 12 document(s) written; empty 1, warnings 0".

    Codes are written without their RASD prefix so that a search for "RASD104" finds only the error lines.
    """
    by_code: dict[str, int] = {}
    for err in failures:
        code = err.code.removeprefix("RASD")
        by_code[code] = by_code.get(code, 0) + 1
    codes = ", ".join(f"{code}: {count}" for code, count in sorted(by_code.items()))
    failed = f"{len(failures)} input(s) or record(s) failed" + (f" (codes {codes})" if codes else "")
    return f"{failed}; {written} document(s) written; empty {empty}, warnings {warnings}"
