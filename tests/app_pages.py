"""Helpers of the AppTest page tests (tests/dashboard/views/, tests/dashboard/test_app.py): the
app on a given store with a given address, and a table found by its first column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT_S = 180
"""How long one script run may take (a real-store page on a busy 2-core machine)."""


def app_on(store: Path, monkeypatch: pytest.MonkeyPatch, **params: str | list[str]) -> AppTest:
    """The whole app (its router) on ``store``, with ``params`` in the address; not run yet."""
    monkeypatch.setenv("AIJOBS_STORE", str(store))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def table_starting_with(at: AppTest, first_column: str, having: str | None = None) -> pd.DataFrame:
    """The first st.dataframe whose first column is ``first_column`` (and has a column
    ``having``); AssertionError naming both when there is none."""
    for df in at.dataframe:
        if df.value.columns[0] == first_column and (having is None or having in df.value):
            return df.value
    raise AssertionError(f"no table starting with {first_column!r} with {having!r}")
