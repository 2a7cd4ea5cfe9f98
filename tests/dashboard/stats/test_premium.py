"""Raw and seniority-adjusted skill premiums against hand-computed numbers; honesty policy."""

from __future__ import annotations

from math import comb

import numpy as np
import pandas as pd
import pytest

from dashboard.stats.honesty import Thresholds
from dashboard.stats.premium import (
    ALL_ROLES,
    Sample,
    Strata,
    adjusted_premium,
    bootstrap_medians,
    describe,
    level_breakdown,
    premium_table,
    raw_premium,
    seed_for,
)
from etl.contract import SENIORITY_CODES

T = Thresholds(min_n_median=30, min_n_percentile=100, min_n_premium=30)


def _block(level: str, values: list[float], each: int, has: bool) -> pd.DataFrame:
    pay = np.repeat(values, each)
    return pd.DataFrame({"seniority": level, "salary_usd": pay, "has": has})


def seniority_mix_case() -> pd.DataFrame:
    """Same pay with and without the skill at each level; the skill is mostly asked by seniors.

    mid: 95k/100k/105k (median 100k) for 30 with and 270 without;
    senior: 190k/200k/210k (median 200k) for 270 with and 30 without.
    """
    return pd.concat(
        [
            _block("mid", [95e3, 100e3, 105e3], 10, True),
            _block("mid", [95e3, 100e3, 105e3], 90, False),
            _block("senior", [190e3, 200e3, 210e3], 90, True),
            _block("senior", [190e3, 200e3, 210e3], 10, False),
        ],
        ignore_index=True,
    )


def test_raw_premium_is_positive_only_because_of_the_seniority_mix() -> None:
    d = seniority_mix_case()
    raw = raw_premium(d["salary_usd"], d["has"], t=T)
    # with: 30 mid + 270 senior -> 150th/151st values are 200k; without: 270 mid + 30 senior -> 100k
    assert raw.value == pytest.approx(200e3 / 100e3 - 1)  # +100%
    assert (raw.n_with, raw.n_without) == (300, 300)
    assert raw.low > 0.5


def test_adjusted_premium_of_the_seniority_mix_case_is_zero() -> None:
    d = seniority_mix_case()
    adj = adjusted_premium(d["salary_usd"], d["has"], d["seniority"], t=T)
    assert adj.value == pytest.approx(0.0, abs=1e-12)
    assert adj.levels == ("mid", "senior")
    assert adj.coverage == 1.0
    assert adj.low <= 0.0 <= adj.high
    assert adj.high - adj.low < 0.1


def test_adjusted_premium_weights_levels_by_postings_with_the_skill() -> None:
    # mid: +10% (110k vs 100k) with 40 postings with the skill; senior: +20% (240k vs 200k), 120.
    d = pd.concat(
        [
            _block("mid", [110e3], 40, True),
            _block("mid", [100e3], 50, False),
            _block("senior", [240e3], 120, True),
            _block("senior", [200e3], 60, False),
        ]
    )
    adj = adjusted_premium(d["salary_usd"], d["has"], d["seniority"], t=T)
    assert adj.value == pytest.approx((40 * 0.10 + 120 * 0.20) / 160)  # 0.175
    assert (adj.n_with, adj.n_without) == (160, 110)
    # constant pay within each group: every resample gives the same number
    assert adj.low == pytest.approx(0.175) and adj.high == pytest.approx(0.175)


def test_a_level_below_the_threshold_is_left_out_and_coverage_says_so() -> None:
    d = pd.concat(
        [
            _block("mid", [110e3], 30, True),
            _block("mid", [100e3], 30, False),
            _block("senior", [300e3], 10, True),  # 10 with: fewer than 30
            _block("senior", [200e3], 60, False),
        ]
    )
    adj = adjusted_premium(d["salary_usd"], d["has"], d["seniority"], t=T)
    assert adj.levels == ("mid",)
    assert adj.value == pytest.approx(0.10)
    assert adj.coverage == pytest.approx(30 / 40)
    table = level_breakdown(d["salary_usd"], d["has"], d["seniority"], t=T)
    senior = table[table["seniority"] == "senior"].iloc[0]
    assert not senior["used"]
    assert senior["note"] == "not used: 10 postings — fewer than 30 with the skill"
    assert senior["premium"] == pytest.approx(0.5)


