"""The query layer: parameterised SQL over the store's read-only DuckDB file -> small DataFrames.

One module per subject: ``practitioners`` (survey respondents' answers: education, research,
years, tools, pay bands), ``overview`` (the headline counts), ``demand`` (postings over time and
place, the AI share), ``pay`` (pay quantiles and skill premiums), ``skills`` (what postings ask
for), ``sources`` (the Data page: sources, runs, rejects, role coverage, rows). ``store`` holds
what they share (the connection, the cache, filters -> SQL) and ``filters`` the selection they take.

Every function takes hashable arguments (store path, store version, a frozen Filters, a few
strings or tuples) and is cached with st.cache_data: the store version (etl.store.store_version)
is part of the key, so a freshly published store is picked up without a restart. Aggregation
happens in SQL; only the columns a chart needs come back. Values are always bound parameters; the
only things formatted into SQL are column names from the modules' whitelists.

Each query reads the smallest table that answers it exactly (etl/marts.py): counts and totals come
from the ``posting_counts`` cube, skill queries from ``posting_skill_facts`` (the filter columns
are on it: no join), the sidebar from ``filter_values``; quantiles, medians and rows still come
from the base tables. A store without the marts (an older schema) raises a StoreError that says
how to upgrade it.

Queries may use dashboard.stats (the premiums are computed inside a cached query) but never the
UI or the views (import-linter contracts in pyproject.toml).
"""

from dashboard.queries import (
    demand,
    overview,
    pay,
    practitioners,
    series,
    skills,
    sources,
    store,
)

__all__ = [
    "demand",
    "overview",
    "pay",
    "practitioners",
    "series",
    "skills",
    "sources",
    "store",
]
