"""The Compare roles page in AppTest (dashboard/views/compare/): its own URL keys a and b."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_pages import app_on
from streamlit.testing.v1 import AppTest


def test_the_compare_link_opens_compare_on_the_two_roles(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = "AI Engineer", "MLOps Engineer"
    at = app_on(demo_store, monkeypatch, a=[a], b=[b])
    at.switch_page("routes/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert (at.selectbox(key="a").value, at.selectbox(key="b").value) == (a, b)
    assert not any("Ignored in the link" in w.value for w in at.warning)


def test_bad_compare_roles_in_the_url_keep_the_default_pair(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch, a=["Astronaut"], b=["MLOps Engineer"])
    at.switch_page("routes/compare.py").run()
    assert not at.exception
    assert at.selectbox(key="a").value == "Machine Learning Engineer"
    assert any("No role in the data matches “Astronaut”" in c.value for c in at.caption)


def _charts(at: AppTest) -> dict[str, dict]:
    """The page's Plotly figures by title (the title's first line)."""
    import json

    figures = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["layout"]["title"]["text"].split("<br><sup>")[0].replace("<br>", " ")
        figures[title] = spec
    return figures


def test_what_to_learn_lists_the_skills_the_target_asks_for_more_ranked_by_gain(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch)
    at.switch_page("routes/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    a, b = "Machine Learning Engineer", "Research Scientist"
    figures = _charts(at)
    learn = figures[f"Skills {b} postings ask for more than {a} postings"]["data"][0]
    gains = [float(t.removesuffix(" pp")) for t in learn["text"]]
    assert gains and all(g > 0 for g in gains), gains
    assert gains[::-1] == sorted(gains, reverse=True)  # drawn bottom-up: the largest on top
    assert all("of " in h and b in h and a in h for h in learn["hovertext"])  # n both sides
    less = figures[f"What matters less: skills {b} postings ask for less than {a} postings"]
    assert all(float(t.removesuffix(" pp")) < 0 for t in less["data"][0]["text"])
    assert any(f"{b} postings and" in c.value and "n = " in c.value for c in at.caption)


def test_a_role_picker_finds_a_role_by_a_name_people_use(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch, a=["Deep Learning Researcher"], b=["ML engineer"])
    at.switch_page("routes/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    notes = " ".join(c.value for c in at.caption)
    assert "“Deep Learning Researcher” is read as Research Scientist" in notes
    assert "“ML engineer” is read as Machine Learning Engineer" in notes
    titles = [t.value for t in at.subheader]
    assert "What to learn moving from Research Scientist to Machine Learning Engineer" in titles
    # the pickers (and so the address) now hold the roles' own names
    assert at.selectbox(key="a").value == "Research Scientist"
    assert at.selectbox(key="b").value == "Machine Learning Engineer"


def test_a_typed_name_no_rule_knows_is_said_plainly_and_the_default_stays(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app_on(demo_store, monkeypatch, a=["[Sign in](https://evil.example)"])
    at.switch_page("routes/compare.py").run()
    assert not at.exception
    notes = [c.value for c in at.caption if "No role in the data matches" in c.value]
    assert notes and "](" not in notes[0] and "https://" not in notes[0]
    titles = [t.value for t in at.subheader]
    assert "What to learn moving from Machine Learning Engineer to Research Scientist" in titles
