"""Exact pay quantiles from the pay marts equal DuckDB's quantile_cont over the base tables.

quantiles.pay_quantiles finds each needed rank's bucket in ``pay_buckets`` and reads only that
bucket's amounts from ``pay_values`` (small selections: quantile_cont over pay_values). These
tests compare both paths, value for value (==, not approximately), with the query they replaced
(quantile_cont over salaries / postings with the same filters) on a store built to trip them:
ties, amounts exactly on and one float either side of bucket edges, a group of one amount, NULL
countries and regions, empty selections, month and year filters, every grouping the pages use;
and on the real store.
"""

from __future__ import annotations

import platform
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from tiny_stores import postings_full, read_sql

from dashboard.queries import demand, overview, pay, quantiles, sources
from dashboard.queries.filters import Filters
from dashboard.queries.store import where
from etl.marts import PAY_BUCKETS_PER_E
from etl.store import publish, store_version

ROLES = ("Machine Learning Engineer", "Research Scientist", "Data Analyst", "Other")
PLACES = (("US", "North America"), ("GB", "Europe"), ("DE", "Europe"), (None, None))
LEVELS = ("entry", "mid", "senior", "lead")
MODES = ("remote", "onsite", "hybrid")
SIZES = ("S", "M", "L", None)
# DuckDB's x86-64 build fuses its interpolation's multiply-add (as quantiles._interpolate):
# there the figures are bit for bit DuckDB's; elsewhere they may differ in the last bit.
BIT_EXACT = platform.machine() in ("x86_64", "AMD64")
GROUPINGS = [(), *[(c,) for c in pay.SALARY_DIMS], ("role", "seniority")]


def _amounts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Log-normal pay rounded to $1k (ties), with a quarter of the amounts on a bucket's edge or
    one float either side of it."""
    pay = np.round(np.exp(rng.normal(11.6, 0.5, n)), -3)
    edges = np.exp(rng.integers(430, 500, n) / PAY_BUCKETS_PER_E)
    side = rng.integers(-1, 2, n)
    on_edge = np.where(
        side < 0, np.nextafter(edges, 0), np.where(side > 0, np.nextafter(edges, 1e9), edges)
    )
    return np.where(rng.random(n) < 0.25, on_edge, pay)


def _postings(rng: np.random.Generator, n: int) -> pd.DataFrame:
    p = postings_full().iloc[:0].copy()
    p = pd.concat([p, pd.DataFrame(index=range(n))], ignore_index=True)
    place = rng.integers(0, len(PLACES), n)
    p["posting_id"] = [f"q{i}" for i in range(n)]
    p["source"] = rng.choice(["a", "b"], n)
    p["posted_date"] = pd.to_datetime("2022-11-01") + pd.to_timedelta(rng.integers(0, 500, n), "D")
    p["first_seen"] = p["last_seen"] = p["posted_date"]
    p["role"] = rng.choice(ROLES, n)
    p["title"] = p["role"]
    p["country_code"] = [PLACES[i][0] for i in place]
    p["region"] = [PLACES[i][1] for i in place]
    p["seniority"] = rng.choice(LEVELS, n)
    p["remote"] = rng.choice(MODES, n)
    p["employment_type"] = "full_time"
    p["is_ai"] = p["role"] != "Data Analyst"
    pay_ = _amounts(rng, n)
    p["salary_usd"] = np.where(rng.random(n) < 0.3, np.nan, pay_)  # some state no pay
    p["salary_min_usd"] = p["salary_max_usd"] = p["salary_usd"]
    # one Research Scientist posting in Germany states pay: a group of one
    rs_de = (p["role"] == ROLES[1]) & (p["country_code"] == "DE")
    p.loc[rs_de, "salary_usd"] = np.nan
    first = rs_de.idxmax()
    p.loc[first, "salary_usd"] = 123_456.0
    return p


def _salaries(rng: np.random.Generator, n: int) -> pd.DataFrame:
    place = rng.integers(0, len(PLACES), n)
    return pd.DataFrame(
        {
            "record_id": [f"s{i}" for i in range(n)],
            "source": rng.choice(["survey", "other survey"], n),
            "year": rng.integers(2020, 2026, n),
            "title": "x",
            "role": rng.choice(ROLES, n),
            "seniority": rng.choice(LEVELS, n),
            "country_code": [PLACES[i][0] for i in place],
            "region": [PLACES[i][1] for i in place],
            "remote": rng.choice(MODES, n),
            "employment_type": "full_time",
            "company_size": rng.choice(np.array(SIZES, dtype=object), n),
            # a band survey's records have no amount: never part of a quantile
            "salary_usd": np.where(rng.random(n) < 0.1, np.nan, _amounts(rng, n)),
            "salary_local": np.nan,
            "currency": "USD",
            "residence_country_code": None,
        }
    )


@pytest.fixture(params=["two passes", "direct"], autouse=True)
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs on both paths: the marts' two passes (forced here on small selections)
    and quantile_cont over pay_values (what small selections take)."""
    monkeypatch.setattr(quantiles, "DIRECT_MAX_N", 0 if request.param == "two passes" else 10**12)
    return request.param


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    rng = np.random.default_rng(11)
    out = tmp_path_factory.mktemp("pay_quantiles") / "jobs.duckdb"
    publish({"postings": _postings(rng, 3000), "salaries": _salaries(rng, 3000)}, out)
    return str(out), store_version(out)


