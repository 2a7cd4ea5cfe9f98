"""Queries of the skill movers, offer checker, lifetime section and About page, checked against
pandas over the same store's base tables."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.queries import about, lifetime, movers, offer
from dashboard.queries.filters import Filters
from etl.store import store_version


def _df(store: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def test_skill_counts_in_two_periods_match_pandas_per_role_and_overall(demo_store: Path) -> None:
    key = (str(demo_store), store_version(demo_store), Filters(regions=("Europe",)))
    counts, totals = movers.skill_counts_in_periods(
        *key, ("2023-01", "2023-06"), ("2025-07", "2025-12")
    )
    p = _df(demo_store, "SELECT posting_id, role, region, posted_date FROM postings")
    s = _df(demo_store, "SELECT posting_id, skill FROM posting_skills")
    p = p[p["region"] == "Europe"]
    day = pd.to_datetime(p["posted_date"])
    p["period"] = None
    p.loc[(day >= "2023-01-01") & (day < "2023-07-01"), "period"] = "a"
    p.loc[(day >= "2025-07-01") & (day < "2026-01-01"), "period"] = "b"
    p = p.dropna(subset=["period"])
    ds = p[p["role"] == "Data Scientist"]
    tot = totals.set_index("group")
    assert tot.loc["Data Scientist", "n_a"] == (ds["period"] == "a").sum()
    assert tot.loc[movers.ALL_ROLES, "n_b"] == (p["period"] == "b").sum()
    joined = s.merge(p, on="posting_id")
    py = joined[(joined["skill"] == "Python")]
    got = counts.set_index(["group", "skill"])
    assert got.loc[(movers.ALL_ROLES, "Python"), "with_a"] == (py["period"] == "a").sum()
    ds_py = py[py["role"] == "Data Scientist"]
    assert got.loc[("Data Scientist", "Python"), "with_b"] == (ds_py["period"] == "b").sum()


def test_month_postings_ignore_the_month_filter(demo_store: Path) -> None:
    f = Filters(months=("2024-01", "2024-02"))
    got = movers.month_postings(str(demo_store), store_version(demo_store), f)
    assert len(got) == 36 and got["postings"].sum() == 20_000


def test_role_pay_gives_the_latest_two_survey_years_and_every_advertised_figure(
    demo_store: Path,
) -> None:
    v = store_version(demo_store)
    survey, period = offer.role_pay(str(demo_store), v, "Data Scientist", "survey")
    s = _df(demo_store, "SELECT year, salary_usd FROM salaries WHERE role = 'Data Scientist'")
    years = sorted(s["year"].unique())[-2:]
    assert len(survey) == s["year"].isin(years).sum()
    assert period == f"work years {years[0]}–{years[1]}"
    ads, _ = offer.role_pay(str(demo_store), v, "Data Scientist", "advertised")
    p = _df(
        demo_store,
        "SELECT count(*) AS n FROM postings "
        "WHERE role = 'Data Scientist' AND salary_usd IS NOT NULL",
    )
    assert len(ads) == p["n"].iloc[0]
    with pytest.raises(ValueError, match="unknown kind"):
        offer.role_pay(str(demo_store), v, "Data Scientist", "guessed")


def test_live_postings_keep_only_the_live_sources(demo_store: Path) -> None:
    got = lifetime.live_postings(str(demo_store), store_version(demo_store), Filters())
    assert got.empty  # the demo store's one posting source is a file-like generated source
    assert {"greenhouse", "lever", "remotive"} <= set(lifetime.live_sources())
    assert "data_jobs" not in lifetime.live_sources()


def test_coverage_counts_rows_per_source_and_period(demo_store: Path) -> None:
    cov = about.coverage(str(demo_store), store_version(demo_store))
    kinds = cov.groupby("kind")["rows"].sum()
    n = _df(
        demo_store, "SELECT (SELECT count(*) FROM postings) p, (SELECT count(*) FROM salaries) s"
    )
    assert kinds["postings"] == n["p"].iloc[0] and kinds["salary records"] == n["s"].iloc[0]
    assert cov["period"].str.fullmatch(r"\d{4}").all()  # one column per year
    notes = about.about_notes()
    assert {"postings", "skill_movers", "offer_percentile", "days_online"} <= set(notes["metrics"])


def test_the_data_page_shows_and_downloads_the_advertised_pay_as_stated(demo_store: Path) -> None:
    from dashboard.queries import sources

    key = (str(demo_store), store_version(demo_store), Filters())
    rows, _ = sources.preview_rows(*key, "postings", 50)
    provenance = ["salary_min_local", "salary_max_local", "currency", "salary_period", "usd_rate"]
    assert {*provenance, "rate_date"} <= set(rows.columns)
    paid = rows[rows["salary_usd"].notna() & rows["usd_rate"].notna()]
    assert not paid.empty
    factor = paid["salary_period"].map({"year": 1, "hour": 2080})
    mid = (paid["salary_min_local"] + paid["salary_max_local"]) / 2 * factor * paid["usd_rate"]
    assert (mid - paid["salary_usd"]).abs().max() < 0.01 * paid["salary_usd"].max()
    header = sources.download_csv(*key, "postings", 5).decode().splitlines()[0]
    assert all(c in header for c in provenance)
