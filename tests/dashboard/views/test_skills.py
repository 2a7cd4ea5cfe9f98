"""The Skills page (dashboard/views/skills/): the premium section in AppTest, and its table."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_pages import app_on, table_starting_with

from dashboard.queries import pay
from dashboard.queries.filters import Filters
from dashboard.stats.honesty import Thresholds
from etl.store import store_version


def test_skills_shows_raw_and_adjusted_premiums(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/skills.py").run()
    assert not at.exception, [e.value for e in at.exception]
    table = table_starting_with(at, "Skill", "Seniority-adjusted premium")
    assert {"Raw premium", "n with / without", "Adjusted: n with / without"} <= set(table.columns)
    mle = "Machine Learning Engineer"
    at.selectbox(key="prem_role").set_value(mle).run()
    table = table_starting_with(at, "Skill", "Seniority-adjusted premium")
    skills = tuple(table["Skill"])
    got = pay.premiums(str(demo_store), store_version(demo_store), Filters(), skills, (mle,))
    assert table["n with / without"].tolist() == [
        f"{w:,} / {wo:,}" for w, wo in zip(got["n_with"], got["n_without"], strict=True)
    ]


def test_the_premium_table_shows_raw_and_adjusted_side_by_side(ai_store: tuple[str, str]) -> None:
    from dashboard.views.skills.premium import premium_display

    loose = Thresholds(min_n_premium=1)
    shown = premium_display(pay.premiums(*ai_store, Filters(), ("PyTorch", "Excel"), None, loose))
    py = shown.set_index("Skill").loc["PyTorch"]
    assert py["Raw premium"].startswith("+114% (90% CI ")
    assert py["Seniority-adjusted premium"].startswith("+100% (90% CI ")
    assert py["n with / without"] == "3 / 3"
    assert py["Adjusted: n with / without"] == "1 / 2 · 1 level, 33% of postings with it"
    strict = premium_display(
        pay.premiums(*ai_store, Filters(), ("PyTorch",), None, Thresholds(min_n_premium=2))
    ).iloc[0]
    assert strict["Raw premium"].startswith("+114%")  # 3 with, 3 without: enough for raw
    assert strict["Adjusted: n with / without"] == "—"
    assert strict["Seniority-adjusted premium"] == (
        "no level has 2 with and 2 without (best: mid, 1 with, 2 without)"
    )
