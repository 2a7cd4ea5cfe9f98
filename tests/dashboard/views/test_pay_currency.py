"""Every pay figure follows the sidebar's Pay currency (?cur=): with ?cur=EUR each page's pay
figures are the USD ones times the ECB rate of the data's date, the rate's date is shown, and the
choice survives navigation between pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from app_pages import app_on
from currency_converter import CurrencyConverter
from streamlit.testing.v1 import AppTest

from dashboard.queries import overview, pay
from dashboard.queries.filters import Filters
from dashboard.stats import currency
from etl.store import store_version

SURVEY_DAY = 2025  # the demo survey's latest work year -> the ECB rate of 1 July 2025
TABLE = CurrencyConverter(fallback_on_missing_rate=True)


def _open(store: Path, monkeypatch: pytest.MonkeyPatch, page: str | None, **params) -> AppTest:
    at = app_on(store, monkeypatch, **params)
    at.run() if page is None else at.switch_page(f"routes/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _amount(text: str) -> float:
    """'€123k' -> 123000.0, '$1.25M' -> 1250000.0."""
    m = re.search(r"([\d.,]+)([kM]?)", text)
    assert m, text
    return float(m.group(1).replace(",", "")) * {"": 1, "k": 1e3, "M": 1e6}[m.group(2)]


def test_overview_pay_metrics_are_in_the_chosen_currency_at_the_datas_date(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(demo_store, monkeypatch, None, cur="EUR")
    h = overview.headline(str(demo_store), store_version(demo_store), Filters())
    rate = currency.rate("EUR", SURVEY_DAY)
    survey = next(m for m in at.metric if m.label == "Median survey salary")
    assert survey.value == currency.money(h["median_survey"] * rate.per_usd, "EUR")
    assert survey.value != currency.money(h["median_survey"], "USD")
    assert any("ECB reference rate of 2025-07-01" in c.value for c in at.caption)
    assert any(currency.money(h["median_survey"] * rate.per_usd, "EUR") in m.value
               for m in at.markdown)  # fmt: skip
    usd = _open(demo_store, monkeypatch, None)
    survey = next(m for m in usd.metric if m.label == "Median survey salary")
    assert survey.value == currency.money(h["median_survey"], "USD")
    assert not any("ECB reference rate" in c.value for c in usd.caption)


def test_compare_pay_by_seniority_is_in_the_chosen_currency(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = "Machine Learning Engineer", "Data Scientist"
    at = _open(demo_store, monkeypatch, "compare", cur="EUR", a=[a], b=[b])
    q = pay.salary_quantiles(
        str(demo_store), store_version(demo_store), Filters(roles=(a, b)), "survey",
        ("role", "seniority"),
    )  # fmt: skip
    rate = currency.rate("EUR", SURVEY_DAY).per_usd
    spec = next(
        json.loads(c.proto.spec) for c in at.get("plotly_chart")
        if "Median annual pay by seniority" in c.proto.spec
    )  # fmt: skip
    labels = {t for trace in spec["data"] for t in trace["text"]}
    assert labels, "no bar labels"
    expected = {currency.money(v * rate, "EUR") for v in q["p50"].dropna()}
    assert labels <= expected and all(t.startswith("€") for t in labels)
    assert spec["layout"]["yaxis"]["title"]["text"] == "EUR per year"
    assert any("in EUR at the ECB reference rate of 2025-07-01" in c.value for c in at.caption)


def test_fit_role_pay_is_in_the_chosen_currency(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(demo_store, monkeypatch, "fit", cur="EUR", skill=["Python", "PyTorch"])
    table = next(d.value for d in at.dataframe if "Median pay (survey)" in d.value.columns)
    q = pay.salary_quantiles(
        str(demo_store), store_version(demo_store), Filters(), "survey", ("role",)
    ).set_index("role")
    rate = currency.rate("EUR", SURVEY_DAY).per_usd
    shown = table.set_index("Role")["Median pay (survey)"]
    checked = 0
    for role, text in shown.items():
        if text.startswith("€"):
            assert text.startswith(currency.money(q.loc[role, "p50"] * rate, "EUR") + " (")
            checked += 1
    assert checked, shown.tolist()
    assert any("Median pay (survey) in EUR at the ECB" in c.value for c in at.caption)


def test_skills_premium_medians_are_in_the_chosen_currency_and_percentages_stay(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def levels(at: AppTest) -> pd.DataFrame:
        return next(d.value for d in at.dataframe if "Median with" in d.value.columns)

    def premiums(at: AppTest) -> pd.DataFrame:
        return next(d.value for d in at.dataframe if "Raw premium" in d.value.columns)

    usd = _open(demo_store, monkeypatch, "skills", tab="Pay premium")
    eur = _open(demo_store, monkeypatch, "skills", tab="Pay premium", cur="EUR")
    day = currency.aggregate_day("advertised", None, None, (), _months(demo_store))
    rate = currency.rate("EUR", day).per_usd
    pairs = [
        (u, e)
        for u, e in zip(levels(usd)["Median with"], levels(eur)["Median with"], strict=True)
        if u != "—"
    ]
    assert pairs
    for u, e in pairs:
        assert u.startswith("$") and e.startswith("€")
        assert _amount(e) == pytest.approx(_amount(u) * rate, abs=1_000)  # both rounded to $1k
    pd.testing.assert_frame_equal(premiums(usd), premiums(eur))  # percentages do not convert
    assert any(f"Medians in EUR at the ECB reference rate of {day:%Y-%m-%d}" in c.value
               for c in eur.caption)  # fmt: skip


def _months(store: Path) -> tuple[str, ...]:
    from dashboard.queries import store as store_queries

    return store_queries.filter_options(str(store), store_version(store)).months


@pytest.mark.parametrize("table", ["postings", "salaries"])
def test_the_data_preview_adds_the_converted_pay_and_keeps_the_original(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    at = _open(demo_store, monkeypatch, "data", cur="EUR")
    if table == "salaries":
        at.radio(key="dl_table").set_value("salaries").run()
    rows = next(d.value for d in at.dataframe if "salary_eur" in d.value.columns)
    assert {"salary_usd", "eur_per_usd", "eur_rate_date"} <= set(rows.columns)
    if table == "postings":
        assert {"salary_min_local", "currency", "salary_period", "usd_rate", "rate_date"} <= set(
            rows.columns
        )
    priced = rows.dropna(subset=["salary_usd"]).head(5)
    assert len(priced)
    for r in priced.itertuples(index=False):
        day = pd.Timestamp(r.eur_rate_date).date()
        expected = TABLE.convert(r.salary_usd, "USD", "EUR", date=day)
        assert r.salary_eur == pytest.approx(expected, rel=1e-9)
        assert r.salary_eur != pytest.approx(r.salary_usd)
        if table == "salaries":
            assert day.isoformat() == f"{r.year}-07-01"
    usd = _open(demo_store, monkeypatch, "data")
    assert not any("salary_eur" in d.value.columns for d in usd.dataframe)


def test_the_currency_survives_navigation_between_pages(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open(demo_store, monkeypatch, None, cur="GBP", role=["Data Scientist"])
    for page in ("salary", "compare", "data", "overview"):
        # a browser's page link drops the address's query; the app writes ?cur= back
        del at.query_params["cur"]
        at.switch_page(f"routes/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.query_params["cur"] == "GBP", page
        assert at.selectbox(key="pay_currency").value == "GBP"
    assert not any("Ignored in the link" in w.value for w in at.warning)
