from __future__ import annotations

import pytest

from rasd.pipeline import Pipeline, build_pipeline


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    """The default pipeline, as the event tests run it."""
    return build_pipeline()
