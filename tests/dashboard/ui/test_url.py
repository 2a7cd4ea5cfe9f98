"""dashboard/ui/url.py: the global filters in the address, parsed safely; page-owned keys left to
their pages.
"""

from __future__ import annotations

import re

import pytest

from dashboard.queries.filters import Filters, Options
from dashboard.ui.url import (
    CURRENCY_KEY,
    KEPT_KEYS,
    MAX_NOTICES,
    PAGE_KEYS,
    URL_KEYS,
    ignored_notice,
    parse_query,
    to_query,
)

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
        ({"role": ["Astronaut"]}, "role=“Astronaut”"),
        ({"years": ["2025..2023"]}, "years=“2025..2023”"),
        ({"years": ["abc"]}, "years=“abc”"),
        ({"years": ["1990..2024"]}, "years=“1990..2024”"),
        ({"months": ["2023-13..2023-02"]}, "months="),
        ({"months": ["2023-01"]}, "months="),
        ({"utm_source": ["x"]}, "“utm_source” (unknown parameter)"),
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
    assert ignored == ["role=“Nope” (not in the data)"]


def test_every_key_a_page_reads_is_declared_as_page_owned() -> None:
    from dashboard.views import compare, fit

    assert {fit.URL_KEY, *compare.URL_KEYS} <= set(PAGE_KEYS)
    assert not set(PAGE_KEYS) & set(URL_KEYS)


def test_the_currency_is_a_global_key_the_filters_leave_alone() -> None:
    from dashboard.ui import currency

    assert currency.PARAM == CURRENCY_KEY == "cur"
    assert CURRENCY_KEY in KEPT_KEYS and CURRENCY_KEY not in (*PAGE_KEYS, *URL_KEYS)
    f, ignored = parse_query({"cur": ["EUR"], "role": ["Nope"], "curr": ["EUR"]}, OPTS)
    assert f == Filters(roles=())
    assert ignored == ["role=“Nope” (not in the data)", "“curr” (unknown parameter)"]


INJECTION = "[Sign in again](https://evil.example/login) ![x](https://evil.example/p.png)"


def test_a_link_value_is_echoed_as_inert_text_never_as_a_link_or_image() -> None:
    _, ignored = parse_query({"role": [INJECTION], INJECTION: ["1"]}, OPTS)
    notice = ignored_notice(ignored)
    assert notice.startswith("Ignored in the link: ")
    # every Markdown sign escaped: no link, image, autolink or directive can form
    body = notice.removeprefix("Ignored in the link: ")
    assert not re.search(r"(?<!\\)[\[\]()!:<>$]", body), body
    assert "https://" not in body and "evil.example" not in body
    assert r"\[Sign in again\]\(https\:\/\/evil\.example" in notice


def test_a_huge_value_is_shortened_and_many_notices_are_capped() -> None:
    huge = "A" * 100_000
    _, ignored = parse_query(
        {"role": [huge, *"BCDEF"], **{f"k{i}": ["x"] for i in range(50)}}, OPTS
    )
    notice = ignored_notice(ignored)
    assert len(notice) < 1_000
    assert "A" * 39 + "…" in notice and "and 3 more" in notice
    assert notice.endswith(f"and {len(ignored) - MAX_NOTICES} more")
