"""Human number formats: what a reader sees in metrics, hovers and sentences."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.stats.format import count, money, percent, plural, signed_percent


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (152_000, "$152k"),
        (151_499.99, "$151k"),
        (999_600, "$1.00M"),  # rounds up into millions, never "$1,000k"
        (1_250_000, "$1.25M"),
        (950, "$950"),
        (0, "$0"),
        (-12_000, "-$12k"),
    ],
)
def test_money_is_compact_dollars(value: float, text: str) -> None:
    assert money(value) == text


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA, "n/a"])
def test_missing_values_show_a_dash_not_nan(missing: object) -> None:
    assert money(missing) == "—"
    assert percent(missing) == "—"
    assert count(missing) == "—"
    assert signed_percent(missing) == "—"


def test_percent_takes_a_share_not_a_percentage() -> None:
    assert percent(0.1234) == "12.3%"
    assert percent(1) == "100.0%"
    assert percent(0.5, digits=0) == "50%"


def test_signed_percent_shows_the_direction() -> None:
    assert signed_percent(0.34) == "+34%"
    assert signed_percent(-0.05) == "-5%"


def test_count_has_thousands_separators_and_rounds() -> None:
    assert count(12345) == "12,345"
    assert count(151445.6) == "151,446"


def test_plural() -> None:
    assert plural(1, "record") == "1 record"
    assert plural(12, "record") == "12 records"
    assert plural(2, "country", "countries") == "2 countries"
