"""Pay in the reader's currency: conversions agree with the ECB rate table and round-trip."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest
from currency_converter import CurrencyConverter

from dashboard.stats.currency import (
    convert_columns,
    currencies,
    from_usd,
    money,
    rate,
    to_usd,
)

TABLE = CurrencyConverter(fallback_on_missing_rate=True)


@pytest.mark.parametrize("code", ["EUR", "GBP", "JPY", "INR", "PLN", "CHF"])
def test_from_usd_agrees_with_the_rate_table_on_the_rows_date(code):
    day = dt.date(2023, 6, 15)
    got = from_usd(pd.Series([100_000.0]), code, pd.Series(pd.to_datetime([day])))
    assert got.iloc[0] == pytest.approx(TABLE.convert(100_000, "USD", code, date=day), rel=1e-9)


@pytest.mark.parametrize("code", ["EUR", "GBP", "JPY", "SEK"])
def test_a_round_trip_through_a_currency_returns_the_usd_amount(code):
    day = dt.date(2024, 3, 1)
    local = from_usd(pd.Series([123_456.0]), code, pd.Series(pd.to_datetime([day]))).iloc[0]
    assert to_usd(local, code, day) == pytest.approx(123_456.0, rel=1e-12)


def test_a_survey_year_uses_the_rate_of_1_july():
    by_year = rate("EUR", 2023)
    assert by_year.date == dt.date(2023, 7, 1)
    assert by_year.per_usd == pytest.approx(
        TABLE.convert(1, "USD", "EUR", date=dt.date(2023, 7, 1))
    )


def test_usd_is_unchanged_and_an_unknown_currency_is_a_clear_error():
    assert rate("USD", dt.date(2023, 1, 1)).per_usd == 1.0
    assert from_usd(pd.Series([5.0]), "USD", pd.Series([2023])).iloc[0] == 5.0
    with pytest.raises(ValueError, match="no exchange rate for 'XYZ'"):
        rate("XYZ", 2023)


def test_convert_columns_says_which_rate_and_date_it_used():
    frame = pd.DataFrame({"median": [100_000.0, 200_000.0], "n": [40, 50], "year": [2022, 2024]})
    out = convert_columns(frame, ["median"], "GBP", frame["year"])
    assert out["n"].tolist() == [40, 50]
    assert out["rate_date"].tolist() == [dt.date(2022, 7, 1), dt.date(2024, 7, 1)]
    for i, day in enumerate(out["rate_date"]):
        expected = TABLE.convert(frame["median"][i], "USD", "GBP", date=day)
        assert out["median"][i] == pytest.approx(expected)
        assert out["rate_per_usd"][i] == pytest.approx(TABLE.convert(1, "USD", "GBP", date=day))
    same = convert_columns(frame, ["median"], "USD", None)
    assert same["median"].tolist() == [100_000.0, 200_000.0] and (same["rate_per_usd"] == 1).all()


def test_only_currencies_still_quoted_are_offered_usd_first():
    offered = currencies()
    assert offered[0] == "USD" and {"EUR", "GBP", "INR"} <= set(offered)
    assert not {"CYP", "LTL", "EEK", "ROL"} & set(offered)


def test_money_is_short_and_names_the_currency():
    assert money(123_456, "EUR") == "€123k"
    assert money(1_234_567, "USD") == "$1.23M"
    assert money(450_000, "PLN") == "PLN 450k"
    assert money(math.nan, "USD") == "—"
