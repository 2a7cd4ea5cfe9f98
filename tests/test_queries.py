"""The query layer's numbers against independent pandas computations on a tiny hand-made store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import queries as q
from dashboard.filters import Filters
from etl.store import publish, store_version

MLE, RS, DA = "Machine Learning Engineer", "Research Scientist", "Data Analyst"

POSTINGS = pd.DataFrame(
    {
        "posting_id": [f"p{i}" for i in range(10)],
        "source": ["a"] * 8 + ["b"] * 2,
        "posted_date": pd.to_datetime(
            [
                "2023-01-05",
                "2023-01-20",
                "2023-02-03",
                "2023-02-10",
                "2023-07-01",
                "2023-07-15",
                "2023-08-01",
                "2023-12-31",
                "2024-01-01",
                "2024-01-02",
            ]
        ),
        "title": ["MLE", "MLE", "RS", "DA", "MLE", "Sr MLE", "DA", "Widget", "RS", "DA"],
        "role": [MLE, MLE, RS, DA, MLE, MLE, DA, "Other", RS, DA],
        "seniority": [
            "mid",
            "senior",
            "senior",
            "entry",
            "mid",
            "senior",
            "mid",
            "unknown",
            "lead",
            "entry",
        ],
        "country_code": ["US", "US", "GB", "DE", "US", None, "NA", "US", "GB", "FR"],
        "region": [
            "North America",
            "North America",
            "Europe",
            "Europe",
            "North America",
            None,
            "Africa",
            "North America",
            "Europe",
            "Europe",
        ],
        "remote": [
            "onsite",
            "remote",
            "hybrid",
            "onsite",
            "remote",
            "remote",
            "unknown",
            "onsite",
            "onsite",
            "hybrid",
        ],
        "salary_usd": [150e3, 210e3, np.nan, 70e3, 160e3, 230e3, 65e3, np.nan, 190e3, 60e3],
    }
)
SKILLS = pd.DataFrame(
    [
        ("p0", "Python"),
        ("p0", "PyTorch"),
        ("p1", "Python"),
        ("p2", "PyTorch"),
        ("p3", "SQL"),
        ("p4", "Python"),
        ("p4", "LLMs"),
        ("p5", "PyTorch"),
        ("p5", "Python"),
        ("p6", "SQL"),
        ("p6", "Python"),
        ("p8", "PyTorch"),
        ("p9", "SQL"),
    ],
    columns=["posting_id", "skill"],
)
SKILLS["category"] = SKILLS["skill"].map(
    {"Python": "Languages", "SQL": "Languages", "PyTorch": "ML", "LLMs": "AI"}
)
SALARIES = pd.DataFrame(
    {
        "record_id": [f"s{i}" for i in range(8)],
        "source": ["survey"] * 8,
        "year": [2022, 2023, 2023, 2024, 2024, 2024, 2025, 2025],
        "title": ["x"] * 8,
        "role": [MLE, MLE, RS, MLE, RS, DA, MLE, DA],
        "seniority": ["mid", "senior", "senior", "mid", "lead", "entry", "senior", "mid"],
        "country_code": ["US", "US", "GB", "DE", "US", "NA", "US", "US"],
        "region": [
            "North America",
            "North America",
            "Europe",
            "Europe",
            "North America",
            "Africa",
            "North America",
            "North America",
        ],
        "remote": ["remote", "onsite", "onsite", "hybrid", "remote", "onsite", "remote", "onsite"],
        "employment_type": ["full_time"] * 8,
        "company_size": ["M"] * 8,
        "salary_usd": [120e3, 180e3, 200e3, 140e3, 260e3, 50e3, 220e3, 80e3],
        "salary_local": [np.nan] * 8,
        "currency": ["USD"] * 8,
        "residence_country_code": [None] * 8,
    }
)


def _postings_full() -> pd.DataFrame:
    p = POSTINGS.copy()
    p["first_seen"] = p["last_seen"] = p["posted_date"]
    for c in ("company", "location", "salary_period", "currency", "url", "ai_basis",
              "salary_min_local", "salary_max_local", "usd_rate", "rate_date"):  # fmt: skip
        p[c] = None
    p["employment_type"] = "full_time"
    p["salary_min_usd"] = p["salary_max_usd"] = p["salary_usd"]
    p["is_ai"] = p["role"].isin([MLE, RS])
    return p


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    out = tmp_path_factory.mktemp("tiny") / "jobs.duckdb"
    sources = pd.DataFrame(
        {
            "name": ["a", "b", "survey"],
            "kind": ["postings", "postings", "salaries"],
            "title": ["A", "B", "S"],
            "license": ["CC0"] * 3,
            "url": [None] * 3,
            "description": ["salaried subset", None, None],
        }
    )
    rejects = pd.DataFrame(
        {
            "source": ["a", "a", "b"],
            "source_row": [3, 9, 1],
            "reason": ["no date", "no date", "bad pay"],
            "raw": ['{"r":3}', '{"r":9}', '{"r":1}'],
        }
    )
    publish(
        {
            "postings": _postings_full(),
            "posting_skills": SKILLS,
            "salaries": SALARIES,
            "sources": sources,
            "rejects": rejects,
        },
        out,
    )
    return str(out), store_version(out)


def test_where_binds_values_as_parameters_never_as_sql_text() -> None:
    sql, params = q._where(Filters(roles=("x'; DROP TABLE postings; --",)), "postings")
    assert "DROP" not in sql and params == [["x'; DROP TABLE postings; --"]]


def test_filter_options_come_from_the_data(store: tuple[str, str]) -> None:
    o = q.filter_options(*store)
    assert o.roles[-1] == "Other" and set(o.roles) == {MLE, RS, DA, "Other"}
    assert o.roles[0] == MLE  # most rows first
    assert ("NA", "Africa") in o.countries  # Namibia's code survives as a string
    assert o.years == (2022, 2023, 2024, 2025)
    assert o.months[0] == "2023-01" and o.months[-1] == "2024-01"
    assert o.seniority == ("entry", "mid", "senior", "lead", "unknown")  # contract order
    assert o.sources == ("a", "b", "survey")


def test_headline_counts_and_medians_match_pandas(store: tuple[str, str]) -> None:
    f = Filters(regions=("North America",))
    h = q.headline(*store, f)
    p = POSTINGS[POSTINGS["region"] == "North America"]
    s = SALARIES[SALARIES["region"] == "North America"]
    assert h["postings"] == len(p)
    assert h["postings_with_pay"] == p["salary_usd"].notna().sum()
    assert h["median_advertised"] == pytest.approx(p["salary_usd"].median())
    assert h["salaries"] == len(s)
    assert h["median_survey"] == pytest.approx(s["salary_usd"].median())
    assert (h["first_year"], h["last_year"]) == (s["year"].min(), s["year"].max())


def test_month_filter_includes_the_whole_last_month(store: tuple[str, str]) -> None:
    h = q.headline(*store, Filters(months=("2023-02", "2023-12")))
    d = POSTINGS["posted_date"]
    assert h["postings"] == ((d >= "2023-02-01") & (d < "2024-01-01")).sum() == 6


def test_year_filter_applies_to_salaries_only(store: tuple[str, str]) -> None:
    h = q.headline(*store, Filters(years=(2024, 2025)))
    assert h["salaries"] == (SALARIES["year"] >= 2024).sum()
    assert h["postings"] == len(POSTINGS)


def test_postings_by_month_share_is_of_all_postings_not_only_the_chosen_roles(
    store: tuple[str, str],
) -> None:
    got = q.postings_by_month(*store, Filters(roles=(MLE,)))
    p = POSTINGS.assign(month=POSTINGS["posted_date"].dt.to_period("M").dt.to_timestamp())
    total = p.groupby("month").size()
    mine = p[p["role"] == MLE].groupby("month").size()
    assert set(got["role"]) == {MLE}
    for row in got.itertuples(index=False):
        assert row.n == mine[pd.Timestamp(row.month)]
        assert row.share == pytest.approx(
            mine[pd.Timestamp(row.month)] / total[pd.Timestamp(row.month)]
        )


@pytest.mark.parametrize("dim", ["role", "seniority", "remote", "source"])
def test_postings_by_dimension_matches_value_counts(store: tuple[str, str], dim: str) -> None:
    got = q.postings_by(*store, Filters(), dim).set_index("value")["n"].to_dict()
    assert got == POSTINGS[dim].value_counts().to_dict()


def test_postings_by_rejects_an_unknown_dimension(store: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown dimension"):
        q.postings_by(*store, Filters(), "salary_usd; DROP TABLE x")


def test_postings_by_country_leaves_out_unknown_countries(store: tuple[str, str]) -> None:
    got = q.postings_by_country(*store, Filters())
    expected = POSTINGS["country_code"].value_counts()
    assert got.set_index("country_code")["n"].to_dict() == expected.to_dict()
    assert got["share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("kind", ["survey", "advertised"])
def test_salary_quantiles_by_role_match_pandas_linear_quantiles(
    store: tuple[str, str], kind: str
) -> None:
    got = q.salary_quantiles(*store, Filters(), kind, ("role",)).set_index("role")
    frame = SALARIES if kind == "survey" else POSTINGS.dropna(subset=["salary_usd"])
    for role, grp in frame.groupby("role"):
        row = got.loc[role]
        assert row["n"] == len(grp)
        for col, qq in (("p10", 0.1), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p90", 0.9)):
            assert row[col] == pytest.approx(grp["salary_usd"].quantile(qq))


def test_advertised_salary_by_year_uses_the_posting_year(store: tuple[str, str]) -> None:
    got = q.salary_quantiles(*store, Filters(), "advertised", ("year",))
    assert got.set_index("year")["n"].to_dict() == {2023: 6, 2024: 2}


def test_salary_quantiles_ungrouped_is_one_row(store: tuple[str, str]) -> None:
    got = q.salary_quantiles(*store, Filters(countries=("NA",)), "survey")
    assert len(got) == 1 and got["n"].iloc[0] == 1 and got["p50"].iloc[0] == 50e3


def test_salary_records_by_year(store: tuple[str, str]) -> None:
    got = q.salary_records_by_year(*store, Filters(roles=(MLE,)))
    exp = SALARIES[SALARIES["role"] == MLE].groupby("year").size()
    assert got.set_index("year")["n"].to_dict() == exp.to_dict()


def test_top_skills_share_is_of_all_postings_in_the_selection(store: tuple[str, str]) -> None:
    got = q.top_skills(*store, Filters(), 2)
    counts = SKILLS["skill"].value_counts()
    assert got["skill"].tolist() == ["Python", "PyTorch"]
    assert got["n"].tolist() == [counts["Python"], counts["PyTorch"]]
    assert got["share"].iloc[0] == pytest.approx(counts["Python"] / len(POSTINGS))


def test_skill_shares_by_role_use_each_roles_posting_count(store: tuple[str, str]) -> None:
    got = q.skill_shares_by_role(*store, Filters(), 10).set_index(["role", "skill"])
    mle = POSTINGS.loc[POSTINGS["role"] == MLE, "posting_id"]
    with_py = SKILLS[(SKILLS["skill"] == "Python") & SKILLS["posting_id"].isin(mle)]
    assert got.loc[(MLE, "Python"), "share"] == pytest.approx(len(with_py) / len(mle))
    assert got.loc[(MLE, "Python"), "role_postings"] == len(mle)


def test_skill_trend_share_per_month(store: tuple[str, str]) -> None:
    got = q.skill_trend(*store, Filters(), ("SQL",))
    assert got["n"].sum() == 3
    jan24 = got[pd.to_datetime(got["month"]) == pd.Timestamp("2024-01-01")]
    assert jan24["share"].iloc[0] == pytest.approx(1 / 2)
    assert q.skill_trend(*store, Filters(), ()).empty


def test_cooccurring_skills_exclude_the_anchor(store: tuple[str, str]) -> None:
    got = q.cooccurring(*store, Filters(), "PyTorch").set_index("skill")
    with_torch = set(SKILLS.loc[SKILLS["skill"] == "PyTorch", "posting_id"])
    assert "PyTorch" not in got.index
    assert got.loc["Python", "n"] == 2  # p0 and p5
    assert got.loc["Python", "share"] == pytest.approx(2 / len(with_torch))


def test_role_skill_profile_covers_only_the_two_roles(store: tuple[str, str]) -> None:
    got = q.role_skill_profile(*store, Filters(roles=(DA,)), (MLE, RS))
    assert set(got["role"]) == {MLE, RS}
    rs = got[got["role"] == RS].set_index("skill")
    assert rs.loc["PyTorch", "share"] == pytest.approx(1.0)


def test_sources_table_counts_loaded_and_rejected_rows(store: tuple[str, str]) -> None:
    got = q.sources_table(*store).set_index("name")
    assert got.loc["a", "rows_loaded"] == 8 and got.loc["a", "rows_rejected"] == 2
    assert got.loc["survey", "rows_loaded"] == 8 and got.loc["survey", "rows_rejected"] == 0


def test_reject_reasons_group_with_an_example(store: tuple[str, str]) -> None:
    got = q.reject_reasons(*store)
    top = got.iloc[0]
    assert (top["reason"], top["n"], top["example_row"], top["example"]) == (
        "no date",
        2,
        3,
        '{"r":3}',
    )


def test_role_coverage_counts_postings_and_records_and_lists_other_titles(
    store: tuple[str, str],
) -> None:
    roles, other = q.role_coverage(*store, Filters())
    both = pd.concat([POSTINGS["role"], SALARIES["role"]]).value_counts()
    assert roles.set_index("role")["n"].to_dict() == both.to_dict()
    assert other.to_dict("records") == [{"title": "Widget", "n": 1}]


def test_filtered_rows_are_capped_and_report_the_full_count(store: tuple[str, str]) -> None:
    rows, total = q.filtered_rows(*store, Filters(), "postings", cap=3)
    assert total == 10 and len(rows) == 3
    assert rows["posted_date"].iloc[0] == pd.Timestamp(date(2024, 1, 2))


def test_a_new_store_version_is_picked_up_without_restart(tmp_path: Path) -> None:
    out = tmp_path / "jobs.duckdb"
    publish({"salaries": SALARIES}, out)
    v1 = store_version(out)
    assert q.headline(str(out), v1, Filters())["salaries"] == 8
    publish({"salaries": SALARIES.head(3)}, out)
    v2 = store_version(out)
    assert v1 != v2
    assert q.headline(str(out), v2, Filters())["salaries"] == 3


def test_page_queries_answer_on_the_real_store(request: pytest.FixtureRequest) -> None:
    pytest.importorskip("etl.pipeline", reason="the ETL pipeline is not built yet")
    real_store: Path = request.getfixturevalue("real_store")
    s, v = str(real_store), store_version(real_store)
    o = q.filter_options(s, v)
    assert MLE in o.roles and o.years and o.months
    f = Filters(roles=(MLE,))
    assert q.headline(s, v, f)["postings"] > 0
    assert not q.salary_quantiles(s, v, f, "survey", ("seniority",)).empty
    assert not q.top_skills(s, v, Filters(), 10).empty
