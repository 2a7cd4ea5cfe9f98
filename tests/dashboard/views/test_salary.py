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


TABS = {
    "By role": ("Role", ("role",)),
    "By seniority": ("Seniority", ("seniority",)),
    "By region": ("Region", ("region",)),
    "By country": ("Country code", ("country_code",)),
    "Trend by year": ("Year", ("year",)),
}


@pytest.mark.parametrize("tab", list(TABS))
def test_only_the_open_tab_is_drawn_and_queried(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, tab: str
) -> None:
    from dashboard.queries import pay

    asked: list[tuple[str, ...]] = []
    real = pay.salary_quantiles

    def spy(store: str, version: str, f: object, kind: str, by: tuple[str, ...] = ()) -> object:
        asked.append(by)
        return real(store, version, f, kind, by)

    monkeypatch.setattr(pay, "salary_quantiles", spy)
    at = app_on(demo_store, monkeypatch, tab=tab)
    at.run()
    asked.clear()
    at.switch_page("routes/salary.py").run()
    _no_exception(at, f"salary, {tab}")
    first_column, grouping = TABS[tab]
    assert set(asked) == {(), grouping}  # the headline median and the open tab's groups only
    assert [df.value.columns[0] for df in at.dataframe] == [first_column]
