"""rasd.events: trigger-based ACLED event and PLOVER statement coding (stage "events").

See docs/codebook.md for how Arabic wording becomes each field.
"""

from __future__ import annotations

from .coder import EventCoder, code_events, event_id

__all__ = ["EventCoder", "code_events", "event_id"]
