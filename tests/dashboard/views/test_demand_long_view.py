"""The long view in AppTest on the real store: the Demand page leads with the AI share of all
postings 2019-2026, the region filter applies to it, the posting-level chart breaks its line over
months without postings, and the Overview and the Data page show the series with attribution."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from app_pages import app_on
from streamlit.testing.v1 import AppTest

EUROPE = {"France (FR)", "Germany (DE)", "Ireland (IE)", "Italy (IT)", "Netherlands (NL)",
          "United Kingdom (GB)"}  # fmt: skip


def _charts(at: AppTest) -> dict[str, dict]:
    """Each Plotly chart's spec by its title (its wrapped lines joined, without the subtitle)."""
    out = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out[spec["layout"]["title"]["text"].split("<br><sup>")[0].replace("<br>", " ")] = spec
    return out


def _values(v: object) -> list:
    """A trace's values: Plotly writes numeric arrays as base64 ({dtype, bdata})."""
    if isinstance(v, dict) and "bdata" in v:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


AI_TITLE = "Share of all job postings on Indeed that mention AI"


@pytest.fixture(scope="module")
def demand(real_store: Path, tmp_path_factory) -> AppTest:
    mp = pytest.MonkeyPatch()
    at = app_on(real_store, mp)
    at.switch_page("routes/demand.py").run()
    yield at
    mp.undo()


def test_default_demand_page_leads_with_the_ai_share_from_2019_to_2026(demand):
    assert not demand.exception, [e.value for e in demand.exception]
    assert demand.subheader[0].value == "AI share of all job postings, 2019 to today"
    spec = _charts(demand)[AI_TITLE]
    dates = pd.to_datetime([x for trace in spec["data"] for x in trace["x"]])
    assert dates.min() == pd.Timestamp("2019-01-01") and dates.max() == pd.Timestamp("2026-06-01")
    assert len(spec["data"]) == 9  # one line per country
    captions = " ".join(c.value for c in demand.caption)
    assert "Indeed Hiring Lab, AI Tracker, CC BY 4.0" in captions
    assert "2026-06-30" in captions and "not a count of AI jobs" in captions


def test_withdrawn_genai_and_sector_indices_with_break_and_examples(demand):
    assert any("withdrawn by the publisher on 2025-08-15, frozen" in e.label
               for e in demand.expander)  # fmt: skip
    charts = _charts(demand)
    genai = charts["Share of all job postings on Indeed that mention generative AI"]
    assert "frozen" in " ".join(a["text"] for a in genai["layout"]["annotations"])
    sectors = charts["Job postings index by sector, United States (US)"]
    names = {t["name"] for t in sectors["data"]}
    assert "Mathematics (analyst, data scientist)" in names
    assert "All postings (every sector)" in names
    assert sectors["layout"]["shapes"], "the November 2024 method break is not marked"


def test_a_posting_level_chart_has_no_line_across_an_empty_month(demand):
    spec = _charts(demand)["Job postings per month by role"]
    for trace in spec["data"]:
        points = dict(zip(pd.to_datetime(_values(trace["x"])), _values(trace["y"]), strict=True))
        assert pd.isna(points[pd.Timestamp("2024-06-01")]), trace["name"]  # a gap, not 0
        assert not trace.get("connectgaps"), trace["name"]
    captions = " ".join(c.value for c in demand.caption)
    assert "data_jobs (2023-01 → 2023-12, 12 months" in captions


def test_region_europe_shows_only_european_countries(real_store, monkeypatch):
    at = app_on(real_store, monkeypatch)
    at.switch_page("routes/demand.py").run()
    at.multiselect(key="f_region").set_value(["Europe"]).run()
    assert not at.exception, [e.value for e in at.exception]
    spec = _charts(at)[AI_TITLE]
    assert {t["name"] for t in spec["data"]} == EUROPE
    assert at.selectbox(key="series_sector_country").options == ["DE", "FR", "GB"] or {
        o for o in at.selectbox(key="series_sector_country").options
    } <= {"Germany (DE)", "France (FR)", "United Kingdom (GB)"}


def test_daily_values_on_demand_are_kept_in_the_url(real_store, monkeypatch):
    at = app_on(real_store, monkeypatch)
    at.switch_page("routes/demand.py").run()
    at.multiselect(key="f_country").set_value(["US"]).run()
    at.toggle(key="series_daily").set_value(True).run()
    assert at.query_params.get("freq") == "daily"
    spec = _charts(at)[AI_TITLE]
    assert len(_values(spec["data"][0]["x"])) == 2738  # every day 2019-01-01 .. 2026-06-30
    shared = app_on(real_store, monkeypatch)
    shared.query_params["freq"] = "daily"
    shared.switch_page("routes/demand.py").run()
    assert shared.toggle(key="series_daily").value is True


def test_overview_and_data_page_show_the_series_with_dates_and_licence(real_store, monkeypatch):
    at = app_on(real_store, monkeypatch).run()
    assert not at.exception, [e.value for e in at.exception]
    first = at.markdown[0].value
    assert first.startswith("- **AI share of United States (US) job postings: ")
    assert "a year earlier — Indeed Hiring Lab" in first
    asof = next(c.value for c in at.caption if c.value.startswith("Data dates per source"))
    assert "hiring_lab_ai_share 2026-06-30" in asof and "data_jobs 2023-12-31" in asof
    assert "store built" in asof
    short = next(c.value for c in at.main.caption if c.value.startswith("Data as of"))
    newest = max(d for d in re.findall(r"\d{4}-\d\d-\d\d", asof.split("store built")[0]))
    assert short.startswith(f"Data as of {newest} (newest source") and "real store built" in short
    at.switch_page("routes/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Series sources (aggregates, not postings)" in [h.value for h in at.subheader]
    table = at.dataframe[1].value
    genai = table[table["source"] == "hiring_lab_genai_share"].iloc[0]
    assert genai["status"] == "withdrawn 2025-08-15, frozen" and genai["licence"] == "CC BY 4.0"


def test_every_demand_chart_on_the_real_store_has_its_csv_and_names_sources_and_months(demand):
    drawn = len(demand.get("plotly_chart"))
    assert drawn >= 10 and len(demand.get("download_button")) == drawn
    captions = [re.sub(r"\\(.)", r"\1", c.value) for c in demand.caption]
    under = [c for c in captions if "Sources and definitions" in c]
    assert len(under) == drawn
    series = [c for c in under if c.startswith("Indeed Hiring Lab")]
    assert any(re.match(r"Indeed Hiring Lab AI Tracker[^·]+· Jan 2019 – \w{3} 2026 · n = ", c)
               for c in series), series  # fmt: skip
    assert any("Job Postings Index" in c for c in series)
    postings = [c for c in under if c.startswith("all data · ") and " postings · [" in c]
    assert len(postings) >= 6
    assert all(re.search(r" · \w{3}( \d{4})? ?– ?\w{3} \d{4} · n = ", c) for c in postings)
