"""The marts: built by publish from the base tables, upgraded in old stores, and the mart-based
queries equal to the same questions asked of the base tables (demo store and real store)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from tiny_stores import SALARIES, SKILLS, postings_full, read_sql

from dashboard import queries
from dashboard.queries import sources
from dashboard.queries.filters import Filters
from etl.cli import main
from etl.contract import MART_NAMES, MARTS, SCHEMA_VERSION, TABLES
from etl.store import (
    StoreError,
    missing_columns,
    missing_marts,
    publish,
    read_meta,
    read_tables,
    republish,
)
from etl.store import store_version as version_of

MLE = "Machine Learning Engineer"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("marts") / "jobs.duckdb"
    publish({"postings": postings_full(), "posting_skills": SKILLS, "salaries": SALARIES}, out)
    return out


def _old_store(tmp_path: Path) -> Path:
    """A store as the previous schema published it: base tables only, schema_version 1."""
    out = tmp_path / "jobs.duckdb"
    publish({"postings": postings_full(), "posting_skills": SKILLS}, out, meta={"run_id": "r1"})
    con = duckdb.connect(str(out))
    for name in MART_NAMES:
        con.execute(f"DROP TABLE {name}")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    return out


# ------------------------------------------------------------------------------ the marts
def test_every_mart_has_the_contract_columns_types_and_nullability(tiny: Path) -> None:
    for name, cols in MARTS.items():
        got = read_sql(tiny, f"DESCRIBE {name}")
        assert got["column_name"].tolist() == [c.name for c in cols], name
        assert got["column_type"].tolist() == [c.sql_type for c in cols], name
        assert got["null"].tolist() == ["YES" if c.nullable else "NO" for c in cols], name


def test_marts_are_not_base_tables_of_the_contract() -> None:
    assert not set(MARTS) & set(TABLES) and SCHEMA_VERSION != "1"


def test_skill_facts_carry_the_postings_filter_columns(tiny: Path) -> None:
    got = read_sql(tiny, "SELECT * FROM posting_skill_facts WHERE posting_id = 'p5'")
    assert sorted(got["skill"]) == ["PyTorch", "Python"]
    row = got.iloc[0]
    assert (row["role"], row["seniority"], row["remote"], row["salary_usd"]) == (
        MLE,
        "senior",
        "remote",
        230e3,
    )
    assert pd.isna(row["country_code"]) and pd.isna(row["region"])  # unknown stays NULL
    assert len(read_sql(tiny, "SELECT * FROM posting_skill_facts")) == len(SKILLS)


def test_skill_facts_are_stored_by_skill_then_pay(tiny: Path) -> None:
    """The premiums read each skill's pay in this order and skip their sorts."""
    got = read_sql(tiny, "SELECT skill, salary_usd FROM posting_skill_facts")
    assert got["salary_usd"].notna().any() and got["salary_usd"].isna().any()
    assert got.equals(got.sort_values(["skill", "salary_usd"]).reset_index(drop=True))


def test_skill_facts_carry_the_pay_bucket_of_pay_values(tiny: Path) -> None:
    """The premiums count postings with a skill per bucket and read the amounts of the same
    buckets from pay_values: each fact's bucket is its posting's bucket there."""
    got = read_sql(
        tiny,
        "SELECT f.salary_usd, f.bucket, v.bucket AS pay_bucket FROM posting_skill_facts f "
        "LEFT JOIN (SELECT DISTINCT salary_usd, bucket FROM pay_values "
        "WHERE kind = 'advertised') v USING (salary_usd)",
    )
    with_pay = got[got["salary_usd"].notna()]
    assert len(with_pay) and (with_pay["bucket"] == with_pay["pay_bucket"]).all()
    assert got.loc[got["salary_usd"].isna(), "bucket"].isna().all()


def test_skill_rows_of_a_missing_posting_are_left_out(tmp_path: Path) -> None:
    orphan = pd.concat(
        [SKILLS, pd.DataFrame([("gone", "SQL", "Languages")], columns=SKILLS.columns)]
    )
    publish({"postings": postings_full(), "posting_skills": orphan}, tmp_path / "s.duckdb")
    got = read_sql(tmp_path / "s.duckdb", "SELECT count(*) AS n FROM posting_skill_facts")
    assert got["n"].iloc[0] == len(SKILLS)


