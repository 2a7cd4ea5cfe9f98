"""dashboard/queries/series.py on the real Hiring Lab files: what the query layer returns equals
figures computed here with pandas straight from the raw CSVs, independently of the ETL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dashboard.queries import series as q
from dashboard.queries import sources
from dashboard.queries.filters import Filters
from etl.pipeline import refresh
from etl.store import store_version

SOURCES = [q.AI_SHARE, q.GENAI_SHARE, q.INDEX, q.SECTORS]


@pytest.fixture(scope="module")
def store(tmp_path_factory, shared_data: Path) -> tuple[str, str]:
    out = tmp_path_factory.mktemp("series_queries") / "jobs.duckdb"
    assert refresh(out=out, mirror=shared_data, sources=SOURCES, progress=False).published
    return str(out), store_version(out)


def raw(shared_data: Path, path: str) -> pd.DataFrame:
    frame = pd.read_csv(shared_data / "hiring_lab" / path, keep_default_na=False, na_values=[""])
    return frame.assign(date=pd.to_datetime(frame["date"]))


def test_us_ai_share_june_2025_from_the_query_layer_equals_pandas(store, shared_data):
    ai = raw(shared_data, "ai_tracker/AI_posting.csv")
    june = ai[(ai["jobcountry"] == "US") & (ai["date"].dt.strftime("%Y-%m") == "2025-06")]
    expected = june["AI_share_postings"].mean()
    mean, days = q.series_mean(*store, q.AI_SHARE, "US", date(2025, 6, 1), date(2025, 6, 30))
    assert days == 30 and mean == pytest.approx(expected, abs=1e-9)
    lines = q.series_lines(*store, Filters(countries=("US",)), q.AI_SHARE)
    month = lines[lines["date"] == pd.Timestamp("2025-06-01")]
    assert month["value"].iloc[0] == pytest.approx(expected, abs=1e-9)
    assert month["days"].iloc[0] == 30


def test_de_ai_share_over_2024_from_the_query_layer_equals_pandas(store, shared_data):
    ai = raw(shared_data, "ai_tracker/AI_posting.csv")
    de = ai[(ai["jobcountry"] == "DE") & (ai["date"].dt.year == 2024)]
    mean, days = q.series_mean(*store, q.AI_SHARE, "DE", date(2024, 1, 1), date(2024, 12, 31))
    assert days == len(de) == 366
    assert mean == pytest.approx(de["AI_share_postings"].mean(), abs=1e-9)


def test_gb_software_development_2023_from_the_query_layer_equals_pandas(store, shared_data):
    gb = raw(shared_data, "job_postings_tracker/GB/job_postings_by_sector_GB.csv")
    sd = gb[(gb["display_name"] == "Software Development") & (gb["date"].dt.year == 2023)]
    mean, days = q.series_mean(
        *store, q.SECTORS, "GB", date(2023, 1, 1), date(2023, 12, 31), "Software Development"
    )
    assert days == len(sd) == 365
    assert mean == pytest.approx(sd["indeed_job_postings_index"].mean(), abs=1e-9)


def test_region_and_country_filters_select_places(store):
    europe = q.series_lines(*store, Filters(regions=("Europe",)), q.AI_SHARE)
    assert set(europe["place_code"]) == {"DE", "FR", "GB", "IE", "IT", "NL"}
    index = q.series_lines(*store, Filters(regions=("Europe",)), q.INDEX, variant="total postings")
    assert "EA" in set(index["place_code"])  # the euro area is in Europe...
    only_de = q.series_lines(*store, Filters(countries=("DE",)), q.INDEX)
    assert set(only_de["place_code"]) == {"DE"}  # ...but never a country
    daily = q.series_lines(*store, Filters(countries=("US",)), q.AI_SHARE, daily=True)
    assert daily["date"].min() == pd.Timestamp("2019-01-01")
    assert daily["date"].max() == pd.Timestamp("2026-06-30")


def test_sources_labels_places_and_data_dates(store):
    src = q.series_sources(*store).set_index("name")
    assert src.at[q.GENAI_SHARE, "status"] == "withdrawn"
    assert str(pd.Timestamp(src.at[q.GENAI_SHARE, "last_date"]).date()) == "2025-06-28"
    assert src.at[q.AI_SHARE, "license"] == "CC BY 4.0"
    labels = q.series_labels(*store, q.SECTORS)
    assert labels["Mathematics"] == "analyst, data scientist"
    places = q.series_places(*store, q.SECTORS)
    assert "Mathematics" not in set(places.loc[places["place_code"] == "FR", "series"])
    dates = q.data_dates(*store).set_index("source")
    assert str(pd.Timestamp(dates.at[q.INDEX, "last_date"]).date()) == "2026-08-14"


def test_the_sources_table_counts_series_values_as_rows_loaded(store):
    got = sources.sources_table(*store).set_index("name")
    dates = q.data_dates(*store).set_index("source")
    for name in SOURCES:
        assert got.at[name, "rows_loaded"] == dates.at[name, "rows"] > 0
    assert not got["url"].dropna().str.contains("{", regex=False).any()


def test_series_provenance_names_the_publisher_and_the_months_of_the_points_drawn(store):
    lines = q.series_lines(*store, Filters(countries=("US",)), q.AI_SHARE)
    got = sources.rows_provenance(*store, lines.assign(source=q.AI_SHARE), date="date")
    assert got.sources == ("Indeed Hiring Lab AI Tracker, share of job postings that mention AI",)
    assert got.period == "Jan 2019 – Jun 2026"
