"""Whether a process still runs: how rasd tells a killed run's leftovers (partial files, "running" rows) from
those of a run that is still going."""

from __future__ import annotations

import os
from pathlib import Path


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine. A zombie (dead, waiting for a parent to reap it: the
    usual fate of a killed run's workers in a container whose init does not reap) counts as gone, since it
    can write nothing more. When it cannot tell (someone else's process, a pid the OS refuses to probe) it
    answers True, so callers keep what may still be in use."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # gone, or not a pid at all
        return False
    except OSError:  # exists but belongs to someone else, or cannot tell
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether ``pid`` is a zombie (Linux ``/proc``; elsewhere this cannot tell and answers False)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[-1].split()  # the name in parentheses may hold spaces
    return bool(fields) and fields[0] in ("Z", "X")
