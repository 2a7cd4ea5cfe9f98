"""How long postings stay up: the live sources' postings with their first and last sighting.

Live sources are the job-board APIs (``merge: accumulate`` in data/sources/job_boards.yaml): a
refresh records when it saw each posting. File sources are one-off scrapes and are left out. The
measures are dashboard/stats/lifetime.py.
"""

from __future__ import annotations

import pandas as pd

from dashboard.queries.filters import Filters
from dashboard.queries.store import cached, fetch, where
from dashboard.stats.lifetime import NEEDS


def live_sources() -> tuple[str, ...]:
    """Names of the sources a refresh keeps accumulating (the job-board APIs)."""
    from etl.sources import load_sources

    return tuple(sorted(s["name"] for s in load_sources() if s.get("merge") == "accumulate"))


@cached
def live_postings(store: str, version: str, f: Filters) -> pd.DataFrame:
    """The selection's postings from live sources: NEEDS + role + month (of the posting date)."""
    w, p = where(f, "postings")
    w = (w + " AND " if w else "WHERE ") + "list_contains(?::VARCHAR[], source)"
    cols = ", ".join(NEEDS)
    return fetch(
        store,
        version,
        f"""SELECT {cols}, role, strftime(posted_date, '%Y-%m') AS month
            FROM postings {w}""",
        [*p, list(live_sources())],
    )
