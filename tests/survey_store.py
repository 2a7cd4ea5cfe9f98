"""A small store for the dashboard's survey tests: the demo tables plus a generated practitioner
survey (education, research, years of ML, pay bands, tools), published like a real store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.demo import build_demo_tables
from etl.store import publish

SURVEY = "demo_survey"
BANDS = [(0.0, 999.0), (50_000.0, 59_999.0), (100_000.0, 124_999.0), (150_000.0, 199_999.0),
         (1_000_000.0, None)]  # fmt: skip
ROLE_SHAPES = {  # role: (respondents, doctorate share, published share, pytorch share)
    "Machine Learning Engineer": (120, 0.2, 0.4, 0.6),
    "Research Scientist": (90, 0.7, 0.9, 0.8),
    "Data Scientist": (150, 0.15, 0.3, 0.35),
}


def survey_tables(seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(salaries rows, salary_skills rows) of the generated survey."""
    rng = np.random.default_rng(seed)
    rows, skills = [], []
    i = 0
    for role, (n, phd, pub, torch) in ROLE_SHAPES.items():
        for _ in range(n):
            i += 1
            rid = f"{SURVEY}:{i}"
            band = BANDS[rng.integers(0, len(BANDS))] if rng.random() < 0.8 else (None, None)
            rows.append({
                "record_id": rid, "source": SURVEY, "year": 2022, "title": role, "role": role,
                "seniority": "unknown", "remote": "unknown", "employment_type": "unknown",
                "country_code": ["US", "IN", "DE"][i % 3],
                "region": {0: "North America", 1: "Asia", 2: "Europe"}[i % 3],
                "salary_usd": None, "salary_min_usd": band[0], "salary_max_usd": band[1],
                "education": "doctorate" if rng.random() < phd else "master",
                "publishes_research": bool(rng.random() < pub),
                "years_ml": ["<1", "1-2", "2-3", "5-10"][rng.integers(0, 4)],
                "years_coding": "3-5",
            })  # fmt: skip
            if rng.random() < torch:
                skills.append((rid, "PyTorch", "ML & DL frameworks"))
            skills.append((rid, "Python", "Languages"))
            if rng.random() < 0.5:
                skills.append((rid, "TensorFlow", "ML & DL frameworks"))
    return pd.DataFrame(rows), pd.DataFrame(skills, columns=["record_id", "skill", "category"])


def build_survey_store(out: Path) -> Path:
    """The demo tables (smaller) with the generated survey, published at ``out``."""
    tables = build_demo_tables(seed=5, n_postings=4_000, n_salaries=3_000)
    survey, skills = survey_tables()
    tables["salaries"] = pd.concat([tables["salaries"], survey], ignore_index=True)
    tables["salary_skills"] = skills
    sources = tables["sources"]
    extra = pd.DataFrame([{
        "name": SURVEY, "kind": "salaries", "title": "Demo practitioner survey (generated)",
        "license": "CC0-1.0 (generated)", "url": None,
        "description": "Generated survey answers for the tests.",
    }])  # fmt: skip
    tables["sources"] = pd.concat([sources, extra], ignore_index=True)
    return publish(tables, out, meta={"run_id": "survey-test"}, kind="demo")