def test_unknown_seniority_is_never_a_stratum() -> None:
    d = pd.concat(
        [
            _block("unknown", [150e3], 100, True),
            _block("unknown", [100e3], 100, False),
        ]
    )
    adj = adjusted_premium(d["salary_usd"], d["has"], d["seniority"], t=T)
    assert adj.value is None
    assert adj.note == "hidden: no posting with pay states its seniority"
    raw = raw_premium(d["salary_usd"], d["has"], t=T)
    assert raw.value == pytest.approx(0.5)


def test_too_thin_data_says_why_instead_of_a_number() -> None:
    d = pd.concat([_block("mid", [110e3], 12, True), _block("mid", [100e3], 200, False)])
    raw = raw_premium(d["salary_usd"], d["has"], t=T)
    assert raw.value is None and raw.low is None
    assert raw.note == "hidden: 12 postings — fewer than 30 with the skill"
    adj = adjusted_premium(d["salary_usd"], d["has"], d["seniority"], t=T)
    assert adj.value is None
    assert adj.note == (
        "hidden: no level has 30 with and 30 without (best: mid, 12 with, 200 without)"
    )
    assert describe(raw.value, raw.low, raw.high, raw.note) == (
        "12 postings — fewer than 30 with the skill"
    )


def test_the_thresholds_come_from_the_honesty_policy() -> None:
    d = pd.concat([_block("mid", [110e3], 12, True), _block("mid", [100e3], 12, False)])
    loose = Thresholds(min_n_premium=10)
    assert raw_premium(d["salary_usd"], d["has"], t=loose).value == pytest.approx(0.1)
    assert adjusted_premium(d["salary_usd"], d["has"], d["seniority"], t=loose).value == (
        pytest.approx(0.1)
    )
    assert raw_premium(d["salary_usd"], d["has"], t=T).value is None


def test_missing_or_zero_pay_is_ignored() -> None:
    pay = [np.nan] * 5 + [0.0] * 5 + [110e3] * 30 + [100e3] * 30
    has = [True] * 10 + [True] * 30 + [False] * 30
    raw = raw_premium(pay, has, t=T)
    assert (raw.n_with, raw.n_without) == (30, 30)
    assert raw.value == pytest.approx(0.1)


def test_bootstrap_median_draws_follow_the_exact_bootstrap_distribution() -> None:
    # For n = 7 sorted values, P(resample median <= x_(j)) = P(Bin(7, j/7) >= 4), j = 1..7.
    x = np.array([1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0])
    draws = bootstrap_medians(x, 200_000, np.random.default_rng(3))
    for j in range(1, 8):
        p = j / 7
        exact = sum(comb(7, i) * p**i * (1 - p) ** (7 - i) for i in range(4, 8))
        assert np.mean(draws <= x[j - 1]) == pytest.approx(exact, abs=0.005)


def test_bootstrap_medians_of_an_even_sample_average_the_middle_pair() -> None:
    # n = 2: resamples {a,a}, {a,b}, {b,a}, {b,b} -> medians a, (a+b)/2 (twice), b
    draws = bootstrap_medians(np.array([10.0, 20.0]), 100_000, np.random.default_rng(5))
    values, counts = np.unique(draws, return_counts=True)
    assert values.tolist() == [10.0, 15.0, 20.0]
    assert counts / counts.sum() == pytest.approx([0.25, 0.5, 0.25], abs=0.01)


def test_the_interval_does_not_depend_on_the_other_skills_computed() -> None:
    d = seniority_mix_case()
    pay = d.assign(posting_id=[f"p{i}" for i in range(len(d))], role="MLE")
    skills = pd.DataFrame({"posting_id": pay.loc[pay["has"], "posting_id"], "skill": "PyTorch"})
    other = pd.DataFrame({"posting_id": pay["posting_id"].iloc[::2], "skill": "SQL"})
    both = pd.concat([skills, other])
    one = premium_table(pay, skills, ["PyTorch"], t=T, n_boot=300)
    two = premium_table(pay, both, ["SQL", "PyTorch"], t=T, n_boot=300)
    a, b = one.iloc[0], two[two["skill"] == "PyTorch"].iloc[0]
    assert (a["raw_low"], a["raw_high"]) == (b["raw_low"], b["raw_high"])
    assert seed_for("MLE", "PyTorch") != seed_for("MLE", "SQL")


