"""Request limits and safe response headers, as one small pure-ASGI middleware in front of the app.

rasd serves text written by parties to a war and may be reachable by people who want it down. Oversized
requests are refused *before* any work is done (no body is buffered, no route runs): a request body over
``max_body_bytes`` answers 413 (the declared ``Content-Length`` is checked first, and the bytes of a chunked
body are counted as they arrive), a path + query string over ``max_url_bytes`` answers 414, more than
``max_query_params`` query parameters or a NUL byte in the query answers 400. Every response gets the security
headers (Content-Security-Policy, nosniff, no referrer, no framing).

Pure ASGI rather than ``BaseHTTPMiddleware`` (``@app.middleware("http")``) on purpose: that one wraps every
response in a memory stream and a task group, which costs time under load and delays streamed downloads.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException

from .limits import Limits

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = ["BodyTooLarge", "GuardMiddleware", "Limits"]


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit; FastAPI lets HTTPExceptions through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit} bytes; send less (reviews are small JSON objects)")


def _refusal(status: int, code: str, message: str) -> tuple[Message, Message]:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class GuardMiddleware:
    """Refuses oversized requests cheaply and adds ``headers`` (name -> value) to every HTTP response.

    ``path_headers`` overrides headers for exact paths (``/docs`` needs one inline script).
    """

    def __init__(
        self,
        app: ASGIApp,
        limits: Limits,
        headers: dict[str, str],
        path_headers: dict[str, dict[str, str]] | None = None,
    ) -> None:
        self.app = app
        self.limits = limits
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.path_headers = {
            p: [(k.lower().encode(), v.encode()) for k, v in h.items()]
            for p, h in (path_headers or {}).items()
        }

    def _check(self, scope: Scope) -> tuple[int, str, str] | None:
        lim = self.limits
        raw_path: bytes = scope.get("raw_path") or scope.get("path", "").encode()
        query: bytes = scope.get("query_string") or b""
        if len(raw_path) + (len(query) + 1 if query else 0) > lim.max_url_bytes:
            return 414, "uri_too_long", f"URL over {lim.max_url_bytes} bytes; use shorter filters"
        if query:
            n = sum(1 for part in query.split(b"&") if part)
            if n > lim.max_query_params:
                return 400, "too_many_parameters", f"{n} query parameters; at most {lim.max_query_params}"
            if b"%00" in query or b"\x00" in query:
                return 400, "bad_request", "NUL byte in the query string; send text without it"
        length = None
        for name, value in scope.get("headers") or ():
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    return 400, "bad_request", "Content-Length is not a number"
                if length < 0:
                    return 400, "bad_request", "Content-Length is negative"
        if length is not None and length > lim.max_body_bytes:
            return 413, "too_large", f"request body of {length} bytes is over {lim.max_body_bytes}"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.path_headers.get(scope.get("path", ""), [])
        names = {k for k, _ in extra}
        headers = extra + [(k, v) for k, v in self.headers if k not in names]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                have = {k.lower() for k, _ in message.get("headers") or ()}
                message["headers"] = [
                    *(message.get("headers") or ()),
                    *((k, v) for k, v in headers if k not in have),
                ]
            await send(message)

        refused = self._check(scope)
        if refused is not None:
            start, body = _refusal(*refused)
            await send_with_headers(start)
            await send_with_headers(body)
            return

        limit = self.limits.max_body_bytes
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLarge as exc:  # raised where no exception handler turned it into a response
            if started:
                raise
            start, body = _refusal(413, "too_large", str(exc.detail))
            await send_with_headers(start)
            await send_with_headers(body)
