"""The pay amounts the skill premiums read, and the premiums computed from them.

Every figure of a premium is an order statistic (dashboard/stats/premium.py), so two reads give
the same numbers, draw for draw:

- a selection of up to ``WINDOWS_FROM`` postings with pay reads *every* amount: (group, level,
  pay) of the postings and of their (posting, chosen skill) rows, two small-typed fetches;
- a larger one reads pay-bucket counts first and then only the amounts of the buckets that hold
  the ranks its medians and bootstrap draws read (dashboard/stats/rank_windows.py): a few percent
  of the amounts instead of 15M at 10M postings, for two more round trips.

Postings with pay means salary_usd > 0 and finite, which is the pay bucket being neither of the
two sentinel buckets (etl/marts.py), so one condition serves pay_values, pay_buckets and
posting_skill_facts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from dashboard.queries import quantiles
from dashboard.queries.filters import Filters
from dashboard.queries.store import Params, fetch_arrays, where
from dashboard.stats import premium, rank_windows
from dashboard.stats.honesty import Thresholds
from etl.contract import SENIORITY_CODES

WINDOWS_FROM = 1_500_000
"""Postings with pay from which the premiums read bucket windows instead of every amount. Below
it the two extra round trips cost more than moving the amounts: on the benchmark machine (15
skills, 10M-posting store) 224 ms with windows against 180 reading every amount at 0.66M
postings with pay, 343 against 398 at 3.4M, 388 against 809 at 10M."""

LEVELS = list(SENIORITY_CODES)
_LEVEL_SQL = (  # one byte per posting: the fetch moves ~10M of them at 10M postings
    f"CAST(coalesce(list_position(?::VARCHAR[], seniority), {LEVELS.index('unknown') + 1}) - 1"
    " AS UTINYINT)"
)
_WITH_PAY = " AND bucket > -32768 AND bucket < 32767"  # = salary_usd > 0 AND isfinite(salary_usd)

Frames = tuple[pd.DataFrame, pd.DataFrame]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class _Selection:
    """The WHERE clauses of one premiums call: its postings with pay, over pay_values and
    pay_buckets (``pay``) and over posting_skill_facts rows of the chosen skills (``facts``)."""

    skills: list[str]
    groups: list[str]
    by_role: bool
    pay: tuple[str, Params]
    facts: tuple[str, Params]

    @classmethod
    def of(cls, f: Filters, skills: tuple[str, ...], roles: tuple[str, ...] | None) -> _Selection:
        skill_list = list(dict.fromkeys(skills))
        groups = [premium.ALL_ROLES] if roles is None else list(dict.fromkeys(roles))
        role_cond, role_p = "", []
        if roles is not None:
            role_cond, role_p = " AND list_contains(?::VARCHAR[], role)", [groups]
        pw, pp = quantiles.pay_where(f, "advertised")
        w, p = where(f, "postings")
        w = (w or "WHERE TRUE") + _WITH_PAY + role_cond + " AND list_contains(?::VARCHAR[], skill)"
        return cls(
            skill_list,
            groups,
            roles is not None,
            (pw + _WITH_PAY + role_cond, [*pp, *role_p]),
            (w, [*p, *role_p, skill_list]),
        )

    def tasks(self, roles: tuple[str, ...] | None) -> list[tuple[str, str, int, int]]:
        """(role, skill, group code, skill code) per premium, in the order the table lists them."""
        return [
            (role, skill, self.groups.index(role), self.skills.index(skill))
            for role in ([premium.ALL_ROLES] if roles is None else roles)
            for skill in self.skills
        ]


def _parallel(func: Callable[[T], R], items: Iterable[T], cap: int = 4) -> list[R]:
    """``map`` on the machine's cores: NumPy's draws, sorts and searches, and DuckDB's queries
    (each on its own cursor), let go of the GIL; results come back in order."""
    items = list(items)
    with ThreadPoolExecutor(max_workers=max(1, min(len(items), os.cpu_count() or 1, cap))) as ex:
        return list(ex.map(func, items))


def premium_tables(
    store: str,
    version: str,
    f: Filters,
    skills: tuple[str, ...],
    roles: tuple[str, ...] | None,
    t: Thresholds | None,
    windows_from: int | None = None,
) -> Frames:
    """(premiums, per-level rows) of ``skills`` per role (None = all roles pooled)."""
    sel = _Selection.of(f, skills, roles)
    pw, pp = sel.pay
    cells = ("role, " if sel.by_role else "") + "seniority, bucket"
    counts_sql = f"SELECT {cells}, CAST(sum(n) AS BIGINT) AS n FROM pay_buckets {pw} GROUP BY ALL"
    every_rows = fetch_arrays(store, version, counts_sql, pp)
    if int(every_rows["n"].sum()) < (WINDOWS_FROM if windows_from is None else windows_from):
        return _every_amount(store, version, sel, roles, t)
    w, p = sel.facts
    with_sql = f"SELECT skill, {cells}, count(*) AS n FROM posting_skill_facts {w} GROUP BY ALL"
    with_rows = fetch_arrays(store, version, with_sql, p)
    return _near_ranks(store, version, sel, roles, t, every_rows, with_rows)


def _every_amount(
    store: str, version: str, sel: _Selection, roles: tuple[str, ...] | None, t: Thresholds | None
) -> Frames:
    """Fetch (group, level, pay) of the postings and of their chosen-skill rows; premium.py
    works on them sorted (pay_values and posting_skill_facts are stored sorted by amount)."""
    group_sql, group_p = "CAST(0 AS USMALLINT)", []
    if sel.by_role:
        group_sql = "CAST(list_position(?::VARCHAR[], role) - 1 AS USMALLINT)"
        group_p = [sel.groups]
    (pw, pp), (w, p) = sel.pay, sel.facts
    everyone, with_skill = _parallel(
        lambda q: fetch_arrays(store, version, *q),
        [
            (f"SELECT {group_sql} AS g, {_LEVEL_SQL} AS lv, salary_usd FROM pay_values {pw}",
             [*group_p, LEVELS, *pp]),
            (f"SELECT list_position(?::VARCHAR[], skill) - 1 AS k, {group_sql} AS g, "
             f"{_LEVEL_SQL} AS lv, salary_usd FROM posting_skill_facts {w}",
             [sel.skills, *group_p, LEVELS, *p]),
        ],
    )  # fmt: skip
    g, lv, pay = (everyone[c] for c in ("g", "lv", "salary_usd"))
    wg, wlv, wpay = (with_skill[c] for c in ("g", "lv", "salary_usd"))
    n_cells = len(sel.groups) * len(sel.skills)
    cell = wg.astype("int64") * len(sel.skills) + with_skill["k"]
    small = cell.astype(np.int16) if n_cells < 2**15 else cell
    order = np.argsort(small, kind="stable")  # radix sort on small ints
    ends = np.cumsum(np.bincount(cell, minlength=n_cells))
    strata: dict[int, premium.Strata] = {}
    tasks = []
    for role, skill, gi, ki in sel.tasks(roles):
        if gi not in strata:
            # one group: a view, not a masked copy (~50 ms per column at 10M postings)
            pick = slice(None) if len(sel.groups) == 1 else g == gi
            strata[gi] = premium.Strata.of(pay[pick], lv[pick], LEVELS)
        c = gi * len(sel.skills) + ki
        tasks.append((role, skill, strata[gi], order[(ends[c - 1] if c else 0) : ends[c]]))

    def one(task: tuple) -> tuple[dict, list[dict]]:
        role, skill, everyone, idx = task
        mine = premium.Strata.of(wpay[idx], wlv[idx], LEVELS)
        return premium.skill_premium(role, skill, everyone, mine, t=t)

    return _frames(_parallel(one, tasks))


def _near_ranks(
    store: str,
    version: str,
    sel: _Selection,
    roles: tuple[str, ...] | None,
    t: Thresholds | None,
    every_rows: dict[str, np.ndarray],
    with_rows: dict[str, np.ndarray],
) -> Frames:
    """Plan every premium from the counts, read the amounts of the buckets its ranks fall in,
    then compute it from them (dashboard/stats/rank_windows.py)."""
    codes = _Codes(sel.skills, sel.groups if sel.by_role else None)
    counts = rank_windows.Counts.of(
        codes.of(every_rows), codes.of(with_rows), len(sel.groups), len(sel.skills), len(LEVELS)
    )
    plans = _parallel(lambda task: rank_windows.plan(*task, counts, LEVELS, t=t), sel.tasks(roles))
    want_all, want_with = rank_windows.wanted(plans, counts)
    everyone, with_skill = _parallel(
        lambda q: _window_amounts(store, version, *q),
        [
            (codes.named(want_all), "pay_values", *sel.pay),
            (codes.named(want_with), "posting_skill_facts", *sel.facts),
        ],
    )
    return _frames(
        _parallel(lambda p: rank_windows.finish(p, counts, everyone, with_skill, t=t), plans)
    )


def _frames(done: list[tuple[dict, list[dict]]]) -> Frames:
    return premium.premium_frames([r for r, _ in done], [x for _, lv_rows in done for x in lv_rows])


class _Codes:
    """Skill, role (group) and level names <-> the integer codes rank_windows works with."""

    def __init__(self, skills: list[str], roles: list[str] | None) -> None:
        self.names = {"k": skills, "g": roles, "lv": LEVELS}
        self.columns = {"k": "skill", "g": "role", "lv": "seniority"}

    def of(self, rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Grouped rows by name -> by code (g = 0 when all roles are one group)."""
        out = {"bucket": rows["bucket"], "n": rows["n"]}
        for code, col in self.columns.items():
            names = self.names[code]
            if names is None:
                out[code] = np.zeros(len(rows["bucket"]), dtype="int64")
            elif col in rows:
                index = {name: i for i, name in enumerate(names)}
                out[code] = np.array([index[x] for x in rows[col]], dtype="int64")
        return out

    def named(self, want: dict[str, np.ndarray]) -> dict[str, list]:
        """Wanted cells by code -> with their names (seniority None for a pooled window)."""
        out: dict[str, list] = {k: want[k].tolist() for k in want}
        for code, col in self.columns.items():
            names = self.names[code]
            if code in want and names is not None:
                out[col] = [
                    None if (code == "lv" and i == rank_windows.POOLED) else names[i]
                    for i in out[code]
                ]
        return out


