"""The Compare roles page in AppTest (dashboard/views/compare/): its own URL keys a and b."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[3] / "dashboard" / "app.py")


def _app(store: Path, monkeypatch: pytest.MonkeyPatch, **params: list[str]) -> AppTest:
    monkeypatch.setenv("AIJOBS_STORE", str(store))
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def test_the_compare_link_opens_compare_on_the_two_roles(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = "AI Engineer", "MLOps Engineer"
    at = _app(demo_store, monkeypatch, a=[a], b=[b])
    at.switch_page("routes/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert (at.selectbox(key="cmp_a").value, at.selectbox(key="cmp_b").value) == (a, b)
    assert not any("Ignored in the link" in w.value for w in at.warning)


def test_bad_compare_roles_in_the_url_keep_the_default_pair(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(demo_store, monkeypatch, a=["Astronaut"], b=["MLOps Engineer"])
    at.switch_page("routes/compare.py").run()
    assert not at.exception
    assert at.selectbox(key="cmp_a").value == "Machine Learning Engineer"
