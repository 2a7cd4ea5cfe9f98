"""Exact pay quantiles read from the pay marts, equal to DuckDB's ``quantile_cont``.

A quantile at q of n amounts lies at rank (n - 1)·q, between the amounts of its floor and ceil
ranks. ``quantile_cont`` finds them by selecting over every amount of the selection (~60 ms per
chart at 1M pay amounts, ~500 ms at 10M). Here the ranks are located instead, and only the few
amounts that sit at them are read:

1. ``pay_buckets`` (amounts counted per filter cell and ~2.5 %-wide pay bucket) summed over the
   selection's cells: exactly which bucket holds each needed rank, and how many smaller amounts
   lie below it;
2. the amounts of those buckets only (of the groups that need them) from ``pay_values``, stored
   sorted by amount (so DuckDB's zone maps skip the other buckets' row groups), from which the
   ranks are picked.

Every step counts exactly (no estimate is ever shown), so the result is the amount quantile_cont
would pick, interpolated as DuckDB does (tests/dashboard/queries/test_pay_quantiles.py compares
them on random selections, groupings, ties and bucket edges, and on the real store).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd

from dashboard.queries.filters import Filters, month_bounds
from dashboard.queries.store import Params, fetch, fetch_arrays, where

DIRECT_MAX_N = 100_000
"""Selections of at most this many amounts (their count is one sum over pay_buckets, ~2 ms at 1M)
take quantile_cont over pay_values directly: below it DuckDB's selection over the few amounts
costs less than the two passes' fixed ~20 ms (measured on the 1M benchmark store)."""


def pay_where(f: Filters, kind: str) -> tuple[str, Params]:
    """WHERE clause and parameters of ``f`` over pay_values / pay_buckets rows of one kind.

    Of kind 'survey' it selects exactly the salary records ``where(f, "salaries")`` selects (every
    record with an amount is one pay_values row with the same filter columns), so record counts
    are sums of pay_buckets.n: ~58k cells instead of 1M records at 1M, ~17× less to scan."""
    w, p = where(f, "pay_values")  # the list filters (no time: the kind decides which)
    clauses, params = ["kind = ?"], [kind, *p]
    if w:
        clauses.append(w.removeprefix("WHERE "))
    if kind == "advertised" and f.months:
        clauses.append("month >= ? AND month < ?")
        params += list(month_bounds(f.months))
    if kind == "survey" and f.years:
        clauses.append("year BETWEEN ? AND ?")
        params += [f.years[0], f.years[1]]
    return "WHERE " + " AND ".join(clauses), params


def pay_quantiles(
    store: str,
    version: str,
    f: Filters,
    kind: str,
    by: tuple[str, ...],
    qs: tuple[float, ...],
) -> pd.DataFrame:
    """``by`` columns, n and one column per quantile in ``qs`` (named by the float): exactly
    ``quantile_cont(salary_usd, qs)`` over the selection's amounts of ``kind`` ('survey' or
    'advertised'), grouped by ``by`` (column names the caller has checked).

    Rows come ordered by ``by`` (NULLs last), as ``GROUP BY … ORDER BY`` gives them; a grouped
    empty selection has no rows, an ungrouped one a row with n = 0 and NaN quantiles.
    """
    keys = list(by)
    w, p = pay_where(f, kind)
    sel = "".join(f"{k}, " for k in keys)
    cols = [*keys, "n", *qs]
    total = fetch(store, version, f"SELECT sum(n) AS n FROM pay_buckets {w}", p)["n"].iloc[0]
    if pd.isna(total) or total <= DIRECT_MAX_N:  # DuckDB's own quantile_cont is quicker
        picks = ", ".join(f"q[{i + 1}] AS q{i}" for i in range(len(qs)))
        wanted = ", ".join(repr(float(q)) for q in qs)
        got = fetch(
            store,
            version,
            f"SELECT {sel}n, {picks} FROM (SELECT {sel}count(*) AS n, "
            f"quantile_cont(salary_usd, [{wanted}]) AS q FROM pay_values {w} "
            f"GROUP BY ALL) ORDER BY {sel}n",
            p,
        )
        return got.set_axis(cols, axis=1)
    hist = fetch(
        store,
        version,
        f"SELECT {sel}bucket, CAST(sum(n) AS BIGINT) AS n FROM pay_buckets {w} "
        f"GROUP BY ALL ORDER BY {sel}bucket",
        p,
    )
    groups = _Groups(hist, keys)
    # 1. the bucket of each needed rank, and the rank within the bucket
    in_bucket: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (group, bucket) -> (rank, r)
    for g, (b, c) in enumerate(groups.histograms()):
        cum = np.cumsum(c)
        for rank in _ranks(int(cum[-1]), qs):
            i = int(np.searchsorted(cum, rank, side="right"))
            below = int(cum[i - 1]) if i else 0
            in_bucket.setdefault((g, int(b[i])), []).append((rank, rank - below))
    # 2. those (group, bucket) pairs' amounts, picked at the ranks
    amount = _amounts_at(store, version, groups, w, p, in_bucket)
    rows = []
    for g in range(groups.count):
        n = groups.totals[g]
        row = {**groups.key_rows[g], "n": n}
        for q in qs:
            pos = float(n - 1) * q
            lo, hi = amount[(g, math.floor(pos))], amount[(g, math.ceil(pos))]
            row[q] = _interpolate(lo, hi, pos - math.floor(pos))
        rows.append(row)
    return pd.DataFrame(rows, columns=cols)


