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
    at = app_on(demo_store, monkeypatch, tab="Pay premium")
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


TABS = {
    "Top skills": {"top_skills"},
    "By role": {"top_skills", "role_skill_profile"},
    "Over time": {"top_skills", "skill_trend"},
    "Asked together": {"top_skills", "cooccurring"},
    "Pay premium": {"top_skills", "premiums_with_levels"},
    "Movers": {"top_skills", "month_postings", "skill_counts_in_periods"},
}
"""Each tab of the Skills page and the queries a view of it makes (besides provenance)."""


def _spied(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the page's section queries, in the order they are called."""
    from dashboard.queries import movers, skills

    asked: list[str] = []
    for module, name in [
        *((skills, n) for n in ("top_skills", "role_skill_profile", "skill_trend", "cooccurring")),
        (pay, "premiums_with_levels"),
        (movers, "month_postings"),
        (movers, "skill_counts_in_periods"),
    ]:
        real = getattr(module, name)

        def spy(*args: object, _real=real, _name=name, **kwargs: object) -> object:  # type: ignore[no-untyped-def]
            asked.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return asked


@pytest.mark.parametrize("tab", list(TABS))
def test_only_the_open_skills_tab_is_queried_and_drawn_with_its_sources(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, tab: str
) -> None:
    asked = _spied(monkeypatch)
    at = app_on(demo_store, monkeypatch, tab=tab)
    at.run()
    asked.clear()
    at.switch_page("routes/skills.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(asked) == TABS[tab]
    drawn = len(at.get("plotly_chart"))
    if tab != "Pay premium":  # a table, below
        assert drawn > 0, f"{tab} drew no chart"
    assert len(at.get("download_button")) == drawn  # every chart's rows as CSV
    under = [c.value for c in at.caption if "Sources and definitions" in c.value]
    assert len(under) == drawn


def test_choices_in_closed_skills_tabs_are_kept_and_return_to_the_address(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch, tab="Over time")
    at.switch_page("routes/skills.py").run()
    pick = [at.multiselect(key="trend").options[-1]]
    at.multiselect(key="trend").set_value(pick).run()
    assert at.query_params["trend"] == pick[0]
    at.query_params["tab"] = "Pay premium"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    role = at.selectbox(key="prem_role").options[1]
    at.selectbox(key="prem_role").set_value(role).run()
    at.query_params["tab"] = "Over time"
    at.run()
    assert at.multiselect(key="trend").value == pick
    assert at.query_params["trend"] == pick[0]
    at.query_params["tab"] = "Pay premium"
    at.run()
    assert at.selectbox(key="prem_role").value == role
