"""The Demand page in AppTest (dashboard/views/demand/): the AI-share section."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_pages import app_on

from dashboard.queries import demand
from dashboard.queries.filters import Filters
from etl.store import store_version


def test_demand_shows_the_ai_share_with_its_definition(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/demand.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "AI share of job postings" in [h.value for h in at.subheader]
    assert any(m.value.startswith("**AI job** = ") for m in at.markdown)
    m = demand.ai_share_by_month(str(demo_store), store_version(demo_store), Filters())
    metric = next(x for x in at.metric if x.label == "AI share of the selection")
    assert metric.value == f"{m['ai'].sum() / m['n'].sum() * 100:.1f}%"
