"""Shared pieces of the fuzz targets: the active profile and a per-example alarm that turns a hang into a
failure (hypothesis' own deadline is off: a slow shared runner is not a bug, a loop that never ends is)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from hypothesis import settings

PROFILE = os.environ.get("RASD_FUZZ", "ci")
# seconds one example may take before it counts as a hang (inputs are at most a few kB)
HANG_S = float(os.environ.get("RASD_FUZZ_HANG_S", "20"))


def fuzz_settings() -> settings:
    """The settings profile named by RASD_FUZZ (registered in tests/fuzz/conftest.py)."""
    return settings.get_profile(PROFILE)


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in rasd can swallow it."""


@contextmanager
def no_hang(what: str) -> Iterator[None]:
    """Fail with :class:`Hang` when the block runs longer than HANG_S seconds (main thread, POSIX only)."""

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"{what} ran longer than {HANG_S:g} s")

    if not hasattr(signal, "setitimer"):
        yield
        return
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
