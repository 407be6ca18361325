"""The pipeline checks its stage order and takes optional stages at their place in the flow."""

from __future__ import annotations

import pytest

from rasd.document import Document
from rasd.errors import PipelineError
from rasd.pipeline import FunctionStage, Pipeline, build_pipeline


def test_a_stage_that_needs_what_no_earlier_stage_provides_is_refused() -> None:
    late = FunctionStage("late", lambda d: d, requires=("sentences",))
    with pytest.raises(PipelineError, match="needs sentences"):
        Pipeline([late])


def test_default_flow_order() -> None:
    names = build_pipeline().names
    assert names[:2] == ["normalize", "segment"] and names[-1] == "events"
    assert names.index("places") < names.index("geocode") < names.index("events")
    assert "ner" not in names


def test_optional_ner_goes_before_the_event_coder() -> None:
    names = build_pipeline(extra=["ner"]).names
    assert names.index("ner") == names.index("events") - 1


def test_unknown_stages_are_named_in_the_error() -> None:
    with pytest.raises(PipelineError, match="nosuch"):
        build_pipeline(extra=["nosuch"])
    with pytest.raises(PipelineError, match="nosuch"):
        build_pipeline(["normalize", "nosuch"])


def test_timings_are_recorded_per_stage() -> None:
    pipe = build_pipeline(["normalize", "segment"])
    pipe(Document("d", "قصفت قوات النظام بلدة الخوين. وقتل مدنيان."))
    assert set(pipe.timings) == {"normalize", "segment"}
