"""rasd.engines: where extraction runs. ``local`` (default, this process) or ``dask`` (a Dask cluster).

``get_engine(name, **options)`` returns an object with ``run(documents, extract) -> Iterator[EngineResult]``
(see :mod:`rasd.engines.base`); :func:`rasd.ingest.ingest` stores what it yields.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import EngineError
from .base import Engine, EngineResult, Extract

__all__ = ["ENGINES", "Engine", "EngineResult", "Extract", "get_engine"]

# name -> "module:class", imported on first use (dask is an optional extra)
ENGINES: dict[str, str] = {
    "local": "rasd.engines.local:LocalEngine",
    "dask": "rasd.engines.dask:DaskEngine",
}


def get_engine(name: str = "local", **options: Any) -> Engine:
    """Build the engine called ``name`` with its options (e.g. ``workers``, ``scheduler`` for dask)."""
    ref = ENGINES.get(name)
    if ref is None:
        raise EngineError(f"unknown engine '{name}'; known: {', '.join(ENGINES)}")
    module, _, cls = ref.partition(":")
    try:
        factory = getattr(importlib.import_module(module), cls)
    except ImportError as exc:
        raise EngineError(
            f"engine '{name}' is not available ({exc}); for dask: pip install 'rasd[dask]'"
        ) from exc
    engine: Engine = factory(**options)
    return engine
