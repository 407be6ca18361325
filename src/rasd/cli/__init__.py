"""The `rasd` command: a thin click layer over the Python API. Only this layer prints and picks exit codes."""

from __future__ import annotations

import logging
import sys
from typing import Any

import click

from .. import __version__
from ..errors import OutputError, RasdError


class RasdGroup(click.Group):
    """Turn library errors into one line on stderr and a non-zero exit (traceback only with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RasdError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"rasd: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # stdout or stderr on a full disk, a closed descriptor...
            if (ctx.obj and ctx.obj.get("debug")) or isinstance(exc, BrokenPipeError):
                raise
            from ..store.output import write_failed

            _last_words(f"rasd: error: {write_failed(exc, '<stdout>')}")
            sys.exit(OutputError.exit_code)


def _last_words(line: str) -> None:
    """Print one error line on stderr, even when stderr itself cannot be written (then stay silent)."""
    try:
        click.echo(line, err=True)
    except (OSError, ValueError):
        pass


@click.group(cls=RasdGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rasd")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def main(ctx: click.Context, debug: bool, verbose: bool) -> None:
    """rasd (رصد): Arabic conflict news -> geocoded, evidence-linked ACLED/PLOVER events."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    level = logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _register() -> None:
    # one module per command; each defines a click command named like the module
    from . import extract

    main.add_command(extract.extract)
    from . import train  # learned models (rasd.models)

    main.add_command(train.train)
    from . import export_cmd, ingest, query  # store commands (rasd.store)

    for command in (ingest.ingest, query.query, export_cmd.export):
        main.add_command(command)
    from .serve import serve  # web API and page (rasd.web)

    main.add_command(serve)
    from .geocode import geocode  # rasd.geo

    main.add_command(geocode)
    from .eval import eval_  # scoring (rasd.eval)

    main.add_command(eval_)


_register()
