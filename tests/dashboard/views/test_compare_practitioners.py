"""Compare roles' "What people in these roles say" and "Questions people ask" in AppTest, and
"Where do you fit?"'s switch to practitioners' weights, on a store with a generated survey."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from app_pages import app_on
from streamlit.testing.v1 import AppTest
from survey_store import build_survey_store

from dashboard.views.compare.faq import QUESTIONS


@pytest.fixture(scope="module")
def survey_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_survey_store(tmp_path_factory.mktemp("survey") / "jobs.duckdb")


def _compare_mle_to_rs(store: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """Compare roles, Machine Learning Engineer → Research Scientist, drawn without an error."""
    at = app_on(store, monkeypatch, a=["Machine Learning Engineer"], b=["Research Scientist"])
    at.switch_page("routes/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def test_compare_shows_what_practitioners_say_with_n_source_and_year(
    survey_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _compare_mle_to_rs(survey_store, monkeypatch)
    text = _texts(at)
    assert "What people in these roles say" in text
    assert "Demo practitioner survey (generated), 2022" in text  # source and year
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Doctorate"] != "—" and metrics["Median years of ML"] != "—"
    assert "n = 120 (education)" in text and "n = 90 (education)" in text
    assert "Research Scientist: median band" in metrics
    assert "never pooled" in text


def test_the_faq_answers_with_numbers_from_the_queries(
    survey_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(
        survey_store, monkeypatch, a=["Machine Learning Engineer"], b=["Research Scientist"]
    )
    at.switch_page("routes/compare.py").run()
    assert not at.exception
    assert [e.label for e in at.expander if e.label in QUESTIONS] == list(QUESTIONS)
    text = _texts(at)
    assert "hold a doctoral degree (n = 90)" in text
    assert "PyTorch" in text and "median band" in text and "5 years or more" in text


def test_a_role_with_too_few_respondents_is_withheld_with_why(
    survey_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(survey_store, monkeypatch, a=["AI Engineer"], b=["Research Scientist"])
    at.switch_page("routes/compare.py").run()
    assert not at.exception
    text = _texts(at)
    assert "AI Engineer: not shown (no respondents)" in text or "fewer than" in text


def test_compare_without_a_survey_says_how_to_load_one(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/compare.py").run()
    assert not at.exception
    assert any("No practitioner survey in the store" in i.value for i in at.info)


def test_fit_weighs_by_practitioners_when_switched_and_keeps_it_in_the_url(
    survey_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(survey_store, monkeypatch, skill=["PyTorch", "Python"])
    at.switch_page("routes/fit.py").run()
    assert not at.exception
    assert at.radio(key="fit_weigh").value == "postings"
    at.radio(key="fit_weigh").set_value("practitioners").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["weigh"] in ("practitioners", ["practitioners"])
    table = at.dataframe[0].value
    assert "Respondents (survey)" in table.columns
    assert set(table["Role"]) >= {"Research Scientist", "Machine Learning Engineer"}


def test_a_fit_link_with_weigh_practitioners_opens_switched(
    survey_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(survey_store, monkeypatch, skill=["PyTorch"], weigh=["practitioners"])
    at.switch_page("routes/fit.py").run()
    assert not at.exception
    assert at.radio(key="fit_weigh").value == "practitioners"


def _readable(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]


def test_fit_with_practitioners_weights_titles_and_sources_its_chart_by_the_survey(
    survey_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(survey_store, monkeypatch, skill=["PyTorch"], weigh=["practitioners"])
    at.switch_page("routes/fit.py").run()
    assert not at.exception, [e.value for e in at.exception]
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    title = json.dumps(spec["layout"]["title"])
    assert "practitioners use" in title and "demand" not in title
    assert any(
        re.search(r"Demo practitioner survey \(generated\) · 2022 · n = [\d,]+ respondents", c)
        for c in _readable(at)
    )
    at = app_on(survey_store, monkeypatch, skill=["PyTorch"])
    at.switch_page("routes/fit.py").run()
    title = json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"])
    assert "postings ask for" in title and "practitioners" not in title


def test_every_practitioner_chart_has_its_csv_and_names_the_survey_year(
    survey_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _compare_mle_to_rs(survey_store, monkeypatch)
    drawn = len(at.get("plotly_chart"))
    assert drawn >= 3 and len(at.get("download_button")) == drawn
    survey = [c for c in _readable(at) if "respondents · [Sources" in c]
    assert len(survey) >= 3
    assert all("Demo practitioner survey (generated) · 2022 · n = " in c for c in survey)
