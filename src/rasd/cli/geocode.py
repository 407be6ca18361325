"""`rasd geocode TEXT`: the places of a phrase or article and how each was resolved (JSON or a table)."""

from __future__ import annotations

import json
import sys

import click


@click.command("geocode")
@click.argument("text", required=False)
@click.option(
    "--file", "path", type=click.Path(exists=True, dir_okay=False), help="Read the text from a file."
)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
def geocode(text: str | None, path: str | None, fmt: str) -> None:
    """Geocode the Arabic place phrases of TEXT (or --file, or stdin), e.g. rasd geocode "بلدة الخوين بريف إدلب"."""
    from ..geo import geocode as run

    if path is not None:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    elif text is None or text == "-":
        text = sys.stdin.read()
    results = run(text)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return
    cols = (
        "location_ar",
        "pcode",
        "location",
        "admin1",
        "admin2",
        "geo_precision",
        "latitude",
        "longitude",
        "reason",
    )
    rows = [[str(getattr(r, c)) if getattr(r, c) is not None else "-" for c in cols] for r in results]
    widths = [max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(cols)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    for row in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
