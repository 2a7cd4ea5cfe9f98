"""What practitioners say about their roles: the survey answers stored with salary records.

Surveys such as Kaggle's (data/sources/surveys.yaml) store each respondent as a salary record with
education, publishes_research, years_coding, years_ml, a pay band (salary_min_usd, salary_max_usd)
and the tools they use (salary_skills). These queries read only those answers: a record counts
for a question when it answered it, and pay is read as bands, never as amounts, so survey bands
are never pooled with aijobs' amounts or advertised pay.

Every result is grouped by role, source and year, with the counts behind each share: the page
shows n, the source and the year beside every figure.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries.sources import source_names
from dashboard.queries.store import Params, cached, check, fetch
from dashboard.stats.provenance import Provenance, from_counts

QUESTIONS: tuple[str, ...] = (
    "education",
    "publishes_research",
    "years_coding",
    "years_ml",
    "company_size",
)
"""The single-choice answers ``answer_shares`` can count (column names of ``salaries``)."""

_SURVEY_SOURCES = """
SELECT source FROM salaries
WHERE education IS NOT NULL OR publishes_research IS NOT NULL OR years_ml IS NOT NULL
   OR years_coding IS NOT NULL OR salary_min_usd IS NOT NULL
GROUP BY source
"""
"""Sources whose records carry practitioners' answers (the band surveys)."""


def _respondents(roles: tuple[str, ...], countries: tuple[str, ...]) -> tuple[str, Params]:
    """The CTE ``r``: survey respondents in ``roles`` (and ``countries`` when given)."""
    clauses = [f"source IN ({_SURVEY_SOURCES})", "list_contains(?::VARCHAR[], role)"]
    params: Params = [list(roles)]
    if countries:
        clauses.append("list_contains(?::VARCHAR[], country_code)")
        params.append(list(countries))
    return f"r AS (SELECT * FROM salaries WHERE {' AND '.join(clauses)})", params


@cached
def survey_sources(store: str, version: str) -> pd.DataFrame:
    """source, title, license, first_year, last_year, respondents: the surveys in the store."""
    return fetch(
        store,
        version,
        f"""
        SELECT s.source, src.title, src.license, min(s.year) AS first_year,
               max(s.year) AS last_year, count(*) AS respondents
        FROM salaries s LEFT JOIN sources src ON src.name = s.source
        WHERE s.source IN ({_SURVEY_SOURCES})
        GROUP BY s.source, src.title, src.license
        ORDER BY last_year DESC, s.source
        """,
    )


@cached
def answer_shares(
    store: str,
    version: str,
    question: str,
    roles: tuple[str, ...],
    countries: tuple[str, ...] = (),
) -> pd.DataFrame:
    """role, source, year, answer, n, answered, share for one single-choice ``question``.

    ``answered`` counts the role's respondents who gave an answer other than "unknown" (prefer not
    to say); ``share`` = n / answered (NULL for "unknown"). Respondents the survey did not ask
    (NULL) count nowhere. ``answer`` is text ("doctorate", "true", "1-2").
    """
    column = check(question, QUESTIONS, "survey question")
    cte, params = _respondents(roles, countries)
    sql = f"""
    WITH {cte},
    a AS (SELECT role, source, year, CAST({column} AS VARCHAR) AS answer, count(*) AS n
          FROM r WHERE {column} IS NOT NULL GROUP BY ALL)
    SELECT role, source, year, answer, n,
           sum(CASE WHEN answer <> 'unknown' THEN n ELSE 0 END)
               OVER (PARTITION BY role, source, year) AS answered,
           CASE WHEN answer <> 'unknown'
                THEN n / sum(CASE WHEN answer <> 'unknown' THEN n ELSE 0 END)
                         OVER (PARTITION BY role, source, year) END AS share
    FROM a ORDER BY role, source, year, answer
    """
    return fetch(store, version, sql, params)