def test_premium_table_per_role_and_pooled() -> None:
    d = seniority_mix_case()
    pay = d.assign(posting_id=[f"p{i}" for i in range(len(d))], role="MLE")
    extra = pd.DataFrame(
        {"posting_id": ["x1", "x2"], "role": "RS", "seniority": "mid", "salary_usd": 1e5}
    )
    pay = pd.concat([pay, extra], ignore_index=True)
    skills = pd.DataFrame({"posting_id": pay.loc[pay["has"] == True, "posting_id"]})  # noqa: E712
    skills["skill"] = "PyTorch"
    pooled = premium_table(pay, skills, ["PyTorch"], t=T, n_boot=200)
    assert pooled["role"].tolist() == [ALL_ROLES]
    assert pooled["n_without"].iloc[0] == 302
    per_role = premium_table(pay, skills, ["PyTorch"], ["MLE", "RS"], t=T, n_boot=200)
    mle = per_role.set_index("role").loc["MLE"]
    assert mle["raw"] == pytest.approx(1.0)
    assert mle["adjusted"] == pytest.approx(0.0, abs=1e-12)
    assert mle["levels"] == "mid, senior" and mle["median_with"] == 200e3
    rs = per_role.set_index("role").loc["RS"]
    assert np.isnan(rs["raw"]) and rs["raw_note"].startswith("hidden: 0 postings")


def test_describe_formats_a_shown_premium_with_its_interval() -> None:
    assert describe(0.123, 0.04, 0.2, "") == "+12% (90% CI +4% to +20%)"
    assert describe(-0.004, -0.1, 0.05, "") == "0% (90% CI -10% to +5%)"  # never "-0%"
    assert describe(float("nan"), None, None, "hidden: 3 postings — fewer than 30") == (
        "3 postings — fewer than 30"
    )


def test_the_postings_without_a_skill_are_read_off_the_two_sorted_arrays() -> None:
    rng = np.random.default_rng(11)
    for n, m in ((1, 1), (7, 3), (200, 37), (500, 499)):
        values = np.sort(rng.integers(0, 12, n).astype("float64"))  # many ties
        minus = np.sort(rng.choice(values, m, replace=False))
        expected = _remove(values, minus)
        sample = Sample(values, minus)
        assert sample.n == n - m
        for k in range(n - m):
            assert sample.at(np.array([k]))[0] == expected[k]
        if n - m:
            assert sample.at(np.arange(n - m)).tolist() == expected.tolist()
            assert sample.median() == float(np.median(expected))
    assert Sample(np.array([1.0, 2.0]), np.array([1.0, 2.0])).median() is None


