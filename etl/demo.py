"""A seeded, clearly labelled demo store, so the dashboard can be tried without any download.

Everything here is generated (numpy RNG, fixed seed): the numbers are plausible in shape but not
real, and the store is published with ``kind="demo"`` so every page shows a DEMO banner. Role and
skill names come from data/roles.yaml and data/skills.yaml when they exist (so the demo speaks the
same vocabulary as the real store); the small lists below are the generator's parameters and the
fallback while those files are absent.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from etl.contract import AI_ROLES, columns
from etl.store import publish

# Generator parameters: relative posting demand, base annual pay (USD, mid level, US, 2023) and a
# demand growth rate over the demo's three years.
_ROLES: dict[str, tuple[float, int, float]] = {
    "Data Analyst": (0.22, 88_000, 0.0),
    "Data Scientist": (0.17, 132_000, 0.1),
    "Data Engineer": (0.16, 135_000, 0.2),
    "Software Engineer": (0.08, 138_000, 0.0),
    "Machine Learning Engineer": (0.10, 165_000, 0.9),
    "AI Engineer": (0.05, 155_000, 2.5),
    "Research Scientist": (0.05, 180_000, 0.5),
    "MLOps Engineer": (0.03, 150_000, 0.8),
    "Business Analyst": (0.06, 92_000, -0.2),
    "Other": (0.08, 100_000, 0.0),
}
_SENIORITY = {
    "intern": (0.02, 0.45),
    "entry": (0.15, 0.72),
    "mid": (0.33, 1.0),
    "senior": (0.30, 1.3),
    "lead": (0.08, 1.5),
    "executive": (0.02, 1.9),
    "unknown": (0.10, 1.0),
}
_TITLE_PREFIX = {"intern": "Intern", "entry": "Junior", "senior": "Senior", "lead": "Lead",
                 "executive": "Head of", "mid": "", "unknown": ""}  # fmt: skip
# country, demand weight, pay factor vs the US, currency
_COUNTRIES: list[tuple[str, float, float, str]] = [
    ("US", 0.52, 1.0, "USD"), ("GB", 0.08, 0.62, "GBP"), ("DE", 0.06, 0.62, "EUR"),
    ("CA", 0.05, 0.74, "CAD"), ("IN", 0.05, 0.22, "INR"), ("FR", 0.03, 0.55, "EUR"),
    ("NL", 0.02, 0.62, "EUR"), ("ES", 0.02, 0.45, "EUR"), ("PL", 0.02, 0.38, "PLN"),
    ("CH", 0.01, 0.95, "CHF"), ("IE", 0.01, 0.65, "EUR"), ("SE", 0.01, 0.55, "SEK"),
    ("SG", 0.02, 0.7, "SGD"), ("JP", 0.01, 0.5, "JPY"), ("AE", 0.01, 0.6, "AED"),
    ("AU", 0.02, 0.72, "AUD"), ("NZ", 0.005, 0.6, "NZD"), ("BR", 0.02, 0.3, "BRL"),
    ("MX", 0.01, 0.3, "MXN"), ("AR", 0.005, 0.25, "ARS"), ("ZA", 0.01, 0.35, "ZAR"),
    ("NG", 0.005, 0.2, "NGN"), ("KE", 0.005, 0.2, "KES"),
]  # fmt: skip
_REGION = {
    "US": "North America", "CA": "North America", "GB": "Europe", "DE": "Europe",
    "FR": "Europe", "NL": "Europe", "ES": "Europe", "PL": "Europe", "CH": "Europe",
    "IE": "Europe", "SE": "Europe", "IN": "Asia", "SG": "Asia", "JP": "Asia", "AE": "Asia",
    "AU": "Oceania", "NZ": "Oceania", "BR": "Latin America & Caribbean",
    "MX": "Latin America & Caribbean", "AR": "Latin America & Caribbean", "ZA": "Africa",
    "NG": "Africa", "KE": "Africa",
}  # fmt: skip
_REMOTE = {"onsite": 0.5, "hybrid": 0.2, "remote": 0.25, "unknown": 0.05}
# skill -> (category, is AI skill, growth with time)
_SKILLS: dict[str, tuple[str, bool, float]] = {
    "python": ("Programming", False, 0.1), "sql": ("Programming", False, 0.0),
    "r": ("Programming", False, -0.2), "java": ("Programming", False, 0.0),
    "scala": ("Programming", False, -0.1), "c++": ("Programming", False, 0.0),
    "go": ("Programming", False, 0.1), "pytorch": ("Machine Learning & AI", True, 0.5),
    "tensorflow": ("Machine Learning & AI", True, -0.3),
    "scikit-learn": ("Machine Learning & AI", True, 0.0),
    "hugging face": ("Machine Learning & AI", True, 1.0),
    "llm": ("Machine Learning & AI", True, 2.0), "langchain": ("Machine Learning & AI", True, 2.5),
    "openai api": ("Machine Learning & AI", True, 2.0),
    "nlp": ("Machine Learning & AI", True, 0.3),
    "computer vision": ("Machine Learning & AI", True, 0.0),
    "spark": ("Data Engineering", False, 0.0), "airflow": ("Data Engineering", False, 0.2),
    "kafka": ("Data Engineering", False, 0.1), "dbt": ("Data Engineering", False, 0.5),
    "snowflake": ("Databases", False, 0.3), "postgresql": ("Databases", False, 0.1),
    "aws": ("Cloud", False, 0.1), "azure": ("Cloud", False, 0.2), "gcp": ("Cloud", False, 0.1),
    "docker": ("DevOps", False, 0.1), "kubernetes": ("DevOps", False, 0.2),
    "terraform": ("DevOps", False, 0.2), "mlflow": ("DevOps", False, 0.4),
    "git": ("DevOps", False, 0.0), "tableau": ("Analytics", False, -0.1),
    "power bi": ("Analytics", False, 0.2), "excel": ("Analytics", False, -0.1),
    "looker": ("Analytics", False, 0.1),
}  # fmt: skip
_BASE_SKILLS = {"python": 0.3, "sql": 0.3, "git": 0.08, "aws": 0.12, "docker": 0.06, "excel": 0.05}
_ROLE_SKILLS: dict[str, dict[str, float]] = {
    "Data Analyst": {"sql": 0.7, "excel": 0.45, "tableau": 0.35, "power bi": 0.35, "python": 0.35,
                     "r": 0.15, "looker": 0.08},
    "Business Analyst": {"sql": 0.45, "excel": 0.5, "tableau": 0.25, "power bi": 0.3},
    "Data Scientist": {"python": 0.75, "sql": 0.55, "r": 0.3, "scikit-learn": 0.25,
                       "tensorflow": 0.12, "pytorch": 0.12, "tableau": 0.15, "spark": 0.15,
                       "aws": 0.2, "llm": 0.06},
    "Data Engineer": {"sql": 0.7, "python": 0.65, "spark": 0.45, "airflow": 0.35, "kafka": 0.2,
                      "snowflake": 0.3, "dbt": 0.2, "aws": 0.4, "azure": 0.2, "gcp": 0.15,
                      "scala": 0.12, "java": 0.12, "docker": 0.15, "kubernetes": 0.1,
                      "postgresql": 0.15},
    "Machine Learning Engineer": {"python": 0.85, "pytorch": 0.5, "tensorflow": 0.35,
                                  "scikit-learn": 0.25, "docker": 0.3, "kubernetes": 0.25,
                                  "aws": 0.4, "mlflow": 0.15, "llm": 0.2, "spark": 0.15,
                                  "sql": 0.3, "c++": 0.1, "hugging face": 0.15},
    "Research Scientist": {"python": 0.8, "pytorch": 0.6, "tensorflow": 0.2, "llm": 0.3,
                           "nlp": 0.3, "computer vision": 0.25, "c++": 0.15,
                           "hugging face": 0.2, "sql": 0.1},
    "AI Engineer": {"python": 0.8, "llm": 0.5, "langchain": 0.3, "openai api": 0.3,
                    "hugging face": 0.25, "pytorch": 0.3, "aws": 0.3, "docker": 0.25},
    "MLOps Engineer": {"python": 0.7, "docker": 0.6, "kubernetes": 0.6, "mlflow": 0.4,
                       "aws": 0.45, "terraform": 0.3, "airflow": 0.25, "gcp": 0.2, "azure": 0.2},
    "Software Engineer": {"java": 0.35, "python": 0.45, "go": 0.2, "c++": 0.15, "aws": 0.35,
                          "docker": 0.3, "kubernetes": 0.2, "sql": 0.3, "git": 0.2, "llm": 0.04},
}  # fmt: skip
_COMPANIES = ("Acme Analytics", "Globex AI", "Initech Data", "Umbrella Labs", "Hooli",
              "Vandelay Robotics", "Stark Insights", "Wayne Research", "Cyberdyne Systems",
              "Tyrell Models", "Soylent Data", "Aperture Learning")  # fmt: skip
_REJECT_REASONS = (
    "salary_usd 4,200,000 is outside the plausible band 10,000–1,500,000",
    "posting date missing or unreadable",
    "job title is empty",
)


def _vocabulary() -> tuple[list[str], dict[str, tuple[str, bool, float, str]]]:
    """Role names and skills, from data/roles.yaml and data/skills.yaml when present."""
    roles = list(_ROLES)
    skills = {k: (*v, k) for k, v in _SKILLS.items()}
    try:
        from etl.normalise.roles import load_role_rules

        file_roles = list(load_role_rules().roles)
        if file_roles:
            roles = file_roles
    except Exception:  # the file or module is not there yet: keep the built-in list
        pass
    try:
        from etl.normalise.skills import load_taxonomy

        tax = load_taxonomy()
        mapped = {}
        for name, (_cat, _ai, growth, key) in skills.items():
            canon = tax.canonical(name)
            if canon:  # skills the taxonomy does not know are left out of the demo
                mapped[canon] = (tax.category(canon), canon in tax.ai_skills, growth, key)
        if len(mapped) >= 10:
            skills = mapped
    except Exception:
        pass
    return roles, skills


def _month_starts(first: date, n: int) -> list[date]:
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(n)]  # fmt: skip


def _pay(rng, role_base, seniority_f, country_f, year, size) -> np.ndarray:  # type: ignore[no-untyped-def]
    trend = 1.04 ** (np.asarray(year) - 2023)
    noise = rng.lognormal(0.0, 0.22, size)
    return np.round(role_base * seniority_f * country_f * trend * noise, -2)


def _local_pay(postings: pd.DataFrame) -> dict[str, pd.Series]:
    """The advertised amounts behind the USD figures: in the posting's currency, per its period,
    at the ECB rate of its date (the same provenance columns the real transform fills)."""
    from etl.normalise.pay import annualise, usd_rates

    rates = usd_rates(postings["currency"], pd.to_datetime(postings["posted_date"]))
    per_usd = annualise(pd.Series(1.0, index=postings.index), postings["salary_period"])
    per_usd = per_usd * rates["usd_rate"]
    return {
        "salary_min_local": (postings["salary_min_usd"] / per_usd).round(2),
        "salary_max_local": (postings["salary_max_usd"] / per_usd).round(2),
        "usd_rate": rates["usd_rate"].where(postings["salary_usd"].notna()),
        "rate_date": rates["rate_date"].where(postings["salary_usd"].notna(), None),
    }


def _postings(rng: np.random.Generator, roles: list[str], skills: dict, n: int):  # type: ignore[no-untyped-def]
    months = _month_starts(date(2023, 1, 1), 36)
    t = np.linspace(0, 1, len(months))
    volume = 1 + 0.6 * t + 0.15 * np.sin(np.arange(len(months)) / 12 * 2 * np.pi)
    month_idx = rng.choice(len(months), n, p=volume / volume.sum())
    tm = t[month_idx]
    params = [_ROLES.get(r, (0.02, 110_000, 0.0)) for r in roles]
    weights = np.array([[w * (1 + g * ti) for w, _, g in params] for ti in t])
    weights /= weights.sum(axis=1, keepdims=True)
    cum = weights.cumsum(axis=1)[month_idx]
    role_idx = np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), len(roles) - 1)
    role = np.array(roles, dtype=object)[role_idx]
    sen_names = list(_SENIORITY)
    sen = rng.choice(sen_names, n, p=[w for w, _ in _SENIORITY.values()])
    c_codes = [c[0] for c in _COUNTRIES]
    cw = np.array([c[1] for c in _COUNTRIES])
    c_idx = rng.choice(len(c_codes), n, p=cw / cw.sum())
    country = np.array(c_codes, dtype=object)[c_idx]
    unknown_place = rng.random(n) < 0.04
    days = rng.integers(0, 28, n)
    posted = pd.to_datetime([months[i] for i in month_idx]) + pd.to_timedelta(days, unit="D")
    base = np.array([p[1] for p in params])[role_idx]
    pay = _pay(rng, base, np.array([_SENIORITY[s][1] for s in sen]),
               np.array([c[2] for c in _COUNTRIES])[c_idx], posted.year, n)  # fmt: skip
    has_pay = rng.random(n) < 0.55
    hourly = has_pay & (rng.random(n) < 0.2)
    ids = np.array([f"demo_postings-{i:06d}" for i in range(n)], dtype=object)
    titles = [f"{_TITLE_PREFIX[s]} {r}".strip() if r != "Other" else
              ("Product Manager, Data", "Data Specialist", "Quant Developer")[i % 3]
              for i, (r, s) in enumerate(zip(role, sen, strict=True))]  # fmt: skip
    remote = rng.choice(list(_REMOTE), n, p=list(_REMOTE.values()))
    postings = pd.DataFrame({
        "posting_id": ids, "source": "demo_postings", "posted_date": posted.date,
        "first_seen": posted.date, "last_seen": posted.date, "title": titles,
        "company": rng.choice(_COMPANIES, n), "role": role, "seniority": sen,
        "country_code": np.where(unknown_place, None, country),
        "region": np.where(unknown_place, None, [_REGION[c] for c in country]),
        "location": np.where(remote == "remote", "Remote", country),
        "remote": remote, "employment_type": rng.choice(
            ["full_time", "contract", "part_time", "internship"], n, p=[0.86, 0.09, 0.03, 0.02]),
        "salary_min_usd": np.where(has_pay, np.round(pay * 0.88, -2), np.nan),
        "salary_max_usd": np.where(has_pay, np.round(pay * 1.12, -2), np.nan),
        "salary_usd": np.where(has_pay, pay, np.nan),
        "salary_period": np.where(has_pay, np.where(hourly, "hour", "year"), None),
        "currency": np.where(has_pay, np.array([c[3] for c in _COUNTRIES])[c_idx], None),
        "url": [f"https://example.org/demo/{i}" for i in ids],
    })  # fmt: skip
    postings = postings.assign(**_local_pay(postings))
    rows_p, rows_s, rows_c = [], [], []
    ai_by_skill = np.zeros(n, dtype=bool)
    for skill, (cat, ai, growth, key) in skills.items():
        prob = np.array([_ROLE_SKILLS.get(r, _BASE_SKILLS).get(key, 0.01) for r in roles])[role_idx]
        prob = np.clip(prob * (1 + growth * (tm - 0.5)), 0, 0.95)
        hit = rng.random(n) < prob
        rows_p.append(ids[hit])
        rows_s.append(np.full(hit.sum(), skill, dtype=object))
        rows_c.append(np.full(hit.sum(), cat, dtype=object))
        if ai:
            ai_by_skill |= hit
    posting_skills = pd.DataFrame({"posting_id": np.concatenate(rows_p),
                                   "skill": np.concatenate(rows_s),
                                   "category": np.concatenate(rows_c)})  # fmt: skip
    posting_skills["basis"] = "text"  # demo postings "name" their skills in a description
    by_title = np.isin(role, list(AI_ROLES))
    postings["is_ai"] = by_title | ai_by_skill
    postings["ai_basis"] = np.where(by_title, "title", np.where(ai_by_skill, "skills", None))
    return postings, posting_skills


def _salaries(rng: np.random.Generator, roles: list[str], n: int) -> pd.DataFrame:
    years = np.array([2020, 2021, 2022, 2023, 2024, 2025])
    year = rng.choice(years, n, p=[0.01, 0.03, 0.07, 0.17, 0.32, 0.40])
    params = [_ROLES.get(r, (0.02, 110_000, 0.0)) for r in roles]
    w = np.array([p[0] for p in params])
    role_idx = rng.choice(len(roles), n, p=w / w.sum())
    sen = rng.choice(list(_SENIORITY)[:-1], n, p=[0.01, 0.16, 0.35, 0.37, 0.08, 0.03])
    cw = np.array([c[1] for c in _COUNTRIES]) ** 0.8
    c_idx = rng.choice(len(_COUNTRIES), n, p=cw / cw.sum())
    country = np.array([c[0] for c in _COUNTRIES], dtype=object)[c_idx]
    pay = _pay(rng, np.array([p[1] for p in params])[role_idx],
               np.array([_SENIORITY[s][1] for s in sen]),
               np.array([c[2] for c in _COUNTRIES])[c_idx], year, n)  # fmt: skip
    pay = np.clip(pay, 15_000, 800_000)
    role = np.array(roles, dtype=object)[role_idx]
    return pd.DataFrame({
        "record_id": [f"demo_salaries-{i:06d}" for i in range(n)], "source": "demo_salaries",
        "year": year, "title": role, "role": role, "seniority": sen, "country_code": country,
        "residence_country_code": country, "region": [_REGION[c] for c in country],
        "remote": rng.choice(["onsite", "hybrid", "remote"], n, p=[0.55, 0.1, 0.35]),
        "employment_type": rng.choice(["full_time", "contract", "part_time", "freelance"], n,
                                      p=[0.97, 0.015, 0.01, 0.005]),
        "company_size": rng.choice(["S", "M", "L"], n, p=[0.08, 0.8, 0.12]),
        "salary_usd": pay, "salary_local": pay, "currency": "USD",
    })  # fmt: skip


def build_demo_tables(seed: int = 7, n_postings: int = 20_000, n_salaries: int = 20_000) -> dict:
    """Every contract table of the demo store as DataFrames (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    roles, skills = _vocabulary()
    postings, posting_skills = _postings(rng, roles, skills, n_postings)
    salaries = _salaries(rng, roles, n_salaries)
    started = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    rejects = pd.DataFrame({
        "source": ["demo_postings"] * 9 + ["demo_salaries"] * 3,
        "source_row": np.arange(1, 13) * 997,
        "reason": [_REJECT_REASONS[i % 3] for i in range(12)],
        "raw": [json.dumps({"title": "" if i % 3 == 2 else "Data Scientist",
                            "salary": 4_200_000 if i % 3 == 0 else None}) for i in range(12)],
    })  # fmt: skip
    runs = pd.DataFrame({
        "run_id": "demo-run", "source": ["demo_postings", "demo_salaries"],
        "started_at": started, "finished_at": started, "status": "ok",
        "rows_read": [n_postings + 9, n_salaries + 3], "rows_loaded": [n_postings, n_salaries],
        "rows_rejected": [9, 3], "message": "generated by etl/demo.py (not real data)",
    })  # fmt: skip
    sources = pd.DataFrame({
        "name": ["demo_postings", "demo_salaries"], "kind": ["postings", "salaries"],
        "title": ["Demo job postings (generated)", "Demo salary survey (generated)"],
        "license": ["CC0-1.0 (generated by this project)"] * 2,
        "url": ["https://example.org/demo"] * 2,
        "description": [
            "Generated postings, 2023–2025: plausible shapes, not real. Like the real data_jobs "
            "source, about half carry advertised pay.",
            "Generated salary-survey records, 2020–2025: plausible shapes, not real.",
        ],
    })  # fmt: skip
    tables = {"postings": postings, "posting_skills": posting_skills, "salaries": salaries,
              "rejects": rejects, "runs": runs, "sources": sources}  # fmt: skip
    return {name: frame.reindex(columns=columns(name)) for name, frame in tables.items()}


def build_demo_store(out: Path, seed: int = 7) -> Path:
    """Generate the demo tables and publish them atomically as a store of kind 'demo'."""
    return publish(build_demo_tables(seed), Path(out), meta={"run_id": "demo-run"}, kind="demo")
