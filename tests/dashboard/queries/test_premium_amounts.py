"""dashboard/queries/premium_amounts.py: both reads (every amount; bucket windows) give the
premiums that premium.premium_table computes from the base tables in pandas, on the demo store
and, where ../shared/data is present, on the store the real ETL builds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tiny_stores import read_sql

from dashboard.queries import premium_amounts, skills
from dashboard.queries.filters import Filters
from dashboard.queries.store import filter_options, where
from dashboard.stats import premium
from dashboard.stats.honesty import Thresholds
from etl.store import store_version

LOOSE = Thresholds(min_n_median=1, min_n_percentile=1, min_n_premium=1)
EVERY_AMOUNT, WINDOWS = 10**15, 0


def _reference(path: Path, f: Filters, chosen: tuple[str, ...], roles, t) -> pd.DataFrame:
    """The premiums from the base tables: postings with pay in the selection, and their skills."""
    w, p = where(f, "postings")
    pay = read_sql(
        path,
        f"SELECT posting_id, role, seniority, salary_usd FROM postings {w} "
        f"{'AND' if w else 'WHERE'} salary_usd > 0 AND isfinite(salary_usd)",
        p,
    )
    ps = read_sql(path, "SELECT posting_id, skill FROM posting_skills")
    return premium.premium_table(pay, ps, chosen, roles, t=t)


def _check(path: Path, filter_sets: list[Filters]) -> int:
    store, v = str(path), store_version(path)
    options = filter_options(store, v)
    top = tuple(skills.top_skills(store, v, Filters(), 6)["skill"])
    shown = 0
    for f in filter_sets:
        for roles in (None, tuple(options.roles[:2])):
            for t in (Thresholds(), LOOSE):
                args = (store, v, f, top, roles, t)
                every = premium_amounts.premium_tables(*args, windows_from=EVERY_AMOUNT)
                near = premium_amounts.premium_tables(*args, windows_from=WINDOWS)
                pd.testing.assert_frame_equal(near[0], every[0], check_exact=True)
                pd.testing.assert_frame_equal(near[1], every[1], check_exact=True)
                ref = _reference(path, f, top, list(roles) if roles else None, t)
                pd.testing.assert_frame_equal(every[0], ref, check_exact=True, obj=f"{f} {roles}")
                shown += int(every[0]["adjusted"].notna().sum())
    return shown


def test_both_reads_give_the_base_tables_premiums_on_the_demo_store(demo_store: Path) -> None:
    options = filter_options(str(demo_store), store_version(demo_store))
    sets = [
        Filters(),
        Filters(seniority=("senior", "mid")),
        Filters(regions=(options.regions[0],), months=(options.months[0], options.months[-1])),
    ]
    assert _check(demo_store, sets) > 0  # not only hidden premiums


def test_both_reads_give_the_base_tables_premiums_on_the_real_store(
    request: pytest.FixtureRequest,
) -> None:
    real_store: Path = request.getfixturevalue("real_store")
    assert _check(real_store, [Filters(), Filters(seniority=("senior",))]) > 0


def test_the_read_follows_the_size_of_the_selection(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below WINDOWS_FROM postings with pay every amount is read, from it the windows."""
    store, v = str(demo_store), store_version(demo_store)
    used: list[str] = []
    for name in ("_every_amount", "_near_ranks"):
        real = getattr(premium_amounts, name)
        monkeypatch.setattr(
            premium_amounts, name, lambda *a, _n=name, _f=real: used.append(_n) or _f(*a)
        )
    args = (store, v, Filters(), ("Python",), None, None)
    premium_amounts.premium_tables(*args)
    premium_amounts.premium_tables(*args, windows_from=1)
    assert used == ["_every_amount", "_near_ranks"]
