"""The offer checker, skill movers, pay currency, lifetime section and About page in AppTest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from app_pages import app_on
from streamlit.testing.v1 import AppTest

from dashboard.queries import offer as offer_queries
from dashboard.stats import currency, offer
from etl.contract import columns
from etl.store import publish, store_version


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# ------------------------------------------------------------------------- Is this offer good?
def test_the_offer_page_gives_the_percentile_of_the_offer_in_its_cell(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/offer.py").run()
    _ok(at)
    assert any("Enter the offered pay" in i.value for i in at.info)
    role = at.selectbox(key="offer_orole").value
    at.number_input(key="offer_pay").set_value(150_000.0).run()
    _ok(at)
    frame, _ = offer_queries.role_pay(str(demo_store), store_version(demo_store), role, "survey")
    expected = offer.locate(150_000.0, frame, offer.cell_ladder(role, "any", None, None), 30)
    assert at.metric[0].value == f"{expected.percentile:.0f}th"
    assert at.metric[0].label == f"Percentile in {role}, anywhere"
    assert "pay" not in at.query_params, "the typed pay must not reach the URL before Share"


def test_the_offer_in_another_currency_and_period_is_converted_and_shared_on_click(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/offer.py").run()
    at.selectbox(key="offer_pay_cur").set_value("EUR")
    at.selectbox(key="offer_per").set_value("month")
    at.number_input(key="offer_pay").set_value(6000.0).run()
    _ok(at)
    rate = currency.rate("EUR", None)
    assert any(f"{currency.money(72_000, 'EUR')} a year" in m.value for m in at.markdown)
    assert any(f"ECB reference rate of {rate.date:%Y-%m-%d}" in m.value for m in at.markdown)
    role = at.selectbox(key="offer_orole").value
    frame, _ = offer_queries.role_pay(str(demo_store), store_version(demo_store), role, "survey")
    pos = offer.locate(72_000 / rate.per_usd, frame, offer.cell_ladder(role, "any", None, None), 30)
    assert at.metric[0].value == f"{pos.percentile:.0f}th"
    assert "pay" not in at.query_params
    at.button(key="offer_share").click().run()
    shared = {k: at.query_params[k] for k in ("pay", "pay_cur", "per")}
    assert shared == {"pay": "6000.0", "pay_cur": "EUR", "per": "month"}
    at.number_input(key="offer_pay").set_value(7000.0).run()
    assert "pay" not in at.query_params, "a changed offer no longer matches the shared link"


def test_a_shared_offer_link_opens_with_its_inputs_and_a_thin_cell_is_widened(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(
        demo_store,
        monkeypatch,
        pay="90000",
        per="year",
        orole="Research Scientist",
        olevel="executive",
        oplace="NZ",
    )
    at.switch_page("routes/offer.py").run()
    _ok(at)
    assert at.number_input(key="offer_pay").value == 90_000
    assert at.selectbox(key="offer_oplace").value == "NZ"
    widened = [c.value for c in at.caption if c.value.startswith("Widened:")]
    assert widened and "Research Scientist, executive in New Zealand" in widened[0]


# ------------------------------------------------------------------------- skill movers
def test_skill_movers_open_on_two_halves_of_a_year_and_read_periods_from_the_url(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch, tab="Movers")
    at.switch_page("routes/skills.py").run()
    _ok(at)
    assert "Skill movers" in [s.value for s in at.subheader]
    assert any("First shown: H1 2025 against H2 2025" in c.value for c in at.caption)
    at = app_on(demo_store, monkeypatch, tab="Movers", ma="2023-01~2023-12", mb="2025-01~2025-12")
    at.switch_page("routes/skills.py").run()
    _ok(at)
    caps = [c.value for c in at.caption]
    assert any("n = " in c and "in 2023" in c and "in 2025" in c for c in caps)


def test_skill_movers_keep_their_two_periods_when_the_page_runs_again(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # seen in the browser: any rerun (another role picked) turned each period into one month
    # ("ma=-~3" in the URL) and the section failed with a ValueError
    at = app_on(demo_store, monkeypatch, tab="Movers")
    at.switch_page("routes/skills.py").run()
    _ok(at)
    first = {s.key: s.value for s in at.select_slider if s.key in ("movers_a", "movers_b")}
    assert first == {"movers_a": ("2025-01", "2025-06"), "movers_b": ("2025-07", "2025-12")}
    at.selectbox(key="movers_role").select_index(1).run()
    _ok(at)
    at.run()
    _ok(at)
    again = {s.key: s.value for s in at.select_slider if s.key in ("movers_a", "movers_b")}
    assert again == first
    assert "ma" not in at.query_params and "mb" not in at.query_params
    at.select_slider(key="movers_a").set_range("2023-01", "2023-12").run()
    _ok(at)
    at.run()
    _ok(at)
    assert at.select_slider(key="movers_a").value == ("2023-01", "2023-12")
    assert at.query_params["ma"] == "2023-01~2023-12"


# ------------------------------------------------------------------------- pay currency
def test_the_currency_in_the_url_selects_the_pay_currency_everywhere(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch, cur="GBP")
    at.run()
    _ok(at)
    assert at.selectbox(key="pay_currency").value == "GBP"
    at.switch_page("routes/offer.py").run()
    assert at.selectbox(key="offer_pay_cur").value == "GBP"
    at.selectbox(key="pay_currency").set_value("USD").run()
    assert "cur" not in at.query_params
    bad = app_on(demo_store, monkeypatch, cur="XYZ").run()
    assert bad.selectbox(key="pay_currency").value == "USD"


# ------------------------------------------------------------------------- lifetime
def _live_store(out: Path) -> Path:
    rows = []
    for i, (first, last, pay) in enumerate(
        [
            (date(2026, 3, 1), date(2026, 3, 11), 100_000.0),
            (date(2026, 3, 1), date(2026, 3, 21), None),
            (date(2026, 3, 5), date(2026, 3, 21), None),
        ]
    ):
        rows.append(
            {
                "posting_id": f"greenhouse:{i}", "source": "greenhouse", "posted_date": first,
                "first_seen": first, "last_seen": last, "title": f"ML Engineer {i}",
                "company": "Acme", "role": "Machine Learning Engineer", "seniority": "mid",
                "country_code": "US", "region": "North America", "remote": "onsite",
                "employment_type": "full_time", "salary_usd": pay, "is_ai": True,
                "ai_basis": "title",
            }
        )  # fmt: skip
    postings = pd.DataFrame(rows).reindex(columns=columns("postings"))
    return publish({"postings": postings}, out)


def test_the_lifetime_section_shows_live_postings_share_stating_pay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _live_store(tmp_path / "jobs.duckdb")
    at = app_on(store, monkeypatch)
    at.switch_page("routes/demand.py").run()
    _ok(at)
    assert "How long postings stay up, and who states pay" in [s.value for s in at.subheader]
    table = next(d.value for d in at.dataframe if "share_states_pay" in d.value.columns)
    row = table.iloc[0]
    assert row["n"] == 3 and row["share_states_pay"] == pytest.approx(1 / 3)
    assert pd.isna(row["median_days_online"])  # 3 postings: fewer than 30, hidden
    assert "fewer than 30" in row["note"]


def test_the_lifetime_section_says_why_it_is_empty_without_live_sources(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/demand.py").run()
    _ok(at)
    assert any("No postings from the live job-board sources" in i.value for i in at.info)


# ------------------------------------------------------------------------- About the data
def test_the_about_page_lists_sources_coverage_biases_and_every_metric(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.queries.about import about_notes

    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/about.py").run()
    _ok(at)
    headers = [h.value for h in at.header if h.value != "Filters"]  # the sidebar's
    assert headers == ["Sources", "Coverage: time × source", "Known biases", "Metric definitions"]
    subs = [s.value for s in at.subheader]
    for metric in about_notes()["metrics"].values():
        assert metric["name"] in subs
    assert any("Licence and attribution" in m.value for m in at.markdown)


def test_the_salary_page_shows_pay_in_the_chosen_currency_at_the_datas_date(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.queries import pay
    from dashboard.queries.filters import Filters

    at = app_on(demo_store, monkeypatch, cur="EUR")
    at.switch_page("routes/salary.py").run()
    _ok(at)
    total = pay.salary_quantiles(
        str(demo_store), store_version(demo_store), Filters(), "survey", ()
    )
    rate = currency.rate("EUR", 2025)  # the demo survey's latest work year -> 1 July 2025
    assert at.metric[0].value == currency.money(total["p50"].iloc[0] * rate.per_usd, "EUR")
    assert any("ECB reference rate of 2025-07-01" in c.value for c in at.caption)
    table = next(d.value for d in at.dataframe if "Role" in d.value.columns)
    assert table["median"].str.startswith("€").any()