def _window_amounts(
    store: str, version: str, want: dict[str, list], table: str, w: str, params: Params
) -> rank_windows.Amounts:
    """The amounts of the wanted cells (level POOLED = every level of the group), sorted by cell
    then amount, joined on the names the table stores (no per-row code is computed). The bucket
    range lets DuckDB's zone maps skip the rest of a table stored sorted by amount."""
    codes = [k for k in ("k", "g", "lv") if k in want]
    if not want["bucket"]:
        empty = {k: np.zeros(0, dtype="int64") for k in (*codes, "bucket")}
        return rank_windows.Amounts.of({**empty, "salary_usd": np.zeros(0)}, (*codes, "bucket"))
    types = {"k": "USMALLINT", "g": "USMALLINT", "lv": "UTINYINT", "bucket": "SMALLINT"}
    cols = [c for c in ("k", "g", "lv", "bucket", "skill", "role", "seniority") if c in want]
    unnest = ", ".join(f"unnest(?::{types.get(c, 'VARCHAR')}[]) AS {c}" for c in cols)
    named = [c for c in ("skill", "role") if c in want]
    on = "".join(f" AND a.{c} = want.{c}" for c in named)
    picked = ", ".join(f"want.{c}" for c in (*codes, "bucket"))
    arrays = fetch_arrays(
        store,
        version,
        f"""
        WITH want AS (SELECT {unnest}),
             a AS (SELECT {", ".join([*named, "seniority"])}, bucket, salary_usd
                   FROM {table} {w} AND bucket BETWEEN ? AND ?)
        SELECT {picked}, a.salary_usd FROM a JOIN want
          ON a.bucket = want.bucket{on}
             AND (a.seniority = want.seniority OR want.lv = {rank_windows.POOLED})
        ORDER BY {picked}, a.salary_usd
        """,
        [*(want[c] for c in cols), *params, min(want["bucket"]), max(want["bucket"])],
    )
    return rank_windows.Amounts.of(arrays, (*codes, "bucket"))
