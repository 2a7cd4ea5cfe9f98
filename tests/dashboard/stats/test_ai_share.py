"""What counts as an AI job (through the ETL's transform, as the store holds it), its definition in
words, and the monthly AI-share series the honesty policy allows (dashboard/stats/ai_share.py).
"""

from __future__ import annotations

import pandas as pd

from dashboard.stats.honesty import Thresholds
from etl.contract import AI_ROLES
from etl.normalise.skills import load_taxonomy
from etl.staging import STAGED_POSTING_COLUMNS
from etl.transform import transform_postings


def _classify(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    """title, skills list, description -> the postings table the ETL would load."""
    staged = pd.DataFrame({c: [None] * len(rows) for c in STAGED_POSTING_COLUMNS})
    staged["source_row"] = range(1, len(rows) + 1)
    staged["source_id"] = [f"id{i}" for i in range(len(rows))]
    staged["title"] = [r[0] for r in rows]
    staged["skills"] = [r[1] for r in rows]
    staged["description"] = [r[2] for r in rows]
    staged["posted_date"] = pd.to_datetime("2023-03-01")
    out = transform_postings(staged, staged.copy(), "t")
    assert out.rejects.empty
    return out.table


def test_an_ai_role_makes_an_ai_job_by_title_even_without_ai_skills() -> None:
    t = _classify([(role, "['sql']", None) for role in AI_ROLES])
    assert t["role"].tolist() == list(AI_ROLES)
    assert t["is_ai"].tolist() == [True] * 4
    assert t["ai_basis"].tolist() == ["title"] * 4


def test_an_ai_skill_makes_an_ai_job_by_skills_and_title_wins_when_both() -> None:
    t = _classify(
        [
            ("Data Analyst", "['sql', 'pytorch']", None),  # AI skill from the source's list
            ("Data Analyst", None, "You will apply deep learning to churn."),  # from the text
            ("Machine Learning Engineer", "['pytorch']", None),  # both: title first
            ("Data Analyst", "['sql', 'excel']", None),
            ("Data Analyst", None, "Excel, SQL and a sense of humour."),
        ]
    )
    assert t["is_ai"].tolist() == [True, True, True, False, False]
    assert t["ai_basis"].tolist()[:3] == ["skills", "skills", "title"]
    assert t["ai_basis"].iloc[3:].isna().all()


def test_the_ai_skills_group_holds_the_issues_examples() -> None:
    ai = load_taxonomy().ai_skills
    issue = ("Machine learning", "Deep learning", "LLMs", "NLP", "Computer vision",
             "Reinforcement learning", "PyTorch", "TensorFlow", "JAX", "Hugging Face")  # fmt: skip
    for name in issue:
        assert name in ai, name
    assert "SQL" not in ai and "Excel" not in ai


def test_the_definition_names_the_ai_roles_and_skills() -> None:
    from dashboard.stats.ai_share import ai_definition

    text = ai_definition()
    assert all(role in text for role in AI_ROLES)
    assert "PyTorch" in text and "by skills" in text


def test_months_without_postings_break_the_line_and_thin_months_are_blanked() -> None:
    from dashboard.stats.ai_share import monthly_points

    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2023-11-01", "2023-12-01", "2024-03-01"]),
            "n": [100, 12, 40],
            "ai": [10, 6, 4],
            "by_title": [5, 3, 4],
            "by_skills": [5, 3, 0],
            "share": [0.1, 0.5, 0.1],
        }
    )
    pts = monthly_points(monthly, Thresholds(min_n_median=30))
    assert pts["month"].dt.strftime("%Y-%m").tolist() == [
        "2023-11",
        "2023-12",
        "2024-01",
        "2024-02",
        "2024-03",
    ]
    assert pts["n"].tolist() == [100, 12, 0, 0, 40]
    assert pts["share"].isna().tolist() == [False, True, True, True, False]
    assert pts["note"].iloc[1] == "12 postings — fewer than 30"
