"""dashboard/queries/store.py: filters -> SQL, the sidebar's options, store versions; and every
subject's queries answering on the real store.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_stores import DA, MLE, RS, SALARIES

from dashboard import queries
from dashboard.queries.filters import Filters
from etl.store import publish, store_version


def test_where_binds_values_as_parameters_never_as_sql_text() -> None:
    sql, params = queries.store.where(Filters(roles=("x'; DROP TABLE postings; --",)), "postings")
    assert "DROP" not in sql and params == [["x'; DROP TABLE postings; --"]]


def test_filter_options_come_from_the_data(store: tuple[str, str]) -> None:
    o = queries.store.filter_options(*store)
    assert o.roles[-1] == "Other" and set(o.roles) == {MLE, RS, DA, "Other"}
    assert o.roles[0] == MLE  # most rows first
    assert ("NA", "Africa") in o.countries  # Namibia's code survives as a string
    assert o.years == (2022, 2023, 2024, 2025)
    assert o.months[0] == "2023-01" and o.months[-1] == "2024-01"
    assert o.seniority == ("entry", "mid", "senior", "lead", "unknown")  # contract order
    assert o.sources == ("a", "b", "survey")


def test_a_new_store_version_is_picked_up_without_restart(tmp_path: Path) -> None:
    out = tmp_path / "jobs.duckdb"
    publish({"salaries": SALARIES}, out)
    v1 = store_version(out)
    assert queries.overview.headline(str(out), v1, Filters())["salaries"] == 8
    publish({"salaries": SALARIES.head(3)}, out)
    v2 = store_version(out)
    assert v1 != v2
    assert queries.overview.headline(str(out), v2, Filters())["salaries"] == 3


def test_page_queries_answer_on_the_real_store(request: pytest.FixtureRequest) -> None:
    pytest.importorskip("etl.pipeline", reason="the ETL pipeline is not built yet")
    real_store: Path = request.getfixturevalue("real_store")
    s, v = str(real_store), store_version(real_store)
    o = queries.store.filter_options(s, v)
    assert MLE in o.roles and o.years and o.months
    f = Filters(roles=(MLE,))
    assert queries.overview.headline(s, v, f)["postings"] > 0
    assert not queries.pay.salary_quantiles(s, v, f, "survey", ("seniority",)).empty
    assert not queries.skills.top_skills(s, v, Filters(), 10).empty
