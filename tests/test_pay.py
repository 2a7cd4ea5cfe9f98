"""Pay normaliser: text parsing, annualising, USD conversion and the plausibility band."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.contract import SALARY_PERIODS
from etl.normalise.pay import PayText, annualise, implausible_reason, parse_pay_text, to_usd


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$151K – $231K • Offers Equity • Multiple Ranges", (151_000, 231_000, "USD", "year")),
        ("OTE $168K – $231K • Offers Equity • 75/25 Split", (168_000, 231_000, "USD", "year")),
        ("$18 - $22/hr", (18, 22, "USD", "hour")),
        ("$14/hr", (14, 14, "USD", "hour")),
        ("$30k - $100k", (30_000, 100_000, "USD", "year")),
        ("$45,000 - $50,000", (45_000, 50_000, "USD", "year")),
        ("$36k", (36_000, 36_000, "USD", "year")),
        ("$90 - $150 /hour", (90, 150, "USD", "hour")),
        ("$50-$75 /hour", (50, 75, "USD", "hour")),
        ("$31,2k- $52k", (31_200, 52_000, "USD", "year")),
        ("$20k -$35k", (20_000, 35_000, "USD", "year")),
        ("€50.000 - €60.000", (50_000, 60_000, "EUR", "year")),
        ("€50.000–60.000 p.a.", (50_000, 60_000, "EUR", "year")),
        ("£40k-£50k", (40_000, 50_000, "GBP", "year")),
        ("USD 120,000 - 150,000 per year", (120_000, 150_000, "USD", "year")),
        ("100k-120k EUR", (100_000, 120_000, "EUR", "year")),
        ("$5,000/month", (5_000, 5_000, "USD", "month")),
        ("CA$90k", (90_000, 90_000, "CAD", "year")),
        ("40 €/Std", (40, 40, "EUR", "hour")),
        ("$40/h", (40, 40, "USD", "hour")),
        ("$60 - $40 /hour", (40, 60, "USD", "hour")),
        ("$90-150k", (90_000, 150_000, "USD", "year")),
        ("120,000 EUR - 150,000 EUR", (120_000, 150_000, "EUR", "year")),
        ("€50.000 bis 60.000 brutto/Jahr", (50_000, 60_000, "EUR", "year")),
        ("$120k + 401(k)", (120_000, 120_000, "USD", "year")),
        ("$100k + 10% bonus", (100_000, 100_000, "USD", "year")),
    ],
)
def test_real_pay_text_shapes_parse(text, expected):
    assert parse_pay_text(text) == PayText(*expected)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "Competitive",
        "DOE",
        "2 days in office",
        "Offers Equity",
        "Competitive + 401k",
        "10% bonus",
        42,
    ],
)
def test_text_without_pay_gives_none(text):
    assert parse_pay_text(text) is None


def test_unstated_period_is_hourly_for_small_figures_and_yearly_for_large():
    assert parse_pay_text("$95").period == "hour"
    assert parse_pay_text("$999").period == "hour"
    assert parse_pay_text("$1,000").period == "year"
    assert parse_pay_text("$12K").period == "year"


def test_annualise_uses_the_documented_factors():
    amount = pd.Series([20.0, 400.0, 1_000.0, 5_000.0, 90_000.0, 1.0, np.nan])
    period = pd.Series(["hour", "day", "week", "Month", "year", "fortnight", "year"])
    out = annualise(amount, period)
    assert out.iloc[:5].tolist() == [41_600.0, 104_000.0, 52_000.0, 60_000.0, 90_000.0]
    assert out.iloc[5:].isna().all()


def test_data_jobs_hourly_extremes_annualise_inside_the_band():
    out = annualise(pd.Series([8.0, 391.0]), pd.Series(["hour", "hour"]))
    assert out.tolist() == [16_640.0, 813_280.0]
    assert implausible_reason(out).isna().all()


def test_to_usd_uses_the_rate_of_the_date_and_mid_year_for_years():
    amount = pd.Series([100.0, 100.0, 100.0, 100.0])
    currency = pd.Series(["USD", "EUR", "EUR", "GBP"])
    on_dates = pd.Series(pd.to_datetime(["2023-07-01", "2023-07-03", "2008-07-01", "2023-07-01"]))
    by_date = to_usd(amount, currency, on_dates)
    assert by_date.iloc[0] == 100.0
    assert 100 < by_date.iloc[1] < 115  # EUR ~1.09 USD in July 2023
    assert 150 < by_date.iloc[2] < 165  # EUR was ~1.57 USD in July 2008: the date matters
    assert 120 < by_date.iloc[3] < 135
    by_year = to_usd(amount, currency, pd.Series([2023, 2023, 2023, 2023]))
    assert by_year.iloc[1] == pytest.approx(by_date.iloc[1], rel=0.01)


def test_to_usd_gives_nan_for_unknown_or_missing_currency_and_keeps_index():
    idx = [5, 6, 7, 8]
    out = to_usd(
        pd.Series([1.0, 1.0, 1.0, 1.0], index=idx),
        pd.Series(["XYZ", None, "usd", "ARS"], index=idx),
        pd.Series([2024, 2024, 2024, 2024], index=idx),
    )
    assert list(out.index) == idx
    assert math.isnan(out[5]) and math.isnan(out[6]) and math.isnan(out[8])
    assert out[7] == 1.0


def test_to_usd_survives_dates_outside_the_rate_history_and_missing_dates():
    out = to_usd(
        pd.Series([100.0, 100.0]),
        pd.Series(["EUR", "EUR"]),
        pd.Series([pd.Timestamp("2040-01-01"), pd.NaT]),
    )
    assert out.notna().all() and (out > 50).all()


def test_implausible_reason_says_why_in_words():
    out = implausible_reason(pd.Series([3_200.0, 50_000.0, 2_500_000.0, np.nan]))
    assert out.iloc[0] == ("annual pay 3,200 USD is below the plausible minimum of 10,000 USD")
    assert out.iloc[1] is None and out.iloc[3] is None
    assert out.iloc[2] == "annual pay 2,500,000 USD is above the plausible maximum of 1,000,000 USD"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.none(),
        st.text(max_size=50),
        st.from_regex(
            r"[$€£]?\d{1,6}[kK]?\s*[-–]\s*[$€£]?\d{1,6}[kK]?(/hr|/month)?", fullmatch=True
        ),
    )
)
def test_parse_pay_text_never_crashes_and_returns_valid_values(text):
    result = parse_pay_text(text)
    if result is not None:
        assert 0 < result.min <= result.max
        assert result.period in SALARY_PERIODS
        assert result.currency is None or (len(result.currency) == 3 and result.currency.isupper())


@pytest.mark.shared_data
def test_every_real_remotive_salary_parses_or_is_empty(shared_data):
    raw = shared_data / "api_samples" / "remotive" / "remote_jobs_raw.json"
    jobs = json.loads(raw.read_text(encoding="utf-8-sig"))["jobs"]
    salaries = [j["salary"] for j in jobs]
    parsed = [parse_pay_text(s) for s in salaries]
    assert all((p is None) == (not s.strip()) for s, p in zip(salaries, parsed, strict=True))
    assert {p.period for p in parsed if p} == {"year", "hour"}


@pytest.mark.shared_data
def test_ashby_compensation_summaries_parse(shared_data):
    raw = json.loads((shared_data / "api_samples" / "ashby" / "ramp_job_board.json").read_text())
    summaries = [(j.get("compensation") or {}).get("compensationTierSummary") for j in raw["jobs"]]
    parsed = [parse_pay_text(s) for s in summaries]
    assert [p is None for p in parsed] == [s is None or not s for s in summaries]
    assert parsed[0] == PayText(151_000.0, 231_000.0, "USD", "year")


def test_a_missing_or_malformed_pay_file_is_a_one_line_error(tmp_path):
    from etl.normalise.pay import load_pay_rules

    with pytest.raises(ValueError, match=r"^cannot read .*nope\.yaml: "):
        load_pay_rules(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping"):
        load_pay_rules(bad)


@pytest.mark.shared_data
def test_to_usd_agrees_with_the_survey_own_usd_figures(shared_data):
    df = pd.read_csv(
        shared_data / "aijobs_salaries" / "salaries_2020-2025_asof-2025-08.csv.gz",
        usecols=["work_year", "salary", "salary_currency", "salary_in_usd"],
        keep_default_na=False,
    )
    foreign = df[df["salary_currency"].isin(["EUR", "GBP", "CAD", "INR", "PLN", "CHF"])]
    ratio = to_usd(foreign["salary"], foreign["salary_currency"], foreign["work_year"])
    ratio = ratio / foreign["salary_in_usd"]
    assert ratio.notna().all()
    assert ratio.median() == pytest.approx(1.0, abs=0.03)


def test_usd_rates_name_the_rate_date_used_clamped_to_the_rate_table():
    from currency_converter import CurrencyConverter

    from etl.normalise.pay import usd_rates

    table = CurrencyConverter(fallback_on_missing_rate=True)
    last = min(table.bounds["EUR"].last_date, table.bounds["USD"].last_date)
    out = usd_rates(
        pd.Series(["EUR", "USD", "EUR", "XYZ", "EUR"]),
        pd.Series(pd.to_datetime(["2023-07-03", "2023-07-03", "2040-01-01", "2023-07-03", None])),
    )
    assert out["rate_date"].tolist() == [
        pd.Timestamp("2023-07-03").date(),
        None,
        last,
        None,
        last,
    ]
    assert out["usd_rate"].iloc[0] == pytest.approx(
        table.convert(1, "EUR", "USD", date=out["rate_date"].iloc[0])
    )
    assert out["usd_rate"].iloc[1] == 1.0 and math.isnan(out["usd_rate"].iloc[3])
    assert out["usd_rate"].iloc[2] == pytest.approx(table.convert(1, "EUR", "USD", date=last))
