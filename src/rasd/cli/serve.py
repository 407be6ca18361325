"""`rasd serve`: the HTTP API and the analyst page over a store (or `rasd extract` JSONL output)."""

from __future__ import annotations

import os

import click

from ..errors import ServeError
from ..web.limits import Limits


@click.command()
@click.option(
    "--db",
    default="rasd.db",
    show_default=True,
    help="Database written by `rasd ingest` (SQLite path or postgresql:// URL), or `rasd extract` JSONL.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind. The default is this machine only; 0.0.0.0 exposes the server to the network.",
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one)."
)
@click.option(
    "--token",
    envvar="RASD_TOKEN",
    default=None,
    show_envvar=True,
    help="Analyst token: enables reviews (accept / reject / correct). Without it the server is read-only.",
)
@click.option(
    "--tiles",
    envvar="RASD_TILES",
    default=None,
    show_envvar=True,
    help="Optional online tile layer URL template, e.g. https://tile.example.org/{z}/{x}/{y}.png. "
    "By default the map is fully offline (bundled boundaries).",
)
@click.option("--tiles-attribution", default=None, help="Attribution text shown for --tiles.")
@click.option(
    "--max-body",
    default=Limits.max_body_bytes,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body in bytes (reviews are small); bigger answers 413 before it is read.",
)
@click.option(
    "--max-url",
    default=Limits.max_url_bytes,
    show_default=True,
    type=click.IntRange(1),
    help="Longest path + query string in bytes; longer answers 414.",
)
@click.option(
    "--max-params",
    default=Limits.max_query_params,
    show_default=True,
    type=click.IntRange(1),
    help="Most query parameters in one request; more answers 400.",
)
@click.option(
    "--limit-concurrency",
    default=200,
    show_default=True,
    type=click.IntRange(1),
    help="Connections + requests in progress at once; beyond it the server answers 503 at once "
    "instead of queueing without bound.",
)
@click.option(
    "--timeout-keep-alive",
    default=5,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds an idle keep-alive connection stays open.",
)
@click.option(
    "--log-level",
    default="warning",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    db: str,
    host: str,
    port: int,
    token: str | None,
    tiles: str | None,
    tiles_attribution: str | None,
    max_body: int,
    max_url: int,
    max_params: int,
    limit_concurrency: int,
    timeout_keep_alive: int,
    log_level: str,
) -> None:
    """Serve the web page and the JSON API (OpenAPI at /docs) for DB; prints the URL."""
    import socket

    import uvicorn

    from ..web.app import create_app

    if not db.startswith(("postgresql://", "postgres://")) and not os.path.exists(db):
        raise ServeError(f"{db}: no such database; build one with `rasd ingest FILES --db {db}`")
    limits = Limits(max_body_bytes=max_body, max_url_bytes=max_url, max_query_params=max_params)
    app = create_app(db, token or None, tiles=tiles, tiles_attribution=tiles_attribution, limits=limits)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}; pick another --port") from None
    bound_port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"rasd: serving {db} at http://{shown}:{bound_port}/ (API docs: /docs; "
        f"{'reviews enabled' if token else 'read-only: no --token'}); Ctrl+C to stop",
        err=False,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            "rasd: warning: listening beyond this machine; anyone who can reach it can read the data",
            err=True,
        )
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=log_level in ("info", "debug"),
        limit_concurrency=limit_concurrency,
        timeout_keep_alive=timeout_keep_alive,
        server_header=False,  # do not advertise the server software and version
    )
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