class _Groups:
    """The groups of a pass-1 histogram (ordered by group, then bucket): each group's key values,
    its total, and its slice of the histogram."""

    def __init__(self, hist: pd.DataFrame, keys: list[str]) -> None:
        self.keys = keys
        self.types = [
            "INTEGER" if pd.api.types.is_integer_dtype(hist[k]) else "VARCHAR" for k in keys
        ]
        gid = hist.groupby(keys, sort=False, dropna=False).ngroup().to_numpy() if keys else None
        gid = np.zeros(len(hist), dtype=np.int64) if gid is None else gid
        self.count = int(gid.max()) + 1
        self.starts = np.searchsorted(gid, np.arange(self.count + 1))
        self.buckets, self.n = hist["bucket"].to_numpy(), hist["n"].to_numpy()
        self.totals = [int(x) for x in np.add.reduceat(self.n, self.starts[:-1])]
        first = hist.iloc[self.starts[:-1]]
        self.key_rows = [
            {k: (None if pd.isna(v) else v) for k, v in zip(keys, values, strict=True)}
            for values in first[keys].itertuples(index=False, name=None)
        ]

    def histograms(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(buckets, counts) of each group in turn."""
        for g in range(self.count):
            s, e = self.starts[g], self.starts[g + 1]
            yield self.buckets[s:e], self.n[s:e]


def _amounts_at(
    store: str,
    version: str,
    groups: _Groups,
    w: str,
    p: Params,
    in_bucket: dict[tuple[int, int], list[tuple[int, int]]],
) -> dict[tuple[int, int], float]:
    """{(group, rank): amount}: the amounts of the (group, bucket) pairs in ``in_bucket``, read in
    one query (pay_values joined to the list of pairs: its zone maps skip the row groups outside
    the pairs' buckets), and the rank within its bucket picked from each pair's amounts.

    pay_values is stored sorted by amount, so a pair's amounts mostly arrive sorted and the pick
    is an index; they are checked and sorted when they are not, so the result never depends on
    the order DuckDB returns them in."""
    pairs = sorted(in_bucket)
    on = [f"v.{k} IS NOT DISTINCT FROM t.k{j}" for j, k in enumerate(groups.keys)]
    lists = ", ".join(
        [
            "unnest(?::INTEGER[]) AS i",
            *(f"unnest(?::{t}[]) AS k{j}" for j, t in enumerate(groups.types)),
            "unnest(?::SMALLINT[]) AS b",
        ]
    )
    sql = (
        f"SELECT t.i AS pair, v.salary_usd FROM pay_values AS v JOIN (SELECT {lists}) AS t "
        f"ON {' AND '.join([*on, 'v.bucket = t.b'])} {w}"
    )
    params = [
        list(range(len(pairs))),
        *([groups.key_rows[g][k] for g, _ in pairs] for k in groups.keys),
        [bucket for _, bucket in pairs],
        *p,
    ]
    got = fetch_arrays(store, version, sql, params)
    index = got["pair"]
    small = index.astype(np.uint16) if len(pairs) < 2**16 else index
    order = np.argsort(small, kind="stable")  # radix sort; keeps each pair's rows in order
    ends = np.cumsum(np.bincount(index, minlength=len(pairs)))
    amounts = got["salary_usd"][order]
    out: dict[tuple[int, int], float] = {}
    for i, pair in enumerate(pairs):
        mine = amounts[(ends[i - 1] if i else 0) : ends[i]]
        if len(mine) > 1 and not (mine[1:] >= mine[:-1]).all():
            mine = np.sort(mine)
        for rank, r in in_bucket[pair]:
            out[(pair[0], rank)] = float(mine[r])
    return out


def _ranks(n: int, qs: tuple[float, ...]) -> set[int]:
    """The 0-based ranks quantile_cont reads for each q of n amounts (floor and ceil of it)."""
    out: set[int] = set()
    for q in qs:
        pos = float(n - 1) * q
        out |= {math.floor(pos), math.ceil(pos)}
    return out


def _interpolate(lo: float, hi: float, d: float) -> float:
    """DuckDB's interpolation of doubles, ``lo * (1 - d) + hi * d``, as its x86-64 build computes
    it: the first product fused into the sum (one rounding), which differs from plain double
    arithmetic in the last bit for ~4 % of quantiles. At d = 0 (a rank that is an amount's own)
    the amount itself."""
    if d == 0:
        return lo
    return _fma(lo, 1.0 - d, hi * d)


def _fma(a: float, b: float, c: float) -> float:
    """a·b + c rounded once: the product split exactly into two doubles (Dekker's TwoProduct),
    then summed with c by math.fsum, which rounds the exact sum once (math.fma from Python
    3.13)."""
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return math.fsum((p, e, c))


def _split(a: float) -> tuple[float, float]:
    """Veltkamp's split of a double into two halves of 26 bits (exact for |a| < 2**996)."""
    t = 134217729.0 * a
    hi = t - (t - a)
    return hi, a - hi