def test_posting_counts_add_up_to_postings_per_month_with_pay_counted(tiny: Path) -> None:
    got = read_sql(
        tiny,
        "SELECT month, sum(postings) AS n, sum(with_pay) AS paid FROM posting_counts "
        "GROUP BY month ORDER BY month",
    )
    p = postings_full()
    month = p["posted_date"].dt.to_period("M").dt.to_timestamp()
    exp = p.groupby(month).agg(n=("posting_id", "size"), paid=("salary_usd", "count"))
    assert got["month"].dt.day.eq(1).all()
    assert got["n"].tolist() == exp["n"].tolist() and got["paid"].tolist() == exp["paid"].tolist()


def test_filter_values_count_postings_and_salary_records(tiny: Path) -> None:
    got = read_sql(tiny, "SELECT * FROM filter_values").set_index(["dimension", "value"])
    assert tuple(got.loc[("role", MLE)]) == (4, 4)
    assert tuple(got.loc[("country", "NA")]) == (1, 1)  # Namibia's code is a value, not NULL
    assert tuple(got.loc[("country_region", "NA|Africa")]) == (1, 1)
    assert tuple(got.loc[("month", "2023-12")]) == (1, 0)
    assert tuple(got.loc[("year", "2022")]) == (0, 1)  # a salary-only year
    assert tuple(got.loc[("year", "2023")]) == (8, 2)
    assert got["postings"].notna().all() and got.index.get_level_values("value").notna().all()


def test_an_empty_store_has_empty_marts(empty_store: Path) -> None:
    for name in MART_NAMES:
        assert read_sql(empty_store, f"SELECT count(*) AS n FROM {name}")["n"].iloc[0] == 0
    assert queries.store.filter_options(str(empty_store), version_of(empty_store)).roles == ()


def test_parquet_export_has_every_base_table_and_no_mart(tiny: Path) -> None:
    files = {p.stem for p in (tiny.parent / "parquet").glob("*.parquet")}
    assert files == set(TABLES)


def test_read_tables_reads_base_tables_only_by_default(tiny: Path) -> None:
    assert set(read_tables(tiny)) == set(TABLES)


# ------------------------------------------------------------------------------ old stores
def test_queries_refuse_a_store_without_marts_with_a_clear_message(tmp_path: Path) -> None:
    old = _old_store(tmp_path)
    with pytest.raises(StoreError, match=r"older version.*ensure-store"):
        queries.store.store_meta(str(old), version_of(old))


def test_republish_builds_the_marts_and_keeps_the_data_and_meta(tmp_path: Path) -> None:
    old = _old_store(tmp_path)
    before, meta = read_tables(old), read_meta(old)
    assert missing_marts(old) == list(MART_NAMES)
    republish(old)
    assert missing_marts(old) == []
    after = read_tables(old)
    for name in ("postings", "posting_skills", "salaries"):
        pd.testing.assert_frame_equal(before[name], after[name])
    new_meta = read_meta(old)
    assert new_meta["schema_version"] == SCHEMA_VERSION
    assert {k: new_meta[k] for k in ("kind", "run_id", "built_at")} == {
        k: meta[k] for k in ("kind", "run_id", "built_at")
    }
    assert queries.overview.headline(str(old), version_of(old), Filters())["postings"] == 10


def test_republish_refuses_a_store_whose_base_tables_are_too_old(tmp_path: Path) -> None:
    old = _old_store(tmp_path)
    con = duckdb.connect(str(old))
    con.execute("ALTER TABLE postings DROP COLUMN is_ai")
    con.close()
    with pytest.raises(StoreError, match=r"too old to upgrade.*is_ai"):
        republish(old)
    assert missing_marts(old) == list(MART_NAMES)  # left untouched


def test_ensure_store_upgrades_an_old_store_then_leaves_it_alone(tmp_path: Path, capsys) -> None:
    old = _old_store(tmp_path)
    assert main(["ensure-store", "--out", str(old)]) == 0
    assert "upgraded" in capsys.readouterr().out and missing_marts(old) == []
    assert main(["ensure-store", "--out", str(old)]) == 0
    assert "nothing to do" in capsys.readouterr().out


# ------------------------------------------------------------------------------ data page
def test_preview_rows_show_the_display_columns_newest_first(tiny: Path) -> None:
    rows, total = sources.preview_rows(str(tiny), version_of(tiny), Filters(), "postings", 3)
    assert total == 10 and len(rows) == 3
    assert tuple(rows.columns) == sources.PREVIEW_COLUMNS["postings"]
    assert rows["posted_date"].iloc[0] == pd.Timestamp(date(2024, 1, 2))


