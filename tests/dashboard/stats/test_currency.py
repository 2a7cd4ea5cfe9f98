"""Pay in the reader's currency: conversions agree with the ECB rate table and round-trip."""

from __future__ import annotations

import datetime as dt
import math
import zipfile

import pandas as pd
import pytest
from currency_converter import CurrencyConverter

from dashboard.stats.currency import (
    aggregate_day,
    convert,
    convert_columns,
    currencies,
    from_usd,
    live_currencies,
    money,
    rate,
    rate_note,
    to_usd,
    with_converted,
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


def _bounds_say(table: CurrencyConverter) -> tuple[str, ...]:
    last = table.bounds["USD"].last_date
    live = sorted(c for c in table.currencies if c != "USD" and table.bounds[c].last_date >= last)
    return ("USD", *live)


def test_the_offered_currencies_are_what_the_parsed_rate_table_says():
    assert currencies() == _bounds_say(CurrencyConverter())


def test_live_currencies_go_by_the_last_usd_date_not_the_file_order(tmp_path):
    rows = [
        "Date,USD,CYP,GBP,XXA,XXB,",
        "2024-01-02,1.10,N/A,0.86,N/A,1.0,",  # the last USD date, not the first row
        "2024-01-03,N/A,N/A,N/A,2.0,,",  # a later day without USD: XXA still quoted
        "2023-12-29,1.11,0.58,0.87,N/A,N/A,",  # CYP retired before USD's last date
    ]
    path = tmp_path / "rates.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("rates.csv", "\n".join(rows) + "\n")
    offered = live_currencies(str(path))
    assert offered == ("USD", "EUR", "GBP", "XXA", "XXB")
    assert offered == _bounds_say(CurrencyConverter(str(path)))


def test_money_is_short_and_names_the_currency():
    assert money(123_456, "EUR") == "€123k"
    assert money(1_234_567, "USD") == "$1.23M"
    assert money(450_000, "PLN") == "PLN 450k"
    assert money(math.nan, "USD") == "—"


@pytest.mark.parametrize("on", [2022, dt.date(2024, 3, 1)])
def test_one_figure_converts_at_the_rate_table_and_round_trips(on):
    day = dt.date(on, 7, 1) if isinstance(on, int) else on
    eur = convert(150_000.0, "EUR", on)
    assert eur == pytest.approx(TABLE.convert(150_000, "USD", "EUR", date=day), rel=1e-12)
    assert to_usd(eur, "EUR", on) == pytest.approx(150_000.0, rel=1e-12)
    assert convert(150_000.0, "USD", on) == 150_000.0
    assert math.isnan(convert(None, "EUR", on)) and math.isnan(convert(math.nan, "EUR", on))


def test_an_aggregate_converts_at_the_latest_date_of_the_selection_else_of_the_store():
    years, months = (2020, 2021, 2022), ("2024-01", "2024-06")
    assert aggregate_day("survey", None, None, years, months) == 2022
    assert aggregate_day("survey", (2020, 2021), None, years, months) == 2021
    assert aggregate_day("advertised", None, None, years, months) == dt.date(2024, 6, 1)
    assert aggregate_day("advertised", None, ("2024-01", "2024-03"), years, months) == dt.date(
        2024, 3, 1
    )
    assert aggregate_day("survey", None, None, (), ()) is None
    assert aggregate_day("advertised", None, None, (), ()) is None


def test_the_rate_note_names_the_currency_the_rate_and_its_date():
    note = rate_note("EUR", 2023)
    per = TABLE.convert(1, "USD", "EUR", date=dt.date(2023, 7, 1))
    assert note == f"in EUR at the ECB reference rate of 2023-07-01 (1 USD = {per:,.4g} EUR)"
    assert rate_note("USD", 2023) == "in USD"
    with pytest.raises(ValueError):
        rate_note("XYZ", 2023)


def test_with_converted_adds_the_converted_pay_and_keeps_the_rows_own_currency_and_rate():
    rows = pd.DataFrame(
        {
            "salary_usd": [100_000.0, None],
            "currency": ["GBP", "EUR"],
            "rate_date": [dt.date(2024, 1, 2), dt.date(2024, 1, 3)],
        }
    )
    on = pd.Series(pd.to_datetime(["2024-01-02", "2024-05-02"]))
    out = with_converted(rows, "salary_usd", "JPY", on)
    assert out[["salary_usd", "currency", "rate_date"]].equals(rows)
    assert out["salary_jpy"][0] == pytest.approx(
        TABLE.convert(100_000, "USD", "JPY", date=dt.date(2024, 1, 2))
    )
    assert out["jpy_rate_date"].tolist() == [dt.date(2024, 1, 2), dt.date(2024, 5, 2)]
    assert math.isnan(out["salary_jpy"][1]) and out["jpy_per_usd"][1] > 100
    assert with_converted(rows, "salary_usd", "USD", on) is rows
