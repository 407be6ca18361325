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


PARTIAL_MARK = ".partial-"  # a file being written is ".<name>.partial-<pid>" next to where it will be renamed


def partial_path(path: str | os.PathLike[str], pid: int | None = None) -> Path:
    """The hidden name a file for ``path`` is written under until it is complete and renamed into place
    (hidden: dataset readers skip names starting with ``.``; the pid: whether its writer still runs)."""
    target = Path(path)
    return target.with_name(f".{target.name}{PARTIAL_MARK}{os.getpid() if pid is None else pid}")


def remove_dead_partials(folder: str | os.PathLike[str], target: str | None = None) -> list[Path]:
    """Delete the partial files in ``folder`` (only those of the file named ``target`` when given) whose
    writing process is gone: what a killed run left. Those of a live writer are kept. Returns what went."""
    removed = []
    try:
        candidates = sorted(Path(folder).glob(f".*{PARTIAL_MARK}*"))
    except OSError:
        return []
    for cand in candidates:
        name, _, pid_text = cand.name[1:].rpartition(PARTIAL_MARK)
        if (target is not None and name != target) or not pid_text.isdigit() or pid_alive(int(pid_text)):
            continue
        try:
            cand.unlink()
        except OSError:
            continue
        removed.append(cand)
    return removed