def _oracle(path: str, f: Filters, kind: str, by: tuple[str, ...], qs: tuple[float, ...]):
    """The query pay_quantiles replaced: quantile_cont over the base table."""
    if kind == "survey":
        w, p = where(f, "salaries")
        source = f"SELECT * FROM salaries {w}"
    else:
        w, p = where(f, "postings")
        w = (w + " AND " if w else "WHERE ") + "salary_usd IS NOT NULL"
        source = f"SELECT *, year(posted_date) AS year FROM postings {w}"
    keys = ", ".join(by)
    sel, group = (f"{keys}, ", f"GROUP BY {keys} ORDER BY {keys}") if by else ("", "")
    picks = ", ".join(f"q[{i + 1}] AS q{i}" for i in range(len(qs)))
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute(
            f"SELECT {sel} n, {picks} FROM (SELECT {sel} count(*) AS n, "
            f"quantile_cont(salary_usd, {list(qs)}) AS q FROM ({source}) AS s {group}) AS g",
            p,
        ).df()
    finally:
        con.close()


def _random_filters(rng: np.random.Generator) -> Filters:
    def some(values: tuple) -> tuple:
        return tuple(v for v in values if rng.random() < 0.5) if rng.random() < 0.5 else ()

    months = None
    if rng.random() < 0.4:
        a, b = sorted(rng.integers(0, 17, 2))
        months = tuple(str(pd.Period("2022-11", "M") + int(x)) for x in (a, b))
    years = (
        tuple(int(y) for y in sorted(rng.integers(2020, 2026, 2))) if rng.random() < 0.4 else None
    )
    return Filters(
        roles=some(ROLES),
        regions=some(("North America", "Europe")),
        countries=some(("US", "GB", "DE")),
        seniority=some(LEVELS),
        remote=some(MODES),
        sources=some(("a", "survey")) if rng.random() < 0.2 else (),
        months=months,  # type: ignore[arg-type]
        years=years,  # type: ignore[arg-type]
    )


def _same(got: pd.DataFrame, want: pd.DataFrame, by: tuple[str, ...], qs: tuple) -> None:
    assert len(got) == len(want)
    for k in by:
        assert got[k].isna().tolist() == want[k].isna().tolist()
        assert got[k].dropna().tolist() == want[k].dropna().tolist()
    assert got["n"].astype("int64").tolist() == want["n"].astype("int64").tolist()
    for i, q in enumerate(qs):
        a, b = got[q].to_numpy(dtype=float), want[f"q{i}"].to_numpy(dtype=float)
        assert (np.isnan(a) == np.isnan(b)).all()
        same = (a == b) | np.isnan(a)
        if not BIT_EXACT:  # at most one unit in the last place: never another amount or rank
            same |= np.abs(a - b) <= np.spacing(np.abs(b))
        assert same.all(), (q, a[~same], b[~same])


