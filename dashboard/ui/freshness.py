"""The "Data as of" lines: a short one under the title (the newest data date and the build time,
two lines on a phone), and each source's latest data date in the sidebar.

The build time says when the store was made, not how recent its data are (a 2023 scrape loaded
today is still 2023 data), so the two are shown apart and named as what they are.
"""

from __future__ import annotations

import duckdb

from dashboard.queries import series as series_queries
from dashboard.stats.series import data_as_of, newest_data_date
from etl.store import StoreError


def _dates(store: str, version: str):
    try:
        return series_queries.data_dates(store, version)
    except (StoreError, duckdb.Error):  # a store of an older schema: build time only
        return None


def _built(meta: dict[str, str]) -> str:
    return meta.get("built_at", "unknown").replace("T", " ").replace("Z", " UTC")


def data_as_of_line(store: str, version: str, meta: dict[str, str]) -> str:
    """ "Data dates per source: hiring_lab_postings_index 2026-08-14 · … · store built
    2026-11-30 10:48 UTC (real store)" (the sidebar's line)."""
    dates = _dates(store, version)
    listed = "unknown" if dates is None else data_as_of(dates)
    return (
        f"Data dates per source (latest date of each): {listed} · "
        f"store built {_built(meta)} ({meta.get('kind', 'unknown')} store)"
    )


def data_as_of_short(store: str, version: str, meta: dict[str, str]) -> str:
    """ "Data as of 2026-08-14 (newest source; each source's date in the sidebar) · real store
    built 2026-11-30 10:48 UTC" (under every page's title: short enough for a phone)."""
    dates = _dates(store, version)
    newest = None if dates is None else newest_data_date(dates)
    return (
        f"Data as of {newest or 'unknown'} (newest source; each source's date in the sidebar)"
        f" · {meta.get('kind', 'unknown')} store built {_built(meta)}"
    )