def test_download_has_every_column_of_the_whole_selection(tiny: Path) -> None:
    csv = sources.download_csv(str(tiny), version_of(tiny), Filters(roles=(MLE,)), "postings")
    lines = csv.decode().splitlines()
    assert len(lines) == 1 + 4 and lines[0].split(",")[:3] == [
        "posting_id",
        "source",
        "posted_date",
    ]


def test_preview_rows_reject_an_unknown_table(tiny: Path) -> None:
    with pytest.raises(ValueError, match="unknown table"):
        sources.preview_rows(str(tiny), version_of(tiny), Filters(), "meta")


# ------------------------------------------------------------------------------ equivalence


def _reference(path: Path, name: str, f: Filters, arg: object) -> pd.DataFrame:
    """The question each mart query answers, asked of the base tables (the pre-mart SQL)."""
    w, p = queries.store.where(f, "postings")
    pc = f"p AS (SELECT posting_id, role, posted_date, salary_usd FROM postings {w})"
    if name == "postings_by_month":
        w2, p2 = queries.store.where(f, "postings", skip=("role",))
        role_w = "WHERE list_contains(?::VARCHAR[], m.role)" if f.roles else ""
        sql = f"""WITH m AS (SELECT date_trunc('month', posted_date) AS month, role,
                  count(*) AS n FROM postings {w2} GROUP BY ALL),
                  t AS (SELECT month, sum(n) AS total FROM m GROUP BY month)
                  SELECT m.month, m.role, m.n, m.n / t.total AS share
                  FROM m JOIN t USING (month) {role_w}"""
        return read_sql(path, sql, p2 + ([list(f.roles)] if f.roles else []))
    if name == "postings_by":
        sql = (
            f"SELECT {arg} AS value, count(*) AS n, count(*) / sum(count(*)) OVER () AS share "
            f"FROM postings {w} GROUP BY {arg}"
        )
        return read_sql(path, sql, p)
    if name == "postings_by_country":
        w2 = (w + " AND " if w else "WHERE ") + "country_code IS NOT NULL"
        sql = (
            "SELECT country_code, any_value(region) AS region, count(*) AS n, "
            f"count(*) / sum(count(*)) OVER () AS share FROM postings {w2} GROUP BY country_code"
        )
        return read_sql(path, sql, p)
    if name == "top_skills":
        sql = f"""WITH {pc}, total AS (SELECT count(*) AS t FROM p)
                  SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
                  count(*) / any_value(total.t) AS share
                  FROM posting_skills s JOIN p USING (posting_id), total
                  GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT ?"""
        return read_sql(path, sql, [*p, arg])
    if name == "skill_trend":
        sql = f"""WITH {pc}, t AS (SELECT date_trunc('month', posted_date) AS month,
                  count(*) AS total FROM p GROUP BY month)
                  SELECT date_trunc('month', p.posted_date) AS month, s.skill, count(*) AS n,
                  count(*) / any_value(t.total) AS share
                  FROM posting_skills s JOIN p USING (posting_id)
                  JOIN t ON t.month = date_trunc('month', p.posted_date)
                  WHERE list_contains(?::VARCHAR[], s.skill) GROUP BY ALL"""
        return read_sql(path, sql, [*p, list(arg)])  # type: ignore[arg-type]
    if name == "cooccurring":
        sql = f"""WITH {pc}, w AS (SELECT posting_id FROM posting_skills JOIN p
                  USING (posting_id) WHERE skill = ?), total AS (SELECT count(*) AS t FROM w)
                  SELECT s.skill, any_value(s.category) AS category, count(*) AS n,
                  count(*) / any_value(total.t) AS share
                  FROM posting_skills s JOIN w USING (posting_id), total WHERE s.skill <> ?
                  GROUP BY s.skill ORDER BY n DESC, s.skill LIMIT 15"""
        return read_sql(path, sql, [*p, arg, arg])
    if name == "role_skill_profile":
        g = f.with_(roles=tuple(arg))  # type: ignore[arg-type]
        w2, p2 = queries.store.where(g, "postings")
        sql = f"""WITH p AS (SELECT posting_id, role FROM postings {w2}),
                  roles AS (SELECT role, count(*) AS role_postings FROM p GROUP BY role)
                  SELECT p.role, s.skill, any_value(s.category) AS category, count(*) AS n,
                  any_value(roles.role_postings) AS role_postings,
                  count(*) / any_value(roles.role_postings) AS share
                  FROM posting_skills s JOIN p USING (posting_id) JOIN roles USING (role)
                  GROUP BY p.role, s.skill"""
        return read_sql(path, sql, p2)
    if name == "role_coverage":
        sw, sp = queries.store.where(f, "salaries")
        sql = (
            "SELECT role, count(*) AS n, count(*) / sum(count(*)) OVER () AS share FROM ("
            f"SELECT role FROM postings {w} UNION ALL SELECT role FROM salaries {sw}) "
            "GROUP BY role"
        )
        return read_sql(path, sql, p + sp)
    if name == "row_count":
        return read_sql(path, f"SELECT count(*) AS n FROM postings {w}", p)
    raise AssertionError(name)


