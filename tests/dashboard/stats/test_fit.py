"""Coverage score, what to learn next and skill extraction for "Where do you fit?"."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.stats.fit import (
    COVERAGE_COLUMNS,
    best_roles,
    coverage,
    extract_skills,
    suggestions,
    valid_skills,
)
from dashboard.stats.honesty import Thresholds

T = Thresholds(min_n_median=30)


def freq(rows: list[tuple[str, str, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["role", "skill", "n", "role_postings"])


# Role A (40 postings): Python 8, SQL 4, PyTorch 2 -> total weight 14.
# Role B (40 postings): SQL 6, Excel 3, Python 1 -> total 10.
# Role C (5 postings, too few to rank): Python 5.  Other: never ranked.
FREQ = freq(
    [
        ("A", "Python", 8, 40),
        ("A", "SQL", 4, 40),
        ("A", "PyTorch", 2, 40),
        ("B", "SQL", 6, 40),
        ("B", "Excel", 3, 40),
        ("B", "Python", 1, 40),
        ("C", "Python", 5, 5),
        ("Other", "Python", 50, 60),
    ]
)


def test_coverage_is_the_demand_weighted_share_of_the_roles_skills() -> None:
    cov = coverage(FREQ, {"Python", "SQL"}, t=T).set_index("role")
    assert cov.loc["A", "coverage"] == pytest.approx(12 / 14)
    assert cov.loc["B", "coverage"] == pytest.approx(7 / 10)
    assert cov.loc["A", "matched"] == 2 and cov.loc["A", "skills"] == 3
    assert cov.loc["B", "postings"] == 40


def test_a_frequent_skill_counts_more_than_a_rare_one() -> None:
    cov = coverage(FREQ, {"Excel"}, t=T).set_index("role")
    assert cov.loc["B", "coverage"] == pytest.approx(3 / 10)
    assert cov.loc["A", "coverage"] == 0.0
    only_sql = coverage(FREQ, {"SQL"}, t=T).set_index("role")
    assert only_sql.loc["B", "coverage"] == pytest.approx(0.6)  # SQL alone > Excel alone


def test_roles_are_ranked_and_thin_roles_come_last_with_a_reason() -> None:
    cov = coverage(FREQ, {"Python"}, t=T)
    assert cov.columns.tolist() == COVERAGE_COLUMNS
    assert cov["role"].tolist() == ["A", "B", "C"]  # C covers 100% but has 5 postings
    c = cov.set_index("role").loc["C"]
    assert c["coverage"] == 1.0
    assert c["note"] == "too few postings to rank: 5 postings — fewer than 30"
    assert best_roles(cov) == ["A", "B"]


def test_the_catch_all_role_is_not_ranked() -> None:
    assert "Other" not in coverage(FREQ, {"Python"}, t=T)["role"].tolist()


def test_no_skills_means_zero_coverage_everywhere() -> None:
    cov = coverage(FREQ, set(), t=T)
    assert (cov["coverage"] == 0).all() and (cov["matched"] == 0).all()


def test_empty_frequencies_give_an_empty_ranking() -> None:
    assert coverage(freq([]), {"Python"}, t=T).empty
    assert suggestions(freq([]), {"Python"}, "A").empty


def test_suggestions_are_the_missing_skills_that_raise_coverage_most() -> None:
    s = suggestions(FREQ, {"Python"}, "A")
    assert s["skill"].tolist() == ["SQL", "PyTorch"]
    sql = s.iloc[0]
    assert sql["gain"] == pytest.approx(4 / 14)
    assert sql["share"] == pytest.approx(4 / 40)
    assert sql["coverage_after"] == pytest.approx(12 / 14)


def test_suggestions_stop_at_top_and_break_ties_by_name() -> None:
    f = freq([("A", s, 3, 40) for s in ("Go", "Rust", "AWS", "Java", "SQL", "C++")])
    s = suggestions(f, set(), "A", top=5)
    assert s["skill"].tolist() == ["AWS", "C++", "Go", "Java", "Rust"]


def test_skills_are_extracted_from_pasted_text_with_the_etl_extractor() -> None:
    text = (
        "5 years of Python, Go and Java in an R&D lab; trained PyTorch models and served them "
        "on k8s with Docker. Some C++ and sklearn; SQL/NoSQL."
    )
    got = extract_skills(text)
    assert got == [
        "Python",
        "Go",
        "Java",
        "PyTorch",
        "Kubernetes",
        "Docker",
        "C++",
        "scikit-learn",
        "SQL",
        "NoSQL",
    ]
    assert "R" not in got  # "R&D" is not the R language


@pytest.mark.parametrize("text", [None, "", "   ", "I like long walks on the beach."])
def test_text_without_skills_gives_none(text: str | None) -> None:
    assert extract_skills(text) == []


def test_url_skills_are_validated_against_the_taxonomy() -> None:
    assert valid_skills(["Python", "python", "Astronaut", "k8s", 3, None]) == [
        "Python",
        "Kubernetes",
    ]
