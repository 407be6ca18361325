"""How much one HTTP request may weigh (enforced by :class:`rasd.web.guard.GuardMiddleware`).

A module of its own, with no web imports, so that `rasd serve --help` shows the defaults without loading FastAPI.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """What one request may weigh. The defaults fit the API: reviews are a few hundred bytes, queries short."""

    max_body_bytes: int = 1 << 20  # 1 MiB
    max_url_bytes: int = 8192  # path + "?" + query string, as sent (percent-encoded)
    max_query_params: int = 64

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_url_bytes", "max_query_params"):
            if int(getattr(self, name)) < 1:
                raise ValueError(f"{name} must be at least 1")
