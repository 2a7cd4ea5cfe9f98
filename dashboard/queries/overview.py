"""The Overview's headline numbers: counts, medians and date ranges of the selection."""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.quantiles import pay_quantiles, pay_where
from dashboard.queries.store import cached, fetch, where


@cached
def headline(store: str, version: str, f: Filters) -> dict[str, object]:
    """Counts, medians and date ranges of the selection (one row, as a dict).

    Counts and posting dates come from the ``posting_counts`` cube (exact: sums, mins and maxes
    of its cells); the medians are exact quantiles from the pay marts (quantiles.pay_quantiles).
    """
    cw, cp = where(f, "posting_counts")
    sw, sp = pay_where(f, "survey")  # salary records, counted in pay_buckets
    df = fetch(
        store,
        version,
        f"""
        WITH c AS (SELECT CAST(coalesce(sum(postings), 0) AS BIGINT) AS postings,
                          CAST(coalesce(sum(with_pay), 0) AS BIGINT) AS postings_with_pay,
                          CAST(coalesce(sum(postings) FILTER (WHERE is_ai), 0) AS BIGINT)
                              AS ai_postings,
                          min(first_date) AS first_posted, max(last_date) AS last_posted
                   FROM posting_counts {cw}),
             s AS (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS salaries,
                          min(year) AS first_year, max(year) AS last_year
                   FROM pay_buckets {sw})
        SELECT c.postings, c.postings_with_pay, c.ai_postings, c.first_posted, c.last_posted,
               s.salaries, s.first_year, s.last_year
        FROM c, s
        """,
        cp + sp,
    )
    out = df.iloc[0].to_dict()
    for kind in ("advertised", "survey"):
        out[f"median_{kind}"] = pay_quantiles(store, version, f, kind, (), (0.5,))[0.5].iloc[0]
    return {k: (None if pd.isna(v) else v) for k, v in out.items()}
