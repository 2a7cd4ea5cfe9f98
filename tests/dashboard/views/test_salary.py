"""The Salary page in AppTest (dashboard/views/salary/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_pages import app_on
from streamlit.testing.v1 import AppTest


def _no_exception(at: AppTest, where: str) -> None:
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"


def test_small_groups_are_hidden_with_a_reason_on_the_salary_page(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.query_params["region"] = "Oceania"
    at.run()
    at.switch_page("routes/salary.py").run()
    _no_exception(at, "salary, Oceania")
    table = at.dataframe[0].value
    hidden = table[table["note"] != ""]
    assert not hidden.empty
    assert hidden["note"].str.contains("fewer than").all()
    assert (hidden.loc[hidden["note"].str.startswith("hidden"), "median"] == "—").all()
