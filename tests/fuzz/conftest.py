"""Hypothesis profiles of the fuzzing harness (issue #10), chosen with the RASD_FUZZ environment variable.

``ci`` (default): a few dozen examples per target, derandomized (the same inputs on every run, so CI is stable),
no deadline (a shared 2-core runner is slow; a per-example alarm catches real hangs instead). ``long``: thousands
of examples from a random seed, for a run by hand (``fuzz/run.sh``); a failure prints its seed and a
``@reproduce_failure`` blob. The profiles are registered here, not globally: the fuzz tests pick theirs with
:func:`fuzz_settings`, so other hypothesis tests in the same session keep their own settings.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("RASD_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW,
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("RASD_FUZZ_EXAMPLES", "5000")),
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=_SLOW,
)
