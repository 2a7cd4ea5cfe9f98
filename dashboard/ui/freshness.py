"""The "Data as of" line under the title: each source's latest data date, then the build time.

The build time says when the store was made, not how recent its data are (a 2023 scrape loaded
today is still 2023 data), so the two are shown apart and named as what they are.
"""

from __future__ import annotations

import duckdb

from dashboard.queries import series as series_queries
from dashboard.stats.series import data_as_of
from etl.store import StoreError


def data_as_of_line(store: str, version: str, meta: dict[str, str]) -> str:
    """ "Data as of (latest date per source): … · store built 2026-11-30 10:48 UTC (real)"."""
    built = meta.get("built_at", "unknown").replace("T", " ").replace("Z", " UTC")
    try:
        dates = data_as_of(series_queries.data_dates(store, version))
    except (StoreError, duckdb.Error):  # a store of an older schema: build time only
        dates = "unknown"
    return (
        f"Data as of (latest data date per source): {dates} · "
        f"store built {built} ({meta.get('kind', 'unknown')} store)"
    )
