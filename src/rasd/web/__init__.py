"""rasd.web: the HTTP API and the analyst page behind `rasd serve`.

    from rasd.web import create_app
    app = create_app("rasd.db", token="s3cret")     # then: uvicorn.run(app, host="127.0.0.1", port=8000)

See docs/web.md for the endpoints, the review loop and how the page is built and tested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(db: str | None = None, token: str | None = None, **options: Any) -> FastAPI:
    """See :func:`rasd.web.app.create_app` (imported lazily: FastAPI is only loaded when serving)."""
    from .app import create_app as _create_app

    return _create_app(db, token, **options)
