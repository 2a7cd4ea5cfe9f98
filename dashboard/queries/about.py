"""The "About the data" page: the reviewed notes (data/about.yaml) and what the store covers.

The coverage map is rows per source and year — postings (from the ``posting_counts`` cube), salary
records, and series values (daily observations of aggregate series) — for the whole store: the
sidebar filters do not apply to it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.queries.store import cached, fetch
from etl.config import data_dir
from etl.normalise.files import read_yaml_mapping


@lru_cache(maxsize=2)
def _about(path: Path) -> dict:
    return read_yaml_mapping(path)


def about_notes(path: Path | None = None) -> dict:
    """data/about.yaml: sources (measures, does_not_measure), biases, metrics (name, definition)."""
    return _about(path or data_dir() / "about.yaml")


@cached
def coverage(store: str, version: str) -> pd.DataFrame:
    """source, kind ('postings', 'salary records' or 'series values'), period ('YYYY'), rows."""
    return fetch(
        store,
        version,
        """
        SELECT source, 'postings' AS kind, CAST(year(month) AS VARCHAR) AS period,
               CAST(sum(postings) AS BIGINT) AS rows
        FROM posting_counts GROUP BY ALL
        UNION ALL
        SELECT source, 'salary records', CAST(year AS VARCHAR), count(*) FROM salaries GROUP BY ALL
        UNION ALL
        SELECT source, 'series values', CAST(year(date) AS VARCHAR), count(*) FROM series
        GROUP BY ALL
        ORDER BY kind, source, period
        """,
    )
