"""dashboard/ui/url.py: the global filters in the address, parsed safely; page-owned keys left to
their pages.
"""

from __future__ import annotations

import pytest

from dashboard.queries.filters import Filters, Options
from dashboard.ui.url import PAGE_KEYS, URL_KEYS, parse_query, to_query

OPTS = Options(
    roles=("Machine Learning Engineer", "Research Scientist"),
    regions=("Europe", "Oceania"),
    countries=(("DE", "Europe"), ("NA", "Africa"), ("AU", "Oceania")),
    years=(2023, 2024, 2025),
    months=("2023-01", "2023-02", "2023-03"),
    sources=("data_jobs",),
)


def test_a_selection_survives_the_round_trip_through_the_url() -> None:
    f = Filters(
        roles=("Research Scientist",),
        regions=("Europe",),
        countries=("DE",),
        years=(2023, 2024),
        months=("2023-02", "2023-03"),
        remote=("remote",),
    )
    query = to_query(f)
    params = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    assert parse_query(params, OPTS) == (f, [])


def test_an_empty_selection_has_an_empty_url() -> None:
    assert to_query(Filters()) == {}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"role": ["Astronaut"]}, "role='Astronaut'"),
        ({"years": ["2025..2023"]}, "years='2025..2023'"),
        ({"years": ["abc"]}, "years='abc'"),
        ({"years": ["1990..2024"]}, "years='1990..2024'"),
        ({"months": ["2023-13..2023-02"]}, "months="),
        ({"months": ["2023-01"]}, "months="),
        ({"utm_source": ["x"]}, "utm_source (unknown parameter)"),
        ({"region": ["Europe"], "country": ["AU"]}, "country=AU (outside the chosen regions)"),
    ],
)
def test_bad_url_values_are_dropped_and_reported(params: dict, fragment: str) -> None:
    f, ignored = parse_query(params, OPTS)
    assert any(fragment in i for i in ignored), ignored
    assert f.years is None and f.months is None and "Astronaut" not in f.roles
    assert "AU" not in f.countries or not f.regions


def test_good_values_are_kept_beside_bad_ones() -> None:
    f, ignored = parse_query({"role": ["Research Scientist", "Nope"], "country": ["NA"]}, OPTS)
    assert f.roles == ("Research Scientist",) and f.countries == ("NA",)  # Namibia, not NaN
    assert len(ignored) == 1


def test_page_owned_keys_are_left_to_their_pages_not_reported() -> None:
    params = {"skill": ["PyTorch"], "a": ["Research Scientist"], "b": ["x"], "role": ["Nope"]}
    f, ignored = parse_query(params, OPTS)
    assert f == Filters(roles=())
    assert ignored == ["role='Nope' (not in the data)"]


def test_every_key_a_page_reads_is_declared_as_page_owned() -> None:
    from dashboard.views import compare, fit

    assert {fit.URL_KEY, *compare.URL_KEYS} <= set(PAGE_KEYS)
    assert not set(PAGE_KEYS) & set(URL_KEYS)