def _module_of(name: str):  # type: ignore[no-untyped-def]
    """The query module (dashboard/queries/<subject>.py) that holds the function ``name``."""
    return next(m for m in (queries.demand, queries.skills, queries.sources) if hasattr(m, name))


def _ours(store: str, v: str, name: str, f: Filters, arg: object) -> pd.DataFrame:
    if name == "postings_by":
        return queries.demand.postings_by(store, v, f, arg)  # type: ignore[arg-type]
    if name == "top_skills":
        return queries.skills.top_skills(store, v, f, arg)  # type: ignore[arg-type]
    if name in ("skill_trend", "role_skill_profile"):
        return getattr(_module_of(name), name)(store, v, f, arg)
    if name == "cooccurring":
        return queries.skills.cooccurring(store, v, f, arg, 15)  # type: ignore[arg-type]
    if name == "role_coverage":
        return sources.role_coverage(store, v, f)[0]
    if name == "row_count":
        return pd.DataFrame({"n": [sources.filtered_rows(store, v, f, "postings", 1)[1]]})
    return getattr(_module_of(name), name)(store, v, f)


def _same(got: pd.DataFrame, exp: pd.DataFrame, name: str) -> None:
    assert list(got.columns) == list(exp.columns), name
    keys = [c for c in got.columns if c in ("month", "role", "skill", "value", "country_code")]
    keys = keys or list(got.columns)
    got = got.sort_values(keys).reset_index(drop=True)
    exp = exp.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, exp, check_dtype=True, rtol=1e-12, obj=name)


def _filter_sets(options) -> list[Filters]:
    months = options.months
    return [
        Filters(),
        Filters(roles=options.roles[:1]),
        Filters(roles=options.roles[:2], regions=options.regions[:1], seniority=("senior", "mid")),
        Filters(months=(months[1], months[-2]), remote=("remote", "hybrid")),
        Filters(countries=tuple(c for c, _ in options.countries[:2]), months=(months[0],) * 2),
        Filters(roles=("no such role",)),  # an empty selection
        Filters(sources=options.sources[:1], years=(options.years[0], options.years[0])),
    ]


def _check_equivalence(path: Path) -> None:
    store, v = str(path), version_of(path)
    options = queries.store.filter_options(store, v)
    skills = tuple(queries.skills.top_skills(store, v, Filters(), 4)["skill"])
    assert skills, "the store has no skills to compare"
    questions = [
        ("postings_by_month", None),
        ("postings_by", "seniority"),
        ("postings_by", "country_code"),
        ("postings_by_country", None),
        ("top_skills", 20),
        ("skill_trend", skills[:3]),
        ("cooccurring", skills[0]),
        ("role_skill_profile", options.roles[:2]),
        ("role_coverage", None),
        ("row_count", None),
    ]
    for f in _filter_sets(options):
        for name, arg in questions:
            _same(_ours(store, v, name, f, arg), _reference(path, name, f, arg), f"{name} {f}")
        for table, order in (
            ("postings", "posted_date DESC, posting_id"),
            ("salaries", "year DESC, record_id"),
        ):
            w, p = queries.store.where(f, table)
            for cap in (1, 57, 10**9):
                got, total = sources.filtered_rows(store, v, f, table, cap)
                exp = read_sql(
                    path, f"SELECT * FROM {table} {w} ORDER BY {order} LIMIT ?", [*p, cap]
                )
                pd.testing.assert_frame_equal(got, exp, obj=f"{table} rows {f} {cap}")
                assert total == read_sql(path, f"SELECT count(*) AS n FROM {table} {w}", p)["n"][0]


