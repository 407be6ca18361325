"""Whether a process still runs: how rasd tells a killed run's leftovers (partial files, "running" rows) from
those of a run that is still going."""

from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine. When it cannot tell (someone else's process, a pid the
    OS refuses to probe) it answers True, so callers keep what may still be in use."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # gone, or not a pid at all
        return False
    except OSError:  # exists but belongs to someone else, or cannot tell
        return True
    return True
