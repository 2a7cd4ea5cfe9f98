"""The demo store: seeded, contract-shaped, labelled demo, plausible in shape."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.contract import AI_ROLES, REGIONS, REMOTE_CODES, SENIORITY_CODES, TABLES, columns
from etl.demo import build_demo_tables
from etl.store import read_meta, read_tables


@pytest.fixture(scope="module")
def tables(demo_store: Path) -> dict[str, pd.DataFrame]:
    return read_tables(demo_store)


def test_the_demo_store_is_labelled_demo(demo_store: Path) -> None:
    assert read_meta(demo_store)["kind"] == "demo"


def test_every_contract_table_has_exactly_the_contract_columns(tables: dict) -> None:
    assert set(tables) == set(TABLES)
    for name, frame in tables.items():
        assert list(frame.columns) == columns(name)


def test_same_seed_same_data_other_seed_other_data() -> None:
    a = build_demo_tables(seed=3, n_postings=500, n_salaries=300)
    b = build_demo_tables(seed=3, n_postings=500, n_salaries=300)
    c = build_demo_tables(seed=4, n_postings=500, n_salaries=300)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["salaries"]["salary_usd"].equals(c["salaries"]["salary_usd"])


def test_sizes_and_date_ranges(tables: dict) -> None:
    p, s = tables["postings"], tables["salaries"]
    assert len(p) == 20_000 and len(s) == 20_000
    assert p["posted_date"].min() >= pd.Timestamp("2023-01-01")
    assert p["posted_date"].max() <= pd.Timestamp("2025-12-31")
    assert p["posted_date"].dt.year.nunique() == 3
    assert sorted(s["year"].unique()) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert p["posting_id"].is_unique and s["record_id"].is_unique


def test_codes_are_the_contracts(tables: dict) -> None:
    for t in ("postings", "salaries"):
        frame = tables[t]
        assert set(frame["seniority"]) <= set(SENIORITY_CODES)
        assert set(frame["remote"]) <= set(REMOTE_CODES)
        assert set(frame["region"].dropna()) <= set(REGIONS)
    assert len(set(tables["postings"]["region"].dropna())) >= 5


def test_all_ai_roles_are_present_with_is_ai_set(tables: dict) -> None:
    p = tables["postings"]
    assert set(AI_ROLES) <= set(p["role"])
    assert p.loc[p["role"].isin(AI_ROLES), "is_ai"].all()
    assert (p.loc[p["role"].isin(AI_ROLES), "ai_basis"] == "title").all()
    by_skill = p[p["ai_basis"] == "skills"]
    assert not by_skill.empty and not by_skill["role"].isin(AI_ROLES).any()
    assert p.loc[~p["is_ai"], "ai_basis"].isna().all()


def test_skills_reference_postings_and_include_ai_skills(tables: dict) -> None:
    ps, p = tables["posting_skills"], tables["postings"]
    assert set(ps["posting_id"]) <= set(p["posting_id"])
    assert not ps.duplicated(["posting_id", "skill"]).any()
    assert {"Python", "PyTorch"} <= set(ps["skill"]) or {"python", "pytorch"} <= set(ps["skill"])
    assert ps["category"].notna().all()


def test_pay_rises_with_seniority_and_research_scientists_out_earn_analysts(
    tables: dict,
) -> None:
    s = tables["salaries"]
    med = s.groupby("seniority")["salary_usd"].median()
    assert med["entry"] < med["mid"] < med["senior"] < med["executive"]
    role = s.groupby("role")["salary_usd"].median()
    assert role["Research Scientist"] > role["Data Analyst"]
    assert s["salary_usd"].between(15_000, 800_000).all()


def test_advertised_pay_is_a_consistent_range(tables: dict) -> None:
    p = tables["postings"].dropna(subset=["salary_usd"])
    assert 0.3 < len(p) / len(tables["postings"]) < 0.8
    assert (p["salary_min_usd"] <= p["salary_usd"]).all()
    assert (p["salary_usd"] <= p["salary_max_usd"]).all()
    assert p["salary_period"].isin(["year", "hour"]).all()


def test_sources_runs_and_rejects_say_demo(tables: dict) -> None:
    assert set(tables["sources"]["name"]) == {"demo_postings", "demo_salaries"}
    assert tables["sources"]["title"].str.contains("generated").all()
    assert (tables["runs"]["status"] == "ok").all()
    assert 0 < len(tables["rejects"]) < 50
    assert tables["rejects"]["reason"].str.len().gt(10).all()