def _reference_options(path: Path) -> tuple:
    roles = read_sql(
        path,
        "SELECT role, count(*) AS n FROM (SELECT role FROM postings UNION ALL "
        "SELECT role FROM salaries) GROUP BY role ORDER BY (role = 'Other'), n DESC, role",
    )["role"].tolist()
    countries = read_sql(
        path,
        "SELECT country_code, any_value(region) AS region, count(*) AS n FROM ("
        "SELECT country_code, region FROM postings UNION ALL "
        "SELECT country_code, region FROM salaries) WHERE country_code IS NOT NULL "
        "AND region IS NOT NULL GROUP BY country_code ORDER BY n DESC, country_code",
    )
    months = read_sql(path, "SELECT DISTINCT strftime(posted_date, '%Y-%m') AS m FROM postings")
    years = read_sql(path, "SELECT DISTINCT year FROM salaries")
    return (
        tuple(roles),
        tuple(zip(countries["country_code"], countries["region"], strict=True)),
        tuple(sorted(months["m"])),
        tuple(sorted(int(y) for y in years["year"])),
    )


def test_mart_queries_equal_the_base_table_answers_on_the_demo_store(demo_store: Path) -> None:
    _check_equivalence(demo_store)


def test_filter_options_equal_the_base_table_answer_on_the_demo_store(demo_store: Path) -> None:
    o = queries.store.filter_options(str(demo_store), version_of(demo_store))
    assert (o.roles, o.countries, o.months, o.years) == _reference_options(demo_store)


def test_mart_queries_equal_the_base_table_answers_on_the_real_store(
    request: pytest.FixtureRequest,
) -> None:
    real_store: Path = request.getfixturevalue("real_store")
    _check_equivalence(real_store)
    o = queries.store.filter_options(str(real_store), version_of(real_store))
    assert (o.roles, o.countries, o.months, o.years) == _reference_options(real_store)


def test_equivalence_check_catches_a_wrong_mart(tmp_path: Path) -> None:
    """The comparison above can fail: a cube that lost one posting is caught."""
    out = tmp_path / "jobs.duckdb"
    publish({"postings": postings_full(), "posting_skills": SKILLS, "salaries": SALARIES}, out)
    con = duckdb.connect(str(out))
    con.execute("UPDATE posting_counts SET postings = postings - 1 WHERE rowid = 0")
    con.close()
    v = version_of(out)
    with pytest.raises(AssertionError):
        f = Filters()
        _same(
            _ours(str(out), v, "postings_by", f, "role"),
            _reference(out, "postings_by", f, "role"),
            "x",
        )


def test_republish_gives_an_older_store_the_new_nullable_columns_empty(tmp_path: Path) -> None:
    old = _old_store(tmp_path)
    con = duckdb.connect(str(old))
    con.execute("ALTER TABLE postings DROP COLUMN usd_rate")
    con.execute("ALTER TABLE postings DROP COLUMN rate_date")
    con.close()
    assert missing_columns(old) == {"postings": ["usd_rate", "rate_date"]}
    before = read_tables(old)["postings"]
    assert main(["ensure-store", "--out", str(old)]) == 0
    assert missing_columns(old) == {} and missing_marts(old) == []
    after = read_tables(old)["postings"]
    assert after["usd_rate"].isna().all() and after["rate_date"].isna().all()
    pd.testing.assert_frame_equal(before, after.drop(columns=["usd_rate", "rate_date"]))


def test_posting_keys_do_not_depend_on_the_order_postings_were_inserted_in(tmp_path: Path) -> None:
    """A build whose parts arrive in another order (a retried Dask task) gives the same store."""
    posts = postings_full()
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    publish({"postings": posts, "posting_skills": SKILLS, "salaries": SALARIES}, a)
    reversed_ = posts.iloc[::-1].reset_index(drop=True)
    publish({"postings": reversed_, "posting_skills": SKILLS, "salaries": SALARIES}, b)
    sql = "SELECT posting_id, skill, posting_key FROM posting_skill_facts ORDER BY ALL"
    keys_a, keys_b = read_sql(a, sql), read_sql(b, sql)
    assert len(keys_a) and keys_a.equals(keys_b)
    per_posting = keys_a.groupby("posting_id")["posting_key"].nunique()
    assert (per_posting == 1).all() and keys_a.groupby("posting_key")[
        "posting_id"
    ].nunique().max() == 1
