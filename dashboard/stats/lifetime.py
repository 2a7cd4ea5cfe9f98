"""How long postings stay up, how often they come back, and how many state pay.

Only the live sources (job-board APIs read by every refresh) say this: a refresh records the day
it saw each posting, and the store keeps the first and the last such day (``first_seen``,
``last_seen``). File sources are one-off scrapes: their dates are the posting date and say
nothing about how long a posting stayed up.

- **Days online** = ``last_seen`` - the posting date (or ``first_seen`` if earlier). A posting
  still listed at the source's latest refresh has not come down yet: its days online are a lower
  bound, so the *median days online* is too when many are still up (``share_still_up`` says how
  many). A posting seen by one refresh only has 0 days between sightings; its days online come
  from its posting date.
- **Reposted**: the same employer posts the same title (same source, same country) again after the
  earlier posting was last seen: the later posting counts as a repost.
- **States pay**: the posting gives a usable pay figure (``salary_usd`` not missing).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

NEEDS = (
    "posting_id",
    "source",
    "posted_date",
    "first_seen",
    "last_seen",
    "company",
    "title",
    "country_code",
    "salary_usd",
)
"""The posting columns these functions read."""


def with_lifetime(postings: pd.DataFrame) -> pd.DataFrame:
    """``postings`` plus ``days_online``, ``still_up``, ``reposted`` and ``states_pay``."""
    out = postings.copy()
    first = pd.to_datetime(out["first_seen"])
    last = pd.to_datetime(out["last_seen"])
    posted = pd.to_datetime(out["posted_date"])
    start = posted.where(posted.notna() & (posted < first), first)
    out["days_online"] = (last - start).dt.days.astype("Int64")
    latest = last.groupby(out["source"]).transform("max")
    out["still_up"] = (last == latest).to_numpy()
    out["states_pay"] = out["salary_usd"].notna().to_numpy()
    out["reposted"] = _reposted(out, first, last)
    return out


def _reposted(frame: pd.DataFrame, first: pd.Series, last: pd.Series) -> np.ndarray:
    """True where an earlier posting with the same source, employer, title and country was last
    seen before this one was first seen."""
    key = pd.DataFrame(
        {
            "source": frame["source"].astype("string"),
            "company": frame["company"].astype("string").str.casefold().str.strip(),
            "title": frame["title"].astype("string").str.casefold().str.strip(),
            "country": frame["country_code"].astype("string").fillna(""),
        }
    )
    known = key["company"].notna() & key["title"].notna()
    group = key.astype("object").agg("\x1f".join, axis=1).where(known)
    order = pd.DataFrame({"g": group, "first": first, "last": last}).sort_values(
        ["g", "first", "last"], kind="stable"
    )
    prev_last = order.groupby("g", dropna=True)["last"].transform(lambda s: s.shift().cummax())
    reposted = (order["first"] > prev_last) & order["g"].notna()
    return reposted.reindex(frame.index).fillna(False).to_numpy(dtype=bool)


def lifetime_summary(postings: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Per group of ``by`` (e.g. role, source, country_code, month): n (postings), median days
    online, share still up at the latest refresh, share reposted, share stating pay."""
    frame = postings if "days_online" in postings else with_lifetime(postings)
    grouped = frame.groupby(list(by), dropna=False, observed=True)
    out = grouped.agg(
        n=("posting_id", "size"),
        median_days_online=("days_online", "median"),
        share_still_up=("still_up", "mean"),
        share_reposted=("reposted", "mean"),
        share_states_pay=("states_pay", "mean"),
    ).reset_index()
    return out.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)
