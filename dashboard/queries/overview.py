"""The Overview's headline numbers: counts, medians and date ranges of the selection."""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.store import cached, fetch, where


@cached
def headline(store: str, version: str, f: Filters) -> dict[str, object]:
    """Counts, medians and date ranges of the selection (one row, as a dict)."""
    pw, pp = where(f, "postings")
    sw, sp = where(f, "salaries")
    df = fetch(
        store,
        version,
        f"""
        WITH p AS (SELECT count(*) AS postings, count(salary_usd) AS postings_with_pay,
                          median(salary_usd) AS median_advertised,
                          count(*) FILTER (WHERE is_ai) AS ai_postings,
                          min(posted_date) AS first_posted, max(posted_date) AS last_posted
                   FROM postings {pw}),
             s AS (SELECT count(*) AS salaries, median(salary_usd) AS median_survey,
                          min(year) AS first_year, max(year) AS last_year
                   FROM salaries {sw})
        SELECT * FROM p, s
        """,
        pp + sp,
    )
    return {k: (None if pd.isna(v) else v) for k, v in df.iloc[0].to_dict().items()}
