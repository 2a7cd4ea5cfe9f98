"""rank_windows: premiums from bucket counts and the amounts near their ranks equal, draw for
draw, the premiums computed on every amount (premium.skill_premium); and they refuse, rather than
misread, amounts that do not match their counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.stats import premium, rank_windows
from dashboard.stats.honesty import Thresholds
from etl.contract import SENIORITY_CODES

LEVELS = list(SENIORITY_CODES)
LOOSE = Thresholds(min_n_median=1, min_n_percentile=1, min_n_premium=1)
STRICT = Thresholds(min_n_median=30, min_n_percentile=100, min_n_premium=30)


def _bucket(pay: np.ndarray) -> np.ndarray:
    return np.floor(np.log(pay) * 40).astype("int64")  # as etl/marts.py, coarser or finer alike


def _postings(rng: np.random.Generator, n: int, skills: int, levels: list[int]) -> pd.DataFrame:
    """n postings with pay (many ties: whole thousands), a level among ``levels``, a group of
    two, and each skill asked with a probability that rises with the level (a seniority mix)."""
    level = rng.choice(levels, n)
    pay = np.round(rng.lognormal(11.3 + 0.15 * level, 0.35, n), -3) + 1000
    d = pd.DataFrame({"g": rng.integers(0, 2, n), "lv": level, "pay": pay, "bucket": _bucket(pay)})
    for k in range(skills):
        d[f"s{k}"] = rng.random(n) < (0.05 + 0.08 * k + 0.05 * level)
    return d


def _counts(d: pd.DataFrame, skills: int) -> rank_windows.Counts:
    every = d.groupby(["g", "lv", "bucket"]).size().reset_index(name="n")
    mine = pd.concat(
        [d[d[f"s{k}"]].assign(k=k) for k in range(skills)], ignore_index=True
    ).groupby(["k", "g", "lv", "bucket"]).size().reset_index(name="n")  # fmt: skip
    return rank_windows.Counts.of(
        {c: every[c].to_numpy() for c in every},
        {c: mine[c].to_numpy() for c in mine},
        2,
        skills,
        len(LEVELS),
    )


def _read(rows: pd.DataFrame, want: dict[str, np.ndarray], keys: list[str]) -> pd.DataFrame:
    """What the query layer's window read returns: the wanted cells' amounts, a pooled cell
    (level POOLED) holding every level's, sorted by cell then amount."""
    cells = pd.DataFrame(want)
    level = cells[cells["lv"] != rank_windows.POOLED].merge(rows, on=[*keys, "lv", "bucket"])
    pooled = cells[cells["lv"] == rank_windows.POOLED].merge(
        rows.drop(columns="lv"), on=[*keys, "bucket"]
    )
    out = pd.concat([level, pooled], ignore_index=True)
    return out.sort_values([*keys, "lv", "bucket", "salary_usd"], ignore_index=True)


def _amounts(frame: pd.DataFrame, keys: list[str]) -> rank_windows.Amounts:
    cols = [*keys, "lv", "bucket"]
    return rank_windows.Amounts.of(
        {c: frame[c].to_numpy() for c in [*cols, "salary_usd"]}, tuple(cols)
    )


def _windowed(d: pd.DataFrame, skills: int, t: Thresholds) -> list[tuple[dict, list[dict]]]:
    counts = _counts(d, skills)
    tasks = [(f"r{g}", f"s{k}", g, k) for g in (0, 1) for k in range(skills)]
    plans = [rank_windows.plan(*task, counts, LEVELS, t=t) for task in tasks]
    want_all, want_with = rank_windows.wanted(plans, counts)
    every = d.rename(columns={"pay": "salary_usd"})[["g", "lv", "bucket", "salary_usd"]]
    mine = pd.concat(
        [every[d[f"s{k}"]].assign(k=k) for k in range(skills)], ignore_index=True
    )  # fmt: skip
    e = _amounts(_read(every, want_all, ["g"]), ["g"])
    m = _amounts(_read(mine, want_with, ["k", "g"]), ["k", "g"])
    return [rank_windows.finish(p, counts, e, m, t=t) for p in plans]


def _everything(d: pd.DataFrame, skills: int, t: Thresholds) -> list[tuple[dict, list[dict]]]:
    out = []
    for g in (0, 1):
        grp = d[d["g"] == g]
        everyone = premium.Strata.of(grp["pay"].to_numpy(), grp["lv"].to_numpy(), LEVELS)
        for k in range(skills):
            has = grp[f"s{k}"].to_numpy()
            mine = premium.Strata.of(grp["pay"].to_numpy()[has], grp["lv"].to_numpy()[has], LEVELS)
            out.append(premium.skill_premium(f"r{g}", f"s{k}", everyone, mine, t=t))
    return out


