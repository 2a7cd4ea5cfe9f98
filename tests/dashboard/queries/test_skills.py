"""dashboard/queries/skills.py: skill shares, trends and co-occurrence against pandas on tiny
stores."""

from __future__ import annotations

import pandas as pd
import pytest
from tiny_stores import DA, DS, MLE, POSTINGS, RS, SKILLS

from dashboard.queries import skills
from dashboard.queries.filters import Filters


def test_top_skills_share_is_of_all_postings_in_the_selection(store: tuple[str, str]) -> None:
    got = skills.top_skills(*store, Filters(), 2)
    counts = SKILLS["skill"].value_counts()
    assert got["skill"].tolist() == ["Python", "PyTorch"]
    assert got["n"].tolist() == [counts["Python"], counts["PyTorch"]]
    assert got["share"].iloc[0] == pytest.approx(counts["Python"] / len(POSTINGS))


def test_skill_shares_by_role_use_each_roles_posting_count(store: tuple[str, str]) -> None:
    got = skills.skill_shares_by_role(*store, Filters(), 10).set_index(["role", "skill"])
    mle = POSTINGS.loc[POSTINGS["role"] == MLE, "posting_id"]
    with_py = SKILLS[(SKILLS["skill"] == "Python") & SKILLS["posting_id"].isin(mle)]
    assert got.loc[(MLE, "Python"), "share"] == pytest.approx(len(with_py) / len(mle))
    assert got.loc[(MLE, "Python"), "role_postings"] == len(mle)


def test_skill_trend_share_per_month(store: tuple[str, str]) -> None:
    got = skills.skill_trend(*store, Filters(), ("SQL",))
    assert got["n"].sum() == 3
    jan24 = got[pd.to_datetime(got["month"]) == pd.Timestamp("2024-01-01")]
    assert jan24["share"].iloc[0] == pytest.approx(1 / 2)
    assert skills.skill_trend(*store, Filters(), ()).empty


def test_cooccurring_skills_exclude_the_anchor(store: tuple[str, str]) -> None:
    got = skills.cooccurring(*store, Filters(), "PyTorch").set_index("skill")
    with_torch = set(SKILLS.loc[SKILLS["skill"] == "PyTorch", "posting_id"])
    assert "PyTorch" not in got.index
    assert got.loc["Python", "n"] == 2  # p0 and p5
    assert got.loc["Python", "share"] == pytest.approx(2 / len(with_torch))


def test_role_skill_profile_covers_only_the_two_roles(store: tuple[str, str]) -> None:
    got = skills.role_skill_profile(*store, Filters(roles=(DA,)), (MLE, RS))
    assert set(got["role"]) == {MLE, RS}
    rs = got[got["role"] == RS].set_index("skill")
    assert rs.loc["PyTorch", "share"] == pytest.approx(1.0)


def test_role_skill_frequencies_count_postings_that_list_skills(ai_store: tuple[str, str]) -> None:
    f = skills.role_skill_frequencies(*ai_store, Filters())
    da = f[f["role"] == DA].set_index("skill")
    assert da["n"].to_dict() == {"SQL": 2, "Excel": 1, "PyTorch": 1}
    assert (da["role_postings"] == 3).all()  # p4 lists no skill
    assert da.loc["SQL", "share"] == pytest.approx(2 / 3)
    assert set(f["role"]) == {MLE, DA, DS, RS}
    only = skills.role_skill_frequencies(*ai_store, Filters(roles=(RS,)))
    assert only[["role", "skill", "n"]].values.tolist() == [[RS, "PyTorch", 1]]
