"""Figures read from the cubes equal the same figures asked of the base tables.

The AI share (per month, region and country), the Overview's headline counts and date span, and
the live-postings check read ``posting_counts``; the skill counts, shares, trends and movers read
``posting_skill_counts``, co-occurrence and per-role frequencies join on ``posting_key``. Each is
compared with the SQL over postings and posting_skills, on hand-made edge cases (one posting
selected, an empty selection, NULL country and region, AI by title and by skills, postings without
skills) and on random small frames (hypothesis).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tiny_stores import postings_full, read_sql

from dashboard.queries import demand, lifetime, movers, overview, skills
from dashboard.queries.filters import Filters, month_bounds
from dashboard.queries.store import where
from etl.store import publish, store_version

ROLES = ("Machine Learning Engineer", "Data Analyst", "Other")
PLACES = (("US", "North America"), ("GB", "Europe"), ("DE", "Europe"), (None, None))
LEVELS = ("mid", "senior", "unknown")
MODES = ("remote", "onsite")
BASES = (None, "title", "skills")
SKILLS = ("Python", "SQL", "PyTorch")
CATEGORY = {"Python": "Languages", "SQL": "Languages", "PyTorch": "ML"}


def _frame(rows: list[tuple], live: str | None = None) -> pd.DataFrame:
    """Postings with the contract's columns from (day, role, place, level, mode, basis, pay)."""
    p = postings_full().iloc[:0].copy()
    p = pd.concat([p, pd.DataFrame(index=range(len(rows)))], ignore_index=True)
    day, role, place, level, mode, basis, pay = zip(*rows, strict=True) if rows else [()] * 7
    p["posting_id"] = [f"r{i}" for i in range(len(rows))]
    p["source"] = ["a" if i % 3 else (live or "b") for i in range(len(rows))]
    p["posted_date"] = pd.to_datetime("2023-01-01") + pd.to_timedelta(list(day), unit="D")
    p["first_seen"] = p["last_seen"] = p["posted_date"]
    p["title"] = list(role)
    p["role"] = list(role)
    p["country_code"] = [c for c, _ in place]
    p["region"] = [r for _, r in place]
    p["seniority"] = list(level)
    p["remote"] = list(mode)
    p["employment_type"] = "full_time"
    p["ai_basis"] = list(basis)
    p["is_ai"] = [b is not None for b in basis]
    p["salary_usd"] = [np.nan if x is None else float(x) for x in pay]
    p["salary_min_usd"] = p["salary_max_usd"] = p["salary_usd"]
    return p


def _skills(n: int) -> pd.DataFrame:
    """Posting i asks for the skills of the bits of i % 8 (posting 0, 8, ... for none)."""
    pairs = [(f"r{i}", k) for i in range(n) for b, k in enumerate(SKILLS) if (i % 8) >> b & 1]
    frame = pd.DataFrame(pairs, columns=["posting_id", "skill"])
    frame["category"] = frame["skill"].map(CATEGORY)
    return frame


def _store(path: Path, rows: list[tuple], live: str | None = None) -> tuple[str, str]:
    """A store of ``rows``; every third posting from the source ``live`` when given."""
    publish({"postings": _frame(rows, live), "posting_skills": _skills(len(rows))}, path)
    return str(path), store_version(path)


def _ai_by_month_base(store: str, f: Filters) -> pd.DataFrame:
    w, p = where(f, "postings")
    return read_sql(
        store,
        f"""SELECT date_trunc('month', posted_date) AS month, count(*) AS n,
                   count(*) FILTER (WHERE is_ai) AS ai,
                   count(*) FILTER (WHERE ai_basis = 'title') AS by_title,
                   count(*) FILTER (WHERE ai_basis = 'skills') AS by_skills,
                   count(*) FILTER (WHERE is_ai) / count(*) AS share
            FROM postings {w} GROUP BY month ORDER BY month""",
        p,
    )


def _ai_by_base(store: str, f: Filters, col: str) -> pd.DataFrame:
    w, p = where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + f"{col} IS NOT NULL"
    return read_sql(
        store,
        f"SELECT {col} AS value, count(*) AS n, count(*) FILTER (WHERE is_ai) AS ai, "
        f"count(*) FILTER (WHERE is_ai) / count(*) AS share FROM postings {w} "
        f"GROUP BY {col} ORDER BY n DESC, value",
        p,
    )


