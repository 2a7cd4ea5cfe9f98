"""The app end to end in Streamlit's AppTest (dashboard/app.py, the router): every page on demo,
empty and real stores; the sidebar's filters; the URL (its pure parsing:
tests/dashboard/ui/test_url.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_pages import app_on
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.queries.filters import Filters
from etl.store import store_version

PAGES = [
    "routes/demand.py",
    "routes/salary.py",
    "routes/skills.py",
    "routes/compare.py",
    "routes/data.py",
]


def _no_exception(at: AppTest, where: str) -> None:
    assert not at.exception, f"{where}: {[e.value for e in at.exception]}"


def _all_pages(at: AppTest, banner: bool = False) -> None:
    at.run()
    _no_exception(at, "overview")
    for page in PAGES:
        at.switch_page(page).run()
        _no_exception(at, page)
        assert at.title, f"{page} drew nothing"
        assert at.multiselect(key="f_role"), f"{page} lost the sidebar filters"
        demo = any("Demo data — generated, not real" in w.value for w in at.warning)
        assert demo == banner, f"{page}: demo banner {'missing' if banner else 'shown'}"


def test_every_page_renders_on_the_demo_store(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch).run()
    assert any("Demo data — generated, not real" in w.value for w in at.warning)
    assert any("Data as of" in c.value for c in at.caption)
    assert at.metric[0].label == "Job postings" and at.metric[0].value == "20,000"
    assert any("most-posted role" in m.value for m in at.markdown)
    _all_pages(at, banner=True)
    assert at.session_state["ctx"].meta["kind"] == "demo"


def test_every_page_shows_empty_states_on_an_empty_store(
    empty_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(empty_store, monkeypatch).run()
    assert any("No postings or salary records in the store" in i.value for i in at.info)
    _all_pages(at)


def test_without_a_store_the_app_says_how_to_build_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(tmp_path / "missing.duckdb", monkeypatch).run()
    _no_exception(at, "no store")
    assert "No data store" in at.error[0].value
    assert any("make run" in m.value for m in at.markdown)


def test_a_corrupt_store_gives_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "jobs.duckdb"
    bad.write_text("not a database")
    at = app_on(bad, monkeypatch).run()
    _no_exception(at, "corrupt store")
    assert "cannot be read" in at.error[0].value


def test_every_page_renders_on_the_real_store(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("etl.pipeline", reason="the ETL pipeline is not built yet")
    store = request.getfixturevalue("real_store")
    at = app_on(store, monkeypatch).run()
    assert not any("Demo data" in w.value for w in at.warning)
    _all_pages(at)


def test_a_role_filter_changes_what_the_queries_are_asked(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch).run()
    at.multiselect(key="f_role").set_value(["Research Scientist"]).run()
    _no_exception(at, "role filter")
    ctx = at.session_state["ctx"]
    assert ctx.filters.roles == ("Research Scientist",)
    expected = queries.overview.headline(str(demo_store), store_version(demo_store), ctx.filters)
    assert at.metric[0].value == f"{expected['postings']:,}"
    assert at.query_params["role"] == "Research Scientist"  # one value: a plain string


def test_countries_offered_follow_the_chosen_regions(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch).run()
    at.multiselect(key="f_country").set_value(["US", "DE"]).run()
    at.multiselect(key="f_region").set_value(["Europe"]).run()
    _no_exception(at, "region filter")
    assert at.session_state["ctx"].filters.countries == ("DE",)
    assert "US" not in at.multiselect(key="f_country").options


def test_reset_clears_every_filter(demo_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app_on(demo_store, monkeypatch).run()
    at.multiselect(key="f_seniority").set_value(["senior"]).run()
    at.multiselect(key="f_role").set_value(["AI Engineer"]).run()
    assert at.session_state["ctx"].filters.seniority == ("senior",)
    at.button(key="f_reset").click().run()
    assert at.session_state["ctx"].filters == Filters()
    assert at.query_params == {}


def test_a_narrow_selection_shows_the_empty_state_message(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.query_params["region"] = "Oceania"
    at.query_params["seniority"] = "intern"
    at.query_params["role"] = "MLOps Engineer"
    at.query_params["source"] = "demo_postings"
    at.run()
    _no_exception(at, "narrow selection")
    at.switch_page("routes/salary.py").run()
    _no_exception(at, "salary, narrow")
    assert any("widen the filters" in i.value for i in at.info) or at.dataframe


def test_a_shared_url_reopens_the_same_view(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.query_params["role"] = ["Machine Learning Engineer", "AI Engineer"]
    at.query_params["years"] = "2023..2024"
    at.query_params["months"] = "2024-01..2024-06"
    at.run()
    _no_exception(at, "shared url")
    f = at.session_state["ctx"].filters
    assert f.roles == ("Machine Learning Engineer", "AI Engineer")
    assert (f.years, f.months) == ((2023, 2024), ("2024-01", "2024-06"))
    assert not [w for w in at.warning if "Ignored" in w.value]


def test_malformed_url_parameters_show_a_notice_not_a_crash(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.query_params["role"] = ["Research Scientist", "<script>"]
    at.query_params["years"] = "2025..2020"
    at.query_params["months"] = "garbage"
    at.query_params["nonsense"] = "1"
    at.run()
    _no_exception(at, "malformed url")
    notice = next(w.value for w in at.warning if "Ignored in the link" in w.value)
    # quoted as escaped Markdown: "\<script\>" reads as <script>, and can never be a tag
    for part in (r"“\<script\>”", "years\\=“2025\\.\\.2020”", "months\\=“garbage”", "nonsense"):
        assert part in notice, notice
    assert "<script>" not in notice
    assert at.session_state["ctx"].filters.roles == ("Research Scientist",)
    for page in PAGES:
        at.switch_page(page).run()
        _no_exception(at, page)


def test_pages_ask_the_query_layer_with_the_url_filters(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Filters] = []
    real = queries.demand.postings_by_month

    def spy(store: str, version: str, f: Filters) -> object:
        asked.append(f)
        return real(store, version, f)

    monkeypatch.setattr(queries.demand, "postings_by_month", spy)
    at = app_on(demo_store, monkeypatch)
    at.query_params["region"] = "Europe"
    at.query_params["months"] = "2024-01..2024-06"
    at.run()
    at.switch_page("routes/demand.py").run()
    _no_exception(at, "demand with filters")
    assert asked and asked[-1].regions == ("Europe",)
    assert asked[-1].months == ("2024-01", "2024-06")


def test_a_store_of_another_schema_says_how_to_upgrade_instead_of_failing_a_query(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    import duckdb

    old = tmp_path / "jobs.duckdb"
    shutil.copy(demo_store, old)
    con = duckdb.connect(str(old))
    con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    con.close()
    at = app_on(old, monkeypatch).run()
    _no_exception(at, "old store")
    assert "store schema 6" in at.error[0].value
    assert "python -m etl ensure-store" in at.error[0].value
    assert not at.multiselect, "an old store must not draw pages that query it"