@pytest.mark.parametrize("kind", pay.SALARY_KINDS)
@pytest.mark.parametrize("by", GROUPINGS, ids=lambda b: "+".join(b) or "ungrouped")
def test_pay_quantiles_equal_quantile_cont_over_the_base_table(
    store: tuple[str, str], kind: str, by: tuple[str, ...]
) -> None:
    if kind == "advertised" and "company_size" in by:
        pytest.skip("postings have no company size")
    rng = np.random.default_rng(len(by) * 7 + len(kind))
    qs = pay.QUANTILES
    for _ in range(12):
        f = _random_filters(rng)
        _same(
            quantiles.pay_quantiles(*store, f, kind, by, qs),
            _oracle(store[0], f, kind, by, qs),
            by,
            qs,
        )


@pytest.mark.parametrize("kind", pay.SALARY_KINDS)
def test_amounts_that_arrive_in_any_order_give_the_same_quantiles(
    store: tuple[str, str], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB may return a scan's rows in a few runs; the two passes must not rely on the order
    read = quantiles.fetch_arrays
    rng = np.random.default_rng(5)

    def shuffled(*args: object) -> dict[str, np.ndarray]:
        got = read(*args)  # type: ignore[arg-type]
        order = rng.permutation(len(next(iter(got.values()))))
        return {k: v[order] for k, v in got.items()}

    monkeypatch.setattr(quantiles, "fetch_arrays", shuffled)
    for by in ((), ("role",), ("country_code", "seniority")):
        for _ in range(4):
            f = _random_filters(rng)
            want = _oracle(store[0], f, kind, by, pay.QUANTILES)
            _same(quantiles.pay_quantiles(*store, f, kind, by, pay.QUANTILES), want, by,
                  pay.QUANTILES)  # fmt: skip


@pytest.mark.parametrize("kind", pay.SALARY_KINDS)
def test_an_empty_selection_gives_no_groups_and_an_ungrouped_row_with_n_0(
    store: tuple[str, str], kind: str
) -> None:
    nobody = Filters(roles=("Astronaut",))
    assert quantiles.pay_quantiles(*store, nobody, kind, ("role",), (0.5,)).empty
    one = quantiles.pay_quantiles(*store, nobody, kind, (), (0.5,))
    want = _oracle(store[0], nobody, kind, (), (0.5,))
    assert one["n"].tolist() == want["n"].tolist() == [0] and one[0.5].isna().all()


def test_a_group_of_one_amount_is_that_amount(store: tuple[str, str]) -> None:
    f = Filters(roles=("Research Scientist",), countries=("DE",))
    got = pay.salary_quantiles(*store, f, "advertised", ("role",))
    assert got["n"].tolist() == [1]
    assert got[["p10", "p50", "p90"]].iloc[0].tolist() == [123_456.0] * 3


def test_salary_quantiles_keep_their_columns_and_order(store: tuple[str, str]) -> None:
    got = pay.salary_quantiles(*store, Filters(), "survey", ("seniority",))
    assert list(got.columns) == ["seniority", "n", "p10", "p25", "p50", "p75", "p90"]
    assert got["seniority"].tolist() == sorted(LEVELS)
    assert (got["p10"] <= got["p50"]).all() and (got["p50"] <= got["p90"]).all()


def test_the_overview_medians_equal_the_base_tables_medians(store: tuple[str, str]) -> None:
    rng = np.random.default_rng(5)
    con = duckdb.connect(store[0], read_only=True)
    try:
        for _ in range(10):
            f = _random_filters(rng)
            pw, pp = where(f, "postings")
            sw, sp = where(f, "salaries")
            want_ads, want_survey = con.execute(
                f"SELECT (SELECT median(salary_usd) FROM postings {pw}), "
                f"(SELECT median(salary_usd) FROM salaries {sw})",
                pp + sp,
            ).fetchone()
            got = overview.headline(*store, f)
            assert got["median_advertised"] == want_ads
            assert got["median_survey"] == want_survey
    finally:
        con.close()


def test_pay_buckets_count_every_amount_once(store: tuple[str, str]) -> None:
    con = duckdb.connect(store[0], read_only=True)
    try:
        got = dict(con.execute("SELECT kind, sum(n) FROM pay_buckets GROUP BY kind").fetchall())
        want = con.execute(
            "SELECT (SELECT count(salary_usd) FROM salaries), "
            "(SELECT count(salary_usd) FROM postings)"
        ).fetchone()
        assert (got["survey"], got["advertised"]) == want
        # amounts rise with the bucket: no bucket's smallest amount is below the previous largest
        bad = con.execute(
            "SELECT count(*) FROM (SELECT kind, bucket, min(salary_usd) AS lo, "
            "lag(max(salary_usd)) OVER (PARTITION BY kind ORDER BY bucket) AS prev_hi "
            "FROM pay_values GROUP BY kind, bucket) WHERE lo < prev_hi"
        ).fetchone()[0]
        assert bad == 0
    finally:
        con.close()


def test_the_real_store_quantiles_equal_quantile_cont(real_store: Path) -> None:
    s = (str(real_store), store_version(real_store))
    qs = pay.QUANTILES
    for kind in pay.SALARY_KINDS:
        for by in [(), ("role",), ("country_code",), ("year",), ("role", "seniority")]:
            for f in (Filters(), Filters(regions=("Europe",)), Filters(seniority=("senior",))):
                _same(
                    quantiles.pay_quantiles(*s, f, kind, by, qs),
                    _oracle(s[0], f, kind, by, qs),
                    by,
                    qs,
                )


def _assert_record_counts(store: tuple[str, str], f: Filters) -> int:
    """Records per year, per source (provenance), per role (role coverage), the headline's count
    and years, and the Data page's total, all sums of pay_buckets, against count(*) over
    salaries with the same filters (records without an amount never counted); returns n."""
    w, p = where(f, "salaries")
    by_year = read_sql(store[0], f"SELECT year, count(*) AS n FROM salaries {w} GROUP BY year "
                    "ORDER BY year", p)  # fmt: skip
    got = demand.salary_records_by_year.__wrapped__(*store, f)
    assert got["year"].tolist() == by_year["year"].tolist()
    assert got["n"].tolist() == by_year["n"].tolist()
    prov = sources.provenance.__wrapped__(*store, f, "salaries")
    assert prov.n == int(by_year["n"].sum())
    if len(by_year):
        assert (prov.first.year, prov.last.year) == (by_year["year"].min(), by_year["year"].max())
    want_sources = read_sql(store[0], f"SELECT DISTINCT source FROM salaries {w}", p)["source"]
    names = sources.source_names.__wrapped__(*store)
    assert set(prov.sources) == {names.get(x) or x for x in want_sources}
    head = overview.headline.__wrapped__(*store, f)
    assert head["salaries"] == prov.n
    assert head["first_year"] == (by_year["year"].min() if len(by_year) else None)
    assert sources.preview_rows.__wrapped__(*store, f, "salaries")[1] == prov.n
    roles, _ = sources.role_coverage.__wrapped__(*store, f)
    cw, cp = where(f, "postings")
    want = read_sql(
        store[0],
        f"SELECT role, count(*) AS n FROM (SELECT role FROM postings {cw} UNION ALL "
        f"SELECT role FROM salaries {w}) GROUP BY role",
        cp + p,
    )
    assert dict(zip(roles["role"], roles["n"], strict=True)) == dict(
        zip(want["role"], want["n"], strict=True)
    )
    return prov.n


def test_salary_record_counts_from_pay_buckets_equal_counts_over_salaries(
    store: tuple[str, str],
) -> None:
    rng = np.random.default_rng(5)
    filters = [Filters(), Filters(years=(2030, 2031)), *(_random_filters(rng) for _ in range(40))]
    assert sum(_assert_record_counts(store, f) > 0 for f in filters) > 20  # most select some


def test_the_real_store_salary_record_counts_equal_counts_over_salaries(real_store: Path) -> None:
    s = (str(real_store), store_version(real_store))
    for f in (
        Filters(),
        Filters(regions=("Europe",)),
        Filters(seniority=("senior",), years=(2023, 2024)),
    ):
        assert _assert_record_counts(s, f) > 0
