"""The "Where do you fit?" page in the running app (AppTest, dashboard/views/fit/), on the demo,
empty and real stores (with the Demand and Skills sections it shares a real-store run with)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_pages import app_on, table_starting_with
from streamlit.testing.v1 import AppTest

from dashboard.queries import skills as skill_queries
from dashboard.queries.filters import Filters
from dashboard.stats import fit
from etl.store import store_version

FIT = "routes/fit.py"
PASTED = "Five years of Python and SQL; I trained PyTorch models and shipped them with Docker."


def _open_fit(at: AppTest) -> AppTest:
    at.switch_page(FIT).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_asks_for_skills_when_none_are_chosen(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_fit(app_on(demo_store, monkeypatch))
    assert at.title[0].value == "Where do you fit?"
    assert any("Pick your skills" in i.value for i in at.info)
    # not empty: each role's top skills, with the postings they stand on
    assert [s.value for s in at.subheader] == ["What each role asks for most"]
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Role",
        "Postings listing skills",
        "Top skills (share of the role's postings)",
    ]
    assert (
        len(table) >= 5
        and table["Top skills (share of the role's postings)"].str.contains("%").all()
    )
    assert any("only those that list at least one skill" in c.value for c in at.caption)


def test_skills_from_the_url_rank_the_roles_by_coverage(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_fit(app_on(demo_store, monkeypatch, skill=["PyTorch", "Python", "Astronaut"]))
    assert at.multiselect(key="fit_skills").value == ["PyTorch", "Python"]
    assert any("skill=“Astronaut”" in w.value for w in at.warning)
    assert not any("unknown parameter" in w.value for w in at.warning)  # not the sidebar's
    ranking = table_starting_with(at, "Role")
    freq = skill_queries.role_skill_frequencies(
        str(demo_store), store_version(demo_store), Filters()
    )
    expected = fit.coverage(freq, ["PyTorch", "Python"])
    assert ranking["Role"].tolist() == expected["role"].tolist()
    assert ranking["Coverage"].iloc[0] == f"{expected['coverage'].iloc[0] * 100:.0f}%"
    assert "Other" not in ranking["Role"].tolist()
    assert at.query_params["skill"] == ["PyTorch", "Python"]


def test_the_best_roles_get_five_skills_to_learn_and_a_compare_link(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_fit(app_on(demo_store, monkeypatch, skill=["PyTorch", "Python"]))
    freq = skill_queries.role_skill_frequencies(
        str(demo_store), store_version(demo_store), Filters()
    )
    best = fit.best_roles(fit.coverage(freq, ["PyTorch", "Python"]), 2)
    heads = [h.value for h in at.subheader]
    assert heads == [f"To fit {r} better, learn" for r in best]
    learn = [df.value for df in at.dataframe if df.value.columns[0] == "Skill"]
    assert len(learn) == 2
    want = fit.suggestions(freq, ["PyTorch", "Python"], best[0])["skill"].tolist()
    assert learn[0]["Skill"].tolist() == want and len(want) == 5
    assert "Seniority-adjusted premium" in learn[0].columns
    links = at.get("page_link")
    assert len(links) == 1
    assert links[0].proto.label == f"Compare {best[0]} and {best[1]}"


def test_pasted_text_adds_the_skills_found_and_stays_out_of_the_url(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_fit(app_on(demo_store, monkeypatch))
    at.text_area(key="fit_text").input(PASTED)
    at.button(key="fit_extract").click().run()
    assert not at.exception
    found = ["Python", "SQL", "PyTorch", "Docker"]
    assert at.multiselect(key="fit_skills").value == found
    assert any("Found in your text: Python, SQL, PyTorch, Docker" in c.value for c in at.caption)
    assert at.query_params["skill"] == found
    assert all(PASTED not in " ".join(v) for v in at.query_params.values())
    assert table_starting_with(at, "Role")["Role"].tolist()


def test_a_wrong_skill_found_in_the_text_can_be_removed(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_fit(app_on(demo_store, monkeypatch))
    at.text_area(key="fit_text").input(PASTED)
    at.button(key="fit_extract").click().run()
    at.multiselect(key="fit_skills").unselect("Docker").run()
    assert at.multiselect(key="fit_skills").value == ["Python", "SQL", "PyTorch"]
    assert at.query_params["skill"] == ["Python", "SQL", "PyTorch"]


def test_text_without_known_skills_says_so(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_fit(app_on(demo_store, monkeypatch))
    at.text_area(key="fit_text").input("I enjoy gardening and long walks.")
    at.button(key="fit_extract").click().run()
    assert any("No skills from the taxonomy found" in c.value for c in at.caption)
    assert any("Pick your skills" in i.value for i in at.info)


def test_the_fit_page_shows_an_empty_state_on_an_empty_store(
    empty_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_fit(app_on(empty_store, monkeypatch, skill=["Python"]))
    assert any("No postings with skills" in i.value for i in at.info)


def test_the_insights_render_on_the_real_store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = request.getfixturevalue("real_store")
    at = app_on(store, monkeypatch, skill=["Python", "SQL", "Tableau"])
    _open_fit(at)
    assert table_starting_with(at, "Role")["Role"].iloc[0]  # something ranked
    at.query_params["tab"] = "Pay premium"  # the Skills page's premiums
    for page in ("routes/demand.py", "routes/skills.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    table = table_starting_with(at, "Skill", "Seniority-adjusted premium")
    # data_jobs is big enough for both premiums of the top skills, all roles pooled
    assert table["Seniority-adjusted premium"].str.contains("90% CI").any()
