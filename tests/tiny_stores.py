"""Hand-made tiny stores for the dashboard's query tests (and tests/test_marts.py): small enough
to compute every expected number by hand or with pandas.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from etl.contract import columns
from etl.store import publish

MLE, RS, DA = "Machine Learning Engineer", "Research Scientist", "Data Analyst"
DS = "Data Scientist"


def read_sql(path: str | Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """``sql`` over the store at ``path``, read-only: the base-table figures a test compares a
    query's with."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


# ------------------------------------------------------------------ the query store
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


def postings_full() -> pd.DataFrame:
    p = POSTINGS.copy()
    p["first_seen"] = p["last_seen"] = p["posted_date"]
    for c in ("company", "location", "salary_period", "currency", "url", "ai_basis",
              "salary_min_local", "salary_max_local", "usd_rate", "rate_date"):  # fmt: skip
        p[c] = None
    p["employment_type"] = "full_time"
    p["salary_min_usd"] = p["salary_max_usd"] = p["salary_usd"]
    p["is_ai"] = p["role"].isin([MLE, RS])
    return p


def build_tiny(out: Path) -> Path:
    """The tiny store of the query tests at ``out``: postings, skills, salaries, sources and
    rejects."""
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
            "postings": postings_full(),
            "posting_skills": SKILLS,
            "salaries": SALARIES,
            "sources": sources,
            "rejects": rejects,
        },
        out,
    )
    return out


# ------------------------------------------------------------------ the AI-share and premium store
# id  month   role seniority pay   ai basis   region/country  skills
# p0  2023-01 MLE  mid       150k  title      NA/US           Python, PyTorch
# p1  2023-01 DA   mid        80k  -          NA/US           SQL
# p2  2023-01 DA   senior    100k  skills     NA/US           SQL, PyTorch
# p3  2023-02 DS   senior      -   skills     EU/GB           Python, Deep learning
# p4  2023-02 DA   entry      60k  -          unknown         (none)
# p5  2023-02 RS   lead      200k  title      EU/DE           PyTorch
# p6  2023-02 DA   mid        70k  -          EU/FR           Excel
AI_POSTINGS = pd.DataFrame(
    {
        "posting_id": [f"p{i}" for i in range(7)],
        "posted_date": pd.to_datetime(
            ["2023-01-03", "2023-01-10", "2023-01-31"] + ["2023-02-01"] * 4
        ),
        "role": [MLE, DA, DA, DS, DA, RS, DA],
        "seniority": ["mid", "mid", "senior", "senior", "entry", "lead", "mid"],
        "salary_usd": [150e3, 80e3, 100e3, np.nan, 60e3, 200e3, 70e3],
        "ai_basis": ["title", None, "skills", "skills", None, "title", None],
        "country_code": ["US", "US", "US", "GB", None, "DE", "FR"],
        "region": ["North America"] * 3 + ["Europe", None, "Europe", "Europe"],
    }
)


AI_SKILLS = pd.DataFrame(
    [
        ("p0", "Python"),
        ("p0", "PyTorch"),
        ("p1", "SQL"),
        ("p2", "SQL"),
        ("p2", "PyTorch"),
        ("p3", "Python"),
        ("p3", "Deep learning"),
        ("p5", "PyTorch"),
        ("p6", "Excel"),
    ],
    columns=["posting_id", "skill"],
).assign(category="c")


def build_ai(out: Path) -> Path:
    """The tiny store of the AI-share and premium tests at ``out``: postings and their skills."""
    p = AI_POSTINGS.copy()
    p["source"] = "s"
    p["first_seen"] = p["last_seen"] = p["posted_date"]
    p["title"] = p["role"]
    p["is_ai"] = p["ai_basis"].notna()
    p["remote"] = "unknown"
    p["employment_type"] = "full_time"
    p["salary_min_usd"] = p["salary_max_usd"] = p["salary_usd"]
    for c in ("company", "location", "salary_period", "currency", "url",
              "salary_min_local", "salary_max_local", "usd_rate", "rate_date"):  # fmt: skip
        p[c] = None
    publish({"postings": p[columns("postings")], "posting_skills": AI_SKILLS}, out)
    return out
