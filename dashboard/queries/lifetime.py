"""How long postings stay up: the live sources' postings with their first and last sighting.

Live sources are the job-board APIs (``merge: accumulate`` in data/sources/job_boards.yaml): a
refresh records when it saw each posting. File sources are one-off scrapes and are left out. The
measures are dashboard/stats/lifetime.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.store import cached, fetch, where
from dashboard.stats.lifetime import NEEDS

_LIVE: dict[Path, tuple[str, ...]] = {}


def live_sources() -> tuple[str, ...]:
    """Names of the sources a refresh keeps accumulating (the job-board APIs).

    Read once per knowledge folder: parsing data/sources/*.yaml takes 0.1–0.7 s, more than
    the query that uses it.
    """
    from etl.config import data_dir
    from etl.sources import load_sources

    folder = data_dir()
    if folder not in _LIVE:
        found = (s["name"] for s in load_sources() if s.get("merge") == "accumulate")
        _LIVE[folder] = tuple(sorted(found))
    return _LIVE[folder]


@cached
def live_postings(store: str, version: str, f: Filters) -> pd.DataFrame:
    """The selection's postings from live sources: NEEDS + role + month (of the posting date).

    The ``posting_counts`` cube says first whether the selection holds any live posting; when it
    holds none (a store of file sources only) the row query is planned as empty, not scanned.
    """
    live = list(live_sources())
    cw, cp = where(f, "posting_counts")
    cw = (cw + " AND " if cw else "WHERE ") + "list_contains(?::VARCHAR[], source)"
    n = fetch(store, version, f"SELECT count(*) AS n FROM posting_counts {cw}", [*cp, live])
    w, p = where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + "list_contains(?::VARCHAR[], source)"
    if not n["n"].iloc[0]:
        w += " AND false"
    cols = ", ".join(NEEDS)
    return fetch(
        store,
        version,
        f"""SELECT {cols}, role, strftime(posted_date, '%Y-%m') AS month
            FROM postings {w}""",
        [*p, live],
    )