@cached
def tool_shares(
    store: str,
    version: str,
    roles: tuple[str, ...],
    countries: tuple[str, ...] = (),
    top: int = 10,
) -> pd.DataFrame:
    """role, source, year, skill, category, users, respondents, share, rank: the tools each
    role's respondents use, the ``top`` per role and category.

    ``respondents`` counts every respondent of the role in a survey that asks about tools (has
    salary_skills rows), whether or not they ticked one: ``share`` = users / respondents.
    """
    cte, params = _respondents(roles, countries)
    sql = f"""
    WITH {cte},
    asked AS (SELECT DISTINCT s.source FROM salary_skills k JOIN salaries s USING (record_id)),
    base AS (SELECT role, source, year, count(*) AS respondents FROM r
             WHERE source IN (SELECT source FROM asked) GROUP BY ALL),
    used AS (SELECT r.role, r.source, r.year, k.skill, k.category, count(*) AS users
             FROM salary_skills k JOIN r USING (record_id) GROUP BY ALL)
    SELECT u.role, u.source, u.year, u.skill, u.category, u.users, b.respondents,
           u.users / b.respondents AS share,
           row_number() OVER (PARTITION BY u.role, u.source, u.year, u.category
                              ORDER BY u.users DESC, u.skill) AS rank
    FROM used u JOIN base b USING (role, source, year)
    QUALIFY rank <= ?
    ORDER BY u.role, u.source, u.year, u.category, rank
    """
    return fetch(store, version, sql, [*params, int(top)])


@cached
def pay_bands(
    store: str,
    version: str,
    roles: tuple[str, ...],
    countries: tuple[str, ...] = (),
) -> pd.DataFrame:
    """role, source, year, country_code, salary_min_usd, salary_max_usd, n: respondents per pay
    band (USD a year, as published; salary_max_usd NULL for the open top band)."""
    cte, params = _respondents(roles, countries)
    sql = f"""
    WITH {cte}
    SELECT role, source, year, country_code, salary_min_usd, salary_max_usd, count(*) AS n
    FROM r WHERE salary_min_usd IS NOT NULL
    GROUP BY ALL
    ORDER BY role, source, year, country_code, salary_min_usd
    """
    return fetch(store, version, sql, params)


def _latest_tool_respondents(countries: tuple[str, ...]) -> tuple[str, Params]:
    """The CTEs ending in ``r``: respondents of the latest year of each survey that asks about
    tools (in ``countries`` when given)."""
    clauses = [f"source IN ({_SURVEY_SOURCES})"]
    params: Params = []
    if countries:
        clauses.append("list_contains(?::VARCHAR[], country_code)")
        params.append(list(countries))
    cte = f"""asked AS (SELECT DISTINCT s.source, s.year
                   FROM salary_skills k JOIN salaries s USING (record_id)),
    latest AS (SELECT source, max(year) AS year FROM asked GROUP BY source),
    r AS (SELECT s.* FROM salaries s JOIN latest USING (source, year)
          WHERE {" AND ".join(clauses)})"""
    return cte, params


@cached
def practitioner_provenance(
    store: str, version: str, countries: tuple[str, ...] = ()
) -> Provenance:
    """The surveys, years and respondents behind practitioner_skill_frequencies."""
    cte, params = _latest_tool_respondents(countries)
    counts = fetch(
        store,
        version,
        f"""WITH {cte}
        SELECT source, make_date(min(year), 1, 1) AS first, make_date(max(year), 1, 1) AS last,
               count(*) AS n FROM r GROUP BY source""",
        params,
    )
    label = " + ".join(countries) if countries else "every country"
    names = source_names(store, version)
    return from_counts(counts, names, unit="respondents", label=label, yearly=True)


@cached
def practitioner_skill_frequencies(
    store: str, version: str, countries: tuple[str, ...] = ()
) -> pd.DataFrame:
    """role, skill, category, n (respondents using it), role_postings (the role's respondents):
    the shape of skills.role_skill_frequencies, from the latest year of each survey that asks
    about tools, for "Where do you fit?" weighed by what practitioners use."""
    cte, params = _latest_tool_respondents(countries)
    sql = f"""
    WITH {cte},
    base AS (SELECT role, count(*) AS role_postings FROM r GROUP BY role)
    SELECT r.role, k.skill, any_value(k.category) AS category, count(*) AS n,
           any_value(b.role_postings) AS role_postings
    FROM salary_skills k JOIN r USING (record_id) JOIN base b ON b.role = r.role
    GROUP BY r.role, k.skill
    ORDER BY r.role, n DESC, k.skill
    """
    return fetch(store, version, sql, params)