def _headline_base(store: str, f: Filters) -> dict:
    w, p = where(f, "postings")
    sw, sp = where(f, "salaries")
    df = read_sql(
        store,
        f"""WITH p AS (SELECT count(*) AS postings, count(salary_usd) AS postings_with_pay,
                              median(salary_usd) AS median_advertised,
                              count(*) FILTER (WHERE is_ai) AS ai_postings,
                              min(posted_date) AS first_posted, max(posted_date) AS last_posted
                       FROM postings {w}),
                 s AS (SELECT count(*) AS salaries, median(salary_usd) AS median_survey,
                              min(year) AS first_year, max(year) AS last_year
                       FROM salaries {sw})
            SELECT * FROM p, s""",
        p + sp,
    )
    return {k: (None if pd.isna(v) else v) for k, v in df.iloc[0].to_dict().items()}


_JOINED = "posting_skills s JOIN p USING (posting_id)"


def _skill_base(store: str, f: Filters, name: str) -> pd.DataFrame:
    """The skill questions asked of posting_skills joined to the selection's postings."""
    w, p = where(f, "postings")
    cte = f"p AS (SELECT * FROM postings {w})"
    sql = {
        "top_skills": f"""WITH {cte}, total AS (SELECT count(*) AS t FROM p)
            SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
                   count(*) / any_value(total.t) AS share
            FROM {_JOINED}, total GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT 20""",
        "skill_shares_by_role": f"""WITH {cte},
                 roles AS (SELECT role, count(*) AS role_postings FROM p GROUP BY role),
                 ps AS (SELECT role, skill, any_value(category) AS category, count(*) AS n
                        FROM {_JOINED} GROUP BY role, skill),
                 topn AS (SELECT skill FROM ps GROUP BY skill ORDER BY sum(n) DESC, skill LIMIT 15)
            SELECT ps.role, ps.skill, ps.category, ps.n, roles.role_postings,
                   ps.n / roles.role_postings AS share
            FROM ps JOIN topn USING (skill) JOIN roles USING (role) ORDER BY ps.role, ps.n DESC""",
        "skill_trend": f"""WITH {cte}, t AS (SELECT date_trunc('month', posted_date) AS month,
                 count(*) AS total FROM p GROUP BY month)
            SELECT date_trunc('month', p.posted_date) AS month, s.skill, count(*) AS n,
                   count(*) / any_value(t.total) AS share
            FROM {_JOINED} JOIN t ON t.month = date_trunc('month', p.posted_date)
            WHERE s.skill IN ('Python', 'PyTorch') GROUP BY ALL ORDER BY month, s.skill""",
        "cooccurring": f"""WITH {cte}, w AS (SELECT posting_id FROM {_JOINED}
                 WHERE skill = 'Python'), total AS (SELECT count(*) AS t FROM w)
            SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
                   count(*) / any_value(total.t) AS share
            FROM {_JOINED} JOIN w USING (posting_id), total WHERE s.skill <> 'Python'
            GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT 15""",
        "role_skill_frequencies": f"""WITH {cte},
                 ps AS (SELECT DISTINCT role, posting_id, skill FROM {_JOINED}),
                 roles AS (SELECT role, count(DISTINCT posting_id) AS role_postings
                           FROM ps GROUP BY role)
            SELECT ps.role, ps.skill, count(*) AS n,
                   any_value(roles.role_postings) AS role_postings,
                   count(*) / any_value(roles.role_postings) AS share
            FROM ps JOIN roles USING (role)
            GROUP BY ps.role, ps.skill ORDER BY ps.role, n DESC, ps.skill""",
    }[name]
    return read_sql(store, sql, p)


def _profile_base(store: str, f: Filters, roles: tuple[str, ...]) -> pd.DataFrame:
    w, p = where(f.with_(roles=roles), "postings")
    return read_sql(
        store,
        f"""WITH p AS (SELECT * FROM postings {w}),
                 roles AS (SELECT role, count(*) AS role_postings FROM p GROUP BY role)
            SELECT p.role, s.skill, any_value(s.category) AS category, count(*) AS n,
                   any_value(roles.role_postings) AS role_postings,
                   count(*) / any_value(roles.role_postings) AS share
            FROM {_JOINED} JOIN roles USING (role)
            GROUP BY p.role, s.skill HAVING count(*) >= 1 ORDER BY p.role, n DESC""",
        p,
    )