@pytest.mark.parametrize("narrow_above", [0, 4096])
def test_a_narrowed_rank_range_reads_the_same_values_as_the_masked_sample(
    narrow_above: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big with-skill sides (most of a level, or a few percent of it) with ties everywhere: every
    rank window the bootstrap reads, and single ranks at the ends, equal the kept values'."""
    import dashboard.stats.premium as premium_module

    monkeypatch.setattr(premium_module, "NARROW_ABOVE", narrow_above)
    rng = np.random.default_rng(5)
    for n, m, spread in ((60_000, 25_000, 400), (60_000, 57_000, 50), (40_000, 5_000, 40_000)):
        values = np.sort(np.round(rng.lognormal(11.5, 0.4, n) / spread))
        minus = np.sort(rng.choice(values, m, replace=False))
        u, c = np.unique(values, return_counts=True)
        um, cm = np.unique(minus, return_counts=True)
        expected = np.repeat(
            u, c - np.where(np.isin(u, um), cm[np.searchsorted(um, u) % len(um)], 0)
        )
        sample = Sample(values, minus)
        assert sample.n == len(expected) == n - m
        draws = np.sort(rng.beta((n - m + 1) // 2, (n - m + 2) // 2, 2000) * (n - m)).astype(int)
        for k in (draws, np.array([0]), np.array([n - m - 1]), np.array([0, n - m - 1])):
            assert sample.at(k).tolist() == expected[k].tolist()
        assert sample.median() == float(np.median(expected))


def _remove(values: np.ndarray, minus: np.ndarray) -> np.ndarray:
    out = list(values)
    for v in minus:
        out.remove(v)
    return np.array(out)


def _old_raw(pay: np.ndarray, has: np.ndarray, seed: int) -> tuple[float, float, float]:
    """The masked computation premium_table replaced: median of each side, resampled."""
    w, wo = pay[has], pay[~has]
    rng = np.random.default_rng(seed)
    draws = bootstrap_medians(w, 2000, rng) / bootstrap_medians(wo, 2000, rng) - 1
    low, high = np.percentile(draws, [5, 95])
    return float(np.median(w) / np.median(wo) - 1), float(low), float(high)


def _old_adjusted(pay: np.ndarray, has: np.ndarray, level: np.ndarray, seed: int) -> tuple:
    """The masked per-level computation (levels with 30+ on both sides, weighted by n with)."""
    used = [s for s in ("entry", "mid", "senior") if min((level == s)[has].sum(),
            (level == s)[~has].sum()) >= 30]  # fmt: skip
    w = np.array([(has & (level == s)).sum() for s in used], dtype="float64")
    w = w / w.sum()
    prem = [np.median(pay[has & (level == s)]) / np.median(pay[~has & (level == s)]) - 1
            for s in used]  # fmt: skip
    rng = np.random.default_rng(seed)
    draws = np.zeros(2000)
    for wgt, s in zip(w, used, strict=True):
        m = level == s
        draws += wgt * (
            bootstrap_medians(pay[m & has], 2000, rng) / bootstrap_medians(pay[m & ~has], 2000, rng)
            - 1
        )
    low, high = np.percentile(draws, [5, 95])
    return float(np.dot(w, np.array(prem, dtype="float64"))), float(low), float(high)


def test_the_table_gives_the_masked_computation_draw_for_draw() -> None:
    rng = np.random.default_rng(4)
    n = 3000
    pay = np.round(rng.lognormal(11.5, 0.4, n), -3)  # rounded: ties across the two sides
    level = rng.choice(["entry", "mid", "senior", "unknown"], n)
    has = rng.random(n) < np.where(level == "senior", 0.5, 0.15)
    frame = pd.DataFrame(
        {"posting_id": [f"p{i}" for i in range(n)], "role": "MLE", "seniority": level,
         "salary_usd": pay}
    )  # fmt: skip
    skills = pd.DataFrame({"posting_id": frame.loc[has, "posting_id"], "skill": "SQL"})
    got = premium_table(frame, skills, ["SQL"], ["MLE"], t=T).iloc[0]
    assert (got["raw"], got["raw_low"], got["raw_high"]) == _old_raw(
        pay, has, seed_for("MLE", "SQL")
    )
    assert (got["adjusted"], got["adjusted_low"], got["adjusted_high"]) == _old_adjusted(
        pay, has, level, seed_for("MLE", "SQL")
    )
    assert got["levels"] == "entry, mid, senior" and got["median_without"] == np.median(pay[~has])


@pytest.mark.parametrize("levels", [("mid",), ("entry", "mid", "senior", "unknown")])
def test_strata_of_sorted_pay_equal_strata_of_the_same_pay_shuffled(levels: tuple) -> None:
    rng = np.random.default_rng(3)
    names = list(SENIORITY_CODES)
    pay = np.sort(np.round(rng.lognormal(11.5, 0.4, 5000), -2))  # ties, as pay_values gives
    pay[:3] = [0.0, np.nan, np.inf]  # not pay: left out either way
    codes = rng.choice([names.index(x) for x in levels], len(pay))
    shuffled = rng.permutation(len(pay))
    fast = Strata.of(pay[3:], codes[3:], names)
    slow = Strata.of(pay[shuffled], codes[shuffled], names)
    np.testing.assert_array_equal(fast.pay, slow.pay)
    assert fast.levels.keys() == slow.levels.keys()
    for level in levels:
        np.testing.assert_array_equal(fast.levels[level], slow.levels[level])
        assert (np.diff(fast.levels[level]) >= 0).all()


@pytest.mark.parametrize("n_names", [1, 3, 8, 40])
def test_each_level_of_strata_holds_exactly_its_own_pay_sorted(n_names: int) -> None:
    rng = np.random.default_rng(8)
    names = [f"level{i}" for i in range(n_names)]
    pay = np.round(rng.lognormal(11.5, 0.4, 4000), -2)
    codes = rng.integers(0, max(n_names - 1, 1), len(pay))  # the last name has no pay
    got = Strata.of(pay, codes, names)
    expected = {names[i]: np.sort(pay[codes == i]) for i in range(n_names) if (codes == i).any()}
    assert list(got.levels) == list(expected)
    for name, values in expected.items():
        np.testing.assert_array_equal(got.levels[name], values)
    np.testing.assert_array_equal(got.pay, np.sort(pay))


@pytest.mark.parametrize("n_names", [8, 40])
def test_strata_of_no_pay_has_no_level(n_names: int) -> None:
    names = [f"level{i}" for i in range(n_names)]
    got = Strata.of(np.empty(0), np.empty(0, dtype="int64"), names)
    assert got.levels == {} and len(got.pay) == 0