@pytest.mark.parametrize(
    ("seed", "n", "levels", "t"),
    [
        (1, 4000, [1, 2, 3, 4, 6], STRICT),  # large: windows are a bucket or two
        (2, 4001, [0, 1, 2, 3, 4, 5, 6], LOOSE),  # odd sizes, every level, tiny levels shown
        (3, 150, [2, 3, 6], LOOSE),  # small: windows span most buckets
        (4, 60, [3, 6], STRICT),  # too few: premiums hidden, medians still shown
        (5, 1, [2], LOOSE),  # one posting
    ],
)
def test_windows_give_the_figures_of_every_amount(
    seed: int, n: int, levels: list[int], t: Thresholds
) -> None:
    d = _postings(np.random.default_rng(seed), n, 4, levels)
    got, exp = _windowed(d, 4, t), _everything(d, 4, t)
    assert [row for row, _ in got] == [row for row, _ in exp]  # exact: ==, NaN-free rows
    assert [lv for _, lv in got] == [lv for _, lv in exp]
    shown = [row for row, _ in exp if row["raw"] is not None and row["adjusted"] is not None]
    assert shown or n < 100  # the larger cases compute premiums, not only hide them


def test_the_windows_read_a_few_percent_of_a_large_sample() -> None:
    d = _postings(np.random.default_rng(6), 60_000, 2, [1, 2, 3, 4, 6])
    counts = _counts(d, 2)
    plans = [
        rank_windows.plan(f"r{g}", f"s{k}", g, k, counts, LEVELS, t=STRICT)
        for g in (0, 1)
        for k in range(2)
    ]
    want_all, _ = rank_windows.wanted(plans, counts)
    every = d.rename(columns={"pay": "salary_usd"})[["g", "lv", "bucket", "salary_usd"]]
    assert len(_read(every, want_all, ["g"])) < 0.35 * len(d)


def test_amounts_that_disagree_with_the_counts_are_refused() -> None:
    d = _postings(np.random.default_rng(7), 2000, 1, [2, 3])
    counts = _counts(d, 1)
    plan = rank_windows.plan("r0", "s0", 0, 0, counts, LEVELS, t=LOOSE)
    want_all, want_with = rank_windows.wanted([plan], counts)
    every = d.rename(columns={"pay": "salary_usd"})[["g", "lv", "bucket", "salary_usd"]]
    mine = every[d["s0"]].assign(k=0)
    read_all = _read(every, want_all, ["g"])
    short = read_all.drop(index=read_all.index[len(read_all) // 2])  # one amount lost
    m = _amounts(_read(mine, want_with, ["k", "g"]), ["k", "g"])
    with pytest.raises((RuntimeError, ValueError)):
        rank_windows.finish(plan, counts, _amounts(short, ["g"]), m, t=LOOSE)


def test_amounts_must_come_sorted() -> None:
    cols = {"g": np.array([0, 0]), "bucket": np.array([400, 400]), "salary_usd": np.array([2, 1])}
    with pytest.raises(ValueError, match="sorted"):
        rank_windows.Amounts.of(cols, ("g", "bucket"))


def test_without_removes_one_copy_per_removed_value() -> None:
    values = np.array([1.0, 2, 2, 2, 3, 5])
    assert rank_windows.without(values, np.array([2.0, 2])).tolist() == [1, 2, 3, 5]
    assert rank_windows.without(values, np.array([])).tolist() == values.tolist()
    with pytest.raises(ValueError):
        rank_windows.without(values, np.array([4.0]))
    with pytest.raises(ValueError):
        rank_windows.without(values, np.array([5.0, 5.0]))


def test_a_span_refuses_ranks_outside_its_sample() -> None:
    span = rank_windows.Span(np.array([3, 0, 2]))
    span.at(np.array([0, 4]))
    assert span.window() == (0, 2, 0)
    with pytest.raises(IndexError):
        span.at(np.array([5]))


def test_a_replay_refuses_draws_it_did_not_record() -> None:
    rec = rank_windows.Recorded(3)
    first = rec.beta(2, 3, 10)
    replay = rec.replay()
    assert replay.beta(2, 3, 10) is first
    with pytest.raises(RuntimeError):
        rec.replay().beta(2, 3, 11)
