"""dashboard/queries/demand.py: postings over time and place, and the AI share, against pandas and
hand-computed numbers on tiny stores.
"""

from __future__ import annotations

import pandas as pd
import pytest
from tiny_stores import MLE, POSTINGS, SALARIES

from dashboard.queries import demand
from dashboard.queries.filters import Filters


def test_postings_by_month_share_is_of_all_postings_not_only_the_chosen_roles(
    store: tuple[str, str],
) -> None:
    got = demand.postings_by_month(*store, Filters(roles=(MLE,)))
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
    got = demand.postings_by(*store, Filters(), dim).set_index("value")["n"].to_dict()
    assert got == POSTINGS[dim].value_counts().to_dict()


def test_postings_by_rejects_an_unknown_dimension(store: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown dimension"):
        demand.postings_by(*store, Filters(), "salary_usd; DROP TABLE x")


def test_postings_by_country_leaves_out_unknown_countries(store: tuple[str, str]) -> None:
    got = demand.postings_by_country(*store, Filters())
    expected = POSTINGS["country_code"].value_counts()
    assert got.set_index("country_code")["n"].to_dict() == expected.to_dict()
    assert got["share"].sum() == pytest.approx(1.0)


def test_salary_records_by_year(store: tuple[str, str]) -> None:
    got = demand.salary_records_by_year(*store, Filters(roles=(MLE,)))
    exp = SALARIES[SALARIES["role"] == MLE].groupby("year").size()
    assert got.set_index("year")["n"].to_dict() == exp.to_dict()


def test_ai_share_per_month_counts_postings_and_the_reason(ai_store: tuple[str, str]) -> None:
    m = demand.ai_share_by_month(*ai_store, Filters())
    assert m["n"].tolist() == [3, 4]
    assert m["ai"].tolist() == [2, 2]
    assert m["by_title"].tolist() == [1, 1] and m["by_skills"].tolist() == [1, 1]
    assert m["share"].tolist() == pytest.approx([2 / 3, 0.5])
    assert pd.to_datetime(m["month"]).dt.strftime("%Y-%m").tolist() == ["2023-01", "2023-02"]


def test_ai_share_follows_the_filters(ai_store: tuple[str, str]) -> None:
    m = demand.ai_share_by_month(*ai_store, Filters(regions=("Europe",)))
    assert m["n"].tolist() == [3] and m["ai"].tolist() == [2]
    m = demand.ai_share_by_month(*ai_store, Filters(months=("2023-01", "2023-01")))
    assert m["n"].tolist() == [3]


def test_ai_share_by_region_and_country_leaves_out_unknown_places(
    ai_store: tuple[str, str],
) -> None:
    r = demand.ai_share_by(*ai_store, Filters(), "region").set_index("value")
    assert r["n"].to_dict() == {"Europe": 3, "North America": 3}
    assert r["ai"].to_dict() == {"Europe": 2, "North America": 2}
    c = demand.ai_share_by(*ai_store, Filters(), "country_code").set_index("value")
    assert c["n"].to_dict() == {"US": 3, "DE": 1, "FR": 1, "GB": 1}
    assert c["share"].to_dict() == pytest.approx({"US": 2 / 3, "DE": 1.0, "FR": 0.0, "GB": 1.0})


def test_an_unknown_dimension_is_refused(ai_store: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match="unknown dimension"):
        demand.ai_share_by(*ai_store, Filters(), "salary_usd; DROP TABLE postings")
