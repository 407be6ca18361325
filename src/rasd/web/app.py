"""The FastAPI app behind `rasd serve`: JSON API under /api, the analyst page at /, OpenAPI at /docs.

Everything is served from the package (``web/static``): no CDN, no tile server unless one is configured.
Write endpoints (reviews) need the server's token (``Authorization: Bearer TOKEN`` or ``X-Rasd-Token``);
without a token configured the server is read-only. Errors are ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import csv
import hmac
import io
import logging
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import STORE_DOWN, RasdError
from ..store.filters import Filters
from .backend import STATS_BY, Backend, NotFound
from .exports import ACLED_COLUMNS, acled_rows, geojson_chunks, gold_lines
from .filters import MAX_TEXT, FilterError, parse_filters
from .guard import GuardMiddleware, Limits
from .storeview import open_backend

log = logging.getLogger(__name__)

STATIC = resources.files("rasd.web") / "static"

SECURITY_HEADERS = {
    # the page loads only its own scripts; article text is never HTML, and this is a second line of defence
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: {tiles}; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _err(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


class ReviewIn(BaseModel):
    """One analyst decision on an event."""

    action: Literal["accept", "reject", "correct"]
    changes: dict[str, Any] | None = Field(
        default=None, description="for 'correct': {field: new value}, e.g. {\"fatalities\": 3}"
    )
    reviewer: str | None = Field(
        default=None, max_length=200, description="who (defaults to X-Rasd-Reviewer)"
    )
    comment: str | None = Field(default=None, max_length=2000)


def _filters(
    since: Annotated[str | None, Query(description="events on or after YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="events on or before YYYY-MM-DD")] = None,
    type: Annotated[str | None, Query(description="ACLED event type, e.g. Battles")] = None,
    sub_type: Annotated[str | None, Query(description="ACLED sub-event type, e.g. Armed clash")] = None,
    actor: Annotated[str | None, Query(description="actor name contains (English or Arabic)")] = None,
    country: Annotated[str | None, Query()] = None,
    admin1: Annotated[str | None, Query(description="governorate, e.g. Idlib")] = None,
    near: Annotated[str | None, Query(description="LAT,LON,KM")] = None,
    text: Annotated[
        str | None, Query(description="words in the article or evidence (Arabic variants folded)")
    ] = None,
    min_fatalities: Annotated[str | None, Query()] = None,
    modality: Annotated[str | None, Query(description="reported, claimed, alleged or denied")] = None,
    document_id: Annotated[str | None, Query(description="only events of this document")] = None,
    include_rejected: Annotated[bool, Query(description="keep events an analyst rejected")] = False,
) -> Filters:
    return parse_filters(
        since=since,
        until=until,
        type=type,
        sub_type=sub_type,
        actor=actor,
        country=country,
        admin1=admin1,
        near=near,
        text=text,
        min_fatalities=min_fatalities,
        modality=modality,
        document_id=document_id,
        include_rejected=include_rejected,
    )


FilterParams = Annotated[Filters, Depends(_filters)]
MAX_OFFSET = 1_000_000  # deeper pages: narrow the filters (an SQL OFFSET this deep scans every skipped row)
Limit = Annotated[int, Query(ge=1, le=5000, description="page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]


def create_app(
    db: str | None = None,
    token: str | None = None,
    *,
    backend: Backend | None = None,
    tiles: str | None = None,
    tiles_attribution: str | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The app for the store at ``db`` (or an already-open ``backend``); ``token`` enables reviews.

    ``limits`` bounds request size (body, URL, number of query parameters): see :class:`rasd.web.guard.Limits`.
    """
    if backend is None:
        if not db:
            raise RasdError("create_app needs db or backend")
        backend = open_backend(db)
    store: Backend = backend

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        yield
        store.close()

    app = FastAPI(
        title="rasd",
        version=__version__,
        description=(
            "Arabic conflict-news events (ACLED/PLOVER), geocoded and evidence-linked. Read endpoints are open; "
            "review endpoints need the server token as `Authorization: Bearer TOKEN`."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.backend = store
    csp = SECURITY_HEADERS["Content-Security-Policy"].format(tiles=_origin(tiles) if tiles else "")

    docs_csp = csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
    app.add_middleware(
        GuardMiddleware,
        limits=limits or Limits(),
        headers={**SECURITY_HEADERS, "Content-Security-Policy": csp},
        # Swagger UI's page starts itself with one inline script
        path_headers={"/docs": {"Content-Security-Policy": docs_csp}},
    )

    # -- errors: always {"error": {"code", "message"}} ----------------------------------------------------
    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _err(exc.status, exc.code, exc.message)

    @app.exception_handler(FilterError)
    async def filter_error(_: Request, exc: FilterError) -> JSONResponse:
        return _err(400, "bad_request", exc.message)

    @app.exception_handler(NotFound)
    async def not_found(_: Request, exc: NotFound) -> JSONResponse:
        return _err(404, "not_found", exc.message)

    @app.exception_handler(RasdError)
    async def rasd_error(_: Request, exc: RasdError) -> JSONResponse:
        log.warning("request failed: %s", exc)
        # the database gone, full, damaged or read-only: the server cannot answer now (503), never a silent 200
        status = 503 if isinstance(exc, STORE_DOWN) else 500
        return _err(status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "body", "path"))
            parts.append(f"{where or 'request'}: {e.get('msg')}")
        return _err(400, "bad_request", "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return _err(exc.status_code, code, str(exc.detail))

    # -- auth ------------------------------------------------------------------------------------------------
    def require_token(
        authorization: Annotated[str | None, Header()] = None,
        x_rasd_token: Annotated[str | None, Header()] = None,
    ) -> None:
        if not token:
            raise ApiError(
                403, "read_only", "this server is read-only: start it with --token (or RASD_TOKEN)"
            )
        given = x_rasd_token
        if authorization and authorization.lower().startswith("bearer "):
            given = authorization[7:].strip()
        if not given:
            raise ApiError(401, "unauthorized", "send the analyst token as 'Authorization: Bearer TOKEN'")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(403, "forbidden", "wrong token")

    # -- pages -----------------------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"), media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="rasd API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # -- read API --------------------------------------------------------------------------------------------
    @app.get("/api/config", tags=["meta"])
    def config() -> dict[str, Any]:
        """What the page needs to know: can it write reviews, which tile layer (if any), corpus summary."""
        return {
            "version": __version__,
            "review_enabled": bool(token),
            "tiles": tiles,
            "tiles_attribution": tiles_attribution,
            "summary": store.summary(),
        }

    @app.get("/api/events", tags=["events"])
    def list_events(f: FilterParams, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        """Events matching the filters (newest first), reviewed view, paginated."""
        items, total = store.events(f, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "filters": f.given(), "items": items}

    @app.get("/api/events.geojson", tags=["downloads"])
    def events_geojson(f: FilterParams) -> StreamingResponse:
        """GeoJSON FeatureCollection of the matching events that have coordinates (corrections applied)."""
        return _download(
            geojson_chunks(_pages(store, f), include_rejected=f.include_rejected),
            media_type="application/geo+json",
            headers={"Content-Disposition": 'attachment; filename="rasd-events.geojson"'},
        )

    @app.get("/api/events.csv", tags=["downloads"])
    def events_csv(
        f: FilterParams,
        bom: Annotated[bool, Query(description="start with a UTF-8 byte-order mark (Excel)")] = False,
    ) -> StreamingResponse:
        """ACLED-format CSV (the 31 standard columns, then rasd_event_id) of the matching events, corrections
        applied: the same rows and tags as `rasd export -f acled-csv`."""
        evs = _pages(store, f)

        def gen() -> Iterator[str]:
            if bom:
                yield "\ufeff"
            buf = io.StringIO()
            w = csv.writer(buf)
            w.writerow(ACLED_COLUMNS)
            for row in acled_rows(evs, include_rejected=f.include_rejected):
                w.writerow(row)
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
            yield buf.getvalue()

        return _download(
            gen(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="rasd-events-acled.csv"'},
        )

    @app.get("/api/events/{event_id}", tags=["events"])
    def get_event(event_id: str) -> dict[str, Any]:
        """One event with its review history and the other sources of its incident."""
        return store.event(event_id)

    @app.get("/api/incidents", tags=["incidents"])
    def list_incidents(f: FilterParams, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
        """Incidents (events of several articles grouped) with at least one matching event."""
        items, total = store.incidents(f, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "filters": f.given(), "items": items}

    @app.get("/api/incidents/{incident_id}", tags=["incidents"])
    def get_incident(incident_id: str) -> dict[str, Any]:
        return store.incident(incident_id)

    @app.get("/api/documents/{doc_id}", tags=["documents"])
    def get_document(doc_id: str) -> dict[str, Any]:
        """The article: original text, metadata, events, and spans (mentions + event evidence) to highlight."""
        return store.document(doc_id)

    @app.get("/api/search", tags=["documents"])
    def search(
        q: Annotated[
            str, Query(min_length=1, max_length=MAX_TEXT, description="words (Arabic variants folded)")
        ],
        limit: Limit = 20,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Full-text search over the articles."""
        items, total = store.search(q, limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "q": q, "items": items}

    @app.get("/api/stats", tags=["events"])
    def stats(
        f: FilterParams,
        by: Annotated[str, Query(description="|".join(STATS_BY))] = "type",
    ) -> dict[str, Any]:
        """Event and fatality counts grouped by type, admin1, week... over the matching events."""
        if by not in STATS_BY:
            raise ApiError(400, "bad_request", f"by='{by}' unknown; use one of {', '.join(STATS_BY)}")
        return {"by": by, "filters": f.given(), "items": store.stats(by, f)}

    # -- review loop -----------------------------------------------------------------------------------------
    @app.post("/api/events/{event_id}/review", tags=["review"], dependencies=[Depends(require_token)])
    def review_event(
        event_id: str,
        body: ReviewIn,
        x_rasd_reviewer: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        """Accept, reject or correct fields of an event (needs the token). Returns the reviewed event."""
        who = body.reviewer or x_rasd_reviewer or "analyst"
        return store.review(event_id, body.action, body.changes, who, body.comment)

    @app.get("/api/reviews", tags=["review"])
    def list_reviews(limit: Limit = 200, offset: Offset = 0) -> dict[str, Any]:
        """The review log, newest first: who, when, action, field, before, after."""
        items, total = store.reviews(limit, offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/api/export/gold.jsonl", tags=["downloads", "review"])
    def export_gold(include_unreviewed: bool = False, include_partial: bool = False) -> StreamingResponse:
        """Fully reviewed articles as gold JSONL (the ../shared/gold format): one line per article whose every
        event an analyst decided, rejected events left out; ``include_partial`` adds partly reviewed articles
        and ``include_unreviewed`` all, marked ``review_complete: false``."""
        return _download(
            gold_lines(store, include_unreviewed=include_unreviewed, include_partial=include_partial),
            media_type="application/x-ndjson; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="rasd-gold.jsonl"'},
        )

    return app


def _download(
    chunks: Iterable[str | bytes], *, media_type: str, headers: dict[str, str]
) -> StreamingResponse:
    """A download written whole to a spool (memory up to 8 MB, then a temporary file) before the first byte
    is sent, with its Content-Length: an error while reading the store becomes an error status, never a 200
    with a cut-off body that looks complete."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)
    try:
        for chunk in chunks:
            spool.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    except BaseException:
        spool.close()
        raise
    size = spool.tell()
    spool.seek(0)

    def body() -> Iterator[bytes]:
        with spool:
            while block := spool.read(1 << 16):
                yield block

    return StreamingResponse(body(), media_type=media_type, headers={**headers, "Content-Length": str(size)})


def _pages(store: Backend, f: Filters, page: int = 500) -> Iterator[dict[str, Any]]:
    """Every matching event, read page by page as a download streams: memory stays one page whatever the
    store holds (a download of ten million events must not take the server down)."""
    offset = 0
    while True:
        items, total = store.events(f, page, offset)
        yield from items
        offset += len(items)
        if not items or offset >= total:
            return


def _origin(url: str) -> str:
    """``https://tile.example.org/{z}/{x}/{y}.png`` -> ``https://tile.example.org`` (for the CSP)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}.", ""))
    host = parts.netloc
    if "{s}" in url:
        return f"{parts.scheme}://*.{host}"
    return f"{parts.scheme}://{host}"
