"""Derived knowledge kept as a pickle in the cache folder, rebuilt when its inputs change.

Every refresh process, and every Dask worker, needs the gazetteer index and the exchange-rate
table; building them reads big files (seconds, or ~0.6 s for the ECB rates), loading the pickle
of what was built takes a tenth of that. A pickle is named after a token of its inputs, so a
changed input file or library version builds (and writes) a new one; a cache that cannot be
read or written only makes the load slower, never wrong.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from typing import BinaryIO, TypeVar

from etl.config import cache_dir

T = TypeVar("T")


def unpickle(fh: BinaryIO) -> object:
    """``pickle.load`` with the cyclic garbage collector paused: the cached objects are millions
    of small objects, none of them garbage, and the collections their allocation triggers took
    about half of the load (~1 s of every refresh process); the loaded object is the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()


def load_or_build(name: str, token: str, build: Callable[[], T]) -> T:
    """The object cached as ``{name}-{token}.pickle``, or ``build()`` written there first."""
    cached = cache_dir() / f"{name}-{token}.pickle"
    try:
        with open(cached, "rb") as fh:
            return unpickle(fh)  # type: ignore[return-value]
    except (OSError, pickle.PickleError, EOFError, AttributeError):
        pass
    built = build()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(built, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:  # a read-only checkout still works, only slower
        pass
    return built