def _movers_base(store: str, f: Filters, a: tuple[str, str], b: tuple[str, str]) -> pd.DataFrame:
    (a0, a1), (b0, b1) = month_bounds(a), month_bounds(b)
    w, p = where(f, "postings", skip=("time",))
    return read_sql(
        store,
        f"""WITH p AS (SELECT * FROM postings {w})
            SELECT COALESCE(role, ?) AS "group", skill,
                   count(*) FILTER (WHERE posted_date >= ? AND posted_date < ?) AS with_a,
                   count(*) FILTER (WHERE posted_date >= ? AND posted_date < ?) AS with_b
            FROM {_JOINED}
            WHERE (posted_date >= ? AND posted_date < ?) OR (posted_date >= ? AND posted_date < ?)
            GROUP BY GROUPING SETS ((role, skill), (skill))""",
        [*p, movers.ALL_ROLES, a0, a1, b0, b1, a0, a1, b0, b1],
    )


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order (the queries' ORDER BY leaves ties in any order)."""
    return df.sort_values(list(df.columns)).reset_index(drop=True)


def _assert_same_skills(store: str, version: str, f: Filters) -> None:
    for name in ("top_skills", "skill_shares_by_role", "cooccurring", "role_skill_frequencies"):
        func = getattr(skills, name).__wrapped__
        got = (
            func(store, version, f, "Python") if name == "cooccurring" else func(store, version, f)
        )
        pd.testing.assert_frame_equal(_sorted(got), _sorted(_skill_base(store, f, name)), obj=name)
    trend = skills.skill_trend.__wrapped__(store, version, f, ("Python", "PyTorch"))
    pd.testing.assert_frame_equal(_sorted(trend), _sorted(_skill_base(store, f, "skill_trend")))
    profile = skills.role_skill_profile.__wrapped__(store, version, f, ROLES[:2])
    pd.testing.assert_frame_equal(_sorted(profile), _sorted(_profile_base(store, f, ROLES[:2])))
    for a, b in ((("2023-01", "2023-03"), ("2023-04", "2024-06")), (("2023-02",) * 2,) * 2):
        counts, _ = movers.skill_counts_in_periods.__wrapped__(store, version, f, a, b)
        pd.testing.assert_frame_equal(_sorted(counts), _sorted(_movers_base(store, f, a, b)))


def _assert_same(store: str, version: str, f: Filters) -> None:
    pd.testing.assert_frame_equal(
        demand.ai_share_by_month.__wrapped__(store, version, f), _ai_by_month_base(store, f)
    )
    for col in demand.AI_DIMS:
        pd.testing.assert_frame_equal(
            demand.ai_share_by.__wrapped__(store, version, f, col), _ai_by_base(store, f, col)
        )
    assert overview.headline.__wrapped__(store, version, f) == _headline_base(store, f)
    _assert_same_skills(store, version, f)


EDGE_ROWS = [
    (3, ROLES[0], PLACES[0], "mid", "remote", "title", 150_000),
    (20, ROLES[0], PLACES[3], "senior", "onsite", "skills", None),  # unknown country and region
    (40, ROLES[1], PLACES[1], "unknown", "remote", None, 70_000),
    (41, ROLES[2], PLACES[2], "mid", "onsite", None, None),
    (400, ROLES[1], PLACES[0], "senior", "remote", "skills", 90_000),
]
EDGE_FILTERS = [
    Filters(),
    Filters(roles=(ROLES[2],)),  # selects exactly one posting
    Filters(roles=("no such role",)),  # an empty selection: zeros and NULL dates, no rows
    Filters(regions=("Europe",), months=("2023-02", "2023-02")),
    Filters(countries=("US",), seniority=("senior",)),
    Filters(months=("2024-02", "2024-02")),
]


@pytest.fixture(scope="module")
def edge_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _store(tmp_path_factory.mktemp("cube") / "jobs.duckdb", EDGE_ROWS)


@pytest.mark.parametrize("f", EDGE_FILTERS, ids=lambda f: f.describe())
def test_cube_figures_equal_the_base_table_figures_on_edge_cases(
    edge_store: tuple[str, str], f: Filters
) -> None:
    _assert_same(*edge_store, f)


def test_an_empty_selection_has_zero_counts_and_no_dates(edge_store: tuple[str, str]) -> None:
    h = overview.headline.__wrapped__(*edge_store, Filters(roles=("no such role",)))
    assert (h["postings"], h["ai_postings"], h["postings_with_pay"]) == (0, 0, 0)
    assert h["first_posted"] is None and h["median_advertised"] is None


def test_ai_counts_split_by_basis_and_skip_unknown_places(edge_store: tuple[str, str]) -> None:
    got = demand.ai_share_by_month.__wrapped__(*edge_store, Filters())
    assert got["by_title"].sum() == 1 and got["by_skills"].sum() == 2 and got["n"].sum() == 5
    by_country = demand.ai_share_by.__wrapped__(*edge_store, Filters(), "country_code")
    assert by_country["n"].sum() == 4  # the posting without a country is left out


def test_the_comparison_can_fail_when_the_cube_is_wrong(tmp_path: Path) -> None:
    store, _ = _store(tmp_path / "jobs.duckdb", EDGE_ROWS)
    con = duckdb.connect(store)
    con.execute("UPDATE posting_counts SET ai_by_title = ai_by_title + 1")
    con.close()
    with pytest.raises(AssertionError):
        _assert_same(store, store_version(Path(store)), Filters())


def test_the_skill_comparison_can_fail_when_the_skill_cube_is_wrong(tmp_path: Path) -> None:
    store, _ = _store(tmp_path / "jobs.duckdb", EDGE_ROWS)
    con = duckdb.connect(store)
    con.execute("UPDATE posting_skill_counts SET postings = postings + 1 WHERE skill = 'SQL'")
    con.close()
    with pytest.raises(AssertionError):
        _assert_same_skills(store, store_version(Path(store)), Filters())


def test_live_postings_are_empty_without_live_sources_and_keep_their_columns(
    edge_store: tuple[str, str], tmp_path: Path
) -> None:
    with_live = _store(tmp_path / "live.duckdb", EDGE_ROWS, live="greenhouse")
    none = lifetime.live_postings.__wrapped__(*edge_store, Filters())
    some = lifetime.live_postings.__wrapped__(*with_live, Filters())
    assert none.empty and some["posting_id"].tolist() == ["r0", "r3"]
    assert lifetime.live_postings.__wrapped__(*with_live, Filters(roles=(ROLES[1],))).empty
    assert list(none.columns) == list(some.columns)


row = st.tuples(
    st.integers(0, 500),
    st.sampled_from(ROLES),
    st.sampled_from(PLACES),
    st.sampled_from(LEVELS),
    st.sampled_from(MODES),
    st.sampled_from(BASES),
    st.one_of(st.none(), st.integers(20_000, 400_000)),
)
months = st.integers(0, 16).flatmap(
    lambda a: st.integers(a, 17).map(
        lambda b: (f"{2023 + a // 12}-{a % 12 + 1:02d}", f"{2023 + b // 12}-{b % 12 + 1:02d}")
    )
)
filters = st.builds(
    Filters,
    roles=st.lists(st.sampled_from(ROLES), max_size=2, unique=True).map(tuple),
    regions=st.lists(st.sampled_from(("Europe", "North America")), max_size=1).map(tuple),
    seniority=st.lists(st.sampled_from(LEVELS), max_size=2, unique=True).map(tuple),
    remote=st.lists(st.sampled_from(MODES), max_size=1).map(tuple),
    months=st.one_of(st.none(), months),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(row, min_size=1, max_size=25), fs=st.lists(filters, min_size=1, max_size=3))
def test_cube_figures_equal_the_base_table_figures_on_random_frames(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple], fs: list[Filters]
) -> None:
    store, version = _store(tmp_path_factory.mktemp("random") / "jobs.duckdb", rows)
    for f in fs:
        _assert_same(store, version, f)
