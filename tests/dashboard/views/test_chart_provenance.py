"""Every chart of every page (AppTest on the demo store): a caption under it naming the sources
and period of its rows with their n, and a CSV button with those rows (#15.9, #18.5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_pages import app_on
from streamlit.testing.v1 import AppTest

from dashboard.queries import sources
from dashboard.queries.filters import Filters
from etl.store import store_version

PAGES = {
    "overview": {},
    "demand": {},
    "salary": {},
    "skills": {},
    "compare": {},
    "fit": {"skill": ["Python", "SQL"]},
    "offer": {"pay": "150000"},
    "about": {},
}
"""Each page with the address that makes it draw its charts."""


def _run(store: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> AppTest:
    at = app_on(store, monkeypatch, **PAGES[page])
    at.switch_page(f"routes/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _captions(at: AppTest) -> list[str]:
    """The captions as a reader sees them (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]


@pytest.mark.parametrize("page", list(PAGES))
def test_every_chart_has_a_csv_button_and_a_provenance_caption(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = _run(demo_store, monkeypatch, page)
    drawn = len(at.get("plotly_chart"))
    assert drawn > 0, f"{page} drew no chart"
    assert len(at.get("download_button")) == drawn
    under = [c for c in _captions(at) if "Sources and definitions" in c]
    assert len(under) == drawn
    assert all(re.search(r"n = [\d,]+ ", c) for c in under), under


@pytest.mark.parametrize("page", ["overview", "demand", "skills", "fit"])
def test_a_postings_chart_names_its_source_and_period(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    prov = sources.provenance(str(demo_store), store_version(demo_store), Filters())
    assert prov.source == "Demo job postings (generated)" and prov.period == "Jan 2023 – Dec 2025"
    at = _run(demo_store, monkeypatch, page)
    assert any(f"{prov.source} · {prov.period} · n = " in c for c in _captions(at))


@pytest.mark.parametrize("page", ["salary", "compare", "offer", "about"])
def test_a_survey_chart_names_the_survey_and_its_years(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    prov = sources.provenance(str(demo_store), store_version(demo_store), Filters(), "salaries")
    at = _run(demo_store, monkeypatch, page)
    assert any(prov.source in c and re.search(r"20\d\d–20\d\d", c) for c in _captions(at))


def test_a_month_filter_narrows_the_period_every_postings_caption_names(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch, months="2024-03..2024-03")
    at.switch_page("routes/demand.py").run()
    assert not at.exception, [e.value for e in at.exception]
    under = [c for c in _captions(at) if "Sources and definitions" in c and "postings ·" in c]
    assert len(under) >= 6
    assert all("Demo job postings (generated) · Mar 2024 · n = " in c for c in under), under
